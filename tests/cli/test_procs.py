"""``cli/_procs.py``: stopping a child and everything it started, as the lab launcher does.

The child stands in for a Jupyter server, its grandchild for a kernel: started in a session of
its own (as jupyter_client starts kernels), so a signal to the child alone never reaches it.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from cyclr_widgets.cli._procs import descendants, stop_tree

psutil = pytest.importorskip("psutil")

HANG_GUARD_S = 60.0

SERVER = """
import signal, subprocess, sys, time
if sys.argv[1] == "stubborn":
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
# An ignored signal stays ignored across exec: the "kernel" restores SIGTERM for itself.
KERNEL = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_DFL); time.sleep(600)"
kernel = subprocess.Popen([sys.executable, "-c", KERNEL], start_new_session=True)
print(kernel.pid, flush=True)
time.sleep(600)
"""


def _start(mode: str) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen([sys.executable, "-c", SERVER, mode], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    kernel_pid = int(proc.stdout.readline())  # printed once the "kernel" runs
    return proc, kernel_pid


def _gone(pid: int, within: float = HANG_GUARD_S) -> bool:
    """Whether ``pid`` ended (a zombie counts: its parent is gone), waiting up to ``within``."""
    deadline = time.monotonic() + within
    while True:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)


@pytest.mark.parametrize("mode", ["polite", "stubborn"])
def test_stop_tree_stops_the_child_and_reaps_its_own_session_children(mode: str) -> None:
    proc, kernel_pid = _start(mode)
    try:
        assert kernel_pid in {p.pid for p in descendants(proc.pid)}
        # A stubborn child ignores SIGTERM: it is killed after stop_timeout.
        stop_tree(proc, stop_timeout=0.5 if mode == "stubborn" else HANG_GUARD_S, reap_timeout=5)
        assert proc.poll() is not None
        assert _gone(kernel_pid)
    finally:
        if proc.poll() is None:
            proc.kill()
        if not _gone(kernel_pid, within=0):
            psutil.Process(kernel_pid).kill()
        proc.wait(HANG_GUARD_S)


def test_stop_tree_of_a_finished_process_is_a_no_op() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait(HANG_GUARD_S)
    stop_tree(proc)
    assert descendants(proc.pid) == []
