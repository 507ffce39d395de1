"""The explorer's history: the account's timezone, the time window, incidents and transactions.

A mixin of ``AccountExplorer`` (``account_explorer.py``). The window's bounds become the
``after=``/``before=`` of ``iter_incidents`` and ``iter_transactions`` ("now" from the client's
clock); rows get a ``LocalTime`` in the account's timezone and come newest first. Selecting an
incident or a transaction opens that run in the drill-down (``_explorer_drill.py``): one run is
open at a time, so selecting one clears the other table's selection.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from ..core import CyclrError, ExplorerClient
from ._explorer_connectors import load_table
from ._explorer_drill import MessageHtmlPart, TransactionDrill
from ._explorer_time import TimeWindowPart, account_zone, newest_first, with_local_time
from ._parts import HtmlPart
from ._table import TablePart
from .connector_browser import error_html

__all__ = ["HistoryMixin"]


class HistoryMixin:
    """Time window, incidents, transactions and opening a run, for ``AccountExplorer``."""

    _client: ExplorerClient
    _now: Callable[[], datetime]
    _zone: tzinfo
    timezone: str
    status: HtmlPart
    accounts_table: TablePart
    cycles_table: TablePart
    incidents_table: TablePart
    transactions_table: TablePart
    incident_detail: MessageHtmlPart
    time_window: TimeWindowPart
    drill: TransactionDrill

    @property
    def account_id(self) -> str | None:
        """The selected account's id, or None."""
        raise NotImplementedError  # pragma: no cover - AccountExplorer provides it

    def _on_cycle(self, _change: object = None) -> None:
        raise NotImplementedError  # pragma: no cover - AccountExplorer provides it

    def _read_zone(self, account: str) -> list[str]:
        """The account's timezone: from the accounts listing, else ``client.account()``."""
        row = next((r for r in self.accounts_table.rows if r.get("Id") == account), None)
        name = None if row is None else row.get("Timezone")
        errors: list[str] = []
        if not name:
            try:
                name = self._client.account(account).get("Timezone")
            except CyclrError as exc:
                errors.append(f"Could not read the account's timezone: {exc.message} (UTC used)")
        self._zone, label = account_zone(name)
        self.timezone = self.time_window.timezone = label
        for table in self._timed_tables():  # exact times on hover in the account's zone
            table.zone = label
        return errors

    def _timed_tables(self) -> list[TablePart]:
        tables = [self.incidents_table, self.transactions_table, self.cycles_table]
        return [*tables, self.drill.steps_table]

    def _load_history(self) -> list[str]:
        """Reload the incidents and transactions of the window (newest first)."""
        account = self.account_id
        self.incidents_table.selected_id = self.transactions_table.selected_id = ""
        if account is None:
            return []
        try:
            after, before = self.time_window.bounds(self._now(), self._zone)
        except ValueError as exc:
            self.time_window.caption = str(exc)
            return [str(exc)]
        self.time_window.caption = self.time_window.describe(after, before, self._zone)
        client, zone = self._client, self._zone

        def incidents() -> list[dict[str, Any]]:
            # window=None: the bounds are ours (no lower bound in a custom window means every
            # incident, however old), not the client's default 7 days.
            records = [
                r
                for level in ("error", "warning")
                for r in client.iter_incidents(
                    account, level, after=after, before=before, window=None, progress=False
                )
            ]
            return with_local_time(newest_first(records, "CreatedOnUtc"), "CreatedOnUtc", zone)

        def transactions() -> list[dict[str, Any]]:
            records = client.iter_transactions(account, after=after, before=before, progress=False)
            return with_local_time(
                newest_first(list(records), "StartedOnUtc"), "StartedOnUtc", zone
            )

        errors = [
            *load_table("incidents", self.incidents_table, incidents),
            *load_table("transactions", self.transactions_table, transactions),
        ]
        self.incidents_table.caption = f"{self.incidents_table.row_count} incidents"
        self.transactions_table.caption = f"{self.transactions_table.row_count} transactions"
        return errors

    def _on_window(self, _change: object = None) -> None:
        self.drill.clear()
        self.incident_detail.value = ""
        self.status.value = "".join(error_html(e) for e in self._load_history())
        self._on_cycle()  # the selected cycle's grouped incidents follow the window

    def _on_incident(self, _change: object = None) -> None:
        row = self.incidents_table.selected
        if row is None:
            self.incident_detail.value = ""
            if not self.transactions_table.selected_id:
                self.drill.clear()
            return
        full = str(row.get("FullMessage") or row.get("ShortMessage") or "")
        title = f"{row.get('CycleName') or ''} / {row.get('StepName') or ''}"
        pre = '<pre class="cyclr-incident-detail" style="white-space:pre-wrap">'
        self.incident_detail.value = f"<b>{html.escape(title)}</b>{pre}{html.escape(full)}</pre>"
        self.transactions_table.selected_id = ""  # one run open at a time: this incident's
        if self.account_id is not None:
            level, when = row.get("IncidentLevel") or "Incident", row.get("LocalTime") or ""
            self.drill.open(
                self.account_id,
                str(row.get("CycleId") or ""),
                str(row.get("TransactionId") or ""),
                zone=self._zone,
                step_id=str(row.get("StepId") or "") or None,
                headline=f"{level} {when}: {row.get('CycleName') or ''}".strip(),
            )

    def _on_transaction(self, _change: object = None) -> None:
        row = self.transactions_table.selected
        if row is None or self.account_id is None:
            if not self.incidents_table.selected_id:
                self.drill.clear()
            return
        self.incidents_table.selected_id = ""  # one run open at a time: this one
        self.drill.open(
            self.account_id,
            str(row.get("CycleId") or ""),
            str(row.get("Id") or ""),
            zone=self._zone,
            headline=f"Run {row.get('LocalTime') or ''}: {row.get('CycleName') or ''}",
        )
