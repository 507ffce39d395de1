"""Helpers to run JupyterLab 4 / Notebook 7 headless and drive them with Playwright.

Used by the browser tests (``tests/browser/``) and the browser benchmarks (``bench/_browser.py``).
Comments below say which pitfall of driving Jupyter a line guards against. Playwright is only
imported by the callers; this module needs nbformat and, to stop a server, psutil.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from cyclr_widgets.cli._procs import stop_tree

REPO_ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}

# Hang guards, not speed expectations: every wait ends on a readiness signal, and these
# only bound how long a stuck run takes to fail. CI machines are shared and can be very slow.
FIRST_RENDER_MS = 120_000  # a first render of JupyterLab: nothing measured came close
STEP_MS = 120_000

# Combined kernel readiness predicate: the execution indicator alone says "idle" while the
# toolbar still says "No Kernel", and a Shift+Enter at that point can be silently dropped.
KERNEL_READY_JS = """() => {
  const name = document.querySelector('.jp-NotebookPanel .jp-Toolbar-kernelName');
  const ind = document.querySelector('.jp-NotebookPanel .jp-Notebook-ExecutionIndicator');
  const text = name ? name.textContent.trim() : '';
  return !!text && text !== 'No Kernel' && !!ind && ind.dataset.status === 'idle';
}"""

# An init script recording the URL of every window.open call of a page (and of its popups), so a
# test can check that a widget opened "about:blank" synchronously in the click (the only order
# the popup blocker lets through); reading popup.url instead races with the widget's own
# navigation of the popup once the kernel answered.
RECORD_OPENS = """
(() => {
  const open = window.open;
  window.__cyclrOpens = [];
  window.open = function (url, ...rest) {
    window.__cyclrOpens.push(String(url));
    return open.call(this, url, ...rest);
  };
})();
"""
# An init script making every popup "blocked" (as VS Code's webviews and Colab do).
BLOCK_POPUPS = "window.open = function () { return null; };"

_EXEC_COUNT = re.compile(r"\[\d+\]")


def chromium_executable() -> str:
    """The Chromium binary to drive: $CYCLR_CHROMIUM or Debian's /usr/bin/chromium."""
    return os.environ.get("CYCLR_CHROMIUM") or "/usr/bin/chromium"


def launch_chromium(playwright: Any) -> Any:
    """Launch headless Debian chromium through Playwright, with the popup blocker left ON."""
    return playwright.chromium.launch(
        executable_path=chromium_executable(),
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--disable-sync",
        ],
        # Playwright adds --disable-popup-blocking by default; the tests must see
        # Chromium's real popup blocker.
        ignore_default_args=["--disable-popup-blocking"],
    )


