"""What the cycle routes share: loading a cycle, "is it running", its reply shape, prerequisites.

Path ids use the ``id`` convertor: any segment but the literal ones that are routes of their
own (``/cycles/upgradeable``, ``/cycles/transactions``, ``/templates/import``,
``…/fieldmappings/lookup``), so a literal never reaches an ``{id}`` route: with another verb it
is a 405, as ASP.NET answers a literal route.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request

from ..seed import iso
from ._http import GUID, INVALID, ApiError, Ctx, ctx, require

__all__ = [
    "DEFAULTS",
    "ENUMS",
    "cycle_doc",
    "cycle_out",
    "guid",
    "is_running",
    "load_cycle",
    "now_iso",
    "prerequisites",
    "refuse_if_running",
    "step_prereqs",
    "unmapped",
]

LITERALS = ("upgradeable", "transactions", "incidents", "import", "lookup")


class IdConvertor(Convertor[str]):
    """One path segment that is not a literal route segment (see the module docstring)."""

    regex = "(?!(?:" + "|".join(LITERALS) + ")(?:/|$))[^/]+"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("id", IdConvertor())

#: The cycle settings and their values when a cycle never set them (the install reply, D-tinst).
DEFAULTS: dict[str, Any] = {
    "Shareable": False,
    "ContinueOnStepError": True,
    "LogStepDataRequests": True,
    "StepErrorAction": "Ignore",
    "CollectionSplitType": "All",
    "StepDataSuccessRetentionHours": None,
    "StepDataErroredRetentionHours": None,
}
#: Wire values of the enum settings. Only ``Ignore``/``Retry`` and ``All``/``None`` were seen (R
#: §6.2); the Console's other choices (D-tset: "Stop The Integration", "Stop the Transaction";
#: D-split: "First (Trigger) Step") get .NET-style names of our choosing (Q17). Input is matched
#: case-insensitively, as .NET binds enums; replies use these spellings.
ENUMS: dict[str, tuple[str, ...]] = {
    "StepErrorAction": ("Ignore", "Retry", "StopCycle", "StopTransaction"),
    "CollectionSplitType": ("None", "First", "All"),
}
#: Reason 11, word for word (surface doc §8.4).
CONNECT_REASON = "All steps must be connected together and only one step can be the trigger"
NEVER = "0001-01-01T00:00:00"  # .NET's DateTime.MinValue, Cyclr's "never" (D-tinst)


def guid(raw: str) -> str:
    """A GUID path segment, lower-cased; a malformed one is a 400 as in Cyclr (R §7)."""
    if not GUID.match(raw):
        raise ApiError(400, INVALID)
    return raw.lower()


def now_iso(c: Ctx) -> str:
    return iso(datetime.fromtimestamp(c.clock(), timezone.utc))


def cycle_doc(c: Ctx, acc_id: str, raw_id: str) -> tuple[dict[str, Any], str]:
    """The stored cycle document and its status column (404 when not in this account)."""
    row = c.store.one(
        "SELECT data, status FROM cycles WHERE id=? AND account_id=?", guid(raw_id), acc_id
    )
    if row is None:
        raise ApiError(404, f"Cycle '{raw_id}' not found.")
    return json.loads(row["data"]), row["status"]


def load_cycle(request: Request) -> tuple[Ctx, str, dict[str, Any], str]:
    """``(ctx, account id, cycle document, status)`` for ``{cycle_id}`` of an account call."""
    acc_id = require(request, account=True)
    assert acc_id is not None
    c = ctx(request)
    data, status = cycle_doc(c, acc_id, request.path_params["cycle_id"])
    return c, acc_id, data, status


def is_running(c: Ctx, data: dict[str, Any], status: str) -> bool:
    """Active, or still inside the run a ``RunOnce`` activation started (by the sandbox clock)."""
    return status == "Active" or c.clock() < float(data.get("RunningUntil") or 0)


def refuse_if_running(c: Ctx, data: dict[str, Any], status: str) -> None:
    """Cyclr refuses to change a running cycle, its steps or variables with a 409 (R §7)."""
    if is_running(c, data, status):
        raise ApiError(409, "The cycle is running; stop it before changing it.")


def _connectors(c: Ctx, data: dict[str, Any], icons: bool) -> list[dict[str, Any]]:
    counts: dict[int, int] = {}
    for row in c.store.all("SELECT data FROM steps WHERE cycle_id=?", data["Id"]):
        ac = json.loads(row["data"]).get("AccountConnectorId")
        if ac is not None:
            counts[ac] = counts.get(ac, 0) + 1
    out = []
    for ac_id in dict.fromkeys([*data["AccountConnectorIds"], *counts]):
        ac = c.store.ac_row(None, ac_id)
        conn = c.store.connector(ac["connector_id"]) if ac is not None else None
        if ac is None or conn is None:
            continue
        out.append(
            {
                "Id": conn["Id"],
                "AccountConnectorId": ac_id,
                "Name": conn["Name"],
                "Version": conn["Version"],
                "Authenticated": bool(ac["authenticated"]),
                "StepCount": counts.get(ac_id, 0),
                "Icon": conn.get("Icon") if icons else None,
            }
        )
    return out


def cycle_out(c: Ctx, data: dict[str, Any], status: str, *, icons: bool = True) -> dict[str, Any]:
    """A cycle as Cyclr returns it (D-tinst's fields; history counts read live)."""
    with c.store.lock:
        counts = {
            lvl: c.store.one(
                "SELECT COUNT(*) FROM incidents WHERE cycle_id=? AND level=?", data["Id"], lvl
            )[0]  # type: ignore[index]
            for lvl in ("Error", "Warning")
        }
        done = [
            json.loads(r["data"])
            for r in c.store.all(
                "SELECT data FROM transactions WHERE cycle_id=? ORDER BY seq", data["Id"]
            )
        ]
    last = [t["CompletedOnUtc"] for t in done if t["Status"].startswith("Completed")]
    running = c.clock() < float(data.get("RunningUntil") or 0)
    return {
        "Id": data["Id"],
        "Name": data["Name"],
        "Description": data.get("Description"),
        "TemplateId": data.get("TemplateId"),
        "CreatedOnUtc": data["CreatedOnUtc"],
        # A RunOnce run shows as Active until it completes, then the cycle is Paused (D-act).
        "Status": "Active" if running else status,
        "LastSuccessfulRunDate": max(last) if last else NEVER,
        "TasksUsed": data.get("TasksUsed", 0),
        "ErrorCount": counts["Error"],
        "WarningCount": counts["Warning"],
        "InProgressTransactionCount": 1 if running else 0,
        "Connectors": _connectors(c, data, icons),
        **{k: data.get(k, v) for k, v in DEFAULTS.items()},
        "Tags": list(data.get("Tags") or []),
    }


def unmapped(doc: dict[str, Any]) -> bool:
    """Whether a field mapping or parameter has no value a run could use."""
    kind = doc.get("MappingType")
    if kind in (None, "Ignore"):
        return True
    if kind in ("StaticValue", "ValueList"):
        return doc.get("Value") in (None, "")
    return doc.get("SourceStepId") is None or doc.get("SourceFieldId") is None


def step_prereqs(c: Ctx, step: dict[str, Any], *, connector: bool = True) -> list[dict[str, Any]]:
    """Codes 20, 40 and 41 (D-prereq, D-steps) of one step, from the stored state."""
    out: list[dict[str, Any]] = []
    ac = step.get("AccountConnectorId")
    if connector and ac is not None:
        row = c.store.ac_row(None, ac)
        if row is not None and not row["authenticated"]:
            out.append(_reason(20, "Unauthenticated connector", "AccountConnector", ac))
    rows = c.store.all(
        "SELECT kind, id, data FROM step_fields WHERE step_id=? AND kind IN ('param', 'field') "
        "ORDER BY kind DESC, id",
        step["Id"],
    )
    for r in rows:
        doc = json.loads(r["data"])
        desc = doc.get("Parameter") or doc.get("Field") or {}
        if not desc.get("IsOptional") and unmapped(doc):
            if r["kind"] == "param":
                out.append(_reason(40, "Missing parameter mapping", "Parameter", r["id"]))
            else:
                out.append(_reason(41, "Missing field mapping", "ConnectorFieldMapping", r["id"]))
    return out


def _reason(code: int, reason: str, kind: str, obj: Any) -> dict[str, Any]:
    return {"ReasonCode": code, "Reason": reason, "ObjectType": kind, "ObjectId": obj}


def _connected(steps: list[dict[str, Any]], edges: list[dict[str, Any]]) -> bool:
    """Whether the edges join every step and exactly one step (the trigger) has none coming in."""
    ids = {s["Id"] for s in steps}
    links: dict[str, set[str]] = {i: set() for i in ids}
    for e in edges:
        head, tail = str(e.get("HeadStepId")), str(e.get("TailStepId"))
        if head in ids and tail in ids:
            links[head].add(tail)
            links[tail].add(head)
    roots = ids - {e.get("TailStepId") for e in edges if e.get("HeadStepId") in ids}
    seen: set[str] = set()
    todo = [next(iter(ids))] if ids else []
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(links[node] - seen)
    return len(roots) == 1 and seen == ids


def prerequisites(c: Ctx, data: dict[str, Any]) -> list[dict[str, Any]]:
    """What stops a cycle from being activated: codes 10, 11, 20 and 30 (D-prereq, §8.4).

    The cycle-level list names a step that lacks mappings as ``ObjectType: "Action"`` with the
    step's GUID (D-prereq; surface doc §8.4: its follow-up is the step's own prerequisites,
    which give the 40/41 items naming the Parameter or ConnectorFieldMapping, D-steps). The
    code for such a step is 30 ``Missing mapping``, the one reason of the §8.4 table that is
    not specific to a field, parameter or tool.
    """
    steps = [
        json.loads(r["data"])
        for r in c.store.all("SELECT data FROM steps WHERE cycle_id=? ORDER BY seq", data["Id"])
    ]
    out: list[dict[str, Any]] = []
    # Codes 10 and 11 concern the whole diagram; which object Cyclr names for them is not
    # documented, the cycle is our choice.
    if len(steps) < 2:
        out.append(_reason(10, "Cycle must have at least two steps", "Cycle", data["Id"]))
    else:
        edges = [
            json.loads(r["data"])
            for r in c.store.all("SELECT data FROM edges WHERE cycle_id=?", data["Id"])
        ]
        if not _connected(steps, edges):
            out.append(_reason(11, CONNECT_REASON, "Cycle", data["Id"]))
    acs = dict.fromkeys([*data["AccountConnectorIds"], *(s["AccountConnectorId"] for s in steps)])
    for ac in acs:
        row = c.store.ac_row(None, ac) if ac is not None else None
        if row is not None and not row["authenticated"]:
            out.append(_reason(20, "Unauthenticated connector", "AccountConnector", ac))
    for step in steps:
        if step_prereqs(c, step, connector=False):
            out.append(_reason(30, "Missing mapping", "Action", step["Id"]))
    return out
