"""The API origin: ``/oauth/token``, accounts, sign-in tokens, and the app joining all routes."""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from ..seed import iso, new_account
from . import _connectors, _cycles
from ._guard import guard
from ._http import INVALID, ApiError, Ctx, ctx, form_body, listed, paging, require
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

__all__ = ["build_api_app", "new_token"]

# The account's free-text fields and their longest value (see _validate for the limits).
ACCOUNT_FIELDS = {
    "Name": MAX_NAME_LEN,
    "Description": MAX_TEXT_LEN,
    "Timezone": MAX_NAME_LEN,
    "AuditInfo": MAX_TEXT_LEN,
    "TaskAuditInfo": MAX_TEXT_LEN,
    "TransactionErrorWebhookUrl": MAX_TEXT_LEN,
}


def new_token() -> str:
    """A Cyclr-looking opaque token: standard base64, so it sometimes has ``+``, ``/`` or ``=``."""
    # 24 bytes encode without padding, 25 with "==", 26 with "=": vary it like Cyclr's tokens.
    return base64.b64encode(secrets.token_bytes(24 + secrets.randbelow(3))).decode()


async def token(request: Request) -> Response:
    c = ctx(request)
    form = form_body(await request.body())
    # Cyclr does not document its token errors; these follow RFC 6749 §5.2,
    # which OWIN's OAuth server (Cyclr is .NET) emits.
    if form.get("grant_type") != "client_credentials":
        return JSONResponse({"error": "unsupported_grant_type"}, 400)
    if form.get("client_id") != c.client_id or form.get("client_secret") != c.client_secret:
        return JSONResponse({"error": "invalid_client"}, 400)
    scope = form.get("scope", "")
    account = scope.removeprefix("account:") if scope.startswith("account:") else None
    if scope and (account is None or c.store.account(account) is None):
        return JSONResponse({"error": "invalid_scope"}, 400)
    now = c.clock()
    ttl = int(c.switches["token_ttl"])
    tok = new_token()
    with c.store.tx() as db:
        db.execute("INSERT INTO api_tokens VALUES (?, ?, ?)", (tok, now + ttl, account))
    issued = datetime.fromtimestamp(now, timezone.utc)
    expires = datetime.fromtimestamp(now + ttl, timezone.utc)
    return JSONResponse(
        {
            "access_token": tok,
            "token_type": "bearer",
            "expires_in": ttl,
            "clientId": c.client_id,
            ".issued": format_datetime(issued, usegmt=True),
            ".expires": format_datetime(expires, usegmt=True),
        },
        headers={"Cache-Control": "no-store"},
    )


ORDER = {"Id": "id", "Name": "name", "CreatedDate": "seq"}


async def accounts_list(request: Request) -> Response:
    require(request)
    page, size, asc = paging(request)
    order = ORDER.get(request.query_params.get("orderBy") or "CreatedDate")
    if order is None:
        raise ApiError(400, INVALID)
    items, total = ctx(request).store.page("accounts", "1=1", (), order, not asc, page, size)
    return listed(items, total, size)


def _apply_account_fields(acc: dict[str, Any], body: dict[str, Any]) -> None:
    for key, max_len in ACCOUNT_FIELDS.items():
        if key in body:
            acc[key] = opt_str(body, key, max_len)
    for key in ("StepDataSuccessRetentionHours", "StepDataErroredRetentionHours"):
        value = body.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                raise ApiError(400, f"{key} ({value}): must be non negative")
            acc[key] = min(value, 744)  # Cyclr clamps silently
    for key in ("TransactionErrorWebhookEnabled", "TransactionErrorWebhookIncludeWarnings"):
        if key in body:
            acc[key] = bool(opt_bool(body, key))
    if (
        acc.get("TransactionErrorWebhookEnabled")
        and not (acc.get("TransactionErrorWebhookUrl") or "").strip()
    ):
        raise ApiError(
            400, "Transaction Error Webhook enabled: Transaction Error Webhook URL must be defined"
        )


async def account_create(request: Request) -> Response:
    require(request)
    c = ctx(request)
    body = await body_json(request, required=True)
    name = opt_str(body, "Name", MAX_NAME_LEN)
    if not (name or "").strip():
        raise ApiError(400, "Name is required.")
    raw_id = opt_str(body, "Id", MAX_ID_LEN)
    acc_id = str(uuid.uuid4()) if raw_id is None else check_id(raw_id)
    parent = opt_str(body, "ParentAccountId", MAX_ID_LEN)
    if parent is not None and c.store.account(parent) is None:
        raise ApiError(404, f"Account '{parent}' not found.")
    created = iso(datetime.fromtimestamp(c.clock(), timezone.utc))
    acc = new_account(acc_id, name or "", created=created, parent=parent)
    _apply_account_fields(acc, body)
    with c.store.tx() as db:
        if db.execute("SELECT 1 FROM accounts WHERE id=?", (acc_id,)).fetchone():
            raise ApiError(400, "ID already in use")
        db.execute(
            "INSERT INTO accounts (id, name, parent, data) VALUES (?, ?, ?, ?)",
            (acc_id, acc["Name"], parent, json.dumps(acc)),
        )
    return JSONResponse(acc)


def _account_or_404(c: Ctx, acc_id: str) -> dict[str, Any]:
    acc = c.store.account(acc_id)
    if acc is None:
        raise ApiError(404, f"Account '{acc_id}' not found.")
    return acc


async def account_get(request: Request) -> Response:
    acc_id = request.path_params["account_id"]
    require(request, path_account=acc_id)
    return JSONResponse(_account_or_404(ctx(request), acc_id))


