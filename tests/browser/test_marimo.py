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
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from harness.jupyter import REPO_ROOT, STEP_MS, wait_json_file
from harness.marimo import MarimoServer, open_app, output, start_marimo, write_app

pytestmark = pytest.mark.browser

QUICKSTART = REPO_ROOT / "notebooks" / "quickstart_marimo.py"


def _require_marimo() -> None:
    # Under CI=true, tests/conftest.py turns this skip into a failure (a broken install step).
    # find_spec, not an import: the tests drive marimo's command, not its module.
    if importlib.util.find_spec("marimo") is None:
        pytest.skip("marimo is not installed (pip install -e '.[test]')")


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


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from cyclr_widgets import Sandbox

    sb = Sandbox().start()
    try:
        yield sb
    finally:
        sb.stop()


# Records the URL of every window.open call, so a test can check the widget opened
# "about:blank" synchronously in the click (the only order the popup blocker lets through).
RECORD_OPENS = """
(() => {
  const open = window.open;
  window.__cyclrOpens = [];
  window.open = function (url, ...rest) {
    window.__cyclrOpens.push(String(url));
    return open.call(this, url, ...rest);
  };
})();
"""


@pytest.fixture
def serve(tmp_path: Path, sandbox: Any, recorder: Any) -> Iterator[Callable[..., MarimoServer]]:
    """Start ``marimo <mode>`` on an app (cells, or an existing file) with the sandbox's env."""
    _require_marimo()
    servers: list[MarimoServer] = []

    def start(
        cells: Sequence[str] | None = None, mode: str = "run", app: Path | None = None
    ) -> MarimoServer:
        if app is None:
            assert cells is not None
            app = write_app(tmp_path / f"app_{len(servers)}.py", cells)
        server = start_marimo(
            app, tmp_path / f"marimo-{len(servers)}", mode=mode, extra_env=sandbox.environ
        )
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
        # Next to the screenshots and console log conftest saves when a test fails.
        recorder.artifact_dir.mkdir(parents=True, exist_ok=True)
        (recorder.artifact_dir / server.log_path.name).write_text(server.log_text())


# --- helpers ----------------------------------------------------------------------------------


def status_of(page: Any) -> Any:
    return page.locator(".cyclr-oauth-status")


def wait_status(page: Any, status: str, timeout_ms: int = STEP_MS) -> None:
    page.locator(f'.cyclr-oauth-status[data-status="{status}"]').wait_for(timeout=timeout_ms)


def connect_button(page: Any) -> Any:
    btn = page.locator(".cyclr-oauth-connect")
    btn.wait_for(timeout=STEP_MS)  # the widget rendered: its cell ran and the ESM loaded
    return btn


def click_connect(page: Any) -> Any:
    """Click Connect; return the popup, asserting it was opened blank, inside the click."""
    btn = connect_button(page)
    with page.expect_popup() as info:
        btn.click()
    popup = info.value
    assert page.evaluate("() => window.__cyclrOpens.at(-1)") == "about:blank"
    return popup


def assert_api(client: Any, sandbox: Any, ac_id: int, authenticated: bool) -> None:
    assert client.account_connector(sandbox.account_id, ac_id).authenticated is authenticated
    assert sandbox.account_connector_state(sandbox.account_id, ac_id)["Authenticated"] is (
        authenticated
    )


def expected_result(ac_id: int) -> dict[str, Any]:
    return {"status": "authenticated", "authenticated": True, "account_connector_id": ac_id}


# --- (a) happy path: marimo run (app view) and marimo edit (editor) ------------------------------


@pytest.mark.parametrize("mode", ["run", "edit"])
def test_happy_path(
    mode: str,
    serve: Callable[..., MarimoServer],
    page: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    tmp_path: Path,
) -> None:
    page.add_init_script(RECORD_OPENS)
    result_path = tmp_path / "result.json"
    server = serve(popup_app(sandbox, oauth_ac, result_path), mode=mode)
    open_app(page, server)

    btn = connect_button(page)
    # marimo shows the widget in the top-level document (inside a shadow root, no iframe): the
    # widget's window.open and `message` listener are the notebook page's own.
    assert btn.evaluate(
        "e => e.ownerDocument === window.top.document && e.getRootNode() instanceof ShadowRoot"
    )
    assert status_of(page).get_attribute("data-status") == "idle"
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


def test_blocked_popup_fallback_link(
    serve: Callable[..., MarimoServer],
    page: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    tmp_path: Path,
) -> None:
    # A blocker that returns null (Safari/Firefox-style, or a host without allow-popups).
    page.add_init_script("window.open = function () { return null; };")
    result_path = tmp_path / "result.json"
    server = serve(popup_app(sandbox, oauth_ac, result_path, poll_interval_s=1.0))
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


# --- (c) the marimo quickstart (notebooks/quickstart_marimo.py) -----------------------------------

# Credentials the tutorial types in, and the sandbox's default secret: none may reach the page.
SECRETS = ("sbx-secret-7c0ffee5-do-not-leak", "demo-api-key-123")


