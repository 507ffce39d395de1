"""``CyclrClient``: the synchronous Cyclr API client (``AsyncCyclrClient`` is its twin).

Every method builds an operation in :mod:`._endpoints` (arguments checked, nothing sent yet) and
hands it to the send path in :mod:`._sync_io`; listings come back as DataFrames. The methods are
grouped by area: accounts and sign-in tokens here, the rest in two mixins,
:mod:`._sync_connectors` and :mod:`._sync_cycles`. Each of these modules has an async twin
(``_async*.py``) with the same methods and signatures (checked by ``tests/test_twins.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..core import SignInToken
from . import _endpoints as ops
from ._settings import REGIONS
from ._sync_connectors import ConnectorMethods
from ._sync_cycles import CycleMethods

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..core import WidgetClient

__all__ = ["REGIONS", "CyclrClient"]


class CyclrClient(ConnectorMethods, CycleMethods):
    """Synchronous client for the Cyclr partner API.

    Every argument is checked here: a wrong type raises ``TypeError``, a bad value
    ``ValidationError`` (a ``ValueError``), each naming the argument.

    Parameters
    ----------
    client_id, client_secret
        OAuth client credentials (Console > Settings > OAuth Client Credentials). The secret
        may be given as an ``AuthValue``; a string is sealed into one at once.
    api_url
        The API domain, e.g. ``https://api.eu.cyclr.com``; wins over ``region``.
    region
        One of ``REGIONS`` (``us``, ``us2``, ``uk``, ``eu``, ``apac``); default ``us``.
    service_url
        The partner service domain (OAuth pages), e.g. ``https://acme-h.eu.cyclr.com``.
    account_id
        Default account API ID for account-level calls.
    token_scope_account
        Request an account-restricted token (``scope=account:{id}``).
    timeout
        Seconds (> 0) that each request, the token request included, may spend on each network
        step (connect, send, wait for an answer, get a pooled connection); or an
        ``httpx.Timeout`` with all four set. ``None`` (no timeout) is refused: a server that
        accepts the connection and never answers would block the call for ever.
    max_retries, backoff_cap
        Retries of idempotent requests (an int >= 0) and the ceiling of the backoff in seconds.
    page_size, concurrency
        Items per page, and pages fetched at once once the page count is known (ints >= 1).
    progress
        Progress bars for multi-page listings: ``None`` = only in a Jupyter kernel.
    transport, http_client
        An ``httpx`` transport (tests: ``httpx.MockTransport``) or a ready ``httpx.Client``
        (not closed by this client); not both.

    Notes
    -----
    Ids are checked before anything is sent. Account API IDs are the partner's own strings:
    any printable ASCII up to 255 characters except slash, backslash, ``?``, ``#``, ``%``,
    ``.`` and ``..``.
    Cycle and template ids are Cyclr GUIDs (a string or a ``uuid.UUID``). Every id goes into
    the URL percent-encoded as one path segment.

    Each listing comes two ways: a DataFrame (``connectors()``, ``accounts()``, ...) and the
    records it is built from (``iter_connectors()``, ``iter_accounts()``, ...), dicts exactly as
    Cyclr sent them with secrets masked as in the DataFrames. The records are yielded in page
    order as soon as every page before theirs has arrived: page 1 first, then pages 2..N on
    ``concurrency`` threads, at most ``2 * concurrency`` pages ahead of the one being read.
    Leaving the loop early (``break``, or ``close()`` on the iterator) cancels the pages not
    started and waits for those in flight. A page that fails ends the iteration with its error,
    raised after the records of the pages before it.
    """

    # -- accounts (partner level) ---------------------------------------------------------

    def accounts(self, *, limit: int | None = None, progress: bool | None = None) -> pd.DataFrame:
        """List the partner's accounts (all pages) as a DataFrame (see ``frames.SCHEMAS``)."""
        return self._list(ops.list_accounts(), limit, progress)

    def iter_accounts(
        self, *, limit: int | None = None, progress: bool | None = None
    ) -> Iterator[dict[str, Any]]:
        """The partner's accounts, one record at a time.

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
        return self._iterate(ops.list_accounts(), limit, progress)

    def account(self, account_id: str) -> dict[str, Any]:
        """Get one account object."""
        return self._call(ops.get_account(account_id))

    def create_account(self, name: str, *, id: str | None = None, **fields: Any) -> dict[str, Any]:
        """Create an account (or a sub-account with ``parent_account_id=``).

        ``fields`` are snake_case account fields: ``description``, ``timezone``,
        ``parent_account_id``, ``audit_info``, ``task_audit_info``, retention hours and the
        ``transaction_error_webhook_*`` settings. Never retried blindly.
        """
        return self._call(ops.create_account(name, id, fields))

    def update_account(
        self, account_id: str, *, name: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Partially update an account; fields left out are kept."""
        return self._call(ops.update_account(account_id, name, fields))

    def delete_account(self, account_id: str) -> None:
        """Delete an account."""
        self._call(ops.delete_account(account_id))

    # -- sign-in tokens -------------------------------------------------------------------

    def sign_in_token(
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
        return self._call(ops.sign_in_token(self._account(account_id), username, legacy))


if TYPE_CHECKING:  # pragma: no cover

    def _serves_the_widgets(client: CyclrClient) -> WidgetClient:
        # mypy proves here that CyclrClient has every method the widgets call, with compatible
        # signatures (core.WidgetClient); tests/core/test_client_protocol.py shows it would say
        # so if not.
        return client
