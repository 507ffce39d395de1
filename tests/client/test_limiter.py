"""The client's limiter: the sans-I/O core on a fake clock, then both clients against strict mocks.

Nothing here depends on wall-clock speed: the core is driven by hand with made-up instants, and
the clients wait on :class:`~tests.support.client.FakeTime` (their sleeps move its clock).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import anyio
import httpx
import pytest

from cyclr_widgets import AsyncCyclrClient, CyclrClient, RateLimitError, ValidationError
from cyclr_widgets.client._limiter import (
    DECREASE,
    FIRST_DECREASE,
    INCREASE,
    MIN_RATE,
    Limiter,
)
from tests.support.client import (
    API,
    CLIENT_ID,
    CLIENT_SECRET,
    HANG,
    FakeCyclr,
    error_response,
    fake_time,
    json_response,
    page_handler,
)
from tests.support.twins import Twin

# -- the sans-I/O core -----------------------------------------------------------------------


def go(lim: Limiter, now: float) -> float | None:
    """One request asks at ``now``; returns the poll's answer (it leaves the queue if not 0)."""
    ticket = lim.enqueue()
    answer = lim.poll(ticket, now)
    if answer != 0.0:
        lim.cancel(ticket)
    return answer


def greedy(lim: Limiter, until: float, start: float = 0.0) -> list[float]:
    """A caller sending as fast as the limiter lets it (each answer at once) until ``until``."""
    now, sent = start, []
    ticket = lim.enqueue()
    while now < until:
        answer = lim.poll(ticket, now)
        assert answer is not None  # alone in the queue, slots free: never "wait for others"
        if answer == 0.0:
            sent.append(now)
            lim.release(now, now, 200)
            ticket = lim.enqueue()
        else:
            now += answer
    lim.cancel(ticket)
    return sent


def test_rate_is_respected_over_a_long_window() -> None:
    lim = Limiter(cap=8, rate=10.0)
    sent = greedy(lim, until=100.0)
    assert 999 <= len(sent) <= 10 * 100 + lim.burst
    # and over every 1 s window along the way, never more than the rate plus the burst
    for i, t in enumerate(sent):
        assert sum(1 for u in sent[i:] if u < t + 1.0) <= 10 + lim.burst


def test_burst_is_bounded_after_idling() -> None:
    lim = Limiter(cap=100, rate=50.0)
    assert go(lim, 0.0) == 0.0
    at_once = 0
    while go(lim, 3600.0) == 0.0:  # an hour idle, then everything at the same instant
        at_once += 1
    assert at_once == int(lim.burst) == 5  # 0.1 s of the rate, not an hour's


def test_cap_and_fifo_order() -> None:
    lim = Limiter(cap=1, rate=None)
    a, b, c = lim.enqueue(), lim.enqueue(), lim.enqueue()
    assert lim.poll(b, 0.0) is None  # not its turn
    assert lim.poll(a, 0.0) == 0.0
    assert lim.poll(b, 0.0) is None  # its turn, but the one slot is taken
    lim.release(0.0, 0.1, 200)
    assert lim.poll(c, 0.1) is None  # b is ahead of c
    assert lim.poll(b, 0.1) == 0.0
    lim.release(0.1, 0.2, 200)
    assert lim.poll(c, 0.2) == 0.0
    assert lim.in_flight == 1 and lim.waiting == 0


def test_a_waiter_that_gives_up_blocks_no_one() -> None:
    lim = Limiter(cap=4, rate=None)
    a, b = lim.enqueue(), lim.enqueue()
    lim.cancel(a)
    assert lim.poll(b, 0.0) == 0.0


def test_retry_after_pauses_everyone_until_its_instant() -> None:
    lim = Limiter(cap=8, rate=None)
    assert go(lim, 10.0) == 0.0
    lim.release(10.0, 10.5, 429, 5.0)
    assert go(lim, 10.5) == pytest.approx(5.0)  # another request, not the one refused
    assert go(lim, 14.0) == pytest.approx(1.5)
    assert go(lim, 15.5) == 0.0
    # a 503 with Retry-After pauses too; a later, shorter one never shortens a pause
    lim.release(15.5, 16.0, 503, 10.0)
    lim.release(15.5, 16.0, 503, 1.0)
    assert go(lim, 17.0) == pytest.approx(9.0)
    # the request that already slept its own Retry-After is not held again by it
    ticket = lim.enqueue()
    assert lim.poll(ticket, 17.0, waited_until=26.0) == 0.0


def test_pause_is_capped_by_max_pause() -> None:
    lim = Limiter(cap=8, rate=None, max_pause=60.0)
    lim.release(0.0, 0.0, 429, 3600.0)
    assert go(lim, 0.0) == pytest.approx(60.0)


