"""``CyclrClient``: the synchronous Cyclr API client (``AsyncCyclrClient`` is its twin).

Every method builds an operation in :mod:`._endpoints` (arguments checked, nothing sent yet) and
hands it to the send path in :mod:`._sync_io`; listings come back as DataFrames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._authvalue import AuthValue
from ._base import REGIONS, format_when
from ._models import AccountConnector, SignInToken
from ._sync_io import SyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["REGIONS", "CyclrClient"]

When = datetime | date | str | None
Properties = Mapping[str, AuthValue | str] | Sequence[Mapping[str, Any]] | None


class CyclrClient(SyncIO):
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
    """

    # -- accounts (partner level) ---------------------------------------------------------

    def accounts(self, *, limit: int | None = None, progress: bool | None = None) -> pd.DataFrame:
        """List the partner's accounts (all pages) as a DataFrame (see ``frames.SCHEMAS``)."""
        return self._list(ops.list_accounts(), limit, progress)

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

    # -- connector library ----------------------------------------------------------------

    def connectors(
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
        return self._list(listing, limit, progress, include_icons)

    def connector(self, connector_id: int, *, account_id: str | None = None) -> dict[str, Any]:
        """Get one connector of the library by its integer id."""
        return self._call(ops.get_connector(self._account(account_id), connector_id))

    def install_connector(
        self,
        account_id: str | None,
        connector_id: int,
        *,
        name: str,
        description: str | None = None,
        authentication_id: str | None = None,
        auth_value: AuthValue | str | None = None,
        properties: Properties = None,
    ) -> AccountConnector:
        """Install a connector into an account.

        Never retried once it may have reached Cyclr: if the outcome is unknown, raises
        ``OutcomeUnknownError`` naming ``find_account_connectors`` to check.

        Parameters
        ----------
        account_id
            The account API ID (``None``: the client's default).
        connector_id
            The connector (release) ``Id`` from ``connectors()``.
        name, description
            The account connector's name and description.
        authentication_id
            One ``Authentication[].Id`` of the connector, when it offers several.
        auth_value
            Credentials now (``AuthValue.api_key(...)`` etc.), or ``None`` to authenticate later.
            A plain string is sealed into an ``AuthValue`` as soon as it arrives.
        properties
            ``{"Name": "Value"}`` or a list of ``{"Name", "Value"[, "Id"]}``. A value stays
            secret (masked in reprs, tracebacks and error messages, revealed only to Cyclr) when
            it is an ``AuthValue`` or its name looks secret (``ClientSecret``, ``Password``,
            ``ApiKey``, ``Token``...). Wrap any other secret value in ``AuthValue(value)``.

        Returns
        -------
        AccountConnector
        """
        # Sealed as they enter: even this frame's locals show them masked in a traceback.
        auth_value = ops.seal_auth_value(auth_value)
        properties = ops.seal_properties(properties)
        return self._call(
            ops.install_connector(
                self._account(account_id),
                connector_id,
                name,
                description,
                authentication_id,
                auth_value,
                properties,
            )
        )

    # -- account connectors ---------------------------------------------------------------

    def account_connectors(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        """The connectors installed in an account, with ``Authenticated``, as a DataFrame."""
        listing = ops.list_account_connectors(self._account(account_id))
        return self._list(listing, limit, progress, include_icons)

    def account_connector(
        self, account_id: str | None, account_connector_id: int
    ) -> AccountConnector:
        """Get one installed connector (poll ``.authenticated`` after the OAuth popup)."""
        return self._call(
            ops.get_account_connector(self._account(account_id), account_connector_id)
        )

    def find_account_connectors(self, account_id: str | None, name: str) -> list[AccountConnector]:
        """The installed connectors called ``name`` (e.g. to check an unknown install outcome)."""
        listing = ops.list_account_connectors(self._account(account_id))
        items = self._collect(listing, None, False)
        return [AccountConnector.from_api(i) for i in items if i.get("Name") == name]

    def update_account_connector(
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
        return self._call(
            ops.update_account_connector(
                self._account(account_id), account_connector_id, name, description, auth_value
            )
        )

    def delete_account_connector(self, account_id: str | None, account_connector_id: int) -> None:
        """Uninstall a connector from the account."""
        self._call(ops.delete_account_connector(self._account(account_id), account_connector_id))

    def deauthenticate_account_connector(
        self, account_id: str | None, account_connector_id: int
    ) -> str | None:
        """Drop the stored credentials (running cycles using it stop); returns Cyclr's message."""
        return self._call(
            ops.deauthenticate_account_connector(self._account(account_id), account_connector_id)
        )

    def account_connector_properties(
        self,
        account_id: str | None,
        account_connector_id: int,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """An installed connector's properties as a DataFrame (secret values masked)."""
        listing = ops.list_properties(self._account(account_id), account_connector_id)
        return self._list(listing, limit, progress)

    def add_account_connector_property(
        self, account_id: str | None, account_connector_id: int, name: str, value: AuthValue | str
    ) -> dict[str, Any]:
        """Add a property (``Name`` = the connector parameter's ``TargetName``).

        ``value`` stays secret when it is an ``AuthValue`` or ``name`` looks secret
        (``ClientSecret``, ``Password``...); see ``install_connector``.
        """
        value = ops.seal_property_value(name, value)
        return self._call(
            ops.add_property(self._account(account_id), account_connector_id, name, value)
        )

    def update_account_connector_property(
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
        return self._call(
            ops.update_property(
                self._account(account_id), account_connector_id, property_id, value, name
            )
        )

    def delete_account_connector_property(
        self, account_id: str | None, account_connector_id: int, property_id: int
    ) -> None:
        """Delete a property."""
        self._call(
            ops.delete_property(self._account(account_id), account_connector_id, property_id)
        )

    def set_oauth_app_credentials(
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
        existing = {p.get("Name"): p.get("Id") for p in self._collect(listing, None, False)}
        for name, value in (("ClientId", client_id), ("ClientSecret", client_secret)):
            pid = existing.get(name)
            if isinstance(pid, int) and pid > 0:
                self._call(ops.update_property(acct, account_connector_id, pid, value, name))
            else:
                self._call(ops.add_property(acct, account_connector_id, name, value))

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

    # -- templates and cycles -------------------------------------------------------------

    def templates(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        """The partner's template library (partner level unless ``account_id`` is given)."""
        acct = None if account_id is None else self._account(account_id)
        return self._list(ops.list_templates(acct), limit, progress, include_icons)

    def install_template(self, account_id: str | None, template_id: str) -> dict[str, Any]:
        """Install a template into the account as a new (paused) cycle. Never retried blindly."""
        return self._call(ops.install_template(self._account(account_id), template_id))

    def cycles(
        self,
        account_id: str | None = None,
        *,
        limit: int | None = None,
        progress: bool | None = None,
        include_icons: bool = False,
    ) -> pd.DataFrame:
        """The account's cycles as a DataFrame."""
        listing = ops.list_cycles(self._account(account_id))
        return self._list(listing, limit, progress, include_icons)

    def cycle(self, account_id: str | None, cycle_id: str) -> dict[str, Any]:
        """Get one cycle."""
        return self._call(ops.get_cycle(self._account(account_id), cycle_id))

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

    def transactions(
        self,
        account_id: str | None = None,
        *,
        cycle_id: str | None = None,
        status: str | None = None,
        after: When = None,
        before: When = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Run history of the account (or of one cycle) as a DataFrame."""
        listing = ops.list_transactions(
            self._account(account_id), cycle_id, status, format_when(after), format_when(before)
        )
        return self._list(listing, limit, progress)

    def incidents(
        self,
        account_id: str | None = None,
        level: str = "error",
        *,
        cycle_id: str | None = None,
        after: When = None,
        before: When = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """Errors (``level="error"``) or warnings across the account's cycles, as a DataFrame."""
        listing = ops.list_incidents(
            self._account(account_id), level, cycle_id, format_when(after), format_when(before)
        )
        return self._list(listing, limit, progress)
