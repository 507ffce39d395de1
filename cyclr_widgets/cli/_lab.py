"""``cyclr-widgets lab``: JupyterLab on the tutorials, wired to a local sandbox.

Starts a :class:`~cyclr_widgets.sandbox.Sandbox` in this process and JupyterLab as a child
process on 127.0.0.1, with the sandbox's ``CYCLR_*`` variables in JupyterLab's environment, so
that ``CyclrClient.from_env()`` in any notebook kernel reaches the sandbox. JupyterLab opens on
the quickstart tutorial, without its "get notified about official Jupyter news?" prompt (a
first-time user's first sight should be the tutorial, not a privacy question about a feed the
demo never fetches). Prints the URL (with its token) and, on Ctrl-C (or SIGTERM/SIGHUP), stops
JupyterLab, its kernels and the sandbox and exits 0.

This is what ``bash scripts/demo.sh`` runs after preparing the virtual environment; it can also
be started as ``python -m cyclr_widgets lab``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import Any

from ._procs import stop_tree

__all__ = ["add_arguments", "main"]

QUICKSTART = "01_quickstart.ipynb"
# JupyterLab's announcements plugin asks every new user whether to fetch Jupyter's news feed
# (a toast shown while the setting `fetchNews` is "none"; `--LabApp.news_url=None` stops the fetch
# but not the question). The demo disables the plugin through a page config in a folder of its
# own on JUPYTER_CONFIG_PATH: the user's own settings and config files are neither read for it
# nor written.
ANNOUNCEMENTS_PLUGIN = "@jupyterlab/apputils-extension:announcements"
HOST = "127.0.0.1"  # loopback only: the demo serves a token-protected Jupyter and a fake Cyclr
STARTUP_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 60.0  # hang guards only: a clean stop ends as soon as the processes exit
REAP_TIMEOUT_S = 30.0


class _Stop(Exception):
    """Raised from a signal handler to unwind ``main`` into its cleanup."""


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Declare the options of ``cyclr-widgets lab`` on ``p`` (called by ``_main.py``).

    Parameters
    ----------
    p
        The ``lab`` sub-parser, or a fresh parser when this module runs as a script.
    """
    p.add_argument("--port", type=int, default=0, help="JupyterLab port (default: a free one)")
    p.add_argument("--token", default=None, help="JupyterLab token (default: a random one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser on the URL")
    p.add_argument(
        "--notebook-dir",
        type=Path,
        default=None,
        help="folder JupyterLab opens (default: ./notebooks, else the checkout's notebooks/)",
    )
    p.add_argument(
        "--sandbox-db",
        default=None,
        help="SQLite file that keeps the sandbox state across runs (default: in memory)",
    )
    p.add_argument(
        "--verbose", action="store_true", help="show JupyterLab's log here instead of in a file"
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cyclr-widgets lab",
        description="Run the tutorials in JupyterLab against the embedded Cyclr sandbox.",
    )
    add_arguments(p)
    return p


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _checkout_root() -> Path | None:
    """The source checkout this package runs from, if any (an editable or PYTHONPATH run)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() else None


def _notebook_dir(requested: Path | None) -> Path:
    if requested is not None:
        return requested.resolve()
    candidates = [Path.cwd() / "notebooks"]
    root = _checkout_root()
    if root is not None:
        candidates.append(root / "notebooks")
    for c in candidates:
        if c.is_dir():
            return c.resolve()
    return Path.cwd().resolve()


def _write_lab_config(config_dir: Path) -> Path:
    """Write the demo's page config (the announcements plugin disabled) under ``config_dir``."""
    labconfig = config_dir / "labconfig"
    labconfig.mkdir(parents=True, exist_ok=True)
    page_config = {"disabledExtensions": {ANNOUNCEMENTS_PLUGIN: True}}
    (labconfig / "page_config.json").write_text(json.dumps(page_config, indent=1))
    return config_dir


def _jupyter_env(sandbox_environ: dict[str, str], config_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(sandbox_environ)
    if config_dir is not None:
        # First on the path: Jupyter merges these folders, the first one winning.
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            p for p in (str(config_dir), env.get("JUPYTER_CONFIG_PATH")) if p
        )
    # A kernel started from a plain checkout (no editable install) must still import the package.
    root = _checkout_root()
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    return env


def _jupyter_command(port: int, token: str, root_dir: Path) -> list[str]:
    cmd = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",  # the launcher opens the browser itself, once the URL is known to work
        f"--ip={HOST}",
        f"--port={port}",
        # Fail instead of silently moving to port+1: the printed URL must be the real one.
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        # Keep the demo's traffic on loopback: no news feed, update check or PyPI extension manager.
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # Jupyter refuses to start as root without it
    return cmd


