"""``AsyncCyclrClient``'s partner-wide health scan: ``account_health()`` and its record twin.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_health`. What the
listings fold into, and the score, are sans-I/O (:mod:`._health`); running the accounts at once
is the I/O twins' part (:mod:`._async_fanout`).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import aclosing
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..core import CyclrError
from . import _endpoints as ops
from ._async_fanout import AsyncFanOutMethods
from ._health import (
    HealthScan,
    Tally,
    account_source,
    health_frame,
    parse_window,
    stop_check,
)
from ._paging import Progress
from ._settings import int_arg, type_error

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["AsyncHealthMethods"]

Accounts = str | Iterable[Any] | None
Stop = threading.Event | Callable[[], bool] | None


class AsyncHealthMethods(AsyncFanOutMethods):
    """Every account's health at once, worst first."""

    async def account_health(
        self,
        accounts: Accounts = None,
        *,
        window: str | timedelta = "24h",
        include_subaccounts: bool = False,
        concurrency: int | None = None,
        should_stop: Stop = None,
        on_row: Callable[[dict[str, Any]], Any] | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """One row per account, worst first: broken connectors, failing cycles, incidents.

        Parameters
        ----------
        accounts
            ``None`` (every account of the partner), one API ID, a list of API IDs or account
            records, or a DataFrame with an ``Id`` column (e.g. ``accounts()`` filtered). Given
            ids have no ``Name`` unless their records or DataFrame carry one (no extra call).
        window
            How far back to count incidents: ``"24h"``, ``"7d"``, ``"30m"``, ``"2w"`` or a
            ``timedelta``; sent as the incidents' ``after=`` (``now - window``, ``now`` from
            the client's ``clock``, the same bound for every account).
        include_subaccounts
            Also scan each account's sub-accounts (one more listing per account), found at any
            depth, each once.
        concurrency
            Requests in flight at once, across the accounts and their listings (default the
            client's ``concurrency``). Every request goes through the client's send path, and so
            through whatever limits it applies.
        should_stop
            A ``threading.Event`` or a callable: once it is set (returns true) no account is
            started, the ones in flight are dropped, and the rows gathered so far come back.
        on_row
            Called with each row (a dict of the columns below) as its account completes, in the
            caller's thread (the caller's task for the async client): for live views.
        progress
            Progress bar over the accounts: ``None`` auto (Jupyter only), ``True``, ``False``.

        Returns
        -------
        pandas.DataFrame
            One row per account scanned (``frames.SCHEMAS["account_health"]``): ``Id``,
            ``Name``, ``Score`` (0-100, lower is worse; see :mod:`cyclr_widgets.client._health`
            for the formula), ``Error`` (``None``, or why the account could not be scanned:
            a 403, a listing that kept failing; its counts are then missing and its score 0),
            ``Connectors``, ``NotAuthenticated`` and ``NotAuthenticatedNames``,
            ``CyclesActive``, ``CyclesPaused``, ``CyclesInError`` (``ErrorCount > 0`` or an
            error incident in the window), ``ErrorIncidents``, ``WarningIncidents``,
            ``LastSuccessfulRun`` (the newest of the cycles' ``LastSuccessfulRunDate``) and
            ``ParentAccountId``; sorted by ``Score``, then ``Id``. ``df.attrs["complete"]`` is
            ``False`` when a stop or Ctrl-C (``KeyboardInterrupt``) ended the scan early, or
            the accounts listing itself failed (``df.attrs["error"]`` says how); the rows
            gathered until then are kept. ``df.attrs["after"]`` is the window's start.

        Notes
        -----
        Partial failure is a row, not an exception: an account answering 403, or a listing
        still failing after the client's retries, puts its error in its row and the scan goes
        on. Memory stays bounded: each listing's records are folded into counters as they
        arrive and dropped; only one small row per account is kept.
        """
        scan = self._health_scan(window, include_subaccounts, concurrency, should_stop)
        source = self._health_source(accounts)
        rows: list[dict[str, Any]] = []
        error: str | None = None
        bar = Progress(self.progress if progress is None else progress, "account health")

        def emit(row: dict[str, Any]) -> None:
            rows.append(row)
            bar.start(len(source) if isinstance(source, list) else None)  # once; counts one
            if len(rows) > 1:
                bar.update()
            if on_row is not None:
                on_row(row)

        try:
            await self._fan_out(scan, source, emit)
        except KeyboardInterrupt:
            scan.stopped = True  # Ctrl-C: keep what was gathered (the docstring's promise)
        except CyclrError as exc:  # the accounts listing failed: not one account's failure
            error = f"{type(exc).__name__}: {exc}"
        finally:
            bar.close()
        return health_frame(self._frame("account_health", rows), scan, error)

    async def iter_account_health(
        self,
        accounts: Accounts = None,
        *,
        window: str | timedelta = "24h",
        include_subaccounts: bool = False,
        concurrency: int | None = None,
        should_stop: Stop = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Each account's health row as it completes (``async for``); see ``account_health``.

        The rows come in the order the accounts complete. Leaving the loop (``break``,
        ``close()``) or ``should_stop`` stops the scan: nothing more is started. A failure of
        the accounts listing itself ends the iteration with its error, after the rows of the
        accounts already in flight. The async twin runs the accounts in rounds of
        ``4 x concurrency`` and yields each round's rows once it is over (an async generator
        cannot keep tasks running between its yields); ``account_health(on_row=...)`` reports
        every row the moment it completes.
        """
        scan = self._health_scan(window, include_subaccounts, concurrency, should_stop)
        source = self._health_source(accounts)
        async with aclosing(self._fan_out_rows(scan, source)) as records:
            async for record in records:
                yield record

    # -- shared by both ---------------------------------------------------------------------

    def _health_scan(
        self, window: object, include_subaccounts: object, concurrency: object, should_stop: object
    ) -> HealthScan:
        # Every argument is checked here, before anything is sent.
        span = parse_window(window)
        if not isinstance(include_subaccounts, bool):
            raise type_error("include_subaccounts", "True or False", include_subaccounts)
        workers = (
            self.concurrency if concurrency is None else int_arg("concurrency", concurrency, 1)
        )
        return HealthScan(
            after=self._now() - span,
            include_subaccounts=include_subaccounts,
            concurrency=workers,
            stop=stop_check(should_stop),
        )

    def _health_source(self, accounts: object) -> Any:
        given = account_source(accounts)
        if given is not None:
            return given
        return self._iterate(ops.list_accounts(), None, False)

    async def _health_part(self, scan: HealthScan, tally: Tally, part: str) -> None:
        # One listing of one account, folded into its tally record by record (never kept).
        listing = scan.listing(tally.account["Id"], part)
        # Read to the end (nothing to close early): each record is folded in and dropped.
        async for record in self._iterate(listing, None, False):
            scan.add(tally, part, record)
