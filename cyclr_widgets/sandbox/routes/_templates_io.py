"""Checking an imported template definition (the shape ``GET /templates/{id}/export`` gives).

Anything the sandbox could not install later (a wrong type, a step naming a missing step, a
connector release the library lacks) is Cyclr's one message, "Failed to import template." (R
§6.1), before anything is stored. Cyclr installs missing connector versions on import (D-rn
2023-04/05); the sandbox's library is fixed, so a release it does not have is such a failure.
"""

from __future__ import annotations

from typing import Any

from ..seed import ACTION_TYPES
from ._http import ApiError
from ._validate import MAX_NAME_LEN, MAX_TEXT_LEN

__all__ = ["check_import"]

FAILED = "Failed to import template."
MAX_STEPS = 200  # our cap: a template is a diagram, not a data set


def _fail() -> ApiError:
    return ApiError(400, FAILED)


def _text(value: Any, max_len: int, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > max_len or (not optional and not value.strip()):
        raise _fail()
    return value


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**53:
        raise _fail()
    return value


def _descriptor(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail()
    values = value.get("Values")
    if values is not None and not (
        isinstance(values, list) and all(isinstance(v, str) for v in values)
    ):
        raise _fail()
    return {
        "Id": _int(value.get("Id")),
        "Name": _text(value.get("Name"), MAX_NAME_LEN, optional=False),
        "Description": _text(value.get("Description"), MAX_TEXT_LEN),
        "IsOptional": value.get("IsOptional", True) is not False,
        "DataType": _text(value.get("DataType"), MAX_NAME_LEN) or "Text",
        "TriggerName": _text(value.get("TriggerName"), MAX_NAME_LEN),
        "Values": values,
        "DisplayOrder": _int(value.get("DisplayOrder", 1)),
        "Triggers": [],
    }


def _mapping(value: Any, key: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail()
    source = value.get("Source")
    if source is not None:
        if not isinstance(source, dict) or source.get("StepKey") not in keys:
            raise _fail()
        source = {"StepKey": source["StepKey"], "FieldId": _int(source.get("FieldId"))}
    out = {
        key: _descriptor(value.get(key)),
        "MappingType": _text(value.get("MappingType"), MAX_NAME_LEN),
        "Value": _text(value.get("Value"), MAX_TEXT_LEN),
        "Source": source,
    }
    return out


def _step(value: Any, keys: set[str], library: dict[tuple[str, Any], int]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail()
    kind = value.get("ActionType", "Action")
    if isinstance(kind, int) and not isinstance(kind, bool):
        kind = ACTION_TYPES.get(kind)
    if kind not in ACTION_TYPES.values():
        raise _fail()
    conn = value.get("Connector")
    conn_id = None
    if conn is not None:
        if not isinstance(conn, dict):
            raise _fail()
        conn_id = library.get((str(conn.get("Name", "")).lower(), conn.get("Version")))
        if conn_id is None:
            raise _fail()
    lists = {k: value.get(k) or [] for k in ("Fields", "Parameters", "Outputs")}
    if not all(isinstance(v, list) for v in lists.values()):
        raise _fail()
    method = value.get("Method")
    if method is not None and not isinstance(method, dict):
        raise _fail()
    return {
        "Key": _text(value.get("Key"), MAX_NAME_LEN, optional=False),
        "Name": _text(value.get("Name"), MAX_NAME_LEN, optional=False),
        "Description": _text(value.get("Description"), MAX_TEXT_LEN),
        "ActionType": kind,
        "IsTrigger": value.get("IsTrigger") is True,
        "ConnectorId": conn_id,
        "Method": method
        and {
            "Id": _int(method.get("Id", 0)),
            "Name": _text(method.get("Name"), MAX_NAME_LEN) or "Method",
            "MethodUniqueIdentifier": _text(method.get("MethodUniqueIdentifier"), MAX_NAME_LEN),
            "HttpMethod": _text(method.get("HttpMethod"), 10) or "GET",
        },
        "Fields": [_mapping(f, "Field", keys) for f in lists["Fields"]],
        "Parameters": [_mapping(p, "Parameter", keys) for p in lists["Parameters"]],
        "Outputs": [_descriptor(o) for o in lists["Outputs"]],
        "DisplayPositionLeft": _int(value.get("DisplayPositionLeft", 100)),
        "DisplayPositionTop": _int(value.get("DisplayPositionTop", 120)),
    }


def check_import(body: dict[str, Any], connectors: list[dict[str, Any]]) -> dict[str, Any]:
    """The stored template made from an import body, or a 400 "Failed to import template."."""
    library = {(c["Name"].lower(), c["Version"]): c["Id"] for c in connectors}
    by_id = {c["Id"]: c for c in connectors}
    raw_conns, raw_steps = body.get("Connectors", []), body.get("Steps", [])
    raw_edges, raw_tags = body.get("Edges", []), body.get("Tags", [])
    if not all(isinstance(x, list) for x in (raw_conns, raw_steps, raw_edges, raw_tags)):
        raise _fail()
    if len(raw_steps) > MAX_STEPS or not all(isinstance(t, str) for t in raw_tags):
        raise _fail()
    conns: list[dict[str, Any]] = []
    for rc in raw_conns:
        if not isinstance(rc, dict):
            raise _fail()
        cid = library.get((str(rc.get("Name", "")).lower(), rc.get("Version")))
        if cid is None:
            raise _fail()
        conns.append(by_id[cid])
    keys = {s.get("Key") for s in raw_steps if isinstance(s, dict)}
    steps = [_step(s, keys, library) for s in raw_steps]  # type: ignore[arg-type]
    if len({s["Key"] for s in steps}) != len(steps):
        raise _fail()
    edges = []
    for e in raw_edges:
        if not isinstance(e, dict) or e.get("HeadStepKey") not in keys:
            raise _fail()
        if e.get("TailStepKey") not in keys:
            raise _fail()
        edges.append([e["HeadStepKey"], e["TailStepKey"]])
    for s in steps:  # a step's connector must be one of the template's
        if s["ConnectorId"] is not None and s["ConnectorId"] not in {c["Id"] for c in conns}:
            raise _fail()
    return {
        "Name": _text(body.get("Name"), MAX_NAME_LEN, optional=False),
        "Description": _text(body.get("Description"), MAX_TEXT_LEN),
        "Connectors": [
            {
                "Id": c["Id"],
                "Name": c["Name"],
                "Version": c["Version"],
                "StepCount": sum(1 for s in steps if s["ConnectorId"] == c["Id"]),
                "Icon": c.get("Icon"),
            }
            for c in conns
        ],
        "Tags": raw_tags,
        "_Steps": steps,
        "_Edges": edges,
        "_Variables": [],
        "_Release": 1,
    }
