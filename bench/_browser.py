"""Browser bench plumbing: the Jupyter helpers the browser tests use too, one chromium.

The helpers live in ``harness/jupyter.py`` (shared with ``tests/browser/``); this module adds
what a script (rather than pytest fixtures) needs: a launched browser and a Jupyter server that
are always stopped.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from _common import REPO_ROOT  # noqa: F401 - importing _common puts the repository on sys.path

from harness import jupyter as jp

__all__ = ["chromium", "jp", "jupyter_lab"]


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Debian chromium driven by Playwright, popup blocker on (as in the tests)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = jp.launch_chromium(p)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def jupyter_lab(
    env: dict[str, str] | None = None, save_widget_state: bool = False
) -> Iterator[jp.JupyterServer]:
    """A JupyterLab server in a temporary directory (kernels inherit ``env``).

    One server per measured notebook: a second notebook opened on the same server joins the
    first one's workspace as another tab, and cell indices would then address the wrong one.
    """
    spec = jp.ServerSpec("lab", save_widget_state=save_widget_state)
    with tempfile.TemporaryDirectory(prefix="cyclr-bench-") as tmp:
        server = jp.start_server(spec, Path(tmp), extra_env=env or {})
        try:
            yield server
        finally:
            server.stop()


def fill(template: str, **values: Any) -> str:
    """Replace ``__KEY__`` placeholders of a notebook cell with Python literals (``repr``)."""
    for key, value in values.items():
        template = template.replace(f"__{key}__", repr(value))
    return template


def client_values(sb: Any) -> dict[str, str]:
    """The ``__ID__``, ``__SECRET__``, ``__API__`` and ``__SERVICE__`` values of a setup cell."""
    return {"ID": sb.client_id, "SECRET": sb.client_secret, "API": sb.api_url,
            "SERVICE": sb.service_url}
