"""Installed account connectors, account level.

Read, update, delete, deauthenticate, properties, custom fields and lookup triggers.
"""

from __future__ import annotations

import json
import random
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._connectors import props_input, refresh_authenticated
from ._http import INT, INVALID, ApiError, Ctx, ctx, listed, paging, require, sort_items
from ._validate import MAX_NAME_LEN, MAX_TEXT_LEN, MAX_VALUE_LEN, body_json, opt_bool, opt_str

__all__ = ["ac_or_404", "int_id", "routes"]

AC_ORDER = ("Id", "Name", "Description", "Authenticated")
PROP_ORDER = ("Name", "Id", "Value")
FIELD_ORDER = ("Id", "ConnectorField", "DisplayName")


def int_id(raw: str) -> int:
    """An integer id from the path; a malformed one is a 400, as in Cyclr."""
    if not INT.match(raw):
        raise ApiError(400, INVALID)  # a malformed id in the path is a 400 in Cyclr
    return int(raw)


def ac_or_404(request: Request) -> tuple[Ctx, str, int]:
    """The header account and the path's account connector (404 when not in that account)."""
    acc_id = require(request, account=True)
    assert acc_id is not None
    c, ac_id = ctx(request), int_id(request.path_params["ac_id"])
    if c.store.ac_row(acc_id, ac_id) is None:
        raise ApiError(404, f"Account connector {ac_id} not found.")
    return c, acc_id, ac_id


async def ac_list(request: Request) -> Response:
    acc_id = require(request, account=True)
    page, size, asc = paging(request)
    c = ctx(request)
    rows = c.store.all("SELECT * FROM account_connectors WHERE account_id=? ORDER BY id", acc_id)
    items = [c.store.ac_json(r) for r in rows]
    sort_items(items, request.query_params.get("orderBy") or "Id", AC_ORDER, asc)
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def ac_get(request: Request) -> Response:
    c, acc_id, ac_id = ac_or_404(request)
    return JSONResponse(c.store.ac_json(c.store.ac_row(acc_id, ac_id)))  # type: ignore[arg-type]


async def ac_update(request: Request) -> Response:
    c, acc_id, ac_id = ac_or_404(request)
    body = await body_json(request, required=True)
    sets = {
        col: opt_str(body, key, max_len)
        for key, col, max_len in (
            ("Name", "name", MAX_NAME_LEN),
            ("Description", "description", MAX_TEXT_LEN),
            ("AuthValue", "auth_value", MAX_VALUE_LEN),
        )
        if key in body
    }
    if "name" in sets and not sets["name"]:
        raise ApiError(400, "Name is required.")
    with c.store.tx() as db:
        for col, value in sets.items():
            db.execute(f"UPDATE account_connectors SET {col}=? WHERE id=?", (value, ac_id))
        if "auth_value" in sets:
            refresh_authenticated(c, db, ac_id)
    return JSONResponse(c.store.ac_json(c.store.ac_row(acc_id, ac_id)))  # type: ignore[arg-type]


def _running_cycles(c: Ctx, acc_id: str, ac_id: int) -> list[str]:
    rows = c.store.all("SELECT id, data FROM cycles WHERE account_id=? AND status='Active'", acc_id)
    return [r["id"] for r in rows if ac_id in json.loads(r["data"])["AccountConnectorIds"]]


async def ac_delete(request: Request) -> Response:
    c, acc_id, ac_id = ac_or_404(request)
    if _running_cycles(c, acc_id, ac_id):
        raise ApiError(
            409, "The account connector is used by a running cycle; stop the cycle first."
        )
    with c.store.tx() as db:
        db.execute("DELETE FROM properties WHERE ac_id=?", (ac_id,))
        db.execute("DELETE FROM custom_fields WHERE ac_id=?", (ac_id,))
        db.execute("DELETE FROM account_connectors WHERE id=?", (ac_id,))
    return JSONResponse({"Message": f"Account connector {ac_id} deleted."})


async def ac_deauthenticate(request: Request) -> Response:
    c, acc_id, ac_id = ac_or_404(request)
    await body_json(request)
    name = c.store.ac_row(acc_id, ac_id)["name"]  # type: ignore[index]
    running = _running_cycles(c, acc_id, ac_id)
    with c.store.tx() as db:
        db.execute(
            "UPDATE account_connectors SET auth_value=NULL, authenticated=0 WHERE id=?", (ac_id,)
        )
        # Cyclr stops the cycles that use a de-authenticated connector.
        db.executemany("UPDATE cycles SET status='Paused' WHERE id=?", [(i,) for i in running])
    return JSONResponse({"Message": f"Connector '{name}' successfully de-authenticated."})


