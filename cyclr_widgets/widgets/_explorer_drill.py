"""The explorer's drill-down: a transaction's steps, a step's request and response, its mappings.

From a transaction (an incident's ``CycleId`` and ``TransactionId``, or a row of the
transactions table) :class:`TransactionDrill` loads the run's step records (with their status),
selects the failing step (the incident's ``StepId``, else the first step that errored), and for
the selected step shows its request and response split for display (``_dumps.py``), its field
mappings and parameters; the cycle's variables sit beside them. Every level is readable from
Python (``transaction``, ``selected_step``, ``step_request``/``step_response``,
``step_field_mappings``, ``step_parameters``, ``cycle_variables``); the dumps and rows travel to
the front end by custom message, never in synced state.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from datetime import timezone, tzinfo
from typing import Any

import pandas as pd
import traitlets as t

from ..core import CyclrError, ExplorerClient, mask_secrets
from ._dumps import HttpDump, parse_request, parse_response
from ._explorer_time import local_text, with_local_time
from ._parts import HtmlPart, Part, PartRegistry
from ._rpc import MessageRouter
from ._table import TablePart
from .connector_browser import error_html

__all__ = ["MessageHtmlPart", "StepDetailPart", "TransactionDrill"]

FAILED = ("Errored", "Error", "Failed", "CompletedWithErrors")


class StepDetailPart(Part):
    """A step's request and response (``js/parts/step_detail.js``), sent by custom message.

    Synced state is only the step's name and status; the dumps go as ``{"kind": "detail"}`` to
    every open view, and again to a view that says ``hello``.
    """

    step_name = t.Unicode("", help="The selected step's name.").tag(sync=True)
    status = t.Unicode("", help="The selected step's status in this run.").tag(sync=True)

    def __init__(self) -> None:
        super().__init__()
        self._payload: dict[str, Any] = {"kind": "detail", "step": None}
        self._router = MessageRouter(lambda msg: self.send(msg))
        self._router.register("hello", lambda _c: self.send(self._payload))
        self.on_msg(self._router)

    def show(self, payload: dict[str, Any] | None) -> None:
        """Show a step (``{"step", "request", "response"}``), or nothing."""
        step = (payload or {}).get("step") or {}
        self._payload = {"kind": "detail", **(payload or {"step": None})}
        with self.hold_sync():
            self.step_name = str(step.get("name") or "")
            self.status = str(step.get("status") or "")
        self.send(self._payload)


class MessageHtmlPart(Part):
    """Escaped HTML sent by custom message, never synced (an incident's full text, a dump).

    ``value`` is a plain attribute: setting it sends ``{"kind": "html", "value"}`` to every
    open view, and a view that says ``hello`` gets it again (``renderMessageHtml`` in
    ``js/parts/step_detail.js``). Only ``shown`` (whether there is anything) is state.
    """

    shown = t.Bool(False, help="Whether there is anything to show.").tag(sync=True)

    def __init__(self) -> None:
        super().__init__()
        self._value = ""
        self._router = MessageRouter(lambda msg: self.send(msg))
        self._router.register("hello", lambda _c: self.send({"kind": "html", "value": self._value}))
        self.on_msg(self._router)

    @property
    def value(self) -> str:
        """The HTML shown (escaped by whoever sets it)."""
        return self._value

    @value.setter
    def value(self, html_text: str) -> None:
        self._value = html_text
        self.shown = bool(html_text)
        self.send({"kind": "html", "value": html_text})


class TransactionDrill:
    """The parts and the logic of one drill-down (hosted by ``AccountExplorer``)."""

    def __init__(self, client: ExplorerClient, registry: PartRegistry) -> None:
        self._client = client
        self.caption = HtmlPart()
        self.steps_table = TablePart(
            kind="transaction_steps",
            columns=["LocalTime", "StepName", "Status", "Message", "StartedOnUtc"],
            caption="Steps of the run",
            category_column="Status",
            filter_label="Status",
        )
        self.step_detail = StepDetailPart()
        self.mappings_table = TablePart(
            kind="step_field_mappings",
            columns=["Field.Name", "MappingType", "Value", "TriggerValueDisplayName",
                     "SourceStepId", "SourceFieldId", "Field.IsOptional"],
            id_column="Field.Id",
            caption="Field mappings of the step",
        )  # fmt: skip
        self.parameters_table = TablePart(
            kind="step_parameters",
            columns=["Parameter.Name", "MappingType", "Value", "TriggerValueDisplayName",
                     "Parameter.IsOptional"],
            id_column="Parameter.Id",
            caption="Parameters of the step",
        )  # fmt: skip
        self.variables_table = TablePart(
            kind="cycle_variables",
            columns=["SystemName", "DisplayName", "Value", "ValueType", "MappingType"],
            id_column="SystemName",
            caption="Variables of the cycle",
        )
        for name in self.PARTS:
            registry.add(name, getattr(self, name))
        self._account: str | None = None
        self._cycle_id = ""
        self._transaction_id = ""
        self._zone: tzinfo = timezone.utc
        self._request: HttpDump | None = None
        self._response: HttpDump | None = None
        self._errors: list[str] = []
        self._headline = ""
        self.steps_table.observe(self._on_step, names="selected_id")

    PARTS = (
        "caption",
        "steps_table",
        "step_detail",
        "mappings_table",
        "parameters_table",
        "variables_table",
    )

    # -- what Python reads -----------------------------------------------------------------

    @property
    def transaction_id(self) -> str:
        """The transaction shown, ``""`` for none."""
        return self._transaction_id

    @property
    def selected_step(self) -> dict[str, Any] | None:
        """The selected step record (``StepId``, ``StepName``, ``Status``, dumps), or None."""
        row = self.steps_table.selected
        return None if row is None else mask_secrets(row)

    @property
    def step_request(self) -> HttpDump | None:
        """The selected step's request: ``method``, ``url``, ``headers``, ``body``."""
        return self._request

    @property
    def step_response(self) -> HttpDump | None:
        """The selected step's response: ``status``, ``headers``, ``body``."""
        return self._response

    # -- loading ---------------------------------------------------------------------------

    def open(
        self,
        account: str,
        cycle_id: str,
        transaction_id: str,
        *,
        zone: tzinfo,
        step_id: str | None = None,
        headline: str = "",
    ) -> None:
        """Load a transaction's steps and the cycle's variables; select the failing step."""
        before = (self._account, self._cycle_id)
        self._account, self._zone, self._headline = account, zone, headline
        self._errors = []
        if not cycle_id or not transaction_id:
            self.clear()
            self._errors = ["This row names no transaction to open."]
            self._draw_caption()
            return
        if (account, cycle_id) != before:  # the variables are the cycle's: read once per cycle
            self._cycle_id = cycle_id
            client = self._client
            variables = lambda: client.iter_cycle_variables(account, cycle_id, progress=False)  # noqa: E731
            self._load(self.variables_table, "cycle's variables", variables)
        self._transaction_id = transaction_id
        self.steps_table.selected_id = ""
        self._load(
            self.steps_table,
            "transaction's steps",
            lambda: with_local_time(
                self._client.iter_transaction_steps(
                    account, cycle_id, transaction_id, progress=False
                ),
                "StartedOnUtc",
                zone,
            ),
        )
        self.steps_table.selected_id = self._failing_step(step_id)
        if not self.steps_table.selected_id:
            self._show_step()  # nothing to select: still clear the step's level
        self._draw_caption()

    def clear(self) -> None:
        """Show nothing (no transaction selected)."""
        self._account = None
        self._cycle_id = self._transaction_id = ""
        self._headline = ""
        self._errors = []
        for table in (self.steps_table, self.variables_table):
            table.set_rows([])
        self._show_step()
        self.caption.value = ""

    def _failing_step(self, step_id: str | None) -> str:
        """The record to select: the incident's step, else the first failure, else none."""
        rows = self.steps_table.rows
        ids = [str(r.get("Id") or "") for r in rows]
        for rid, r in zip(ids, rows, strict=True):
            if step_id and str(r.get("StepId") or "") == step_id:
                return rid
        for rid, r in zip(ids, rows, strict=True):
            if str(r.get("Status") or "") in FAILED:
                return rid
        return ""

    def _load(
        self, table: TablePart, what: str, fetch: Callable[[], Iterable[dict[str, Any]]]
    ) -> None:
        try:
            table.set_rows([mask_secrets(r) for r in fetch()])
        except CyclrError as exc:
            table.set_rows([])
            self._errors.append(f"Could not load the {what}: {exc.message}")

    def _on_step(self, _change: object = None) -> None:
        self._errors = [e for e in self._errors if "step's" not in e]
        self._show_step()
        self._draw_caption()

    def _show_step(self) -> None:
        row = self.steps_table.selected
        account = self._account
        if row is None or account is None:
            self._request = self._response = None
            self.step_detail.show(None)
            self.mappings_table.set_rows([])
            self.parameters_table.set_rows([])
            return
        row = mask_secrets(row)
        self._request = parse_request(row.get("Request"))
        self._response = parse_response(row.get("Response"))
        started = row.get("StartedOnUtc")
        self.step_detail.show(
            {
                "step": {
                    "name": str(row.get("StepName") or ""),
                    "status": str(row.get("Status") or ""),
                    "message": str(row.get("Message") or ""),
                    "started_local": local_text(started, self._zone),
                    "started_utc": local_text(started, timezone.utc),
                },
                "request": self._request.as_dict(),
                "response": self._response.as_dict(),
            }
        )
        step_id = str(row.get("StepId") or "")
        if not step_id:
            self.mappings_table.set_rows([])
            self.parameters_table.set_rows([])
            return
        client = self._client
        mappings = lambda: client.iter_step_field_mappings(account, step_id, progress=False)  # noqa: E731
        parameters = lambda: client.iter_step_parameters(account, step_id, progress=False)  # noqa: E731
        self._load(self.mappings_table, "step's field mappings", mappings)
        self._load(self.parameters_table, "step's parameters", parameters)

    def _draw_caption(self) -> None:
        crumbs = [self._headline] if self._headline else []
        if self._transaction_id:
            n = self.steps_table.row_count
            crumbs.append(f"Transaction {self._transaction_id} ({n} step records)")
        step = self.steps_table.selected
        if step is not None:
            crumbs.append(f"Step {step.get('StepName') or ''}: {step.get('Status') or ''}")
        text = " &rsaquo; ".join(html.escape(c) for c in crumbs)
        body = f'<div class="cyclr-crumbs">{text}</div>' if crumbs else ""
        self.caption.value = body + "".join(error_html(e) for e in self._errors)

    def frame(self, name: str) -> pd.DataFrame:
        """A level's DataFrame by table name (the explorer's properties read these)."""
        table = getattr(self, name)
        assert isinstance(table, TablePart)
        return table.data
