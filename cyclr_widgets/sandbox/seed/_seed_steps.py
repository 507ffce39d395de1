"""Steps as data: step specs (templates and generated cycles) and their instances in a cycle.

A *spec* is a step as a template holds it: a ``Key`` local to the template, the connector it
calls (``ConnectorId``), its method, its field mappings, parameters and output fields, with a
step-data mapping naming its source as ``{"StepKey", "FieldId"}``. :func:`instantiate` turns
specs into a cycle's rows (step documents with GUIDs, edges, and one row per field, parameter
and output field), the same way for the seed and for ``POST /templates/{id}/install``.
Pure functions (ids come from a given factory), so the seed stays deterministic.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

__all__ = [
    "ACTION_TYPES",
    "STEP_DATA",
    "descriptor",
    "generic_specs",
    "instantiate",
    "mapped",
    "method",
]

Spec = dict[str, Any]
Rows = list[dict[str, Any]]

#: Cyclr's step kinds. The docs name the tools (D-gloss) and show ``StepType: 1`` for a method
#: step in the error webhook, but never the ``ActionType`` numbers: these are our guess (Q20),
#: with 4 = Delay as the catalogue's example sends. Input may be the number or the name.
ACTION_TYPES: dict[int, str] = {
    1: "Action",
    2: "Decision",
    3: "WaitUntil",
    4: "Delay",
    5: "WaitAll",
    6: "Annotation",
}
#: The MappingType of a mapping from a previous step's output. Cyclr's docs name only ``Ignore``,
#: ``StaticValue`` and ``ValueList``; the step-data name is undocumented (Q22). "StepOutput" is
#: the guess of the only third-party design that needed one (S-plan).
STEP_DATA = "StepOutput"


def descriptor(
    fid: int,
    name: str,
    dtype: str = "Text",
    *,
    optional: bool = True,
    values: list[str] | None = None,
    order: int = 1,
    description: str | None = None,
    trigger: str | None = None,
) -> dict[str, Any]:
    """A field or parameter descriptor (the ``Field``/``Parameter`` object of D-fmap, D-param)."""
    return {
        "Id": fid,
        "Name": name,
        "Description": description or f"The {name} of the record.",
        "IsOptional": optional,
        "DataType": dtype,
        "TriggerName": trigger,
        "Values": values,
        "DisplayOrder": order,
        "Triggers": [],
    }


def mapped(
    desc: dict[str, Any],
    mapping_type: str = "Ignore",
    value: str | None = None,
    source: tuple[str, int] | None = None,
) -> dict[str, Any]:
    """A spec's field mapping: ``Ignore`` (unmapped), a static or listed value, or step data."""
    return {
        "Field": desc,
        "MappingType": mapping_type,
        "Value": value,
        "Source": None if source is None else {"StepKey": source[0], "FieldId": source[1]},
    }


def method(rng: random.Random, mid: int, name: str, verb: str) -> dict[str, Any]:
    """A connector method as a step names it (``MethodUniqueIdentifier`` is the stable id)."""
    uid = "%08x-%04x-11e7-%04x-%012x" % (  # noqa: UP031  (the shape of Cyclr's example uid)
        rng.getrandbits(32),
        rng.getrandbits(16),
        0x8000 | rng.getrandbits(14),
        rng.getrandbits(48),
    )
    return {"Id": mid, "Name": name, "MethodUniqueIdentifier": uid, "HttpMethod": verb}