def free_port() -> int:
    """A loopback port that was free a moment ago (the server runs with port_retries=0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class ServerSpec:
    """What Jupyter server to start: the front end and a few options.

    Used as the indirect parameter of the ``jupyter_server`` fixture (a bare ``"lab"`` or
    ``"notebook"`` string works too).
    """

    app: str = "lab"  # "lab" or "notebook"
    base_url: str = "/"
    save_widget_state: bool = False
    # A JupyterLab theme by name ("JupyterLab Dark"), written to the user settings; None keeps
    # the default (JupyterLab Light).
    theme: str | None = None

    @property
    def id(self) -> str:
        parts = [self.app]
        if self.base_url != "/":
            parts.append("base_url")
        if self.save_widget_state:
            parts.append("savestate")
        if self.theme:
            parts.append(self.theme.lower().replace(" ", "_"))
        return "-".join(parts)


def isolated_env(
    dirs: Mapping[str, Path], drop: tuple[str, ...], extra_env: Mapping[str, str] | None
) -> dict[str, str]:
    """This process's environment for a server, kept away from the user's own setup.

    Makes ``dirs`` (variable -> folder) and points the variables at them, drops the variables
    starting with a prefix in ``drop``, and puts the repository first on ``PYTHONPATH``: the
    kernels inherit the server's environment, so the repo is importable even without an editable
    install. ``extra_env`` (e.g. the sandbox's ``CYCLR_*`` variables) comes last and wins.
    """
    for d in dirs.values():
        d.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    env.update({k: str(v) for k, v in dirs.items()})
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    env.update(extra_env or {})
    return env


def as_spec(param: ServerSpec | str | None) -> ServerSpec:
    if param is None:
        return ServerSpec()
    if isinstance(param, str):
        return ServerSpec(app=param)
    return param


class ServerProcess:
    """What every server the harness starts shares: its log, and a stop that leaves nothing.

    Subclasses are dataclasses with ``proc``, ``port``, ``log_path`` and ``_log_file`` fields.
    """

    proc: subprocess.Popen[bytes]
    port: int
    log_path: Path
    _log_file: Any

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after the hang guard; then reap the tree (kernels included)."""
        # SIGTERM makes jupyter_server shut its kernels down cleanly (exit code 0) and marimo
        # edit its kernel process; the timeouts are hang guards only.
        stop_tree(self.proc, stop_timeout=60.0, reap_timeout=30.0)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None


@dataclass
class JupyterServer(ServerProcess):
    """A running ``jupyter lab`` / ``jupyter notebook`` with its isolated directories."""

    spec: ServerSpec
    proc: subprocess.Popen[bytes]
    port: int
    token: str
    workdir: Path
    root_dir: Path
    log_path: Path
    env: dict[str, str] = field(repr=False)
    _log_file: Any = field(default=None, repr=False)

    @property
    def app(self) -> str:
        return self.spec.app

    @property
    def base(self) -> str:
        """Absolute URL of the server's base_url, ending with a slash."""
        return f"http://127.0.0.1:{self.port}{self.spec.base_url}"

    def url(self, path: str, **query: str) -> str:
        q = urllib.parse.urlencode({**query, "token": self.token})
        return f"{self.base}{path.lstrip('/')}?{q}"

    def notebook_url(self, name: str, workspace: str | None = None) -> str:
        """URL that opens notebook ``name``; in Lab, optionally in its own named workspace.

        A module-scoped Lab server remembers open tabs in its "default" workspace: the
        next test would find the previous notebooks restored next to its own. A fresh workspace
        per notebook keeps exactly one notebook panel in the page.
        """
        quoted = urllib.parse.quote(name)
        if self.app == "lab":
            if workspace:
                return self.url(f"lab/workspaces/{urllib.parse.quote(workspace)}/tree/{quoted}")
            return self.url(f"lab/tree/{quoted}")
        return self.url(f"notebooks/{quoted}")

    # --- REST helpers ---------------------------------------------------------------------
    def api(self, method: str, path: str, body: Any = None, timeout: float = 60) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.base}{path.lstrip('/')}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
        return json.loads(raw) if raw else None

    def shutdown_sessions(self, notebook_name: str | None = None) -> None:
        """Shut down the kernels of one notebook (or all), so a module-scoped server stays lean."""
        try:
            sessions = self.api("GET", "api/sessions")
        except (OSError, urllib.error.URLError):
            return
        for s in sessions:
            if notebook_name is None or s.get("path") == notebook_name:
                with contextlib.suppress(OSError, urllib.error.URLError):
                    self.api("DELETE", f"api/sessions/{s['id']}")


def write_user_settings(settings_dir: Path, spec: ServerSpec) -> None:
    """Write user settings: a quiet, deterministic UI (no news, no update check, no pop-up
    notifications), optionally saving widget state and choosing a theme."""
    files: dict[str, dict[str, Any]] = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
            "doNotDisturbMode": True,
        },
    }
    if spec.save_widget_state:
        files["@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings"] = {
            "saveState": True
        }
    if spec.theme:
        files["@jupyterlab/apputils-extension/themes.jupyterlab-settings"] = {"theme": spec.theme}
    for rel, content in files.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content))


