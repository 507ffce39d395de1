"""Shared helpers for the benchmark scripts: timing, a sandbox in its own process, a raw token.

The sandbox runs out of process (``cyclr-widgets sandbox --json``) so that its event loop does
not compete with the client for this interpreter's GIL: an in-process sandbox made the async
client look 2.5x slower than the latency limit, which measured the GIL, not the client.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO_ROOT = Path(__file__).resolve().parents[1]
# The scripts run as `python bench/<script>.py`, which puts bench/ on sys.path; the code they share
# with the tests (harness/) is imported from the repository root.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(1, str(REPO_ROOT))


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` once and return (seconds, result)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def median_of(n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` ``n`` times; return the median time and the last result."""
    times, result = [], None
    for _ in range(n):
        t, result = timed(fn)
        times.append(t)
    return statistics.median(times), result


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank; with 20 samples p95 is the 19th value)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def fmt_ms(seconds: float) -> str:
    """Seconds as a short millisecond string."""
    return f"{seconds * 1000:,.0f} ms"


@dataclass(frozen=True)
class SandboxInfo:
    """What ``cyclr-widgets sandbox --json`` prints: the three URLs and the credentials."""

    api_url: str
    service_url: str
    provider_url: str
    client_id: str
    client_secret: str
    account_id: str

    @property
    def environ(self) -> dict[str, str]:
        """``CYCLR_*`` variables for ``CyclrClient.from_env`` (and a notebook kernel)."""
        return {
            "CYCLR_CLIENT_ID": self.client_id,
            "CYCLR_CLIENT_SECRET": self.client_secret,
            "CYCLR_API_URL": self.api_url,
            "CYCLR_SERVICE_URL": self.service_url,
        }


@contextlib.contextmanager
def sandbox_process(startup_timeout: float = 120.0, **options: Any) -> Iterator[SandboxInfo]:
    """Run ``cyclr-widgets sandbox --json`` with ``options`` (``latency_ms=50`` becomes
    ``--latency-ms 50``); yield its URLs; always stop it with SIGINT (then kill) on exit."""
    cmd = [sys.executable, "-m", "cyclr_widgets", "sandbox", "--json"]
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            cmd.append(flag)
        elif value is not False and value is not None:
            cmd += [flag, str(value)]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        info = _read_info(proc, startup_timeout)
        yield info
    finally:
        _stop(proc)


def _read_info(proc: subprocess.Popen[str], timeout: float) -> SandboxInfo:
    # A big seed (5,000 connectors) takes a few seconds; readline blocks, so bound it with a
    # timer that kills the child (a hung start must not hang the bench).
    import threading

    timer = threading.Timer(timeout, proc.kill)
    timer.start()
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
    finally:
        timer.cancel()
    if not line:
        err = proc.stderr.read() if proc.stderr else ""
        raise RuntimeError(f"the sandbox did not start (exit {proc.poll()}): {err[-2000:]}")
    return SandboxInfo(
        **{k: v for k, v in json.loads(line).items() if k in SandboxInfo.__dataclass_fields__}
    )


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)  # the CLI's clean stop
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def raw_token(api_url: str, client_id: str, client_secret: str) -> str:
    """Fetch an access token the way a hand-written script would (retrying injected faults)."""
    last = None
    for _ in range(20):
        r = httpx.post(
            f"{api_url}/oauth/token",
            data={
                "grant_type": "client_credentials",
                "client_id": client_id,
                "client_secret": client_secret,
            },
            timeout=30,
        )
        if r.status_code == 200:
            return str(r.json()["access_token"])
        last = r.status_code
    raise RuntimeError(f"no token: {last}")


def load_note() -> str:
    """The 1-minute load average against the core count: these benches share a small machine,
    and a busy moment (another test suite, a browser) shows in every figure."""
    one, _, _ = os.getloadavg()
    return f"load average {one:.2f} on {os.cpu_count()} cores"
