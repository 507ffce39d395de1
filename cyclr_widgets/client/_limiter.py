"""One limiter per client, without I/O: how long each request waits before it may be sent.

Every request a client makes (each page of a listing, each single call, each retry) asks the
client's :class:`Limiter` first, whether it runs on a thread of the sync client or a task of the
async one. The limiter holds three rules:

- **a concurrency cap**: at most ``cap`` requests in flight (the client's ``concurrency``);
- **a rate budget**: a token bucket of ``rate`` requests per second, at most ``burst`` at once;
- **a pause**: a ``Retry-After`` (on a 429 or a 503) holds every new request of the client until
  its instant, not only the one that got it: Cyclr's limit is per partner, so the other requests
  would only meet the same refusal.

The rate is **learned** (AIMD, as TCP does with its window): it grows additively, by
``INCREASE`` requests per second each second, while it is what holds requests back and Cyclr
answers without a 429; each 429 multiplies it by ``DECREASE`` (once per round: the 429s of
requests sent before the last decrease belong to the same overload). A number given by the user
is the ceiling and the start; ``"auto"`` has no ceiling and starts unmetered (only the cap):
Cyclr documents no rate limit, so most partners never meet one, and a modest start would cost
every first listing (40 pages at 10 requests per second: 4 s instead of 0.3 s). Its first 429
sets the rate to ``FIRST_DECREASE`` x the rate measured over the second before it (TCP's slow
start ends the same way), from where AIMD takes over. ``None``: no rate budget at all (the cap
and the pauses still hold).

Waiters are served in FIFO order: only the head of the queue may take a slot, so N listings
sharing one client each make progress and none starves. The drivers (a thread lock in
:mod:`._sync_io`, anyio in :mod:`._async_io`) only ask :meth:`Limiter.poll` what to do and then
wait their own way, with the client's clock and sleep (both injectable), as ``_auth.py`` does for
the token lock.
"""

from __future__ import annotations

import contextlib
import itertools
import math
from collections import deque
from typing import Literal

__all__ = ["AUTO", "DECREASE", "FIRST_DECREASE", "INCREASE", "Limiter", "RateLimit"]

AUTO: Literal["auto"] = "auto"
RateLimit = float | Literal["auto"] | None

#: Additive increase: requests per second added per second while the rate is binding.
INCREASE = 0.5
#: Multiplicative decrease on a 429 (once per round). Gentle, because Cyclr's pause (its
#: Retry-After, honoured by every request) already sheds the excess; a halving would leave a
#: per-partner budget a quarter unused on average.
DECREASE = 0.85
#: The first 429 of an unmetered "auto" client: half the rate measured before it (as slow start
#: ends); and the decrease until a learned rate has held for a window.
FIRST_DECREASE = 0.5
#: The learned rate never goes below this (requests per second): a run of 429s must not stall a
#: client for minutes between requests; the Retry-After pauses slow it further when Cyclr asks.
MIN_RATE = 0.5
#: The bucket holds this many seconds of the rate (at least one request): requests go out
#: evenly spaced rather than in bursts that a server's own bucket would refuse.
BURST_SECONDS = 0.1
#: The window over which the sending rate is measured (for the first decrease).
WINDOW = 1.0
#: The shortest span a rate is measured over (a burst of simultaneous requests is not infinitely
#: fast).
MIN_SPAN = 0.05
#: Slack on time and tokens: a sleep of exactly the time asked may wake a rounding error short
#: of it (``now + d`` in floats), and a wait of 1e-16 s would then never advance a fake clock.
EPSILON = 1e-9


