"""``AccountExplorer``: from "the integration stopped working" to the failing step, in a few clicks.

One anywidget (``js/account_explorer.js``) whose tables, buttons, forms, time window, drill-down
and OAuth popup are parts (``_parts.py``) of its one model. Pick an account; its connectors,
cycles, incidents and transactions show (times in the account's timezone and in UTC, newest
first, within a time window); select an incident (or a transaction) to open the run: its steps,
the failing step's request and response, that step's field mappings and parameters, and the
cycle's variables. Cycles and connectors can be acted on from their rows, each action confirmed
in the widget first (``_actions.py``); ``read_only=True`` offers none. Rows, dumps and typed
values travel by custom message; the synced state stays a few small traits per part.
"""

from __future__ import annotations

import logging
import os
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any

import anywidget
import pandas as pd
import traitlets as t

from ..core import ExplorerClient, mask_secrets
from ._actions import READ_ONLY, ActionPart
from ._columns import Column
from ._dumps import HttpDump
from ._esm import esm_path
from ._explorer_actions import cycle_actions
from ._explorer_connectors import ConnectorsMixin, load_table
from ._explorer_drill import MessageHtmlPart, TransactionDrill
from ._explorer_history import HistoryMixin
from ._explorer_notes import cycle_note
from ._explorer_partner import PartnerMixin
from ._explorer_time import TimeWindowPart, client_clock
from ._icons import IconSource
from ._install_form import InstallForm
from ._parts import ButtonPart, HtmlPart, PartRegistry, Slot
from ._popup_state import OAuthPopupPart
from ._table import TablePart
from .connector_browser import connect_actions, error_html, status_column

__all__ = ["AccountExplorer"]

log = logging.getLogger("cyclr_widgets")
#: The parts that change the account: not hosted (nor rendered) in read-only mode.
_UTC = timezone.utc  # (the class has a `timezone` trait: the module is not shadowed, but clearer)
ACTION_PARTS = ("connect_button", "credentials_form", "cycle_actions", "connector_actions")


def _connect_cell(record: Any) -> list[list[str]]:
    return connect_actions(record, oauth_only=False)


