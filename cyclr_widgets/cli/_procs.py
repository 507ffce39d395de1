"""Stop a child process and every process it started: a Jupyter server and its kernels.

SIGTERM makes jupyter_server shut its kernels down cleanly. But jupyter_client starts each kernel
in a session of its own, so a kernel survives its server if the server has to be killed: the
process tree is recorded before the stop, and whatever is left of it is reaped afterwards.

Used by ``cyclr-widgets lab`` (:mod:`._lab`) and by the harness that starts Jupyter servers for
the browser tests and the benchmarks (``harness/jupyter.py``). ``psutil`` (installed with
ipykernel) finds the tree; without it only the child itself is stopped.
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Sequence
from typing import Any

__all__ = ["descendants", "reap", "stop_tree"]


def descendants(pid: int) -> list[Any]:
    """The ``psutil.Process`` objects under ``pid`` (empty without psutil or ``pid``)."""
    try:
        import psutil  # installed with ipykernel; optional for the launcher
    except ImportError:  # pragma: no cover
        return []
    try:
        return list(psutil.Process(pid).children(recursive=True))
    except psutil.Error:
        return []


def reap(procs: Sequence[Any], grace: float) -> None:
    """Terminate whatever of ``procs`` still runs; kill what is left after ``grace`` seconds."""
    if not procs:
        return
    import psutil

    alive = [p for p in procs if p.is_running()]
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, still = psutil.wait_procs(alive, timeout=grace)
    for p in still:
        with contextlib.suppress(psutil.Error):
            p.kill()


def stop_tree(
    proc: subprocess.Popen[Any], stop_timeout: float = 60.0, reap_timeout: float = 30.0
) -> None:
    """Stop ``proc`` (SIGTERM, then SIGKILL after ``stop_timeout``), then reap its process tree.

    The timeouts are hang guards only: a clean stop ends as soon as the processes exit.
    """
    tree = descendants(proc.pid)
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(stop_timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(stop_timeout)
    reap(tree, reap_timeout)
