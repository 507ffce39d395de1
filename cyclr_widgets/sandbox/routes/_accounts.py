"""Accounts, sub-accounts, usage, users and sign-in tokens (partner level)."""

from __future__ import annotations

import calendar
import json
import re
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..seed import iso, new_account
from ._http import INVALID, ApiError, Ctx, ctx, listed, new_token, paging, require
from ._validate import (
    MAX_ID_LEN,
    MAX_NAME_LEN,
    MAX_TEXT_LEN,
    MAX_USERNAME_LEN,
    body_json,
    check_id,
    opt_bool,
    opt_str,
)

__all__ = ["account_or_404", "create_account", "routes", "utc_iso"]

# The account's free-text fields and their longest value (see _validate for the limits).
ACCOUNT_FIELDS = {
    "Name": MAX_NAME_LEN,
    "Description": MAX_TEXT_LEN,
    "Timezone": MAX_NAME_LEN,
    "AuditInfo": MAX_TEXT_LEN,
    "TaskAuditInfo": MAX_TEXT_LEN,
}
RETENTION = ("StepDataSuccessRetentionHours", "StepDataErroredRetentionHours")
MAX_RETENTION_HOURS = 744  # Cyclr clamps larger values to this, silently (31 days)
WEBHOOK_URL = "TransactionErrorWebhookUrl"
WEBHOOK_ON = "TransactionErrorWebhookEnabled"
NO_WEBHOOK_URL = "Transaction Error Webhook enabled: Transaction Error Webhook URL must be defined"
# ASP.NET Identity's default password rule and its wording.
MIN_PASSWORD = 6
SHORT_PASSWORD = f"Passwords must be at least {MIN_PASSWORD} characters."
ORDER = {"Id": "id", "Name": "name", "CreatedDate": "seq"}


def utc_iso(ts: float) -> str:
    """Epoch seconds as Cyclr writes a date-time (7 fractional digits, ``Z``)."""
    return iso(datetime.fromtimestamp(ts, timezone.utc))


def _next_month(ts: float) -> datetime:
    now = datetime.fromtimestamp(ts, timezone.utc)
    year, month = (now.year + 1, 1) if now.month == 12 else (now.year, now.month + 1)
    return now.replace(
        year=year, month=month, day=min(now.day, calendar.monthrange(year, month)[1])
    )


def _webhook_url(raw: str) -> str:
    """Normalise a webhook URL as Cyclr does: no scheme gets ``https://``; then it must parse."""
    url = raw if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", raw) else "https://" + raw
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", url):
        raise ApiError(400, f"{url} is not a valid URL")
    return url


def _apply_account_fields(acc: dict[str, Any], body: dict[str, Any]) -> None:
    """Apply a create or update body: a field sent as ``null`` is nulled, an absent one kept."""
    for key, max_len in ACCOUNT_FIELDS.items():
        if key in body:
            acc[key] = opt_str(body, key, max_len)
    for key in RETENTION:
        value = body.get(key)
        if key in body and value is None:
            acc[key] = None
        elif isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                raise ApiError(400, f"{key} ({value}): must be non negative")
            acc[key] = min(value, MAX_RETENTION_HOURS)
        # Another JSON type is ignored (200, value kept), as observed on Cyclr.
    for key in (WEBHOOK_ON, "TransactionErrorWebhookIncludeWarnings"):
        if key in body:
            acc[key] = bool(opt_bool(body, key))
    if WEBHOOK_URL in body:
        url = opt_str(body, WEBHOOK_URL, MAX_TEXT_LEN)
        acc[WEBHOOK_URL] = _webhook_url(url) if url else url
    # Cyclr checks the body: enabling the webhook needs a URL in the same request (missing, null
    # or "" is a 400), and the stored state may not end up enabled without one either.
    sent_url = (body.get(WEBHOOK_URL) or "") if isinstance(body.get(WEBHOOK_URL), str) else ""
    if (body.get(WEBHOOK_ON) is True and not sent_url) or (
        acc.get(WEBHOOK_ON) and not acc.get(WEBHOOK_URL)
    ):
        raise ApiError(400, NO_WEBHOOK_URL)


def create_account(c: Ctx, body: dict[str, Any], acc_id: str | None = None) -> dict[str, Any]:
    """Validate ``body`` and insert the account (400 ``ID already in use`` for a taken id)."""
    name = opt_str(body, "Name", MAX_NAME_LEN)
    if not (name or "").strip():
        raise ApiError(400, "Name is required.")
    raw_id = acc_id if acc_id is not None else opt_str(body, "Id", MAX_ID_LEN)
    new_id = str(uuid.uuid4()) if raw_id is None else check_id(raw_id)
    parent = opt_str(body, "ParentAccountId", MAX_ID_LEN)
    if parent is not None and c.store.account(parent) is None:
        raise ApiError(404, f"Account '{parent}' not found.")
    now = c.clock()
    # Accounts made through the API get a billing date, as on Cyclr: a month after creation.
    acc = new_account(
        new_id, name or "", created=utc_iso(now), parent=parent, next_bill=iso(_next_month(now))
    )
    _apply_account_fields(acc, body)
    with c.store.tx() as db:
        if db.execute("SELECT 1 FROM accounts WHERE id=?", (new_id,)).fetchone():
            raise ApiError(400, "ID already in use")
        db.execute(
            "INSERT INTO accounts (id, name, parent, data) VALUES (?, ?, ?, ?)",
            (new_id, acc["Name"], parent, json.dumps(acc)),
        )
    return acc


