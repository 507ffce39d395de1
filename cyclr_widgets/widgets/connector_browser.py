"""``ConnectorBrowser``: search the connector library, pick one, install it into an account.

One anywidget (``js/connector_browser.js``): the library and installed-connector tables, the
install form, the status line and the OAuth popup are parts (``_parts.py``) of its one model, so
it shows wherever anywidget does. Rows and credentials travel only in custom messages.
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
from ._dispatch import CallbackDispatcher
from ._esm import esm_path
from ._install_form import InstallForm, InstallRequest, install_schema
from ._parts import HtmlPart, PartRegistry, Slot
from ._popup_state import OAuthPopupPart
from ._table import TablePart

__all__ = ["ConnectorBrowser", "error_html"]


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
        The account's installed connectors, with ``Authenticated``.
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
        self._on_install: CallbackDispatcher[[AccountConnector]] = CallbackDispatcher(
            "an on_install callback of ConnectorBrowser"
        )
        super().__init__()
        self._registry = registry = PartRegistry(self)
        self.popup: OAuthPopupPart | None = None
        self.status = HtmlPart()
        self.library = TablePart(
            kind="connectors",
            columns=["Name", "Version", "Categories", "AuthTypes"],
            category_column="Categories",
            caption="Connector library",
        )
        self.form = InstallForm()
        self.oauth_area = Slot(registry, "popup")
        self.installed_table = TablePart(
            kind="account_connectors",
            columns=["Name", "Connector.Name", "Connector.Version", "Connector.AuthType",
                     "Authenticated", "Id"],
            caption=f"Installed in account {self._account_id}",
        )  # fmt: skip
        for name in ("status", "library", "form", "installed_table"):
            registry.add(name, getattr(self, name))
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
        popup.on_complete(lambda _result: self.refresh_installed())
        self.popup = popup
        self.oauth_area.children = [popup]
        return popup
