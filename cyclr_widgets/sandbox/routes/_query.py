"""Query-string filters of the list routes, applied and never silently ignored.

A value Cyclr (ASP.NET model binding) could not bind is a 400: an unknown ``orderBy``, a
``true``/``false`` that is neither, a date in no accepted format, an unknown enum value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request

from ._http import ApiError

__all__ = ["filter_connectors", "q_bool", "q_choice", "q_date", "q_order", "when"]

# The formats R saw Cyclr accept for after/before (R §6.6): ISO 8601 (a date, or a date and
# time with an optional fraction and zone), "YYYY-MM-DD" for incidents and "MM/DD/YYYY" for
# transactions, the latter with an optional time as .NET's invariant culture parses it.
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_US = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def q_bool(request: Request, name: str, default: bool) -> bool:
    """``true``/``false`` in any case (as .NET binds a bool); anything else is a 400."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    value = raw.strip().lower()
    if value not in ("true", "false"):
        raise ApiError(400, f"The value '{raw}' is not valid for {name}.")
    return value == "true"


def when(raw: str) -> datetime | None:
    """An aware UTC datetime from one of the accepted formats, else ``None``."""
    raw = raw.strip()
    try:
        if _ISO.match(raw):
            text = raw.replace(" ", "T").replace("Z", "+00:00")
            if "." in text:  # Python takes at most 6 fraction digits; .NET sends 7
                head, _, tail = text.partition(".")
                digits = re.match(r"\d+", tail)
                assert digits is not None
                text = head + "." + digits.group(0)[:6].ljust(6, "0") + tail[digits.end() :]
            dt = datetime.fromisoformat(text)
        elif m := _US.match(raw):
            month, day, year, hh, mm, ss = m.groups()
            dt = datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0))
        else:
            return None
    except ValueError:  # e.g. 2024-02-30 or 13/01/2024
        return None
    # No zone means UTC: Cyclr works in UTC.
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt.astimezone(timezone.utc)


def q_date(request: Request, name: str) -> datetime | None:
    """``after``/``before``: absent is ``None``; an unparseable value is a 400."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    dt = when(raw)
    if dt is None:
        raise ApiError(400, f"The value '{raw}' is not valid for {name}.")
    return dt


def q_choice(request: Request, name: str, allowed: Iterable[str]) -> str | None:
    """An enum filter matched case-insensitively; the canonical spelling, or a 400."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    for value in allowed:
        if value.lower() == raw.strip().lower():
            return value
    raise ApiError(400, f"The value '{raw}' is not valid for {name}.")


def q_order(
    request: Request, fields: dict[str, Callable[[dict[str, Any]], Any]]
) -> Callable[[dict[str, Any]], Any] | None:
    """The sort key for ``orderBy`` (a field name, any case); ``None`` when absent."""
    choice = q_choice(request, "orderBy", fields)
    return None if choice is None else fields[choice]


def filter_connectors(request: Request, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply ``tag``, ``connectorName`` and ``connectorVersion`` to templates or cycles.

    Tags compare case-sensitively (Cyclr made them so on 2021-08-02) and several ``tag``
    values keep items carrying any of them; connector names compare case-insensitively (SQL
    Server's default collation). A version alone keeps items with a connector of that version.
    """
    tags = [t for t in request.query_params.getlist("tag") if t != ""]
    if tags:
        items = [i for i in items if set(tags) & set(i.get("Tags") or [])]
    name = (request.query_params.get("connectorName") or "").strip().lower()
    version = request.query_params.get("connectorVersion")
    if name or version:
        items = [
            i
            for i in items
            if any(
                (not name or (c.get("Name") or "").lower() == name)
                and (not version or c.get("Version") == version)
                for c in i.get("Connectors") or []
            )
        ]
    return items
