"""``AsyncCyclrClient``'s methods on the connector library and the installed connectors.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_connectors`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from ..core import AccountConnector, AuthMethod, AuthValue
from . import _endpoints as ops
from ._async_io import AsyncIO
from ._endpoints import Properties

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["AsyncConnectorMethods"]


class AsyncConnectorMethods(AsyncIO):
    """The connector library, installing connectors, installed connectors and their properties."""

    # -- connector library ----------------------------------------------------------------

    async def connectors(
        self,
        account_id: str | None = None,
        *,
        query: str | None = None,
        category: str | None = None,
        limit: int | None = None,
        progress: bool | None = None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        """The connector library the account sees, as a DataFrame.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        query, category
            Cyclr's name search and category filter.
        limit
            At most this many rows (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.
        include_icons
            Keep the base64 ``Icon`` column.
        """
        listing = ops.list_connectors(self._account(account_id), query, category)
        return await self._list(listing, limit, progress, include_icons)

    async def iter_connectors(
        self,
        account_id: str | None = None,
        *,
        query: str | None = None,
        category: str | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """The connector library the account sees, one record at a time (``async for``).

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        query, category
            Cyclr's name search and category filter.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each connector as Cyclr sent it (``Icon`` included), in page order, as the pages
            arrive; see ``AsyncCyclrClient`` (Notes) for paging and stopping early.
        """
        listing = ops.list_connectors(self._account(account_id), query, category)
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def connector(
        self, connector_id: int, *, account_id: str | None = None
    ) -> dict[str, Any]:
        """Get one connector of the library by its integer id."""
        return await self._call(ops.get_connector(self._account(account_id), connector_id))

    async def install_connector(
        self,
        account_id: str | None,
        connector_id: int | str,
        *,
        name: str,
        description: str | None = None,
        authentication_id: AuthMethod | str | None = None,
        auth_value: AuthValue | str | None = None,
        properties: Properties = None,
        version: str | None = None,
    ) -> AccountConnector:
        """Install a connector into an account.

        Never retried once it may have reached Cyclr: if the outcome is unknown, raises
        ``OutcomeUnknownError`` naming ``find_account_connectors`` to check.

        Parameters
        ----------
        account_id
            The account API ID (``None``: the client's default).
        connector_id
            The connector (release) ``Id`` from ``connectors()``, or its ``Name`` (a ``str``,
            with ``version=`` when the connector has a ``Version``, e.g. ``"MailChimp"``, ``"v3"``).
        name, description
            The account connector's name and description.
        authentication_id
            How it will authenticate, when the connector offers several methods: an
            ``AuthMethod`` from ``auth_methods(connector)`` or its ``Id`` (a GUID).
        auth_value
            Credentials now (``AuthValue.api_key(...)`` etc.), or ``None`` to authenticate later.
            A plain string is sealed into an ``AuthValue`` as soon as it arrives.
        properties
            ``{"Name": "Value"}`` or a list of ``{"Name", "Value"[, "Id"]}``. A value stays
            secret (masked in reprs, tracebacks and error messages, revealed only to Cyclr) when
            it is an ``AuthValue`` or its name looks secret (``ClientSecret``, ``Password``,
            ``ApiKey``, ``Token``...). Wrap any other secret value in ``AuthValue(value)``.
        version
            With a connector name: the release's ``Version``.

        Returns
        -------
        AccountConnector
        """
        # Sealed as they enter: even this frame's locals show them masked in a traceback.
        auth_value = ops.seal_auth_value(auth_value)
        properties = ops.seal_properties(properties)
        return await self._call(
            ops.install_connector(
                self._account(account_id),
                connector_id,
                name,
                description,
                authentication_id,
                auth_value,
                properties,
                version,
            )
        )

    # -- account connectors ---------------------------------------------------------------

    async def account_connectors(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        """The connectors installed in an account, with ``Authenticated``, as a DataFrame."""
        listing = ops.list_account_connectors(self._account(account_id))
        return await self._list(listing, limit, progress, include_icons)

    async def iter_account_connectors(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """The connectors installed in an account, one record at a time (``async for``).

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
            Each account connector as Cyclr sent it, ``AuthValue`` and secret-looking
            ``Properties`` values masked (``"***"``), in page order.
        """
        listing = ops.list_account_connectors(self._account(account_id))
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def account_connector(
        self, account_id: str | None, account_connector_id: int
    ) -> AccountConnector:
        """Get one installed connector (poll ``.authenticated`` after the OAuth popup)."""
        return await self._call(
            ops.get_account_connector(self._account(account_id), account_connector_id)
        )

    async def find_account_connectors(
        self, account_id: str | None, name: str
    ) -> list[AccountConnector]:
        """The installed connectors called ``name`` (e.g. to check an unknown install outcome)."""
        listing = ops.list_account_connectors(self._account(account_id))
        items = await self._collect(listing, None, False)
        return [AccountConnector.from_api(i) for i in items if i.get("Name") == name]

    async def update_account_connector(
        self,
        account_id: str | None,
        account_connector_id: int,
        *,
        name: str | None = None,
        description: str | None = None,
        auth_value: AuthValue | str | None = None,
    ) -> AccountConnector:
        """Partially update an installed connector (e.g. set its ``AuthValue``).

        A plain-string ``auth_value`` is sealed into an ``AuthValue`` as soon as it arrives.
        """
        auth_value = ops.seal_auth_value(auth_value)
        return await self._call(
            ops.update_account_connector(
                self._account(account_id), account_connector_id, name, description, auth_value
            )
        )

    async def delete_account_connector(
        self, account_id: str | None, account_connector_id: int
    ) -> None:
        """Uninstall a connector from the account."""
        await self._call(
            ops.delete_account_connector(self._account(account_id), account_connector_id)
        )

    async def deauthenticate_account_connector(
        self, account_id: str | None, account_connector_id: int
    ) -> str | None:
        """Drop the stored credentials (running cycles using it stop); returns Cyclr's message."""
        return await self._call(
            ops.deauthenticate_account_connector(self._account(account_id), account_connector_id)
        )

    async def account_connector_properties(
        self,
        account_id: str | None,
        account_connector_id: int,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """An installed connector's properties as a DataFrame (secret values masked)."""
        listing = ops.list_properties(self._account(account_id), account_connector_id)
        return await self._list(listing, limit, progress)

    async def iter_account_connector_properties(
        self,
        account_id: str | None,
        account_connector_id: int,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """An installed connector's properties, one record at a time (``async for``).

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
            Each property as Cyclr sent it, secret-looking values masked (``"***"``).
        """
        listing = ops.list_properties(self._account(account_id), account_connector_id)
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def add_account_connector_property(
        self, account_id: str | None, account_connector_id: int, name: str, value: AuthValue | str
    ) -> dict[str, Any]:
        """Add a property (``Name`` = the connector parameter's ``TargetName``).

        ``value`` stays secret when it is an ``AuthValue`` or ``name`` looks secret
        (``ClientSecret``, ``Password``...); see ``install_connector``.
        """
        value = ops.seal_property_value(name, value)
        return await self._call(
            ops.add_property(self._account(account_id), account_connector_id, name, value)
        )

    async def update_account_connector_property(
        self,
        account_id: str | None,
        account_connector_id: int,
        property_id: int,
        value: AuthValue | str,
        *,
        name: str | None = None,
    ) -> dict[str, Any]:
        """Change a property's value.

        ``value`` stays secret unless ``name`` is given and does not look secret: without the
        name nothing says what the property holds.
        """
        value = ops.seal_property_value(name, value)
        return await self._call(
            ops.update_property(
                self._account(account_id), account_connector_id, property_id, value, name
            )
        )

    async def delete_account_connector_property(
        self, account_id: str | None, account_connector_id: int, property_id: int
    ) -> None:
        """Delete a property."""
        await self._call(
            ops.delete_property(self._account(account_id), account_connector_id, property_id)
        )

    async def set_oauth_app_credentials(
        self,
        account_id: str | None,
        account_connector_id: int,
        client_id: str,
        client_secret: AuthValue | str,
    ) -> None:
        """Set per-account OAuth app credentials (``ClientId``/``ClientSecret`` properties).

        Existing properties are updated, missing ones added, so calling it twice is harmless.
        ``client_secret`` is sealed into an ``AuthValue`` as soon as it arrives.
        """
        client_secret = ops.seal_secret("client_secret", client_secret)
        acct = self._account(account_id)
        listing = ops.list_properties(acct, account_connector_id)
        existing = {p.get("Name"): p.get("Id") for p in await self._collect(listing, None, False)}
        for name, value in (("ClientId", client_id), ("ClientSecret", client_secret)):
            pid = existing.get(name)
            if isinstance(pid, int) and pid > 0:
                await self._call(ops.update_property(acct, account_connector_id, pid, value, name))
            else:
                await self._call(ops.add_property(acct, account_connector_id, name, value))
