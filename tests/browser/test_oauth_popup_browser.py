"""OAuthPopup end to end: JupyterLab 4 / Notebook 7 + a real kernel + chromium + the sandbox.

The sandbox runs in the test process; its CYCLR_* variables go into the Jupyter server's
environment, so ``CyclrClient.from_env()`` in the notebook kernel reaches it, while the test
checks the outcome with its own client (the API's ``Authenticated``) and with what the kernel's
``on_complete`` callback wrote to ``$CYCLR_TEST_RESULTS_DIR/<notebook>.json``.

Scenarios: happy path, deny, forged and stale messages, user closes the
popup, COOP, blocked popup + fallback link, deadline, ``wait()`` in the same cell, a JupyterHub
style base_url, and no secret in a notebook saved with widget state.
"""

from __future__ import annotations

import re
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

from harness.jupyter import BLOCK_POPUPS, RECORD_OPENS, STEP_MS, ServerSpec, save_notebook

pytestmark = pytest.mark.browser

# The popup cell. __PLACEHOLDERS__ are filled per test; {result_name} by notebook_factory.
POPUP_SETUP = """\
import json, os
from cyclr_widgets import CyclrClient, OAuthPopup

client = CyclrClient.from_env()
popup = OAuthPopup(client, __ACCOUNT__, __AC_ID__, __KWARGS__)

def _record(result):
    path = os.path.join(os.environ["CYCLR_TEST_RESULTS_DIR"], "{result_name}")
    with open(path, "w") as f:
        json.dump({"status": result.status, "authenticated": result.authenticated,
                   "account_connector_id": result.account_connector_id}, f)

popup.on_complete(_record)
"""
POPUP_CELL = POPUP_SETUP + "popup\n"
# wait() in the same cell that displays the widget (it pumps the comm with jupyter-ui-poll).
# Its timeout is a hang guard: it must outlast every browser step of the test together.
POPUP_WAIT_CELL = POPUP_SETUP + "display(popup)\nresult = popup.wait(timeout=900)\n"


# --- sandbox and kernel environment ------------------------------------------------------------


@pytest.fixture(scope="module")
def kernel_env(sandbox: Any) -> dict[str, str]:
    # Overrides conftest's hook: the Jupyter server (and so every kernel) gets the CYCLR_* vars.
    return dict(sandbox.environ)


@pytest.fixture(autouse=True)
def _default_switches(sandbox: Any) -> Iterator[None]:
    yield
    sandbox.configure(coop=False)  # a failed COOP test must not leak into the next one


@pytest.fixture(autouse=True)
def _record_window_open(context: Any) -> None:
    context.add_init_script(RECORD_OPENS)


# --- helpers ----------------------------------------------------------------------------------


def popup_cells(sandbox: Any, ac_id: int, template: str = POPUP_CELL, **kwargs: Any) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return (
        template.replace("__ACCOUNT__", repr(sandbox.account_id))
        .replace("__AC_ID__", str(ac_id))
        .replace(", __KWARGS__", f", {args}" if args else "")
    )


def status_locator(nb: Any, status: str) -> Any:
    return nb.cell(0).locator(f'.cyclr-oauth-status[data-status="{status}"]')


def wait_status(nb: Any, status: str, timeout_ms: int = STEP_MS) -> None:
    status_locator(nb, status).wait_for(timeout=timeout_ms)


def current_status(nb: Any) -> str:
    return str(nb.cell(0).locator(".cyclr-oauth-status").get_attribute("data-status"))


def click_connect(nb: Any) -> Any:
    """Click Connect; return the popup, asserting it was opened blank, inside the click."""
    btn = nb.cell(0).locator(".cyclr-oauth-connect")
    btn.wait_for(timeout=STEP_MS)
    with nb.page.expect_popup() as info:
        btn.click()
    popup = info.value
    # The widget opened about:blank, synchronously in the click, before the kernel had minted
    # the sign-in URL; with the popup blocker on (conftest) only that order gets a window.
    assert nb.page.evaluate("() => window.__cyclrOpens.at(-1)") == "about:blank"
    return popup