def test_aimd_backs_off_once_per_round_and_grows_back_to_the_ceiling() -> None:
    lim = Limiter(cap=8, rate=20.0)
    greedy(lim, until=1.0)
    lim.release(0.9, 1.0, 429)  # sent before any decrease
    lim.release(0.95, 1.0, 429)  # the same overload: no second decrease
    assert lim.rate == pytest.approx(20.0 * DECREASE)
    lim.release(1.5, 1.6, 429)  # sent after it: a new round
    assert lim.rate == pytest.approx(20.0 * DECREASE**2)
    low = lim.rate
    greedy(lim, until=5.0, start=1.6)  # binding for 3.4 s
    assert lim.rate == pytest.approx(min(20.0, low + INCREASE * 3.4), abs=0.1)
    greedy(lim, until=60.0, start=5.0)
    assert lim.rate == 20.0  # a user's number is the ceiling
    assert lim.throttled == 3


def test_rate_grows_only_while_it_binds() -> None:
    lim = Limiter(cap=8, rate=10.0)
    lim.release(0.0, 0.0, 429)
    assert lim.rate == pytest.approx(10.0 * DECREASE)
    for t in range(1, 60):  # one request a second: the rate never holds anything back
        assert go(lim, float(t)) == 0.0
        lim.release(float(t), float(t), 200)
    assert lim.rate == pytest.approx(10.0 * DECREASE)


def test_auto_is_unmetered_until_the_first_429() -> None:
    lim = Limiter(cap=1000, rate="auto")
    assert all(go(lim, 0.0) == 0.0 for _ in range(500))  # only the cap holds
    for t in (0.0, 0.1, 0.2, 0.3, 0.4):
        for _ in range(20):
            assert go(lim, 0.5 + t) == 0.0
    lim.release(0.9, 1.0, 429)
    # half the rate measured over the last second: 100 sent in 0.4 s... and 500 before
    assert lim.rate == pytest.approx(FIRST_DECREASE * lim._measured(1.0))
    assert lim.rate is not None and lim.rate > MIN_RATE
    first = lim.rate
    lim.release(1.5, 1.6, 429)  # refused again before the new rate held: halved again
    assert lim.rate == pytest.approx(first * FIRST_DECREASE)


def test_none_has_no_rate_but_honours_pauses() -> None:
    lim = Limiter(cap=8, rate=None)
    lim.release(0.0, 0.0, 429, 2.0)
    assert lim.rate is None and go(lim, 1.0) == pytest.approx(1.0)
    assert all(go(lim, 2.0) == 0.0 for _ in range(8))


def test_fairness_concurrent_listings_all_progress() -> None:
    # Three listings, each keeping 4 pages queued, share a cap of 2 and 10 requests per second:
    # FIFO hands out slots in arrival order, so none starves and they share alike.
    lim = Limiter(cap=2, rate=10.0)
    queue = [(name, lim.enqueue()) for _ in range(4) for name in "abc"]
    done = {"a": 0, "b": 0, "c": 0}
    now, running = 0.0, []  # (ends at, listing, sent at); each answer takes 0.05 s
    while sum(done.values()) < 300:
        name, ticket = queue[0]
        answer = lim.poll(ticket, now)
        if answer == 0.0:
            queue.pop(0)
            running.append((now + 0.05, name, now))
            continue
        ends = min(running)[0] if running else float("inf")
        if answer is not None and now + answer < ends:
            now += answer
            continue
        running.sort()
        now, name, sent = running.pop(0)
        lim.release(sent, now, 200)
        done[name] += 1
        queue.append((name, lim.enqueue()))
    assert max(done.values()) - min(done.values()) <= 2
    assert now == pytest.approx(300 / 10, rel=0.05)  # and the rate held throughout


def test_reset_forgets_waiters_and_slots_but_not_the_rate() -> None:
    lim = Limiter(cap=1, rate=5.0)
    lim.enqueue()
    lim.poll(0, 0.0)
    lim.enqueue()
    lim.release(0.0, 0.0, 429, 3.0)
    lim.reset()
    assert lim.in_flight == 0 and lim.waiting == 0
    assert lim.rate == pytest.approx(5.0 * DECREASE) and lim.paused_until == 3.0


# -- the constructor argument ------------------------------------------------------------------


@pytest.mark.parametrize("cls", [CyclrClient, AsyncCyclrClient])
def test_rate_limit_argument(cls: type) -> None:
    assert cls("a", "b").rate_limit == "auto"
    assert cls("a", "b", rate_limit=50).rate_limit == 50
    assert cls("a", "b", rate_limit=None).rate_limit is None
    assert cls("a", "b", rate_limit=2.5)._limiter.core.rate == 2.5
    assert cls("a", "b", concurrency=3)._limiter.core.cap == 3
    with pytest.raises(ValidationError, match="rate_limit"):
        cls("a", "b", rate_limit=0)
    with pytest.raises(ValidationError, match="rate_limit"):
        cls("a", "b", rate_limit="fast")
    with pytest.raises(TypeError, match="rate_limit"):
        cls("a", "b", rate_limit=True)


# -- both clients: a Retry-After holds every request -------------------------------------------


