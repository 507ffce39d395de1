"""Shared helpers for the benchmark scripts: timing, the sandbox and a raw token."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` once and return (seconds, result)."""
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def best_of(n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``fn`` ``n`` times; return the median time and the last result."""
    times, result = [], None
    for _ in range(n):
        t, result = timed(fn)
        times.append(t)
    return statistics.median(times), result


def raw_token(api_url: str, client_id: str, client_secret: str) -> str:
    """Fetch an access token the way a hand-written script would (retrying injected faults)."""
    for _ in range(20):
        r = httpx.post(
            f"{api_url}/oauth/token",
            data={"grant_type": "client_credentials", "client_id": client_id,
                  "client_secret": client_secret},
        )
        if r.status_code == 200:
            return r.json()["access_token"]
    raise RuntimeError(f"no token: {r.status_code}")


def fmt_ms(seconds: float) -> str:
    """Seconds as a short millisecond string."""
    return f"{seconds * 1000:,.0f} ms"
