"""A failing cycle's incidents grouped by step and message, and time windows ("7d", "24h").

Sans-I/O: :func:`group_incidents` reads incident records as Cyclr sends them (``StepId``,
``StepName``, ``IncidentLevel``, ``ShortMessage``, ``FullMessage``, ``TransactionId`` and the
time, ``CreatedOnUtc`` in the sandbox: Cyclr documents no time field, Q26) and gives one row per
(step, level, message) with its count and first and last occurrence. The client's
``cycle_diagnosis`` and the support bundle use it; a widget can call it on records it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from ._masking import mask_secrets, scrub_dump
from ._models import parse_datetime

__all__ = ["INCIDENT_GROUP_FIELDS", "group_incidents", "incident_time", "parse_window"]

#: The fields of a :func:`group_incidents` row, in order.
INCIDENT_GROUP_FIELDS = (
    "CycleId",
    "CycleName",
    "StepId",
    "StepName",
    "IncidentLevel",
    "ShortMessage",
    "Count",
    "FirstOccurredUtc",
    "LastOccurredUtc",
    "LastTransactionId",
    "LastFullMessage",
)
# Where an incident's time may sit: the sandbox's CreatedOnUtc first, then names Cyclr uses
# for times elsewhere (an undocumented field, Q26).
_TIME_FIELDS = ("CreatedOnUtc", "OccurredOnUtc", "CreatedOn", "DateTime", "StartedOnUtc")
_WINDOW = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*\Z", re.I)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_window(window: timedelta | str | None) -> timedelta | None:
    """A look-back window: a positive ``timedelta``, or ``"90m"``, ``"24h"``, ``"7d"``, ``"2w"``.

    ``None`` stays ``None`` (no window: everything). Raises ``ValueError`` otherwise.
    """
    if window is None:
        return None
    if isinstance(window, str):
        match = _WINDOW.match(window)
        if match is None:
            msg = f"window must look like '90m', '24h', '7d' or '2w', got {window!r}"
            raise ValueError(msg)
        window = timedelta(**{_UNITS[match[2].lower()]: float(match[1])})
    if not isinstance(window, timedelta) or window <= timedelta(0):
        raise ValueError(f"window must be a positive timedelta, got {window!r}")
    return window


def incident_time(incident: Mapping[str, Any]) -> datetime | None:
    """When an incident happened (aware UTC), or None when its record carries no time."""
    for name in _TIME_FIELDS:
        try:
            when = parse_datetime(incident.get(name))
        except ValueError:
            continue
        if when is not None:
            return when
    return None


def _iso(when: datetime | None) -> str | None:
    return None if when is None else when.isoformat().replace("+00:00", "Z")


def group_incidents(incidents: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Group incidents by cycle, step, level and short message.

    Parameters
    ----------
    incidents
        Incident records as Cyclr sends them (any order).

    Returns
    -------
    list of dict
        One row per group with :data:`INCIDENT_GROUP_FIELDS`: how many, the first and last
        occurrence (ISO 8601 UTC, None when the records carry no time), the last occurrence's
        transaction and full message (secrets masked, credential headers scrubbed). The most
        recent group first; groups without a time last, the largest first.
    """
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for incident in incidents:
        if not isinstance(incident, Mapping):
            continue
        key = tuple(
            incident.get(k)
            for k in ("CycleId", "StepId", "StepName", "IncidentLevel", "ShortMessage")
        )
        when = incident_time(incident)
        group = groups.get(key)
        if group is None:
            group = groups[key] = {
                "CycleId": incident.get("CycleId"),
                "CycleName": incident.get("CycleName"),
                "StepId": incident.get("StepId"),
                "StepName": incident.get("StepName"),
                "IncidentLevel": incident.get("IncidentLevel"),
                "ShortMessage": incident.get("ShortMessage"),
                "Count": 0,
                "_first": when,
                "_last": when,
                "_last_incident": incident,
            }
        group["Count"] += 1
        if when is not None:
            if group["_first"] is None or when < group["_first"]:
                group["_first"] = when
            if group["_last"] is None or when >= group["_last"]:
                group["_last"], group["_last_incident"] = when, incident
    rows = []
    for group in groups.values():
        last = group.pop("_last_incident")
        first, latest = group.pop("_first"), group.pop("_last")
        full = last.get("FullMessage")
        rows.append(
            {
                **group,
                "FirstOccurredUtc": _iso(first),
                "LastOccurredUtc": _iso(latest),
                "LastTransactionId": last.get("TransactionId"),
                "LastFullMessage": scrub_dump(mask_secrets(full))
                if isinstance(full, str)
                else full,
                "_sort": latest,
            }
        )
    rows.sort(key=lambda r: -r["Count"])
    rows.sort(key=lambda r: (r["_sort"] is None, -(r["_sort"].timestamp() if r["_sort"] else 0)))
    return [{k: r[k] for k in INCIDENT_GROUP_FIELDS} for r in rows]
