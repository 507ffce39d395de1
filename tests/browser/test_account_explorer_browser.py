"""AccountExplorer's credentials form in JupyterLab 4: a real kernel, chromium and the sandbox.

A connector that offers OAuth and an API key (found in the sandbox's listing by its
``Authentication[]``, never by id) is installed with its API-key method and no key; in the
explorer its row gets both the OAuth Connect button and the credentials form, which shows the
chosen method's fields, sends the key once by message (the input is wiped), and shows Cyclr's
answer. The outcome is checked with the test's own client.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from harness.jupyter import STEP_MS

pytestmark = pytest.mark.browser

API_KEY = "browser-api-key-" + "7" * 16
EXPLORER_CELL = """\
from cyclr_widgets import AccountExplorer, CyclrClient

explorer = AccountExplorer(CyclrClient.from_env(), __ACCOUNT__)
explorer
"""


@pytest.fixture(scope="module")
def kernel_env(sandbox: Any) -> dict[str, str]:
    return dict(sandbox.environ)  # CyclrClient.from_env() in the kernel reaches the sandbox


def dual_connector(client: Any, account: str) -> dict[str, Any]:
    """A connector whose Authentication[] has both OAuth2 and ApiKey, none required props."""
    for r in client.iter_connectors(account, progress=False):
        kinds = {a.get("AuthType") for a in r.get("Authentication") or []}
        props = [p for p in r.get("Parameters") or [] if p.get("IsAccountConnectorProperty")]
        required = [p for p in props if not p.get("IsOptional", True)]
        if {"OAuth2", "ApiKey"} <= kinds and r.get("Status") == "Approved" and not required:
            return dict(r)
    pytest.fail("the sandbox offers no connector with both OAuth2 and ApiKey")


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_credentials_form_saves_the_api_key_of_a_dual_connector(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any
) -> None:
    account = sandbox.account_id
    conn = dual_connector(client, account)
    key_id = next(a["Id"] for a in conn["Authentication"] if a["AuthType"] == "ApiKey")
    ac = client.install_connector(account, conn["Id"], name="Dual", authentication_id=key_id)
    assert ac.authenticated is False

    nb = notebook_factory([EXPLORER_CELL.replace("__ACCOUNT__", repr(account))])
    nb.run(0)
    explorer = nb.cell(0).locator(".cyclr-account-explorer")
    connectors = explorer.locator(".cyclr-connectors")
    connectors.locator(".cyclr-table-search").wait_for(timeout=STEP_MS)
    connectors.locator(".cyclr-table-search").fill(str(ac.id))
    row = connectors.locator(f'.cyclr-table-row[data-id="{ac.id}"]')
    row.click()

    # OAuth is one of its methods: Connect is offered on its row ...
    row.locator('.cw-row-action[data-action="connect"]').filter(has_text="Connect").wait_for()
    # ... and so is the API key, in the credentials form: only that method's fields.
    form = explorer.locator(".cyclr-credentials .cyclr-install-form")
    form.locator(".cyclr-install-title").filter(has_text="Credentials for Dual").wait_for()
    key = form.locator('input[name="api_key"]')
    assert key.get_attribute("type") == "password"
    names = form.locator("[name]").evaluate_all("nodes => nodes.map((n) => n.name)")
    assert names == ["api_key"]  # no OAuth fields, no name or properties
    button = form.locator(".cyclr-install-btn")
    assert button.inner_text() == "Save credentials"

    button.click()  # nothing typed: refused in the browser, nothing sent
    message = form.locator(".cyclr-install-message")
    message.filter(has_text="Please fill in: API key.").wait_for()

    key.fill(API_KEY)
    button.click()
    message.filter(has_text="is authenticated").wait_for(timeout=STEP_MS)
    assert message.get_attribute("data-state") == "ok"
    assert key.input_value() == ""  # the key left the page once, by message, and was wiped
    assert client.account_connector(account, ac.id).authenticated is True
    row.locator('.cw-row-action[data-action="reauthenticate"]').wait_for(timeout=STEP_MS)
    saved = json.dumps(nb.page.evaluate("() => document.body.innerHTML"))
    assert API_KEY not in saved