async def account_update(request: Request) -> Response:
    acc_id = request.path_params["account_id"]
    require(request, path_account=acc_id)
    c = ctx(request)
    acc = _account_or_404(c, acc_id)
    body = await body_json(request, required=True)
    if "Name" in body and not (opt_str(body, "Name", MAX_NAME_LEN) or "").strip():
        raise ApiError(400, "Name is required.")
    _apply_account_fields(acc, body)  # partial update: absent fields are kept
    with c.store.tx() as db:
        db.execute(
            "UPDATE accounts SET name=?, data=? WHERE id=?", (acc["Name"], json.dumps(acc), acc_id)
        )
    return JSONResponse(acc)


async def account_delete(request: Request) -> Response:
    acc_id = request.path_params["account_id"]
    require(request, path_account=acc_id)
    c = ctx(request)
    _account_or_404(c, acc_id)
    with c.store.tx() as db:
        for table in ("account_connectors", "cycles", "transactions", "incidents", "users"):
            db.execute(f"DELETE FROM {table} WHERE account_id=?", (acc_id,))
        db.execute("DELETE FROM properties WHERE ac_id NOT IN (SELECT id FROM account_connectors)")
        db.execute("DELETE FROM accounts WHERE id=?", (acc_id,))
    return JSONResponse({"Message": f"Account '{acc_id}' deleted."})


async def subaccounts(request: Request) -> Response:
    acc_id = request.path_params["account_id"]
    require(request, path_account=acc_id)
    c = ctx(request)
    _account_or_404(c, acc_id)
    page, size, asc = paging(request)
    items, total = c.store.page("accounts", "parent=?", (acc_id,), "seq", not asc, page, size)
    return listed(items, total, size)


def _issue_signin(c: Ctx, acc_id: str, username: str) -> Response:
    now = c.clock()
    expires = now + int(c.switches["signin_token_ttl"])
    tok = new_token()
    with c.store.tx() as db:
        db.execute("INSERT OR IGNORE INTO users VALUES (?, ?)", (acc_id, username))
        db.execute("INSERT INTO signin_tokens VALUES (?, ?, ?, 0)", (tok, acc_id, expires))
    return JSONResponse(
        {"Token": tok, "ExpiresAtUtc": iso(datetime.fromtimestamp(expires, timezone.utc))}
    )


async def signin_token(request: Request) -> Response:
    acc_id = request.path_params["account_id"]
    require(request, path_account=acc_id)
    c = ctx(request)
    _account_or_404(c, acc_id)
    body = await body_json(request)
    # Cyclr creates the user if it is new.
    username = opt_str(body, "Username", MAX_USERNAME_LEN) or "api-user"
    return _issue_signin(c, acc_id, username)


async def signin_token_old(request: Request) -> Response:
    """The older ``POST /v1.0/accounts/tokens``: account from the header, no body."""
    acc_id = require(request, account=True)
    assert acc_id is not None
    return _issue_signin(ctx(request), acc_id, "api-user")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        msg = f"The requested resource does not support http method '{request.method}'."
    else:  # ASP.NET Web API's wording for an unmatched route
        msg = f"No HTTP resource was found that matches the request URI '{request.url}'."
    return JSONResponse({"Message": msg}, exc.status_code)


def _json_error(status: int, message: str) -> Response:
    return ApiError(status, message).response()


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


class TrailingSlash:
    """Route ``/path/`` like ``/path``, with no redirect, as ASP.NET Web API (Cyclr) does.

    Strips ONE slash, and only one sent as a slash: an id of ``%2F`` also decodes to a trailing
    "/" in ``scope["path"]``, but ``raw_path`` still ends in ``%2F``, so that id stays an
    unmatched route (a 404) instead of turning into the collection or a shorter id.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            raw, sep, query = (scope.get("raw_path") or b"").partition(b"?")
            if len(path) > 1 and path.endswith("/") and raw.endswith(b"/"):
                scope = {**scope, "path": path[:-1], "raw_path": raw[:-1] + sep + query}
        await self.app(scope, receive, send)


def build_api_app(c: Ctx) -> Starlette:
    """Build the Starlette app served on the API origin."""
    routes = [
        Route("/oauth/token", token, methods=["POST"]),
        Route("/v1.0/accounts", accounts_list, methods=["GET"]),
        Route("/v1.0/accounts", account_create, methods=["POST"]),
        Route("/v1.0/accounts/tokens", signin_token_old, methods=["POST"]),
        Route("/v1.0/accounts/{account_id}", account_get, methods=["GET"]),
        Route("/v1.0/accounts/{account_id}", account_update, methods=["PUT"]),
        Route("/v1.0/accounts/{account_id}", account_delete, methods=["DELETE"]),
        Route("/v1.0/accounts/{account_id}/subaccounts", subaccounts, methods=["GET"]),
        Route("/v1.0/accounts/{account_id}/signintoken", signin_token, methods=["POST"]),
        *_connectors.routes(),
        *_cycles.routes(),
    ]
    app = Starlette(
        routes=routes,
        middleware=[guard(_json_error, c.stats), Middleware(TrailingSlash)],
        exception_handlers={HTTPException: _http_error, ApiError: _api_error},
    )
    # ASP.NET answers an unmatched URI with a 404, never a redirect; Starlette's slash redirect
    # would turn an id of "%2F" (decoded: a trailing "/") into a 307 to another resource. A real
    # trailing slash is served like the path without it (TrailingSlash above).
    app.router.redirect_slashes = False
    app.state.ctx = c
    return app
