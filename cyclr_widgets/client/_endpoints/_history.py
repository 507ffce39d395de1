"""Operations on the run history: transactions, one transaction's step records, incidents."""

from __future__ import annotations

from datetime import datetime, timedelta

from ...core import ValidationError
from .._operation import Listing, Operation, check_guid, nothing, segment
from .._settings import When
from ._bodies import check_window, time_bounds
from ._cycles import cycle_path

__all__ = [
    "INCIDENT_WINDOW",
    "clear_cycle_incidents",
    "list_incidents",
    "list_transaction_steps",
    "list_transactions",
]

#: How far back ``incidents()`` looks unless told otherwise: a week of errors is what a
#: troubleshooting session needs, and an old account's whole history can be tens of thousands of
#: records (every one of them a page fetch away).
INCIDENT_WINDOW = timedelta(days=7)


def _text(name: str, value: object) -> str | None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValidationError(f"{name} must be a non-empty string, got {value!r}")
    return value


def list_transactions(
    account: str,
    cycle_id: str | None,
    status: str | None,
    after: When,
    before: When,
    split_type: str | None = None,
) -> Listing:
    path = (
        "/v1.0/cycles/transactions" if cycle_id is None else f"{cycle_path(cycle_id)}/transactions"
    )
    params = {
        "status": _text("status", status),
        **time_bounds(after, before),
        # R §6.6 shows splitType=Unsplit on the per-cycle list; the other values are unknown
        # (Q24), so whatever is given is sent as given, on both lists.
        "splitType": _text("split_type", split_type),
    }
    return Listing(path, "transactions", account, params)


def list_transaction_steps(
    account: str, cycle_id: str, transaction_id: str, query: str | None
) -> Listing:
    tid = segment(check_guid("transaction_id", transaction_id))
    # R §6.6: the transaction's items are its step records; `query` filters their text.
    return Listing(
        f"{cycle_path(cycle_id)}/transactions/{tid}",
        "transaction_steps",
        account,
        {"query": _text("query", query)},
    )


def list_incidents(
    account: str,
    level: str,
    cycle_id: str | None,
    after: When,
    before: When,
    window: timedelta | None = None,
    now: datetime | None = None,
) -> Listing:
    """The incidents listing; with no ``after`` and a ``window``, ``after = now - window``."""
    window = check_window(window)
    if after is None and window is not None:
        if now is None or now.tzinfo is None:
            raise ValidationError("the incidents' window needs an aware 'now'")
        after = now - window
    bounds = time_bounds(after, before)
    if cycle_id is not None:
        # R §6.6 names after/before for the level lists only; the per-cycle list gets the same
        # bounds (Cyclr's list filters are shared), and a server that ignored them would still
        # answer with every incident, as this client asked before the window existed.
        return Listing(f"{cycle_path(cycle_id)}/incidents", "incidents", account, bounds)
    if level not in ("error", "warning"):
        raise ValidationError(f"level must be 'error' or 'warning', got {level!r}")
    return Listing(f"/v1.0/cycles/incidents/{level}", "incidents", account, bounds)


def clear_cycle_incidents(account: str, cycle_id: str) -> Operation[None]:
    return Operation("DELETE", f"{cycle_path(cycle_id)}/incidents", nothing, account=account)
