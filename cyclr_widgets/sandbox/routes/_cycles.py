"""Cycles: list with filters, create, get, update, delete, activate, deactivate, prerequisites.

Also ``/cycles/upgradeable``; :func:`routes` gathers the other cycle-side modules too.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import _history, _mappings, _steps, _templates, _variables
from ._cycle_state import (
    DEFAULTS,
    ENUMS,
    cycle_doc,
    cycle_out,
    load_cycle,
    now_iso,
    prerequisites,
    refuse_if_running,
)
from ._http import ApiError, Ctx, ctx, listed, paging, require
from ._query import filter_connectors, q_bool, q_order, when
from ._templates import list_icons
from ._validate import MAX_NAME_LEN, MAX_TEXT_LEN, body_json, opt_bool, opt_str

__all__ = ["routes"]

INTERVALS = {1, 5, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 10080}  # D-act
MAX_RETENTION = 744  # hours; Cyclr clamps larger values silently (as for accounts)
#: ``orderBy`` values of the cycles list: R §6.2 saw ``Id``; the others are fields of the item.
ORDER = {
    "Id": lambda x: x["Id"],
    "Name": lambda x: x["Name"].lower(),
    "Status": lambda x: x["Status"],
    "CreatedOnUtc": lambda x: x["CreatedOnUtc"],
}


def _account_cycles(c: Ctx, acc_id: str, icons: bool) -> list[dict[str, Any]]:
    rows = c.store.all("SELECT data, status FROM cycles WHERE account_id=? ORDER BY seq", acc_id)
    return [cycle_out(c, json.loads(r["data"]), r["status"], icons=icons) for r in rows]


async def cycles_list(request: Request) -> Response:
    acc_id = require(request, account=True)
    assert acc_id is not None
    page, size, asc = paging(request)
    key = q_order(request, ORDER)
    items = filter_connectors(request, _account_cycles(ctx(request), acc_id, list_icons(request)))
    if key is not None:
        items.sort(key=key)
    if not asc:
        items.reverse()
    return listed(items[(page - 1) * size : page * size], len(items), size)


def _settings(data: dict[str, Any], body: dict[str, Any]) -> None:
    """Apply the cycle fields of ``body`` (partial).

    An explicit null is applied where a field may be null (Description, retention: null =
    inherit, Tags: none) and refused where it may not.
    """
    for key in body:
        if body[key] is None and key in ("Name", *ENUMS, "Shareable", "ContinueOnStepError"):
            raise ApiError(400, f"{key} must not be null.")
        if body[key] is None and key == "LogStepDataRequests":
            raise ApiError(400, f"{key} must not be null.")
    if "Name" in body:
        name = opt_str(body, "Name", MAX_NAME_LEN)
        if not (name or "").strip():
            raise ApiError(400, "Name is required.")
        data["Name"] = name
    if "Description" in body:
        data["Description"] = opt_str(body, "Description", MAX_TEXT_LEN)
    for key in ("Shareable", "ContinueOnStepError", "LogStepDataRequests"):
        if key in body:
            data[key] = opt_bool(body, key)
    for key, allowed in ENUMS.items():
        if key in body:
            raw = opt_str(body, key, MAX_NAME_LEN) or ""
            match = [v for v in allowed if v.lower() == raw.lower()]
            if not match:
                raise ApiError(400, f"{key} must be one of {', '.join(allowed)}.")
            data[key] = match[0]
    for key in ("StepDataSuccessRetentionHours", "StepDataErroredRetentionHours"):
        if key in body:
            value = body[key]
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ApiError(400, f"{key} must be a whole number of hours.")
            if value is not None and value < 0:
                raise ApiError(400, f"{key} ({value}): must be non negative")
            data[key] = None if value is None else min(value, MAX_RETENTION)
    if "Tags" in body:
        tags = body["Tags"] or []
        if not isinstance(tags, list) or not all(
            isinstance(t, str) and 0 < len(t) <= MAX_NAME_LEN for t in tags
        ):
            raise ApiError(400, "Tags must be a list of strings.")
        data["Tags"] = list(dict.fromkeys(tags))


async def cycle_create(request: Request) -> Response:
    acc_id = require(request, account=True)
    c = ctx(request)
    body = await body_json(request, required=True)
    if "Name" not in body:
        raise ApiError(400, "Name is required.")
    data: dict[str, Any] = {
        "Id": str(uuid.uuid4()),
        "AccountId": acc_id,
        "Name": "",
        "Description": None,
        "TemplateId": None,
        "CreatedOnUtc": now_iso(c),
        "Status": "Paused",
        "TasksUsed": 0,
        "Interval": 15,
        "AccountConnectorIds": [],
        "Tags": [],
        **DEFAULTS,
    }
    _settings(data, body)
    with c.store.tx() as db:
        db.execute(
            "INSERT INTO cycles (id, account_id, status, data) VALUES (?, ?, 'Paused', ?)",
            (data["Id"], acc_id, json.dumps(data)),
        )
    return JSONResponse(cycle_out(c, data, "Paused"), 201)  # 201, unlike other creates (R §7)


async def cycle_get(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    return JSONResponse(cycle_out(c, data, status, icons=q_bool(request, "includeIcons", True)))


async def cycle_update(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    body = await body_json(request, required=True)
    refuse_if_running(c, data, status)
    _settings(data, body)  # partial: absent fields are kept
    with c.store.tx() as db:
        db.execute("UPDATE cycles SET data=? WHERE id=?", (json.dumps(data), data["Id"]))
    return JSONResponse(cycle_out(c, data, status))


async def cycle_delete(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    # Changing a running cycle is a 409 (R §7); deleting one is taken to be a change too.
    refuse_if_running(c, data, status)
    cid = data["Id"]
    with c.store.tx() as db:
        db.execute(
            "DELETE FROM tx_steps WHERE transaction_id IN "
            "(SELECT id FROM transactions WHERE cycle_id=?)",
            (cid,),
        )
        db.execute(
            "DELETE FROM step_fields WHERE step_id IN (SELECT id FROM steps WHERE cycle_id=?)",
            (cid,),
        )
        for table in ("steps", "edges", "variables", "transactions", "incidents"):
            db.execute(f"DELETE FROM {table} WHERE cycle_id=?", (cid,))
        db.execute("DELETE FROM cycles WHERE id=?", (cid,))
    return JSONResponse({"Message": f"Cycle '{cid}' deleted."})


async def cycle_prerequisites(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    return JSONResponse(prerequisites(c, data))


async def cycle_activate(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    body = await body_json(request)
    interval, run_once = body.get("Interval"), bool(opt_bool(body, "RunOnce"))
    start = opt_str(body, "StartTime", MAX_NAME_LEN)
    if start is not None and when(start) is None:
        raise ApiError(400, f"The value '{start}' is not valid for StartTime.")
    # Only JSON integers: a list or object is unhashable, a bool is an int to Python.
    if interval is not None and (isinstance(interval, bool) or not isinstance(interval, int)):
        raise ApiError(400, f"Interval must be one of {sorted(INTERVALS)}.")
    # RunOnce ignores the interval, so 0 is fine then (D-ex sends "Interval": 0, "RunOnce": true).
    if interval is not None and not (interval in INTERVALS or (run_once and interval >= 0)):
        raise ApiError(400, f"Interval must be one of {sorted(INTERVALS)}.")
    if prerequisites(c, data):
        raise ApiError(400, "The cycle cannot be activated until its prerequisites are met.")
    if run_once:
        # One run, then Paused (D-act). The run lasts ``run_once_seconds`` of the sandbox
        # clock; until then the cycle is running (Active, a 409 on changes).
        data["RunningUntil"] = c.clock() + float(c.switches.get("run_once_seconds", 30))
        status = "Paused"
    else:
        data.pop("RunningUntil", None)
        data["Interval"] = interval if interval is not None else data.get("Interval", 15)
        status = "Active"
    with c.store.tx() as db:
        db.execute(
            "UPDATE cycles SET status=?, data=? WHERE id=?", (status, json.dumps(data), data["Id"])
        )
    return JSONResponse(cycle_out(c, data, status))


async def cycle_deactivate(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    await body_json(request)
    # Finish-and-stop vs stop (D-stop): nothing is queued in the sandbox, so both just pause.
    q_bool(request, "finishQueuedTransactions", False)
    data.pop("RunningUntil", None)
    with c.store.tx() as db:
        db.execute(
            "UPDATE cycles SET status='Paused', data=? WHERE id=?", (json.dumps(data), data["Id"])
        )
    return JSONResponse(cycle_out(c, data, "Paused"))


async def cycles_upgradeable(request: Request) -> Response:
    """Cycles installed from an older release of their template than the live one (R §6.2)."""
    acc_id = require(request, account=True)
    assert acc_id is not None
    page, size, asc = paging(request)
    c = ctx(request)
    releases = {
        t["Id"]: t.get("_Release", 1)
        for t in (json.loads(r["data"]) for r in c.store.all("SELECT data FROM templates"))
    }
    items = []
    for r in c.store.all("SELECT id FROM cycles WHERE account_id=? ORDER BY seq", acc_id):
        data, status = cycle_doc(c, acc_id, r["id"])
        if releases.get(data.get("TemplateId"), 0) > data.get("_TemplateRelease", 1):
            items.append(cycle_out(c, data, status, icons=list_icons(request)))
    if not asc:
        items.reverse()
    return listed(items[(page - 1) * size : page * size], len(items), size)


def routes() -> list[Route]:
    """Templates, cycles, steps, variables, step fields and history (literals before ids)."""
    one = "/v1.0/cycles/{cycle_id:id}"
    return [
        *_templates.routes(),
        Route("/v1.0/cycles", cycles_list, methods=["GET"]),
        Route("/v1.0/cycles", cycle_create, methods=["POST"]),
        Route("/v1.0/cycles/upgradeable", cycles_upgradeable, methods=["GET"]),
        *_history.routes(),
        Route(one, cycle_get, methods=["GET"]),
        Route(one, cycle_update, methods=["PUT"]),
        Route(one, cycle_delete, methods=["DELETE"]),
        Route(one + "/activate", cycle_activate, methods=["PUT"]),
        Route(one + "/deactivate", cycle_deactivate, methods=["PUT"]),
        Route(one + "/prerequisites", cycle_prerequisites, methods=["GET"]),
        *_steps.routes(),
        *_variables.routes(),
        *_mappings.routes(),
    ]
