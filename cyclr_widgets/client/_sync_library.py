# Generated from _async_library.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient``'s methods on the connector library by name, and connectors' methods.

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_library`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._sync_io import SyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["LibraryMethods"]


class LibraryMethods(SyncIO):
    """Connectors by name and version, their methods, one method."""

    def find_connectors(
        self, name: str, version: str | None = None, *, account_id: str | None = None
    ) -> list[dict[str, Any]]:
        """The library's releases of the connector called ``name`` (and ``version``).

        Cyclr answers a list (one item per matching release). ``account_id`` (default: the
        client's, if any) sends the account header: the library the account sees.
        """
        account = self._optional_account(account_id)
        return self._call(ops.find_connectors(account, name, version))

    def connector_methods(
        self,
        connector: int | str,
        *,
        version: str | None = None,
        account_id: str | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """A connector's methods as a DataFrame (``Id``, ``Name``, ``MethodUniqueIdentifier``...).

        ``connector`` is a release's int ``Id`` or a connector ``Name`` (with ``version=`` when
        it has one). Prefer ``MethodUniqueIdentifier`` to ``Id``: it survives new releases.
        """
        listing = ops.list_connector_methods(self._optional_account(account_id), connector, version)
        return self._list(listing, limit, progress)

    def iter_connector_methods(
        self,
        connector: int | str,
        *,
        version: str | None = None,
        account_id: str | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """A connector's methods, one record at a time.

        Parameters
        ----------
        connector
            A connector release's int ``Id``, or its ``Name``.
        version
            With a name: the release's ``Version``.
        account_id
            Sends the account header (default: the client's ``account_id``, if any).
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each method as Cyclr sent it, in page order.
        """
        listing = ops.list_connector_methods(self._optional_account(account_id), connector, version)
        return self._iterate(listing, limit, progress)

    def method(self, method_id: int, *, account_id: str | None = None) -> dict[str, Any]:
        """One connector method by its int ``Id``."""
        return self._call(ops.get_method(self._optional_account(account_id), method_id))
