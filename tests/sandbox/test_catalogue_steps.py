"""Every catalogue row of the cycle side (#56-#102) is a route the sandbox answers with a 2xx.

Sent raw (no client), with the row's verb, its path filled with the seed's ids and a small
valid JSON body, so the sandbox half of the contract holds whatever the client does.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.catalogue import CATALOGUE, Endpoint
from tests.support.sandbox import *  # noqa: F403  (fixtures)

ROWS = [e for e in CATALOGUE if e.n.isdigit() and 56 <= int(e.n) <= 102]
PARAMS = {
    "templateId": "template_id",
    "cycleId": "cycle_id",
    "stepId": "step_id",
    "edgeId": "edge_id",
    "systemName": "variable_name",
    "transactionId": "transaction_id",
    "fieldId": "field_id",
    "parameterId": "parameter_id",
}


def _body(row: Endpoint, ids: dict[str, Any]) -> Any:
    """A small valid body for the row's verb and path (None: no body)."""
    path = row.path
    bodies: dict[tuple[str, str], Any] = {
        ("POST", "/v1.0/templates/import"): {"Name": "Imported", "Connectors": [], "Steps": []},
        ("POST", "/v1.0/cycles"): {"Name": "Catalogue cycle"},
        ("PUT", "/v1.0/cycles/{cycleId}"): {"Description": "updated"},
        ("PUT", "/v1.0/cycles/{cycleId}/activate"): {"RunOnce": True},
        ("POST", "/v1.0/cycles/{cycleId}/steps"): {"Name": "Delay", "ActionType": 4},
        ("PUT", "/v1.0/cycles/{cycleId}/steps/{stepId}"): {"Description": "updated"},
        ("POST", "/v1.0/cycles/{cycleId}/edges"): {
            "HeadStepId": ids["trigger_step_id"],
            "TailStepId": ids["step_id"],
        },
        ("POST", "/v1.0/cycles/{cycleId}/variables"): {"SystemName": "CatalogueVar", "Value": "1"},
        ("PATCH", "/v1.0/cycles/{cycleId}/variables"): [
            {"SystemName": "CatalogueVar2", "Value": "2"}
        ],
        ("PUT", "/v1.0/cycles/{cycleId}/variables/{systemName}"): {"Value": "changed"},
        ("PUT", "/v1.0/steps/{stepId}/fieldmappings/{fieldId}"): {
            "MappingType": "StaticValue",
            "Value": "fixed",
        },
        ("POST", "/v1.0/steps/{stepId}/fieldmappings/{fieldId}"): {
            "MappingType": "StaticValue",
            "Value": "fixed",
        },
        ("PUT", "/v1.0/steps/{stepId}/parameters/{parameterId}"): {
            "MappingType": "StaticValue",
            "Value": "list-1",
        },
    }
    if (row.verb, path) in bodies:
        return bodies[(row.verb, path)]
    return {} if row.verb in ("POST", "PUT", "PATCH") else None


def _fill(row: Endpoint, ids: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[PARAMS[m.group(1)]]), row.path)


def test_the_rows_are_the_cycle_side() -> None:
    assert [int(r.n) for r in ROWS] == list(range(56, 103))


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.n}-{r.verb}-{r.path}")
def test_row_is_answered_2xx(row: Endpoint, sb: Sandbox, api: httpx.Client) -> None:
    ids = sb.ids
    path = _fill(row, ids)
    body = _body(row, ids)
    r = api.request(row.verb, path, json=body) if body is not None else api.request(row.verb, path)
    assert 200 <= r.status_code < 300, (row.n, r.status_code, r.text[:300])
    assert r.json() is not None
    if row.listing:  # a paged list: a bare array with Cyclr's paging header
        assert isinstance(r.json(), list) and "Total-Pages" in r.headers
