"""Connector library, install, account connectors and their properties."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._http import INT, INVALID, ApiError, Ctx, ctx, listed, paging, require
from ._validate import (
    MAX_ID_LEN,
    MAX_NAME_LEN,
    MAX_TEXT_LEN,
    MAX_VALUE_LEN,
    body_json,
    opt_str,
)

__all__ = ["auth_value_valid", "routes"]


def auth_value_valid(auth: dict[str, Any], value: str | None, props: dict[str, str | None]) -> bool:
    """Tell whether Cyclr would accept ``value`` as credentials for this auth method.

    ApiKey: any non-blank key. Basic: base64 of ``user:pass``. OAuth: a JSON object with a
    non-empty ``AccessToken`` (or a bare access token, the short form), or ``"{}"`` for a
    client-credentials connector whose ``ClientId``/``ClientSecret`` properties are set.
    """
    kind = auth["AuthType"]
    if kind == "None":
        return True
    if not value or not value.strip():
        return False
    if kind == "Basic":
        try:
            user, sep, _ = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
        except (binascii.Error, ValueError):
            return False
        return bool(sep and user)
    if kind in ("OAuth2", "OAuth1"):
        try:
            data = json.loads(value)
        except ValueError:
            return not value.lstrip().startswith(("{", "["))  # a bare access token
        if not isinstance(data, dict):
            return False
        token = data.get("AccessToken")
        if isinstance(token, str) and token:
            return True
        return (
            data == {}
            and auth.get("OAuth2Type") == "ClientCredentials"
            and bool(props.get("ClientId"))
            and bool(props.get("ClientSecret"))
        )
    return True  # ApiKey and AuthFields: a non-blank value


def _connector_key(c: Ctx, key: str) -> dict[str, Any]:
    # All-digit segments are ids, anything else a name (Cyclr routes both on one path).
    if INT.match(key):
        conn = c.store.connector(int(key))
    else:
        found = [x for x in c.store.connectors() if x["Name"].lower() == key.lower()]
        conn = found[-1] if found else None
    if conn is None:
        raise ApiError(404, f"Connector '{key}' not found.")
    return conn


async def connectors_list(request: Request) -> Response:
    require(request, account=True)
    page, size, asc = paging(request)
    q = (request.query_params.get("query") or "").strip().lower()
    cat = (request.query_params.get("category") or "").strip().lower()
    order = request.query_params.get("orderBy") or "Name"
    if order not in ("Name", "Id"):
        raise ApiError(400, INVALID)
    items = [
        x
        for x in ctx(request).store.connectors()
        if q in x["Name"].lower() and (not cat or cat in (k.lower() for k in x["Categories"]))
    ]
    items.sort(key=lambda x: str(x[order]).lower() if order == "Name" else x["Id"], reverse=not asc)
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def connector_get(request: Request) -> Response:
    require(request)
    key = request.path_params["key"]
    conn = _connector_key(ctx(request), key)
    return JSONResponse(conn if INT.match(key) else [conn])


async def connector_version(request: Request) -> Response:
    require(request)
    name, version = request.path_params["key"], request.path_params["version"]
    found = [
        x
        for x in ctx(request).store.connectors()
        if x["Name"].lower() == name.lower() and (x["Version"] or "") == version
    ]
    if not found:
        raise ApiError(404, f"Connector '{name}' version '{version}' not found.")
    return JSONResponse(found)


# Cyclr documents per-account OAuth app credentials as account connector properties named exactly
# ClientId and ClientSecret, for any OAuth connector, whether or not the connector declares them.
_OAUTH_APP_PROPERTIES = ("ClientId", "ClientSecret")


def _check_property(conn: dict[str, Any], name: str) -> dict[str, Any]:
    oauth = any(a["AuthType"] in ("OAuth1", "OAuth2") for a in conn["Authentication"])
    declared = any(p["TargetName"] == name for p in conn["Parameters"])
    if oauth and name in _OAUTH_APP_PROPERTIES and not declared:
        return {"TargetName": name, "IsAccountConnectorProperty": True, "IsOptional": True}
    for p in conn["Parameters"]:
        if p["TargetName"] == name:
            if not p["IsAccountConnectorProperty"]:
                raise ApiError(
                    400, f"Connector property '{name}' is not an account connector property."
                )
            return p
    raise ApiError(400, f"No connector property matches the name '{name}'.")


def _props_input(conn: dict[str, Any], raw: Any) -> list[tuple[str, str | None]]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise ApiError(400, "Properties must be an array of objects.")
    out = []
    for p in raw:
        name, value = opt_str(p, "Name", MAX_NAME_LEN), p.get("Value")
        if not name:
            raise ApiError(400, "Property Name is required.")
        if value is not None and not isinstance(value, str):
            raise ApiError(400, f"Property '{name}' Value must be a string.")
        opt_str(p, "Value", MAX_VALUE_LEN)
        _check_property(conn, name)
        out.append((name, value))
    return out


def refresh_authenticated(c: Ctx, db: Any, ac_id: int) -> bool:
    """Recompute and store ``Authenticated`` from the stored AuthValue and properties."""
    row = db.execute("SELECT * FROM account_connectors WHERE id=?", (ac_id,)).fetchone()
    conn = c.store.connector(row["connector_id"])
    assert conn is not None
    auth = next(
        (a for a in conn["Authentication"] if a["Id"] == row["authentication_id"]),
        conn["Authentication"][0],
    )
    props = {p["Name"]: p["Value"] for p in c.store.properties(ac_id)}
    ok = auth_value_valid(auth, row["auth_value"], props) and not c.store.missing_required(
        ac_id, conn
    )
    db.execute("UPDATE account_connectors SET authenticated=? WHERE id=?", (int(ok), ac_id))
    return ok


async def install(request: Request) -> Response:
    acc_id = require(request, account=True)
    c = ctx(request)
    conn = _connector_key(c, request.path_params["key"])
    body = await body_json(request, required=True)
    if conn["Status"] != "Approved":
        raise ApiError(400, f"Connector {conn['Id']} is a draft and cannot be installed.")
    auth_id = opt_str(body, "AuthenticationId", MAX_ID_LEN)
    if auth_id is not None and auth_id not in {a["Id"] for a in conn["Authentication"]}:
        raise ApiError(
            400, f"Authentication '{auth_id}' does not belong to connector {conn['Id']}."
        )
    auth_value = opt_str(body, "AuthValue", MAX_VALUE_LEN)
    name = opt_str(body, "Name", MAX_NAME_LEN) or conn["Name"]
    desc = opt_str(body, "Description")
    props = _props_input(conn, body.get("Properties"))
    with c.store.tx() as db:
        cur = db.execute(
            "INSERT INTO account_connectors (account_id, connector_id, name, description, "
            "authentication_id, auth_value) VALUES (?, ?, ?, ?, ?, ?)",
            (
                acc_id,
                conn["Id"],
                name,
                desc,
                auth_id or conn["Authentication"][0]["Id"],
                auth_value,
            ),
        )
        ac_id = int(cur.lastrowid or 0)
        db.executemany(
            "INSERT INTO properties (ac_id, name, value) VALUES (?, ?, ?)",
            [(ac_id, n, v) for n, v in props],
        )
        refresh_authenticated(c, db, ac_id)
    row = c.store.ac_row(acc_id, ac_id)
    assert row is not None
    return JSONResponse(c.store.ac_json(row))


def _ac_id(raw: str) -> int:
    if not INT.match(raw):
        raise ApiError(400, INVALID)  # a malformed id in the path is a 400 in Cyclr
    return int(raw)


def _ac_or_404(request: Request) -> tuple[Ctx, str, int]:
    acc_id = require(request, account=True)
    assert acc_id is not None
    c, ac_id = ctx(request), _ac_id(request.path_params["ac_id"])
    if c.store.ac_row(acc_id, ac_id) is None:
        raise ApiError(404, f"Account connector {ac_id} not found.")
    return c, acc_id, ac_id


async def ac_list(request: Request) -> Response:
    acc_id = require(request, account=True)
    page, size, asc = paging(request)
    c = ctx(request)
    with c.store.lock:
        total = c.store.one("SELECT COUNT(*) FROM account_connectors WHERE account_id=?", acc_id)[0]  # type: ignore[index]
        rows = c.store.all(
            f"SELECT * FROM account_connectors WHERE account_id=? ORDER BY id "
            f"{'ASC' if asc else 'DESC'} LIMIT ? OFFSET ?",
            acc_id,
            size,
            (page - 1) * size,
        )
        items = [c.store.ac_json(r) for r in rows]
    return listed(items, total, size)


async def ac_get(request: Request) -> Response:
    c, acc_id, ac_id = _ac_or_404(request)
    return JSONResponse(c.store.ac_json(c.store.ac_row(acc_id, ac_id)))  # type: ignore[arg-type]


async def ac_update(request: Request) -> Response:
    c, acc_id, ac_id = _ac_or_404(request)
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
    c, acc_id, ac_id = _ac_or_404(request)
    if _running_cycles(c, acc_id, ac_id):
        raise ApiError(
            409, "The account connector is used by a running cycle; stop the cycle first."
        )
    with c.store.tx() as db:
        db.execute("DELETE FROM properties WHERE ac_id=?", (ac_id,))
        db.execute("DELETE FROM account_connectors WHERE id=?", (ac_id,))
    return JSONResponse({"Message": f"Account connector {ac_id} deleted."})


async def ac_deauthenticate(request: Request) -> Response:
    c, acc_id, ac_id = _ac_or_404(request)
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
    c, _, ac_id = _ac_or_404(request)
    page, size, asc = paging(request)  # paged like every other Cyclr list (bad values: 400)
    items = c.store.properties(ac_id)
    if not asc:
        items.reverse()
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def props_add(request: Request) -> Response:
    c, acc_id, ac_id = _ac_or_404(request)
    body = await body_json(request, required=True)
    conn = c.store.connector(c.store.ac_row(acc_id, ac_id)["connector_id"])  # type: ignore[index]
    assert conn is not None  # an installed connector's library entry is never deleted
    ((name, value),) = _props_input(conn, [body])
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
    pid = _ac_id(raw)
    found = [p for p in c.store.properties(ac_id) if p["Id"] == pid]
    if not found:
        raise ApiError(404, f"Property {pid} not found.")
    return found[0]


async def prop_get(request: Request) -> Response:
    c, _, ac_id = _ac_or_404(request)
    return JSONResponse(_prop_or_404(c, ac_id, request.path_params["prop_id"]))


async def prop_update(request: Request) -> Response:
    c, _, ac_id = _ac_or_404(request)
    prop = _prop_or_404(c, ac_id, request.path_params["prop_id"])
    body = await body_json(request, required=True)
    if "Value" in body:
        prop["Value"] = opt_str(body, "Value", MAX_VALUE_LEN)
    with c.store.tx() as db:
        db.execute("UPDATE properties SET value=? WHERE id=?", (prop["Value"], prop["Id"]))
    return JSONResponse(prop)


async def prop_delete(request: Request) -> Response:
    c, _, ac_id = _ac_or_404(request)
    prop = _prop_or_404(c, ac_id, request.path_params["prop_id"])
    with c.store.tx() as db:
        db.execute("DELETE FROM properties WHERE id=?", (prop["Id"],))
    return JSONResponse({"Message": f"Property {prop['Id']} deleted."})


def routes() -> list[Route]:
    """The routes of this module (order matters: literal segments before parameters)."""
    base = "/v1.0/account/connectors/{ac_id}"
    return [
        Route("/v1.0/connectors", connectors_list, methods=["GET"]),
        Route("/v1.0/connectors/{key}", connector_get, methods=["GET"]),
        Route("/v1.0/connectors/{key}/install", install, methods=["POST"]),
        Route("/v1.0/connectors/{key}/{version}", connector_version, methods=["GET"]),
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
    ]
