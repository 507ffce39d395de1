# Generated from _async_steps.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient``'s methods on a cycle's graph: steps, edges and variables.

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_steps`. The bodies take
snake_case names (``action_type=``) or Cyclr's PascalCase ones (``ActionType=``); an unknown
snake_case name is a ``TypeError`` before anything is sent (see ``_endpoints/_bodies.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._sync_io import SyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["StepMethods"]


class StepMethods(SyncIO):
    """A cycle's steps, edges and variables."""

    # -- steps ----------------------------------------------------------------------------

    def cycle_steps(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """A cycle's steps (method calls and tools) as a DataFrame."""
        listing = ops.list_cycle_steps(self._account(account_id), cycle_id)
        return self._list(listing, limit, progress)

    def iter_cycle_steps(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """A cycle's steps, one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        cycle_id
            The cycle's GUID.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each record as Cyclr sent it, in page order.
        """
        listing = ops.list_cycle_steps(self._account(account_id), cycle_id)
        return self._iterate(listing, limit, progress)

    def create_cycle_step(
        self, account_id: str | None, cycle_id: str, **step: Any
    ) -> dict[str, Any]:
        """Add a step to a cycle; return it. Never retried blindly (a second step).

        ``**step``: ``name``, ``description``, ``action_type``, ``display_position_left``,
        ``display_position_top``, or Cyclr's own PascalCase names (``ActionType=4``).
        """
        op = ops.create_cycle_step(self._account(account_id), cycle_id, step)
        return self._call(op)

    def cycle_step(self, account_id: str | None, cycle_id: str, step_id: str) -> dict[str, Any]:
        """Get one step of a cycle."""
        op = ops.get_cycle_step(self._account(account_id), cycle_id, step_id)
        return self._call(op)

    def update_cycle_step(
        self, account_id: str | None, cycle_id: str, step_id: str, **step: Any
    ) -> dict[str, Any]:
        """Change some of a step's fields (as ``create_cycle_step``; ``None`` is sent as null)."""
        op = ops.update_cycle_step(self._account(account_id), cycle_id, step_id, step)
        return self._call(op)

    def delete_cycle_step(self, account_id: str | None, cycle_id: str, step_id: str) -> None:
        """Delete a step of a cycle."""
        self._call(ops.delete_cycle_step(self._account(account_id), cycle_id, step_id))

    # -- edges ----------------------------------------------------------------------------

    def cycle_edges(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """The edges between a cycle's steps as a DataFrame."""
        listing = ops.list_cycle_edges(self._account(account_id), cycle_id)
        return self._list(listing, limit, progress)

    def iter_cycle_edges(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """A cycle's edges, one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        cycle_id
            The cycle's GUID.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each record as Cyclr sent it, in page order.
        """
        listing = ops.list_cycle_edges(self._account(account_id), cycle_id)
        return self._iterate(listing, limit, progress)

    def create_cycle_edge(
        self, account_id: str | None, cycle_id: str, **edge: Any
    ) -> dict[str, Any]:
        """Join two steps; return the edge. Never retried blindly (a second edge).

        ``**edge``: ``head_step_id`` and ``tail_step_id`` (GUIDs), ``edge_type``, or Cyclr's
        names (``HeadStepId=...``).
        """
        op = ops.create_cycle_edge(self._account(account_id), cycle_id, edge)
        return self._call(op)

    def cycle_edge(self, account_id: str | None, cycle_id: str, edge_id: str) -> dict[str, Any]:
        """Get one edge of a cycle."""
        op = ops.get_cycle_edge(self._account(account_id), cycle_id, edge_id)
        return self._call(op)

    def delete_cycle_edge(self, account_id: str | None, cycle_id: str, edge_id: str) -> None:
        """Delete an edge of a cycle."""
        self._call(ops.delete_cycle_edge(self._account(account_id), cycle_id, edge_id))

    # -- variables ------------------------------------------------------------------------

    def cycle_variables(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """A cycle's variables as a DataFrame."""
        listing = ops.list_cycle_variables(self._account(account_id), cycle_id)
        return self._list(listing, limit, progress)

    def iter_cycle_variables(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """A cycle's variables, one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        cycle_id
            The cycle's GUID.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each record as Cyclr sent it, in page order.
        """
        listing = ops.list_cycle_variables(self._account(account_id), cycle_id)
        return self._iterate(listing, limit, progress)

    def create_cycle_variable(
        self, account_id: str | None, cycle_id: str, **variable: Any
    ) -> dict[str, Any]:
        """Add a variable to a cycle; return it. Never retried blindly (a second variable).

        ``**variable``: ``system_name`` (required), ``display_name``, ``value``,
        ``mapping_type``, ``value_type``, ``user_configurable``, ``description``, or Cyclr's
        names (``SystemName=...``).
        """
        op = ops.create_cycle_variable(self._account(account_id), cycle_id, variable)
        return self._call(op)

    def upsert_cycle_variables(
        self, account_id: str | None, cycle_id: str, variables: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Create or update several variables at once (``PATCH``); return them.

        Each dict names its variable (``SystemName`` or ``system_name``) and takes the fields of
        ``create_cycle_variable``.
        """
        op = ops.upsert_cycle_variables(self._account(account_id), cycle_id, variables)
        return self._call(op)

    def cycle_variable(
        self, account_id: str | None, cycle_id: str, system_name: str
    ) -> dict[str, Any]:
        """Get one variable of a cycle by its system name."""
        op = ops.get_cycle_variable(self._account(account_id), cycle_id, system_name)
        return self._call(op)

    def update_cycle_variable(
        self, account_id: str | None, cycle_id: str, system_name: str, **variable: Any
    ) -> dict[str, Any]:
        """Change some of a variable's fields (as ``create_cycle_variable``; ``None`` is null)."""
        op = ops.update_cycle_variable(self._account(account_id), cycle_id, system_name, variable)
        return self._call(op)

    def delete_cycle_variable(
        self, account_id: str | None, cycle_id: str, system_name: str
    ) -> None:
        """Delete a variable of a cycle."""
        op = ops.delete_cycle_variable(self._account(account_id), cycle_id, system_name)
        self._call(op)
