"""The explorer's diagnoses by the rows: why a connector is not authenticated, how a cycle fails.

Both come from records the explorer already holds (no request of their own): the selected
account connector with its library record (``core.diagnose_account_connector``), and the loaded
incidents of the selected cycle grouped by step and message with their first and last
occurrence (``core.group_incidents``). They are shown by custom message (``MessageHtmlPart``):
property names and Cyclr's messages are not secrets, but a group is a row and rows stay out of
the synced state.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any

from ..core import diagnose_account_connector, group_incidents

__all__ = ["connector_note", "cycle_note"]


def connector_note(row: Mapping[str, Any] | None, record: Mapping[str, Any] | None) -> str:
    """HTML saying why the selected account connector is not authenticated ("" when it is)."""
    if row is None or row.get("Authenticated"):
        return ""
    try:
        diagnosis = diagnose_account_connector(dict(row), dict(record) if record else None)
    except (TypeError, ValueError, KeyError):  # a record too partial to judge: say nothing
        return ""
    items = "".join(f"<li>{html.escape(r.message)}</li>" for r in diagnosis.reasons)
    title = html.escape(f"Why {row.get('Name') or 'this connector'} is not authenticated")
    return f'<div class="cyclr-note" role="note"><b>{title}</b><ul>{items}</ul></div>'


def cycle_note(
    cycle: Mapping[str, Any] | None, incidents: Iterable[Mapping[str, Any]], zone: tzinfo
) -> str:
    """HTML grouping the selected cycle's loaded incidents by step and message ("" if none)."""
    if cycle is None:
        return ""
    mine = [i for i in incidents if i.get("CycleId") == cycle.get("Id")]
    groups = group_incidents(mine)
    if not groups:
        return ""
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(v))}</td>"
            for v in (
                g.get("StepName") or "",
                g.get("IncidentLevel") or "",
                g.get("ShortMessage") or "",
                g.get("Count"),
                _local(g.get("FirstOccurredUtc"), zone),
                _local(g.get("LastOccurredUtc"), zone),
            )
        )
        + "</tr>"
        for g in groups
    )
    head = "".join(f"<th>{h}</th>" for h in ("Step", "Level", "Message", "Count", "First", "Last"))
    title = html.escape(f"Incidents of {cycle.get('Name') or 'this cycle'} in the window")
    return (
        f'<div class="cyclr-note" role="note"><b>{title}</b>'
        f'<table class="cyclr-note-table"><tr>{head}</tr>{rows}</table></div>'
    )


def _local(value: Any, zone: tzinfo) -> str:
    if not value:
        return ""
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    return when.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
