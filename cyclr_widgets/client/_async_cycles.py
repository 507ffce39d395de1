"""``AsyncCyclrClient``'s methods on cycles: list, get, create, update, delete, activate, ...

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_cycles`.
Templates are in :mod:`._async_templates`, steps, edges and variables in
:mod:`._async_steps`, the run history in :mod:`._async_history`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._async_io import AsyncIO
from ._settings import When, format_when

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["AsyncCycleMethods"]


class AsyncCycleMethods(AsyncIO):
    """Cycles: list, get, create, update, delete, activate, deactivate, prerequisites."""

    async def cycles(
        self,
        account_id: str | None = None,
        *,
        order_by: str | None = None,
        sort_order_asc: bool | None = None,
        connector_name: str | None = None,
        connector_version: str | None = None,
        tag: str | list[str] | None = None,
        include_icons: bool = False,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """The account's cycles as a DataFrame (filters as ``iter_cycles``).

        Icons are left out unless ``include_icons=True``, so Cyclr is asked not to send them.
        """
        listing = ops.list_cycles(
            self._account(account_id),
            order_by=order_by,
            sort_order_asc=sort_order_asc,
            tag=tag,
            connector_name=connector_name,
            connector_version=connector_version,
            include_icons=include_icons,
        )
        return await self._list(listing, limit, progress, include_icons)

    async def iter_cycles(
        self,
        account_id: str | None = None,
        *,
        order_by: str | None = None,
        sort_order_asc: bool | None = None,
        connector_name: str | None = None,
        connector_version: str | None = None,
        tag: str | list[str] | None = None,
        include_icons: bool | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """The account's cycles, one record at a time (``async for``).

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        order_by, sort_order_asc
            Cyclr's sort (``orderBy``, e.g. ``"Name"``; ``sortOrderAsc``).
        connector_name, connector_version
            Only cycles using this connector (``connectorName``), at this version.
        tag
            Only cycles with this tag, or any of these tags (case-sensitive, as in Cyclr).
        include_icons
            ``includeIcons``: ``None`` leaves Cyclr's default.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each cycle as Cyclr sent it, in page order.
        """
        listing = ops.list_cycles(
            self._account(account_id),
            order_by=order_by,
            sort_order_asc=sort_order_asc,
            tag=tag,
            connector_name=connector_name,
            connector_version=connector_version,
            include_icons=include_icons,
        )
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def upgradeable_cycles(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """The account's cycles whose template has a newer release, as a DataFrame."""
        listing = ops.list_upgradeable_cycles(self._account(account_id))
        return await self._list(listing, limit, progress)

    async def iter_upgradeable_cycles(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """The account's cycles whose template has a newer release (``async for``).

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
        listing = ops.list_upgradeable_cycles(self._account(account_id))
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def cycle(self, account_id: str | None, cycle_id: str) -> dict[str, Any]:
        """Get one cycle."""
        return await self._call(ops.get_cycle(self._account(account_id), cycle_id))

    async def create_cycle(
        self, account_id: str | None, name: str, **settings: Any
    ) -> dict[str, Any]:
        """Create an empty cycle; return it.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        name
            The cycle's name.
        **settings
            ``description``, ``shareable``, ``step_error_action``, ``log_step_data_requests``,
            ``collection_split_type``, ``continue_on_step_error``, ``tags``,
            ``step_data_success_retention_hours``, ``step_data_errored_retention_hours``
            (sent with Cyclr's PascalCase names), or Cyclr's own PascalCase names as given.

        Raises
        ------
        TypeError
            For an unknown setting, before anything is sent.

        Notes
        -----
        Never retried blindly: a second create is a second cycle.
        """
        return await self._call(ops.create_cycle(self._account(account_id), name, settings))

    async def update_cycle(
        self, account_id: str | None, cycle_id: str, **settings: Any
    ) -> dict[str, Any]:
        """Change some of a cycle's settings (``name`` and those of ``create_cycle``).

        Only the settings given are sent; an explicit ``None`` is sent as ``null``, which Cyclr
        applies (it clears the field, e.g. a retention back to the account's).
        """
        op = ops.update_cycle(self._account(account_id), cycle_id, settings)
        return await self._call(op)

    async def delete_cycle(self, account_id: str | None, cycle_id: str) -> None:
        """Delete a cycle (and its run history)."""
        await self._call(ops.delete_cycle(self._account(account_id), cycle_id))

    async def activate_cycle(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        start_time: When = None,
        interval: int | None = None,
        run_once: bool | None = None,
    ) -> None:
        """Start a cycle (``interval`` in minutes: 1, 5, 15, ... 10080)."""
        await self._call(
            ops.activate_cycle(
                self._account(account_id), cycle_id, format_when(start_time), interval, run_once
            )
        )

    async def deactivate_cycle(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        finish_queued_transactions: bool | None = None,
    ) -> None:
        """Stop a cycle."""
        await self._call(
            ops.deactivate_cycle(self._account(account_id), cycle_id, finish_queued_transactions)
        )

    async def cycle_prerequisites(
        self, account_id: str | None, cycle_id: str
    ) -> list[dict[str, Any]]:
        """What blocks activation: ``[{ReasonCode, Reason, ObjectType, ObjectId}]``."""
        return await self._call(ops.cycle_prerequisites(self._account(account_id), cycle_id))
