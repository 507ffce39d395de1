"""``SUMMARY.md`` of a support bundle: what a support engineer reads first.

Counts, the connectors that are not authenticated with their diagnoses, the failing cycles
with their incidents grouped by step and message (first and last occurrence), and what could
not be read. Sans-I/O: built from records already collected (and scrubbed again on writing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from ..core import Diagnosis

__all__ = ["summary_markdown"]


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def summary_markdown(
    *,
    account_id: str,
    account: Mapping[str, Any] | None,
    now: datetime,
    window: timedelta,
    counts: Mapping[str, int],
    diagnoses: Sequence[Diagnosis],
    groups: Sequence[Mapping[str, Any]],
    cycles: Sequence[Mapping[str, Any]],
    problems: Mapping[str, str],
    formats: Sequence[str],
) -> str:
    """The Markdown text of ``SUMMARY.md``."""
    name = (account or {}).get("Name") or account_id
    start = (now - window).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# Support bundle: {_cell(name)}",
        "",
        f"- Account: `{account_id}`"
        + (f" (timezone {account['Timezone']})" if account and account.get("Timezone") else ""),
        f"- Made: {now.strftime('%Y-%m-%d %H:%M UTC')}; history window: {start} to now",
        f"- Files: one per table in {', '.join(formats)}; secrets are masked (`***`).",
        "",
        "## Counts",
        "",
    ]
    lines += _table(["table", "rows"], [(k, v) for k, v in counts.items()])
    failing = [d for d in diagnoses if not d.authenticated]
    lines += ["", f"## Connectors not authenticated ({len(failing)})", ""]
    if failing:
        for d in failing:
            codes = ", ".join(d.codes)
            lines.append(f"- **{_cell(d.name)}** (id {d.account_connector_id}; {codes}):")
            lines += [f"  - {_cell(r.message)}" for r in d.reasons]
    else:
        lines.append("Every installed connector is authenticated.")
    by_cycle: dict[Any, list[Mapping[str, Any]]] = {}
    for group in groups:
        by_cycle.setdefault(group.get("CycleId"), []).append(group)
    status = {c.get("Id"): c.get("Status") for c in cycles}
    lines += ["", f"## Cycles with incidents ({len(by_cycle)})", ""]
    if not by_cycle:
        lines.append("No incident in the window.")
    for cycle_id, rows in by_cycle.items():
        title = rows[0].get("CycleName") or cycle_id
        total = sum(int(r.get("Count") or 0) for r in rows)
        lines += [
            f"### {_cell(title)}",
            "",
            f"Cycle `{cycle_id}`, status {status.get(cycle_id) or 'unknown'}: "
            f"{total} incident(s) in {len(rows)} group(s).",
            "",
        ]
        header = ["step", "level", "message", "count", "first", "last", "last transaction"]
        keys = ("StepName", "IncidentLevel", "ShortMessage", "Count")
        table = [
            [r.get(k) for k in keys]
            + [r.get("FirstOccurredUtc"), r.get("LastOccurredUtc"), r.get("LastTransactionId")]
            for r in rows
        ]
        lines += [*_table(header, table), ""]
    if problems:
        lines += ["", "## Not collected", ""]
        lines += [f"- {_cell(part)}: {_cell(text)}" for part, text in problems.items()]
    return "\n".join(lines).rstrip() + "\n"
