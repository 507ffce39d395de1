"""A cycle's steps and edges (R §6.5): CRUD, with a 409 for any change while the cycle runs."""

from __future__ import annotations

import json
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..seed import ACTION_TYPES
from ._cycle_state import guid, load_cycle, refuse_if_running
from ._http import ApiError, Ctx, listed, paging
from ._query import q_choice
from ._validate import MAX_NAME_LEN, MAX_TEXT_LEN, body_json, opt_str

__all__ = ["routes", "step_out"]

#: Edge kinds: R saw only "Forward"; a Decision step's two branches need two more, named here
#: the way a .NET enum would name them (our guess, Q20).
EDGE_TYPES = ("Forward", "True", "False")
MAX_POSITION = 1_000_000  # canvas pixels: our cap, far beyond any real diagram


def step_out(c: Ctx, step: dict[str, Any]) -> dict[str, Any]:
    """A step as the steps routes return it: ``Id`` and an ``AccountConnector{Name, ...}``."""
    ac = None
    ac_id = step.get("AccountConnectorId")
    row = c.store.ac_row(None, ac_id) if ac_id is not None else None
    conn = c.store.connector(row["connector_id"]) if row is not None else None
    if row is not None and conn is not None:
        ac = {
            "Id": ac_id,
            "Name": row["name"],
            "Authenticated": bool(row["authenticated"]),
            "Connector": {"Id": conn["Id"], "Name": conn["Name"], "Version": conn["Version"]},
        }
    meth = step.get("Method") or {}
    kind = step.get("ActionType", "Action")
    return {
        "Id": step["Id"],
        "Name": step["Name"],
        "Description": step.get("Description"),
        "ActionType": kind,
        # D-txerr's StepType: 1 for a method step; the tools' numbers are our ACTION_TYPES.
        "StepType": next((n for n, k in ACTION_TYPES.items() if k == kind), 1),
        "IsTrigger": bool(step.get("IsTrigger")),
        "DisplayPositionLeft": step.get("DisplayPositionLeft", 0),
        "DisplayPositionTop": step.get("DisplayPositionTop", 0),
        "AccountConnector": ac,
        "MethodId": meth.get("Id"),
        "MethodName": meth.get("Name"),
        "MethodUniqueIdentifier": meth.get("MethodUniqueIdentifier"),
    }


def _steps(c: Ctx, cycle_id: str) -> list[dict[str, Any]]:
    rows = c.store.all("SELECT data FROM steps WHERE cycle_id=? ORDER BY seq", cycle_id)
    return [json.loads(r["data"]) for r in rows]


def _step(c: Ctx, cycle_id: str, raw: str) -> dict[str, Any]:
    row = c.store.one("SELECT data FROM steps WHERE id=? AND cycle_id=?", guid(raw), cycle_id)
    if row is None:
        raise ApiError(404, f"Step '{raw}' not found.")
    return json.loads(row["data"])  # type: ignore[no-any-return]


def _action_type(value: Any) -> str:
    """An ActionType given as its number or name; anything else is a 400 (R §6.5)."""
    if isinstance(value, int) and not isinstance(value, bool) and value in ACTION_TYPES:
        return ACTION_TYPES[value]
    if isinstance(value, str):
        for name in ACTION_TYPES.values():
            if name.lower() == value.strip().lower():
                return name
    raise ApiError(400, f"ActionType must be one of {', '.join(ACTION_TYPES.values())}.")


def _apply(step: dict[str, Any], body: dict[str, Any]) -> None:
    if "Name" in body:
        name = opt_str(body, "Name", MAX_NAME_LEN)
        if not (name or "").strip():
            raise ApiError(400, "Name is required.")
        step["Name"] = name
    if "Description" in body:  # an explicit null clears it
        step["Description"] = opt_str(body, "Description", MAX_TEXT_LEN)
    if "ActionType" in body:
        step["ActionType"] = _action_type(body["ActionType"])
    for key in ("DisplayPositionLeft", "DisplayPositionTop"):
        if key in body:
            value = body[key]
            ok = isinstance(value, int) and not isinstance(value, bool)
            if not ok or abs(value) > MAX_POSITION:
                raise ApiError(400, f"{key} must be a whole number.")
            step[key] = value


