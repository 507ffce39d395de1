"""The synchronous send path: ``_send`` with retries, and listings streamed from a thread pool.

The twin of :mod:`._async_io`; everything else lives in the sans-I/O :class:`~._base.BaseClient`
and :mod:`._outcome`.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ..core import CyclrError
from ._base import BaseClient
from ._limiter import Limiter
from ._operation import Listing, Operation
from ._paging import Pager, Progress, records_of

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SyncIO", "ThreadLimiter"]

T = TypeVar("T")


class ThreadLimiter:
    """The limiter's thread driver: one condition guards the core; waiting is a sleep or a wait.

    The head of the queue sleeps (the client's ``_sleep``, outside the lock) for a pause or a
    token; everyone else waits on the condition, which every change (a request leaving the
    queue, a slot freed, a waiter giving up) wakes.
    """

    def __init__(self, core: Limiter) -> None:
        self.core = core
        self._cond = threading.Condition()

    def acquire(
        self,
        clock: Callable[[], float],
        sleep: Callable[[float], object],
        waited_until: float | None = None,
    ) -> float:
        """Wait for a slot, a token and the end of any pause; returns the send instant."""
        with self._cond:
            ticket = self.core.enqueue()
        try:
            while True:
                with self._cond:
                    now = clock()
                    delay = self.core.poll(ticket, now, waited_until)
                    if delay == 0.0:
                        self._cond.notify_all()  # the next in line is now the head
                        return now
                    if delay is None:
                        self._cond.wait()
                        continue
                sleep(delay)
        except BaseException:  # interrupted (Ctrl-C) while waiting: leave the queue
            with self._cond:
                self.core.cancel(ticket)
                self._cond.notify_all()
            raise

    def release(
        self,
        started: float,
        clock: Callable[[], float],
        status: int | None,
        retry_after: float | None,
    ) -> None:
        """The request sent at ``started`` is done (see :meth:`Limiter.release`)."""
        with self._cond:
            self.core.release(started, clock(), status, retry_after)
            self._cond.notify_all()


class SyncIO(BaseClient):
    """Blocking I/O for :class:`~cyclr_widgets.CyclrClient`."""

    _http: httpx.Client
    # What BaseClient checks transport= and http_client= against. httpx.MockTransport is both
    # kinds; an async-only transport cannot serve this client.
    _http_class = httpx.Client
    _transport_class = httpx.BaseTransport
    _transport_kind = "sync transport (an httpx.BaseTransport)"
    # Patchable (tests record the delays instead of sleeping, and move a fake clock): every wait
    # of the client, its retries' and its limiter's, goes through these two.
    _sleep = staticmethod(time.sleep)
    _monotonic = staticmethod(time.monotonic)

    _limiter: ThreadLimiter

    def _new_http(self) -> httpx.Client:
        transport: Any = self._transport  # checked by BaseClient
        return httpx.Client(transport=transport, timeout=self.timeout)

    def _new_limiter(self, core: Limiter) -> ThreadLimiter:
        return ThreadLimiter(core)

    # -- lifecycle ------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection pool (unless the ``http_client`` was passed in)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- the send path (twinned in AsyncCyclrClient) --------------------------------------

    def _send(self, op: Operation[Any]) -> httpx.Response:
        attempt = 0
        waited_until: float | None = None
        limiter = self._limiter
        while True:
            request = self._build_request(self._http, op)
            response: httpx.Response | None = None
            error: BaseException | None = None
            sent = limiter.acquire(self._monotonic, self._sleep, waited_until)
            started = time.perf_counter()
            try:
                response = self._http.send(request, auth=self._auth)
            except (httpx.TransportError, CyclrError) as exc:
                error = exc
            finally:
                limiter.release(sent, self._monotonic, *self._feedback(response, error))
            outcome = self._outcome(op, attempt, response, error, time.perf_counter() - started)
            if isinstance(outcome, httpx.Response):
                return outcome
            if isinstance(outcome, CyclrError):
                if outcome is error:
                    raise outcome
                raise outcome from error
            # This request waits out its own delays here; the pause a Retry-After put on the
            # whole client then does not hold it a second time (waited_until: the instant its
            # waits add up to, by the clock, however the sleep was patched).
            now = self._monotonic()
            waited_until = max(now, waited_until or now) + outcome
            self._sleep(outcome)
            attempt += 1

    def _call(self, op: Operation[T]) -> T:
        return self._decode(op, self._send(op))

    # -- listings: records page by page, in page order --------------------------------------

    def _iterate(
        self, listing: Listing, limit: int | None, progress: bool | None
    ) -> Iterator[dict[str, Any]]:
        """The listing's records as its pages arrive, in page order (the ``iter_*`` methods).

        Arguments are checked here, before the generator starts: a bad ``limit`` raises at the
        call, not at the first ``next()``.
        """
        pager = Pager(self.page_size, limit)
        bar = Progress(self.progress if progress is None else progress, listing.kind)
        return self._records(listing, pager, bar)

    def _records(self, listing: Listing, pager: Pager, bar: Progress) -> Iterator[dict[str, Any]]:
        if pager.done:
            return
        try:
            self._fetch_page(listing, pager, 1)
            pages = pager.remaining()
            if pages is None:  # no Total-Pages: one page after the other
                yield from records_of(pager.take())
                while (page := pager.next_page()) is not None:
                    bar.start(None)
                    self._fetch_page(listing, pager, page)
                    bar.update()
                    yield from records_of(pager.take())
            else:
                if pages:
                    bar.start(len(pages) + 1)
                yield from self._stream(listing, pager, pages, bar)
        finally:
            bar.close()

    def _fetch_page(self, listing: Listing, pager: Pager, page: int) -> None:
        op = listing.page(page, pager.page_size)
        response = self._send(op)
        pager.feed(page, self._decode(op, response), response.headers)

    def _stream(
        self, listing: Listing, pager: Pager, pages: list[int], bar: Progress
    ) -> Iterator[dict[str, Any]]:
        # Page 1 has arrived. Pages 2..N on a thread pool of `concurrency` threads, at most
        # 2 x concurrency pages requested ahead of the one being read (arrived or on their way);
        # each page is yielded as soon as every page before it has been. Closing the generator
        # (a `break`) cancels the pages not started and waits for those in flight.
        workers = min(self.concurrency, len(pages))
        if workers <= 1:
            yield from records_of(pager.take())
            for page in pages:
                self._fetch_page(listing, pager, page)
                bar.update()
                yield from records_of(pager.take())
            return
        ahead = deque(pages)
        futures: dict[int, Future[httpx.Response]] = {}
        pool = ThreadPoolExecutor(workers, thread_name_prefix="cyclr-page")
        try:

            def top_up() -> None:
                while ahead and len(futures) < 2 * workers:
                    page = ahead.popleft()
                    op = listing.page(page, pager.page_size)
                    futures[page] = pool.submit(self._send, op)

            top_up()
            yield from records_of(pager.take())  # page 1, while the next ones are on their way
            for page in pages:
                top_up()
                response = futures.pop(page).result()
                op = listing.page(page, pager.page_size)
                pager.feed(page, self._decode(op, response), response.headers)
                bar.update()
                yield from records_of(pager.take())
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # no page starts after this

    def _collect(self, listing: Listing, limit: int | None, progress: bool | None) -> list[Any]:
        return list(self._iterate(listing, limit, progress))

    def _list(
        self,
        listing: Listing,
        limit: int | None,
        progress: bool | None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        # The DataFrame is built from the records the iter_* methods yield: one code path.
        return self._frame(listing.kind, self._iterate(listing, limit, progress), include_icons)