def _wait_ready(proc: subprocess.Popen[bytes], status_url: str, token: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    req = urllib.request.Request(status_url, headers={"Authorization": f"token {token}"})
    while True:
        if proc.poll() is not None:
            msg = f"JupyterLab exited with code {proc.returncode} during start-up"
            raise RuntimeError(msg)
        try:
            # A refused connection fails at once; a slow answer is waited for (up to the
            # overall deadline), not abandoned after a fixed few seconds and retried.
            remaining = max(1.0, deadline - time.monotonic())
            with urllib.request.urlopen(req, timeout=remaining) as resp:
                if resp.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            msg = f"JupyterLab did not answer {status_url} within {STARTUP_TIMEOUT_S:.0f} s"
            raise RuntimeError(msg)
        time.sleep(0.2)


@contextlib.contextmanager
def _signals_stop() -> Iterator[None]:
    """Turn SIGINT/SIGTERM/SIGHUP into :class:`_Stop` while the demo runs."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise _Stop(signal.Signals(signum).name)

    wanted = [signal.SIGINT, signal.SIGTERM]
    if hasattr(signal, "SIGHUP"):
        wanted.append(signal.SIGHUP)
    old = {s: signal.signal(s, handler) for s in wanted}
    try:
        yield
    finally:
        for s, h in old.items():
            signal.signal(s, h)


def _start_page(base: str, token: str, root_dir: Path) -> str:
    """The URL to open: the quickstart tutorial when the folder has it, else Lab's file browser."""
    path = f"lab/tree/{QUICKSTART}" if (root_dir / QUICKSTART).is_file() else "lab"
    return f"{base}{path}?token={token}"


def _can_open_browser() -> bool:
    # On a headless Linux box webbrowser may start a text browser or fail noisily.
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _banner(url: str, sandbox: Any, root_dir: Path, log_path: Path | None) -> str:
    lines = [
        "",
        "=" * 78,
        "  cyclr-widgets demo is running",
        "",
        "  Open JupyterLab:",
        f"      {url}",
        "",
        f"  Tutorials:    {root_dir}",
        f"  Sandbox API:  {sandbox.api_url}   (service {sandbox.service_url})",
        "  Notebooks reach it with CyclrClient.from_env() (CYCLR_* variables are set).",
    ]
    if log_path is not None:
        lines.append(f"  JupyterLab log: {log_path}")
    lines += ["", "  Press Ctrl-C to stop JupyterLab, its kernels and the sandbox.", "=" * 78, ""]
    return "\n".join(lines)


def main(args: argparse.Namespace | Sequence[str] | None = None) -> int:
    """Run the demo until interrupted.

    Parameters
    ----------
    args
        The options parsed by ``cyclr-widgets lab`` (a namespace from :func:`add_arguments`),
        or command-line arguments after ``lab`` (``None`` reads ``sys.argv[1:]``); see
        ``cyclr-widgets lab --help``.

    Returns
    -------
    int
        The exit code: 0 after a Ctrl-C (or SIGTERM/SIGHUP) stop, non-zero if JupyterLab could
        not start or stopped on its own.
    """
    opts = args if isinstance(args, argparse.Namespace) else _parser().parse_args(args)
    # Imported here so that `cyclr-widgets lab --help` stays fast.
    from ..sandbox import Sandbox

    root_dir = _notebook_dir(opts.notebook_dir)
    port = opts.port or _free_port()
    token = opts.token or secrets.token_urlsafe(24)
    base = f"http://{HOST}:{port}/"
    url = _start_page(base, token, root_dir)

    log_dir = Path(tempfile.mkdtemp(prefix="cyclr-widgets-lab-"))
    log_path = None if opts.verbose else log_dir / "jupyterlab.log"
    sandbox = Sandbox(db=opts.sandbox_db)
    proc: subprocess.Popen[bytes] | None = None
    code = 0
    with _signals_stop():
        try:
            sandbox.start()
            out: Any = None if log_path is None else log_path.open("wb")
            try:
                proc = subprocess.Popen(
                    _jupyter_command(port, token, root_dir),
                    env=_jupyter_env(sandbox.environ, _write_lab_config(log_dir / "config")),
                    cwd=str(root_dir),
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=None if out is None else subprocess.STDOUT,
                    # Own session: a terminal Ctrl-C reaches only this launcher, which then stops
                    # Jupyter with SIGTERM (no "Shutdown this Jupyter server (y/[n])?" prompt).
                    start_new_session=True,
                )
            finally:
                if out is not None:
                    out.close()  # the child holds its own copy of the descriptor
            _wait_ready(proc, f"{base}api/status", token)
            print(_banner(url, sandbox, root_dir, log_path), flush=True)
            if not opts.no_browser and _can_open_browser():
                with contextlib.suppress(Exception):
                    webbrowser.open(url)
            code = proc.wait()
            print(f"JupyterLab stopped on its own (exit code {code}).", file=sys.stderr)
            code = code or 1
        except _Stop:
            print("\nStopping JupyterLab, its kernels and the sandbox...", flush=True)
        except RuntimeError as exc:
            print(f"cyclr-widgets lab: {exc}", file=sys.stderr)
            if log_path is not None and log_path.exists():
                tail = log_path.read_text(errors="replace")[-3000:]
                print(f"--- last lines of {log_path} ---\n{tail}", file=sys.stderr)
            code = 1
        finally:
            # A second Ctrl-C (or a SIGTERM) during the cleanup must not leave half of it undone;
            # stop_tree() bounds the wait and kills what does not stop.
            for sig in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)):
                if sig is not None:
                    signal.signal(sig, signal.SIG_IGN)
            if proc is not None:
                stop_tree(proc, STOP_TIMEOUT_S, REAP_TIMEOUT_S)
            sandbox.stop()
    if code == 0:
        # Keep the log only when something went wrong.
        shutil.rmtree(log_dir, ignore_errors=True)
        print("Stopped.", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