def account_or_404(c: Ctx, acc_id: str) -> dict[str, Any]:
    """The stored account, or a 404 in Cyclr's style."""
    acc = c.store.account(acc_id)
    if acc is None:
        raise ApiError(404, f"Account '{acc_id}' not found.")
    return acc


async def accounts_list(request: Request) -> Response:
    require(request)
    page, size, asc = paging(request)
    # orderBy is undocumented for accounts; an unknown field is a 400, not silently ignored.
    order = ORDER.get(request.query_params.get("orderBy") or "CreatedDate")
    if order is None:
        raise ApiError(400, INVALID)
    items, total = ctx(request).store.page("accounts", "1=1", (), order, not asc, page, size)
    return listed(items, total, size)


async def account_create(request: Request) -> Response:
    require(request)
    body = await body_json(request, required=True)
    return JSONResponse(create_account(ctx(request), body))


def _path_account(request: Request) -> tuple[Ctx, str, dict[str, Any]]:
    acc_id = request.path_params["account_id"]
    require(request, path_account=acc_id)
    c = ctx(request)
    return c, acc_id, account_or_404(c, acc_id)


async def account_get(request: Request) -> Response:
    return JSONResponse(_path_account(request)[2])


async def account_update(request: Request) -> Response:
    c, acc_id, acc = _path_account(request)
    body = await body_json(request, required=True)
    if "Name" in body and not (opt_str(body, "Name", MAX_NAME_LEN) or "").strip():
        raise ApiError(400, "Name is required.")
    _apply_account_fields(acc, body)  # partial update: absent fields are kept, nulls applied
    with c.store.tx() as db:
        db.execute(
            "UPDATE accounts SET name=?, data=? WHERE id=?", (acc["Name"], json.dumps(acc), acc_id)
        )
    return JSONResponse(acc)


async def account_delete(request: Request) -> Response:
    c, acc_id, _ = _path_account(request)
    with c.store.tx() as db:
        db.execute(
            "DELETE FROM custom_fields WHERE ac_id IN "
            "(SELECT id FROM account_connectors WHERE account_id=?)",
            (acc_id,),
        )
        for table in ("account_connectors", "cycles", "transactions", "incidents", "users"):
            db.execute(f"DELETE FROM {table} WHERE account_id=?", (acc_id,))
        db.execute("DELETE FROM custom_connectors WHERE account_id=?", (acc_id,))
        db.execute("DELETE FROM properties WHERE ac_id NOT IN (SELECT id FROM account_connectors)")
        db.execute("DELETE FROM accounts WHERE id=?", (acc_id,))
    return JSONResponse({"Message": f"Account '{acc_id}' deleted."})


async def subaccounts(request: Request) -> Response:
    c, acc_id, _ = _path_account(request)
    page, size, asc = paging(request)
    items, total = c.store.page("accounts", "parent=?", (acc_id,), "seq", not asc, page, size)
    return listed(items, total, size)


async def usage(request: Request) -> Response:
    """``{Id, TasksUsed, StartTime, EndTime}`` for the billing period ending at NextBillDateUtc.

    Cyclr counts one task per external call or processed step; the sandbox counts each
    transaction of the account as one task (its run history has no finer grain). A
    sub-account's tasks are not added to its parent's, as Cyclr documents.
    """
    c, acc_id, acc = _path_account(request)
    end = acc.get("NextBillDateUtc") or iso(_next_month(c.clock()))
    end_dt = datetime.fromisoformat(end.replace("Z", "")[:26]).replace(tzinfo=timezone.utc)
    row = c.store.one("SELECT COUNT(*) FROM transactions WHERE account_id=?", acc_id)
    return JSONResponse(
        {
            "Id": acc_id,
            "TasksUsed": row[0] if row else 0,
            "StartTime": iso(end_dt - timedelta(days=30)),
            "EndTime": end,
        }
    )


# -- users -----------------------------------------------------------------------------------


def _username(body: dict[str, Any]) -> str:
    name = opt_str(body, "UserName", MAX_USERNAME_LEN)
    if not (name or "").strip():
        raise ApiError(400, "UserName is required.")
    return name or ""


