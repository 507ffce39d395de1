"""Data on Demand through an account connector: lookup triggers and method calls (R §6.7).

``call_method`` and ``test_method`` reach the third party through Cyclr. A ``GET`` (no body)
reads; a ``POST`` with ``{"Parameters": {...}, "Fields": {...}}`` (ids as string keys, string
values) may write at the third party, so it is never retried blindly. For non-native
connectors Cyclr refuses these calls from IPs its support has not allowed
(``IPRestrictionError``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from ...core import AuthValue, ValidationError
from .._operation import Operation, as_list, check_guid, check_int_id, segment
from ._connectors import ac_path, seal_body

__all__ = ["call_method", "check_method", "run_trigger", "string_map"]

_SPECIALS = frozenset("/\\?#%")


def check_trigger_id(value: object) -> str:
    """A trigger id: a positive int or a non-empty string that is safe as one path segment."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(check_int_id("trigger_id", value))
    if (
        isinstance(value, str)
        and value.strip()
        and value.strip() not in (".", "..")
        and _SPECIALS.isdisjoint(value)
        and value.isprintable()
    ):
        return value.strip()
    raise ValidationError(f"trigger_id must be a positive int or an id string, got {value!r}")


def check_method(value: object) -> str:
    """A method: its int ``Id`` or its ``MethodUniqueIdentifier`` GUID (stable across releases)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(check_int_id("method", value))
    if isinstance(value, (str, uuid.UUID)):
        return check_guid("method", value)
    raise ValidationError(
        f"method must be an int Id or a MethodUniqueIdentifier GUID, got {type(value).__name__}"
    )


def run_trigger(
    account: str, ac_id: int, trigger_id: int | str, body: Mapping[str, Any]
) -> Operation[list[Any]]:
    path = f"{ac_path(ac_id)}/triggers/{segment(check_trigger_id(trigger_id))}"
    # A lookup trigger only reads the third party's options (R §3.5), so a retry is safe.
    return Operation("POST", path, as_list, account=account, json=seal_body(dict(body)))


def _text(value: object, what: str) -> str | AuthValue:
    if isinstance(value, (str, AuthValue)):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"  # Cyclr's own example: {"400123": "true"}
    if isinstance(value, (int, float)):
        return str(value)
    raise ValidationError(
        f"{what} values must be strings (or numbers, booleans), got {type(value).__name__}"
    )


def string_map(values: object, what: str) -> dict[str, str | AuthValue]:
    """``{id: value}`` with the ids as string keys and the values as strings (Cyclr's shape)."""
    if not isinstance(values, Mapping):
        raise ValidationError(
            f"{what} must be a dict of {{id: value}}, got {type(values).__name__}"
        )
    out: dict[str, str | AuthValue] = {}
    for key, value in values.items():
        if isinstance(key, bool) or not isinstance(key, (int, str)) or not str(key).strip():
            raise ValidationError(f"{what} keys must be ids (int or str), got {key!r}")
        out[str(key).strip()] = _text(value, what)
    return out


def call_method(
    account: str,
    ac_id: int,
    method: int | str | uuid.UUID,
    parameters: Mapping[Any, Any] | None,
    fields: Mapping[Any, Any] | None,
    test: bool,
) -> Operation[Any]:
    path = f"{ac_path(ac_id)}/{'test' if test else 'methods'}/{segment(check_method(method))}"
    if parameters is None and fields is None:
        return Operation("GET", path, account=account)
    body = {
        "Parameters": {} if parameters is None else string_map(parameters, "parameters"),
        "Fields": {} if fields is None else string_map(fields, "fields"),
    }
    name = "test_method" if test else "call_method"
    return Operation(
        "POST",
        path,
        account=account,
        json=body,
        idempotent=False,
        check=f"the third party's data ({name} may have written to it)",
    )
