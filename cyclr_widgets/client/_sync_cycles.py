# Generated from _async_cycles.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient``'s methods on cycles: list, get, create, update, delete, activate, ...

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_cycles`.
Templates are in :mod:`._sync_templates`, steps, edges and variables in
:mod:`._sync_steps`, the run history in :mod:`._sync_history`.
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
    """Cycles: list, get, create, update, delete, activate, deactivate, prerequisites."""

    def cycles(
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
        return self._list(listing, limit, progress, include_icons)

    def iter_cycles(
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
    ) -> Iterator[dict[str, Any]]:
        """The account's cycles, one record at a time.

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
        return self._iterate(listing, limit, progress)

    def upgradeable_cycles(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """The account's cycles whose template has a newer release, as a DataFrame."""
        listing = ops.list_upgradeable_cycles(self._account(account_id))
        return self._list(listing, limit, progress)

    def iter_upgradeable_cycles(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The account's cycles whose template has a newer release.

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
        return self._iterate(listing, limit, progress)

    def cycle(self, account_id: str | None, cycle_id: str) -> dict[str, Any]:
        """Get one cycle."""
        return self._call(ops.get_cycle(self._account(account_id), cycle_id))

    def create_cycle(self, account_id: str | None, name: str, **settings: Any) -> dict[str, Any]:
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
        return self._call(ops.create_cycle(self._account(account_id), name, settings))

    def update_cycle(
        self, account_id: str | None, cycle_id: str, **settings: Any
    ) -> dict[str, Any]:
        """Change some of a cycle's settings (``name`` and those of ``create_cycle``).

        Only the settings given are sent; an explicit ``None`` is sent as ``null``, which Cyclr
        applies (it clears the field, e.g. a retention back to the account's).
        """
        op = ops.update_cycle(self._account(account_id), cycle_id, settings)
        return self._call(op)

    def delete_cycle(self, account_id: str | None, cycle_id: str) -> None:
        """Delete a cycle (and its run history)."""
        self._call(ops.delete_cycle(self._account(account_id), cycle_id))

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
