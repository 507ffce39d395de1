"""The health scan's fan-out for ``CyclrClient``: many accounts at once on a thread pool.

Hand-written, like :mod:`._sync_io` (threads and anyio tasks do not share a spelling), and the
twin of :mod:`._async_fanout`; the methods calling it (:mod:`._sync_health`) are generated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from ..core import CyclrError
from ._health import HealthScan, Tally
from ._sync_io import SyncIO

__all__ = ["FanOutMethods"]

# How often the pool's waiter looks at should_stop when no account completes (a Stop button
# set from another thread): short enough to feel immediate, long enough to cost nothing.
_POLL = 0.25


class FanOutMethods(SyncIO):
    """Runs a :class:`~._health.HealthScan`: accounts and their listings on one thread pool."""

    def _health_part(self, scan: HealthScan, tally: Tally, part: str) -> None:
        raise NotImplementedError  # pragma: no cover - the health mixin provides it

    def _fan_out(
        self,
        scan: HealthScan,
        source: Iterable[dict[str, Any]],
        emit: Callable[[dict[str, Any]], Any],
    ) -> None:
        """Scan every account of ``source``, calling ``emit`` with each row in this thread."""
        for row in self._fan_out_rows(scan, source):
            emit(row)

    def _fan_out_rows(
        self, scan: HealthScan, source: Iterable[dict[str, Any]]
    ) -> Iterator[dict[str, Any]]:
        """Each account's row as it completes.

        ``scan.concurrency`` threads run the listings (each account's four at once, and the
        next accounts' while a slow one finishes); at most ``concurrency`` accounts are in
        flight, so at most that many tallies exist and the pool's queue stays short. The
        accounts listing (``source``) is read here, in the caller's thread, page by page as the
        scan needs more accounts. Closing the iterator (a ``break``, Ctrl-C, a stop) cancels
        the listings not started and waits for those in flight (one request each).
        """
        accounts = iter(source)
        pool = ThreadPoolExecutor(scan.concurrency, thread_name_prefix="cyclr-health")
        running: dict[Future[None], tuple[Tally, str]] = {}
        failure: CyclrError | None = None
        try:
            while True:
                while failure is None and scan.in_flight < scan.concurrency:
                    if scan.stop_now():
                        break
                    try:
                        account = scan.next_account(accounts)
                    except CyclrError as exc:  # the accounts listing: end after those in flight
                        failure = exc
                        break
                    if account is None:  # none for now (sub-accounts may still be found)
                        break
                    tally = scan.begin(account)
                    for part in scan.parts:
                        future = pool.submit(self._health_part, scan, tally, part)
                        running[future] = (tally, part)
                if not running or scan.stopped:
                    break
                done, _ = wait(running, timeout=_POLL, return_when=FIRST_COMPLETED)
                for future in done:
                    tally, part = running.pop(future)
                    row = scan.finish(tally, part, future.exception())
                    if row is not None and not scan.stop_now():
                        yield row
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # no listing starts after this
        if failure is not None:
            raise failure
