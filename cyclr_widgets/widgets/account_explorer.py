"""``AccountExplorer``: pick an account, see its connectors, cycles and incidents.

One anywidget (``js/account_explorer.js``): the four tables, the Connect button, the incident
detail, the status line and the OAuth popup are parts (``_parts.py``) of its one model.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from typing import Any

import anywidget
import pandas as pd
import traitlets as t

from ..core import CyclrError, ExplorerClient
from ._esm import esm_path
from ._parts import ButtonPart, HtmlPart, PartRegistry, Slot
from ._popup_state import OAuthPopupPart
from ._table import TablePart, lookup
from .connector_browser import error_html

__all__ = ["AccountExplorer"]

_OAUTH = ("OAuth1", "OAuth2")


class AccountExplorer(anywidget.AnyWidget):  # type: ignore[misc]
    """Troubleshoot a customer account live: its connectors, cycles and recent incidents.

    Parameters
    ----------
    client : ExplorerClient
        A sync client (``CyclrClient``, or any object with the methods of
        ``cyclr_widgets.core.ExplorerClient``); ``service_url`` set for the
        Connect/Re-authenticate action.
    account_id : str, optional
        Open this account at once; otherwise pick one in the accounts table (search by name
        or id).

    Attributes
    ----------
    accounts_table, connectors_table, cycles_table, incidents_table : TablePart
        The four tables; each one's ``data`` is also exposed as a ``*_df`` property.
    connect_button : ButtonPart
        Connect (or re-authenticate) the selected OAuth account connector.
    oauth_area : Slot
        Holds the OAuth popup (``popup``) the button opened.
    incident_detail : HtmlPart
        The selected incident's ``FullMessage`` (escaped, ``.value``).
    status : HtmlPart
        Load errors, escaped (``status.value``).

    Examples
    --------
    >>> explorer = AccountExplorer(client)  # doctest: +SKIP
    >>> explorer.select_account("acme"); explorer.incidents_df.head()  # doctest: +SKIP
    """

    _esm = esm_path("account_explorer.js")
    _css = esm_path("account_explorer.css")
    parts = t.Dict(help="The parts' state by name (no rows, no secrets).").tag(sync=True)

    def __init__(self, client: ExplorerClient, account_id: str | None = None) -> None:
        super().__init__()
        self._client = client
        self._registry = registry = PartRegistry(self)
        self.popup: OAuthPopupPart | None = None
        self.status = HtmlPart()
        self.accounts_table = TablePart(
            kind="accounts", columns=["Id", "Name", "Description"], caption="Accounts"
        )
        self.connectors_table = TablePart(
            kind="account_connectors",
            columns=["Name", "Connector.Name", "Connector.Version", "Connector.AuthType",
                     "Authenticated", "Id"],
            category_column="Connector.AuthType",
        )  # fmt: skip
        self.connect_button = ButtonPart(
            description="Connect", disabled=True,
            tooltip="Select an OAuth account connector to (re-)authenticate it.",
        )  # fmt: skip
        self.oauth_area = Slot(registry, "popup")
        self.cycles_table = TablePart(
            kind="cycles",
            columns=["Name", "Status", "ErrorCount", "WarningCount", "LastSuccessfulRunDate", "Id"],
            category_column="Status",
        )
        # Incidents have no id of their own: the row number identifies them.
        self.incidents_table = TablePart(
            kind="incidents",
            columns=["IncidentLevel", "CycleName", "StepName", "ShortMessage"],
            id_column="",
            category_column="IncidentLevel",
        )
        self.incident_detail = HtmlPart()
        for name in ("status", "accounts_table", "connectors_table", "connect_button",
                     "cycles_table", "incidents_table", "incident_detail"):
            registry.add(name, getattr(self, name))
        self.accounts_table.observe(self._on_account, names="selected_id")
        self.connectors_table.observe(self._on_connector, names="selected_id")
        self.incidents_table.observe(self._on_incident, names="selected_id")
        self.connect_button.on_click(lambda _button: self.connect())
        accounts = lambda: client.iter_accounts(progress=False)  # noqa: E731
        errors = self._load("accounts", self.accounts_table, accounts)
        self.status.value = "".join(error_html(e) for e in errors)
        if account_id is not None:
            self.select_account(account_id)

    @property
    def account_id(self) -> str | None:
        """The selected account's id, or None."""
        return self.accounts_table.selected_id or None

    @property
    def accounts_df(self) -> pd.DataFrame:
        """Every account of the partner (``client.accounts()``)."""
        return self.accounts_table.data

    @property
    def account_connectors_df(self) -> pd.DataFrame:
        """The selected account's installed connectors, with ``Authenticated``."""
        return self.connectors_table.data

    @property
    def cycles_df(self) -> pd.DataFrame:
        """The selected account's cycles: ``Status``, ``ErrorCount``, ``WarningCount``..."""
        return self.cycles_table.data

    @property
    def incidents_df(self) -> pd.DataFrame:
        """The selected account's error and warning incidents (errors first)."""
        return self.incidents_table.data

    def select_account(self, account_id: str) -> None:
        """Open an account (loads its connectors, cycles and incidents)."""
        if self.accounts_table.selected_id == account_id:
            self.refresh()
        else:
            # An account missing from the list (e.g. paging limits) is still allowed.
            self.accounts_table.selected_id = account_id

    def refresh(self) -> None:
        """Reload the selected account's connectors, cycles and incidents."""
        account = self.account_id
        self.oauth_area.children = []
        self.incident_detail.value = ""
        if account is None:
            for table in (self.connectors_table, self.cycles_table, self.incidents_table):
                table.set_rows([])
            self.status.value = ""
            return
        cycles = lambda: self._client.iter_cycles(account, progress=False)  # noqa: E731
        errors = [
            *self._load_connectors(),
            *self._load("cycles", self.cycles_table, cycles),
            *self._load("incidents", self.incidents_table, lambda: self._incidents(account)),
        ]
        counts = (self.connectors_table.row_count, self.cycles_table.row_count)
        self.connectors_table.caption = f"{counts[0]} connectors installed in {account}"
        self.cycles_table.caption = f"{counts[1]} cycles in {account}"
        self.incidents_table.caption = f"{self.incidents_table.row_count} recent incidents"
        self.status.value = "".join(error_html(e) for e in errors)

    def connect(self) -> OAuthPopupPart | None:
        """Show an OAuth popup for the selected account connector (``popup``)."""
        row = self.connectors_table.selected
        if row is None or self.account_id is None:
            return None
        try:
            popup = OAuthPopupPart(
                self._client, self.account_id, int(row["Id"]),
                connector_name=str(row.get("Name") or ""),
            )  # fmt: skip
        except (ValueError, CyclrError) as exc:
            text = exc.message if isinstance(exc, CyclrError) else str(exc)
            self.status.value = error_html(f"Cannot start the OAuth sign-in: {text}")
            return None
        popup.on_complete(lambda _result: self._reload_connectors())
        self.popup = popup
        self.oauth_area.children = [popup]
        return popup

    def _incidents(self, account: str) -> list[dict[str, Any]]:
        levels = ("error", "warning")
        return [
            r
            for level in levels
            for r in self._client.iter_incidents(account, level, progress=False)
        ]

    @staticmethod
    def _load(
        what: str, table: TablePart, fetch: Callable[[], Iterable[dict[str, Any]]]
    ) -> list[str]:
        """Fill ``table`` with the records ``fetch()`` yields; return the widget's error line."""
        try:
            table.set_rows(list(fetch()))
        except CyclrError as exc:
            table.set_rows([])
            return [f"Could not load the {what}: {exc.message}"]
        return []

    def _load_connectors(self) -> list[str]:
        account = self.account_id
        errors: list[str] = []
        if account is not None:
            fetch = lambda: self._client.iter_account_connectors(account, progress=False)  # noqa: E731
            errors = self._load("account connectors", self.connectors_table, fetch)
        self._on_connector()
        return errors

    def _reload_connectors(self) -> None:
        self.status.value = "".join(error_html(e) for e in self._load_connectors())

    def _on_account(self, _change: object = None) -> None:
        self.refresh()

    def _on_connector(self, _change: object = None) -> None:
        row = self.connectors_table.selected
        button = self.connect_button
        if row is None:
            button.description, button.disabled = "Connect", True
            return
        auth_type = lookup(row, "Connector.AuthType")
        authenticated = bool(row.get("Authenticated"))
        button.description = "Re-authenticate" if authenticated else "Connect"
        button.disabled = auth_type not in _OAUTH
        button.tooltip = (
            f"Sign in to {row.get('Name')} with OAuth."
            if auth_type in _OAUTH
            else f"{auth_type or 'This'} connectors are authenticated with credentials, not OAuth."
        )

    def _on_incident(self, _change: object = None) -> None:
        row = self.incidents_table.selected
        if row is None:
            self.incident_detail.value = ""
            return
        full = str(row.get("FullMessage") or row.get("ShortMessage") or "")
        title = f"{row.get('CycleName') or ''} / {row.get('StepName') or ''}"
        pre = '<pre class="cyclr-incident-detail" style="white-space:pre-wrap">'
        self.incident_detail.value = f"<b>{html.escape(title)}</b>{pre}{html.escape(full)}</pre>"
