"""Helpers to serve marimo apps headless and drive them with Playwright.

Used by the marimo browser tests (``tests/browser/test_marimo*.py``). The chromium launch, the
free-port helper and the hang guards are shared with ``harness/jupyter.py``; Playwright itself is
only imported by the callers.

Two ways to serve a notebook file, both on 127.0.0.1 only, without a token:

- ``marimo run APP.py`` (``mode="run"``): the app view. Every page load is a new session whose
  cells all run at once; the kernel is a thread of the server process.
- ``marimo edit APP.py`` (``mode="edit"``): the editor. Cells start stale (marimo's default
  ``runtime.auto_instantiate = false``) and :func:`run_stale_cells` runs them; the kernel is a
  process of its own, in a session of its own, which :meth:`MarimoServer.stop` reaps as well.

marimo renders an anywidget (``mo.ui.anywidget(w)``) inside an open shadow root: Playwright's CSS
locators pierce it, ``document.querySelector`` does not.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
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
    "MODES",
    "STEP_MS",
    "MarimoServer",
    "cell",
    "marimo_version",
    "open_app",
    "output",
    "run_stale_cells",
    "start_marimo",
    "wait_cells_idle",
    "write_app",
    "write_user_config",
]

MODES = ("run", "edit")

# The editor's "run all stale cells" button (bottom right). It can be enabled before the kernel
# is up: wait for the cells first, which the page only gets from the kernel's "kernel-ready"
# message (the notebook's cells travel in it).
RUN_STALE_BUTTON = '[data-testid="chrome-controls-bottom-right"] [data-testid="run-button"]'
# Every cell has run and none is queued or running (edit mode shows a status per cell).
CELLS_IDLE_JS = """() => {
  const cells = Array.from(document.querySelectorAll('.marimo-cell'));
  return cells.length > 0 && cells.every((c) => {
    if (c.classList.contains('needs-run')) return false;
    const s = c.querySelector('[data-testid="cell-status"]');
    return !s || s.dataset.status === 'idle';
  });
}"""


def marimo_version() -> str:
    """The installed marimo's version, without importing marimo into the test process."""
    from importlib.metadata import version

    return version("marimo")


def marimo_executable() -> str:
    """The ``marimo`` command of the running interpreter's environment (the venv)."""
    exe = Path(sys.executable).with_name("marimo")
    return str(exe) if exe.exists() else "marimo"


# --- the notebook file ------------------------------------------------------------------------


def write_app(path: Path, cells: Sequence[str], width: str = "medium") -> Path:
    """Write a marimo notebook of code cells, in marimo's own file format.

    Each cell becomes an ``@app.cell`` function with no parameters and a bare ``return``: marimo
    works out what a cell defines and reads from the code itself (``marimo check`` accepts the
    file as it is), so the helper does not have to. A cell's last expression is its output, as
    in a notebook. Names starting with ``_`` are private to their cell (marimo's rule), and every
    other name may be defined by one cell only.

    Raises ``SyntaxError`` for a cell that does not parse, before any server is started.
    """
    parts = [
        "import marimo",
        "",
        f"__generated_with = {json.dumps(marimo_version())}",
        f"app = marimo.App(width={json.dumps(width)})",
        "",
    ]
    for i, source in enumerate(cells):
        code = textwrap.dedent(source).strip("\n")
        ast.parse(code, filename=f"{path.name} (cell {i})")
        body = textwrap.indent(code, "    ") if code.strip() else "    pass"
        parts += ["", "@app.cell", "def _():", body, "    return", ""]
    parts += ["", 'if __name__ == "__main__":', "    app.run()", ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts))
    return path


# --- the server -------------------------------------------------------------------------------


