"""OAuthPopup in marimo: ``mo.ui.anywidget(popup)`` served by ``marimo run`` / ``marimo edit``.

The sandbox runs in the test process; its CYCLR_* variables go into the marimo server's
environment, so ``CyclrClient.from_env()`` in the app reaches it. Each test writes its own app
(``harness/marimo.py``), serves it on a free loopback port and drives it with the shared chromium
(popup blocker ON). The outcome is checked three ways: the widget's status in the page, the
result the app's ``on_complete`` callback wrote to a file (it ran in marimo's Python process) and
re-rendered through ``mo.state`` in a second cell, and the API's ``Authenticated``.

marimo delivers anywidget custom messages both ways (``model.send`` -> ``on_msg`` through
``POST /api/kernel/set_model_value``; ``widget.send`` -> ``msg:custom`` through the websocket's
``model-lifecycle`` notifications): the popup protocol runs on nothing else.

Why ``on_complete`` + ``mo.state`` and not ``await popup`` in a cell: marimo's kernel handles its
control requests one at a time (``listen_messages`` awaits each to the end), so the widget's
messages wait until the awaiting cell is done, and the flow stalls (checked with marimo 0.25.2).
Awaiting in a background task (``asyncio.ensure_future``) does work there.

The other marimo modules: ``test_marimo_widgets.py`` (ConnectorBrowser and AccountExplorer),
``test_marimo_quickstart.py`` (notebooks/quickstart_marimo.py) and ``test_marimo_look.py``
(controls, screenshots and the accessibility audit, light and dark); what they share is in
``harness/marimo_flow.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.jupyter import BLOCK_POPUPS, STEP_MS, wait_json_file
from harness.marimo import MarimoServer, open_app, output
from harness.marimo_flow import (
    CONTROL_PROBLEMS_JS,
    RECORD_OPENS,
    assert_api,
    click_connect,
    connect_button,
    expected_result,
    status_of,
    wait_status,
)

pytestmark = pytest.mark.browser


# --- the app ----------------------------------------------------------------------------------

# The widget cell. __PLACEHOLDERS__ are filled per test.
POPUP_CELL = """\
import json
import marimo as mo
from cyclr_widgets import CyclrClient, OAuthPopup

client = CyclrClient.from_env()
popup = OAuthPopup(client, __ACCOUNT__, __AC_ID__, __KWARGS__)
get_result, set_result = mo.state(None)

def record_result(result):
    with open(__RESULT_PATH__, "w") as f:
        json.dump({"status": result.status, "authenticated": result.authenticated,
                   "account_connector_id": result.account_connector_id}, f)
    set_result(result)  # marimo re-runs the cells that read get_result()

popup.on_complete(record_result)
widget = mo.ui.anywidget(popup)
widget
"""
# Re-runs when on_complete calls set_result: marimo reactivity driven by a widget message.
RESULT_CELL = """\
_result = get_result()
mo.md(
    "RESULT pending" if _result is None
    else f"RESULT {_result.status} authenticated={_result.authenticated} "
    f"value={widget.value['status']}"
)
"""


def popup_app(sandbox: Any, ac_id: int, result_path: Path, **kwargs: Any) -> list[str]:
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    widget_cell = (
        POPUP_CELL.replace("__ACCOUNT__", repr(sandbox.account_id))
        .replace("__AC_ID__", str(ac_id))
        .replace(", __KWARGS__", f", {args}" if args else "")
        .replace("__RESULT_PATH__", repr(str(result_path)))
    )
    return [widget_cell, RESULT_CELL]


# --- (a) happy path: marimo run (app view) and marimo edit (editor) ------------------------------


@pytest.mark.parametrize("mode", ["run", "edit"])
def test_happy_path(
    mode: str,
    serve_marimo: Callable[..., MarimoServer],
    page: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    tmp_path: Path,
) -> None:
    page.add_init_script(RECORD_OPENS)
    result_path = tmp_path / "result.json"
    server = serve_marimo(popup_app(sandbox, oauth_ac, result_path), mode=mode)
    open_app(page, server)

    btn = connect_button(page)
    # marimo shows the widget in the top-level document (inside a shadow root, no iframe): the
    # widget's window.open and `message` listener are the notebook page's own.
    assert btn.evaluate(
        "e => e.ownerDocument === window.top.document && e.getRootNode() instanceof ShadowRoot"
    )
    assert status_of(page).get_attribute("data-status") == "idle"
    # The buttons look like buttons in the shadow root (js/parts/hosts.css; test_marimo_look.py).
    assert page.locator(".cyclr-oauth").evaluate(CONTROL_PROBLEMS_JS)["problems"] == []
    output(page, 1).get_by_text("RESULT pending").wait_for(timeout=STEP_MS)

    popup = click_connect(page)
    popup.locator("#allow").wait_for(timeout=STEP_MS)
    wait_status(page, "waiting")  # `navigated` reached Python and its status update came back
    popup.locator("#allow").click()
    wait_status(page, "authenticated")
    assert "is authenticated" in page.locator(".cyclr-oauth-message").inner_text()

    # on_complete ran in marimo's Python process (the file), and its mo.state setter re-ran
    # the second cell, which reads the result and the widget's value.
    assert wait_json_file(result_path, timeout=STEP_MS / 1000) == expected_result(oauth_ac)
    output(page, 1).get_by_text(
        "RESULT authenticated authenticated=True value=authenticated"
    ).wait_for(timeout=STEP_MS)
    assert_api(client, sandbox, oauth_ac, True)
    if not popup.is_closed():
        popup.wait_for_event("close", timeout=STEP_MS)  # the widget closes it after the callback


# --- (b) window.open returns null: the fallback link carries the flow ---------------------------


@pytest.mark.parametrize("mode", ["run", "edit"])
def test_blocked_popup_fallback_link(
    mode: str,
    serve_marimo: Callable[..., MarimoServer],
    page: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    tmp_path: Path,
) -> None:
    # A blocker that returns null (Safari/Firefox-style, or a host without allow-popups).
    page.add_init_script(BLOCK_POPUPS)
    result_path = tmp_path / "result.json"
    server = serve_marimo(popup_app(sandbox, oauth_ac, result_path, poll_interval_s=1.0), mode=mode)
    open_app(page, server)

    connect_button(page).click()
    wait_status(page, "blocked")
    link = page.locator("a.cyclr-oauth-link[href]")
    link.wait_for(timeout=STEP_MS)
    assert "updateaccountconnectoroauth" in (link.get_attribute("href") or "")
    # A real click on a target=_blank link is a fresh user gesture: the browser opens it natively.
    with page.expect_popup() as info:
        link.click()
    tab = info.value
    tab.locator("#allow").click()
    wait_status(page, "authenticated")
    assert wait_json_file(result_path, timeout=STEP_MS / 1000) == expected_result(oauth_ac)
    output(page, 1).get_by_text("RESULT authenticated authenticated=True").wait_for(timeout=STEP_MS)
    assert_api(client, sandbox, oauth_ac, True)
