"""Operations on one step (``/v1.0/steps/{stepId}``): prerequisites, field mappings, parameters.

A step id is a GUID, a field or parameter id a positive int (surface §1.1). A mapping is set
with a ``MappingType`` from :data:`._bodies.MAPPING_TYPES` and its value or source (§8.6, §8.7).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import ValidationError
from .._operation import Listing, Operation, as_list, check_guid, check_int_id, segment
from ._bodies import PARAMETER_EXTRAS, check_mapping_type, check_source, pascal, pascal_body

__all__ = [
    "get_step_field_mapping",
    "get_step_parameter",
    "list_step_field_mappings",
    "list_step_fields_for_mapping",
    "list_step_parameters",
    "lookup_step_field_mappings",
    "lookup_step_parameter",
    "set_step_field_mapping",
    "set_step_parameter",
    "step_prerequisites",
]


def _step(step_id: str) -> str:
    return f"/v1.0/steps/{segment(check_guid('step_id', step_id))}"


def _field(step_id: str, field_id: int) -> str:
    return f"{_step(step_id)}/fieldmappings/{check_int_id('field_id', field_id)}"


def _parameter(step_id: str, parameter_id: int) -> str:
    return f"{_step(step_id)}/parameters/{check_int_id('parameter_id', parameter_id)}"


def _lookup_body(body: Mapping[str, Any]) -> dict[str, Any]:
    # The lookups' bodies are R-only (``{TriggerId}`` for a parameter): snake_case names are
    # spelt the PascalCase way (trigger_id -> TriggerId), PascalCase ones sent as given.
    return {pascal(k): v for k, v in body.items()}


def _needs_value(mapping_type: str, body: dict[str, Any]) -> None:
    if mapping_type in ("StaticValue", "ValueList") and body.get("Value") is None:
        raise ValidationError(f"a {mapping_type} mapping needs a value")
    if mapping_type == "StepOutput" and (
        body.get("SourceStepId") is None or body.get("SourceFieldId") is None
    ):
        raise ValidationError("a StepOutput mapping needs source_step_id and source_field_id")


def step_prerequisites(account: str, step_id: str) -> Operation[list[Any]]:
    return Operation("GET", f"{_step(step_id)}/prerequisites", as_list, account=account)


def list_step_fields_for_mapping(account: str, step_id: str) -> Listing:
    return Listing(f"{_step(step_id)}/fieldsformapping", "step_fields_for_mapping", account)


def list_step_field_mappings(account: str, step_id: str) -> Listing:
    return Listing(f"{_step(step_id)}/fieldmappings", "step_field_mappings", account)


def get_step_field_mapping(account: str, step_id: str, field_id: int) -> Operation[dict[str, Any]]:
    return Operation("GET", _field(step_id, field_id), account=account)


def set_step_field_mapping(
    account: str,
    step_id: str,
    field_id: int,
    mapping_type: str,
    value: Any = None,
    *,
    source_step_id: str | None = None,
    source_field_id: int | None = None,
    trigger_value: str | None = None,
    verb: str = "PUT",
) -> Operation[dict[str, Any]]:
    # Cyclr's static-value page shows PUT, its value-list page POST (surface §8.7, Q22): both are
    # offered. Setting a mapping to the same value twice leaves the same state, so either verb
    # may be retried.
    if verb not in ("PUT", "POST"):
        raise ValidationError(f"verb must be 'PUT' or 'POST', got {verb!r}")
    path = _field(step_id, field_id)
    body: dict[str, Any] = {"MappingType": check_mapping_type(mapping_type)}
    for key, given in (
        ("Value", value),
        ("SourceStepId", source_step_id),
        ("SourceFieldId", source_field_id),
        ("TriggerValue", trigger_value),
    ):
        if given is not None:
            body[key] = given
    check_source(body)
    _needs_value(mapping_type, body)
    return Operation(verb, path, account=account, json=body)


def lookup_step_field_mappings(
    account: str, step_id: str, body: Mapping[str, Any]
) -> Operation[list[Any]]:
    # A lookup reads (R §6.5: it starts a custom-field lookup): safe to retry.
    return Operation(
        "POST",
        f"{_step(step_id)}/fieldmappings/lookup",
        as_list,
        account=account,
        json=_lookup_body(body),
    )


def list_step_parameters(account: str, step_id: str) -> Listing:
    return Listing(f"{_step(step_id)}/parameters", "step_parameters", account)


def get_step_parameter(account: str, step_id: str, parameter_id: int) -> Operation[dict[str, Any]]:
    return Operation("GET", _parameter(step_id, parameter_id), account=account)


def set_step_parameter(
    account: str,
    step_id: str,
    parameter_id: int,
    mapping_type: str,
    value: Any = None,
    extra: Mapping[str, Any] | None = None,
) -> Operation[dict[str, Any]]:
    # PUT with MappingType and Value (S-plan, R §6.5); whether a trigger-sourced value goes in
    # Value or TriggerValue is open (Q21), so both can be sent (trigger_value=...).
    path = _parameter(step_id, parameter_id)
    body: dict[str, Any] = {"MappingType": check_mapping_type(mapping_type)}
    if value is not None:
        body["Value"] = value
    more = pascal_body("set_step_parameter()", extra or {}, PARAMETER_EXTRAS)
    if {"MappingType", "Value"} & set(more):
        raise TypeError("set_step_parameter() takes the mapping type and value as arguments")
    body.update(more)
    check_source(body)
    _needs_value(mapping_type, body)
    return Operation("PUT", path, account=account, json=body)


def lookup_step_parameter(
    account: str, step_id: str, parameter_id: int, body: Mapping[str, Any]
) -> Operation[list[Any]]:
    # R §6.5: POST {TriggerId} answers [{Name, Value}]: a read, safe to retry.
    return Operation(
        "POST",
        f"{_parameter(step_id, parameter_id)}/lookup",
        as_list,
        account=account,
        json=_lookup_body(body),
    )
