"""``AsyncCyclrClient``'s methods on an account's custom connectors.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_custom`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._async_io import AsyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["AsyncCustomConnectorMethods"]


class AsyncCustomConnectorMethods(AsyncIO):
    """Custom connectors: list, create, get, delete."""

    async def custom_connectors(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """An account's custom connectors as a DataFrame."""
        listing = ops.list_custom_connectors(self._account(account_id))
        return await self._list(listing, limit, progress)

    async def iter_custom_connectors(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """An account's custom connectors, one record at a time (``async for``).

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
            Each custom connector as Cyclr sent it.
        """
        listing = ops.list_custom_connectors(self._account(account_id))
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def create_custom_connector(
        self, account_id: str | None, definition: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Create a custom connector from Cyclr's connector JSON (needs ``Name``).

        Never retried blindly. Values under secret-looking keys (``ClientSecret``...) are
        sealed: masked in reprs and errors, sent as given.
        """
        return await self._call(ops.create_custom_connector(self._account(account_id), definition))

    async def custom_connector(
        self, account_id: str | None, custom_connector_id: int
    ) -> dict[str, Any]:
        """One custom connector."""
        return await self._call(
            ops.get_custom_connector(self._account(account_id), custom_connector_id)
        )

    async def delete_custom_connector(
        self, account_id: str | None, custom_connector_id: int
    ) -> None:
        """Delete a custom connector."""
        await self._call(
            ops.delete_custom_connector(self._account(account_id), custom_connector_id)
        )
