"""The widgets' look in JupyterLab light, JupyterLab dark and Notebook 7: screenshots, an axe-core
audit, and proof that the dark theme is followed.

For each widget (OAuthPopup, ConnectorBrowser, AccountExplorer's partner view, its account view
with an incident drilled down) and each host (one server per theme for the module):

- a screenshot, ``tests/browser/artifacts/<widget>-<host>.png`` (``harness.look.screenshot``);
- ``harness.look.audit`` on the widget's root: no serious or critical axe violation;
- the colours of the widget's root, a table header and a button, read with getComputedStyle:
  they are JupyterLab's own ``--jp-*`` values of the page's theme (read from the page's body),
  and in the dark theme they differ from those of the light run.

And the OAuth popup flow end to end in each host (Connect, Allow in the sandbox's consent page,
status authenticated), audited again once authenticated (the status chip's "ok" tone).
The fallbacks outside JupyterLab are test_look_fallbacks_browser.py's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness import look
from harness.jupyter import STEP_MS, ServerSpec, wait_focused

pytestmark = pytest.mark.browser

LIGHT = ServerSpec(app="lab")
DARK = ServerSpec(app="lab", theme="JupyterLab Dark")
NB7 = ServerSpec(app="notebook")
HOSTS = [
    pytest.param(LIGHT, id="lab-light"),
    pytest.param(DARK, id="lab-dark"),
    pytest.param(NB7, id="nb7-light"),
]

# The light run's colours, per widget, for the dark run to differ from (the module runs the
# hosts in the order above: pytest groups the tests by the module-scoped server).
LIGHT_COLOURS: dict[str, dict[str, Any]] = {}

POPUP_CELL = """\
from cyclr_widgets import CyclrClient, OAuthPopup

popup = OAuthPopup(CyclrClient.from_env(), __ACCOUNT__, __AC_ID__)
popup
"""
BROWSER_CELL = """\
from cyclr_widgets import ConnectorBrowser, CyclrClient

browser = ConnectorBrowser(CyclrClient.from_env(), __ACCOUNT__)
browser
"""
PARTNER_CELL = """\
from cyclr_widgets import AccountExplorer, CyclrClient

explorer = AccountExplorer(CyclrClient.from_env(progress=False))
explorer
"""
ACCOUNT_CELL = """\
from cyclr_widgets import AccountExplorer, CyclrClient

