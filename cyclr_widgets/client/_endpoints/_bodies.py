"""Request bodies and query values shared by the template, cycle, step and history operations.

Cyclr's JSON is PascalCase; the client's keyword arguments are snake_case. Each writable object
has a table of the snake_case names it knows (:data:`CYCLE_SETTINGS`, :data:`STEP_FIELDS`, ...):
a known name is renamed, a PascalCase key is sent as given (for a field Cyclr adds later), and
any other name is a ``TypeError`` before anything is sent, as a misspelt keyword argument of a
Python function would be. An explicit ``None`` stays in the body and goes out as JSON ``null``:
Cyclr applies a null in an update (it clears the field), so dropping it would lose the caller's
intent.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ...core import ValidationError
from .._operation import check_guid, check_int_id
from .._settings import When, format_when

__all__ = [
    "CYCLE_SETTINGS",
    "EDGE_FIELDS",
    "MAPPING_TYPES",
    "PARAMETER_EXTRAS",
    "STEP_FIELDS",
    "VARIABLE_FIELDS",
    "bool_param",
    "check_mapping_type",
    "check_name_segment",
    "check_window",
    "pascal",
    "pascal_body",
    "time_bounds",
]

#: ``create_cycle``/``update_cycle`` settings (R §6.2, surface §8.1; the wire names of
#: ``StepErrorAction`` and ``CollectionSplitType`` are R-only, Q17: their values are sent as given).
CYCLE_SETTINGS: Mapping[str, str] = {
    "name": "Name",
    "description": "Description",
    "shareable": "Shareable",
    "step_error_action": "StepErrorAction",
    "log_step_data_requests": "LogStepDataRequests",
    "collection_split_type": "CollectionSplitType",
    "continue_on_step_error": "ContinueOnStepError",
    "tags": "Tags",
    "step_data_success_retention_hours": "StepDataSuccessRetentionHours",
    "step_data_errored_retention_hours": "StepDataErroredRetentionHours",
}
#: A cycle step (R §6.5: ``{Name, Description, ActionType, DisplayPositionLeft, ...Top}``).
STEP_FIELDS: Mapping[str, str] = {
    "name": "Name",
    "description": "Description",
    "action_type": "ActionType",
    "display_position_left": "DisplayPositionLeft",
    "display_position_top": "DisplayPositionTop",
}
#: A cycle edge (R §6.5: ``{HeadStepId, TailStepId, EdgeType}``).
EDGE_FIELDS: Mapping[str, str] = {
    "head_step_id": "HeadStepId",
    "tail_step_id": "TailStepId",
    "edge_type": "EdgeType",
}
#: A cycle variable (R §6.5 and the Console's attributes, surface §8.8; Q23).
VARIABLE_FIELDS: Mapping[str, str] = {
    "system_name": "SystemName",
    "display_name": "DisplayName",
    "value": "Value",
    "mapping_type": "MappingType",
    "value_type": "ValueType",
    "user_configurable": "UserConfigurable",
    "description": "Description",
}
#: What ``set_step_parameter`` takes besides the mapping type and value (surface §8.6).
PARAMETER_EXTRAS: Mapping[str, str] = {
    "source_step_id": "SourceStepId",
    "source_field_id": "SourceFieldId",
    "trigger_value": "TriggerValue",
    "trigger_value_display_name": "TriggerValueDisplayName",
    "is_launch_visible": "IsLaunchVisible",
}

#: Mapping types a field mapping or a step parameter may be set to. Cyclr documents ``Ignore``
#: (unmapped), ``StaticValue`` and ``ValueList`` (surface §8.7); the name of a mapping from a
#: previous step's output is undocumented (Q22): ``StepOutput`` is S-plan's guess and the one the
#: sandbox serves. Anything else is refused before sending, so a typo is not a silent 400 later;
#: ``client.request`` reaches a type Cyclr adds.
MAPPING_TYPES = ("Ignore", "StaticValue", "ValueList", "StepOutput")


def pascal(name: str) -> str:
    """``trigger_id`` -> ``TriggerId`` (for bodies whose field names are undocumented)."""
    if name[:1].isupper():
        return name
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def pascal_body(what: str, fields: Mapping[str, Any], known: Mapping[str, str]) -> dict[str, Any]:
    """``fields`` with Cyclr's names: known snake_case renamed, PascalCase kept as given.

    Raises
    ------
    TypeError
        For a name that is neither (naming it and the known ones), or a field given twice.
    """
    body: dict[str, Any] = {}
    for key, value in fields.items():
        if key in known:
            wire = known[key]
        elif key[:1].isupper():
            wire = key
        else:
            raise TypeError(
                f"{what} got an unexpected setting {key!r}; known: {', '.join(sorted(known))} "
                "(or Cyclr's own PascalCase field names)"
            )
        if wire in body:
            raise TypeError(f"{what} got {wire} twice (as {key!r} and under another name)")
        body[wire] = value
    return body


def check_name_segment(name: str, value: object) -> str:
    """A name that goes into a path (a cycle variable's ``SystemName``), checked and stripped."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{name} must be a non-empty string, got {value!r}")
    text = value.strip()
    if text in (".", "..") or not all(" " <= c <= "~" for c in text):
        # A dot segment would be resolved away by URL normalisation: another route.
        raise ValidationError(f"{name} must be printable ASCII and not '.' or '..', got {value!r}")
    return text


def check_mapping_type(mapping_type: object) -> str:
    if mapping_type not in MAPPING_TYPES:
        raise ValidationError(
            f"mapping_type must be one of {', '.join(MAPPING_TYPES)}, got {mapping_type!r}"
        )
    assert isinstance(mapping_type, str)
    return mapping_type


def check_source(body: dict[str, Any]) -> None:
    """GUID and int checks of a mapping's source step and field, when given."""
    if body.get("SourceStepId") is not None:
        body["SourceStepId"] = check_guid("source_step_id", body["SourceStepId"])
    if body.get("SourceFieldId") is not None:
        check_int_id("source_field_id", body["SourceFieldId"])


def bool_param(value: bool | None) -> str | None:
    """A boolean query value as .NET reads it (``true``/``false``); ``None`` leaves it out."""
    return None if value is None else str(bool(value)).lower()


def check_window(window: object) -> timedelta | None:
    if window is None:
        return None
    if not isinstance(window, timedelta) or window <= timedelta(0):
        raise ValidationError(f"window must be a positive timedelta or None, got {window!r}")
    return window


def _comparable(value: When) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    return None


def time_bounds(after: When, before: When) -> dict[str, str | None]:
    """``after``/``before`` as query values (ISO 8601, :func:`format_when`), checked.

    Cyclr takes ISO 8601 everywhere a date is documented (surface §1); R §6.6 saw ``MM/DD/YYYY``
    and ``YYYY-MM-DD`` in the wild, so a string is still sent as given.

    Raises
    ------
    ValidationError
        When ``after`` is not before ``before`` (an empty interval is a mistake, not a query).
    """
    a, b = _comparable(after), _comparable(before)
    if a is not None and b is not None and a >= b:
        raise ValidationError(f"after ({after!r}) must be earlier than before ({before!r})")
    return {"after": format_when(after), "before": format_when(before)}
