"""ConnectorBrowser and AccountExplorer in marimo: ``mo.ui.anywidget`` of each, run and edit.

Each widget is one anywidget (its parts share one model), so marimo shows it whole. The test goes
through the ConnectorBrowser's install-then-OAuth flow end to end (an API-key install, then an
OAuth connector: Install, Connect in the popup part, Allow at the fake provider, authenticated),
with the popup part's ``on_complete`` followed from Python and seen by a second cell through
``mo.state`` (as ``OAuthPopup``'s in test_marimo.py), then the AccountExplorer's Connect on an
installed connector. Both in ``marimo run`` (app view) and ``marimo edit`` (the editor's page),
with the shared chromium's popup blocker on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.jupyter import STEP_MS, wait_json_file
from harness.marimo import MarimoServer, open_app, output
from harness.marimo_flow import (
    CONTROL_PROBLEMS_JS,
    assert_api,
    expected_result,
    installed_id,
    sign_in,
)

pytestmark = pytest.mark.browser

WIDGETS_CELL = """\
import json
import marimo as mo
from cyclr_widgets import AccountExplorer, ConnectorBrowser, CyclrClient

client = CyclrClient.from_env()
browser = ConnectorBrowser(client, __ACCOUNT__)
explorer = AccountExplorer(client, __ACCOUNT__)
get_signed_in, set_signed_in = mo.state(None)

def record(result):
    with open(__RESULT_PATH__, "w") as f:
        json.dump({"status": result.status, "authenticated": result.authenticated,
                   "account_connector_id": result.account_connector_id}, f)
    set_signed_in(result)  # marimo re-runs the cells that read get_signed_in()

def follow_sign_in(account_connector):
    # An OAuth install shows the popup part before the on_install callbacks run.
    if not account_connector.authenticated and browser.popup is not None:
        browser.popup.on_complete(record)

browser.on_install(follow_sign_in)
mo.vstack([mo.ui.anywidget(browser), mo.ui.anywidget(explorer)])
"""
# Re-runs when the popup part's on_complete calls set_signed_in.
RESULT_CELL = """\
_result = get_signed_in()
mo.md(
    "SIGNED-IN pending" if _result is None
    else f"SIGNED-IN {_result.status} ac={_result.account_connector_id} "
    f"installed={browser.installed.id}"
)
"""


@pytest.mark.parametrize("mode", ["run", "edit"])
def test_connector_browser_and_account_explorer(
    mode: str,
    serve_marimo: Callable[..., MarimoServer],
    page: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    tmp_path: Path,
) -> None:
    account = sandbox.account_id
    result_path = tmp_path / "signed_in.json"
    widgets_cell = WIDGETS_CELL.replace("__ACCOUNT__", repr(account)).replace(
        "__RESULT_PATH__", repr(str(result_path))
    )
    server = serve_marimo([widgets_cell, RESULT_CELL], mode=mode)
    open_app(page, server)
    output(page, 1).get_by_text("SIGNED-IN pending").wait_for(timeout=STEP_MS)

    # ConnectorBrowser: search, select, install an API-key connector.
    browser = page.locator(".cyclr-connector-browser")
    library = browser.locator(".cyclr-library")
    library.locator(".cyclr-table-search").wait_for(timeout=STEP_MS)
    explorer = page.locator(".cyclr-account-explorer")
    for root in (browser, explorer):  # controls look like controls (js/parts/hosts.css)
        assert root.evaluate(CONTROL_PROBLEMS_JS)["problems"] == []
    api_id = sandbox.ids["apikey_connector_ids"][0]
    name = client.connector(api_id, account_id=account)["Name"]
    library.locator(".cyclr-table-search").fill(name)
    library.locator(f'.cyclr-table-row[data-id="{api_id}"]').click()
    form = browser.locator(".cyclr-install-form")
    form.locator('input[name="api_key"]').fill("marimo-api-key-" + "0" * 16)
    form.locator(".cyclr-install-btn").click()
    done = form.locator(".cyclr-install-message").filter(has_text="Installed")
    done.wait_for(timeout=STEP_MS)
    ac_id = installed_id(done.inner_text())
    assert_api(client, sandbox, ac_id, True)
    browser.locator(f'.cyclr-installed .cyclr-table-row[data-id="{ac_id}"]').wait_for()

    # ... then an OAuth connector: Install, the popup part appears, the sign-in runs end to end
    # and its on_complete reaches the second cell through mo.state.
    oauth_id = sandbox.ids["oauth2_code_connector_ids"][0]
    oauth_name = client.connector(oauth_id, account_id=account)["Name"]
    library.locator(".cyclr-table-search").fill(oauth_name)
    library.locator(f'.cyclr-table-row[data-id="{oauth_id}"]').click()
    form.locator(".cyclr-install-title").filter(has_text="Install").wait_for()
    form.locator(".cyclr-install-btn").click()
    done = form.locator(".cyclr-install-message").filter(has_text="sign in")
    done.wait_for(timeout=STEP_MS)
    oauth_new = installed_id(done.inner_text())
    assert_api(client, sandbox, oauth_new, False)
    sign_in(page, browser.locator(".cyclr-popup"))
    assert wait_json_file(result_path, timeout=STEP_MS / 1000) == expected_result(oauth_new)
    output(page, 1).get_by_text(
        f"SIGNED-IN authenticated ac={oauth_new} installed={oauth_new}"
    ).wait_for(timeout=STEP_MS)
    assert_api(client, sandbox, oauth_new, True)

    # AccountExplorer: search the account's connectors, select the OAuth one, Connect.
    connectors = explorer.locator(".cyclr-connectors")
    connectors.locator(".cyclr-table-search").fill(str(oauth_ac))
    row = connectors.locator(f'.cyclr-table-row[data-id="{oauth_ac}"]')
    button = row.locator('.cw-row-action[data-action="connect"]')  # Connect on its own row
    button.filter(has_text="Connect").wait_for(timeout=STEP_MS)
    button.click()
    sign_in(page, explorer.locator(".cyclr-popup"))
    assert_api(client, sandbox, oauth_ac, True)
    row.locator('.cw-row-action[data-action="reauthenticate"]').wait_for(timeout=STEP_MS)