def _trigger(rng: random.Random, key: str, conn: dict[str, Any], base: int) -> Spec:
    outputs = [
        descriptor(base + 1, "Id", order=1),
        descriptor(base + 2, "Email", order=2),
        descriptor(base + 3, "FirstName", order=3),
        descriptor(base + 4, "LastName", order=4),
        descriptor(base + 5, "UpdatedAt", "DateTime", order=5),
    ]
    return {
        "Key": key,
        "Name": f"{conn['Name']}: Get Updated Records",
        "Description": None,
        "ActionType": "Action",
        "IsTrigger": True,
        "ConnectorId": conn["Id"],
        "Method": method(rng, base // 10, "Get Updated Records", "GET"),
        "Fields": [],
        "Parameters": [],
        "Outputs": outputs,
    }


def _action(
    rng: random.Random, key: str, conn: dict[str, Any], base: int, source: str, src_base: int
) -> Spec:
    status = descriptor(base + 3, "Status", values=["Active", "Inactive"], order=3)
    return {
        "Key": key,
        "Name": f"{conn['Name']}: Create Record",
        "Description": None,
        "ActionType": "Action",
        "IsTrigger": False,
        "ConnectorId": conn["Id"],
        "Method": method(rng, base // 10, "Create Record", "POST"),
        "Fields": [
            mapped(
                descriptor(base + 1, "Email", optional=False, order=1),
                STEP_DATA,
                source=(source, src_base + 2),
            ),
            mapped(
                descriptor(base + 2, "FirstName", order=2), STEP_DATA, source=(source, src_base + 3)
            ),
            mapped(status, "ValueList", "Active"),
            mapped(descriptor(base + 4, "Notes", order=4)),
        ],
        "Parameters": [],
        "Outputs": [descriptor(base + 5, "Id", order=1)],
    }


def generic_specs(
    rng: random.Random, conns: list[dict[str, Any]]
) -> tuple[list[Spec], list[tuple[str, str]]]:
    """A trigger on the first connector, then one create step per connector, in a line.

    Every required field is mapped, so such a cycle has no prerequisites but its connectors'
    authentication.
    """
    trig_base = conns[0]["Id"] * 100
    specs = [_trigger(rng, "s1", conns[0], trig_base)]
    for n, conn in enumerate(conns, start=2):
        base = conn["Id"] * 100 + 10 * n
        specs.append(_action(rng, f"s{n}", conn, base, "s1", trig_base))
    for i, spec in enumerate(specs):
        spec["DisplayPositionLeft"], spec["DisplayPositionTop"] = 100 + 250 * i, 120
    edges = [(specs[i]["Key"], specs[i + 1]["Key"]) for i in range(len(specs) - 1)]
    return specs, edges


def instantiate(
    specs: list[Spec],
    edges: list[tuple[str, str]] | list[list[str]],
    cycle_id: str,
    ac_for: Callable[[int | None], int | None],
    new_id: Callable[[], str],
) -> tuple[Rows, Rows, Rows]:
    """A cycle's steps, edges and step-field rows from specs.

    ``ac_for(connector_id)`` gives the account connector a step uses; ``new_id()`` a GUID.
    Field and parameter ids are the spec's (in Cyclr they are the connector method's field ids,
    so two cycles of one template share them); step and edge ids are new.
    """
    ids = {s["Key"]: new_id() for s in specs}
    steps: Rows = []
    fields: Rows = []
    for s in specs:
        sid = ids[s["Key"]]
        ac = ac_for(s.get("ConnectorId"))
        steps.append(
            {
                "Id": sid,
                "CycleId": cycle_id,
                "Name": s["Name"],
                "Description": s.get("Description"),
                "ActionType": s.get("ActionType", "Action"),
                "IsTrigger": bool(s.get("IsTrigger")),
                "DisplayPositionLeft": s.get("DisplayPositionLeft", 100),
                "DisplayPositionTop": s.get("DisplayPositionTop", 120),
                "AccountConnectorId": ac,
                "Method": s.get("Method"),
            }
        )
        for f in s.get("Fields", []):
            src = f.get("Source") or {}
            doc = {
                "Field": f["Field"],
                "MappingType": f.get("MappingType", "Ignore"),
                "SourceFieldId": src.get("FieldId"),
                "SourceStepId": ids.get(src.get("StepKey", "")),
                "TriggerValue": None,
                "TriggerValueDisplayName": None,
                "Value": f.get("Value"),
                "IsLaunchVisible": False,
            }
            fields.append({"StepId": sid, "Kind": "field", "Id": f["Field"]["Id"], "Data": doc})
        for p in s.get("Parameters", []):
            param = dict(p["Parameter"])
            param["Triggers"] = [
                {**t, "AccountConnectorId": ac} for t in p["Parameter"].get("Triggers", [])
            ]
            doc = {
                "Parameter": param,
                "IsEntityIdentifier": bool(p.get("IsEntityIdentifier")),
                "MappingType": p.get("MappingType"),
                "SourceFieldId": None,
                "SourceStepId": None,
                "TriggerValue": p.get("TriggerValue"),
                "TriggerValueDisplayName": p.get("TriggerValueDisplayName"),
                "Value": p.get("Value"),
                "_Lookup": p.get("Lookup", []),
            }
            fields.append({"StepId": sid, "Kind": "param", "Id": param["Id"], "Data": doc})
        for o in s.get("Outputs", []):
            fields.append({"StepId": sid, "Kind": "output", "Id": o["Id"], "Data": o})
    edge_rows = [
        {
            "Id": new_id(),
            "CycleId": cycle_id,
            "HeadStepId": ids[h],
            "TailStepId": ids[t],
            "EdgeType": "Forward",
        }
        for h, t in edges
    ]
    return steps, edge_rows, fields