class AccountExplorer(PartnerMixin, HistoryMixin, ConnectorsMixin, anywidget.AnyWidget):  # type: ignore[misc]
    """Troubleshoot a customer account live: connectors, cycles, incidents, runs, steps.

    Parameters
    ----------
    client : ExplorerClient
        A sync client (``CyclrClient``, or any object with the methods of
        ``cyclr_widgets.core.ExplorerClient``); ``service_url`` set for Connect. "Now" for
        the time window is the client's clock.
    account_id : str, optional
        Open this account at once; otherwise the explorer starts at the partner view.
    read_only : bool
        Offer no action at all (no button is rendered, and the kernel refuses action
        messages): for engineers who must not change a customer's account.

    Attributes
    ----------
    view : str
        ``"partner"``: every account's health, worst first (``health_table``, ``health_df``),
        filling in as a scan on a thread goes (``stop_scan()``, ``scan_partner(window)``); a
        row clicked opens that account. ``"account"``: the account's tabs below.
    accounts_table, connectors_table, cycles_table, incidents_table, transactions_table
        The tables (``TablePart``); each one's ``data`` is also a ``*_df`` property. Incidents
        and transactions are newest first, with ``LocalTime`` (the account's ``timezone``)
        beside Cyclr's UTC time.
    time_window : TimeWindowPart
        Last hour / day / week (default) or custom ``after``/``before``; changing it reloads
        the incidents and transactions.
    selected_incident : dict or None
        The incident selected; selecting one opens its transaction.
    transaction : DataFrame
        The open transaction's step records (``StepName``, ``Status``, ``Request``,
        ``Response``...), in run order.
    selected_step : dict or None
        The selected step record (the failing one when a transaction opens).
    step_request, step_response : HttpDump or None
        Its request (``method``, ``url``, ``headers``, ``body``) and response (``status``,
        ``headers``, ``body``), secrets masked.
    step_field_mappings, step_parameters, cycle_variables : DataFrame
        That step's field mappings and parameters; the cycle's variables.
    cycle_actions, connector_actions : ActionPart
        Activate, run once, deactivate, clear incidents (the selected cycle); deauthenticate,
        set a property, re-authenticate (the selected connector). ``request(name)`` asks,
        ``confirm()`` runs, as the Confirm button does; ``result`` is Cyclr's answer.
    steps_table : TablePart
        The open run's steps (``selected_id`` picks another one); ``drill`` holds the
        drill-down's other parts.
    connect_button, credentials_form, oauth_area, incident_detail, status
        Connect/Re-authenticate of the selected connector from Python (``click()``; the view
        shows these as buttons on the connector's row), the credentials form, the OAuth popup's
        place (``popup``), the incident's ``FullMessage`` (``.value``, sent by message), load
        errors (escaped HTML).

    Examples
    --------
    >>> explorer = AccountExplorer(client, "acme")  # doctest: +SKIP
    >>> explorer.incidents_table.selected_id = "0"  # the newest incident  # doctest: +SKIP
    >>> explorer.step_response.status, explorer.step_field_mappings  # doctest: +SKIP
    """

    _esm = esm_path("account_explorer.js")
    _css = esm_path("account_explorer.css")
    parts = t.Dict(help="The parts' state by name (no rows, no secrets).").tag(sync=True)
    read_only = t.Bool(False, help="No action offered; action messages refused.").tag(sync=True)
    timezone = t.Unicode("UTC", help="The account's timezone (IANA name).").tag(sync=True)
    view = t.Enum(("partner", "account"), "partner", help="The view shown.").tag(sync=True)

    def __init__(
        self, client: ExplorerClient, account_id: str | None = None, *, read_only: bool = False
    ) -> None:
        super().__init__(
            read_only=bool(read_only), view="partner" if account_id is None else "account"
        )
        self._client = client
        self._now = client_clock(client)
        self._zone: tzinfo = _UTC
        self._registry = registry = PartRegistry(self)
        self.popup: OAuthPopupPart | None = None
        self.status = HtmlPart()
        self._failed: set[str] = set()  # account connectors whose last sign-in here failed
        self._icons = IconSource(
            lambda cid: client.connector(cid, account_id=self.account_id or "")
        )
        self.accounts_table = TablePart(
            kind="accounts", columns=["Name", "Id", "Description", "Timezone"],
            caption="Accounts", label="Accounts",
        )  # fmt: skip
        # The row's Connect / Re-authenticate (not in read-only mode): Connect or Re-authenticate
        # for every connector (OAuth opens the popup, credentials the form below the table).
        buttons: list[Column] = (
            [] if read_only else [Column("@actions", "Actions", "actions", _connect_cell)]
        )
        self.connectors_table = TablePart(
            kind="account_connectors",
            columns=["@icon", "Name", "Connector.Name", "Connector.Version", "Connector.AuthType",
                     status_column(self._failed), "Id", *buttons],
            category_column="Authenticated", filter_label="Status", label="Connectors",
            clock=self._now, icons=self._icons.installed_icon,
        )  # fmt: skip
        self._icons.feed([self.connectors_table])  # icons read in the background reach it
        self.connect_button = ButtonPart(
            description="Connect", disabled=True,
            tooltip="Select an OAuth account connector to (re-)authenticate it.",
        )  # fmt: skip
        self.credentials_form = InstallForm(placeholder="")
        self.oauth_area = Slot(registry, "popup")
        self.cycles_table = TablePart(
            kind="cycles",
            columns=["Name", "Status", "ErrorCount", "WarningCount", "LastSuccessfulRunDate", "Id"],
            category_column="Status", filter_label="Status", label="Cycles", clock=self._now,
        )  # fmt: skip
        self.time_window = TimeWindowPart()
        # Incidents have no id of their own in Cyclr's docs: the row number identifies them.
        # Their time shows relative to the client's clock, exact (in the account's zone) on hover.
        self.incidents_table = TablePart(
            kind="incidents",
            columns=["CreatedOnUtc", "IncidentLevel", "CycleName", "StepName", "ShortMessage"],
            id_column="", category_column="IncidentLevel", filter_label="Level",
            filter_options=("Error", "Warning", "Info"), label="Incidents", clock=self._now,
        )  # fmt: skip
        self.incident_detail = MessageHtmlPart()  # FullMessage quotes bodies: by message
        # Why the selected connector is not authenticated; the selected cycle's incidents
        # grouped by step and message (_explorer_notes.py).
        self.connector_note = MessageHtmlPart()
        self.cycle_note = MessageHtmlPart()
        self.transactions_table = TablePart(
            kind="transactions",
            columns=["StartedOnUtc", "CycleName", "Status", "TasksUsed", "Id"],
            category_column="Status", filter_label="Status", label="Transactions", clock=self._now,
        )  # fmt: skip
        self.cycle_actions = ActionPart(read_only=read_only, on_done=self._after_cycle_action)
        self.connector_actions = ActionPart(
            read_only=read_only, on_done=lambda _name: self._reload_connectors()
        )
        self._library: dict[int, dict[str, Any]] = {}
        self._credentials_for: object = None  # whose outcome the credentials form shows
        for name in (
            "status",
            "accounts_table",
            "connectors_table",
            "cycles_table",
            "time_window",
            "incidents_table",
            "incident_detail",
            "transactions_table",
            "connector_note",
            "cycle_note",
        ):
            registry.add(name, getattr(self, name))
        if not read_only:  # not hosted: no view renders them, no message reaches them
            for name in ACTION_PARTS:
                registry.add(name, getattr(self, name))
        self.drill = TransactionDrill(client, registry)
        self.steps_table = self.drill.steps_table  # pick another step of the open run
        self.steps_table.clock = self._now  # its times relative to the client's clock
        self._init_partner(client, self._now)
        registry.add("health_table", self.health_table)
        self.on_msg(self._refuse_in_read_only)
        self.accounts_table.observe(self._on_account, names="selected_id")
        self.connectors_table.observe(self._on_connector, names="selected_id")
        if not read_only:
            self.connectors_table.on_row_action(self._on_connector_row_action)
        self.cycles_table.observe(self._on_cycle, names="selected_id")
        self.incidents_table.observe(self._on_incident, names="selected_id")
        self.transactions_table.observe(self._on_transaction, names="selected_id")
        self.time_window.observe(self._on_window, names=["window", "after", "before"])
        self.connect_button.on_click(self._on_connect_click)
        self.credentials_form.on_submit(self._save_credentials)
        accounts = lambda: client.iter_accounts(progress=False)  # noqa: E731
        errors = load_table("accounts", self.accounts_table, accounts)
        self.status.value = "".join(error_html(e) for e in errors)
        self._accounts_listed = not errors
        self.observe(self._on_view, names="view")
        if account_id is not None:
            self.select_account(account_id)
        else:
            self._on_view()  # the partner view: its scan starts

    # -- what Python reads -------------------------------------------------------------------

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
        """The account's error and warning incidents in the window, newest first."""
        return self.incidents_table.data

    @property
    def transactions_df(self) -> pd.DataFrame:
        """The account's transactions (runs) in the window, newest first."""
        return self.transactions_table.data

    @property
    def selected_incident(self) -> dict[str, Any] | None:
        """The selected incident's record (secrets masked), or None."""
        row = self.incidents_table.selected
        return None if row is None else mask_secrets(row)

    @property
    def transaction(self) -> pd.DataFrame:
        """The open transaction's step records, in run order (empty when none is open)."""
        return self.drill.frame("steps_table")

    @property
    def selected_step(self) -> dict[str, Any] | None:
        """The selected step record of the open transaction, or None."""
        return self.drill.selected_step

    @property
    def step_request(self) -> HttpDump | None:
        """The selected step's request, split: ``method``, ``url``, ``headers``, ``body``."""
        return self.drill.step_request

    @property
    def step_response(self) -> HttpDump | None:
        """The selected step's response, split: ``status``, ``headers``, ``body``."""
        return self.drill.step_response

    @property
    def step_field_mappings(self) -> pd.DataFrame:
        """The selected step's field mappings (``Field.Name``, ``MappingType``, ``Value``...)."""
        return self.drill.frame("mappings_table")

    @property
    def step_parameters(self) -> pd.DataFrame:
        """The selected step's parameters (``Parameter.Name``, ``MappingType``, ``Value``...)."""
        return self.drill.frame("parameters_table")

    @property
    def cycle_variables(self) -> pd.DataFrame:
        """The open transaction's cycle's variables (``SystemName``, ``Value``...)."""
        return self.drill.frame("variables_table")

    def bundle(self, path: str | os.PathLike[str]) -> Path:
        """Write the open account's support bundle to ``path`` (``client.support_bundle``).

        A zip with the account, its connectors (and why each unauthenticated one is), cycles,
        recent incidents grouped per step and message, transactions and their failing steps'
        requests and responses, as CSV and JSON, plus a ``SUMMARY.md``; every secret scrubbed.
        """
        account = self.account_id
        if account is None:
            raise ValueError("No account is open: select one (or pass account_id=) first.")
        return self._client.support_bundle(account, Path(path))

    # -- loading -----------------------------------------------------------------------------

    def select_account(self, account_id: str) -> None:
        """Open an account (loads its connectors, cycles, incidents and transactions)."""
        if self.accounts_table.selected_id == account_id:
            self.refresh()
        else:
            # An account missing from the list (e.g. paging limits) is still allowed.
            self.accounts_table.selected_id = account_id

    def refresh(self) -> None:
        """Reload everything of the selected account."""
        account = self.account_id
        self.oauth_area.children = []
        self.incident_detail.value = ""
        self._library.clear()
        self.drill.clear()
        if account is None:
            for table in (self.connectors_table, self.cycles_table):
                table.set_rows([])
            self.incidents_table.set_rows([])
            self.transactions_table.set_rows([])
            self.status.value = ""
            return
        errors = self._read_zone(account)
        cycles = lambda: self._client.iter_cycles(account, progress=False)  # noqa: E731
        errors += [*self._load_connectors(), *load_table("cycles", self.cycles_table, cycles)]
        errors += self._load_history()
        counts = (self.connectors_table.row_count, self.cycles_table.row_count)
        self.connectors_table.caption = f"{counts[0]} connectors installed in {account}"
        self.cycles_table.caption = f"{counts[1]} cycles in {account}"
        self._on_cycle()
        self.status.value = "".join(error_html(e) for e in errors)

    # -- selections --------------------------------------------------------------------------

    def _on_account(self, _change: object = None) -> None:
        if self.account_id is not None:
            self.view = "account"
        self.refresh()

    def _on_cycle(self, _change: object = None) -> None:
        row, account = self.cycles_table.selected, self.account_id
        self.cycle_note.value = cycle_note(row, self.incidents_table.rows, self._zone)
        if row is None or account is None:
            self.cycle_actions.clear()
            return
        subject, actions = cycle_actions(self._client, account, row)
        self.cycle_actions.offer(("cycle", row.get("Id")), subject, actions)

    def _after_cycle_action(self, name: str) -> None:
        """Reload the cycles (their status changed), and the history after a clear."""
        account = self.account_id
        if account is None:
            return
        cycles = lambda: self._client.iter_cycles(account, progress=False)  # noqa: E731
        errors = load_table("cycles", self.cycles_table, cycles)
        if name == "clear_incidents":
            self.drill.clear()
            errors += self._load_history()
        self._on_cycle()
        self.status.value = "".join(error_html(e) for e in errors)

    def _refuse_in_read_only(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """Answer an action message sent to a read-only explorer (a stale or forged view)."""
        if not self.read_only or not isinstance(content, dict):
            return
        kind = content.get("kind")
        if (content.get("part") in ACTION_PARTS and kind != "hello") or kind == "row_action":
            log.warning("cyclr_widgets: refused an action message in read-only mode")
            self.send({"kind": "refused", "part": content["part"], "message": READ_ONLY})
