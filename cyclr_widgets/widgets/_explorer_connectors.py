"""The explorer's Connectors tab: Connect/Re-authenticate, credentials, connector actions.

A mixin of ``AccountExplorer`` (``account_explorer.py``). How a connector authenticates comes
from its ``Authentication[]`` (read from the library when the installed connector's record lacks
it), never from the deprecated top-level ``AuthType`` alone: a connector offering OAuth and an
API key gets both the OAuth Connect and the credentials form. Connecting a connector that is not
authenticated opens the OAuth popup at once (nothing is lost, and the popup's own Sign in and
the provider's Allow are the user's go-ahead); re-authenticating one that works asks first,
since it replaces a working sign-in. Connect / Re-authenticate are buttons on the rows
(``@actions``): a click selects the row, then does what the Connect button does (OAuth), or
leaves the credentials form of the selected row to the user. The rows' icons come from the
listing's ``Connector.Icon`` or, without it, the library record (``_icons.IconSource``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..core import CyclrError, ExplorerClient
from ._actions import ActionPart
from ._explorer_actions import connector_actions, property_names
from ._explorer_drill import MessageHtmlPart
from ._explorer_notes import connector_note
from ._icons import IconSource
from ._install_form import OAUTH_KINDS, InstallForm, InstallRequest, auth_kinds, credentials_schema
from ._parts import ButtonPart, HtmlPart, Slot
from ._popup_state import OAuthPopupPart
from ._rpc import RpcError
from ._table import TablePart
from .connector_browser import error_html, track_sign_in

__all__ = ["ConnectorsMixin", "load_table"]


def load_table(
    what: str, table: TablePart, fetch: Callable[[], Iterable[dict[str, Any]]]
) -> list[str]:
    """Fill ``table`` with the records ``fetch()`` yields; return the widget's error line."""
    try:
        table.set_rows(list(fetch()))
    except CyclrError as exc:
        table.set_rows([])
        return [f"Could not load the {what}: {exc.message}"]
    return []


class ConnectorsMixin:
    """Connect, credentials and the connector actions of ``AccountExplorer``."""

    _client: ExplorerClient
    read_only: bool
    popup: OAuthPopupPart | None
    status: HtmlPart
    connectors_table: TablePart
    connect_button: ButtonPart
    credentials_form: InstallForm
    connector_actions: ActionPart
    connector_note: MessageHtmlPart
    oauth_area: Slot
    _library: dict[int, dict[str, Any]]
    _credentials_for: object
    _failed: set[str]
    _icons: IconSource

    @property
    def account_id(self) -> str | None:
        """The selected account's id, or None."""
        raise NotImplementedError  # pragma: no cover - AccountExplorer provides it

    def connect(self) -> OAuthPopupPart | None:
        """Show an OAuth popup for the selected account connector (``popup``).

        Nothing in read-only mode. From Python this opens the popup at once (no confirmation:
        the sign-in itself happens only when the popup's Sign in is clicked).
        """
        row = self.connectors_table.selected
        if row is None or self.account_id is None or self.read_only:
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
        popup.on_complete(track_sign_in(self._failed, row["Id"]))
        popup.on_complete(lambda _result: self._reload_connectors())
        self.popup = popup
        self.oauth_area.children = [popup]
        return popup

    def _on_connector_row_action(self, record: Mapping[str, Any], _action: str) -> None:
        """A row's Connect / Re-authenticate: select it, then as the Connect button (OAuth)."""
        if self.read_only:
            return
        self.connectors_table.selected_id = str(record.get("Id") or "")
        if not self.connect_button.disabled:  # OAuth; otherwise the credentials form is it
            self._on_connect_click()

    def _on_connect_click(self, _button: object = None) -> None:
        row = self.connectors_table.selected
        if row is not None and row.get("Authenticated"):
            self.connector_actions.request("reauthenticate")  # replaces a working sign-in: ask
        else:
            self.connect()

    def _reauthenticate(self) -> str:
        popup = self.connect()
        if popup is None:
            raise ValueError("Cannot start the OAuth sign-in (see the status line).")
        return "Sign in with the popup below."

    def _load_connectors(self) -> list[str]:
        account = self.account_id
        errors: list[str] = []
        if account is not None:
            fetch = lambda: self._client.iter_account_connectors(account, progress=False)  # noqa: E731
            errors = load_table("account connectors", self.connectors_table, fetch)
        self._on_connector()
        return errors

    def _reload_connectors(self) -> None:
        self.status.value = "".join(error_html(e) for e in self._load_connectors())

    def _on_connector(self, _change: object = None) -> None:
        row = self.connectors_table.selected
        button, form = self.connect_button, self.credentials_form
        ac_id = None if row is None else row.get("Id")
        if ac_id != self._credentials_for:  # another connector: the last outcome is not its
            self._credentials_for = ac_id
            form.show("", "")
        if row is None or self.account_id is None:
            button.description, button.disabled = "Connect", True
            form.schema = {}
            self.connector_actions.clear()
            self.connector_note.value = ""
            return
        record = self._connector_record(row)
        self.connector_note.value = connector_note(row, record)
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
            subject, actions = connector_actions(
                self._client, self.account_id, row, oauth=oauth,
                reauthenticate=self._reauthenticate,
            )  # fmt: skip
        except ValueError:  # no usable id: nothing to save credentials to, nothing to act on
            form.schema = {}
            self.connector_actions.clear()
            return
        with self.connector_actions.hold_sync():
            self.connector_actions.offer(("connector", ac_id), subject, actions)
            self.connector_actions.names = property_names(row, record)

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
        if self.read_only:
            raise RpcError("This explorer is read-only: it changes nothing in the account.")
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
