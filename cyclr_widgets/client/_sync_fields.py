# Generated from _async_fields.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient``'s methods on one property and the custom fields of an installed connector.

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_fields`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._sync_io import SyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FieldMethods"]


class FieldMethods(SyncIO):
    """An installed connector's property by id, and its custom fields."""

    def account_connector_property(
        self, account_id: str | None, account_connector_id: int, property_id: int
    ) -> dict[str, Any]:
        """One property of an installed connector (its value masked when the name looks secret)."""
        return self._call(
            ops.get_property(self._account(account_id), account_connector_id, property_id)
        )

    def account_connector_fields(
        self,
        account_id: str | None,
        account_connector_id: int,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """An installed connector's custom fields as a DataFrame."""
        listing = ops.list_fields(self._account(account_id), account_connector_id)
        return self._list(listing, limit, progress)

    def iter_account_connector_fields(
        self,
        account_id: str | None,
        account_connector_id: int,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """An installed connector's custom fields, one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (``None``: the client's default).
        account_connector_id
            The installed connector's id.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each custom field as Cyclr sent it.
        """
        listing = ops.list_fields(self._account(account_id), account_connector_id)
        return self._iterate(listing, limit, progress)

    def add_account_connector_field(
        self, account_id: str | None, account_connector_id: int, **field: Any
    ) -> dict[str, Any]:
        """Add a custom field to an installed connector; never retried blindly.

        ``field`` in Cyclr's names or snake_case: ``ConnectorField`` (required, the field's
        path), ``SystemField``, ``DisplayName``, ``Description``, ``DataType``,
        ``MethodUniqueIdentifier``, ``DataTypeFormat``, ``EntityIdentifier``,
        ``ForRequestFormat``. An unknown name is a ``TypeError``.
        """
        return self._call(ops.add_field(self._account(account_id), account_connector_id, field))

    def account_connector_field(
        self, account_id: str | None, account_connector_id: int, field_id: int
    ) -> dict[str, Any]:
        """One custom field of an installed connector."""
        return self._call(ops.get_field(self._account(account_id), account_connector_id, field_id))

    def update_account_connector_field(
        self, account_id: str | None, account_connector_id: int, field_id: int, **field: Any
    ) -> dict[str, Any]:
        """Change a custom field (names as for ``add_account_connector_field``)."""
        return self._call(
            ops.update_field(self._account(account_id), account_connector_id, field_id, field)
        )

    def delete_account_connector_field(
        self, account_id: str | None, account_connector_id: int, field_id: int
    ) -> None:
        """Delete a custom field."""
        self._call(ops.delete_field(self._account(account_id), account_connector_id, field_id))
