"""The resilience scenario: the real client against the sandbox with faults on.

Faults: 50 ms latency, 429 with ``Retry-After``, dropped connections (the sandbox's switches)
and 20% of responses turned into 503 (a client-side transport wrapper, see below). Invariants:

- every listing (sync and async) returns every row exactly once;
- an install under drops either succeeds, fails definitely, or raises ``OutcomeUnknownError``
  whose ``check`` says how to look; afterwards at most one account connector exists per install
  name (never a duplicate), and the suggested check tells whether to install again;
- a token that expires mid-listing is renewed without the caller noticing.

How the token expires: the sandbox runs on a fake clock (``Sandbox(clock=...)``), and a transport
wrapper moves that clock past the token's lifetime once half of the pages have arrived. The
client still believes its token valid (its own clock has not moved), so the server refuses it
with a 401 in the middle of the listing, whatever the speed of the machine: no real second has
to pass, and a slow machine cannot make the token expire more often than that.

Why 503s come from a wrapper: the sandbox's ``error_rate`` (with ``error_status=503``) answers
before doing any work, which the client may always retry. A gateway in front of Cyclr can also
answer 503 *after* Cyclr acted. The wrapper wraps the real HTTP transport, so the client's whole
send path is the real one, and half of its 503s are sent to the sandbox first (the server did the
work, the answer is lost behind the "gateway"): exactly the ambiguous case a POST must not retry
blindly.

The fault dice are seeded, but concurrent pages reach them in a varying order, so the scenario
asserts invariants, never counts. ``tests/client/test_resilience.py`` runs it at small sizes,
``bench/bench_resilience.py`` at large ones.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from cyclr_widgets import AsyncCyclrClient, CyclrClient, OutcomeUnknownError, RateLimitError
from cyclr_widgets.sandbox import SWITCHES, Sandbox

from .clock import FakeClock

# The sandbox's share of the faults (its dice); the 503 share is the wrapper's.
SANDBOX_FAULTS: dict[str, Any] = {
    "latency_ms": 50,
    "rate_limit_rate": 0.03,
    "retry_after": 1,
    "drop_rate": 0.05,
}
RATE_503 = 0.20
# About 30% of attempts fail, so the default 4 retries would lose a 100-request listing about
# one time in five (0.3**5 per request). A notebook user facing such a flaky network raises
# max_retries the same way; the cap keeps the worst case short.
CLIENT_OPTIONS: dict[str, Any] = {"max_retries": 12, "backoff_cap": 0.5, "progress": False}
# The token's lifetime in the expiry scenario: far longer than any run, so only the fake clock's
# jump (never real time) expires it. The client renews a few minutes early by its own monotonic
# clock, which no run gets near: it cannot see the expiry coming and must recover from the 401.
TOKEN_TTL = 3600


# --- the 503 wrapper -------------------------------------------------------------------------


@dataclass
class Dice:
    """Seeded, thread-safe fault dice shared by the wrappers, with what they saw and did."""

    rate: float = RATE_503
    seed: int = 6
    enabled: bool = False
    counts: Counter[str] = field(default_factory=Counter)
    _rng: random.Random = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def roll(self) -> tuple[bool, bool]:
        """(inject a 503, after sending the request to the server)."""
        with self._lock:
            if not self.enabled or self._rng.random() >= self.rate:
                return False, False
            return True, self._rng.random() < 0.5

    def note(self, request: httpx.Request, status: int | None, injected: str | None) -> None:
        """Count token requests, 401s and injected 503s."""
        with self._lock:
            if request.url.path.endswith("/oauth/token"):
                self.counts["token_requests"] += 1
            if status == 401:
                self.counts["answered_401"] += 1
            if injected:
                self.counts[injected] += 1


def _gateway_503(request: httpx.Request) -> httpx.Response:
    return httpx.Response(503, json={"Message": "Service Unavailable"}, request=request)


class Faulty503(httpx.BaseTransport):
    """Wraps the real transport; turns a share of the responses into 503s."""

    def __init__(self, dice: Dice) -> None:
        self.dice = dice
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        inject, after_send = self.dice.roll()
        if inject and not after_send:
            self.dice.note(request, None, "injected_503_before_send")
            return _gateway_503(request)
        response = self.inner.handle_request(request)
        if inject:
            response.read()  # the server did the work; the answer is lost
            response.close()
            self.dice.note(request, response.status_code, "injected_503_after_send")
            return _gateway_503(request)
        self.dice.note(request, response.status_code, None)
        return response

    def close(self) -> None:
        self.inner.close()


class AsyncFaulty503(httpx.AsyncBaseTransport):
    """The async twin of :class:`Faulty503`."""

    def __init__(self, dice: Dice) -> None:
        self.dice = dice
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        inject, after_send = self.dice.roll()
        if inject and not after_send:
            self.dice.note(request, None, "injected_503_before_send")
            return _gateway_503(request)
        response = await self.inner.handle_async_request(request)
        if inject:
            await response.aread()
            await response.aclose()
            self.dice.note(request, response.status_code, "injected_503_after_send")
            return _gateway_503(request)
        self.dice.note(request, response.status_code, None)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


# --- the token expiry, driven by the sandbox's clock -------------------------------------------


class ExpireAfterPages(httpx.BaseTransport):
    """Wraps a transport; once ``after`` pages of ``path`` have arrived, moves ``clock`` by ``by``.

    Counted are the 200 answers to ``GET path`` the client gets (each page arrives once), so the
    jump happens at the same point of every run: after page number ``after`` in arrival order,
    with the rest of the listing still to come.
    """

    def __init__(
        self, inner: httpx.BaseTransport, clock: FakeClock, path: str, after: int, by: float
    ) -> None:
        self.inner, self.clock, self.path, self.after, self.by = inner, clock, path, after, by
        self.pages_before = 0  # pages that arrived before the jump (== after once it happened)
        self.pages_after = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if (
            request.method == "GET"
            and request.url.path == self.path
            and response.status_code == 200
        ):
            with self._lock:
                if self.pages_before < self.after:
                    self.pages_before += 1
                    if self.pages_before == self.after:
                        self.clock.advance(self.by)  # every token issued so far has expired
                else:
                    self.pages_after += 1
        return response

    def close(self) -> None:
        self.inner.close()


# --- the scenario (run by tests/client/test_resilience.py and bench/bench_resilience.py) ----


def _client_options(sb: Sandbox, page_size: int, concurrency: int) -> dict[str, Any]:
    return dict(
        client_id=sb.client_id,
        client_secret=sb.client_secret,
        api_url=sb.api_url,
        page_size=page_size,
        concurrency=concurrency,
        **CLIENT_OPTIONS,
    )


def clients(
    sb: Sandbox, dice: Dice, page_size: int, concurrency: int = 8
) -> tuple[CyclrClient, AsyncCyclrClient]:
    """A sync and an async client whose every request goes through the 503 dice."""
    kwargs = _client_options(sb, page_size, concurrency)
    return (
        CyclrClient(transport=Faulty503(dice), **kwargs),
        AsyncCyclrClient(transport=AsyncFaulty503(dice), **kwargs),
    )


def faults_on(sb: Sandbox, dice: Dice, **extra: Any) -> None:
    """Turn every fault on (sandbox switches plus the 503 dice)."""
    sb.configure(**{**SANDBOX_FAULTS, **extra})
    dice.enabled = True


def faults_off(sb: Sandbox, dice: Dice) -> None:
    """Back to a clean sandbox (counters are kept)."""
    sb.configure(**SWITCHES)
    dice.enabled = False


def assert_exactly_once(got: list[Any], expected: list[Any], what: str) -> None:
    """Every expected id once: no row lost, none repeated, nothing foreign."""
    dupes = [k for k, n in Counter(got).items() if n > 1]
    assert not dupes, f"{what}: duplicated rows {dupes[:5]}"
    missing = set(expected) - set(got)
    assert not missing, f"{what}: {len(missing)} rows missing, e.g. {sorted(missing)[:5]}"
    assert len(got) == len(expected), f"{what}: {len(got)} rows, expected {len(expected)}"


def listings_survive(sb: Sandbox, dice: Dice, page_size: int) -> dict[str, Any]:
    """Sync and async listings of accounts and connectors, exactly once, under every fault."""
    sync, aio = clients(sb, dice, page_size)
    try:
        faults_off(sb, dice)
        accounts = list(sync.accounts()["Id"])
        connectors = list(sync.connectors(sb.account_id)["Id"])
        faults_on(sb, dice)
        started = time.perf_counter()
        assert_exactly_once(list(sync.accounts()["Id"]), accounts, "sync accounts")
        assert_exactly_once(
            list(sync.connectors(sb.account_id)["Id"]), connectors, "sync connectors"
        )

        async def both() -> None:
            assert_exactly_once(list((await aio.accounts())["Id"]), accounts, "async accounts")
            assert_exactly_once(
                list((await aio.connectors(sb.account_id))["Id"]), connectors, "async connectors"
            )
            await aio.aclose()

        asyncio.run(both())
        return {
            "accounts": len(accounts),
            "connectors": len(connectors),
            "seconds": time.perf_counter() - started,
        }
    finally:
        faults_off(sb, dice)
        sync.close()


def token_renewed_mid_listing(
    sb: Sandbox, dice: Dice, page_size: int, clock: FakeClock
) -> dict[str, Any]:
    """The token expires at the server halfway through a listing (2 pages at a time, faults on).

    ``clock`` must be the sandbox's (``Sandbox(clock=clock)``): once half of the pages have
    arrived it jumps past the token's lifetime, so the next page is refused with a 401 although
    the client still holds the token as valid. The client must renew it and lose no row.
    """
    faults_off(sb, dice)
    with CyclrClient(
        client_id=sb.client_id,
        client_secret=sb.client_secret,
        api_url=sb.api_url,
        progress=False,
    ) as plain:
        expected = list(plain.accounts()["Id"])
    pages = -(-len(expected) // page_size)
    assert pages >= 4, f"{pages} pages: too few for an expiry in the middle of the listing"
    expire = ExpireAfterPages(
        Faulty503(dice), clock, path="/v1.0/accounts", after=pages // 2, by=TOKEN_TTL + 1
    )
    sync = CyclrClient(transport=expire, **_client_options(sb, page_size, concurrency=2))
    try:
        faults_on(sb, dice, token_ttl=TOKEN_TTL)
        tokens_before, refused_before = dice.counts["token_requests"], dice.counts["answered_401"]
        started = time.perf_counter()
        got = list(sync.accounts()["Id"])
        seconds = time.perf_counter() - started
        tokens = dice.counts["token_requests"] - tokens_before
        refused = dice.counts["answered_401"] - refused_before
        assert_exactly_once(got, expected, "accounts with a token expiring mid-listing")
        assert expire.pages_before == pages // 2 and expire.pages_after == pages - pages // 2, (
            f"the clock jumped after {expire.pages_before} of {pages} pages, "
            f"{expire.pages_after} arrived afterwards"
        )
        # The jump really expired the token in use: the sandbox refused it (a 401 is answered
        # before anything is renewed, since the client's own clock says the token is valid).
        assert refused >= 1, "no 401 after the clock jump: is `clock` the sandbox's clock?"
        assert tokens >= 2, f"{tokens} token request(s): the token was never renewed"
        return {
            "rows": len(got),
            "pages": pages,
            "expired_after_page": expire.pages_before,
            "answered_401": refused,
            "token_requests": tokens,
            "seconds": seconds,
        }
    finally:
        faults_off(sb, dice)
        sync.close()


def installs_never_duplicate(
    sb: Sandbox, dice: Dice, installs: int, drop_rate: float = 0.15
) -> dict[str, Any]:
    """Installs under drops and 503s: success, a definite failure, or an honest "unknown".

    Afterwards the check the error suggests (``find_account_connectors``) shows at most one
    account connector per name; names it shows none for are installed again, as a user would,
    and end with exactly one.
    """
    sync, _ = clients(sb, dice, page_size=50)
    account = sb.account_id
    connector_id = sb.ids["apikey_connector_ids"][0]
    run = uuid.uuid4().hex[:8]
    outcomes: dict[str, tuple[str, int | None]] = {}
    try:
        faults_on(sb, dice, drop_rate=drop_rate)
        for i in range(installs):
            name = f"resilience {run} {i}"
            try:
                ac = sync.install_connector(account, connector_id, name=name)
                outcomes[name] = ("installed", int(ac.id))
            except OutcomeUnknownError as exc:
                # The error must say so and say how to look.
                assert "outcome is unknown" in str(exc)
                assert exc.check and "find_account_connectors" in exc.check, exc.check
                assert repr(name) in exc.check
                outcomes[name] = ("unknown", None)
            except RateLimitError:
                # A 429 on a POST is raised, not retried (see the report): nothing was created.
                outcomes[name] = ("refused_429", None)
        # The check, still under faults: never a duplicate, and what succeeded is there.
        resolved = Counter()
        for name, (outcome, ac_id) in outcomes.items():
            found = sync.find_account_connectors(account, name)
            assert len(found) <= 1, f"{name!r} installed {len(found)} times"
            if outcome == "installed":
                assert [int(f.id) for f in found] == [ac_id]
            elif outcome == "refused_429":
                assert found == [], f"{name!r} was refused with 429 but exists"
            else:
                resolved["unknown_but_created" if found else "unknown_not_created"] += 1
            if not found:
                _install_until_known(sync, account, connector_id, name)
        faults_off(sb, dice)
        for name in outcomes:
            assert len(sync.find_account_connectors(account, name)) == 1, name
        counts = Counter(o for o, _ in outcomes.values())
        return {"installs": installs, **counts, **resolved}
    finally:
        faults_off(sb, dice)
        sync.close()


def _install_until_known(sync: CyclrClient, account: str, connector_id: int, name: str) -> None:
    """Install ``name`` once more, checking after every unknown outcome (bounded)."""
    for _ in range(20):
        try:
            sync.install_connector(account, connector_id, name=name)
            return
        except (OutcomeUnknownError, RateLimitError):
            if sync.find_account_connectors(account, name):
                return
    raise AssertionError(f"could not install {name!r} in 20 attempts")


def summary(sb: Sandbox, dice: Dice) -> str:
    """One short paragraph: what was injected."""
    injected = {k: v for k, v in sb.faults_injected.items() if k != "latency" and v}
    ours = {k: v for k, v in dice.counts.items() if k.startswith("injected")}
    return (
        f"injected by the sandbox over {sb.stats['requests']} requests: {injected}; "
        f"by the 503 wrapper: {ours}; token requests {dice.counts['token_requests']}, "
        f"401s {dice.counts['answered_401']}"
    )
