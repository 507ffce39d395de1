"""Templates, cycles, run history and incidents (the troubleshooting half of the API)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..seed import iso
from ._http import GUID, INVALID, ApiError, Ctx, ctx, listed, paging, require
from ._validate import MAX_NAME_LEN, MAX_TEXT_LEN, body_json, like_literal, opt_bool, opt_str

__all__ = ["routes"]

INTERVALS = {1, 5, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 10080}


def _guid(raw: str) -> str:
    if not GUID.match(raw):
        raise ApiError(400, INVALID)  # a malformed GUID in the path is a 400 in Cyclr
    return raw.lower()


def _template(c: Ctx, raw: str) -> dict[str, Any]:
    row = c.store.one("SELECT data FROM templates WHERE id=?", _guid(raw))
    if row is None:
        raise ApiError(404, f"Template '{raw}' not found.")
    return json.loads(row["data"])  # type: ignore[no-any-return]


async def templates_list(request: Request) -> Response:
    require(request)  # partner level; the account header is accepted but not needed
    page, size, asc = paging(request)
    tag = (request.query_params.get("tag") or "").lower()
    order = "ASC" if asc else "DESC"
    rows = ctx(request).store.all(f"SELECT data FROM templates ORDER BY seq {order}")
    items = [json.loads(r["data"]) for r in rows]
    if tag:  # a whole tag, compared literally; case-insensitive like SQL Server's default collation
        items = [t for t in items if tag in (x.lower() for x in t["Tags"])]
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def template_get(request: Request) -> Response:
    require(request)
    return JSONResponse(_template(ctx(request), request.path_params["template_id"]))


async def template_install(request: Request) -> Response:
    acc_id = require(request, account=True)
    c = ctx(request)
    tpl = _template(c, request.path_params["template_id"])
    await body_json(request)
    cycle_id = str(uuid.uuid4())
    with c.store.tx() as db:
        ac_ids = []
        for tc in tpl["Connectors"]:
            # Reuse an account connector of the same connector, as Cyclr does by default.
            row = db.execute(
                "SELECT id FROM account_connectors WHERE account_id=? AND connector_id=? "
                "ORDER BY authenticated DESC, id LIMIT 1",
                (acc_id, tc["Id"]),
            ).fetchone()
            if row is None:
                conn = c.store.connector(tc["Id"])
                assert conn is not None
                cur = db.execute(
                    "INSERT INTO account_connectors (account_id, connector_id, name, "
                    "authentication_id, authenticated) VALUES (?, ?, ?, ?, ?)",
                    (
                        acc_id,
                        conn["Id"],
                        conn["Name"],
                        conn["Authentication"][0]["Id"],
                        int(conn["AuthType"] == "None"),
                    ),
                )
                ac_ids.append(int(cur.lastrowid or 0))
            else:
                ac_ids.append(row["id"])
        data = {
            "Id": cycle_id,
            "AccountId": acc_id,
            "Name": tpl["Name"],
            "Description": tpl["Description"],
            "TemplateId": tpl["Id"],
            "CreatedOnUtc": iso(datetime.fromtimestamp(c.clock(), timezone.utc)),
            "Status": "Paused",
            "TasksUsed": 0,
            "Interval": 15,
            "AccountConnectorIds": ac_ids,
            "Tags": tpl["Tags"],
        }
        db.execute(
            "INSERT INTO cycles (id, account_id, status, data) VALUES (?, ?, 'Paused', ?)",
            (cycle_id, acc_id, json.dumps(data)),
        )
    return JSONResponse(c.store.cycle(acc_id, cycle_id))  # type: ignore[arg-type]


async def cycles_list(request: Request) -> Response:
    acc_id = require(request, account=True)
    page, size, asc = paging(request)
    c = ctx(request)
    with c.store.lock:
        total = c.store.one("SELECT COUNT(*) FROM cycles WHERE account_id=?", acc_id)[0]  # type: ignore[index]
        rows = c.store.all(
            f"SELECT data, status FROM cycles WHERE account_id=? ORDER BY seq "
            f"{'ASC' if asc else 'DESC'} LIMIT ? OFFSET ?",
            acc_id,
            size,
            (page - 1) * size,
        )
        items = [c.store.cycle_json(json.loads(r["data"]), r["status"]) for r in rows]
    return listed(items, total, size)


def _cycle(request: Request) -> tuple[Ctx, str, dict[str, Any]]:
    acc_id = require(request, account=True)
    assert acc_id is not None
    c = ctx(request)
    cyc = c.store.cycle(acc_id, _guid(request.path_params["cycle_id"]))
    if cyc is None:
        raise ApiError(404, f"Cycle '{request.path_params['cycle_id']}' not found.")
    return c, acc_id, cyc


async def cycle_get(request: Request) -> Response:
    return JSONResponse(_cycle(request)[2])


async def cycle_update(request: Request) -> Response:
    c, acc_id, cyc = _cycle(request)
    body = await body_json(request, required=True)
    if cyc["Status"] == "Active":
        raise ApiError(409, "The cycle is running; stop it before changing it.")
    row = c.store.one("SELECT data FROM cycles WHERE id=?", cyc["Id"])
    data = json.loads(row["data"])  # type: ignore[index]
    for key, max_len in (("Name", MAX_NAME_LEN), ("Description", MAX_TEXT_LEN)):
        if key in body:
            data[key] = opt_str(body, key, max_len)
    with c.store.tx() as db:
        db.execute("UPDATE cycles SET data=? WHERE id=?", (json.dumps(data), cyc["Id"]))
    return JSONResponse(c.store.cycle(acc_id, cyc["Id"]))


def _prerequisites(cyc: dict[str, Any]) -> list[dict[str, Any]]:
    out = [
        {
            "ReasonCode": 20,
            "Reason": f"Connector '{x['Name']}' is not authenticated.",
            "ObjectType": "AccountConnector",
            "ObjectId": x["AccountConnectorId"],
        }
        for x in cyc["Connectors"]
        if not x["Authenticated"]
    ]
    if not cyc["Connectors"]:
        out.append(
            {
                "ReasonCode": 10,
                "Reason": "The cycle needs at least two steps.",
                "ObjectType": "Action",
                "ObjectId": cyc["Id"],
            }
        )
    return out


async def cycle_prerequisites(request: Request) -> Response:
    return JSONResponse(_prerequisites(_cycle(request)[2]))


async def cycle_activate(request: Request) -> Response:
    c, acc_id, cyc = _cycle(request)
    body = await body_json(request)
    interval, run_once = body.get("Interval"), opt_bool(body, "RunOnce")
    opt_str(body, "StartTime", MAX_NAME_LEN)
    # Only JSON integers: a list or object is unhashable, a bool is an int to Python.
    valid = isinstance(interval, int) and not isinstance(interval, bool) and interval in INTERVALS
    if interval is not None and not valid:
        raise ApiError(400, f"Interval must be one of {sorted(INTERVALS)}.")
    if _prerequisites(cyc):
        raise ApiError(400, "The cycle cannot be activated until its prerequisites are met.")
    status = "Paused" if run_once else "Active"  # RunOnce runs once, then pauses again
    with c.store.tx() as db:
        db.execute("UPDATE cycles SET status=? WHERE id=?", (status, cyc["Id"]))
    return JSONResponse(c.store.cycle(acc_id, cyc["Id"]))


async def cycle_deactivate(request: Request) -> Response:
    c, acc_id, cyc = _cycle(request)
    await body_json(request)
    if request.query_params.get("finishQueuedTransactions", "false").lower() not in (
        "true",
        "false",
    ):
        raise ApiError(400, INVALID)
    with c.store.tx() as db:
        db.execute("UPDATE cycles SET status='Paused' WHERE id=?", (cyc["Id"],))
    return JSONResponse(c.store.cycle(acc_id, cyc["Id"]))


def _history(request: Request, table: str, where: str, args: tuple[Any, ...]) -> Response:
    page, size, asc = paging(request)
    status = request.query_params.get("status")
    if table == "transactions" and status:
        # The stored document is json.dumps output, so the value is matched in its JSON spelling
        # with LIKE's wildcards escaped: "%" or "_" in the filter match only themselves.
        pattern = "%" + like_literal(f'"Status": {json.dumps(status)}') + "%"
        where, args = where + " AND data LIKE ? ESCAPE '\\'", (*args, pattern)
    items, total = ctx(request).store.page(table, where, args, "seq", not asc, page, size)
    for item in items:
        item.pop("AccountId", None)
    return listed(items, total, size)


async def transactions_all(request: Request) -> Response:
    acc_id = require(request, account=True)
    return _history(request, "transactions", "account_id=?", (acc_id,))


async def transactions_cycle(request: Request) -> Response:
    _, acc_id, cyc = _cycle(request)
    return _history(request, "transactions", "account_id=? AND cycle_id=?", (acc_id, cyc["Id"]))


async def incidents_level(request: Request) -> Response:
    acc_id = require(request, account=True)
    level = request.path_params["level"].capitalize()
    if level not in ("Error", "Warning"):
        raise ApiError(404, f"Incident level '{request.path_params['level']}' not found.")
    return _history(request, "incidents", "account_id=? AND level=?", (acc_id, level))


async def incidents_cycle(request: Request) -> Response:
    _, acc_id, cyc = _cycle(request)
    return _history(request, "incidents", "account_id=? AND cycle_id=?", (acc_id, cyc["Id"]))


async def incidents_clear(request: Request) -> Response:
    c, _, cyc = _cycle(request)
    with c.store.tx() as db:
        db.execute("DELETE FROM incidents WHERE cycle_id=?", (cyc["Id"],))
    return JSONResponse({"Message": "Incidents deleted."})


def routes() -> list[Route]:
    """The routes of this module (literal segments are listed before ``{cycle_id}``)."""
    one = "/v1.0/cycles/{cycle_id}"
    return [
        Route("/v1.0/templates", templates_list, methods=["GET"]),
        Route("/v1.0/templates/{template_id}", template_get, methods=["GET"]),
        Route("/v1.0/templates/{template_id}/install", template_install, methods=["POST"]),
        Route("/v1.0/cycles", cycles_list, methods=["GET"]),
        Route("/v1.0/cycles/transactions", transactions_all, methods=["GET"]),
        Route("/v1.0/cycles/incidents/{level:str}", incidents_level, methods=["GET"]),
        Route(one, cycle_get, methods=["GET"]),
        Route(one, cycle_update, methods=["PUT"]),
        Route(one + "/activate", cycle_activate, methods=["PUT"]),
        Route(one + "/deactivate", cycle_deactivate, methods=["PUT"]),
        Route(one + "/prerequisites", cycle_prerequisites, methods=["GET"]),
        Route(one + "/transactions", transactions_cycle, methods=["GET"]),
        Route(one + "/incidents", incidents_cycle, methods=["GET"]),
        Route(one + "/incidents", incidents_clear, methods=["DELETE"]),
    ]
