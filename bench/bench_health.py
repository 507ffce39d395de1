"""Health-scan benchmark (#13): every account's health, against the sandbox at 50 ms latency.

Scans 2,000 seeded accounts (``Sandbox(accounts=2000)``: the fleet of ``_seed_fleet.py``) with
``client.account_health()`` and prints, measured in one run:

(a) with the sandbox's rate limit at 50 requests/s (``--rate-limit 50``, when the CLI has that
    flag; otherwise a note says it was skipped): the wall time against the rate-limit bound
    (total requests / rate) and the 429s the client met;
(b) with no rate limit: the sync and async clients' wall times against the latency bound at the
    default concurrency (total requests x round trip / concurrency; the round trip is the
    median of single requests, measured) and against a hand-written sequential loop (four
    listings per account, one after another; timed on 100 accounts and scaled to 2,000);
(c) the peak memory of a scan of 5,000 accounts (tracemalloc, Python allocations of this
    process, the client's side; latency 0 so it runs quickly).

The sandbox runs in its own process (``cyclr-widgets sandbox --json``). Requests and 429s are
counted by an httpx event hook on the client's own ``http_client``.

Run: ``.venv/bin/python bench/bench_health.py`` (about 5 minutes).
"""

from __future__ import annotations

import logging
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from typing import Any

import anyio
import httpx
from _common import REPO_ROOT, SandboxInfo, load_note, raw_token, sandbox_process

from cyclr_widgets import AsyncCyclrClient, CyclrClient

ACCOUNTS = 2000
LATENCY_MS = 50
RATE = 50
MEMORY_ACCOUNTS = 5000
SEQUENTIAL_SAMPLE = 100
LISTINGS = (
    ("/v1.0/account/connectors", {}),
    ("/v1.0/cycles", {"includeIcons": "false"}),
    ("/v1.0/cycles/incidents/error", {"after": "2000-01-01T00:00:00Z"}),
    ("/v1.0/cycles/incidents/warning", {"after": "2000-01-01T00:00:00Z"}),
)


