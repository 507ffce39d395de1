"""``AccountExplorer``: pick an account, see its connectors, cycles and incidents.

One anywidget (``js/account_explorer.js``): the four tables, the Connect button, the credentials
form, the incident detail, the status line and the OAuth popup are parts (``_parts.py``) of its
one model. How a connector authenticates comes from its ``Authentication[]`` (read from the
library when the installed connector's record lacks it), never from the deprecated top-level
``AuthType`` alone: a connector offering OAuth and an API key gets both the OAuth Connect and
the credentials form.
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
from ._install_form import OAUTH_KINDS, InstallForm, InstallRequest, auth_kinds, credentials_schema
from ._parts import ButtonPart, HtmlPart, PartRegistry, Slot
from ._popup_state import OAuthPopupPart
from ._rpc import RpcError
from ._table import TablePart
from .connector_browser import error_html

__all__ = ["AccountExplorer"]


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
        Connect (or re-authenticate) the selected account connector with OAuth; enabled when
        one of its auth methods is OAuth.
    credentials_form : InstallForm
        Set the selected account connector's API key or user name and password (shown when one
        of its auth methods takes them); Cyclr's answer shows under the button.
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
        self.credentials_form = InstallForm(placeholder="")
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
        # Library records by connector id (their Authentication[]), read once per account.
        self._library: dict[int, dict[str, Any]] = {}
        self._credentials_for: object = None  # whose outcome the credentials form shows
        for name in (
            "status",
            "accounts_table",
            "connectors_table",
            "connect_button",
            "credentials_form",
            "cycles_table",
            "incidents_table",
            "incident_detail",
        ):
            registry.add(name, getattr(self, name))
        self.accounts_table.observe(self._on_account, names="selected_id")
        self.connectors_table.observe(self._on_connector, names="selected_id")
        self.incidents_table.observe(self._on_incident, names="selected_id")
        self.connect_button.on_click(lambda _button: self.connect())
        self.credentials_form.on_submit(self._save_credentials)
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
        self._library.clear()
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
        button, form = self.connect_button, self.credentials_form
        ac_id = None if row is None else row.get("Id")
        if ac_id != self._credentials_for:  # another connector: the last outcome is not its
            self._credentials_for = ac_id
            form.show("", "")
        if row is None:
            button.description, button.disabled = "Connect", True
            form.schema = {}
            return
        record = self._connector_record(row)
        kinds = auth_kinds(record)
        oauth = any(k in OAUTH_KINDS for k in kinds)
        name = str(row.get("Name") or "")
        button.description = "Re-authenticate" if row.get("Authenticated") else "Connect"
        button.disabled = not oauth
        button.tooltip = (
            f"Sign in to {name} with OAuth."
            if oauth
            else f"{', '.join(kinds) or 'This'} connectors are authenticated with credentials, "
            "not OAuth."
        )
        auth_id = row.get("AuthenticationId")
        try:
            form.schema = credentials_schema(
                record, int(str(ac_id)), name, None if auth_id is None else str(auth_id)
            )
        except ValueError:  # no usable id: nothing to save credentials to
            form.schema = {}

    def _connector_record(self, row: dict[str, Any]) -> dict[str, Any]:
        """The installed connector's ``Connector``, with ``Authentication[]`` when Cyclr has it.

        The account connector's record may lack it (Cyclr's shows a subset of the connector):
        then the library record has it. If that cannot be read either, the deprecated top-level
        ``AuthType`` decides (``auth_entries``).
        """
        conn = row.get("Connector")
        conn = conn if isinstance(conn, dict) else {}
        if isinstance(conn.get("Authentication"), list) and conn["Authentication"]:
            return conn
        account = self.account_id
        try:
            cid = int(str(conn.get("Id")))
            if cid not in self._library and account is not None:
                self._library[cid] = {**conn, **self._client.connector(cid, account_id=account)}
        except (CyclrError, TypeError, ValueError):
            return conn  # not cached: the next selection tries again
        return self._library.get(cid, conn)

    def _save_credentials(self, request: InstallRequest) -> str:
        """Set the connector's ``AuthValue``; say whether Cyclr now calls it authenticated."""
        account, ac_id, auth_value = (
            self.account_id,
            request.account_connector_id,
            request.auth_value,
        )
        del request  # the credentials live only in auth_value, for the one call
        if account is None or ac_id is None or auth_value is None:
            raise RpcError("The form is out of date; select the connector again.")
        # A CyclrError propagates: the form shows Cyclr's Message (e.g. a refused key).
        ac = self._client.update_account_connector(account, ac_id, auth_value=auth_value)
        del auth_value
        self._reload_connectors()
        if not ac.authenticated:
            raise RpcError(
                f"Cyclr saved the credentials, but {ac.name} is still not authenticated: "
                "check them and try again."
            )
        return f"Credentials saved: {ac.name} is authenticated."

    def _on_incident(self, _change: object = None) -> None:
        row = self.incidents_table.selected
        if row is None:
            self.incident_detail.value = ""
            return
        full = str(row.get("FullMessage") or row.get("ShortMessage") or "")
        title = f"{row.get('CycleName') or ''} / {row.get('StepName') or ''}"
        pre = '<pre class="cyclr-incident-detail" style="white-space:pre-wrap">'
        self.incident_detail.value = f"<b>{html.escape(title)}</b>{pre}{html.escape(full)}</pre>"
