"""How a table shows its columns: a human label and a kind per field (``Column``).

The widgets' DataFrames keep Cyclr's field names (``Connector.AuthType``); only what the views
show changes: a label ("Auth") and a kind that says how a cell is drawn (``js/parts/table.js``,
``js/parts/table_cells.js``):

* ``text``: the value as text;
* ``chip``: a status chip (``<span class="cw-chip" data-tone>``), its text always present, its
  tone read from ``tones`` by that text (``neutral`` when absent);
* ``time``: an ISO 8601 UTC time shown relative to the client's clock ("3 h ago"), exact on hover;
* ``icon``: the row's connector icon, asked for by the view for the rows it shows (never a cell);
* ``actions``: the row's buttons, ``[[name, label], ...]`` (never searched).

A column may compute its cell from the whole record (``value``): the chip "Not authenticated"
from ``Authenticated: false``. Cells are what the view shows and searches; Python's
``visible_df`` filters with the same cells, so both agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from ..frames import lookup

__all__ = ["KINDS", "LABELS", "Column", "auth_status", "specs", "status_text"]

KINDS = ("text", "chip", "time", "icon", "actions")

#: Labels by Cyclr's field name (dotted for nested ones); a field not named here shows as is.
LABELS: dict[str, str] = {
    "Id": "ID", "Connector.Name": "Connector", "Connector.Version": "Version",
    "Connector.AuthType": "Auth", "AuthTypes": "Auth", "Authenticated": "Status",
    "ErrorCount": "Errors", "WarningCount": "Warnings", "LastSuccessfulRunDate": "Last success",
    "IncidentLevel": "Level", "CycleName": "Cycle", "StepName": "Step",
    "ShortMessage": "Message", "CreatedOnUtc": "When", "StartedOnUtc": "Started",
    "CompletedOnUtc": "Completed", "TasksUsed": "Tasks", "LocalTime": "Local time",
    "Field.Name": "Field", "Parameter.Name": "Parameter", "MappingType": "Mapping",
    "TriggerValueDisplayName": "Source", "SystemName": "Variable", "DisplayName": "Label",
    "ValueType": "Type", "Score": "Health", "NotAuthenticated": "Not authenticated",
    "CyclesInError": "Cycles in error", "ErrorIncidents": "Errors",
    "WarningIncidents": "Warnings", "LastSuccessfulRun": "Last success", "Error": "Problem",
    "SourceStepId": "Source step", "SourceFieldId": "Source field ID",
    "Field.IsOptional": "Optional", "Parameter.IsOptional": "Optional",
    "@icon": "", "@actions": "Actions",
}  # fmt: skip

#: Chip tones by the chip's text: cycle, transaction and step statuses, incident levels.
TONES: dict[str, str] = {
    "Active": "ok", "Completed": "ok", "Success": "ok", "Succeeded": "ok", "Authenticated": "ok",
    "Paused": "neutral", "Draft": "neutral", "Running": "neutral", "In progress": "neutral",
    "Completed with warnings": "warn", "Warning": "warn", "Not authenticated": "warn",
    "Error": "error", "Errored": "error", "Failed": "error", "Sign-in failed": "error",
    "Info": "neutral", "Information": "neutral",
}  # fmt: skip

# Cyclr's enum spellings shown as words (the chip's text; the DataFrame keeps Cyclr's value).
_WORDS = {
    "CompletedWithWarnings": "Completed with warnings",
    "InProgress": "In progress",
    "Errored": "Errored",
}

#: Fields drawn as chips / times when a table names them without a kind.
_CHIPS = {"Status", "IncidentLevel"}
_TIMES = {"CreatedOnUtc", "StartedOnUtc", "CompletedOnUtc", "LastSuccessfulRunDate",
          "LastSuccessfulRun"}  # fmt: skip


def status_text(value: Any) -> str:
    """A status/level chip's text: Cyclr's enum value as words (``CompletedWithWarnings``)."""
    text = "" if value is None else str(value)
    return _WORDS.get(text, text)


def auth_status(record: Mapping[str, Any], failed: bool = False) -> str:
    """An account connector's status chip: authenticated, not authenticated, sign-in failed.

    ``failed``: the last sign-in started from this widget ended without authenticating it
    (Cyclr's record has no error field of its own, so the widget remembers its attempts).
    """
    if record.get("Authenticated"):
        return "Authenticated"
    return "Sign-in failed" if failed else "Not authenticated"


@dataclass(frozen=True)
class Column:
    """One shown column: the field it reads, its label, its kind and how its cell is made.

    Attributes
    ----------
    field : str
        Cyclr's field name (dotted for a nested one), or ``@icon`` / ``@actions``.
    label : str
        The header's text ("" for the icon column: the header is then only for screen readers).
    kind : str
        One of :data:`KINDS`.
    value : callable, optional
        ``value(record)``: the cell (a chip's text, a row's actions); default the field's value.
    tones : dict
        A chip's tone by its text (defaults: :data:`TONES`).
    """

    field: str
    label: str = ""
    kind: str = "text"
    value: Callable[[Mapping[str, Any]], Any] | None = None
    tones: Mapping[str, str] = dc_field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}; known: {KINDS}")

    @property
    def searched(self) -> bool:
        """Whether the search reads this column (icons and buttons are not text)."""
        return self.kind not in ("icon", "actions")

    def describe(self) -> dict[str, Any]:
        """The column as the view needs it (no callables)."""
        out: dict[str, Any] = {"field": self.field, "label": self.label, "kind": self.kind}
        if self.kind == "chip":
            out["tones"] = {**TONES, **self.tones}
        return out


def specs(columns: Sequence[str | Column]) -> list[Column]:
    """Columns from field names or :class:`Column`s, labelled and kinded by default by field."""
    out = []
    for col in columns:
        if isinstance(col, Column):
            out.append(col if col.label or col.kind == "icon" else _labelled(col))
            continue
        kind = "time" if col in _TIMES else "chip" if col in _CHIPS else "text"
        if col == "@icon":
            kind = "icon"
        elif col == "@actions":
            kind = "actions"
        value = (lambda r, f=col: status_text(lookup(r, f))) if kind == "chip" else None
        out.append(Column(col, LABELS.get(col, col), kind, value))
    return out


def _labelled(col: Column) -> Column:
    return Column(col.field, LABELS.get(col.field, col.field), col.kind, col.value, col.tones)
