"""Operations on templates, cycles and their run history (transactions, incidents)."""

from __future__ import annotations

from typing import Any

from ...core import ValidationError
from .._operation import Listing, Operation, as_list, check_guid, nothing, segment

__all__ = [
    "activate_cycle",
    "cycle_prerequisites",
    "deactivate_cycle",
    "get_cycle",
    "install_template",
    "list_cycles",
    "list_incidents",
    "list_templates",
    "list_transactions",
]


# -- templates and cycles ------------------------------------------------------------------


def list_templates(account: str | None) -> Listing:
    return Listing("/v1.0/templates", "templates", account)


def install_template(account: str, template_id: str) -> Operation[dict[str, Any]]:
    tid = check_guid("template_id", template_id)
    return Operation(
        "POST",
        f"/v1.0/templates/{segment(tid)}/install",
        account=account,
        json={},
        idempotent=False,
        check=f"client.cycles({account!r}) and look for TemplateId",
    )


def list_cycles(account: str) -> Listing:
    return Listing("/v1.0/cycles", "cycles", account)


def _cycle_path(cycle_id: str) -> str:
    # A GUID, never "transactions" or "incidents": those are sibling routes under /cycles.
    return f"/v1.0/cycles/{segment(check_guid('cycle_id', cycle_id))}"


def get_cycle(account: str, cycle_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", _cycle_path(cycle_id), account=account)


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
    return Operation(
        "PUT", f"{_cycle_path(cycle_id)}/activate", nothing, account=account, json=body
    )


def deactivate_cycle(account: str, cycle_id: str, finish_queued: bool | None) -> Operation[None]:
    params = (
        None
        if finish_queued is None
        else {"finishQueuedTransactions": str(bool(finish_queued)).lower()}
    )
    return Operation(
        "PUT",
        f"{_cycle_path(cycle_id)}/deactivate",
        nothing,
        account=account,
        params=params,
        json={},
    )


def cycle_prerequisites(account: str, cycle_id: str) -> Operation[list[Any]]:
    return Operation("GET", f"{_cycle_path(cycle_id)}/prerequisites", as_list, account=account)


def list_transactions(
    account: str, cycle_id: str | None, status: str | None, after: str | None, before: str | None
) -> Listing:
    path = (
        "/v1.0/cycles/transactions" if cycle_id is None else f"{_cycle_path(cycle_id)}/transactions"
    )
    return Listing(
        path, "transactions", account, {"status": status, "after": after, "before": before}
    )


def list_incidents(
    account: str, level: str, cycle_id: str | None, after: str | None, before: str | None
) -> Listing:
    if cycle_id is not None:
        return Listing(f"{_cycle_path(cycle_id)}/incidents", "incidents", account)
    if level not in ("error", "warning"):
        raise ValidationError(f"level must be 'error' or 'warning', got {level!r}")
    return Listing(
        f"/v1.0/cycles/incidents/{level}", "incidents", account, {"after": after, "before": before}
    )
