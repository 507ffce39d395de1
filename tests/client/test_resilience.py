"""Resilience: the real client against the sandbox with faults on, at small sizes.

The scenario, its faults and its invariants are described in ``harness/resilience.py`` (shared
with ``bench/bench_resilience.py``, which runs it at large sizes). ``pytest -s`` prints what was
injected and what survived.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cyclr_widgets import CyclrClient, CyclrError
from cyclr_widgets.sandbox import Sandbox
from harness.clock import FakeClock
from harness.resilience import (
    Dice,
    Faulty503,
    faults_off,
    installs_never_duplicate,
    listings_survive,
    summary,
    token_renewed_mid_listing,
)


@pytest.fixture(scope="module")
def clock() -> FakeClock:
    """The sandbox's clock: it only moves when a test moves it (token expiry without waiting)."""
    return FakeClock()


@pytest.fixture(scope="module")
def sandbox(clock: FakeClock) -> Iterator[Sandbox]:
    with Sandbox(accounts=300, seed=6, clock=clock) as sb:
        yield sb


@pytest.fixture
def dice(sandbox: Sandbox) -> Iterator[Dice]:
    sandbox.reset_stats()
    d = Dice()
    yield d
    print(f"\n  {summary(sandbox, d)}")
    faults_off(sandbox, d)


def test_listings_exactly_once_under_faults(sandbox: Sandbox, dice: Dice) -> None:
    got = listings_survive(sandbox, dice, page_size=20)
    print(
        f"\n  survived: sync+async, {got['accounts']} accounts and {got['connectors']} "
        f"connectors each exactly once, in {got['seconds']:.1f} s"
    )
    assert sum(sandbox.faults_injected[k] for k in ("rate_limited_429", "dropped")) > 0
    assert dice.counts["injected_503_before_send"] + dice.counts["injected_503_after_send"] > 0


def test_installs_never_duplicate_under_drops(sandbox: Sandbox, dice: Dice) -> None:
    got = installs_never_duplicate(sandbox, dice, installs=6)
    print(f"\n  survived: {got}")


def test_token_expiring_mid_listing_is_renewed(
    sandbox: Sandbox, dice: Dice, clock: FakeClock
) -> None:
    # 30 pages, 2 at a time; the sandbox's clock jumps past the token's lifetime after page 15.
    got = token_renewed_mid_listing(sandbox, dice, page_size=10, clock=clock)
    print(
        f"\n  survived: {got['rows']} accounts exactly once; the token expired after "
        f"{got['expired_after_page']} of {got['pages']} pages ({got['answered_401']} 401s, "
        f"{got['token_requests']} token requests)"
    )


def test_scenario_sees_its_faults(sandbox: Sandbox) -> None:
    """The wrapper really injects, and the errors the scenario relies on are what it expects."""
    d = Dice(rate=1.0, enabled=True)
    with (
        CyclrClient(
            client_id=sandbox.client_id,
            client_secret=sandbox.client_secret,
            api_url=sandbox.api_url,
            transport=Faulty503(d),
            max_retries=0,
            progress=False,
        ) as client,
        pytest.raises(CyclrError) as info,
    ):
        client.accounts()
    assert info.value.status_code == 503
    assert d.counts["injected_503_before_send"] + d.counts["injected_503_after_send"] == 1
