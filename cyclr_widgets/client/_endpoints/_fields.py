"""Operations on an account connector's custom fields (R §3.5; paths and body from R only, Q14).

A field is given as keyword arguments in Cyclr's PascalCase (``DisplayName=``) or snake_case
(``display_name=``); both become Cyclr's field names, and an unknown name is a ``TypeError``
before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import ValidationError
from .._operation import Listing, Operation, check_int_id, nothing
from ._connectors import ac_path, seal_body

__all__ = [
    "FIELD_NAMES",
    "add_field",
    "delete_field",
    "field_body",
    "get_field",
    "list_fields",
    "update_field",
]

#: snake_case -> Cyclr's custom field body names (R §3.5).
FIELD_NAMES: dict[str, str] = {
    "connector_field": "ConnectorField",
    "system_field": "SystemField",
    "display_name": "DisplayName",
    "description": "Description",
    "data_type": "DataType",
    "method_unique_identifier": "MethodUniqueIdentifier",
    "data_type_format": "DataTypeFormat",
    "entity_identifier": "EntityIdentifier",
    "for_request_format": "ForRequestFormat",
}
_PASCAL = frozenset(FIELD_NAMES.values())


def field_body(field: Mapping[str, Any], what: str) -> dict[str, Any]:
    """Cyclr's body for a custom field from PascalCase or snake_case keys."""
    body: dict[str, Any] = {}
    for key, value in field.items():
        name = key if key in _PASCAL else FIELD_NAMES.get(key)
        if name is None:
            raise TypeError(
                f"{what}() got an unexpected keyword argument {key!r}; known: "
                f"{', '.join(sorted(_PASCAL))} (or their snake_case forms)"
            )
        if name in body:
            raise TypeError(f"{what}() got {name} twice (PascalCase and snake_case)")
        body[name] = value
    return seal_body(body)


def _fields_path(ac_id: int) -> str:
    return f"{ac_path(ac_id)}/fields"


def _field_path(ac_id: int, field_id: int) -> str:
    return f"{_fields_path(ac_id)}/{check_int_id('field_id', field_id)}"


def list_fields(account: str, ac_id: int) -> Listing:
    return Listing(_fields_path(ac_id), "account_connector_fields", account)


def add_field(account: str, ac_id: int, field: Mapping[str, Any]) -> Operation[dict[str, Any]]:
    path = _fields_path(ac_id)
    body = field_body(field, "add_account_connector_field")
    if not body.get("ConnectorField"):
        raise ValidationError("a custom field needs ConnectorField (the connector field's path)")
    # A second POST could add the field twice: no blind retry.
    return Operation(
        "POST",
        path,
        account=account,
        json=body,
        idempotent=False,
        check=f"client.account_connector_fields({account!r}, {ac_id!r})",
    )


def get_field(account: str, ac_id: int, field_id: int) -> Operation[dict[str, Any]]:
    return Operation("GET", _field_path(ac_id, field_id), account=account)


def update_field(
    account: str, ac_id: int, field_id: int, field: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    path = _field_path(ac_id, field_id)
    body = field_body(field, "update_account_connector_field")
    if not body:
        raise ValidationError("nothing to update: give at least one field (DisplayName=...)")
    return Operation("PUT", path, account=account, json=body)


def delete_field(account: str, ac_id: int, field_id: int) -> Operation[None]:
    return Operation("DELETE", _field_path(ac_id, field_id), nothing, account=account)