async def props_list(request: Request) -> Response:
    c, _, ac_id = ac_or_404(request)
    page, size, asc = paging(request)  # paged like every other Cyclr list (bad values: 400)
    items = c.store.properties(ac_id)
    sort_items(items, request.query_params.get("orderBy") or "Name", PROP_ORDER, asc)
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def props_add(request: Request) -> Response:
    c, acc_id, ac_id = ac_or_404(request)
    body = await body_json(request, required=True)
    conn = c.store.connector(c.store.ac_row(acc_id, ac_id)["connector_id"])  # type: ignore[index]
    assert conn is not None  # an installed connector's library entry is never deleted
    ((name, value),) = props_input(conn, [body], known_only=False)
    with c.store.tx() as db:
        if db.execute(
            "SELECT 1 FROM properties WHERE ac_id=? AND name=?", (ac_id, name)
        ).fetchone():
            raise ApiError(400, f"Property '{name}' already exists on this account connector.")
        cur = db.execute(
            "INSERT INTO properties (ac_id, name, value) VALUES (?, ?, ?)", (ac_id, name, value)
        )
    return JSONResponse(
        {"Name": name, "Value": value, "Id": cur.lastrowid, "AccountConnectorId": ac_id}
    )


def _prop_or_404(c: Ctx, ac_id: int, raw: str) -> dict[str, Any]:
    pid = int_id(raw)
    found = [p for p in c.store.properties(ac_id) if p["Id"] == pid]
    if not found:
        raise ApiError(404, f"Property {pid} not found.")
    return found[0]


async def prop_get(request: Request) -> Response:
    c, _, ac_id = ac_or_404(request)
    return JSONResponse(_prop_or_404(c, ac_id, request.path_params["prop_id"]))


async def prop_update(request: Request) -> Response:
    c, _, ac_id = ac_or_404(request)
    prop = _prop_or_404(c, ac_id, request.path_params["prop_id"])
    body = await body_json(request, required=True)
    if "Value" in body:
        prop["Value"] = opt_str(body, "Value", MAX_VALUE_LEN)
    with c.store.tx() as db:
        db.execute("UPDATE properties SET value=? WHERE id=?", (prop["Value"], prop["Id"]))
    return JSONResponse(prop)


async def prop_delete(request: Request) -> Response:
    c, _, ac_id = ac_or_404(request)
    prop = _prop_or_404(c, ac_id, request.path_params["prop_id"])
    with c.store.tx() as db:
        db.execute("DELETE FROM properties WHERE id=?", (prop["Id"],))
    return JSONResponse({"Message": f"Property {prop['Id']} deleted."})


# -- custom fields (R §3.5's field names; Cyclr documents no more, surface doc Q14) ----------

DATA_TYPES = ("Boolean", "DateTime", "Decimal", "Integer", "Float", "Text", "File", "Undefined")
FIELD_TEXT = {
    "ConnectorField": MAX_TEXT_LEN,
    "SystemField": MAX_NAME_LEN,
    "DisplayName": MAX_NAME_LEN,
    "Description": MAX_TEXT_LEN,
    "MethodUniqueIdentifier": MAX_NAME_LEN,
    "DataTypeFormat": MAX_NAME_LEN,
    "ForRequestFormat": MAX_TEXT_LEN,
}


def _apply_field(c: Ctx, conn_id: int, field: dict[str, Any], body: dict[str, Any]) -> None:
    """Apply a create or update body: sent fields (``null`` too) replace, absent ones stay."""
    for key, max_len in FIELD_TEXT.items():
        if key in body:
            field[key] = opt_str(body, key, max_len)
    if "EntityIdentifier" in body:
        field["EntityIdentifier"] = bool(opt_bool(body, "EntityIdentifier"))
    if "DataType" in body:
        dtype = opt_str(body, "DataType", MAX_NAME_LEN)
        if dtype not in DATA_TYPES:
            raise ApiError(400, f"DataType must be one of: {', '.join(DATA_TYPES)}.")
        field["DataType"] = dtype
    if not (field.get("ConnectorField") or "").strip():
        raise ApiError(400, "ConnectorField is required.")
    uid = field.get("MethodUniqueIdentifier")
    if uid is not None and uid not in {
        m["MethodUniqueIdentifier"] for m in c.store.methods(conn_id)
    }:
        raise ApiError(400, f"Method '{uid}' does not belong to this connector.")


def _field_or_404(c: Ctx, ac_id: int, raw: str) -> dict[str, Any]:
    fid = int_id(raw)
    found = [f for f in c.store.custom_fields(ac_id) if f["Id"] == fid]
    if not found:
        raise ApiError(404, f"Custom field {fid} not found.")
    return found[0]