def start_server(
    spec: ServerSpec,
    workdir: Path,
    extra_env: Mapping[str, str] | None = None,
    startup_timeout: float = 180.0,
) -> JupyterServer:
    """Start Jupyter in ``workdir`` with an isolated environment and wait for ``/api/status``."""
    workdir.mkdir(parents=True, exist_ok=True)
    root_dir = workdir / "notebooks"
    root_dir.mkdir(exist_ok=True)
    dirs = {
        "JUPYTER_CONFIG_DIR": workdir / "jupyter-config",
        "JUPYTER_RUNTIME_DIR": workdir / "jupyter-runtime",
        "JUPYTERLAB_SETTINGS_DIR": workdir / "user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": workdir / "workspaces",
        "IPYTHONDIR": workdir / "ipython",
    }
    env = isolated_env(dirs, ("JUPYTER", "IPYTHON"), extra_env)
    write_user_settings(dirs["JUPYTERLAB_SETTINGS_DIR"], spec)

    port = free_port()
    token = secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [
        str(jupyter) if jupyter.exists() else "jupyter",
        spec.app,
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",  # never silently move to another port
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        f"--ServerApp.base_url={spec.base_url}",
        "--allow-root",  # CI runs as root, and Jupyter refuses root without it
    ]
    if spec.app == "lab":
        cmd += [
            "--LabApp.news_url=None",  # no news feed fetched
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",  # no PyPI calls
        ]
    log_path = workdir / f"jupyter-{spec.app}.log"
    log_file = log_path.open("wb")
    proc = subprocess.Popen(
        cmd,
        cwd=str(root_dir),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    server = JupyterServer(
        spec=spec,
        proc=proc,
        port=port,
        token=token,
        workdir=workdir,
        root_dir=root_dir,
        log_path=log_path,
        env=env,
        _log_file=log_file,
    )
    deadline = time.monotonic() + startup_timeout
    while True:
        if proc.poll() is not None:
            server.stop()
            raise RuntimeError(
                f"jupyter {spec.app} exited with {proc.returncode} before it was ready:\n"
                + server.log_text()[-4000:]
            )
        try:
            # A refused connection fails at once; a slow answer is waited for (bounded by the
            # overall deadline), not abandoned and retried.
            server.api("GET", "api/status", timeout=max(1.0, deadline - time.monotonic()))
            return server
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(
                f"jupyter {spec.app} not ready after {startup_timeout}s:\n"
                + server.log_text()[-4000:]
            )
        time.sleep(0.2)


def write_notebook(path: Path, cells: Sequence[str]) -> Path:
    """Write a notebook of code cells WITH kernelspec metadata (so no "Select Kernel" dialog)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


# --- page helpers (Playwright sync API; ``page`` is a playwright.sync_api.Page) -----------------


def open_notebook(
    page: Any, server: JupyterServer, name: str, workspace: str | None = None
) -> None:
    """Open ``name`` (relative to the server root) and wait until its kernel is really ready."""
    page.goto(server.notebook_url(name, workspace), timeout=FIRST_RENDER_MS)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=FIRST_RENDER_MS)
    wait_kernel_ready(page)


def wait_kernel_ready(page: Any, timeout_ms: int = FIRST_RENDER_MS) -> None:
    page.wait_for_function(KERNEL_READY_JS, polling=100, timeout=timeout_ms)


def wait_focused(locator: Any, timeout_ms: int = STEP_MS) -> None:
    """Wait until ``locator`` has the keyboard focus.

    A wait, not a one-off check: the kernel's answers (icons, a selection's echo) may redraw a
    table just then, and the widget puts the focus back on the active row after each redraw.
    """
    from playwright.sync_api import expect  # the fast suite collects without Playwright

    expect(locator).to_be_focused(timeout=timeout_ms)


def cell(page: Any, i: int) -> Any:
    return page.locator(".jp-Notebook .jp-Cell").nth(i)


def prompt_text(page: Any, i: int) -> str:
    return (cell(page, i).locator(".jp-InputArea-prompt").inner_text() or "").strip()


def run_cell(page: Any, i: int, wait: bool = True, timeout_ms: int = STEP_MS) -> None:
    """Run cell ``i`` (Shift+Enter from command mode) and wait for its new ``[n]`` prompt.

    ``wait=False`` returns as soon as the cell is queued/running (``[*]``): for cells that block,
    e.g. ``popup.wait()``.
    """
    c = cell(page, i)
    c.scroll_into_view_if_needed()
    prompt = c.locator(".jp-InputArea-prompt")
    before = prompt_text(page, i)
    # Clicking the prompt selects the cell in command mode without focusing the editor.
    prompt.click()
    page.keyboard.press("Shift+Enter")
    if not wait:
        page.wait_for_function(
            """([el, before]) => el.textContent.trim() !== before""",
            arg=[prompt.element_handle(), before],
            polling=50,
            timeout=timeout_ms,
        )
        return
    wait_cell_done(page, i, before=before, timeout_ms=timeout_ms)


def wait_cell_done(page: Any, i: int, before: str = "", timeout_ms: int = STEP_MS) -> str:
    """Wait until cell ``i`` shows an execution count ``[n]`` different from ``before``."""
    prompt = cell(page, i).locator(".jp-InputArea-prompt")
    page.wait_for_function(
        """([el, before]) => {
             const t = el.textContent.trim();
             return /\\[\\d+\\]/.test(t) && t !== before;
           }""",
        arg=[prompt.element_handle(), before],
        polling=100,
        timeout=timeout_ms,
    )
    return prompt_text(page, i)


def output_text(page: Any, i: int) -> str:
    """All output text of cell ``i``."""
    outs = cell(page, i).locator(".jp-OutputArea-output")
    return "\n".join(outs.all_inner_texts())


def wait_output(page: Any, i: int, pattern: str, timeout_ms: int = STEP_MS) -> str:
    """Wait until cell ``i`` has an output containing ``pattern`` and return all its output text."""
    cell(page, i).locator(".jp-OutputArea-output").filter(has_text=pattern).first.wait_for(
        timeout=timeout_ms
    )
    return output_text(page, i)


def save_notebook(
    page: Any,
    path: Path,
    expect: Callable[[dict[str, Any]], bool] | None = None,
    timeout: float = 120.0,
) -> dict[str, Any]:
    """Save the open notebook with Ctrl+S; return the saved notebook once it is on disk.

    Waits until the file was rewritten, parses as a notebook and satisfies ``expect(nb)`` (e.g.
    "holds the widget state"): waiting on the file, not on the dirty marker, because widget
    interactions do not dirty the notebook, so "not dirty" can be true before the save started.
    ``timeout`` is a hang guard only.
    """
    before = path.stat().st_mtime_ns
    # Command mode on the active notebook (clicking a prompt never enters an editor), then save.
    page.locator(".jp-NotebookPanel .jp-Cell .jp-InputArea-prompt").first.click()
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + timeout
    last: Any = None
    while True:
        try:
            if path.stat().st_mtime_ns != before:
                last = json.loads(path.read_text())
                if (
                    isinstance(last, dict)
                    and isinstance(last.get("cells"), list)
                    and isinstance(last.get("metadata"), dict)
                    and (expect is None or expect(last))
                ):
                    return last
        except (OSError, ValueError):
            pass  # not written yet, or caught mid-write
        if time.monotonic() > deadline:
            meta = last.get("metadata") if isinstance(last, dict) else None
            raise AssertionError(
                f"{path.name} was not saved as expected within {timeout}s; last metadata={meta!r}"
            )
        time.sleep(0.1)


def wait_json_file(path: Path, timeout: float = 120.0, predicate: Any = None) -> Any:
    """Poll a JSON file written by the kernel until it parses (and ``predicate(data)`` holds)."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = json.loads(path.read_text())
            if predicate is None or predicate(last):
                return last
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    msg = f"{path} not written (or predicate false) within {timeout}s; last={last!r}"
    raise AssertionError(msg)
