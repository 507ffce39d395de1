"""The health scan against the sandbox's fleet (``Sandbox(accounts=300)``, ``_seed_fleet.py``).

The seeded spread (most accounts healthy, some with connectors never authenticated, some with
cycles failing in the last hours, a few sub-accounts) must come out of the scan, with the
default 24-hour window, on the sandbox's fake clock.
"""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest

from cyclr_widgets import AsyncCyclrClient, CyclrClient, Sandbox
from harness.clock import FakeClock

N = 300


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="module")
def sandbox(clock: FakeClock) -> Iterator[Sandbox]:
    with Sandbox(accounts=N, clock=clock) as sb:
        yield sb


def test_the_seeded_spread_comes_out_of_the_scan(sandbox: Sandbox, clock: FakeClock) -> None:
    fleet = sandbox.ids["fleet"]
    assert sum(fleet[p] for p in ("healthy", "unauthenticated", "failing", "warnings", "idle")) == (
        N - 8
    )
    with CyclrClient.from_env(sandbox.environ, progress=False, clock=clock) as client:
        df = client.account_health(include_subaccounts=True, concurrency=8)
    assert len(df) == N and df["Id"].is_unique and df.attrs["complete"]
    assert df["Error"].isna().all()
    assert (df["Score"] == 100).sum() >= N // 2  # most accounts are healthy
    broken = (df["NotAuthenticated"] > 0).sum()
    failing = (df["ErrorIncidents"] > 0).sum()
    # Each fleet profile shows; the first eight accounts (the classic seed) may add to them,
    # but their history is days old, so the 24-hour window only sees the fleet's incidents.
    assert fleet["unauthenticated"] <= broken <= fleet["unauthenticated"] + 8
    assert failing == fleet["failing"]
    assert (df["WarningIncidents"] > 0).sum() == fleet["warnings"]
    assert (df["CyclesInError"] > 0).sum() >= fleet["failing"]
    assert df["ParentAccountId"].notna().sum() == fleet["subaccounts"] + 1  # + Acme EMEA
    assert df["LastSuccessfulRun"].notna().sum() >= fleet["healthy"]
    assert df.head(fleet["failing"])["Score"].max() < 100  # worst first


def test_the_async_scan_agrees(sandbox: Sandbox, clock: FakeClock) -> None:
    with CyclrClient.from_env(sandbox.environ, progress=False, clock=clock) as client:
        ids = client.accounts(limit=60)
        want = client.account_health(ids)

    async def scan() -> list[dict]:
        async with AsyncCyclrClient.from_env(sandbox.environ, progress=False, clock=clock) as c:
            return [row async for row in c.iter_account_health(ids, concurrency=4)]

    rows = anyio.run(scan)
    got = {r["Id"]: (r["Score"], r["ErrorIncidents"], r["NotAuthenticated"]) for r in rows}
    assert got == {
        r["Id"]: (r["Score"], r["ErrorIncidents"], r["NotAuthenticated"])
        for r in want.to_dict("records")
    }