def test_retry_after_on_one_request_delays_the_next_ones(twin: Twin, fake: FakeCyclr) -> None:
    time = twin.client._monotonic
    arrivals: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        arrivals.append(time())
        return json_response({"Id": request.url.path.rsplit("/", 1)[1]})

    twin.client._retry.max_retries = 0  # the refused call raises: the pause outlives it
    fake.add("GET", "/v1.0/accounts/a1", error_response(429, "slow down", {"Retry-After": "5"}))
    fake.add("GET", "/v1.0/accounts/a2", answer)
    fake.add("GET", "/v1.0/accounts/a3", answer)
    start = time()
    with pytest.raises(RateLimitError):
        twin.account("a1")
    assert twin.account("a2") == {"Id": "a2"}  # another request, held until the instant
    assert twin.account("a3") == {"Id": "a3"}  # after it, only the learned rate spaces them
    assert arrivals[0] == pytest.approx(start + 5.0)
    assert twin.client._limiter.core.rate is not None  # "auto" learned a rate from the 429
    assert arrivals[1] - arrivals[0] < 0.5  # spaced by that rate, no second pause
    assert twin.sleeps[0] == pytest.approx(5.0)


def test_a_listing_page_refused_slows_the_pages_after_it(twin: Twin, fake: FakeCyclr) -> None:
    time = twin.client._monotonic
    serve = page_handler([{"Id": i} for i in range(6)])
    pages: list[tuple[int, float]] = []
    refused = False

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal refused
        page = int(request.url.params["page"])
        pages.append((page, time()))
        if page == 2 and not refused:
            refused = True
            return error_response(429, "slow down", {"Retry-After": "3"})
        return serve(request)

    twin.client.page_size, twin.client.concurrency = 1, 1
    twin.client._limiter.core.cap = 1  # one page at a time: the order is the test's
    start = time()
    fake.add("GET", "/v1.0/accounts", *[handler] * 7)
    assert [r["Id"] for r in twin.iter_accounts()] == list(range(6))
    after = [t for page, t in pages if page > 2]
    assert after and min(after) >= start + 3.0


# -- the cap bounds every request in flight, across threads and tasks ---------------------------


class InFlight:
    """Counts requests inside the handler; each waits until ``hold`` are in (or all came)."""

    def __init__(self, hold: int, total: int) -> None:
        self.hold, self.total = hold, total
        self.now = self.peak = self.entered = 0
        self.cond = threading.Condition()

    def enter(self) -> None:
        with self.cond:
            self.now += 1
            self.entered += 1
            self.peak = max(self.peak, self.now)
            self.cond.notify_all()
            ok = self.cond.wait_for(
                lambda: self.now >= self.hold or self.entered >= self.total, HANG
            )
            assert ok, "requests never lined up"
            self.now -= 1


def test_sync_cap_bounds_threads_and_listings() -> None:
    count = InFlight(hold=3, total=12 + 2 * 6)
    items = [{"Id": i} for i in range(6)]
    serve = page_handler(items)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return json_response({"access_token": "t", "expires_in": 3600})
        count.enter()
        if request.url.path == "/v1.0/accounts":
            return serve(request)
        return json_response({"Id": "x"})

    client = CyclrClient(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        transport=httpx.MockTransport(handler),
        concurrency=3,
        page_size=1,
        progress=False,
    )
    fake_time(client)
    with client, ThreadPoolExecutor(14) as pool:
        calls = [pool.submit(client.account, "a1") for _ in range(12)]
        listings = [pool.submit(lambda: list(client.iter_accounts())) for _ in range(2)]
        assert all(f.result(HANG) == {"Id": "x"} for f in calls)
        assert all(f.result(HANG) == items for f in listings)
    assert count.peak == 3  # reached, never passed, by 12 threads and two listings' pools


def test_async_cap_bounds_tasks_and_listings() -> None:
    peak = now = entered = 0
    total = 12 + 2 * 6
    items = [{"Id": i} for i in range(6)]
    serve = page_handler(items)

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal peak, now, entered
        if request.url.path == "/oauth/token":
            return json_response({"access_token": "t", "expires_in": 3600})
        now += 1
        entered += 1
        peak = max(peak, now)
        with anyio.fail_after(HANG):
            while now < 3 and entered < total:  # hold until the cap is reached
                await anyio.sleep(0)
        now -= 1
        if request.url.path == "/v1.0/accounts":
            return serve(request)
        return json_response({"Id": "x"})

    async def main() -> None:
        client = AsyncCyclrClient(
            CLIENT_ID,
            CLIENT_SECRET,
            api_url=API,
            transport=httpx.MockTransport(handler),
            concurrency=3,
            page_size=1,
            progress=False,
        )
        fake_time(client)
        results: list[object] = []

        async def listing() -> None:
            results.append([r async for r in client.iter_accounts()])

        async def one() -> None:
            results.append(await client.account("a1"))

        async with client, anyio.create_task_group() as group:
            for _ in range(12):
                group.start_soon(one)
            for _ in range(2):
                group.start_soon(listing)
        assert results.count({"Id": "x"}) == 12 and results.count(items) == 2

    anyio.run(main)
    assert peak == 3
