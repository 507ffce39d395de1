"""``AsyncCyclrClient``'s methods on the run history: transactions, their steps, incidents.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_history`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._async_io import AsyncIO
from ._settings import When

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["AsyncHistoryMethods"]


class AsyncHistoryMethods(AsyncIO):
    """Transactions, one transaction's step records, incidents."""

    async def transactions(
        self,
        account_id: str | None = None,
        *,
        cycle_id: str | None = None,
        status: str | None = None,
        after: When = None,
        before: When = None,
        split_type: str | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Run history of the account (or of one cycle) as a DataFrame (see ``iter_``)."""
        listing = ops.list_transactions(
            self._account(account_id), cycle_id, status, after, before, split_type
        )
        return await self._list(listing, limit, progress)

    async def iter_transactions(
        self,
        account_id: str | None = None,
        *,
        cycle_id: str | None = None,
        status: str | None = None,
        after: When = None,
        before: When = None,
        split_type: str | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Run history of the account (or of one cycle), one record at a time (``async for``).

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        cycle_id
            Only this cycle's transactions.
        status
            Cyclr's status filter (e.g. ``"Completed"``).
        after, before
            Time bounds: an aware ``datetime`` (sent as ISO 8601 UTC), a ``date``
            (``YYYY-MM-DD``) or a string (sent as is); ``after`` must be earlier.
        split_type
            Cyclr's ``splitType`` filter (e.g. ``"Unsplit"``).
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each transaction as Cyclr sent it, in page order.
        """
        listing = ops.list_transactions(
            self._account(account_id), cycle_id, status, after, before, split_type
        )
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def transaction_steps(
        self,
        account_id: str | None,
        cycle_id: str,
        transaction_id: str,
        *,
        query: str | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """One transaction's step records (requests and responses) as a DataFrame."""
        listing = ops.list_transaction_steps(
            self._account(account_id), cycle_id, transaction_id, query
        )
        return await self._list(listing, limit, progress)

    async def iter_transaction_steps(
        self,
        account_id: str | None,
        cycle_id: str,
        transaction_id: str,
        *,
        query: str | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """One transaction's step records, one at a time (``async for``).

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        cycle_id, transaction_id
            The cycle's and the transaction's GUIDs (an incident's ``CycleId`` and
            ``TransactionId``).
        query
            Only records whose text contains this (Cyclr's ``query``).
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each step record as Cyclr sent it (its request and response dumps, secrets
            scrubbed by Cyclr), in page order.
        """
        listing = ops.list_transaction_steps(
            self._account(account_id), cycle_id, transaction_id, query
        )
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def incidents(
        self,
        account_id: str | None = None,
        level: str = "error",
        *,
        cycle_id: str | None = None,
        after: When = None,
        before: When = None,
        window: timedelta | None = ops.INCIDENT_WINDOW,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Errors (``level="error"``) or warnings as a DataFrame: the last 7 days by default.

        See ``iter_incidents`` for the window (``window=None`` for every incident).
        """
        listing = ops.list_incidents(
            self._account(account_id), level, cycle_id, after, before, window, self._now()
        )
        return await self._list(listing, limit, progress)

    async def iter_incidents(
        self,
        account_id: str | None = None,
        level: str = "error",
        *,
        cycle_id: str | None = None,
        after: When = None,
        before: When = None,
        window: timedelta | None = ops.INCIDENT_WINDOW,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """Errors or warnings across the account's cycles, one record at a time (``async for``).

        Only the recent ones by default: unless ``after`` is given, Cyclr is asked for the
        incidents after ``now - window`` (7 days), ``now`` from the client's ``clock``.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        level
            ``"error"`` or ``"warning"``.
        cycle_id
            Only this cycle's incidents (every level).
        after, before
            Time bounds: an aware ``datetime`` (sent as ISO 8601 UTC), a ``date``
            (``YYYY-MM-DD``) or a string (sent as is); ``after`` wins over ``window``.
        window
            How far back to look when ``after`` is not given (a positive ``timedelta``);
            ``None`` asks for every incident, however old.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each incident as Cyclr sent it, in page order.
        """
        listing = ops.list_incidents(
            self._account(account_id), level, cycle_id, after, before, window, self._now()
        )
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def clear_cycle_incidents(self, account_id: str | None, cycle_id: str) -> None:
        """Delete a cycle's incidents (its errors and warnings)."""
        await self._call(ops.clear_cycle_incidents(self._account(account_id), cycle_id))
