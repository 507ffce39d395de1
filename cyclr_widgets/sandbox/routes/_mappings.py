"""A step's setup (D-steps, D-param, D-fmap, R §6.5).

Its prerequisites, candidate source fields, field mappings and parameters, their lookups, and
setting them.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..seed import STEP_DATA
from ._cycle_state import guid, refuse_if_running, step_prereqs
from ._http import INT, INVALID, ApiError, Ctx, ctx, listed, paging, require
from ._validate import MAX_NAME_LEN, MAX_TEXT_LEN, body_json, opt_bool, opt_str

__all__ = ["routes"]

MAPPING_TYPES = ("Ignore", "StaticValue", "ValueList", STEP_DATA)

Step = tuple[Ctx, dict[str, Any], dict[str, Any], str]  # ctx, step, cycle document, status


def _load(request: Request) -> Step:
    """The step of ``{step_id}`` with its cycle, if that cycle belongs to the header's account."""
    acc_id = require(request, account=True)
    c = ctx(request)
    raw = request.path_params["step_id"]
    row = c.store.one(
        "SELECT s.data AS step, c.data AS cycle, c.status AS status FROM steps s "
        "JOIN cycles c ON c.id = s.cycle_id WHERE s.id=? AND c.account_id=?",
        guid(raw),
        acc_id,
    )
    if row is None:
        raise ApiError(404, f"Step '{raw}' not found.")
    return c, json.loads(row["step"]), json.loads(row["cycle"]), row["status"]


def _rows(c: Ctx, step_id: str, kind: str) -> list[dict[str, Any]]:
    rows = c.store.all(
        "SELECT data FROM step_fields WHERE step_id=? AND kind=? ORDER BY id", step_id, kind
    )
    docs = [json.loads(r["data"]) for r in rows]
    key = {"field": "Field", "param": "Parameter"}.get(kind)
    if key:
        docs.sort(key=lambda d: (d[key].get("DisplayOrder", 0), d[key]["Id"]))
    return docs


def _one(c: Ctx, step_id: str, kind: str, raw: str) -> dict[str, Any]:
    if not INT.match(raw):
        raise ApiError(400, INVALID)
    row = c.store.one(
        "SELECT data FROM step_fields WHERE step_id=? AND kind=? AND id=?", step_id, kind, int(raw)
    )
    if row is None:
        what = "Field" if kind == "field" else "Parameter"
        raise ApiError(404, f"{what} '{raw}' not found.")
    return json.loads(row["data"])  # type: ignore[no-any-return]


