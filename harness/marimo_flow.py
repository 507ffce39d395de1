"""What the marimo browser test modules share: servers per test, the popup flow, control styles.

``tests/browser/test_marimo*.py`` use these; the servers themselves are in ``harness/marimo.py``.
Everything here takes a Playwright sync ``page`` (or locator) and plain values, so each module
keeps only its own app and assertions.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from harness.jupyter import RECORD_OPENS
from harness.marimo import STEP_MS, MarimoServer, start_marimo, write_app

__all__ = [
    "ALL_SHADOW_HTML",
    "CONTROL_PROBLEMS_JS",
    "RECORD_OPENS",
    "assert_api",
    "click_connect",
    "connect_button",
    "expected_result",
    "installed_id",
    "marimo_servers",
    "require_marimo",
    "sign_in",
    "status_of",
    "wait_status",
]


def require_marimo() -> None:
    """Skip without marimo (under CI=true, tests/conftest.py turns the skip into a failure)."""
    # find_spec, not an import: the tests drive marimo's command, not its module.
    if importlib.util.find_spec("marimo") is None:
        pytest.skip("marimo is not installed (pip install -e '.[test]')")


@contextlib.contextmanager
def marimo_servers(
    tmp_path: Path, sandbox: Any, recorder: Any
) -> Iterator[Callable[..., MarimoServer]]:
    """Yield ``start(cells=None, mode="run", app=None, user_config=None)`` for one test.

    Each call writes the app (or takes an existing file) and serves it with the sandbox's
    CYCLR_* variables in the environment; at the end every server is stopped and its log is
    copied next to the screenshots and console log conftest saves when a test fails.
    """
    require_marimo()
    servers: list[MarimoServer] = []

    def start(
        cells: Sequence[str] | None = None,
        mode: str = "run",
        app: Path | None = None,
        user_config: Any = None,
    ) -> MarimoServer:
        if app is None:
            assert cells is not None
            app = write_app(tmp_path / f"app_{len(servers)}.py", cells)
        server = start_marimo(
            app,
            tmp_path / f"marimo-{len(servers)}",
            mode=mode,
            extra_env=sandbox.environ,
            user_config=user_config,
        )
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()
            recorder.artifact_dir.mkdir(parents=True, exist_ok=True)
            (recorder.artifact_dir / server.log_path.name).write_text(server.log_text())


# The HTML of every open shadow root (where marimo puts the widgets): for secret checks.
ALL_SHADOW_HTML = """() => {
  const out = [];
  const walk = (root) => root.querySelectorAll('*').forEach((el) => {
    if (el.shadowRoot) { out.push(el.shadowRoot.innerHTML); walk(el.shadowRoot); }
  });
  walk(document);
  return out.join('\\n');
}"""

# For the element given (a widget's root) and its subtree: every control that does not look like
# one, as "tag.class 'text': why". A button needs a visible border (width > 0, a style, a colour
# that is not transparent) or a background that is neither transparent nor the page's; an enabled
# button needs the pointer cursor; a text field or select needs a visible border.
CONTROL_PROBLEMS_JS = """(root) => {
  const clear = (c) => c === 'transparent' || /rgba\\(.*,\\s*0\\)$/.test(c)
    || /\\/\\s*0\\)$/.test(c);
  const pageBg = getComputedStyle(document.body).backgroundColor;
  const border = (s) => parseFloat(s.borderTopWidth) > 0 && !['none', 'hidden'].includes(
    s.borderTopStyle) && !clear(s.borderTopColor);
  const problems = [];
  let seen = 0;
  const name = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ` +
    `'${(el.textContent || el.getAttribute('aria-label') || el.name || '').trim().slice(0, 30)}'`;
  for (const el of root.querySelectorAll('button, input, select, textarea')) {
    if (el.tagName === 'INPUT' && ['checkbox', 'radio', 'hidden'].includes(el.type)) continue;
    seen += 1;
    const s = getComputedStyle(el);
    if (el.tagName === 'BUTTON') {
      const bg = !clear(s.backgroundColor) && s.backgroundColor !== pageBg;
      if (!border(s) && !bg) problems.push(`${name(el)}: no border, no background`);
      if (!el.disabled && s.cursor !== 'pointer') problems.push(`${name(el)}: cursor ${s.cursor}`);
    } else if (!border(s)) {
      problems.push(`${name(el)}: no border (${s.borderTopWidth} ${s.borderTopStyle})`);
    }
  }
  return {seen, problems};
}"""


def status_of(page: Any) -> Any:
    return page.locator(".cyclr-oauth-status")


def wait_status(page: Any, status: str, timeout_ms: int = STEP_MS) -> None:
    page.locator(f'.cyclr-oauth-status[data-status="{status}"]').wait_for(timeout=timeout_ms)


def connect_button(page: Any) -> Any:
    btn = page.locator(".cyclr-oauth-connect")
    btn.wait_for(timeout=STEP_MS)  # the widget rendered: its cell ran and the ESM loaded
    return btn


def click_connect(page: Any) -> Any:
    """Click Connect; return the popup, asserting it was opened blank, inside the click.

    Needs :data:`RECORD_OPENS` as an init script of the page.
    """
    btn = connect_button(page)
    with page.expect_popup() as info:
        btn.click()
    popup = info.value
    assert page.evaluate("() => window.__cyclrOpens.at(-1)") == "about:blank"
    return popup


def sign_in(page: Any, scope: Any) -> None:
    """Click the popup part's Connect in ``scope``, allow in the provider, wait for the end."""
    with page.expect_popup() as info:
        scope.locator(".cyclr-oauth-connect").click()
    info.value.locator("#allow").click()
    scope.locator('.cyclr-oauth-status[data-status="authenticated"]').wait_for(timeout=STEP_MS)


def assert_api(client: Any, sandbox: Any, ac_id: int, authenticated: bool) -> None:
    """The API (the client) and the sandbox's own state agree on ``Authenticated``."""
    assert client.account_connector(sandbox.account_id, ac_id).authenticated is authenticated
    assert sandbox.account_connector_state(sandbox.account_id, ac_id)["Authenticated"] is (
        authenticated
    )


def expected_result(ac_id: int) -> dict[str, Any]:
    return {"status": "authenticated", "authenticated": True, "account_connector_id": ac_id}


def installed_id(message: str) -> int:
    """The account connector id in an install form's "Installed ..." message."""
    found = re.search(r"account connector (\d+)", message)
    assert found, message
    return int(found.group(1))
