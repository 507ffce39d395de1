"""``ConnectorBrowser``: search the connector library, pick one, install it into an account.

One anywidget (``js/connector_browser.js``): the library and installed-connector tables, the
install form, the status line and the OAuth popup are parts (``_parts.py``) of its one model, so
it shows wherever anywidget does. Rows, icons and credentials travel only in custom messages.
Actions live on their rows: Install on a library row (it selects the connector: the form takes
the name and credentials), Connect or Re-authenticate on an installed OAuth connector's row (a
working sign-in is replaced only after a confirmation, ``installed_actions``).
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anywidget
import pandas as pd
import traitlets as t

from ..core import AccountConnector, BrowserClient, CyclrError
from ._actions import Action, ActionPart
from ._columns import Column, auth_status
from ._dispatch import CallbackDispatcher
from ._esm import esm_path
from ._explorer_time import client_clock
from ._flow_types import OAuthResult
from ._icons import IconSource
from ._install_form import OAUTH_KINDS, InstallForm, InstallRequest, auth_kinds, install_schema
from ._parts import HtmlPart, PartRegistry, Slot
from ._popup_state import OAuthPopupPart
from ._table import TablePart

__all__ = ["ConnectorBrowser", "connect_actions", "error_html", "status_column"]


def error_html(text: str) -> str:
    """An escaped, visible error line (API failures belong in the widget, not the kernel log)."""
    return f'<div class="cyclr-error" style="color:#b00020">{html.escape(text)}</div>'


def _auth_types(record: Mapping[str, Any]) -> str:
    """An "OAuth2, ApiKey" summary of a connector, from ``Authentication[]`` or ``AuthType``."""
    entries = record.get("Authentication")
    entries = entries if isinstance(entries, list) else []
    kinds = [a.get("AuthType") for a in entries if isinstance(a, dict)]
    kinds = [k for k in dict.fromkeys(kinds) if k] or [record.get("AuthType")]
    return ", ".join(str(k) for k in kinds if k)


def connect_actions(record: Mapping[str, Any], oauth_only: bool = True) -> list[list[str]]:
    """An account connector row's button: Connect, or Re-authenticate when it works already.

    None for a connector that needs no authentication (its only ``AuthType`` is ``None``).

    ``oauth_only``: only connectors that sign in with OAuth (read from the row's ``Connector``:
    its ``Authentication[]``, else the deprecated ``AuthType``) get one.
    """
    conn = record.get("Connector")
    kinds = auth_kinds(conn) if isinstance(conn, Mapping) else []
    if oauth_only and not any(k in OAUTH_KINDS for k in kinds):
        return []
    if kinds and all(k == "None" for k in kinds):
        return []  # a connector without authentication has nothing to connect
    if record.get("Authenticated"):
        return [["reauthenticate", "Re-authenticate"]]
    return [["connect", "Connect"]]


def status_column(failed: set[str]) -> Column:
    """The account connectors' status chip; ``failed``: ids (text) whose last sign-in failed."""
    return Column(
        "Authenticated", "Status", "chip", lambda r: auth_status(r, str(r.get("Id")) in failed)
    )


def track_sign_in(failed: set[str], account_connector_id: Any) -> Callable[[OAuthResult], None]:
    """An ``on_complete`` callback remembering whether the popup's sign-in failed."""
    key = str(account_connector_id)

    def done(result: OAuthResult) -> None:
        if result.authenticated:
            failed.discard(key)
        elif result.status in ("denied", "error", "timeout"):
            failed.add(key)

    return done


