"""What the look-and-feel browser tests share: an axe-core audit run in the page, screenshots.

``audit(page, selector)`` injects axe-core (the npm package in ``node_modules``, pinned by
``package-lock.json``; installed by ``npm ci`` in ``scripts/test.sh``) into the page once and
runs it on the element(s) matching ``selector`` only: the host page (JupyterLab, marimo, Voilà)
is not ours to fix. It returns the violations of impact "serious" or "critical"; the tests
assert that list is empty and print it readably when it is not (``describe``).

``screenshot(target, name)`` writes ``tests/browser/artifacts/<name>.png`` (gitignored): the
pictures of each widget in the light and dark themes and in marimo that reviewers look at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from harness.jupyter import REPO_ROOT

AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO_ROOT / "tests" / "browser" / "artifacts"
BLOCKING_IMPACTS = ("serious", "critical")


def _ensure_axe(page: Any) -> None:
    if not AXE_JS.is_file():
        msg = f"axe-core is missing at {AXE_JS}: run `npm ci` (scripts/test.sh does)"
        raise RuntimeError(msg)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))


def audit(page: Any, selector: str, impacts: tuple[str, ...] = BLOCKING_IMPACTS) -> list[dict]:
    """Run axe-core on every element matching ``selector``; return the blocking violations.

    ``selector`` is looked up in the document; when nothing matches there, it is looked up in
    every open shadow root too (marimo renders each anywidget in one): axe-core audits an
    element given as a node inside a shadow root, and its subtree. Each violation is axe's
    record trimmed to ``id``, ``impact``, ``help`` and its nodes' ``target`` and
    ``failureSummary`` (a target inside a shadow root is a list: host selector, then inner).
    """
    _ensure_axe(page)
    result = page.evaluate(
        """async (selector) => {
            const include = Array.from(document.querySelectorAll(selector));
            const walk = (root) => root.querySelectorAll('*').forEach((el) => {
                if (!el.shadowRoot) return;
                include.push(...el.shadowRoot.querySelectorAll(selector));
                walk(el.shadowRoot);
            });
            if (!include.length) walk(document);
            if (!include.length) throw new Error(`audit: nothing matches ${selector}`);
            const r = await window.axe.run({include: include.map((el) => el)},
                                           {resultTypes: ["violations"]});
            return r.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary,
                                            impact: n.impact})),
            }));
        }""",
        selector,
    )
    return [v for v in result if v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    """The violations as text for an assertion message."""
    return json.dumps(violations, indent=1)[:6000]


def relative_luminance(css: str) -> float:
    """WCAG relative luminance of an ``rgb()``/``rgba()`` string (alpha ignored)."""
    nums = [float(x) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]

    def chan(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (chan(c) for c in nums)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")


def screenshot(target: Any, name: str) -> Path:
    """Save a screenshot of ``target`` (a Playwright page or locator) as an artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{_safe(name)}.png"
    target.screenshot(path=str(path), timeout=30_000)
    return path
