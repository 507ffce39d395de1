"""The widgets' look where JupyterLab's variables may be missing: the built stylesheet on a bare
page (no notebook server), in a light and a dark OS theme, with and without JupyterLab's own theme
CSS, behind a host reset that strips buttons (marimo's preflight, roughly).

The tokens follow ``prefers-color-scheme`` only where no ``--jp-*`` variable exists; a button is
still a button after the reset; and the sample (chips of every tone, the messages' states, the
form's states) passes the axe audit in each case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from harness import look
from harness.jupyter import REPO_ROOT

pytestmark = pytest.mark.browser


SAMPLE = """
<div class="cyclr-widget" id="w">
  <div class="cyclr-oauth">
    <button type="button" class="jupyter-button cw-button cw-button--primary">Connect</button>
    <span class="cw-chip" data-tone="ok"><span aria-hidden="true">✓</span>Connected</span>
    <span class="cw-chip" data-tone="warn"><span aria-hidden="true">!</span>Pop-up blocked</span>
    <span class="cw-chip" data-tone="error"><span aria-hidden="true">✕</span>Error</span>
    <span class="cw-chip" data-tone="neutral">Not connected</span>
    <button type="button" class="jupyter-button cw-button" id="plain">Check now</button>
  </div>
  <label for="name">Name</label><input id="name" value="Acme">
  <time class="cw-time" datetime="2026-11-30T13:15:03Z"
        title="30 Nov 2026 08:15 (13:15 UTC)">3 h ago</time>
  <div class="cyclr-actions"><div class="cyclr-action-result" data-state="error">Refused.</div>
  <div class="cyclr-action-result" data-state="ok">Activated.</div></div>
  <div class="cyclr-health"><span class="cyclr-window-caption">Last week</span></div>
  <form class="cyclr-install-form">
    <div class="cyclr-install-field">
      <label for="key"
        >API key<span class="cyclr-install-required" aria-hidden="true"> *</span></label>
      <input id="key" type="password" required aria-required="true" aria-invalid="true"
             aria-describedby="key-help">
      <small class="cyclr-install-help" id="key-help">From the app's settings.</small>
    </div>
    <button type="submit" class="cyclr-install-btn jupyter-button cw-button cw-button--primary"
            >Save credentials</button>
    <div class="cyclr-install-message" role="status" data-state="error"
      >Please fill in: API key.</div>
    <div class="cyclr-install-message" role="status" data-state="ok">Dual is authenticated.</div>
    <div class="cyclr-install-message" role="status" data-state="busy">Installing…</div>
  </form>
</div>
"""
# marimo's Tailwind preflight, roughly: what made the Connect button bare text there.
PREFLIGHT = "button { background: transparent; border: 0 solid; padding: 0; font: inherit; }"


def _jupyterlab_theme(name: str) -> str:
    import jupyterlab

    path = Path(jupyterlab.__file__).parent / "themes" / "@jupyterlab" / name / "index.css"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("case", "scheme", "theme", "light_attr", "dark_expected"),
    [
        # marimo / Voilà without JupyterLab's variables: the OS preference decides.
        pytest.param("bare-light", "light", None, None, False, id="bare-light"),
        pytest.param("bare-dark", "dark", None, None, True, id="bare-dark"),
        # JupyterLab's light variables on a dark OS: JupyterLab's theme wins.
        pytest.param(
            "jp-light-dark-os", "dark", "theme-light-extension", "true", False, id="jp-light"
        ),
        # JupyterLab's dark variables on a light OS: dark.
        pytest.param(
            "jp-dark-light-os", "light", "theme-dark-extension", "false", True, id="jp-dark"
        ),
    ],
)
def test_fallbacks_follow_the_host(
    page: Any,
    case: str,
    scheme: str,
    theme: str | None,
    light_attr: str | None,
    dark_expected: bool,
) -> None:
    css = (REPO_ROOT / "cyclr_widgets" / "static" / "account_explorer.css").read_text()
    host = _jupyterlab_theme(theme) if theme else ""
    attrs = f'data-jp-theme-light="{light_attr}"' if light_attr else ""
    page.emulate_media(color_scheme=scheme)
    page.set_content(
        f"<!doctype html><html lang='en'><head><title>{case}</title>"
        f"<style>{PREFLIGHT}</style><style>{host}</style><style>{css}</style></head>"
        f"<body {attrs}>{SAMPLE}</body></html>"
    )
    got = page.evaluate(
        """() => {
          const s = (sel) => getComputedStyle(document.querySelector(sel));
          const b = s('#plain');
          return {root: s('#w').backgroundColor, fg: s('#w').color, scheme: s('#w').colorScheme,
                  button: b.backgroundColor, border: b.borderTopWidth, pad: b.paddingLeft};
        }"""
    )
    dark = look.relative_luminance(got["root"]) < 0.05
    assert dark is dark_expected, got
    assert (look.relative_luminance(got["fg"]) > 0.5) is dark_expected, got
    if not theme:  # no JupyterLab: our color-scheme follows the OS (native pickers, scrollbars)
        assert got["scheme"] == ("dark" if dark_expected else "normal"), got
    # A button is a button even after the host's reset: a fill, a border, padding.
    assert got["button"] not in ("rgba(0, 0, 0, 0)", "transparent"), got
    assert got["border"] == "1px" and got["pad"] != "0px", got
    look.screenshot(page.locator("#w"), f"fallback-{case}")
    violations = look.audit(page, "#w")
    assert violations == [], look.describe(violations)