async def steps_list(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    page, size, _asc = paging(request)
    # R saw ?filter=action: the steps of one kind (a name of ACTION_TYPES, any case).
    kind = q_choice(request, "filter", ACTION_TYPES.values())
    items = [step_out(c, s) for s in _steps(c, data["Id"])]
    if kind is not None:
        items = [s for s in items if s["ActionType"] == kind]
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def step_create(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    body = await body_json(request, required=True)
    if "Name" not in body or "ActionType" not in body:
        raise ApiError(400, "Name and ActionType are required.")
    step: dict[str, Any] = {
        "Id": str(uuid.uuid4()),
        "CycleId": data["Id"],
        "Description": None,
        "IsTrigger": False,
        "DisplayPositionLeft": 0,
        "DisplayPositionTop": 0,
        "AccountConnectorId": None,
        "Method": None,
    }
    _apply(step, body)
    refuse_if_running(c, data, status)
    with c.store.tx() as db:
        db.execute(
            "INSERT INTO steps (id, cycle_id, data) VALUES (?, ?, ?)",
            (step["Id"], data["Id"], json.dumps(step)),
        )
    return JSONResponse(step_out(c, step))


async def step_get(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    return JSONResponse(step_out(c, _step(c, data["Id"], request.path_params["step_id"])))


async def step_update(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    step = _step(c, data["Id"], request.path_params["step_id"])
    body = await body_json(request, required=True)
    _apply(step, body)
    refuse_if_running(c, data, status)
    with c.store.tx() as db:
        db.execute("UPDATE steps SET data=? WHERE id=?", (json.dumps(step), step["Id"]))
    return JSONResponse(step_out(c, step))


async def step_delete(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    step = _step(c, data["Id"], request.path_params["step_id"])
    refuse_if_running(c, data, status)
    with c.store.tx() as db:
        db.execute("DELETE FROM step_fields WHERE step_id=?", (step["Id"],))
        db.execute("DELETE FROM steps WHERE id=?", (step["Id"],))
        rows = db.execute("SELECT id, data FROM edges WHERE cycle_id=?", (data["Id"],))
        for row in rows.fetchall():
            edge = json.loads(row["data"])
            if step["Id"] in (edge["HeadStepId"], edge["TailStepId"]):
                db.execute("DELETE FROM edges WHERE id=?", (row["id"],))
    return JSONResponse({"Message": f"Step '{step['Id']}' deleted."})


# -- edges ---------------------------------------------------------------------------------------


def _edge(c: Ctx, cycle_id: str, raw: str) -> dict[str, Any]:
    row = c.store.one("SELECT data FROM edges WHERE id=? AND cycle_id=?", guid(raw), cycle_id)
    if row is None:
        raise ApiError(404, f"Edge '{raw}' not found.")
    return {k: v for k, v in json.loads(row["data"]).items() if k != "CycleId"}


async def edges_list(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    page, size, _asc = paging(request)
    rows = c.store.all("SELECT id FROM edges WHERE cycle_id=? ORDER BY seq", data["Id"])
    items = [_edge(c, data["Id"], r["id"]) for r in rows]
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def edge_create(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    body = await body_json(request, required=True)
    ends = {}
    for key in ("HeadStepId", "TailStepId"):
        raw = opt_str(body, key, MAX_NAME_LEN)
        if raw is None:
            raise ApiError(400, f"{key} is required.")
        ends[key] = _step(c, data["Id"], raw)["Id"]
    kind = opt_str(body, "EdgeType", MAX_NAME_LEN) or "Forward"
    match = [k for k in EDGE_TYPES if k.lower() == kind.lower()]
    if not match:
        raise ApiError(400, f"EdgeType must be one of {', '.join(EDGE_TYPES)}.")
    refuse_if_running(c, data, status)
    # A step joined to itself is allowed: Cyclr's rule is undocumented and the contract row
    # (tests/support/catalogue.py #76) sends one.
    edge = {"Id": str(uuid.uuid4()), "CycleId": data["Id"], **ends, "EdgeType": match[0]}
    with c.store.tx() as db:
        db.execute(
            "INSERT INTO edges (id, cycle_id, data) VALUES (?, ?, ?)",
            (edge["Id"], data["Id"], json.dumps(edge)),
        )
    return JSONResponse({k: v for k, v in edge.items() if k != "CycleId"})


async def edge_get(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    return JSONResponse(_edge(c, data["Id"], request.path_params["edge_id"]))


async def edge_delete(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    edge = _edge(c, data["Id"], request.path_params["edge_id"])
    refuse_if_running(c, data, status)
    with c.store.tx() as db:
        db.execute("DELETE FROM edges WHERE id=?", (edge["Id"],))
    return JSONResponse({"Message": f"Edge '{edge['Id']}' deleted."})


def routes() -> list[Route]:
    """The step and edge routes of one cycle."""
    base = "/v1.0/cycles/{cycle_id:id}"
    return [
        Route(base + "/steps", steps_list, methods=["GET"]),
        Route(base + "/steps", step_create, methods=["POST"]),
        Route(base + "/steps/{step_id}", step_get, methods=["GET"]),
        Route(base + "/steps/{step_id}", step_update, methods=["PUT"]),
        Route(base + "/steps/{step_id}", step_delete, methods=["DELETE"]),
        Route(base + "/edges", edges_list, methods=["GET"]),
        Route(base + "/edges", edge_create, methods=["POST"]),
        Route(base + "/edges/{edge_id}", edge_get, methods=["GET"]),
        Route(base + "/edges/{edge_id}", edge_delete, methods=["DELETE"]),
    ]
