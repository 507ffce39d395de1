"""The asynchronous send path: ``_send`` with retries, and listings paged in concurrent batches.

The twin of :mod:`._sync_io`; runs on asyncio and trio through anyio (an httpx dependency).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import anyio
import httpx

from ..core import CyclrError
from ._base import BaseClient
from ._limiter import Limiter
from ._operation import Listing, Operation
from ._paging import Pager, Progress, records_of

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["AsyncIO", "TaskLimiter"]

T = TypeVar("T")


class TaskLimiter:
    """The limiter's anyio driver: the core needs no lock (one event loop runs the client).

    The head of the queue sleeps (the client's ``_sleep``) for a pause or a token; everyone else
    waits on an event that every change (a request leaving the queue, a slot freed, a waiter
    cancelled) sets. The event belongs to one event loop: ``reset()`` when the loop changes.
    """

    def __init__(self, core: Limiter) -> None:
        self.core = core
        self._changed: anyio.Event | None = None

    def _notify(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    async def acquire(
        self,
        clock: Callable[[], float],
        sleep: Callable[[float], Awaitable[object]],
        waited_until: float | None = None,
    ) -> float:
        """Wait for a slot, a token and the end of any pause; returns the send instant."""
        ticket = self.core.enqueue()
        try:
            while True:
                now = clock()
                delay = self.core.poll(ticket, now, waited_until)
                if delay == 0.0:
                    self._notify()  # the next in line is now the head
                    return now
                if delay is None:
                    if self._changed is None:
                        self._changed = anyio.Event()
                    await self._changed.wait()
                else:
                    await sleep(delay)
        except BaseException:  # cancelled while waiting: leave the queue
            self.core.cancel(ticket)
            self._notify()
            raise

    def release(
        self,
        started: float,
        clock: Callable[[], float],
        status: int | None,
        retry_after: float | None,
    ) -> None:
        """The request sent at ``started`` is done (see :meth:`Limiter.release`)."""
        self.core.release(started, clock(), status, retry_after)
        self._notify()

    def reset(self) -> None:
        """A new event loop: the waiters and requests of the old one are gone with it."""
        self.core.reset()
        self._changed = None


class AsyncIO(BaseClient):
    """Non-blocking I/O for :class:`~cyclr_widgets.AsyncCyclrClient`."""

    _http: httpx.AsyncClient
    _await = "await "
    _loop: object = None
    # What BaseClient checks transport= and http_client= against. httpx.MockTransport is both
    # kinds; a sync-only transport cannot serve this client.
    _http_class = httpx.AsyncClient
    _transport_class = httpx.AsyncBaseTransport
    _transport_kind = "async transport (an httpx.AsyncBaseTransport)"
    # Patchable (tests record the delays instead of sleeping, and move a fake clock): every wait
    # of the client, its retries' and its limiter's, goes through these two.
    _sleep = staticmethod(anyio.sleep)
    _monotonic = staticmethod(time.monotonic)
    _limiter: TaskLimiter

    def _new_http(self) -> httpx.AsyncClient:
        transport: Any = self._transport  # checked by BaseClient
        return httpx.AsyncClient(transport=transport, timeout=self.timeout)

    def _new_limiter(self, core: Limiter) -> TaskLimiter:
        return TaskLimiter(core)

    # -- lifecycle ------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the connection pool (unless the ``http_client`` was passed in)."""
        if self._owns_http:
            self._check_loop()  # a pool from a finished loop cannot be closed on this one
            await self._http.aclose()

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- the send path (twin of CyclrClient's) --------------------------------------------

    def _check_loop(self) -> None:
        # Pooled connections belong to the event loop that opened them. Scripts that call
        # asyncio.run() once per listing would otherwise hit "Event loop is closed", so an
        # owned pool is replaced when the loop changes (the old one died with its loop).
        try:
            loop: object = asyncio.get_running_loop()
        except RuntimeError:  # not asyncio (trio): nothing to track
            return
        if self._loop is not None and loop is not self._loop:
            if self._owns_http:
                self._http = self._new_http()
            self._limiter.reset()
        self._loop = loop

    async def _send(self, op: Operation[Any]) -> httpx.Response:
        self._check_loop()
        attempt = 0
        waited_until: float | None = None
        limiter = self._limiter
        while True:
            request = self._build_request(self._http, op)
            response: httpx.Response | None = None
            error: BaseException | None = None
            sent = await limiter.acquire(self._monotonic, self._sleep, waited_until)
            started = time.perf_counter()
            try:
                response = await self._http.send(request, auth=self._auth)
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
            await self._sleep(outcome)
            attempt += 1

    async def _call(self, op: Operation[T]) -> T:
        return self._decode(op, await self._send(op))

    # -- listings: records page by page, in page order --------------------------------------

    def _iterate(
        self, listing: Listing, limit: int | None, progress: bool | None
    ) -> AsyncGenerator[dict[str, Any], None]:
        """The listing's records as its pages arrive, in page order (the ``iter_*`` methods).

        Page 1 first; then the pages after it in batches of ``concurrency`` fetched at once,
        each batch yielded in page order once it has arrived. Nothing runs while the caller
        holds a record: an async generator cannot keep tasks going between its yields (their
        task group would be closed by whichever task finalizes the generator after a
        ``break``), so a ``break`` stops the listing at once and leaves nothing to clean up.
        """
        pager = Pager(self.page_size, limit)
        bar = Progress(self.progress if progress is None else progress, listing.kind)
        return self._records(listing, pager, bar)

    async def _records(
        self, listing: Listing, pager: Pager, bar: Progress
    ) -> AsyncGenerator[dict[str, Any], None]:
        if pager.done:
            return
        try:
            await self._fetch_page(listing, pager, 1)
            pages = pager.remaining()
            for record in records_of(pager.take()):
                yield record
            if pages is None:  # no Total-Pages: one page after the other
                while (page := pager.next_page()) is not None:
                    bar.start(None)
                    await self._fetch_page(listing, pager, page)
                    bar.update()
                    for record in records_of(pager.take()):
                        yield record
                return
            if pages:
                bar.start(len(pages) + 1)
            for at in range(0, len(pages), self.concurrency):
                await self._fetch_pages(listing, pager, pages[at : at + self.concurrency], bar)
                for record in records_of(pager.take()):
                    yield record
        finally:
            bar.close()  # no await here: safe in whichever task closes the generator

    async def _fetch_page(self, listing: Listing, pager: Pager, page: int) -> None:
        op = listing.page(page, pager.page_size)
        response = await self._send(op)
        pager.feed(page, self._decode(op, response), response.headers)

    async def _fetch_pages(
        self, listing: Listing, pager: Pager, pages: list[int], bar: Progress
    ) -> None:
        # These pages at once (the limiter keeps `concurrency` in flight); the Pager restores
        # page order. Errors are collected instead of raised in the tasks, so callers get the
        # CyclrError itself rather than an ExceptionGroup, and the first failure cancels the rest.
        errors: dict[int, BaseException] = {}

        async with anyio.create_task_group() as group:

            async def fetch(page: int) -> None:
                try:
                    await self._fetch_page(listing, pager, page)
                except Exception as exc:
                    errors[page] = exc
                    group.cancel_scope.cancel()
                    return
                bar.update()

            for page in pages:
                group.start_soon(fetch, page)
        if errors:
            raise errors[min(errors)]

    async def _collect(
        self, listing: Listing, limit: int | None, progress: bool | None
    ) -> list[Any]:
        """Every record of the listing at once (the DataFrame listings).

        The same pages and records as ``_iterate``, but no caller code runs between the pages,
        so the pages after the first need no batches: they are all started together and the
        client's limiter keeps ``concurrency`` of them in flight, a new one starting as soon
        as one ends (a batch waits for its slowest page before the next batch starts).
        """
        pager = Pager(self.page_size, limit)
        bar = Progress(self.progress if progress is None else progress, listing.kind)
        try:
            if pager.done:
                return []
            await self._fetch_page(listing, pager, 1)
            pages = pager.remaining()
            records = records_of(pager.take())
            if pages is None:  # no Total-Pages: one page after the other
                while (page := pager.next_page()) is not None:
                    bar.start(None)
                    await self._fetch_page(listing, pager, page)
                    bar.update()
                    records.extend(records_of(pager.take()))
                return records
            if pages:
                bar.start(len(pages) + 1)
                await self._fetch_pages(listing, pager, pages, bar)
                records.extend(records_of(pager.take()))
            return records
        finally:
            bar.close()

    async def _list(
        self,
        listing: Listing,
        limit: int | None,
        progress: bool | None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        # The DataFrame is built from the same records the iter_* methods yield.
        records = await self._collect(listing, limit, progress)
        return self._frame(listing.kind, records, include_icons)
