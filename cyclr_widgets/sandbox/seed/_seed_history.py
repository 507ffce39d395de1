"""Seeded run history: cycles, their transactions, and the errors and warnings to troubleshoot."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

__all__ = ["EPOCH", "build_history", "guid", "iso"]

EPOCH = datetime(2024, 1, 2, 9, 0, tzinfo=timezone.utc)
Rows = list[dict[str, Any]]


def iso(dt: datetime) -> str:
    """Format a datetime like Cyclr (.NET): UTC, seven fractional digits, ``Z``."""
    dt = dt.astimezone(timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond:06d}0Z"


def guid(rng: random.Random) -> str:
    """A version-4 GUID drawn from ``rng`` (so seeded runs repeat)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build_history(
    rng: random.Random,
    accounts: Rows,
    acs: Rows,
    templates: Rows,
    main: str,
    connectors: Rows | None = None,
    ids: dict[str, Any] | None = None,
) -> tuple[Rows, Rows, Rows, dict[str, Rows]]:
    """Cycles (Active/Paused), transactions and incidents; the main account gets the most.

    With ``connectors`` and ``ids``, also every cycle's steps and the troubleshooting cycles
    (``_seed_cycles.py``): the fourth item holds their new tables, and ``ids`` their keys.
    """
    cycles: Rows = []
    transactions: Rows = []
    incidents: Rows = []
    acs_by_account: dict[str, list[dict[str, Any]]] = {}
    for row in acs:
        acs_by_account.setdefault(row["AccountId"], []).append(row)
    for acc in accounts:
        mine = acs_by_account.get(acc["Id"], [])
        count = 12 if acc["Id"] == main else (rng.randint(0, 2) if mine else 0)
        for n in range(count):
            tpl = templates[rng.randrange(len(templates))]
            used = rng.sample(mine, min(len(mine), rng.randint(1, 2)))
            status = "Active" if n % 3 != 2 and all(u["Authenticated"] for u in used) else "Paused"
            cyc = {
                "Id": guid(rng),
                "AccountId": acc["Id"],
                "Name": f"{tpl['Name']} ({n + 1})",
                "Description": None,
                "TemplateId": tpl["Id"],
                "CreatedOnUtc": iso(EPOCH + timedelta(days=n, minutes=rng.randint(0, 999))),
                "Status": status,
                "TasksUsed": 0,
                "Interval": rng.choice([5, 15, 60]),
                "AccountConnectorIds": [u["Id"] for u in used],
                "Tags": tpl["Tags"],
            }
            cycles.append(cyc)
            t0 = EPOCH + timedelta(days=30 + n)
            for k in range(rng.randint(3, 12) if acc["Id"] == main else rng.randint(0, 3)):
                tx_id = guid(rng)
                state = rng.choices(["Completed", "Errored", "CompletedWithWarnings"], [8, 2, 1])[0]
                started = t0 + timedelta(minutes=15 * k)
                transactions.append(
                    {
                        "Id": tx_id,
                        "AccountId": acc["Id"],
                        "CycleId": cyc["Id"],
                        "CycleName": cyc["Name"],
                        "Status": state,
                        "StartedOnUtc": iso(started),
                        "CompletedOnUtc": iso(started + timedelta(seconds=rng.randint(1, 90))),
                        "TasksUsed": rng.randint(1, 40),
                    }
                )
                cyc["TasksUsed"] += transactions[-1]["TasksUsed"]
                if state != "Completed":
                    level = "Error" if state == "Errored" else "Warning"
                    incidents.append(_incident(rng, cyc, tx_id, level, started))
    extra: dict[str, Rows] = {}
    if connectors is not None and ids is not None:
        from ._seed_cycles import build_cycles_extra  # imports this module: deferred

        extra = build_cycles_extra(
            connectors, acs, templates, cycles, transactions, incidents, main, ids
        )
    return cycles, transactions, incidents, extra


def _incident(
    rng: random.Random, cyc: dict[str, Any], tx_id: str, level: str, when: datetime
) -> dict[str, Any]:
    status, short = rng.choice(
        [
            ("401 Unauthorized", "Failed to authenticate the connector"),
            ("500 Internal Server Error", "Failed to call the method"),
            ("422 Unprocessable Entity", "Response data fields missing"),
        ]
    )
    if level == "Warning":
        status, short = "200 OK", "Trigger Skipped"
    from ._seed_dumps import detail  # imports this module: deferred

    # D-txerr's Detail layout, User-Agent included (surface doc §11.1, R §6.6).
    full = detail(
        status, {"error": short.lower()}, "POST", "https://api.example.invalid/v1/records"
    )
    return {
        "Id": guid(rng),
        "AccountId": cyc["AccountId"],
        "CycleId": cyc["Id"],
        "CycleName": cyc["Name"],
        "IncidentLevel": level,
        "ShortMessage": short,
        "FullMessage": full,
        "StepId": guid(rng),
        "StepName": "Create record",
        "TransactionId": tx_id,
        "CreatedOnUtc": iso(when),
    }