def _password(body: dict[str, Any]) -> str:
    password = opt_str(body, "Password", MAX_NAME_LEN)
    if not password:
        raise ApiError(400, "Password is required.")
    if len(password) < MIN_PASSWORD:
        raise ApiError(400, SHORT_PASSWORD)
    return password


async def users_list(request: Request) -> Response:
    c, acc_id, _ = _path_account(request)
    page, size, asc = paging(request)
    items = c.store.users(acc_id)
    if not asc:
        items.reverse()
    return listed(items[(page - 1) * size : page * size], len(items), size)


async def user_add(request: Request) -> Response:
    c, acc_id, _ = _path_account(request)
    body = await body_json(request, required=True)
    name, password = _username(body), _password(body)
    with c.store.tx() as db:
        if db.execute(
            "SELECT 1 FROM users WHERE account_id=? AND username=?", (acc_id, name)
        ).fetchone():
            raise ApiError(400, f"User '{name}' already exists in this account.")
        db.execute(
            "INSERT INTO users (account_id, username, password, id) VALUES (?, ?, ?, ?)",
            (acc_id, name, password, str(uuid.uuid4())),
        )
    return JSONResponse({"Message": f"User '{name}' added."})


async def user_remove(request: Request) -> Response:
    c, acc_id, _ = _path_account(request)
    body = await body_json(request, required=True)
    name = _username(body)
    with c.store.tx() as db:
        cur = db.execute("DELETE FROM users WHERE account_id=? AND username=?", (acc_id, name))
        if not cur.rowcount:
            raise ApiError(404, f"User '{name}' not found.")
    return JSONResponse({"Message": f"User '{name}' removed."})


async def user_password(request: Request) -> Response:
    """``PUT /v1.0/users``: user names are global in Cyclr, so every row of that name changes."""
    require(request)
    c = ctx(request)
    body = await body_json(request, required=True)
    name, password = _username(body), _password(body)
    with c.store.tx() as db:
        cur = db.execute("UPDATE users SET password=? WHERE username=?", (password, name))
        if not cur.rowcount:
            raise ApiError(404, f"User '{name}' not found.")
    return JSONResponse({"Message": f"Password of user '{name}' set."})


# -- sign-in tokens ----------------------------------------------------------------------------


def issue_token(
    c: Ctx, acc_id: str, username: str | None, *, token: str | None = None
) -> tuple[str, str]:
    """A single-use sign-in token (``signin_token_ttl`` seconds) and its ``ExpiresAtUtc``.

    ``username``: Cyclr creates that user when it does not exist; ``None`` creates none.
    ``token``: the token to store (default: a new one, which may hold ``+ / =``).
    """
    expires = c.clock() + int(c.switches["signin_token_ttl"])
    tok = token or new_token()
    with c.store.tx() as db:
        if username is not None:
            db.execute(
                "INSERT OR IGNORE INTO users (account_id, username, id) VALUES (?, ?, ?)",
                (acc_id, username, str(uuid.uuid4())),
            )
        db.execute("INSERT INTO signin_tokens VALUES (?, ?, ?, 0)", (tok, acc_id, expires))
    return tok, utc_iso(expires)


async def signin_token(request: Request) -> Response:
    c, acc_id, _ = _path_account(request)
    body = await body_json(request)
    # Cyclr creates the user if it is new.
    username = opt_str(body, "Username", MAX_USERNAME_LEN) or "api-user"
    tok, expires = issue_token(c, acc_id, username)
    return JSONResponse({"Token": tok, "ExpiresAtUtc": expires})


async def signin_token_old(request: Request) -> Response:
    """The older ``POST /v1.0/accounts/tokens``: account from the header, no body."""
    acc_id = require(request, account=True)
    assert acc_id is not None
    tok, expires = issue_token(ctx(request), acc_id, "api-user")
    return JSONResponse({"Token": tok, "ExpiresAtUtc": expires})


def routes() -> list[Route]:
    """The routes of this module (literal segments before parameters)."""
    acc = "/v1.0/accounts/{account_id}"
    return [
        Route("/v1.0/accounts", accounts_list, methods=["GET"]),
        Route("/v1.0/accounts", account_create, methods=["POST"]),
        Route("/v1.0/accounts/tokens", signin_token_old, methods=["POST"]),
        Route(acc, account_get, methods=["GET"]),
        Route(acc, account_update, methods=["PUT"]),
        Route(acc, account_delete, methods=["DELETE"]),
        Route(acc + "/subaccounts", subaccounts, methods=["GET"]),
        Route(acc + "/usage", usage, methods=["GET"]),
        Route(acc + "/users", users_list, methods=["GET"]),
        Route(acc + "/users", user_add, methods=["PUT"]),
        Route(acc + "/users", user_remove, methods=["DELETE"]),
        Route("/v1.0/users", user_password, methods=["PUT"]),
        Route(acc + "/signintoken", signin_token, methods=["POST"]),
    ]
