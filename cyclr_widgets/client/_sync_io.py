"""The synchronous send path: ``_send`` with retries, and listings paged on a thread pool.

The twin of :mod:`._async_io`; everything else lives in the sans-I/O :class:`~._base.BaseClient`
and :mod:`._outcome`.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from ..core import CyclrError
from ._base import BaseClient
from ._operation import Listing, Operation
from ._paging import Pager, Progress

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["SyncIO"]

T = TypeVar("T")


class SyncIO(BaseClient):
    """Blocking I/O for :class:`~cyclr_widgets.CyclrClient`."""

    _http: httpx.Client
    # What BaseClient checks transport= and http_client= against. httpx.MockTransport is both
    # kinds; an async-only transport cannot serve this client.
    _http_class = httpx.Client
    _transport_class = httpx.BaseTransport
    _transport_kind = "sync transport (an httpx.BaseTransport)"
    # Patchable (tests record the delays instead of sleeping).
    _sleep = staticmethod(time.sleep)

    def _new_http(self) -> httpx.Client:
        transport: Any = self._transport  # checked by BaseClient
        return httpx.Client(transport=transport, timeout=self.timeout)

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
        while True:
            request = self._build_request(self._http, op)
            response: httpx.Response | None = None
            error: BaseException | None = None
            started = time.perf_counter()
            try:
                response = self._http.send(request, auth=self._auth)
            except (httpx.TransportError, CyclrError) as exc:
                error = exc
            outcome = self._outcome(op, attempt, response, error, time.perf_counter() - started)
            if isinstance(outcome, httpx.Response):
                return outcome
            if isinstance(outcome, CyclrError):
                if outcome is error:
                    raise outcome
                raise outcome from error
            self._sleep(outcome)
            attempt += 1

    def _call(self, op: Operation[T]) -> T:
        return self._decode(op, self._send(op))

    def _collect(self, listing: Listing, limit: int | None, progress: bool | None) -> list[Any]:
        pager = Pager(self.page_size, limit)
        if pager.done:
            return []
        bar = Progress(self.progress if progress is None else progress, listing.kind)
        try:
            first = listing.page(1, pager.page_size)
            response = self._send(first)
            pager.feed(1, self._decode(first, response), response.headers)
            pages = pager.remaining()
            if pages is None:  # no Total-Pages: one page after the other
                while (page := pager.next_page()) is not None:
                    bar.start(None)
                    self._fetch_page(listing, pager, page)
                    bar.update()
            elif pages:
                bar.start(len(pages) + 1)
                self._fetch_pages(listing, pager, pages, bar)
        finally:
            bar.close()
        return pager.items()

    def _fetch_page(self, listing: Listing, pager: Pager, page: int) -> None:
        op = listing.page(page, pager.page_size)
        response = self._send(op)
        pager.feed(page, self._decode(op, response), response.headers)

    def _fetch_pages(self, listing: Listing, pager: Pager, pages: list[int], bar: Progress) -> None:
        # Pages 2..N in a bounded thread pool; the Pager puts them back in page order.
        workers = min(self.concurrency, len(pages))
        if workers <= 1:
            for page in pages:
                self._fetch_page(listing, pager, page)
                bar.update()
            return
        with ThreadPoolExecutor(workers, thread_name_prefix="cyclr-page") as pool:
            futures = {pool.submit(self._send, listing.page(p, pager.page_size)): p for p in pages}
            try:
                for future in as_completed(futures):
                    page = futures[future]
                    response = future.result()
                    op = listing.page(page, pager.page_size)
                    pager.feed(page, self._decode(op, response), response.headers)
                    bar.update()
            except BaseException:
                for future in futures:
                    future.cancel()  # do not start pages nobody will read
                raise

    def _list(
        self,
        listing: Listing,
        limit: int | None,
        progress: bool | None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        return self._frame(listing.kind, self._collect(listing, limit, progress), include_icons)
