"""Paging benchmark: how fast a notebook user gets every row, against the sandbox at 50 ms latency.

Lists 2,000 accounts and 1,000 connectors at pageSize 50 and prints, measured in one run:
- the async client's time (pages 2..N fetched concurrently, 8 at a time),
- the sync client's time (the same, on a thread pool),
- a plain sequential httpx loop (what a user would write by hand),
- the latency-bound limit: one round trip for the first page plus ceil((pages - 1) / 8) round trips,
  where a round trip is the measured time of one single-page request.

Run: ``.venv/bin/python bench/bench_paging.py`` (about 15 s).
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time

import httpx
from _common import fmt_ms, raw_token

from cyclr_widgets import AsyncCyclrClient, CyclrClient
from cyclr_widgets.sandbox import Sandbox

LATENCY_MS = 50
PAGE_SIZE = 50
CONCURRENCY = 8


def sequential_loop(api_url: str, token: str, path: str, account_id: str | None) -> int:
    """The hand-written loop: one page after another until a short page."""
    headers = {"Authorization": f"Bearer {token}"}
    if account_id:
        headers["X-Cyclr-Account"] = account_id
    rows: list[dict] = []
    with httpx.Client(base_url=api_url, headers=headers, timeout=30) as http:
        page = 1
        while True:
            batch = http.get(path, params={"page": page, "pageSize": PAGE_SIZE}).json()
            rows.extend(batch)
            if len(batch) < PAGE_SIZE:
                return len(rows)
            page += 1


def round_trip(api_url: str, token: str, path: str, account_id: str | None) -> float:
    """Median time of a single one-page request: the unit the limit is counted in."""
    headers = {"Authorization": f"Bearer {token}"}
    if account_id:
        headers["X-Cyclr-Account"] = account_id
    times = []
    with httpx.Client(base_url=api_url, headers=headers, timeout=30) as http:
        for _ in range(7):
            start = time.perf_counter()
            http.get(path, params={"page": 1, "pageSize": PAGE_SIZE}).raise_for_status()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with Sandbox(latency_ms=LATENCY_MS, accounts=2000, connectors=1000) as sb:
        token = raw_token(sb.api_url, sb.client_id, sb.client_secret)
        kwargs = dict(client_id=sb.client_id, client_secret=sb.client_secret, api_url=sb.api_url,
                      page_size=PAGE_SIZE, concurrency=CONCURRENCY, progress=False)
        sync_client = CyclrClient(**kwargs)
        async_client = AsyncCyclrClient(**kwargs)
        sync_client.accounts(limit=1)  # token fetched outside the timings
        asyncio.run(async_client.accounts(limit=1))

        print(f"sandbox latency {LATENCY_MS} ms/request, pageSize {PAGE_SIZE}, "
              f"concurrency {CONCURRENCY}")
        print(f"{'listing':<12}{'rows':>6}{'pages':>6}{'limit':>10}{'async':>10}{'sync':>10}"
              f"{'loop':>10}{'async/limit':>13}{'loop/async':>12}{'loop/sync':>11}")
        for name, path, account in (("accounts", "/v1.0/accounts", None),
                                    ("connectors", "/v1.0/connectors", sb.account_id)):
            rtt = round_trip(sb.api_url, token, path, account)
            if name == "accounts":
                t0 = time.perf_counter()
                df = asyncio.run(async_client.accounts())
                t_async = time.perf_counter() - t0
                t0 = time.perf_counter()
                df_sync = sync_client.accounts()
                t_sync = time.perf_counter() - t0
            else:
                t0 = time.perf_counter()
                df = asyncio.run(async_client.connectors(sb.account_id))
                t_async = time.perf_counter() - t0
                t0 = time.perf_counter()
                df_sync = sync_client.connectors(sb.account_id)
                t_sync = time.perf_counter() - t0
            t0 = time.perf_counter()
            n_loop = sequential_loop(sb.api_url, token, path, account)
            t_loop = time.perf_counter() - t0
            pages = math.ceil(len(df) / PAGE_SIZE)
            limit = rtt * (1 + math.ceil((pages - 1) / CONCURRENCY))
            assert len(df) == len(df_sync) == n_loop, (len(df), len(df_sync), n_loop)
            print(f"{name:<12}{len(df):>6}{pages:>6}{fmt_ms(limit):>10}{fmt_ms(t_async):>10}"
                  f"{fmt_ms(t_sync):>10}{fmt_ms(t_loop):>10}{t_async / limit:>12.2f}x"
                  f"{t_loop / t_async:>11.1f}x{t_loop / t_sync:>10.1f}x")
        sync_client.close()
        asyncio.run(async_client.aclose())
    print("targets: async within 1.3x of the limit; at least 5x faster than the loop")


if __name__ == "__main__":
    main()
