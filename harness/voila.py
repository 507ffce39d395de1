"""Helpers to serve a notebook with Voilà headless and drive it with Playwright.

Used by the Voilà browser tests (``tests/browser/test_voila.py``). The chromium launch, the
free-port helper, the hang guards and the stop (``ServerProcess``: SIGTERM, then the whole process
tree reaped with ``cli._procs.stop_tree``) are shared with ``harness/jupyter.py``; Playwright
itself is only imported by the callers.

``voila NOTEBOOK.ipynb`` serves exactly one notebook on 127.0.0.1, without a token (loopback
only). Every page load starts a kernel of its own, runs the notebook top to bottom and streams
the outputs into the page; code cells' inputs never reach the page. Voilà passes the page's query
string to that kernel as ``$QUERY_STRING`` (``?account=...`` reaches the notebook that way), and
shuts the kernel down when the page goes away or the server gets SIGTERM.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness.jupyter import (
    FIRST_RENDER_MS,
    STEP_MS,
    ServerProcess,
    free_port,
    isolated_env,
)

__all__ = [
    "FIRST_RENDER_MS",
    "STEP_MS",
    "VoilaServer",
    "open_app",
    "start_voila",
    "voila_version",
]


def voila_version() -> str:
    """The installed Voilà's version, without importing voila into the test process."""
    from importlib.metadata import version

    return version("voila")


def voila_executable() -> str:
    """The ``voila`` command of the running interpreter's environment (the venv)."""
    exe = Path(sys.executable).with_name("voila")
    return str(exe) if exe.exists() else "voila"


@dataclass
class VoilaServer(ServerProcess):
    """A running ``voila NOTEBOOK.ipynb``."""

    notebook: Path
    proc: subprocess.Popen[bytes]
    port: int
    workdir: Path
    log_path: Path
    env: dict[str, str] = field(repr=False)
    _log_file: Any = field(default=None, repr=False)

    def url(self, **query: str) -> str:
        """The app's page, with ``query`` as its query string (e.g. ``account=...``)."""
        q = urllib.parse.urlencode(query)
        return f"{self.origin}/" + (f"?{q}" if q else "")

    def answers(self, timeout: float) -> bool:
        """Whether the server answers HTTP at all (any status: it is listening and serving).

        Asks for a static file, never for ``/``: that page would start a kernel.
        """
        try:
            with urllib.request.urlopen(f"{self.origin}/voila/static/voila.js", timeout=timeout):
                return True
        except urllib.error.HTTPError:
            return True
        except (OSError, urllib.error.URLError):
            return False


def voila_env(workdir: Path, extra_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment that keeps Voilà and its kernels away from the user's Jupyter setup.

    The kernels inherit it: ``PYTHONPATH`` (the repository) and ``extra_env`` (e.g. the sandbox's
    ``CYCLR_*`` variables) included. Voilà's templates and the widget extensions stay found:
    they live under ``sys.prefix/share/jupyter``, which Jupyter always searches.
    """
    dirs = {
        "JUPYTER_CONFIG_DIR": workdir / "jupyter-config",
        "JUPYTER_DATA_DIR": workdir / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": workdir / "jupyter-runtime",
        "IPYTHONDIR": workdir / "ipython",
    }
    # No stray CYCLR_* of the caller: the app must see exactly what the test passes.
    return isolated_env(dirs, ("JUPYTER", "IPYTHON", "VOILA", "CYCLR_"), extra_env)


def start_voila(
    notebook: Path,
    workdir: Path,
    extra_env: Mapping[str, str] | None = None,
    startup_timeout: float = 180.0,
) -> VoilaServer:
    """Serve ``notebook`` with Voilà on a free loopback port; wait until it answers.

    A process that exits first fails at once with its log; ``startup_timeout`` is a hang guard
    only. No ``--allow-root`` is needed (Voilà, unlike Jupyter Server, does not refuse root).
    """
    workdir.mkdir(parents=True, exist_ok=True)
    env = voila_env(workdir, extra_env)
    port = free_port()
    cmd = [
        voila_executable(),
        str(notebook),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",  # never silently move to another port
        # Voilà's default, spelled out: the app promises a customer no traceback.
        "--VoilaConfiguration.show_tracebacks=False",
    ]
    log_path = workdir / "voila.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        cmd,
        cwd=str(notebook.parent),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = VoilaServer(notebook, proc, port, workdir, log_path, env, log_file)
    deadline = time.monotonic() + startup_timeout
    while True:
        if proc.poll() is not None:
            server.stop()
            raise RuntimeError(
                f"voila exited with {proc.returncode} before it was ready:\n"
                + server.log_text()[-4000:]
            )
        # A refused connection fails at once; a slow answer is waited for.
        if server.answers(timeout=max(1.0, deadline - time.monotonic())):
            return server
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"voila not ready after {startup_timeout}s:\n" + server.log_text()[-4000:]
            )
        time.sleep(0.2)


# --- page helpers (Playwright sync API; ``page`` is a playwright.sync_api.Page) -----------------


def open_app(
    page: Any,
    server: VoilaServer,
    ready_selector: str,
    timeout_ms: int = FIRST_RENDER_MS,
    **query: str,
) -> None:
    """Open the app page (with ``query``) and wait until ``ready_selector`` is visible.

    Voilà streams the page while the kernel runs the cells, then the widget manager renders
    the widgets: an element of the app's own output is the only reliable "ready".
    """
    page.goto(server.url(**query), timeout=timeout_ms)
    page.locator(ready_selector).first.wait_for(timeout=timeout_ms)
