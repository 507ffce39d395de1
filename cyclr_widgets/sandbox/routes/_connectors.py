"""The connector library (by id, name and version), its methods, and installing a connector."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._custom import custom_json
from ._http import INT, INVALID, ApiError, Ctx, bool_param, ctx, listed, paging, require, sort_items
from ._validate import MAX_ID_LEN, MAX_NAME_LEN, MAX_VALUE_LEN, body_json, opt_bool, opt_str

__all__ = ["auth_value_valid", "connector_key", "props_input", "refresh_authenticated", "routes"]


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


def _by_name(c: Ctx, name: str, version: str | None = None) -> list[dict[str, Any]]:
    """Every release of the connector called ``name`` (any case), or only ``version``'s."""
    found = [
        x
        for x in c.store.connectors()
        if x["Name"].lower() == name.lower()
        and (version is None or (x["Version"] or "") == version)
    ]
    if not found:
        what = f"'{name}'" + (f" version '{version}'" if version is not None else "")
        raise ApiError(404, f"Connector {what} not found.")
    return found


def connector_key(c: Ctx, key: str, version: str | None = None) -> dict[str, Any]:
    """The connector a path names (the newest release when several match).

    All-digit segments are ids, anything else a (percent-decoded, e.g. ``Access%20CRM``) name.
    """
    if version is None and INT.match(key):
        conn = c.store.connector(int(key))
        if conn is None:
            raise ApiError(404, f"Connector '{key}' not found.")
        return conn
    return _by_name(c, key, version)[-1]


def _methods_of(request: Request, conn: dict[str, Any]) -> Response:
    page, size, asc = paging(request)
    q = (request.query_params.get("query") or "").strip().lower()
    cat = (request.query_params.get("category") or "").strip().lower()
    items = [
        m
        for m in ctx(request).store.methods(conn["Id"])
        if q in m["Name"].lower() and (not cat or m["Category"].lower() == cat)
    ]
    # Undocumented default order; live Cyclr lists a connector's methods by name ([T]
    # connectors.test.js: Add, Delete, Get, List, Update Customer), so Name it is.
    sort_items(items, request.query_params.get("orderBy") or "Name", METHOD_ORDER, asc)
    return listed(items[(page - 1) * size : page * size], len(items), size)


METHOD_ORDER = ("Id", "Name", "Category", "EndPoint")
CONNECTOR_ORDER = ("Name", "Id", "Version", "Status")


async def connectors_list(request: Request) -> Response:
    acc_id = require(request, account=True)
    assert acc_id is not None
    c = ctx(request)
    page, size, asc = paging(request)
    q = (request.query_params.get("query") or "").strip().lower()
    cat = (request.query_params.get("category") or "").strip().lower()
    # Cyclr's Swagger names includeCustomConnectors without a default; opting in (false unless
    # asked) keeps the plain library the same for every account. Its custom connectors are the
    # header account's (they are created at account level).
    items = c.store.connectors()
    if bool_param(request, "includeCustomConnectors", False):
        items = items + [custom_json(x) for x in c.store.custom_connectors(acc_id)]
    items = [
        x
        for x in items
        if q in x["Name"].lower() and (not cat or cat in (k.lower() for k in x["Categories"]))
    ]
    sort_items(items, request.query_params.get("orderBy") or "Name", CONNECTOR_ORDER, asc)
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def connector_get(request: Request) -> Response:
    require(request)
    key = request.path_params["key"]
    if INT.match(key):
        return JSONResponse(connector_key(ctx(request), key))  # one object
    return JSONResponse(_by_name(ctx(request), key))  # by name: an array of its releases


async def connector_version(request: Request) -> Response:
    require(request)
    name, version = request.path_params["key"], request.path_params["version"]
    return JSONResponse(_by_name(ctx(request), name, version))


async def connector_methods(request: Request) -> Response:
    require(request)
    return _methods_of(request, connector_key(ctx(request), request.path_params["key"]))


async def connector_version_methods(request: Request) -> Response:
    require(request)
    p = request.path_params
    return _methods_of(request, connector_key(ctx(request), p["key"], p["version"]))


async def method_get(request: Request) -> Response:
    require(request)
    raw = request.path_params["method_id"]
    if not INT.match(raw):
        raise ApiError(400, INVALID)
    method = ctx(request).store.method(int(raw))
    if method is None:
        raise ApiError(404, f"Method {raw} not found.")
    return JSONResponse(method)


# Cyclr documents per-account OAuth app credentials as account connector properties named exactly
# ClientId and ClientSecret, for any OAuth connector, whether or not the connector declares them.
_OAUTH_APP_PROPERTIES = ("ClientId", "ClientSecret")


def _check_property(conn: dict[str, Any], name: str, *, known_only: bool = True) -> dict[str, Any]:
    oauth = any(a["AuthType"] in ("OAuth1", "OAuth2") for a in conn["Authentication"])
    declared = any(p["TargetName"] == name for p in conn["Parameters"])
    if oauth and name in _OAUTH_APP_PROPERTIES and not declared:
        return {"TargetName": name, "IsAccountConnectorProperty": True, "IsOptional": True}
    for p in conn["Parameters"]:
        if p["TargetName"] == name:
            if not p["IsAccountConnectorProperty"]:
                # Cyclr's exact wording (R §3.4, [T] connectors.test.js).
                raise ApiError(
                    400, f"Connector property name '{name}' is not an account connector property."
                )
            return p
    if not known_only:
        # POST …/properties takes names the connector does not declare: [T] adds one
        # ("JO-Test-Prop") with a 200, and R §3.5 names no such error there.
        return {"TargetName": name, "IsAccountConnectorProperty": True, "IsOptional": True}
    # Cyclr's exact wording (R §3.4, [T] connectors.test.js).
    raise ApiError(400, f"There is not a connector property that matches name '{name}'.")


def props_input(
    conn: dict[str, Any], raw: Any, *, known_only: bool = True
) -> list[tuple[str, str | None]]:
    """Check install or add-property input; ``known_only`` refuses undeclared names (install)."""
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
        _check_property(conn, name, known_only=known_only)
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
    conn = connector_key(c, request.path_params["key"], request.path_params.get("version"))
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
    props = props_input(conn, body.get("Properties"))
    # Marks the install as the partner's own ("native") connector (older Cyclr docs).
    native = bool(opt_bool(body, "IsPartnerIntegrationConnector"))
    with c.store.tx() as db:
        cur = db.execute(
            "INSERT INTO account_connectors (account_id, connector_id, name, description, "
            "authentication_id, auth_value, partner) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                acc_id,
                conn["Id"],
                name,
                desc,
                auth_id or conn["Authentication"][0]["Id"],
                auth_value,
                int(native),
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


def routes() -> list[Route]:
    """The library's routes (literal segments before parameters, ``methods`` before versions)."""
    return [
        Route("/v1.0/connectors", connectors_list, methods=["GET"]),
        Route("/v1.0/connectors/{key}", connector_get, methods=["GET"]),
        Route("/v1.0/connectors/{key}/methods", connector_methods, methods=["GET"]),
        Route("/v1.0/connectors/{key}/install", install, methods=["POST"]),
        Route("/v1.0/connectors/{key}/{version}", connector_version, methods=["GET"]),
        Route(
            "/v1.0/connectors/{key}/{version}/methods", connector_version_methods, methods=["GET"]
        ),
        Route("/v1.0/connectors/{key}/{version}/install", install, methods=["POST"]),
        Route("/v1.0/methods/{method_id}", method_get, methods=["GET"]),
    ]
