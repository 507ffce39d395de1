"""Cycle variables (R §6.5): list, create, bulk upsert (PATCH), and one by its SystemName.

The item is R's ``{DisplayName, SystemName, Value, MappingType}`` plus the Console's other
attributes (D-rn 2023-06-30/07-21: value type, user configurable, description) under names of
our choosing (Q23). Writes are a 409 while the cycle runs.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._cycle_state import load_cycle, refuse_if_running
from ._http import INVALID, ApiError, Ctx, listed, paging
from ._validate import MAX_NAME_LEN, MAX_TEXT_LEN, opt_bool, opt_str, parse_json

__all__ = ["routes"]

# A system name is used in scripts and merge fields: an identifier (our rule; Cyclr states none).
SYSTEM_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
MAPPING_TYPES = ("StaticValue", "ValueList")  # variables can use value lists (D-rn 2022-03-21)
MAX_BULK = 500


def _out(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != "CycleId"}


def _get(c: Ctx, cycle_id: str, name: str) -> dict[str, Any]:
    row = c.store.one("SELECT data FROM variables WHERE cycle_id=? AND name=?", cycle_id, name)
    if row is None:
        raise ApiError(404, f"Variable '{name}' not found.")
    return json.loads(row["data"])  # type: ignore[no-any-return]


def _apply(doc: dict[str, Any], body: Any) -> dict[str, Any]:
    """``doc`` updated from one item of a request (an explicit null clears a nullable field)."""
    if not isinstance(body, dict):
        raise ApiError(400, INVALID)
    for key in ("DisplayName", "Description", "ValueType"):
        if key in body:
            doc[key] = opt_str(body, key, MAX_NAME_LEN if key != "Description" else MAX_TEXT_LEN)
    if "Value" in body:
        doc["Value"] = opt_str(body, "Value", MAX_TEXT_LEN)
    if "UserConfigurable" in body:
        doc["UserConfigurable"] = bool(opt_bool(body, "UserConfigurable"))
    if "MappingType" in body:
        kind = opt_str(body, "MappingType", MAX_NAME_LEN) or ""
        match = [m for m in MAPPING_TYPES if m.lower() == kind.lower()]
        if not match:
            raise ApiError(400, f"MappingType must be one of {', '.join(MAPPING_TYPES)}.")
        doc["MappingType"] = match[0]
    return doc


def _new(cycle_id: str, body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ApiError(400, INVALID)
    name = opt_str(body, "SystemName", MAX_NAME_LEN)
    if name is None or not SYSTEM_NAME.match(name):
        raise ApiError(400, "SystemName is required: a letter or _, then letters, digits or _.")
    doc = {
        "CycleId": cycle_id,
        "DisplayName": name,
        "SystemName": name,
        "Value": None,
        "MappingType": "StaticValue",
        "ValueType": "Text",
        "UserConfigurable": False,
        "Description": None,
    }
    return _apply(doc, body)


async def variables_list(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    page, size, _asc = paging(request)
    rows = c.store.all("SELECT data FROM variables WHERE cycle_id=? ORDER BY seq", data["Id"])
    items = [_out(json.loads(r["data"])) for r in rows]
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def variable_create(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    body = parse_json(await request.body() or b"null")
    if body is None:
        raise ApiError(400, "The request body is required.")
    doc = _new(data["Id"], body)
    refuse_if_running(c, data, status)
    with c.store.tx() as db:
        if db.execute(
            "SELECT 1 FROM variables WHERE cycle_id=? AND name=?", (data["Id"], doc["SystemName"])
        ).fetchone():
            raise ApiError(400, f"A variable with SystemName '{doc['SystemName']}' already exists.")
        db.execute(
            "INSERT INTO variables (cycle_id, name, data) VALUES (?, ?, ?)",
            (data["Id"], doc["SystemName"], json.dumps(doc)),
        )
    return JSONResponse(_out(doc))


async def variables_upsert(request: Request) -> Response:
    """PATCH: a JSON array; each item creates or updates the variable of its SystemName."""
    c, _, data, status = load_cycle(request)
    body = parse_json(await request.body() or b"null")
    if not isinstance(body, list) or len(body) > MAX_BULK:
        raise ApiError(400, "The request body must be an array of variables.")
    docs: dict[str, dict[str, Any]] = {}
    for item in body:  # all checked before anything is written
        name = _new(data["Id"], item)["SystemName"]
        row = c.store.one(
            "SELECT data FROM variables WHERE cycle_id=? AND name=?", data["Id"], name
        )
        base = docs.get(name) or (json.loads(row["data"]) if row else _new(data["Id"], item))
        docs[name] = _apply(base, item)
    refuse_if_running(c, data, status)
    with c.store.tx() as db:
        for name, doc in docs.items():
            db.execute(
                "INSERT INTO variables (cycle_id, name, data) VALUES (?, ?, ?) "
                "ON CONFLICT (cycle_id, name) DO UPDATE SET data=excluded.data",
                (data["Id"], name, json.dumps(doc)),
            )
    return JSONResponse([_out(d) for d in docs.values()])


async def variable_get(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    return JSONResponse(_out(_get(c, data["Id"], request.path_params["system_name"])))


async def variable_update(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    doc = _get(c, data["Id"], request.path_params["system_name"])
    body = parse_json(await request.body() or b"null")
    if body is None:
        raise ApiError(400, "The request body is required.")
    if isinstance(body, dict) and body.get("SystemName", doc["SystemName"]) != doc["SystemName"]:
        raise ApiError(400, "SystemName cannot be changed.")
    _apply(doc, body)
    refuse_if_running(c, data, status)
    with c.store.tx() as db:
        db.execute(
            "UPDATE variables SET data=? WHERE cycle_id=? AND name=?",
            (json.dumps(doc), data["Id"], doc["SystemName"]),
        )
    return JSONResponse(_out(doc))


async def variable_delete(request: Request) -> Response:
    c, _, data, status = load_cycle(request)
    doc = _get(c, data["Id"], request.path_params["system_name"])
    refuse_if_running(c, data, status)
    with c.store.tx() as db:
        db.execute(
            "DELETE FROM variables WHERE cycle_id=? AND name=?", (data["Id"], doc["SystemName"])
        )
    return JSONResponse({"Message": f"Variable '{doc['SystemName']}' deleted."})


def routes() -> list[Route]:
    """The variable routes of one cycle."""
    base = "/v1.0/cycles/{cycle_id:id}/variables"
    return [
        Route(base, variables_list, methods=["GET"]),
        Route(base, variable_create, methods=["POST"]),
        Route(base, variables_upsert, methods=["PATCH"]),
        Route(base + "/{system_name}", variable_get, methods=["GET"]),
        Route(base + "/{system_name}", variable_update, methods=["PUT"]),
        Route(base + "/{system_name}", variable_delete, methods=["DELETE"]),
    ]
