"""``cyclr-widgets lab`` as a new user meets it: the quickstart open, no news prompt.

The launcher runs as a user runs it (a fresh, empty JupyterLab user-settings folder, so
JupyterLab would ask its "get notified about official Jupyter news?" question), and chromium
opens the URL it prints. The quickstart must be the open document, its kernel ready, and no
news toast anywhere; then Ctrl-C stops everything.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from harness.jupyter import (
    FIRST_RENDER_MS,
    REPO_ROOT,
    free_port,
    isolated_env,
    wait_kernel_ready,
)

pytestmark = pytest.mark.browser

URL_RE = re.compile(r"(http://127\.0\.0\.1:\d+/\S+\?token=\S+)")
NEWS_PROMPT = "Would you like to get notified about official Jupyter news?"
HANG_GUARD_S = 180.0


def _launch(tmp_path: Path) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    # A new user: empty settings and workspaces (JupyterLab's defaults apply, fetchNews "none").
    names = (
        "JUPYTERLAB_SETTINGS_DIR",
        "JUPYTERLAB_WORKSPACES_DIR",
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_RUNTIME_DIR",
        "IPYTHONDIR",
    )
    env = isolated_env({name: tmp_path / name for name in names}, ("JUPYTER", "IPYTHON"), None)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cyclr_widgets",
            "lab",
            "--no-browser",
            f"--port={free_port()}",
            f"--notebook-dir={REPO_ROOT / 'notebooks'}",
        ],
        cwd=str(tmp_path),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in iter(proc.stdout.readline, ""):  # type: ignore[union-attr]
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()
    return proc, lines


def _printed_url(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> str:
    seen: list[str] = []
    deadline = time.monotonic() + HANG_GUARD_S
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.5)
        except queue.Empty:
            if proc.poll() is not None:
                break
            continue
        seen.append(line)
        m = URL_RE.search(line)
        if m:
            return m.group(1)
    raise AssertionError("no URL printed:\n" + "".join(seen))


def test_lab_opens_the_quickstart_without_the_news_prompt(page: Any, tmp_path: Path) -> None:
    proc, lines = _launch(tmp_path)
    try:
        url = _printed_url(proc, lines)
        assert "/lab/tree/01_quickstart.ipynb?" in url
        page.goto(url, timeout=FIRST_RENDER_MS)
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=FIRST_RENDER_MS)
        wait_kernel_ready(page)
        current = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
        assert "01_quickstart.ipynb" in current.first.inner_text()
        # The plugin behind the prompt is disabled by the launcher's page config ...
        disabled = page.evaluate(
            "() => JSON.parse(document.getElementById('jupyter-config-data').textContent)"
            ".disabledExtensions"
        )
        assert "@jupyterlab/apputils-extension:announcements" in str(disabled)
        # ... so, the app fully started (kernel idle), no toast asks the question.
        assert page.get_by_text(NEWS_PROMPT).count() == 0
        assert page.locator(".jp-Notification-Toast").count() == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the launcher stops Lab and the sandbox
        assert proc.wait(HANG_GUARD_S) == 0
