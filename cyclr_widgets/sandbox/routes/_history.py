"""Run history (R §6.6): transactions, one transaction's step records, and incidents.

Transactions and incidents are listed per account and per cycle, with Cyclr's filters.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..seed import scrub, synth_records
from ._cycle_state import guid, load_cycle
from ._http import ApiError, ctx, listed, paging, require
from ._query import q_date, when

__all__ = ["routes"]

#: Transaction statuses. The seeded history uses the first three; Cyclr's full set is
#: undocumented (Q24), the others are the states D-stop describes (in progress, queued, stopped).
TX_STATUSES = ("Completed", "CompletedWithWarnings", "Errored", "InProgress", "Queued", "Cancelled")
#: ``splitType``: R saw ``Unsplit``; a transaction made by collection splitting (D-split) is
#: "Split" here and names its parent in ``ParentTransactionId`` (our spelling, Q24).
SPLIT_TYPES = ("Unsplit", "Split")
#: Incidents carry a time under a name the docs never show (Q26); this one follows Cyclr's
#: ``CreatedOnUtc`` of cycles.
INCIDENT_TIME = "CreatedOnUtc"


def _page(
    request: Request, table: str, where: str, args: tuple[Any, ...], time_key: str
) -> Response:
    """Filter (``after`` inclusive, ``before`` exclusive, in UTC), sort by time, page."""
    page, size, asc = paging(request)
    after, before = q_date(request, "after"), q_date(request, "before")
    extra: dict[str, str] = {}
    if table == "transactions":
        for name, key, allowed in (
            ("status", "Status", TX_STATUSES),
            ("splitType", "SplitType", SPLIT_TYPES),
        ):
            raw = request.query_params.get(name)
            if raw:
                # Matched case-insensitively (as .NET binds an enum). Cyclr's value sets are
                # undocumented (Q24), so a value the sandbox does not know is applied as a
                # filter that matches nothing, rather than refused.
                found = [v for v in allowed if v.lower() == raw.strip().lower()]
                extra[key] = found[0] if found else "\0" + raw
    rows = ctx(request).store.all(f"SELECT data FROM {table} WHERE {where} ORDER BY seq", *args)
    items: list[tuple[float, int, dict[str, Any]]] = []
    for n, r in enumerate(rows):
        item = json.loads(r["data"])
        if any(item.get(k, "Unsplit" if k == "SplitType" else None) != v for k, v in extra.items()):
            continue
        at = when(item.get(time_key) or "")
        if (after and (at is None or at < after)) or (before and (at is None or at >= before)):
            continue
        item.pop("AccountId", None)
        items.append((at.timestamp() if at else 0.0, n, item))
    ordered = [item for _, _, item in sorted(items, key=lambda p: (p[0], p[1]))]
    if not asc:
        ordered.reverse()
    return listed(ordered[(page - 1) * size : page * size], len(ordered), size)


async def transactions_all(request: Request) -> Response:
    acc_id = require(request, account=True)
    return _page(request, "transactions", "account_id=?", (acc_id,), "StartedOnUtc")


async def transactions_cycle(request: Request) -> Response:
    _, acc_id, data, _ = load_cycle(request)
    return _page(
        request, "transactions", "account_id=? AND cycle_id=?", (acc_id, data["Id"]), "StartedOnUtc"
    )


async def transaction_steps(request: Request) -> Response:
    """One transaction's step records, ``?query=`` keeping those that mention the text."""
    c, _, data, _ = load_cycle(request)
    page, size, _asc = paging(request)
    raw = request.path_params["transaction_id"]
    row = c.store.one(
        "SELECT data FROM transactions WHERE id=? AND cycle_id=?", guid(raw), data["Id"]
    )
    if row is None:
        raise ApiError(404, f"Transaction '{raw}' not found.")
    tx = json.loads(row["data"])
    stored = c.store.all("SELECT data FROM tx_steps WHERE transaction_id=? ORDER BY seq", tx["Id"])
    records = [json.loads(r["data"]) for r in stored]
    if not records:  # generated history: records made from the cycle's steps, the same each time
        steps = [
            json.loads(r["data"])
            for r in c.store.all("SELECT data FROM steps WHERE cycle_id=? ORDER BY seq", data["Id"])
        ]
        records = synth_records(tx, steps, steps[-1]["Id"] if steps else None)
    for rec in records:  # never a credential in a dump, whatever was stored
        rec["Request"], rec["Response"] = scrub(rec["Request"]), scrub(rec["Response"])
    text = (request.query_params.get("query") or "").lower()
    if text:
        keys = ("StepName", "Status", "Message", "Request", "Response")
        records = [r for r in records if any(text in str(r.get(k) or "").lower() for k in keys)]
    return listed(records[(page - 1) * size : page * size], len(records), size)


async def incidents_level(request: Request) -> Response:
    acc_id = require(request, account=True)
    level = request.path_params["level"].capitalize()
    if level not in ("Error", "Warning"):
        raise ApiError(404, f"Incident level '{request.path_params['level']}' not found.")
    return _page(request, "incidents", "account_id=? AND level=?", (acc_id, level), INCIDENT_TIME)


async def incidents_cycle(request: Request) -> Response:
    _, acc_id, data, _ = load_cycle(request)
    return _page(
        request, "incidents", "account_id=? AND cycle_id=?", (acc_id, data["Id"]), INCIDENT_TIME
    )


async def incidents_clear(request: Request) -> Response:
    c, _, data, _ = load_cycle(request)
    with c.store.tx() as db:
        db.execute("DELETE FROM incidents WHERE cycle_id=?", (data["Id"],))
    return JSONResponse({"Message": "Incidents deleted."})


def routes() -> list[Route]:
    """History routes; the account-wide ones are literals listed before ``{cycle_id}``."""
    one = "/v1.0/cycles/{cycle_id:id}"
    return [
        Route("/v1.0/cycles/transactions", transactions_all, methods=["GET"]),
        Route("/v1.0/cycles/incidents/{level}", incidents_level, methods=["GET"]),
        Route(one + "/transactions", transactions_cycle, methods=["GET"]),
        Route(one + "/transactions/{transaction_id}", transaction_steps, methods=["GET"]),
        Route(one + "/incidents", incidents_cycle, methods=["GET"]),
        Route(one + "/incidents", incidents_clear, methods=["DELETE"]),
    ]
