"""Operations on a cycle's graph: its steps, the edges between them, and its variables.

All R-only (surface §8.5, §8.8; Q20, Q23): the bodies take the field names R saw (see the tables
in :mod:`._bodies`) and Cyclr's PascalCase names as given. Step and edge ids are GUIDs; a
variable is addressed by its ``SystemName``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import ValidationError
from .._operation import Listing, Operation, as_list, check_guid, nothing, segment
from ._bodies import (
    EDGE_FIELDS,
    STEP_FIELDS,
    VARIABLE_FIELDS,
    check_name_segment,
    pascal_body,
)
from ._cycles import cycle_path

__all__ = [
    "create_cycle_edge",
    "create_cycle_step",
    "create_cycle_variable",
    "delete_cycle_edge",
    "delete_cycle_step",
    "delete_cycle_variable",
    "get_cycle_edge",
    "get_cycle_step",
    "get_cycle_variable",
    "list_cycle_edges",
    "list_cycle_steps",
    "list_cycle_variables",
    "update_cycle_step",
    "update_cycle_variable",
    "upsert_cycle_variables",
]


def _create(account: str, cycle_id: str, what: str, body: Any) -> Operation[dict[str, Any]]:
    return Operation(
        "POST",
        f"{cycle_path(cycle_id)}/{what}",
        account=account,
        json=body,
        idempotent=False,  # a second create is a second object
        check=f"client.cycle_{what}({account!r}, {cycle_id!r}) for the one this call made",
    )


# -- steps -------------------------------------------------------------------------------------


def _step_path(cycle_id: str, step_id: str) -> str:
    return f"{cycle_path(cycle_id)}/steps/{segment(check_guid('step_id', step_id))}"


def list_cycle_steps(account: str, cycle_id: str) -> Listing:
    return Listing(f"{cycle_path(cycle_id)}/steps", "cycle_steps", account)


def create_cycle_step(
    account: str, cycle_id: str, step: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    body = pascal_body("create_cycle_step()", step, STEP_FIELDS)
    return _create(account, cycle_id, "steps", body)


def get_cycle_step(account: str, cycle_id: str, step_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", _step_path(cycle_id, step_id), account=account)


def update_cycle_step(
    account: str, cycle_id: str, step_id: str, step: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    # Partial, as update_cycle: an explicit None goes as null.
    body = pascal_body("update_cycle_step()", step, STEP_FIELDS)
    return Operation("PUT", _step_path(cycle_id, step_id), account=account, json=body)


def delete_cycle_step(account: str, cycle_id: str, step_id: str) -> Operation[None]:
    return Operation("DELETE", _step_path(cycle_id, step_id), nothing, account=account)


# -- edges -------------------------------------------------------------------------------------


def _edge_path(cycle_id: str, edge_id: str) -> str:
    return f"{cycle_path(cycle_id)}/edges/{segment(check_guid('edge_id', edge_id))}"


def list_cycle_edges(account: str, cycle_id: str) -> Listing:
    return Listing(f"{cycle_path(cycle_id)}/edges", "cycle_edges", account)


def create_cycle_edge(
    account: str, cycle_id: str, edge: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    body = pascal_body("create_cycle_edge()", edge, EDGE_FIELDS)
    for key, name in (("HeadStepId", "head_step_id"), ("TailStepId", "tail_step_id")):
        if key not in body:
            raise ValidationError(f"create_cycle_edge() needs {name} (the step ids it joins)")
        body[key] = check_guid(name, body[key])
    return _create(account, cycle_id, "edges", body)


def get_cycle_edge(account: str, cycle_id: str, edge_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", _edge_path(cycle_id, edge_id), account=account)


def delete_cycle_edge(account: str, cycle_id: str, edge_id: str) -> Operation[None]:
    return Operation("DELETE", _edge_path(cycle_id, edge_id), nothing, account=account)


# -- variables ---------------------------------------------------------------------------------


def _variable_path(cycle_id: str, system_name: str) -> str:
    name = check_name_segment("system_name", system_name)
    return f"{cycle_path(cycle_id)}/variables/{segment(name)}"


def _variable(what: str, variable: Mapping[str, Any], *, named: bool) -> dict[str, Any]:
    body = pascal_body(what, variable, VARIABLE_FIELDS)
    if named:
        body["SystemName"] = check_name_segment("SystemName", body.get("SystemName"))
    return body


def list_cycle_variables(account: str, cycle_id: str) -> Listing:
    return Listing(f"{cycle_path(cycle_id)}/variables", "cycle_variables", account)


def create_cycle_variable(
    account: str, cycle_id: str, variable: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    body = _variable("create_cycle_variable()", variable, named=True)
    return _create(account, cycle_id, "variables", body)


def upsert_cycle_variables(account: str, cycle_id: str, variables: object) -> Operation[list[Any]]:
    if (
        not isinstance(variables, (list, tuple))
        or not variables
        or not all(isinstance(v, Mapping) for v in variables)
    ):
        raise ValidationError("variables must be a non-empty list of dicts (one per variable)")
    body = [_variable("upsert_cycle_variables()", v, named=True) for v in variables]
    # An upsert keyed by SystemName: sending it twice leaves the same state, so it may be retried.
    return Operation(
        "PATCH", f"{cycle_path(cycle_id)}/variables", as_list, account=account, json=body
    )


def get_cycle_variable(account: str, cycle_id: str, system_name: str) -> Operation[dict[str, Any]]:
    return Operation("GET", _variable_path(cycle_id, system_name), account=account)


def update_cycle_variable(
    account: str, cycle_id: str, system_name: str, variable: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    body = _variable("update_cycle_variable()", variable, named=False)
    return Operation("PUT", _variable_path(cycle_id, system_name), account=account, json=body)


def delete_cycle_variable(account: str, cycle_id: str, system_name: str) -> Operation[None]:
    return Operation("DELETE", _variable_path(cycle_id, system_name), nothing, account=account)
