"""Operations on cycles: list, get, create, update, delete, activate, deactivate, prerequisites.

Also the cycles whose template has a newer release (``upgradeable``). Steps, edges and
variables are in :mod:`._steps`, the run history in :mod:`._history`.
"""

from __future__ import annotations

from typing import Any

from ...core import ValidationError
from .._operation import Listing, Operation, as_list, check_guid, nothing, segment
from ._bodies import CYCLE_SETTINGS, pascal_body
from ._templates import listing_filters

__all__ = [
    "activate_cycle",
    "create_cycle",
    "cycle_path",
    "cycle_prerequisites",
    "deactivate_cycle",
    "delete_cycle",
    "get_cycle",
    "list_cycles",
    "list_upgradeable_cycles",
    "update_cycle",
]


def list_cycles(account: str, **filters: Any) -> Listing:
    return Listing("/v1.0/cycles", "cycles", account, listing_filters(**filters))


def list_upgradeable_cycles(account: str) -> Listing:
    # A literal segment, not a cycle id (the sandbox routes it before {cycleId}).
    return Listing("/v1.0/cycles/upgradeable", "upgradeable_cycles", account)


def cycle_path(cycle_id: str) -> str:
    # A GUID, never "transactions" or "incidents": those are sibling routes under /cycles.
    return f"/v1.0/cycles/{segment(check_guid('cycle_id', cycle_id))}"


def get_cycle(account: str, cycle_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", cycle_path(cycle_id), account=account)


def _settings(what: str, settings: dict[str, Any]) -> dict[str, Any]:
    body = pascal_body(what, settings, CYCLE_SETTINGS)
    for key in ("Shareable", "LogStepDataRequests", "ContinueOnStepError"):
        if body.get(key) is not None and not isinstance(body[key], bool):
            raise ValidationError(f"{key} must be True, False or None, got {body[key]!r}")
    for key in ("StepDataSuccessRetentionHours", "StepDataErroredRetentionHours"):
        value = body.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            # None means "inherit the account's setting" (surface §8.1).
            raise ValidationError(f"{key} must be an int or None, got {value!r}")
    tags = body.get("Tags")
    if tags is not None and (
        not isinstance(tags, (list, tuple)) or not all(isinstance(t, str) for t in tags)
    ):
        raise ValidationError(f"Tags must be a list of strings, got {tags!r}")
    if tags is not None:
        body["Tags"] = list(tags)
    return body


def create_cycle(account: str, name: str, settings: dict[str, Any]) -> Operation[dict[str, Any]]:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"name must be a non-empty string, got {name!r}")
    body = _settings("create_cycle()", settings)
    if "Name" in body:
        raise TypeError("create_cycle() got the name twice (as name and as Name)")
    body = {"Name": name, **body}
    return Operation(
        "POST",
        "/v1.0/cycles",
        account=account,
        json=body,
        idempotent=False,  # a second create is a second cycle
        check=f"client.cycles({account!r}) and look for the Name {name!r}",
    )


def update_cycle(
    account: str, cycle_id: str, settings: dict[str, Any]
) -> Operation[dict[str, Any]]:
    # Partial: only what is given is sent, and an explicit None goes as null (Cyclr applies it).
    body = _settings("update_cycle()", settings)
    return Operation("PUT", cycle_path(cycle_id), account=account, json=body)


def delete_cycle(account: str, cycle_id: str) -> Operation[None]:
    return Operation("DELETE", cycle_path(cycle_id), nothing, account=account)


_INTERVALS = (1, 5, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 10080)


def activate_cycle(
    account: str, cycle_id: str, start_time: str | None, interval: int | None, run_once: bool | None
) -> Operation[None]:
    body: dict[str, Any] = {}
    if start_time is not None:
        body["StartTime"] = start_time
    if interval is not None:
        if interval not in _INTERVALS:
            raise ValidationError(f"interval must be one of {_INTERVALS} minutes, got {interval!r}")
        body["Interval"] = interval
    if run_once is not None:
        body["RunOnce"] = bool(run_once)
    return Operation("PUT", f"{cycle_path(cycle_id)}/activate", nothing, account=account, json=body)


def deactivate_cycle(account: str, cycle_id: str, finish_queued: bool | None) -> Operation[None]:
    params = (
        None
        if finish_queued is None
        else {"finishQueuedTransactions": str(bool(finish_queued)).lower()}
    )
    return Operation(
        "PUT",
        f"{cycle_path(cycle_id)}/deactivate",
        nothing,
        account=account,
        params=params,
        json={},
    )


def cycle_prerequisites(account: str, cycle_id: str) -> Operation[list[Any]]:
    return Operation("GET", f"{cycle_path(cycle_id)}/prerequisites", as_list, account=account)
