"""``AsyncCyclrClient``'s methods on accounts (partner level), their users and sign-in tokens.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_accounts`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from ..core import AuthValue, SignInToken, ValidationError
from . import _endpoints as ops
from ._async_io import AsyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["AsyncAccountMethods"]


class AsyncAccountMethods(AsyncIO):
    """Accounts, their users and sign-in tokens."""

    # -- accounts (partner level) ---------------------------------------------------------

    async def accounts(
        self, *, limit: int | None = None, progress: bool | None = None
    ) -> pd.DataFrame:
        """List the partner's accounts (all pages) as a DataFrame (see ``frames.SCHEMAS``)."""
        return await self._list(ops.list_accounts(), limit, progress)

    async def iter_accounts(
        self, *, limit: int | None = None, progress: bool | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """The partner's accounts, one record at a time (``async for``).

        Parameters
        ----------
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each account as Cyclr sent it, in page order.
        """
        async with aclosing(self._iterate(ops.list_accounts(), limit, progress)) as records:
            async for record in records:
                yield record

    async def account(self, account_id: str) -> dict[str, Any]:
        """Get one account object."""
        return await self._call(ops.get_account(account_id))

    async def create_account(
        self, name: str, *, id: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Create an account (or a sub-account with ``parent_account_id=``).

        ``fields`` are snake_case account fields: ``description``, ``timezone``,
        ``parent_account_id``, ``audit_info``, ``task_audit_info``, retention hours and the
        ``transaction_error_webhook_*`` settings. Never retried blindly.
        """
        return await self._call(ops.create_account(name, id, fields))

    async def update_account(
        self, account_id: str, *, name: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Partially update an account; fields left out are kept."""
        return await self._call(ops.update_account(account_id, name, fields))

    async def delete_account(self, account_id: str) -> None:
        """Delete an account."""
        await self._call(ops.delete_account(account_id))

    async def subaccounts(
        self, account_id: str, *, limit: int | None = None, progress: bool | None = None
    ) -> pd.DataFrame:
        """An account's sub-accounts (all pages) as a DataFrame (the ``accounts`` columns)."""
        return await self._list(ops.list_subaccounts(account_id), limit, progress)

    async def iter_subaccounts(
        self, account_id: str, *, limit: int | None = None, progress: bool | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """An account's sub-accounts, one record at a time (``async for``).

        Parameters
        ----------
        account_id
            The parent account's API ID.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each sub-account as Cyclr sent it, in page order.
        """
        listing = ops.list_subaccounts(account_id)
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def account_usage(self, account_id: str) -> dict[str, Any]:
        """An account's task usage (``TasksUsed``, ``StartTime``, ``EndTime``)."""
        return await self._call(ops.account_usage(account_id))

    # -- users (partner level) --------------------------------------------------------------

    async def account_users(
        self, account_id: str, *, limit: int | None = None, progress: bool | None = None
    ) -> pd.DataFrame:
        """An account's users (all pages) as a DataFrame."""
        return await self._list(ops.list_account_users(account_id), limit, progress)

    async def iter_account_users(
        self, account_id: str, *, limit: int | None = None, progress: bool | None = None
    ) -> AsyncIterator[dict[str, Any]]:
        """An account's users, one record at a time (``async for``).

        Parameters
        ----------
        account_id
            The account API ID.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each user as Cyclr sent it, in page order.
        """
        listing = ops.list_account_users(account_id)
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def add_account_user(
        self, account_id: str, username: str, password: AuthValue | str
    ) -> dict[str, Any]:
        """Add a user to an account (who can sign in when the user login page is enabled).

        ``password`` is sealed into an ``AuthValue`` as soon as it arrives: it never appears in
        a repr, an error message or a log.
        """
        password = ops.seal_password(password)
        return await self._call(ops.add_account_user(account_id, username, password))

    async def remove_account_user(self, account_id: str, username: str) -> None:
        """Remove a user from an account."""
        await self._call(ops.remove_account_user(account_id, username))

    async def set_user_password(self, username: str, password: AuthValue | str) -> dict[str, Any]:
        """Set a user's password (sealed as an ``AuthValue`` as soon as it arrives)."""
        password = ops.seal_password(password)
        return await self._call(ops.set_user_password(username, password))

    # -- sign-in tokens -------------------------------------------------------------------

    async def sign_in_token(
        self,
        account_id: str | None = None,
        username: str | None = None,
        *,
        legacy: bool = False,
    ) -> SignInToken:
        """A one-time sign-in token (5 minutes, single use) for the OAuth page.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        username
            ``None`` (the default): sign in as an existing user of the account, the first by
            name (one more call lists them); the token's ``.username`` says which. Cyclr
            creates the user it is asked for when the account has none of that name, so no
            user is ever created unless named here.
        legacy
            Use the older ``POST /v1.0/accounts/tokens`` (account header, no user).

        Returns
        -------
        SignInToken
            Its ``token`` is masked in ``repr``; ``username`` is the user it signs in as.

        Raises
        ------
        ValidationError
            With ``username=None``, when the account has no user yet (nothing is created).
        """
        account = self._account(account_id)
        if username is None and not legacy:
            username = await self._existing_user(account)
        return await self._call(ops.sign_in_token(account, username, legacy))

    async def _existing_user(self, account: str) -> str:
        users = await self._collect(ops.list_account_users(account), None, False)
        names = sorted(n for n in map(ops.user_name, users) if n is not None)
        if not names:
            raise ValidationError(
                f"account {account!r} has no users, and a sign-in token signs in as one: pass "
                "username= to name the user (Cyclr creates it). Nothing was created."
            )
        return names[0]