def to_consent_page(nb: Any, popup: Any) -> None:
    popup.locator("#allow").wait_for(timeout=STEP_MS)
    wait_status(nb, "waiting")


def callback_message(signin_urls: list[str]) -> str:
    assert signin_urls, "the popup never requested the sign-in URL"
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(signin_urls[-1]).query)
    message = query["callbackMessage"][0]
    assert re.fullmatch(r"cyclr-widgets:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+", message), message
    return message


def assert_api(client: Any, sandbox: Any, ac_id: int, authenticated: bool) -> None:
    assert client.account_connector(sandbox.account_id, ac_id).authenticated is authenticated
    assert sandbox.account_connector_state(sandbox.account_id, ac_id)["Authenticated"] is (
        authenticated
    )


def assert_stays(nb: Any, status: str, seconds: float = 1.5) -> None:
    """The status does not move away from ``status`` for a while (a forged event was ignored)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert current_status(nb) == status
        time.sleep(0.1)
    assert not nb.result_path.exists(), "the flow ended although it should still be waiting"


def add_iframe(page: Any, url: str) -> Any:
    """Load ``url`` in an iframe of the notebook page; return its Playwright frame."""
    page.evaluate(
        """u => new Promise((resolve) => {
             const f = document.createElement('iframe');
             f.id = 'cyclr-forger';
             f.onload = () => resolve();
             f.src = u;
             document.body.appendChild(f);
           })""",
        url,
    )
    return next(f for f in page.frames if f.url == url)


def happy_path(nb: Any, client: Any, sandbox: Any, ac_id: int) -> None:
    nb.run(0)
    popup = click_connect(nb)
    to_consent_page(nb, popup)
    popup.locator("#allow").click()
    wait_status(nb, "authenticated")
    result = nb.result()
    assert result == {
        "status": "authenticated",
        "authenticated": True,
        "account_connector_id": ac_id,
    }
    assert_api(client, sandbox, ac_id, True)


# --- (a) happy path, both front ends ------------------------------------------------------


@pytest.mark.parametrize("jupyter_server", ["lab", "notebook"], indirect=True)
def test_happy_path(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    nb = notebook_factory([popup_cells(sandbox, oauth_ac)])
    happy_path(nb, client, sandbox, oauth_ac)


# --- (b) deny -----------------------------------------------------------------------------


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_deny(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    nb = notebook_factory([popup_cells(sandbox, oauth_ac)])
    nb.run(0)
    popup = click_connect(nb)
    to_consent_page(nb, popup)
    popup.locator("#deny").click()
    wait_status(nb, "denied")
    assert nb.result()["status"] == "denied"
    assert_api(client, sandbox, oauth_ac, False)


# --- (c) forged postMessage ----------------------------------------------------------------


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_forged_messages_are_ignored(
    jupyter_server: Any,
    notebook_factory: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    signin_urls: list[str],
) -> None:
    nb = notebook_factory([popup_cells(sandbox, oauth_ac)])
    page = nb.page
    nb.run(0)
    popup = click_connect(nb)
    to_consent_page(nb, popup)
    # The exact message the real completion page would post (read from the popup's request).
    message = callback_message(signin_urls)

    # 1. From the Jupyter window itself (the Jupyter origin).
    page.evaluate("m => window.postMessage(m, '*')", message)
    assert_stays(nb, "waiting")

    # 2. From another loopback origin (the provider's), and 3. from the service origin itself
    #    but from a window that is not the popup. Both from iframes in the notebook page: a
    #    second window.open from page.evaluate() is not reliably allowed by the popup blocker.
    for origin in (sandbox.provider_url, sandbox.service_url):
        forger = add_iframe(page, f"{origin}/forged")
        assert forger.evaluate("() => location.origin") == origin
        forger.evaluate("m => window.parent.postMessage(m, '*')", message)
        assert_stays(nb, "waiting")
        page.evaluate("() => document.getElementById('cyclr-forger').remove()")

    # The real flow still completes.
    popup.locator("#allow").click()
    wait_status(nb, "authenticated")
    assert nb.result()["status"] == "authenticated"
    assert_api(client, sandbox, oauth_ac, True)


# --- (d) the user closes the popup ---------------------------------------------------------


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_user_closes_popup(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    cell = popup_cells(sandbox, oauth_ac, closed_grace_s=1.0, poll_interval_s=0.5)
    nb = notebook_factory([cell])
    nb.run(0)
    popup = click_connect(nb)
    to_consent_page(nb, popup)
    popup.close()
    wait_status(nb, "cancelled")
    assert nb.result()["status"] == "cancelled"
    assert_api(client, sandbox, oauth_ac, False)


# --- (e) stale messages --------------------------------------------------------------------


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_stale_messages_are_ignored(
    jupyter_server: Any,
    notebook_factory: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    signin_urls: list[str],
) -> None:
    nb = notebook_factory([popup_cells(sandbox, oauth_ac)])
    nb.run(0)
    # A first flow, cancelled: its (complete, once valid) message is now stale.
    first = click_connect(nb)
    to_consent_page(nb, first)
    old_message = callback_message(signin_urls)
    nb.cell(0).locator(".cyclr-oauth-cancel").click()
    wait_status(nb, "cancelled")
    # The status can show before on_complete wrote its file: wait for the file, then clear it
    # for the next flow.
    assert nb.result()["status"] == "cancelled"
    nb.result_path.unlink()

    popup = click_connect(nb)
    to_consent_page(nb, popup)
    message = callback_message(signin_urls)
    assert message != old_message
    prefix, flow, nonce = message.split(":")
    wrong_nonce = f"{prefix}:{flow}:{'x' * len(nonce)}"

    # Post from the popup itself on the service origin: origin and source both pass, so only
    # the data check (flow + nonce) stands between these messages and the kernel.
    back_to = popup.url
    popup.goto(f"{sandbox.service_url}/not-the-completion-page")
    assert popup.evaluate("() => location.origin") == sandbox.service_url
    for stale in (wrong_nonce, old_message):
        popup.evaluate(
            "([m, t]) => window.opener.postMessage(m, t)", [stale, jupyter_server.origin]
        )
        assert_stays(nb, "waiting")

    # The current flow still completes from the consent page.
    popup.goto(back_to)
    popup.locator("#allow").click()
    wait_status(nb, "authenticated")
    assert nb.result()["status"] == "authenticated"
    assert_api(client, sandbox, oauth_ac, True)


# --- (f) COOP on the provider --------------------------------------------------------------


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_coop_provider_ends_authenticated_by_polling(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    sandbox.configure(coop=True)
    # The grace time runs from the moment `closed` (falsely) reads true, before the consent page
    # even shows: keep it far above any step's duration so only polling can end the flow.
    cell = popup_cells(sandbox, oauth_ac, poll_interval_s=0.5, closed_grace_s=900.0)
    nb = notebook_factory([cell])
    nb.run(0)
    popup = click_connect(nb)
    popup.locator("#allow").wait_for(timeout=STEP_MS)
    # COOP severs window.opener: the completion page cannot post back, and `popup.closed`
    # reads true although the window is open. Only the kernel's polling can finish the flow.
    assert popup.evaluate("() => window.opener") is None
    popup.locator("#allow").click()
    wait_status(nb, "authenticated")
    assert nb.result()["status"] == "authenticated"
    assert_api(client, sandbox, oauth_ac, True)


# --- (g) blocked popup: the fallback link ----------------------------------------------------


@pytest.mark.parametrize("jupyter_server", ["lab", "notebook"], indirect=True)
def test_blocked_popup_fallback_link(
    jupyter_server: Any,
    page: Any,
    notebook_factory: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
) -> None:
    # A blocker that returns null (Safari/Firefox-style, or a host without allow-popups).
    page.add_init_script(BLOCK_POPUPS)
    nb = notebook_factory([popup_cells(sandbox, oauth_ac, poll_interval_s=1.0)])
    nb.run(0)
    btn = nb.cell(0).locator(".cyclr-oauth-connect")
    btn.wait_for(timeout=STEP_MS)
    btn.click()
    wait_status(nb, "blocked")
    link = nb.cell(0).locator("a.cyclr-oauth-link[href]")
    link.wait_for()
    assert "updateaccountconnectoroauth" in (link.get_attribute("href") or "")
    with page.expect_popup() as info:
        link.click()
    tab = info.value
    tab.locator("#allow").click()
    wait_status(nb, "authenticated")
    assert nb.result()["status"] == "authenticated"
    assert_api(client, sandbox, oauth_ac, True)


# --- (h) deadline ----------------------------------------------------------------------------

# Far beyond the test's run time: the deadline passes only when a test moves a clock past it,
# never because the machine was slow.
DEADLINE_S = 3600.0
# Moves the widget's kernel clock (OAuthPopup._clock, replaceable in tests) past the deadline.
KERNEL_CLOCK_JUMP = """\
import time
popup._clock = lambda: time.monotonic() + 2 * popup.timeout_s
"""


@pytest.mark.parametrize("enforced_by", ["browser", "kernel"])
@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_deadline_times_out(
    jupyter_server: Any,
    page: Any,
    notebook_factory: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    enforced_by: str,
) -> None:
    """Both halves enforce ``timeout_s``; each is driven here by jumping one clock past it.

    browser: the page runs on Playwright's clock; jumping it fires the widget's deadline timer,
    which sends ``deadline`` (the kernel's own clock is an hour short, so only that message can
    end the flow). kernel: the kernel's clock jumps; the next message from the browser (Check
    now) is late and the kernel ends the flow itself.
    """
    if enforced_by == "browser":
        page.clock.install()  # before the notebook loads; time flows normally until the jump
    nb = notebook_factory([popup_cells(sandbox, oauth_ac, timeout_s=DEADLINE_S), KERNEL_CLOCK_JUMP])
    nb.run(0)
    popup = click_connect(nb)
    to_consent_page(nb, popup)
    if enforced_by == "browser":
        page.clock.fast_forward(int(DEADLINE_S * 1000) + 1_000)
    else:
        nb.run(1)
        assert_stays(nb, "waiting", seconds=0.5)  # moving the clock alone ends nothing
        nb.cell(0).locator(".cyclr-oauth-check").click()
    wait_status(nb, "timeout")
    assert nb.result()["status"] == "timeout"
    assert "timed out after 60 min" in nb.cell(0).locator(".cyclr-oauth-message").inner_text()
    assert_api(client, sandbox, oauth_ac, False)


# --- (i) wait() in the same cell -----------------------------------------------------------


@pytest.mark.parametrize("jupyter_server", ["lab", "notebook"], indirect=True)
def test_wait_in_same_cell_returns(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    nb = notebook_factory(
        [
            popup_cells(sandbox, oauth_ac, template=POPUP_WAIT_CELL),
            "print('RESULT', result.status, result.authenticated)",
        ]
    )
    nb.run(0, wait=False)  # the cell blocks in popup.wait() until the flow ends
    popup = click_connect(nb)
    to_consent_page(nb, popup)
    assert "[*]" in nb.cell(0).locator(".jp-InputArea-prompt").inner_text()  # still blocked
    popup.locator("#allow").click()
    wait_status(nb, "authenticated")
    nb.wait_done(0)  # wait() returned: the cell finished
    nb.run(1)
    assert "RESULT authenticated True" in nb.wait_output(1, "RESULT")
    assert_api(client, sandbox, oauth_ac, True)


# --- (j) JupyterHub-style base_url ---------------------------------------------------------


@pytest.mark.parametrize(
    "jupyter_server", [ServerSpec("lab", base_url="/user/alice/")], indirect=True, ids=["lab"]
)
def test_happy_path_under_base_url(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    nb = notebook_factory([popup_cells(sandbox, oauth_ac)])
    assert "/user/alice/lab/" in nb.page.url
    happy_path(nb, client, sandbox, oauth_ac)


# --- (k) saved notebook with widget state holds no secret --------------------------------------


BROWSER_CELL = """\
from cyclr_widgets import ConnectorBrowser
browser = ConnectorBrowser(client, __ACCOUNT__)
browser
"""


@pytest.mark.parametrize(
    "jupyter_server",
    [ServerSpec("lab", save_widget_state=True)],
    indirect=True,
    ids=["lab-savestate"],
)
def test_saved_notebook_holds_no_secret(
    jupyter_server: Any,
    notebook_factory: Any,
    sandbox: Any,
    client: Any,
    oauth_ac: int,
    signin_urls: list[str],
) -> None:
    api_key = "sk-browser-test-" + "9f3b2c7d1e" * 2
    nb = notebook_factory(
        [
            popup_cells(sandbox, oauth_ac),
            BROWSER_CELL.replace("__ACCOUNT__", repr(sandbox.account_id)),
        ]
    )
    happy_path(nb, client, sandbox, oauth_ac)

    # An API-key install through the ConnectorBrowser's form.
    connector_id = sandbox.ids["apikey_connector_ids"][0]
    name = client.connector(connector_id, account_id=sandbox.account_id)["Name"]
    nb.run(1)
    out = nb.cell(1)
    out.locator(".cyclr-table-search").first.wait_for(timeout=STEP_MS)
    out.locator(".cyclr-table-search").first.fill(name)
    row = out.locator(f'.cyclr-table-row[data-id="{connector_id}"]').first
    row.click()
    form = out.locator(".cyclr-install-form")
    form.locator('input[name="api_key"]').fill(api_key)
    form.locator(".cyclr-install-btn").click()
    message = form.locator(".cyclr-install-message").filter(has_text="Installed")
    message.wait_for()
    m = re.search(r"account connector (\d+)", message.inner_text())
    assert m, message.inner_text()
    # The key really reached the sandbox (so its absence from the file below means something).
    installed = sandbox.account_connector_state(sandbox.account_id, int(m.group(1)))
    assert installed["HasAuthValue"] and installed["Authenticated"]
    assert form.locator('input[name="api_key"]').count() == 0 or (
        form.locator('input[name="api_key"]').input_value() == ""
    )  # the form cleared the typed secret

    # Guard against a vacuous pass: wait for a save that really holds the widget state.
    state_key = "application/vnd.jupyter.widget-state+json"
    saved_nb = save_notebook(
        nb.page, nb.path, expect=lambda d: state_key in d["metadata"].get("widgets", {})
    )
    saved = nb.path.read_text()
    assert state_key in saved_nb["metadata"]["widgets"], "widget state was not saved"
    assert "cyclr-oauth" in saved or "oauth_popup" in saved or "OAuthPopup" in saved

    tokens = sandbox.account_connector_state(sandbox.account_id, oauth_ac)
    secrets = {
        "client secret": sandbox.client_secret,
        "access token": tokens["AccessToken"],
        "refresh token": tokens["RefreshToken"],
        "api key": api_key,
    }
    for url in signin_urls:
        for token in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query).get("token", []):
            secrets[f"sign-in token {token[:4]}…"] = token
    assert any(k.startswith("sign-in token") for k in secrets)
    assert all(secrets.values()), secrets.keys()
    leaked = [label for label, value in secrets.items() if value in saved]
    assert leaked == [], f"secrets in the saved notebook: {leaked}"
    assert "updateaccountconnectoroauth" not in saved
    assert "token=" not in saved