class Limiter:
    """The sans-I/O core shared by every request of one client.

    Parameters
    ----------
    cap
        Requests in flight at most (>= 1).
    rate
        Requests per second: a number (the ceiling, learned below it on 429s), ``"auto"``
        (learned, no ceiling, unmetered until the first 429) or ``None`` (no rate budget).
    max_pause
        The longest ``Retry-After`` honoured by holding every request, in seconds (the retry
        policy's ``max_retry_after``: a longer one is raised by the request that got it).
    """

    def __init__(self, cap: int, rate: RateLimit = AUTO, *, max_pause: float = 120.0) -> None:
        self.cap = cap
        fixed = None if rate is None or rate == AUTO else float(rate)
        self.ceiling = math.inf if fixed is None else fixed
        self.learning = rate is not None
        #: Requests per second now; ``None``: unmetered.
        self.rate: float | None = fixed
        self.max_pause = max_pause
        self.in_flight = 0
        self.paused_until = -math.inf
        self.throttled = 0  # 429s seen (all of them, for reports)
        self._tokens = self.burst
        self._stamp: float | None = None  # when the bucket was last refilled
        self._queue: deque[int] = deque()
        self._tickets = itertools.count()
        self._sent: deque[float] = deque()  # start times within the last WINDOW
        self._decreased_at = -math.inf
        self._grown_at: float | None = None
        self._binding = False  # the bucket held a request back since the last growth
        self._settled = self.rate is not None  # a request at the learned rate was answered

    @property
    def burst(self) -> float:
        """The bucket's size: ``BURST_SECONDS`` of the rate, at least one request."""
        return 1.0 if self.rate is None else max(1.0, self.rate * BURST_SECONDS)

    @property
    def waiting(self) -> int:
        """Requests queued for a slot, a token or the end of a pause."""
        return len(self._queue)

    # -- the requests' side ---------------------------------------------------------------

    def enqueue(self) -> int:
        """Join the queue; returns the ticket to poll with."""
        ticket = next(self._tickets)
        self._queue.append(ticket)
        return ticket

    def poll(self, ticket: int, now: float, waited_until: float | None = None) -> float | None:
        """What the request holding ``ticket`` does now.

        Returns ``0.0`` when it may go (it has left the queue and holds a slot and a token),
        seconds to sleep before polling again (a pause or an empty bucket), or ``None`` to wait
        until something changes (another request is ahead of it, or every slot is taken).
        ``waited_until`` is the instant up to which the request has already waited (a retry that
        slept its own ``Retry-After``): a pause that ends by then does not hold it again.
        """
        if not self._queue or self._queue[0] != ticket:
            return None
        if self.in_flight >= self.cap:
            return None
        pause = self.paused_until - now
        if pause > EPSILON and (waited_until is None or waited_until < self.paused_until):
            return pause
        self._refill(now)
        if self.rate is not None and self._tokens < 1.0 - EPSILON:
            self._binding = True
            return max((1.0 - self._tokens) / self.rate, EPSILON)
        if self.rate is not None:
            self._tokens = max(0.0, self._tokens - 1.0)
        self._queue.popleft()
        self.in_flight += 1
        self._sent.append(now)
        while self._sent and self._sent[0] <= now - WINDOW:
            self._sent.popleft()
        return 0.0

    def cancel(self, ticket: int) -> None:
        """A waiter gave up (cancelled, interrupted): it leaves the queue."""
        with contextlib.suppress(ValueError):
            self._queue.remove(ticket)

    def release(
        self,
        started: float,
        now: float,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        """A request sent at ``started`` finished with ``status`` (``None``: no answer).

        Frees its slot, pauses the client until ``now + retry_after`` when Cyclr asked (a 429 or
        a 503), and feeds the learned rate: a 429 decreases it, any other answer lets it grow.
        """
        self.in_flight = max(0, self.in_flight - 1)
        if retry_after is not None and status in (429, 503):
            self.pause(now, retry_after)
        if status == 429:
            self.throttled += 1
            self._decrease(started, now)
        elif status is not None:
            # Proven once it held for a window after the pause (a server's bucket refills
            # during a pause, so the first requests after one succeed at almost any rate).
            if (
                self.rate is not None
                and started >= max(self._decreased_at, self.paused_until) + WINDOW
            ):
                self._settled = True
            self._grow(now)

    def pause(self, now: float, seconds: float) -> None:
        """Hold every new request until ``now + seconds`` (at most ``max_pause``)."""
        self.paused_until = max(self.paused_until, now + min(max(seconds, 0.0), self.max_pause))

    def reset(self) -> None:
        """Forget the waiters and the requests in flight (their event loop is gone).

        The learned rate and a pause are kept: they are Cyclr's, not the loop's.
        """
        self._queue.clear()
        self.in_flight = 0

    # -- the learned rate ------------------------------------------------------------------

    def _refill(self, now: float) -> None:
        if self._stamp is not None and self.rate is not None:
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    def _grow(self, now: float) -> None:
        # Additive increase, only while the rate is what holds requests back: a client that
        # sends slowly on its own (a notebook's single calls) must not build up a rate it
        # never tried, and then meet Cyclr's limit with it all at once.
        if not self.learning or self.rate is None:
            return
        if self._grown_at is not None and self._binding:
            self._refill(now)
            elapsed = max(0.0, now - self._grown_at)
            self.rate = min(self.ceiling, self.rate + INCREASE * elapsed)
        self._grown_at = now
        self._binding = False

    def _decrease(self, started: float, now: float) -> None:
        if not self.learning or started <= self._decreased_at:
            return  # a request sent before the last decrease: the same overload
        self._refill(now)
        if self.rate is None:
            self.rate = max(MIN_RATE, FIRST_DECREASE * self._measured(now))
        else:
            # Halved until a request sent at the new rate is answered: the first estimate comes
            # from a rate Cyclr refused, and may still be far above what it accepts.
            factor = DECREASE if self._settled else FIRST_DECREASE
            self.rate = max(MIN_RATE, self.rate * factor)
        self._tokens = min(self._tokens, self.burst)
        self._decreased_at = now
        self._grown_at = now
        self._binding = False

    def _measured(self, now: float) -> float:
        """Requests per second sent over the last ``WINDOW``.

        Over the time since the first of them when that is shorter (a client that started 0.1 s
        ago and sent 16 pages sent 160 per second, not 16).
        """
        sent = [t for t in self._sent if t > now - WINDOW]
        if not sent:
            return MIN_RATE
        return len(sent) / max(now - sent[0], MIN_SPAN)
