"""What the bad-input corpus (``test_bad_input.py``) must know about the cycle-side routes.

Kept apart from the corpus so the two sandbox halves (connectors, cycles) each add their notes
in a file of their own; ``test_bad_input.py`` merges these sets into its own.
"""

from __future__ import annotations

from typing import Any

from cyclr_widgets.sandbox import Sandbox

CYC, TPL = "/v1.0/cycles/{cycle_id}", "/v1.0/templates/{template_id}"
STEP = "/v1.0/steps/{step_id}"
S, B = "str", "bool"

Key = tuple[str, str]
PARTNER_LEVEL: set[Key] = {("GET", TPL + "/export"), ("POST", "/v1.0/templates/import")}
OPTIONAL_BODY: set[Key] = {
    ("POST", STEP + "/fieldmappings/lookup"),
    ("POST", STEP + "/parameters/{parameter_id}/lookup"),
}
MAPPING = ({"MappingType": "StaticValue", "Value": "v"}, {"MappingType": S, "Value": S})
FIELDS: dict[Key, tuple[dict[str, Any], dict[str, str]]] = {
    ("POST", "/v1.0/cycles"): (
        {"Name": "c"},
        {"Name": S, "Description": S, "Shareable": B, "LogStepDataRequests": B},
    ),
    ("PUT", CYC): ({}, {"Name": S, "Description": S, "StepErrorAction": S, "Shareable": B}),
    ("POST", TPL + "/install"): ({}, {"Name": S}),
    ("POST", "/v1.0/templates/import"): ({"Name": "i"}, {"Name": S, "Description": S}),
    ("POST", CYC + "/steps"): ({"Name": "n", "ActionType": 4}, {"Name": S, "Description": S}),
    ("PUT", CYC + "/steps/{step_id}"): ({}, {"Name": S, "Description": S}),
    ("POST", CYC + "/edges"): (
        {"HeadStepId": "", "TailStepId": ""},  # filled by update_fields
        {"HeadStepId": S, "TailStepId": S, "EdgeType": S},
    ),
    ("POST", CYC + "/variables"): ({"SystemName": "NewVar"}, {"SystemName": "id", "Value": S}),
    ("PUT", CYC + "/variables/{system_name}"): ({}, {"Value": S, "DisplayName": S}),
    ("PUT", STEP + "/fieldmappings/{field_id}"): MAPPING,
    ("POST", STEP + "/fieldmappings/{field_id}"): MAPPING,
    ("PUT", STEP + "/parameters/{parameter_id}"): MAPPING,
}
QUERY_DEFECTS: dict[Key, list[dict[str, str]]] = {
    ("GET", "/v1.0/templates"): [{"orderBy": "Nope"}, {"includeIcons": "yes"}],
    ("GET", "/v1.0/cycles"): [{"orderBy": "Nope"}, {"includeIcons": "1"}],
    ("POST", "/v1.0/templates/import"): [{"folderid": "x"}],
    ("GET", "/v1.0/cycles/transactions"): [
        {"after": "yesterday"},
        {"before": "2024-13-01"},
        {"after": "31/12/2024"},
    ],
    ("GET", CYC + "/transactions"): [{"after": "2024-02-30"}],
    ("GET", "/v1.0/cycles/incidents/{level}"): [{"after": "soon"}, {"before": "1/1"}],
    ("GET", CYC + "/incidents"): [{"after": "x"}],
    ("GET", CYC + "/steps"): [{"filter": "Nope"}],
}


def world_ids(sb: Sandbox) -> dict[str, str]:
    """Valid path parameters of the cycle-side routes (the troubleshooting cycle)."""
    ids = sb.ids
    return {
        "cycle_id": ids["cycle_id"],  # paused, no prerequisites: activatable
        "template_id": ids["template_id"],
        "step_id": ids["step_id"],
        "edge_id": ids["edge_id"],
        "system_name": ids["variable_name"],
        "field_id": str(ids["field_id"]),
        "parameter_id": str(ids["parameter_id"]),
        "transaction_id": ids["transaction_id"],
    }


def update_fields(sb: Sandbox) -> None:
    """Fill the valid bodies that need seeded ids."""
    step = sb.ids["step_id"]
    FIELDS[("POST", CYC + "/edges")][0].update(HeadStepId=step, TailStepId=step)
