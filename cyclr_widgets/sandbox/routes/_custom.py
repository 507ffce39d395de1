"""Custom connectors of an account: list, create, get, delete (``/v1.0/account/connectors/custom``).

Cyclr documents that custom connectors can be created and deleted through the API (release note
2022-08-15) but not the body or the reply (surface doc Q15). Our choice: the body is a connector
definition (``Name`` required; ``Description``, ``Version``, ``Icon``, ``AuthType``,
``OAuth2Type``, ``AuthScheme``, ``Categories`` optional) and the reply is the connector object
the library lists, with an integer ``Id`` and ``IsCustom: true``. They are the header account's
own and join ``GET /v1.0/connectors`` with ``includeCustomConnectors=true``. There is no update
route: Cyclr's update path is unknown even in the older reference.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._http import GUID, INT, INVALID, ApiError, Ctx, ctx, listed, paging, require, sort_items
from ._validate import MAX_NAME_LEN, MAX_TEXT_LEN, MAX_VALUE_LEN, body_json, opt_str

__all__ = ["custom_json", "routes"]

AUTH_TYPES = ("ApiKey", "Basic", "OAuth1", "OAuth2", "None", "AuthFields")
OAUTH2_TYPES = ("Unknown", "AuthorisationCode", "ClientCredentials", "PasswordCredentials")


def custom_json(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored custom connector shaped like a library connector."""
    out = {k: v for k, v in doc.items() if k != "AccountId"}
    out["Authentication"] = [
        {
            "Id": f"00000000-0000-4000-8000-{doc['Id']:012d}",
            "AuthName": doc["AuthType"],
            "AuthDescription": doc.get("AuthDescription"),
            "AuthType": doc["AuthType"],
            "OAuth2Type": doc["OAuth2Type"],
            "AuthScheme": doc.get("AuthScheme"),
        }
    ]
    out.setdefault("Triggers", [])
    return out


def _custom_or_404(c: Ctx, acc_id: str, raw: str) -> dict[str, Any]:
    if not INT.match(raw):
        raise ApiError(400, INVALID)
    found = [x for x in c.store.custom_connectors(acc_id) if x["Id"] == int(raw)]
    if not found:
        raise ApiError(404, f"Custom connector {raw} not found.")
    return found[0]


def _enum(body: dict[str, Any], key: str, allowed: tuple[str, ...], default: str) -> str:
    value = opt_str(body, key, MAX_NAME_LEN)
    if value is None:
        return default
    if value not in allowed:
        raise ApiError(400, f"{key} must be one of: {', '.join(allowed)}.")
    return value


async def custom_list(request: Request) -> Response:
    acc_id = require(request, account=True)
    assert acc_id is not None
    page, size, asc = paging(request)
    items = [custom_json(x) for x in ctx(request).store.custom_connectors(acc_id)]
    sort_items(items, request.query_params.get("orderBy") or "Id", ("Id", "Name"), asc)
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def custom_create(request: Request) -> Response:
    acc_id = require(request, account=True)
    c = ctx(request)
    body = await body_json(request, required=True)
    name = opt_str(body, "Name", MAX_NAME_LEN)
    if name is None:
        # Cyclr's exact wording for a definition without a Name ([T] custom_connector.test.js).
        raise ApiError(400, "Invalid connector: (Column 'Name' cannot be null)")
    if not name.strip():
        raise ApiError(400, "Name is required.")
    uid = body.get("UniqueIdentifier")
    if uid is not None and not (isinstance(uid, str) and GUID.match(uid)):
        # [T]: an empty or non-GUID UniqueIdentifier is a 400 (its message is not recorded).
        raise ApiError(400, "UniqueIdentifier must be a GUID.")
    cats = body.get("Categories", ["Custom"])
    if not isinstance(cats, list) or not all(isinstance(x, str) and len(x) < 100 for x in cats):
        raise ApiError(400, "Categories must be an array of strings.")
    doc = {
        "AccountId": acc_id,
        "Name": name,
        "Description": opt_str(body, "Description", MAX_TEXT_LEN),
        "Status": "Approved",
        "Version": opt_str(body, "Version", MAX_NAME_LEN),
        "Icon": opt_str(body, "Icon", MAX_VALUE_LEN),
        "AuthDescription": opt_str(body, "AuthDescription", MAX_TEXT_LEN),
        "AuthType": _enum(body, "AuthType", AUTH_TYPES, "None"),
        "OAuth2Type": _enum(body, "OAuth2Type", OAUTH2_TYPES, "Unknown"),
        "AuthScheme": opt_str(body, "AuthScheme", MAX_NAME_LEN),
        "Categories": cats,
        "Parameters": [],
        "IsCustom": True,
    }
    with c.store.tx() as db:
        # Ids continue after the seeded ones (9001...), apart from the library's.
        cur = db.execute(
            "INSERT INTO custom_connectors (id, account_id, data) VALUES "
            "((SELECT MAX(9000, COALESCE(MAX(id), 9000)) + 1 FROM custom_connectors), ?, ?)",
            (acc_id, json.dumps(doc)),
        )
        new_id = int(cur.lastrowid or 0)
    return JSONResponse(custom_json({**doc, "Id": new_id}))


async def custom_get(request: Request) -> Response:
    acc_id = require(request, account=True)
    assert acc_id is not None
    c = ctx(request)
    return JSONResponse(custom_json(_custom_or_404(c, acc_id, request.path_params["custom_id"])))


async def custom_delete(request: Request) -> Response:
    acc_id = require(request, account=True)
    assert acc_id is not None
    c = ctx(request)
    doc = _custom_or_404(c, acc_id, request.path_params["custom_id"])
    with c.store.tx() as db:
        db.execute("DELETE FROM custom_connectors WHERE id=?", (doc["Id"],))
    return JSONResponse({"Message": f"Custom connector {doc['Id']} deleted."})


def routes() -> list[Route]:
    """The routes of this module (before ``/v1.0/account/connectors/{ac_id}``)."""
    base = "/v1.0/account/connectors/custom"
    return [
        Route(base, custom_list, methods=["GET"]),
        Route(base, custom_create, methods=["POST"]),
        Route(base + "/{custom_id}", custom_get, methods=["GET"]),
        Route(base + "/{custom_id}", custom_delete, methods=["DELETE"]),
    ]
