"""OAuthPopup's missing-properties diagnosis in JupyterLab 4: a real kernel, chromium, the sandbox.

An OAuth 2 (authorisation code) connector that declares a required account connector property
(found in the sandbox's listing by its ``Parameters[]`` and ``Authentication[]``, never by id) is
installed without that property. The user clicks Connect in the notebook, the real popup opens,
the user clicks Allow on the sandbox's provider: the tokens come back, but Cyclr keeps the
connector ``Authenticated: false`` because the property has no value. The widget must name the
property (``core/_diagnosis.py``) instead of saying "Sign-in was denied"; the kernel's
``on_complete`` gets the same message and diagnosis; and no secret (sign-in token, client secret,
OAuth tokens) is in the page or in the notebook saved with its widget state.

The kernel-free version of this story is ``tests/widgets/test_oauth_popup_diagnosis.py``.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import pytest

from harness.jupyter import RECORD_OPENS, STEP_MS, ServerSpec, save_notebook

pytestmark = pytest.mark.browser

# {result_name} is filled by notebook_factory; __PLACEHOLDERS__ here.
POPUP_CELL = """\
import json, os
from cyclr_widgets import CyclrClient, OAuthPopup

popup = OAuthPopup(CyclrClient.from_env(), __ACCOUNT__, __AC_ID__)

def _record(result):
    d = result.diagnosis
    path = os.path.join(os.environ["CYCLR_TEST_RESULTS_DIR"], "{result_name}")
    with open(path, "w") as f:
        json.dump({"status": result.status, "authenticated": result.authenticated,
                   "message": result.message,
                   "codes": list(d.codes) if d is not None else None,
                   "properties": d.reasons[0].details.get("properties") if d else None}, f)

popup.on_complete(_record)
popup
"""


@pytest.fixture(scope="module")
def kernel_env(sandbox: Any) -> dict[str, str]:
    return dict(sandbox.environ)  # CyclrClient.from_env() in the kernel reaches the sandbox


def needs_a_property(client: Any, account_id: str) -> dict[str, Any]:
    """An approved OAuth 2 authorisation-code connector with a required account connector
    property that is not ClientId/ClientSecret (those get the "your own OAuth app" diagnosis,
    another story)."""
    for conn in client.iter_connectors(account_id, progress=False):
        auth = (conn.get("Authentication") or [{}])[0]
        required = [
            p
            for p in conn.get("Parameters") or []
            if p.get("IsAccountConnectorProperty") and not p.get("IsOptional", True)
        ]
        if (
            conn.get("Status") == "Approved"
            and required
            and not {p["TargetName"] for p in required} & {"ClientId", "ClientSecret"}
            and (auth.get("AuthType"), auth.get("OAuth2Type")) == ("OAuth2", "AuthorisationCode")
        ):
            return dict(conn)
    pytest.fail("the sandbox offers no OAuth connector with a required account property")


@pytest.mark.parametrize(
    "jupyter_server",
    [ServerSpec("lab", save_widget_state=True)],
    indirect=True,
    ids=["lab-savestate"],
)
def test_allow_with_a_missing_property_names_it_not_denied(
    jupyter_server: Any,
    context: Any,
    notebook_factory: Any,
    sandbox: Any,
    client: Any,
    signin_urls: list[str],
) -> None:
    account = sandbox.account_id
    conn = needs_a_property(client, account)
    required = [
        p
        for p in conn["Parameters"]
        if p.get("IsAccountConnectorProperty") and not p.get("IsOptional", True)
    ]
    ac = client.install_connector(account, conn["Id"], name="Needs a property (browser)")
    assert ac.authenticated is False

    context.add_init_script(RECORD_OPENS)  # before the notebook page loads
    cell_src = POPUP_CELL.replace("__ACCOUNT__", repr(account)).replace("__AC_ID__", str(ac.id))
    nb = notebook_factory([cell_src])
    nb.run(0)
    widget = nb.cell(0).locator(".cyclr-oauth")
    btn = widget.locator(".cyclr-oauth-connect")
    btn.wait_for(timeout=STEP_MS)
    with nb.page.expect_popup(timeout=STEP_MS) as info:
        btn.click()
    popup = info.value
    # Opened blank, synchronously in the click (the popup blocker is on, see conftest).
    assert nb.page.evaluate("() => window.__cyclrOpens.at(-1)") == "about:blank"

    # The provider's consent page, and the widget waiting for it.
    popup.locator("#allow").wait_for(timeout=STEP_MS)
    widget.locator('.cyclr-oauth-status[data-status="waiting"]').wait_for(timeout=STEP_MS)
    popup.locator("#allow").click()

    # The status keeps its meaning (not authenticated after signing in), but the message names
    # the cause. The kernel sets status and message in one update (hold_sync), so once the
    # terminal status shows, the message beside it is final: a regression fails right here
    # with the text the user would read, not after a hang guard.
    widget.locator('.cyclr-oauth-status[data-status="denied"]').wait_for(timeout=STEP_MS)
    text = widget.locator(".cyclr-oauth-message").inner_text()
    assert "Required properties have no value: " in text, text
    assert text.startswith(f"The sign-in finished, but Cyclr did not authenticate {ac.name}"), text
    for p in required:
        assert f"{p['Name']} ({p['TargetName']})" in text, (p, text)
    shown = widget.inner_text()
    assert "denied" not in shown.lower(), shown

    # The kernel got the same outcome through on_complete.
    result = nb.result()
    assert result["status"] == "denied" and result["authenticated"] is False
    assert result["message"] == text
    assert result["codes"] == ["missing_properties"]
    assert result["properties"] == [p["TargetName"] for p in required]

    # Cyclr really did get the tokens (so the checks below mean something) and still says no.
    state = sandbox.account_connector_state(account, ac.id)
    assert state["Authenticated"] is False and state["AccessToken"] and state["RefreshToken"]
    assert client.account_connector(account, ac.id).authenticated is False

    # No secret in the page (text and markup) or in the notebook saved with its widget state.
    secrets = {
        "client secret": sandbox.client_secret,
        "access token": state["AccessToken"],
        "refresh token": state["RefreshToken"],
    }
    for url in signin_urls:
        for token in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("token", []):
            secrets[f"sign-in token {token[:4]}…"] = token
    assert any(k.startswith("sign-in token") for k in secrets), "no sign-in URL was requested"
    assert all(secrets.values()), secrets.keys()

    page_text = nb.page.evaluate("() => document.body.innerText")
    page_html = nb.page.content()
    leaked = [k for k, v in secrets.items() if v in page_text or v in page_html]
    assert leaked == [], f"secrets in the page: {leaked}"

    state_key = "application/vnd.jupyter.widget-state+json"
    saved_nb = save_notebook(
        nb.page, nb.path, expect=lambda d: state_key in d["metadata"].get("widgets", {})
    )
    saved = nb.path.read_text()
    assert state_key in saved_nb["metadata"]["widgets"], "widget state was not saved"
    assert "Required properties have no value" in saved  # the saved state is the real one
    leaked = [k for k, v in secrets.items() if v in saved]
    assert leaked == [], f"secrets in the saved notebook: {leaked}"
    assert "updateaccountconnectoroauth" not in saved
    assert "token=" not in saved
