"""Resilience run at large sizes: the scenario of ``harness/resilience.py``, 2,000 accounts.

Faults: 50 ms latency, 3% 429 with ``Retry-After: 1``, 5% dropped connections (15% during the
installs; half of the dropped installs commit first) from the sandbox, and 20% of responses
turned into 503 by a transport wrapper (half after the server did the work). Prints what was
injected and what survived. The wall time is dominated by the injected faults (each 429 waits
its full second, each 503 a jittered backoff), not by the client: it is not a speed figure.

The sandbox runs in this process (its fault counters are read directly; timing is not the point).

Run: ``.venv/bin/python bench/bench_resilience.py`` (about 1-2 minutes).
"""

from __future__ import annotations

import logging
import time
from collections import Counter

from _common import REPO_ROOT  # noqa: F401 - importing _common puts the repository on sys.path

from cyclr_widgets.sandbox import Sandbox
from harness import resilience as scenario  # the code the test runs, here at large sizes
from harness.clock import FakeClock

ACCOUNTS, CONNECTORS, PAGE_SIZE, INSTALLS = 2000, 1000, 50, 30


class RetryCounter(logging.Handler):
    """Counts the client's retry warnings by cause instead of printing hundreds of lines."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.causes: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        # "GET /v1.0/accounts: 503; retry 1/12 in 0.4 s" -> "503"
        message = record.getMessage()
        if "; retry " in message:
            self.causes[message.split(": ", 1)[-1].split(";", 1)[0]] += 1


def main() -> None:
    retries = RetryCounter()
    log = logging.getLogger("cyclr_widgets")
    log.addHandler(retries)
    log.propagate = False
    clock = FakeClock()  # the token expires when the scenario moves it, not in real time
    with Sandbox(accounts=ACCOUNTS, connectors=CONNECTORS, seed=6, clock=clock) as sb:
        print(
            f"sandbox: {ACCOUNTS:,} accounts, {CONNECTORS:,} connectors, pageSize {PAGE_SIZE}; "
            f"faults {scenario.SANDBOX_FAULTS} + {scenario.RATE_503:.0%} 503 (wrapper); "
            f"client {scenario.CLIENT_OPTIONS}"
        )
        steps = (
            (
                "listings (sync + async, accounts + connectors)",
                lambda d: scenario.listings_survive(sb, d, PAGE_SIZE),
            ),
            (
                f"{INSTALLS} installs under drops",
                lambda d: scenario.installs_never_duplicate(sb, d, INSTALLS),
            ),
            (
                "accounts listing whose token expires halfway (sandbox clock, concurrency 2)",
                lambda d: scenario.token_renewed_mid_listing(sb, d, PAGE_SIZE, clock),
            ),
        )
        for title, step in steps:
            sb.reset_stats()
            dice = scenario.Dice()
            retries.causes.clear()
            started = time.perf_counter()
            survived = step(dice)
            print(f"\n{title}: OK in {time.perf_counter() - started:.1f} s")
            print(f"  {scenario.summary(sb, dice)}")
            print(f"  client retries by cause: {dict(retries.causes)}")
            print(f"  survived: {survived}")


if __name__ == "__main__":
    main()