ALL_SHADOW_HTML = """() => {
  const out = [];
  const walk = (root) => root.querySelectorAll('*').forEach((el) => {
    if (el.shadowRoot) { out.push(el.shadowRoot.innerHTML); walk(el.shadowRoot); }
  });
  walk(document);
  return out.join('\\n');
}"""


def test_quickstart_runs_as_a_script(tmp_path: Path) -> None:
    """``python quickstart_marimo.py`` runs every cell (marimo's script mode) on its own sandbox."""
    _require_marimo()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYCLR_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, str(QUICKSTART)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,  # a hang guard
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]


def test_quickstart_in_marimo_run(
    serve: Callable[..., MarimoServer], page: Any, sandbox: Any, client: Any
) -> None:
    page.add_init_script(RECORD_OPENS)
    server = serve(app=QUICKSTART)  # the sandbox's CYCLR_* variables: it uses this sandbox
    open_app(page, server)

    # The listings rendered as tables, the API-key install worked.
    page.get_by_text("Acme Corp").first.wait_for(timeout=STEP_MS)
    page.get_by_text("(marimo quickstart) | authenticated: True").wait_for(timeout=STEP_MS)
    waiting = page.get_by_text("this cell updates when the flow ends")
    waiting.wait_for(timeout=STEP_MS)

    popup = click_connect(page)
    popup.locator("#allow").click()
    wait_status(page, "authenticated")
    page.get_by_text("The flow ended: authenticated. Cyclr says authenticated: True.").wait_for(
        timeout=STEP_MS
    )
    installed = client.account_connectors(sandbox.account_id)
    mine = installed[installed["Name"].str.endswith("(marimo quickstart)")]
    assert sorted(mine["Authenticated"].tolist()) == [True, True]

    # No secret and no sign-in URL (it carries a single-use token) in the page, shadow roots
    # (where marimo puts the widgets) included.
    html = page.content() + page.evaluate(ALL_SHADOW_HTML)
    assert 'data-status="authenticated"' in html  # the widget's shadow root was read
    for secret in SECRETS:
        assert secret not in html
    assert "updateaccountconnectoroauth" not in html
    assert not re.search(r"[?&]token=", html)


# --- (d) ConnectorBrowser and AccountExplorer: one anywidget each, so marimo shows them ---------

WIDGETS_CELL = """\
import marimo as mo
from cyclr_widgets import AccountExplorer, ConnectorBrowser, CyclrClient

client = CyclrClient.from_env()
browser = ConnectorBrowser(client, __ACCOUNT__)
explorer = AccountExplorer(client, __ACCOUNT__)
mo.vstack([mo.ui.anywidget(browser), mo.ui.anywidget(explorer)])
"""


def installed_id(message: str) -> int:
    found = re.search(r"account connector (\d+)", message)
    assert found, message
    return int(found.group(1))


def sign_in(page: Any, scope: Any) -> None:
    """Click the popup part's Connect in ``scope``, allow in the provider, wait for the end."""
    with page.expect_popup() as info:
        scope.locator(".cyclr-oauth-connect").click()
    info.value.locator("#allow").click()
    scope.locator('.cyclr-oauth-status[data-status="authenticated"]').wait_for(timeout=STEP_MS)


def test_connector_browser_and_account_explorer_in_marimo_run(
    serve: Callable[..., MarimoServer], page: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    server = serve([WIDGETS_CELL.replace("__ACCOUNT__", repr(sandbox.account_id))])
    open_app(page, server)
    account = sandbox.account_id

    # ConnectorBrowser: search, select, install an API-key connector.
    browser = page.locator(".cyclr-connector-browser")
    library = browser.locator(".cyclr-library")
    library.locator(".cyclr-table-search").wait_for(timeout=STEP_MS)
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

    # ... then an OAuth connector: the popup part appears, the sign-in runs end to end.
    oauth_id = sandbox.ids["oauth2_code_connector_ids"][0]
    oauth_name = client.connector(oauth_id, account_id=account)["Name"]
    library.locator(".cyclr-table-search").fill(oauth_name)
    library.locator(f'.cyclr-table-row[data-id="{oauth_id}"]').click()
    form.locator(".cyclr-install-title").filter(has_text="Install").wait_for()
    form.locator(".cyclr-install-btn").click()
    done = form.locator(".cyclr-install-message").filter(has_text="sign in")
    done.wait_for(timeout=STEP_MS)
    oauth_new = installed_id(done.inner_text())
    sign_in(page, browser.locator(".cyclr-popup"))
    assert_api(client, sandbox, oauth_new, True)

    # AccountExplorer: search the account's connectors, select the OAuth one, Connect.
    explorer = page.locator(".cyclr-account-explorer")
    connectors = explorer.locator(".cyclr-connectors")
    connectors.locator(".cyclr-table-search").fill(str(oauth_ac))
    connectors.locator(f'.cyclr-table-row[data-id="{oauth_ac}"]').click()
    button = explorer.locator(".cyclr-connect button")
    button.filter(has_text="Connect").and_(explorer.locator("button:enabled")).wait_for()
    button.click()
    sign_in(page, explorer.locator(".cyclr-popup"))
    assert_api(client, sandbox, oauth_ac, True)
    explorer.locator(".cyclr-connect button").filter(has_text="Re-authenticate").wait_for()
