"""How the widgets look in marimo: controls, screenshots, accessibility audit; light and dark.

One ``marimo run`` server per theme for the whole module (each page load is a session of its
own, so the tests share it): marimo's light theme is its default; the dark one is forced with
marimo's user config ``display.theme = "dark"`` (``$XDG_CONFIG_HOME/marimo/marimo.toml``, which
``marimo run`` honours as ``marimo edit`` does). Each widget is shown with ``mo.ui.anywidget``,
which puts it in a shadow root that marimo fills with its own Tailwind sheet (its preflight
strips buttons to bare text); ``js/parts/hosts.css`` restores the controls and maps the ``--cw-*``
tokens to marimo's colours.

Per widget and theme: every button shows a border or a background and (when enabled) the pointer
cursor, every field a border (``getComputedStyle``, read inside the shadow root, which shows the
CSS reaches it); the text colour follows marimo's theme; a screenshot
``<widget>-marimo-<theme>`` is written to ``tests/browser/artifacts/``; axe-core audits the
widget's subtree (``harness/look.audit`` looks into open shadow roots) and no serious or critical
violation may remain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from harness.jupyter import STEP_MS
from harness.look import audit, describe, screenshot
from harness.marimo import MarimoServer, open_app, start_marimo, write_app
from harness.marimo_flow import CONTROL_PROBLEMS_JS, require_marimo

pytestmark = pytest.mark.browser

APP_CELLS = [
    """\
import marimo as mo
from cyclr_widgets import AccountExplorer, ConnectorBrowser, CyclrClient, OAuthPopup

client = CyclrClient.from_env()
""",
    "mo.ui.anywidget(OAuthPopup(client, __ACCOUNT__, __AC_ID__))",
    "mo.ui.anywidget(ConnectorBrowser(client, __ACCOUNT__))",
    "mo.ui.anywidget(AccountExplorer(client, __ACCOUNT__))",
]

# The text colour's relative lightness (0 black .. 1 white), from any computed colour syntax
# Chromium returns ("rgb(r, g, b)", "color(srgb r g b)").
LIGHTNESS_JS = """(el) => {
  const c = getComputedStyle(el).color;
  let nums = (c.match(/[\\d.]+/g) || []).map(Number);
  if (c.startsWith('color(')) nums = nums.map((n) => n * 255);
  const [r, g, b] = nums;
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def _prepare_popup(root: Any, sandbox: Any, ac_id: int) -> None:
    root.locator(".cyclr-oauth-connect").wait_for(timeout=STEP_MS)


def _prepare_browser(root: Any, sandbox: Any, ac_id: int) -> None:
    # Select an API-key connector: its install form (fields and the Install button) shows.
    api_id = sandbox.ids["apikey_connector_ids"][0]
    root.locator(f'.cyclr-library .cyclr-table-row[data-id="{api_id}"]').click()
    root.locator('.cyclr-install-form input[name="api_key"]').wait_for(timeout=STEP_MS)


def _prepare_explorer(root: Any, sandbox: Any, ac_id: int) -> None:
    # Select the OAuth account connector: its row shows its Connect button.
    row = root.locator(f'.cyclr-connectors .cyclr-table-row[data-id="{ac_id}"]')
    row.click()
    row.locator('.cw-row-action[data-action="connect"]').wait_for(timeout=STEP_MS)


# widget name (the screenshot's), its root's selector, how to bring it into a telling state
WIDGETS: dict[str, tuple[str, Callable[[Any, Any, int], None]]] = {
    "oauth_popup": (".cyclr-oauth", _prepare_popup),
    "connector_browser": (".cyclr-connector-browser", _prepare_browser),
    "account_explorer": (".cyclr-account-explorer", _prepare_explorer),
}


@pytest.fixture(scope="module")
def oauth_ac_id(sandbox: Any, client: Any) -> int:
    """An unauthenticated OAuth2 account connector for the popup and the explorer."""
    connector_id = sandbox.ids["oauth2_code_connector_ids"][0]
    return client.install_connector(sandbox.account_id, connector_id, name="marimo look").id


@pytest.fixture(scope="module", params=["light", "dark"])
def theme_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    sandbox: Any,
    oauth_ac_id: int,
) -> Iterator[tuple[str, MarimoServer]]:
    """``marimo run`` of the three widgets in marimo's light or dark theme, for the module."""
    require_marimo()
    theme = request.param
    workdir = tmp_path_factory.mktemp(f"marimo-look-{theme}")
    cells = [
        c.replace("__ACCOUNT__", repr(sandbox.account_id)).replace("__AC_ID__", str(oauth_ac_id))
        for c in APP_CELLS
    ]
    server = start_marimo(
        write_app(workdir / "look.py", cells),
        workdir / "server",
        extra_env=sandbox.environ,
        user_config={"display": {"theme": theme}},
    )
    try:
        yield theme, server
    finally:
        server.stop()


@pytest.mark.parametrize("widget", list(WIDGETS))
def test_widget_look_and_audit(
    widget: str, theme_server: tuple[str, MarimoServer], page: Any, sandbox: Any, oauth_ac_id: int
) -> None:
    theme, server = theme_server
    selector, prepare = WIDGETS[widget]
    open_app(page, server)
    # marimo marks its theme on the body ("light light-theme" / "dark dark-theme").
    assert page.evaluate("(t) => document.body.classList.contains(t)", theme), theme
    root = page.locator(selector).first
    root.wait_for(timeout=STEP_MS)
    # marimo shows the widget in a shadow root: everything below is read inside it.
    assert root.evaluate("e => e.getRootNode() instanceof ShadowRoot")
    prepare(root, sandbox, oauth_ac_id)

    # Controls look like controls (hosts.css beats marimo's Tailwind preflight).
    found = root.evaluate(CONTROL_PROBLEMS_JS)
    assert found["seen"] > 0
    assert found["problems"] == [], found["problems"]
    # The text follows marimo's theme (the --cw-* tokens read marimo's colours there).
    lightness = root.evaluate(LIGHTNESS_JS)
    assert (lightness > 0.6) if theme == "dark" else (lightness < 0.4), lightness

    screenshot(root, f"{widget}-marimo-{theme}")
    violations = audit(page, selector)
    assert violations == [], brief(violations) + "\n" + describe(violations)


def brief(violations: list[dict]) -> str:
    """One line per failing node: rule id, impact, its target inside the shadow root."""
    return "\n".join(
        f"{v['id']} ({v['impact']}): {node['target'][-1][-1] if node['target'] else '?'}"
        for v in violations
        for node in v["nodes"]
    )