def has_rate_limit_flag() -> bool:
    """Whether ``cyclr-widgets sandbox`` takes ``--rate-limit`` (added on another branch)."""
    out = subprocess.run(
        [sys.executable, "-m", "cyclr_widgets", "sandbox", "--help"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
    ).stdout
    return re.search(r"--rate-limit(?![-\w])", out) is not None


def counting_client(sb: SandboxInfo, **kw: Any) -> tuple[CyclrClient, Counter[int]]:
    """A warm sync client whose responses are counted by status."""
    seen: Counter[int] = Counter()
    http = httpx.Client(event_hooks={"response": [lambda r: seen.update([r.status_code])]})
    client = CyclrClient.from_env(sb.environ, progress=False, http_client=http, **kw)
    client.accounts(limit=1)  # the token, before the timing
    seen.clear()
    return client, seen


def round_trip(sb: SandboxInfo, token: str, account: str) -> float:
    """Median time of one single-page listing on a warm connection."""
    headers = {"Authorization": f"Bearer {token}", "X-Cyclr-Account": account}
    times = []
    with httpx.Client(base_url=sb.api_url, headers=headers, timeout=30) as http:
        for _ in range(15):
            t = time.perf_counter()
            http.get("/v1.0/cycles", params={"page": 1, "pageSize": 50})
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def sequential(sb: SandboxInfo, token: str, accounts: list[str]) -> float:
    """The hand-written loop: for each account, its four listings one after another."""
    t = time.perf_counter()
    with httpx.Client(base_url=sb.api_url, timeout=30) as http:
        for account in accounts:
            headers = {"Authorization": f"Bearer {token}", "X-Cyclr-Account": account}
            for path, params in LISTINGS:
                http.get(path, params={**params, "pageSize": 50}, headers=headers).json()
    return time.perf_counter() - t


def part_b(sb: SandboxInfo) -> float:
    token = raw_token(sb.api_url, sb.client_id, sb.client_secret)
    client, seen = counting_client(sb)
    ids = [a["Id"] for a in client.iter_accounts()]
    rtt = round_trip(sb, token, ids[0])
    seen.clear()
    t = time.perf_counter()
    df = client.account_health()
    sync_s = time.perf_counter() - t
    requests = sum(seen.values())
    bound = requests * rtt / client.concurrency

    async def run_async() -> float:
        async with AsyncCyclrClient.from_env(sb.environ, progress=False) as ac:
            await ac.accounts(limit=1)
            t = time.perf_counter()
            await ac.account_health()
            return time.perf_counter() - t

    async_s = anyio.run(run_async)
    seq_s = sequential(sb, token, ids[:SEQUENTIAL_SAMPLE]) * len(ids) / SEQUENTIAL_SAMPLE
    client.close()
    print(
        f"(b) no rate limit, {len(df)} accounts, {requests} requests, "
        f"round trip {rtt * 1000:.1f} ms"
    )
    print(f"    latency bound at concurrency {client.concurrency}: {bound:.1f} s")
    print(f"    sync  {sync_s:.1f} s = {sync_s / bound:.2f}x the bound")
    print(f"    async {async_s:.1f} s = {async_s / bound:.2f}x the bound")
    print(
        f"    sequential loop (timed on {SEQUENTIAL_SAMPLE} accounts, scaled): {seq_s:.1f} s = "
        f"{seq_s / sync_s:.1f}x the sync scan"
    )
    print(
        f"    rows: {(df['Score'] == 100).sum()} healthy, {(df['NotAuthenticated'] > 0).sum()} "
        f"with a connector not authenticated, {(df['ErrorIncidents'] > 0).sum()} with errors "
        f"in 24 h, {df['Error'].notna().sum()} failed"
    )
    return seq_s


def part_a(sb: SandboxInfo, seq_s: float) -> None:
    # Two clients: one that learns the rate from Cyclr's 429s (the default, "auto": it probes,
    # so it meets a few), and one told the partner's rate (rate_limit=50: it should meet none).
    # The sequential loop is the one of (b): at one request per round trip it stays under the
    # rate limit, so its time is the same.
    for mode in ("auto", RATE):
        client, seen = counting_client(sb, rate_limit=mode)
        t = time.perf_counter()
        df = client.account_health()
        wall = time.perf_counter() - t
        requests = sum(seen.values())
        bound = requests / RATE
        client.close()
        print(
            f"(a) sandbox rate limit {RATE} req/s, client rate_limit={mode!r}: {len(df)} accounts, "
            f"{requests} requests"
        )
        print(
            f"    wall {wall:.1f} s vs bound {bound:.1f} s = {wall / bound:.2f}x; "
            f"429s: {seen[429]}; the sequential loop {seq_s:.1f} s = {seq_s / wall:.1f}x slower"
        )


def part_c(sb: SandboxInfo) -> None:
    client, _ = counting_client(sb)
    tracemalloc.start()
    t = time.perf_counter()
    df = client.account_health()
    wall = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    client.close()
    print(
        f"(c) {len(df)} accounts (latency 0): peak {peak / 2**20:.1f} MiB traced "
        f"({peak / len(df) / 1024:.1f} KiB per account, rows and in-flight pages), {wall:.1f} s "
        "under tracemalloc"
    )


def main() -> None:
    print(f"bench_health: {load_note()}")
    # The client logs each 429 it retries (a warning): counted below instead.
    logging.getLogger("cyclr_widgets").setLevel(logging.ERROR)
    with sandbox_process(latency_ms=LATENCY_MS, accounts=ACCOUNTS) as sb:
        seq_s = part_b(sb)
    if has_rate_limit_flag():
        with sandbox_process(latency_ms=LATENCY_MS, accounts=ACCOUNTS, rate_limit=RATE) as sb:
            part_a(sb, seq_s)
    else:
        print("(a) skipped: this sandbox has no --rate-limit flag yet (it comes with branch lim)")
    with sandbox_process(latency_ms=0, accounts=MEMORY_ACCOUNTS) as sb:
        part_c(sb)


if __name__ == "__main__":
    main()
