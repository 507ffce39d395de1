"""Data on Demand: calling (and test-calling) a connector method through an account connector.

``GET``/``POST /v1.0/account/connectors/{id}/methods/{methodIdOrUid}`` and ``…/test/{…}`` answer
a canned, third-party-like payload per method (``{"lists": [...]}`` for a MailChimp-style list
method), the same every time for one method.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._account_connectors import int_id, lookup_records
from ._http import GUID, INT, INVALID, ApiError, Ctx, ctx, require
from ._validate import body_json

__all__ = ["DOD_REFUSED", "routes"]

# Cyclr blocks Data on Demand for non-native connectors unless support allow-lists the caller's
# IP (the `dod_ip_allowed` switch); the refusal's status and body are undocumented (Q8). Like the
# API allow-list (see _http.IP_REFUSED) we answer 403 with a message naming the IP restriction.
DOD_REFUSED = (
    "Access to this resource is restricted by IP address. Calling the methods of a connector "
    "that is not the partner's native connector needs the caller's IP to be allowed by Cyclr."
)


def _method(c: Ctx, conn_id: int, raw: str) -> dict[str, Any]:
    methods = c.store.methods(conn_id)
    if INT.match(raw):
        found = [m for m in methods if m["Id"] == int(raw)]
    elif GUID.match(raw):
        found = [m for m in methods if m["MethodUniqueIdentifier"] == raw.lower()]
    else:
        raise ApiError(400, INVALID)  # a malformed GUID is a 400 on Cyclr
    if not found:
        raise ApiError(404, f"Method '{raw}' not found.")
    return found[0]


def _inputs(body: dict[str, Any], key: str, known: set[int]) -> dict[int, str]:
    """``Parameters`` or ``Fields``: ids (as strings) to values; an unknown id is a 400.

    ASP.NET binds JSON names case-insensitively, so ``parameters`` is read as ``Parameters``.
    """
    raw = next((v for k, v in body.items() if k.lower() == key.lower()), None)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApiError(400, f"{key} must be an object of ids to values.")
    out = {}
    for k, v in raw.items():
        if not INT.match(k) or int(k) not in known:
            raise ApiError(400, f"The method has no {kind_of(key)} with id '{k}'.")
        if v is not None and not isinstance(v, (str, int, float, bool)):
            raise ApiError(400, f"The value of {kind_of(key)} '{k}' must be a string.")
        out[int(k)] = "" if v is None else str(v)
    return out


def kind_of(key: str) -> str:
    """``parameter`` or ``field``, for messages."""
    return "parameter" if key == "Parameters" else "field"


def _payload(method: dict[str, Any], params: dict[int, str], fields: dict[int, str]) -> Any:
    entity = method["Category"]
    key = entity.lower()
    records = lookup_records(method["MethodUniqueIdentifier"], entity)
    by_target = {p["TargetName"]: params.get(p["Id"]) for p in method["Parameters"]}
    if method["Name"].startswith("List"):
        count = by_target.get("count")
        if count and count.isdigit():
            records = records[: int(count)]
        return {key: records, "total_items": len(records)}
    record = dict(records[0])
    if by_target.get("id"):
        record["id"] = by_target["id"]
    for f in method["Fields"]:
        if f["Id"] in fields:
            record[f["Field"]] = fields[f["Id"]]
    return record


async def _call(request: Request) -> Response:
    acc_id = require(request, account=True)
    c = ctx(request)
    ac_id = int_id(request.path_params["dod_id"])
    row = c.store.ac_row(acc_id, ac_id)
    if row is None:
        raise ApiError(404, f"Account connector {ac_id} not found.")
    if not row["partner"] and not c.switches["dod_ip_allowed"]:
        raise ApiError(403, DOD_REFUSED)
    method = _method(c, row["connector_id"], request.path_params["method"])
    body = await body_json(request) if request.method == "POST" else {}
    params = _inputs(body, "Parameters", {p["Id"] for p in method["Parameters"]})
    fields = _inputs(body, "Fields", {f["Id"] for f in method["Fields"]})
    # The sandbox never calls out: an unauthenticated connector could not reach its third
    # party, which we answer as a 400 naming the cause (Cyclr's own status is undocumented).
    if not row["authenticated"]:
        raise ApiError(400, f"Account connector {ac_id} is not authenticated.")
    return JSONResponse(_payload(method, params, fields))


def routes() -> list[Route]:
    """The four Data on Demand routes."""
    base = "/v1.0/account/connectors/{dod_id}"
    return [
        Route(base + "/methods/{method}", _call, methods=["GET", "POST"]),
        Route(base + "/test/{method}", _call, methods=["GET", "POST"]),
    ]
