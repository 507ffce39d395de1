"""``AsyncCyclrClient``'s methods on accounts (partner level) and sign-in tokens.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_accounts`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from ..core import SignInToken
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

    # -- sign-in tokens -------------------------------------------------------------------

    async def sign_in_token(
        self,
        account_id: str | None = None,
        username: str = "cyclr-widgets",
        *,
        legacy: bool = False,
    ) -> SignInToken:
        """A one-time sign-in token (5 minutes, single use) for the OAuth page.

        ``legacy=True`` uses the older ``POST /v1.0/accounts/tokens`` with the account header.
        Cyclr creates the user ``username`` if it does not exist.
        """
        return await self._call(ops.sign_in_token(self._account(account_id), username, legacy))