class ConnectorBrowser(anywidget.AnyWidget):  # type: ignore[misc]
    """Search the connector library, pick a connector and install it into one account.

    Parameters
    ----------
    client : BrowserClient
        A sync client (``CyclrClient``, or any object with the methods of
        ``cyclr_widgets.core.BrowserClient``); its ``service_url`` is needed for the OAuth
        sign-in after an install.
    account_id : str
        The Cyclr account (API id) the connectors are listed for and installed into.
    limit : int, optional
        Load at most this many connectors.

    Attributes
    ----------
    library : TablePart
        The connector library (search box, category filter, row selection).
    form : InstallForm
        The install form for the selected connector.
    installed_table : TablePart
        The account's installed connectors, with ``Authenticated`` (a status chip) and their
        Connect / Re-authenticate buttons.
    installed_actions : ActionPart
        Where Re-authenticate asks first (it replaces a working sign-in).
    oauth_area : Slot
        Holds the OAuth popup (``popup``) after an OAuth connector was installed.
    popup : OAuthPopupPart or None
        That popup: ``on_complete``, ``wait()``, ``await``, as :class:`OAuthPopup`.
    status : HtmlPart
        Load errors, escaped (``status.value``).

    Examples
    --------
    >>> browser = ConnectorBrowser(client, account_id)  # doctest: +SKIP
    >>> browser.selected["Name"], browser.installed  # doctest: +SKIP
    """

    _esm = esm_path("connector_browser.js")
    _css = esm_path("connector_browser.css")
    parts = t.Dict(help="The parts' state by name (no rows, no secrets).").tag(sync=True)

    def __init__(self, client: BrowserClient, account_id: str, *, limit: int | None = None) -> None:
        if not isinstance(account_id, str) or not account_id.strip():
            raise ValueError("account_id must be a non-empty string (the Cyclr account's id).")
        self._client = client
        self._account_id = account_id.strip()
        self._limit = limit
        self._installed: AccountConnector | None = None
        self._failed: set[str] = set()  # account connectors whose last sign-in here failed
        self._icons = IconSource(lambda cid: client.connector(cid, account_id=self._account_id))
        self._on_install: CallbackDispatcher[[AccountConnector]] = CallbackDispatcher(
            "an on_install callback of ConnectorBrowser"
        )
        super().__init__()
        self._registry = registry = PartRegistry(self)
        self.popup: OAuthPopupPart | None = None
        self.status = HtmlPart()
        clock = client_clock(client)
        self.library = TablePart(
            kind="connectors",
            columns=["@icon", Column("Name", "Connector"), "Version", "Categories", "AuthTypes",
                     Column("@actions", "Actions", "actions", lambda _r: [["install", "Install"]])],
            category_column="Categories", filter_label="Category",
            caption="Connector library", label="Connector library", clock=clock,
            icons=lambda r: self._icons.icon(r.get("Id"), r),
        )  # fmt: skip
        self.form = InstallForm()
        self.oauth_area = Slot(registry, "popup")
        self.installed_table = TablePart(
            kind="account_connectors",
            columns=["@icon", "Name", "Connector.Name", "Connector.Version", "Connector.AuthType",
                     status_column(self._failed), "Id",
                     Column("@actions", "Actions", "actions", connect_actions)],
            category_column="Authenticated", filter_label="Status",
            caption=f"Installed in account {self._account_id}", label="Installed connectors",
            clock=clock, icons=self._icons.installed_icon,
        )  # fmt: skip
        # Icons read from Cyclr in the background reach these tables on the kernel's thread.
        self._icons.feed([self.library, self.installed_table])
        self.installed_actions = ActionPart()
        for name in ("status", "library", "form", "installed_table", "installed_actions"):
            registry.add(name, getattr(self, name))
        self.library.on_row_action(self._on_library_action)
        self.installed_table.on_row_action(self._on_installed_action)
        self.library.observe(self._on_select, names="selected_id")
        self.form.on_submit(self._install)
        self.refresh()

    @property
    def account_id(self) -> str:
        """The account connectors are installed into."""
        return self._account_id

    @property
    def connectors_df(self) -> pd.DataFrame:
        """The connector library as loaded (plus an ``AuthTypes`` summary column)."""
        return self.library.data

    @property
    def visible_df(self) -> pd.DataFrame:
        """The library rows matching the current search and category filter."""
        return self.library.visible_df

    @property
    def installed_df(self) -> pd.DataFrame:
        """The account's installed connectors (``client.account_connectors``)."""
        return self.installed_table.data

    @property
    def selected(self) -> dict[str, Any] | None:
        """The selected connector's record as Cyclr sent it (plus ``AuthTypes``), or None."""
        return self.library.selected

    @property
    def installed(self) -> AccountConnector | None:
        """The account connector made by the last successful install, or None."""
        return self._installed

    def select(self, connector_id: int | str | None) -> None:
        """Select a connector by id (as if clicked), or clear the selection with None."""
        self.library.selected_id = "" if connector_id is None else str(connector_id)

    def on_install(self, callback: Callable[[AccountConnector], Any], remove: bool = False) -> None:
        """Call ``callback(account_connector)`` after each successful install."""
        self._on_install.register(callback, remove=remove)

    def refresh(self) -> None:
        """Reload the connector library and the installed connectors; errors show in the widget."""
        errors = []
        # Both listings at once: they are independent and each is a network wait. Only the
        # HTTP call runs in the worker; the widgets are updated from this thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            installed = pool.submit(self._fetch_installed)
            try:
                # progress=False: a tqdm bar from a widget callback would land in the log console.
                records = self._client.iter_connectors(
                    self._account_id, limit=self._limit, progress=False
                )
                rows = [{**r, "AuthTypes": _auth_types(r)} for r in records]
                self.library.set_rows(rows)
                self.library.caption = f"Connector library ({len(rows):,} connectors)"
            except CyclrError as exc:
                errors.append(f"Could not load the connector library: {exc.message}")
            errors.extend(self._load_installed(installed.result()))
        self.status.value = "".join(error_html(e) for e in errors)

    def refresh_installed(self) -> None:
        """Reload the account's installed connectors (done after every install and sign-in)."""
        errors = self._load_installed()
        self.status.value = "".join(error_html(e) for e in errors)

    def _fetch_installed(self) -> list[dict[str, Any]] | str:
        """The installed connectors' records, or the message to show when Cyclr refused."""
        try:
            return list(self._client.iter_account_connectors(self._account_id, progress=False))
        except CyclrError as exc:
            return f"Could not load the installed connectors: {exc.message}"

    def _load_installed(self, fetched: list[dict[str, Any]] | str | None = None) -> list[str]:
        result = self._fetch_installed() if fetched is None else fetched
        if isinstance(result, str):
            return [result]
        self.installed_table.set_rows(result)
        return []

    def _on_library_action(self, record: Mapping[str, Any], _action: str) -> None:
        # Install on a row selects it: the form (name, credentials) is where it goes on.
        self.library.selected_id = str(record.get("Id") or "")

    def _on_installed_action(self, record: Mapping[str, Any], action: str) -> None:
        ac_id, name = record.get("Id"), str(record.get("Name") or "")
        self.installed_table.selected_id = "" if ac_id is None else str(ac_id)
        try:
            ac_int = int(str(ac_id))
        except ValueError:
            return
        if action == "connect":
            self.show_popup(ac_int, name)
            return

        def run(_args: dict[str, Any]) -> str:  # the confirmed re-authentication
            if self.show_popup(ac_int, name) is None:
                raise ValueError("Cannot start the OAuth sign-in (see the status line).")
            return "Sign in with the popup below."

        where = f"{name or ac_int} in account {self._account_id}"
        reauth = Action(
            "reauthenticate", "Re-authenticate",
            lambda _a: f"Re-authenticate {where}? Its current sign-in is replaced.", run,
            shown=False,
        )  # fmt: skip
        self.installed_actions.offer(("connector", ac_int), f"Connector {where}", [reauth])
        self.installed_actions.request("reauthenticate")

    def _on_select(self, _change: object = None) -> None:
        row = self.library.selected
        if row is not None and not row.get("Authentication"):
            # A listing without auth details: the connector's own record has them.
            # If that fails too, install_schema falls back to the top-level AuthType.
            with contextlib.suppress(CyclrError, AttributeError, TypeError, ValueError):
                row = {**row, **self._client.connector(int(row["Id"]), account_id=self._account_id)}
        self.form.schema = install_schema(row) if row is not None else {}
        self.form.show("", "")

    def _install(self, request: InstallRequest) -> str:
        kwargs: dict[str, Any] = {"name": request.name}
        if request.authentication_id is not None:
            kwargs["authentication_id"] = request.authentication_id
        if request.auth_value is not None:
            kwargs["auth_value"] = request.auth_value
        if request.properties:
            kwargs["properties"] = request.properties
        # The sign-in follows from the method the user CHOSE: a connector that offers OAuth and
        # an API key, installed with the key, needs no popup (whatever its deprecated top-level
        # AuthType says).
        needs_oauth = request.needs_oauth
        # CyclrError propagates: the form shows Cyclr's message and re-enables the button.
        ac = self._client.install_connector(self._account_id, request.connector_id, **kwargs)
        del kwargs, request  # the credentials are no longer needed; don't keep them around
        self._installed = ac
        self.refresh_installed()
        message = f"Installed '{ac.name}' (account connector {ac.id})."
        if ac.authenticated:
            message += " Authenticated."
        elif needs_oauth:
            message += " Now sign in with the Connect button below."
            self.show_popup(ac.id, ac.name)
        else:
            message += " Not authenticated yet."
        # A callback that raises must not make a successful install look failed: the
        # dispatcher logs it (no traceback) and the others still run.
        if self._on_install(ac):
            message += " (an on_install callback failed; see the 'cyclr_widgets' log)"
        return message

    def show_popup(self, account_connector_id: int, name: str = "") -> OAuthPopupPart | None:
        """Show an OAuth popup for an installed account connector below the form."""
        try:
            popup = OAuthPopupPart(
                self._client, self._account_id, account_connector_id, connector_name=name
            )
        except (ValueError, CyclrError) as exc:
            text = exc.message if isinstance(exc, CyclrError) else str(exc)
            self.status.value = error_html(f"Cannot start the OAuth sign-in: {text}")
            return None
        popup.on_complete(track_sign_in(self._failed, account_connector_id))
        popup.on_complete(lambda _result: self.refresh_installed())
        self.popup = popup
        self.oauth_area.children = [popup]
        return popup