@dataclass
class MarimoServer(ServerProcess):
    """A running ``marimo run`` / ``marimo edit`` on one notebook file."""

    mode: str
    app_path: Path
    proc: subprocess.Popen[bytes]
    port: int
    workdir: Path
    log_path: Path
    env: dict[str, str] = field(repr=False)
    _log_file: Any = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The page that shows the notebook (the server serves exactly one file)."""
        return f"{self.origin}/"

    def get(self, path: str, timeout: float = 60.0) -> tuple[int, bytes]:
        with urllib.request.urlopen(f"{self.origin}/{path.lstrip('/')}", timeout=timeout) as r:
            return int(r.status), r.read()


def marimo_env(workdir: Path, extra_env: Mapping[str, str] | None = None) -> dict[str, str]:
    """An environment that keeps marimo away from the user's setup and from the network.

    marimo reads ``.marimo.toml`` from the working directory upwards and from the home
    directory, and ``$XDG_CONFIG_HOME/marimo/marimo.toml``; all of these point into ``workdir``
    here. The kernel inherits this environment, ``PYTHONPATH`` (the repository) and
    ``extra_env`` included (e.g. the sandbox's ``CYCLR_*`` variables).
    """
    dirs = {
        "HOME": workdir / "home",
        "XDG_CONFIG_HOME": workdir / "xdg-config",
        "XDG_CACHE_HOME": workdir / "xdg-cache",
        "XDG_STATE_HOME": workdir / "xdg-state",
    }
    # `marimo edit` would ask PyPI otherwise
    extra = {"MARIMO_SKIP_UPDATE_CHECK": "1", **(extra_env or {})}
    return isolated_env(dirs, ("MARIMO_", "XDG_"), extra)


def write_user_config(env: Mapping[str, str], config: Mapping[str, Mapping[str, Any]]) -> Path:
    """Write marimo's user config (``$XDG_CONFIG_HOME/marimo/marimo.toml``) for ``env``.

    ``config`` maps a section to its keys, e.g. ``{"display": {"theme": "dark"}}`` (the only
    way to get marimo's dark theme in ``marimo run`` as well as ``marimo edit``). Values are
    strings, booleans or numbers, written as TOML with ``json.dumps`` (valid TOML for these).
    """
    path = Path(env["XDG_CONFIG_HOME"]) / "marimo" / "marimo.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    for section, values in config.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
        lines.append("")
    path.write_text("\n".join(lines))
    return path


def start_marimo(
    app_path: Path,
    workdir: Path,
    mode: str = "run",
    extra_env: Mapping[str, str] | None = None,
    startup_timeout: float = 180.0,
    user_config: Mapping[str, Mapping[str, Any]] | None = None,
) -> MarimoServer:
    """Serve ``app_path`` with ``marimo <mode>`` on a free loopback port; wait until it answers.

    Readiness is ``GET /health`` answering 200 ``{"status": "healthy"}``; a process that exits
    first fails at once with its log. ``startup_timeout`` is a hang guard only.
    ``user_config`` is written as marimo's user config first (:func:`write_user_config`).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
    workdir.mkdir(parents=True, exist_ok=True)
    env = marimo_env(workdir, extra_env)
    if user_config:
        write_user_config(env, user_config)
    port = free_port()
    cmd = [
        marimo_executable(),
        mode,
        str(app_path),
        "--headless",  # no browser of its own
        "--host=127.0.0.1",
        f"--port={port}",
        "--no-token",  # nothing but loopback can reach it
        "--no-sandbox",  # never offer a uv sandbox (it would prompt, or install)
    ]
    if mode == "edit":
        cmd.append("--skip-update-check")
    log_path = workdir / f"marimo-{mode}.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        cmd,
        cwd=str(app_path.parent),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = MarimoServer(mode, app_path, proc, port, workdir, log_path, env, log_file)
    deadline = time.monotonic() + startup_timeout
    while True:
        if proc.poll() is not None:
            server.stop()
            raise RuntimeError(
                f"marimo {mode} exited with {proc.returncode} before it was ready:\n"
                + server.log_text()[-4000:]
            )
        try:
            # A refused connection fails at once; a slow answer is waited for.
            status, body = server.get("health", timeout=max(1.0, deadline - time.monotonic()))
            if status == 200 and json.loads(body).get("status") == "healthy":
                return server
        except (OSError, urllib.error.URLError, ValueError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"marimo {mode} not ready after {startup_timeout}s:\n" + server.log_text()[-4000:]
            )
        time.sleep(0.2)


# --- page helpers (Playwright sync API; ``page`` is a playwright.sync_api.Page) -----------------


def cell(page: Any, i: int) -> Any:
    """Cell ``i`` (in file order) of the notebook shown in ``page``."""
    return page.locator(".marimo-cell").nth(i)


def output(page: Any, i: int) -> Any:
    """The output area of cell ``i`` (in edit mode the cell also shows its code)."""
    return cell(page, i).locator(".output-area")


def open_app(page: Any, server: MarimoServer, timeout_ms: int = FIRST_RENDER_MS) -> None:
    """Open the notebook and get its cells run.

    Both modes put the cells into the page only once the kernel sent ``kernel-ready`` (the
    cells travel in it), so cells in the DOM mean a live kernel. Run mode runs every cell by
    itself on page load: this returns once the cells are in the page (wait on an element of the
    expected output next). Edit mode then runs the stale cells (:func:`run_stale_cells`).
    """
    page.goto(server.url, timeout=timeout_ms)
    # attached, not visible: a cell without output (e.g. `import marimo as mo`) has no box.
    page.locator(".marimo-cell").first.wait_for(state="attached", timeout=timeout_ms)
    if server.mode == "edit":
        run_stale_cells(page, timeout_ms=timeout_ms)


def run_stale_cells(page: Any, timeout_ms: int = STEP_MS) -> None:
    """Edit mode: press "run all stale cells" and wait until every cell ran.

    Call it once the cells are in the page (:func:`open_app` does), i.e. the kernel is ready.
    """
    button = page.locator(f"{RUN_STALE_BUTTON}:enabled")
    button.wait_for(timeout=timeout_ms)
    button.click()
    wait_cells_idle(page, timeout_ms=timeout_ms)


def wait_cells_idle(page: Any, timeout_ms: int = STEP_MS) -> None:
    """Edit mode: wait until no cell is stale, queued or running."""
    page.wait_for_function(CELLS_IDLE_JS, polling=100, timeout=timeout_ms)