async def fields_list(request: Request) -> Response:
    c, _, ac_id = ac_or_404(request)
    page, size, asc = paging(request)
    items = c.store.custom_fields(ac_id)
    sort_items(items, request.query_params.get("orderBy") or "Id", FIELD_ORDER, asc)
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def field_add(request: Request) -> Response:
    c, acc_id, ac_id = ac_or_404(request)
    body = await body_json(request, required=True)
    conn_id = c.store.ac_row(acc_id, ac_id)["connector_id"]  # type: ignore[index]
    field: dict[str, Any] = {"AccountConnectorId": ac_id, "DataType": "Text"}
    field |= dict.fromkeys(FIELD_TEXT) | {"EntityIdentifier": False}
    _apply_field(c, conn_id, field, body)
    field["DisplayName"] = field["DisplayName"] or field["ConnectorField"]
    with c.store.tx() as db:
        for other in c.store.custom_fields(ac_id):
            if other["ConnectorField"] == field["ConnectorField"]:
                raise ApiError(400, f"Custom field '{field['ConnectorField']}' already exists.")
        cur = db.execute(
            "INSERT INTO custom_fields (ac_id, data) VALUES (?, ?)", (ac_id, json.dumps(field))
        )
    return JSONResponse({**field, "Id": cur.lastrowid})


async def field_get(request: Request) -> Response:
    c, _, ac_id = ac_or_404(request)
    return JSONResponse(_field_or_404(c, ac_id, request.path_params["cf_id"]))


async def field_update(request: Request) -> Response:
    c, acc_id, ac_id = ac_or_404(request)
    field = _field_or_404(c, ac_id, request.path_params["cf_id"])
    body = await body_json(request, required=True)
    _apply_field(c, c.store.ac_row(acc_id, ac_id)["connector_id"], field, body)  # type: ignore[index]
    with c.store.tx() as db:
        db.execute("UPDATE custom_fields SET data=? WHERE id=?", (json.dumps(field), field["Id"]))
    return JSONResponse(field)


async def field_delete(request: Request) -> Response:
    c, _, ac_id = ac_or_404(request)
    field = _field_or_404(c, ac_id, request.path_params["cf_id"])
    with c.store.tx() as db:
        db.execute("DELETE FROM custom_fields WHERE id=?", (field["Id"],))
    return JSONResponse({"Message": f"Custom field {field['Id']} deleted."})


# -- lookup triggers ----------------------------------------------------------------------------


def lookup_records(uid: str, entity: str, count: int = 3) -> list[dict[str, Any]]:
    """The canned third-party records behind a method (the same for one method every time)."""
    rng = random.Random(uid)
    one = entity[:-1] if entity.endswith("s") else entity
    return [
        {"id": f"{rng.getrandbits(40):010x}", "name": f"{one.title()} {n + 1}"}
        for n in range(count)
    ]


async def trigger_run(request: Request) -> Response:
    """``POST …/triggers/{triggerId}``: the lookup's options as ``[{Name, Value}]``.

    The sandbox answers from canned data without calling out, so an unauthenticated connector
    can be looked up too (the catalogue's first account connector is one).
    """
    c, acc_id, ac_id = ac_or_404(request)
    await body_json(request)
    raw = request.path_params["trigger_id"]
    if not INT.match(raw):
        raise ApiError(400, INVALID)
    conn = c.store.connector(c.store.ac_row(acc_id, ac_id)["connector_id"])  # type: ignore[index]
    assert conn is not None
    trig = next((t for t in conn["Triggers"] if t["TriggerId"] == int(raw)), None)
    if trig is None:
        raise ApiError(404, f"Trigger {raw} not found.")
    records = lookup_records(trig["MethodUniqueIdentifier"], trig["Name"])
    return JSONResponse([{"Name": r["name"], "Value": r["id"]} for r in records])


def routes() -> list[Route]:
    """The routes of this module (after ``/v1.0/account/connectors/custom``)."""
    base = "/v1.0/account/connectors/{ac_id}"
    return [
        Route("/v1.0/account/connectors", ac_list, methods=["GET"]),
        Route(base, ac_get, methods=["GET"]),
        Route(base, ac_update, methods=["PUT"]),
        Route(base, ac_delete, methods=["DELETE"]),
        Route(base + "/deauthenticate", ac_deauthenticate, methods=["PUT"]),
        Route(base + "/properties", props_list, methods=["GET"]),
        Route(base + "/properties", props_add, methods=["POST"]),
        Route(base + "/properties/{prop_id}", prop_get, methods=["GET"]),
        Route(base + "/properties/{prop_id}", prop_update, methods=["PUT"]),
        Route(base + "/properties/{prop_id}", prop_delete, methods=["DELETE"]),
        Route(base + "/fields", fields_list, methods=["GET"]),
        Route(base + "/fields", field_add, methods=["POST"]),
        Route(base + "/fields/{cf_id}", field_get, methods=["GET"]),
        Route(base + "/fields/{cf_id}", field_update, methods=["PUT"]),
        Route(base + "/fields/{cf_id}", field_delete, methods=["DELETE"]),
        Route(base + "/triggers/{trigger_id}", trigger_run, methods=["POST"]),
    ]
