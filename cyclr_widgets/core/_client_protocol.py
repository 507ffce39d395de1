"""What the widgets need of a client, as ``typing.Protocol`` classes: the seam between them.

The widgets never import the client package: they take any object with these methods (the sync
``CyclrClient`` in a notebook, a fake in the tests). mypy proves that ``CyclrClient`` satisfies
:class:`WidgetClient` (``client/_sync.py``), and checks each widget's calls against the protocol
it is annotated with. Each method is declared as the widgets call it: arguments they pass by
position are positional-only here, so an implementation may name them as it likes, and only the
keywords they pass are declared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from ._authvalue import AuthValue
from ._models import AccountConnector, SignInToken

__all__ = ["BrowserClient", "ExplorerClient", "PopupClient", "WidgetClient"]


class PopupClient(Protocol):
    """What ``OAuthPopup`` uses: the service domain, sign-in tokens, the connector's state."""

    @property
    def service_url(self) -> str | None:
        """The partner's service domain (OAuth pages), or ``None`` when not configured."""
        ...

    def sign_in_token(self, account_id: str, /, username: str | None = ...) -> SignInToken:
        """A one-time sign-in token for the account's OAuth page.

        ``username=None``: as an existing user of the account (the token's ``.username`` says
        which); a name: as that user, whom Cyclr creates if the account has no such user.
        """
        ...

    def account_connector(self, account_id: str, account_connector_id: int, /) -> AccountConnector:
        """One installed connector (``.authenticated`` confirms a sign-in)."""
        ...


class BrowserClient(PopupClient, Protocol):
    """What ``ConnectorBrowser`` uses: the library, installs, installed connectors."""

    def iter_connectors(
        self, account_id: str, /, *, limit: int | None = ..., progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """The connector library's records as Cyclr sent them."""
        ...

    def iter_account_connectors(
        self, account_id: str, /, *, progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """The installed connectors' records (secrets masked)."""
        ...

    def connector(self, connector_id: int, /, *, account_id: str) -> dict[str, Any]:
        """One connector of the library (its auth methods and parameters)."""
        ...

    def install_connector(
        self,
        account_id: str,
        connector_id: int,
        /,
        *,
        name: str,
        authentication_id: str | None = ...,
        auth_value: AuthValue | None = ...,
        properties: Mapping[str, str] | None = ...,
    ) -> AccountConnector:
        """Install a connector into the account."""
        ...


class ExplorerClient(PopupClient, Protocol):
    """What ``AccountExplorer`` uses: an account's connectors, cycles, history, and actions."""

    def support_bundle(self, account_id: str, path: str | Path, /) -> Path:
        """Write the account's support bundle (a zip, every secret scrubbed) to ``path``."""
        ...

    def iter_accounts(self, *, progress: bool | None = ...) -> Iterator[dict[str, Any]]:
        """The partner's accounts' records."""
        ...

    def iter_account_connectors(
        self, account_id: str, /, *, progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """The installed connectors' records (secrets masked)."""
        ...

    def iter_cycles(
        self, account_id: str, /, *, progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """The account's cycles' records."""
        ...

    def iter_incidents(
        self,
        account_id: str,
        level: str = ...,
        /,
        *,
        after: datetime | None = ...,
        before: datetime | None = ...,
        window: timedelta | None = ...,
        progress: bool | None = ...,
    ) -> Iterator[dict[str, Any]]:
        """The account's error or warning incidents' records between ``after`` and ``before``.

        ``window=None``: no default lower bound (the explorer passes its own ``after``).
        """
        ...

    def connector(self, connector_id: int, /, *, account_id: str) -> dict[str, Any]:
        """One connector of the library (its ``Authentication[]``: the auth methods offered)."""
        ...

    def update_account_connector(
        self, account_id: str, account_connector_id: int, /, *, auth_value: AuthValue | None = ...
    ) -> AccountConnector:
        """Set an installed connector's credentials; Cyclr answers whether they work."""
        ...

    def account(self, account_id: str, /) -> dict[str, Any]:
        """One account's record (its ``Timezone``)."""
        ...

    def iter_transactions(
        self,
        account_id: str,
        /,
        *,
        after: datetime | None = ...,
        before: datetime | None = ...,
        progress: bool | None = ...,
    ) -> Iterator[dict[str, Any]]:
        """The account's transactions (runs) between ``after`` and ``before``."""
        ...

    def iter_transaction_steps(
        self, account_id: str, cycle_id: str, transaction_id: str, /, *, progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """One transaction's step records: status, request and response dumps (scrubbed)."""
        ...

    def iter_step_field_mappings(
        self, account_id: str, step_id: str, /, *, progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """How each field of a step is mapped."""
        ...

    def iter_step_parameters(
        self, account_id: str, step_id: str, /, *, progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """A step's parameters and how each is set."""
        ...

    def iter_cycle_variables(
        self, account_id: str, cycle_id: str, /, *, progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """A cycle's variables."""
        ...

    def cycle_prerequisites(self, account_id: str, cycle_id: str, /) -> list[dict[str, Any]]:
        """What prevents the cycle from being activated (empty: nothing)."""
        ...

    def activate_cycle(
        self, account_id: str, cycle_id: str, /, *, run_once: bool | None = ...
    ) -> None:
        """Activate a cycle (``run_once=True``: one run, then it stops)."""
        ...

    def deactivate_cycle(self, account_id: str, cycle_id: str, /) -> None:
        """Deactivate a cycle."""
        ...

    def clear_cycle_incidents(self, account_id: str, cycle_id: str, /) -> None:
        """Delete a cycle's incidents."""
        ...

    def deauthenticate_account_connector(
        self, account_id: str, account_connector_id: int, /
    ) -> str | None:
        """Drop an installed connector's credentials; Cyclr's message, if any."""
        ...

    def iter_account_connector_properties(
        self, account_id: str, account_connector_id: int, /, *, progress: bool | None = ...
    ) -> Iterator[dict[str, Any]]:
        """An installed connector's properties (``Id``, ``Name``; secret values masked)."""
        ...

    def add_account_connector_property(
        self, account_id: str, account_connector_id: int, name: str, value: AuthValue | str, /
    ) -> dict[str, Any]:
        """Add a property to an installed connector."""
        ...

    def update_account_connector_property(
        self,
        account_id: str,
        account_connector_id: int,
        property_id: int,
        value: AuthValue | str,
        /,
        *,
        name: str | None = ...,
    ) -> dict[str, Any]:
        """Change an installed connector's property."""
        ...

    def iter_account_health(
        self,
        accounts: Sequence[Mapping[str, Any]],
        /,
        *,
        window: str = ...,
        should_stop: Callable[[], bool] | None = ...,
    ) -> Iterator[dict[str, Any]]:
        """Each account's health row as it completes (the partner view's scan).

        ``accounts``: the account records to scan (``Id``, ``Name``); ``window``: ``"24h"`` or
        ``"7d"``; ``should_stop``: checked between accounts, from the caller's thread (once it
        returns true no account is started and the iteration ends). An account that cannot be
        read is a row with its ``Error``; only a failure of the whole scan raises.
        """
        ...


class WidgetClient(BrowserClient, ExplorerClient, Protocol):
    """Everything the widgets use: ``CyclrClient`` satisfies it (checked by mypy)."""