explorer = AccountExplorer(CyclrClient.from_env(), __ACCOUNT__)
explorer
"""

# The page's theme values (JupyterLab's --jp-* on body, normalised to computed rgb()/rgba()
# strings through a probe element) and the widget's computed colours.
COLOURS_JS = """([root, buttonSelector]) => {
  const probe = (value) => {
    const d = document.createElement('div');
    d.style.color = value;
    document.body.append(d);
    const c = getComputedStyle(d).color;
    d.remove();
    return c;
  };
  const body = getComputedStyle(document.body);
  const jp = {};
  for (const n of ['--jp-layout-color0', '--jp-layout-color1', '--jp-layout-color2',
                   '--jp-layout-color3', '--jp-ui-font-color0', '--jp-ui-font-color1',
                   '--jp-ui-font-color2', '--jp-brand-color1', '--jp-ui-inverse-font-color1']) {
    const raw = body.getPropertyValue(n).trim();
    jp[n] = raw ? probe(raw) : null;
  }
  const pair = (el) => {
    if (!el) return null;
    const s = getComputedStyle(el);
    return {bg: s.backgroundColor, fg: s.color};
  };
  return {
    theme: document.body.dataset.jpThemeName || null,
    light: document.body.dataset.jpThemeLight || null,
    jp,
    root: pair(root),
    th: pair(root.querySelector('th')),
    button: pair(root.querySelector(buttonSelector)),
  };
}"""


@pytest.fixture(scope="module")
def kernel_env(sandbox: Any) -> dict[str, str]:
    return dict(sandbox.environ)  # CyclrClient.from_env() in the kernel reaches the sandbox


@pytest.fixture
def context(browser: Any, recorder: Any) -> Iterator[Any]:
    """conftest's context, taller: a screenshot shows the whole widget, drill-down included
    (below the viewport, JupyterLab's notebook panel clips it)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 2000})
    ctx.set_default_timeout(STEP_MS)
    ctx.on("page", recorder.add_page)
    try:
        yield ctx
    finally:
        ctx.close()


def host_name(server: Any) -> str:
    spec = server.spec
    if spec.app == "notebook":
        return "nb7-light"
    return "lab-dark" if spec.theme else "lab-light"


def wait_theme(page: Any, server: Any) -> None:
    """The page's theme manager has applied the server's theme (dark or light)."""
    want = "false" if server.spec.theme else "true"
    page.wait_for_function(
        "(want) => document.body.dataset.jpThemeLight === want", arg=want, timeout=STEP_MS
    )


def fill(cell: str, sandbox: Any, ac_id: int | None = None) -> str:
    cell = cell.replace("__ACCOUNT__", repr(sandbox.account_id))
    return cell.replace("__AC_ID__", str(ac_id)) if ac_id is not None else cell


def check_look(
    page: Any,
    server: Any,
    widget: str,
    root: Any,
    selector: str,
    button: str,
    primary: bool,
) -> None:
    """Screenshot, theme colours, then the audit (last, so a violation still leaves the rest
    checked)."""
    host = host_name(server)
    wait_theme(page, server)
    root.scroll_into_view_if_needed()
    look.screenshot(root, f"{widget}-{host}")
    colours = page.evaluate(COLOURS_JS, [root.element_handle(), button])
    jp = colours["jp"]
    assert colours["root"] == {"bg": jp["--jp-layout-color0"], "fg": jp["--jp-ui-font-color1"]}
    assert colours["button"] is not None, f"no {button} in {widget}"
    if primary:  # the main action: ipywidgets' mod-primary pair
        want = {"bg": jp["--jp-brand-color1"], "fg": jp["--jp-ui-inverse-font-color1"]}
    else:
        want = {"bg": jp["--jp-layout-color2"], "fg": jp["--jp-ui-font-color1"]}
    assert colours["button"] == want, colours
    if colours["th"] is not None:
        layouts = {jp[f"--jp-layout-color{i}"] for i in range(4)}
        fonts = {jp[f"--jp-ui-font-color{i}"] for i in range(3)}
        assert colours["th"]["bg"] in layouts, colours
        assert colours["th"]["fg"] in fonts, colours
    if server.spec == LIGHT:
        LIGHT_COLOURS[widget] = colours
    elif server.spec == DARK:
        assert colours["light"] == "false" and colours["theme"] == "JupyterLab Dark"
        assert look.relative_luminance(colours["root"]["bg"]) < 0.05  # dark background ...
        assert look.relative_luminance(colours["root"]["fg"]) > 0.5  # ... light text
        light = LIGHT_COLOURS.get(widget)
        if light is not None:
            for part in ("root", "th", "button"):
                if light[part] is None:
                    continue
                assert colours[part]["bg"] != light[part]["bg"], (part, colours, light)
                assert colours[part]["fg"] != light[part]["fg"], (part, colours, light)
    violations = look.audit(page, selector)
    assert violations == [], look.describe(violations)


# --- the widgets --------------------------------------------------------------------------


@pytest.mark.parametrize("jupyter_server", HOSTS, indirect=True)
def test_oauth_popup_look(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, oauth_ac: int
) -> None:
    nb = notebook_factory([fill(POPUP_CELL, sandbox, oauth_ac)])
    nb.run(0)
    root = nb.cell(0).locator(".cyclr-oauth")
    root.locator('.cyclr-oauth-status[data-status="idle"]').wait_for(timeout=STEP_MS)
    check_look(
        nb.page, jupyter_server, "oauth_popup", root, ".cyclr-oauth", ".cyclr-oauth-connect", True
    )


@pytest.mark.parametrize("jupyter_server", HOSTS, indirect=True)
def test_connector_browser_look(jupyter_server: Any, notebook_factory: Any, sandbox: Any) -> None:
    nb = notebook_factory([fill(BROWSER_CELL, sandbox)])
    nb.run(0)
    root = nb.cell(0).locator(".cyclr-connector-browser")
    root.locator(".cyclr-library .cyclr-table-row").first.click(timeout=STEP_MS)
    root.locator(".cyclr-form .cyclr-install-btn").wait_for(timeout=STEP_MS)
    check_look(
        nb.page,
        jupyter_server,
        "connector_browser",
        root,
        ".cyclr-connector-browser",
        ".cyclr-install-btn",
        True,
    )


@pytest.mark.parametrize("jupyter_server", HOSTS, indirect=True)
def test_account_explorer_partner_look(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any
) -> None:
    nb = notebook_factory([PARTNER_CELL])
    nb.run(0)
    root = nb.cell(0).locator(".cyclr-account-explorer")
    partner = root.locator(".cyclr-partner")
    partner.locator(".cyclr-health-message").filter(has_text="accounts scanned").wait_for(
        timeout=STEP_MS
    )
    check_look(
        nb.page,
        jupyter_server,
        "account_explorer_partner",
        root,
        ".cyclr-account-explorer",
        ".cyclr-partner button:not([hidden])",
        False,
    )


@pytest.mark.parametrize("jupyter_server", HOSTS, indirect=True)
def test_account_explorer_incident_look(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any
) -> None:
    nb = notebook_factory([fill(ACCOUNT_CELL, sandbox)])
    nb.run(0)
    root = nb.cell(0).locator(".cyclr-account-explorer")
    root.locator(".cyclr-connectors .cyclr-table-row").first.wait_for(timeout=STEP_MS)
    tab = root.get_by_role("tab", name="Incidents")
    tab.click()
    assert tab.get_attribute("aria-selected") == "true"
    incidents = root.locator(".cyclr-incidents")
    incidents.locator(".cyclr-table-search").fill("Add Subscriber")
    incidents.locator(".cyclr-table-row").first.click()
    drill = root.locator(".cyclr-drill")
    drill.locator(".cyclr-step .cyclr-http-line").wait_for(timeout=STEP_MS)
    check_look(
        nb.page,
        jupyter_server,
        "account_explorer_account",
        root,
        ".cyclr-account-explorer",
        ".cyclr-back",
        False,
    )

    # The keyboard: the arrow keys move between the tabs (Incidents -> Cycles), and the
    # confirmation of an action takes the focus (on Cancel) and answers Escape.
    tab.focus()
    nb.page.keyboard.press("ArrowLeft")
    cycles_tab = root.get_by_role("tab", name="Cycles")
    assert cycles_tab.get_attribute("aria-selected") == "true"
    wait_focused(cycles_tab)
    assert root.locator(f"#{cycles_tab.get_attribute('aria-controls')}").is_visible()
    paused = sandbox.ids["cycle_id"]
    cycles = root.locator(".cyclr-cycles")
    cycles.locator(".cyclr-table-search").fill(paused)
    cycles.locator(f'.cyclr-table-row[data-id="{paused}"]').click()
    actions = root.locator(".cyclr-cycle-actions")
    actions.locator('button.cyclr-action[data-action="activate"]:enabled').click()
    confirm = actions.locator(".cyclr-confirm")
    confirm.get_by_role("button", name="Cancel").wait_for(timeout=STEP_MS)
    nb.page.wait_for_function(
        "() => document.activeElement && document.activeElement.matches('.cyclr-confirm-no')"
    )
    assert confirm.get_attribute("role") == "alertdialog"
    violations = look.audit(nb.page, ".cyclr-account-explorer")
    assert violations == [], look.describe(violations)
    look.screenshot(actions, f"account_explorer_confirm-{host_name(jupyter_server)}")
    nb.page.keyboard.press("Escape")
    confirm.wait_for(state="hidden", timeout=STEP_MS)


# --- the popup flow, end to end, in every host (the dark theme included) ------------------------


@pytest.mark.parametrize("jupyter_server", HOSTS, indirect=True)
def test_popup_flow_in_theme(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    nb = notebook_factory([fill(POPUP_CELL, sandbox, oauth_ac)])
    nb.run(0)
    wait_theme(nb.page, jupyter_server)
    root = nb.cell(0).locator(".cyclr-oauth")
    connect = root.locator(".cyclr-oauth-connect")
    connect.wait_for(timeout=STEP_MS)
    with nb.page.expect_popup() as info:
        connect.click()
    popup = info.value
    popup.locator("#allow").click(timeout=STEP_MS)
    status = root.locator('.cyclr-oauth-status[data-status="authenticated"]')
    status.wait_for(timeout=STEP_MS)
    assert status.get_attribute("data-tone") == "ok"
    assert status.get_attribute("role") == "status"
    assert "Connected" in status.inner_text()
    assert client.account_connector(sandbox.account_id, oauth_ac).authenticated is True
    look.screenshot(root, f"oauth_popup_authenticated-{host_name(jupyter_server)}")
    violations = look.audit(nb.page, ".cyclr-oauth")
    assert violations == [], look.describe(violations)
