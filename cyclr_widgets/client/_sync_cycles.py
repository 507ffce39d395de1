# Generated from _async_cycles.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient``'s methods on templates, cycles and their run history.

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_cycles`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._settings import When, format_when
from ._sync_io import SyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["CycleMethods"]


class CycleMethods(SyncIO):
    """Templates, cycles, transactions and incidents."""

    # -- templates and cycles -------------------------------------------------------------

    def templates(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        """The partner's template library (partner level unless ``account_id`` is given)."""
        acct = None if account_id is None else self._account(account_id)
        return self._list(ops.list_templates(acct), limit, progress, include_icons)

    def iter_templates(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The partner's template library, one record at a time.

        Parameters
        ----------
        account_id
            Partner level unless given (then the templates that account sees).
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each template as Cyclr sent it, in page order.
        """
        acct = None if account_id is None else self._account(account_id)
        listing = ops.list_templates(acct)
        return self._iterate(listing, limit, progress)

    def install_template(self, account_id: str | None, template_id: str) -> dict[str, Any]:
        """Install a template into the account as a new (paused) cycle. Never retried blindly."""
        return self._call(ops.install_template(self._account(account_id), template_id))

    def cycles(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        """The account's cycles as a DataFrame."""
        listing = ops.list_cycles(self._account(account_id))
        return self._list(listing, limit, progress, include_icons)

    def iter_cycles(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The account's cycles, one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each cycle as Cyclr sent it, in page order.
        """
        listing = ops.list_cycles(self._account(account_id))
        return self._iterate(listing, limit, progress)

    def cycle(self, account_id: str | None, cycle_id: str) -> dict[str, Any]:
        """Get one cycle."""
        return self._call(ops.get_cycle(self._account(account_id), cycle_id))

    def activate_cycle(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        start_time: When = None,
        interval: int | None = None,
        run_once: bool | None = None,
    ) -> None:
        """Start a cycle (``interval`` in minutes: 1, 5, 15, ... 10080)."""
        self._call(
            ops.activate_cycle(
                self._account(account_id), cycle_id, format_when(start_time), interval, run_once
            )
        )

    def deactivate_cycle(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        finish_queued_transactions: bool | None = None,
    ) -> None:
        """Stop a cycle."""
        self._call(
            ops.deactivate_cycle(self._account(account_id), cycle_id, finish_queued_transactions)
        )

    def cycle_prerequisites(self, account_id: str | None, cycle_id: str) -> list[dict[str, Any]]:
        """What blocks activation: ``[{ReasonCode, Reason, ObjectType, ObjectId}]``."""
        return self._call(ops.cycle_prerequisites(self._account(account_id), cycle_id))

    def transactions(
        self,
        account_id: str | None = None,
        *,
        cycle_id: str | None = None,
        status: str | None = None,
        after: When = None,
        before: When = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Run history of the account (or of one cycle) as a DataFrame."""
        listing = ops.list_transactions(
            self._account(account_id), cycle_id, status, format_when(after), format_when(before)
        )
        return self._list(listing, limit, progress)

    def iter_transactions(
        self,
        account_id: str | None = None,
        *,
        cycle_id: str | None = None,
        status: str | None = None,
        after: When = None,
        before: When = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Run history of the account (or of one cycle), one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        cycle_id
            Only this cycle's transactions.
        status
            Cyclr's status filter (e.g. ``"Completed"``).
        after, before
            Time bounds: an aware ``datetime``, a ``date`` or a string (sent as is).
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
            self._account(account_id), cycle_id, status, format_when(after), format_when(before)
        )
        return self._iterate(listing, limit, progress)

    def incidents(
        self,
        account_id: str | None = None,
        level: str = "error",
        *,
        cycle_id: str | None = None,
        after: When = None,
        before: When = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Errors (``level="error"``) or warnings across the account's cycles, as a DataFrame."""
        listing = ops.list_incidents(
            self._account(account_id), level, cycle_id, format_when(after), format_when(before)
        )
        return self._list(listing, limit, progress)

    def iter_incidents(
        self,
        account_id: str | None = None,
        level: str = "error",
        *,
        cycle_id: str | None = None,
        after: When = None,
        before: When = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Errors or warnings across the account's cycles, one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        level
            ``"error"`` or ``"warning"``.
        cycle_id
            Only this cycle's incidents.
        after, before
            Time bounds: an aware ``datetime``, a ``date`` or a string (sent as is).
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
            self._account(account_id), level, cycle_id, format_when(after), format_when(before)
        )
        return self._iterate(listing, limit, progress)