def _out(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def _ancestors(c: Ctx, step: dict[str, Any]) -> list[dict[str, Any]]:
    """The steps a step's data can come from: those before it along the edges."""
    edges = [
        json.loads(r["data"])
        for r in c.store.all("SELECT data FROM edges WHERE cycle_id=?", step["CycleId"])
    ]
    seen: list[str] = []
    todo = [step["Id"]]
    while todo:
        node = todo.pop()
        for e in edges:
            if e["TailStepId"] == node and e["HeadStepId"] not in [*seen, step["Id"]]:
                seen.append(e["HeadStepId"])
                todo.append(e["HeadStepId"])
    rows = c.store.all("SELECT id, data FROM steps WHERE cycle_id=? ORDER BY seq", step["CycleId"])
    return [json.loads(r["data"]) for r in rows if r["id"] in seen]


async def step_prerequisites(request: Request) -> Response:
    c, step, _, _ = _load(request)
    return JSONResponse(step_prereqs(c, step))


async def fields_for_mapping(request: Request) -> Response:
    c, step, _, _ = _load(request)
    page, size, _asc = paging(request)
    items = []
    for source in _ancestors(c, step):
        for o in _rows(c, source["Id"], "output"):
            # D-stepdata lists field descriptors; the source step is added so that a step-data
            # mapping can name it (SourceStepId + SourceFieldId).
            items.append({**o, "StepId": source["Id"], "StepName": source["Name"]})
    return listed(items[(page - 1) * size : page * size], len(items), size)


def _set(c: Ctx, step: dict[str, Any], doc: dict[str, Any], key: str, body: dict[str, Any]) -> None:
    """Apply ``{MappingType, Value, SourceStepId, SourceFieldId, ...}`` to a mapping document."""
    raw = opt_str(body, "MappingType", MAX_NAME_LEN)
    match = [m for m in MAPPING_TYPES if raw is not None and m.lower() == raw.lower()]
    if not match:
        raise ApiError(400, f"MappingType must be one of {', '.join(MAPPING_TYPES)}.")
    kind = match[0]
    value = opt_str(body, "Value", MAX_TEXT_LEN)
    trigger_value = opt_str(body, "TriggerValue", MAX_TEXT_LEN)
    trigger_name = opt_str(body, "TriggerValueDisplayName", MAX_TEXT_LEN)
    launch = opt_bool(body, "IsLaunchVisible")
    desc = doc[key]
    new: dict[str, Any] = {
        "MappingType": kind,
        "Value": None,
        "SourceStepId": None,
        "SourceFieldId": None,
    }
    new |= {"TriggerValue": None, "TriggerValueDisplayName": None}
    if kind in ("StaticValue", "ValueList"):
        if value is None:
            raise ApiError(400, "Value is required.")
        if kind == "ValueList" and value not in (desc.get("Values") or []):
            raise ApiError(400, f"Value '{value}' is not one of the {key.lower()}'s values.")
        new["Value"] = value
        # A value picked from a lookup keeps its trigger value and display name (Q21: which of
        # Value and TriggerValue Cyclr reads is undocumented; both are set).
        picked = {x["Value"]: x["Name"] for x in doc.get("_Lookup", [])}
        if trigger_value is not None or value in picked:
            new["TriggerValue"] = trigger_value if trigger_value is not None else value
            new["TriggerValueDisplayName"] = trigger_name or picked.get(new["TriggerValue"])
    elif kind == STEP_DATA:
        src_step, src_field = body.get("SourceStepId"), body.get("SourceFieldId")
        if (
            not isinstance(src_step, str)
            or isinstance(src_field, bool)
            or not isinstance(src_field, int)
        ):
            raise ApiError(400, "SourceStepId and SourceFieldId are required.")
        sources = {s["Id"]: s for s in _ancestors(c, step)}
        source = sources.get(src_step.lower())
        outputs = {o["Id"] for o in _rows(c, source["Id"], "output")} if source else set()
        if source is None or src_field not in outputs:
            raise ApiError(400, "The source field is not an output of an earlier step.")
        new |= {"SourceStepId": source["Id"], "SourceFieldId": src_field}
    doc.update(new)
    if launch is not None and key == "Field":
        doc["IsLaunchVisible"] = launch


async def _write(request: Request, kind: str) -> Response:
    c, step, cycle, status = _load(request)
    param = "field_id" if kind == "field" else "parameter_id"
    doc = _one(c, step["Id"], kind, request.path_params[param])
    body = await body_json(request, required=True)
    _set(c, step, doc, "Field" if kind == "field" else "Parameter", body)
    refuse_if_running(c, cycle, status)
    ident = doc["Field" if kind == "field" else "Parameter"]["Id"]
    with c.store.tx() as db:
        db.execute(
            "UPDATE step_fields SET data=? WHERE step_id=? AND kind=? AND id=?",
            (json.dumps(doc), step["Id"], kind, ident),
        )
    return JSONResponse(_out(doc))


async def field_mappings(request: Request) -> Response:
    c, step, _, _ = _load(request)
    page, size, _asc = paging(request)
    items = [_out(d) for d in _rows(c, step["Id"], "field")]
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def field_mapping(request: Request) -> Response:
    c, step, _, _ = _load(request)
    return JSONResponse(_out(_one(c, step["Id"], "field", request.path_params["field_id"])))


async def field_mapping_set(request: Request) -> Response:
    # D-static shows PUT, D-vlist POST (Q22): both set any MappingType.
    return await _write(request, "field")


async def field_mappings_lookup(request: Request) -> Response:
    """Refresh the step's fields (custom fields included) and return its mappings (R §6.5)."""
    c, step, _, _ = _load(request)
    await body_json(request)
    return JSONResponse([_out(d) for d in _rows(c, step["Id"], "field")])


async def parameters(request: Request) -> Response:
    c, step, _, _ = _load(request)
    page, size, _asc = paging(request)
    items = [_out(d) for d in _rows(c, step["Id"], "param")]
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def parameter(request: Request) -> Response:
    c, step, _, _ = _load(request)
    return JSONResponse(_out(_one(c, step["Id"], "param", request.path_params["parameter_id"])))


async def parameter_set(request: Request) -> Response:
    return await _write(request, "param")


async def parameter_lookup(request: Request) -> Response:
    """Run the parameter's lookup trigger: ``[{Name, Value}]`` (R §6.5)."""
    c, step, _, _ = _load(request)
    doc = _one(c, step["Id"], "param", request.path_params["parameter_id"])
    body = await body_json(request)
    triggers = doc["Parameter"].get("Triggers") or []
    if not triggers:
        raise ApiError(400, "The parameter has no lookup trigger.")
    wanted = body.get("TriggerId")
    if wanted is not None and str(wanted) not in {str(t.get("TriggerId")) for t in triggers}:
        raise ApiError(404, f"Trigger '{wanted}' not found.")
    return JSONResponse(doc.get("_Lookup", []))


def routes() -> list[Route]:
    """The ``/steps/{stepId}/...`` routes (``fieldmappings/lookup`` is a route, not a field)."""
    base = "/v1.0/steps/{step_id}"
    one_field = base + "/fieldmappings/{field_id:id}"
    one_param = base + "/parameters/{parameter_id}"
    return [
        Route(base + "/prerequisites", step_prerequisites, methods=["GET"]),
        Route(base + "/fieldsformapping", fields_for_mapping, methods=["GET"]),
        Route(base + "/fieldmappings", field_mappings, methods=["GET"]),
        Route(base + "/fieldmappings/lookup", field_mappings_lookup, methods=["POST"]),
        Route(one_field, field_mapping, methods=["GET"]),
        Route(one_field, field_mapping_set, methods=["PUT", "POST"]),
        Route(base + "/parameters", parameters, methods=["GET"]),
        Route(one_param, parameter, methods=["GET"]),
        Route(one_param, parameter_set, methods=["PUT"]),
        Route(one_param + "/lookup", parameter_lookup, methods=["POST"]),
    ]
