"""A partner's fleet: thousands of customer accounts with a realistic spread of health.

``Sandbox(accounts=N)`` with N above the default eight: the first eight accounts are seeded as
always (same ids, installs and history: tests rely on them), the rest come from here, from
their own ``random.Random`` stream so the first eight never change. Each fleet account draws a
profile:

- ``healthy`` (~70%): every install authenticated, active cycles that ran fine in the last hours;
- ``unauthenticated`` (~12%): one install or more never connected, the cycles using it paused;
- ``failing`` (~10%): an active cycle erroring now: failed runs and error incidents within the
  last 20 hours (and some warnings);
- ``warnings`` (~5%): runs that completed with warnings in the last day;
- ``idle`` (~3%): nothing installed yet;

and about one in fifty is a sub-account of an earlier fleet account. Recent times are written as
``@recent-<seconds>`` and resolved against the sandbox clock when the store loads the seed
(:func:`~._seed_dates.move_dates`): "the last 24 hours" must hold whatever the time of day,
which the whole-day shift of the rest of the history cannot promise.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ._seed_dumps import detail
from ._seed_extras import USER_PASSWORD
from ._seed_history import EPOCH, guid, iso

__all__ = ["PROFILES", "build_fleet", "recent"]

Rows = list[dict[str, Any]]
#: The profiles and their weights (per cent).
PROFILES = {"healthy": 70, "unauthenticated": 12, "failing": 10, "warnings": 5, "idle": 3}
_SUB_ACCOUNT_RATE = 0.02
_ERRORS = [
    ("401 Unauthorized", "Failed to authenticate the connector"),
    ("500 Internal Server Error", "Failed to call the method"),
    ("422 Unprocessable Entity", "Response data fields missing"),
]


def recent(seconds: float) -> str:
    """A time ``seconds`` before the sandbox clock's "now" (resolved when the seed loads)."""
    return f"@recent-{seconds:.0f}"


def build_fleet(
    rng: random.Random,
    first: int,
    count: int,
    pool: Rows,
    templates: Rows,
    install: Callable[[str, dict[str, Any], bool], dict[str, Any]],
    new_account: Callable[..., dict[str, Any]],
) -> dict[str, Any]:
    """``count`` accounts numbered from ``first``: their records, cycles, runs and incidents.

    ``install(account_id, connector, authenticated)`` installs a connector (the seed's own, so
    installs and their properties look like the rest); each account gets one user. Returns the
    tables to append and a
    ``profiles`` tally (``ids["fleet"]``) for tests comparing a scan with what was seeded.
    """
    accounts: Rows = []
    cycles: Rows = []
    transactions: Rows = []
    incidents: Rows = []
    users: Rows = []
    tally = dict.fromkeys(PROFILES, 0)
    tally["subaccounts"] = 0
    names, weights = list(PROFILES), list(PROFILES.values())
    for n in range(first, first + count):
        parent = None
        if accounts and rng.random() < _SUB_ACCOUNT_RATE:
            parent = rng.choice(accounts)["Id"]
            tally["subaccounts"] += 1
        acc = new_account(
            guid(rng),
            f"Customer {n:04d}",
            created=iso(EPOCH + timedelta(hours=n * 7 + rng.random())),
            parent=parent,
            description=f"Seeded customer account {n}",
            timezone=rng.choice(["Europe/London", "America/New_York", "Europe/Berlin", "UTC"]),
            next_bill=iso(EPOCH + timedelta(days=400)),
        )
        accounts.append(acc)
        # One user each, so a sign-in token (the widgets' OAuth popup) works on any of them.
        user = {"Id": guid(rng), "UserName": f"admin.{n:04d}", "Password": USER_PASSWORD}
        users.append({"AccountId": acc["Id"], **user})
        profile = rng.choices(names, weights)[0]
        tally[profile] += 1
        if profile == "idle":
            continue
        used = rng.sample(pool, rng.randint(1, 4))
        broken = rng.randint(1, len(used)) if profile == "unauthenticated" else 0
        acs = [install(acc["Id"], c, i >= broken) for i, c in enumerate(used)]
        for k in range(rng.randint(1, 3)):
            cyc_acs = [acs[k % len(acs)]]
            erroring = profile == "failing" and k == 0
            warned = profile == "warnings" and k == 0
            cyc = _cycle(rng, acc["Id"], templates, cyc_acs, k)
            cycles.append(cyc)
            if cyc["Status"] == "Paused":
                continue  # a cycle waiting for its connector does not run
            for run in range(rng.randint(2, 4)):
                ago = 3600.0 * (run * 6 + rng.uniform(0.1, 5.0))  # the last 20 hours or so
                state = "Completed"
                if erroring and run < 2:
                    state = "Errored"
                elif warned and run == 0:
                    state = "CompletedWithWarnings"
                tx = _transaction(rng, cyc, state, ago)
                transactions.append(tx)
                cyc["TasksUsed"] += tx["TasksUsed"]
                if state != "Completed":
                    incidents.append(_incident(rng, cyc, tx, state))
    return {
        "accounts": accounts,
        "cycles": cycles,
        "transactions": transactions,
        "incidents": incidents,
        "users": users,
        "profiles": tally,
    }


def _cycle(rng: random.Random, account: str, templates: Rows, acs: Rows, k: int) -> dict[str, Any]:
    tpl = templates[rng.randrange(len(templates))]
    return {
        "Id": guid(rng),
        "AccountId": account,
        "Name": f"{tpl['Name']} ({k + 1})",
        "Description": None,
        "TemplateId": tpl["Id"],
        "CreatedOnUtc": iso(EPOCH + timedelta(days=k, minutes=rng.randint(0, 999))),
        "Status": "Active" if all(a["Authenticated"] for a in acs) else "Paused",
        "TasksUsed": 0,
        "Interval": rng.choice([5, 15, 60]),
        "AccountConnectorIds": [a["Id"] for a in acs],
        "Tags": tpl["Tags"],
    }


def _transaction(rng: random.Random, cyc: dict[str, Any], state: str, ago: float) -> dict[str, Any]:
    took = rng.randint(1, 90)
    return {
        "Id": guid(rng),
        "AccountId": cyc["AccountId"],
        "CycleId": cyc["Id"],
        "CycleName": cyc["Name"],
        "Status": state,
        "StartedOnUtc": recent(ago + took),
        "CompletedOnUtc": recent(ago),
        "TasksUsed": rng.randint(1, 40),
    }


def _incident(
    rng: random.Random, cyc: dict[str, Any], tx: dict[str, Any], state: str
) -> dict[str, Any]:
    level = "Error" if state == "Errored" else "Warning"
    status, short = rng.choice(_ERRORS) if level == "Error" else ("200 OK", "Trigger Skipped")
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
        "TransactionId": tx["Id"],
        "CreatedOnUtc": tx["CompletedOnUtc"],
    }
