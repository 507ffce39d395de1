"""Shared plumbing of the API origin: Cyclr-style errors, auth checks and paging.

Body and field validation lives in ``_validate``.
"""

from __future__ import annotations

import base64
import math
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..store import Store

__all__ = [
    "INT",
    "IP_REFUSED",
    "ApiError",
    "Ctx",
    "NoSniff",
    "bool_param",
    "ctx",
    "form_body",
    "ip_gate",
    "listed",
    "new_token",
    "paging",
    "require",
    "sort_items",
]

# ASP.NET Web API's wording, which Cyclr (a .NET service) answers with for a refused token.
DENIED = "Authorization has been denied for this request."
INVALID = "The request is invalid."
# An id or page number: ASCII digits that fit SQLite's 64-bit integers ("²".isdigit() is True).
INT = re.compile(r"^[0-9]{1,15}$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
MAX_PAGE_SIZE = 500  # undocumented in Cyclr; large enough for benchmarks, small enough to page


def new_token() -> str:
    """A Cyclr-looking opaque token: standard base64, so it sometimes has ``+``, ``/`` or ``=``."""
    # 24 bytes encode without padding, 25 with "==", 26 with "=": vary it like Cyclr's tokens.
    return base64.b64encode(secrets.token_bytes(24 + secrets.randbelow(3))).decode()


class ApiError(Exception):
    """An error that becomes ``{"Message": ...}`` with the given status."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def response(self) -> Response:
        return JSONResponse({"Message": self.message}, self.status, headers=self.headers)


@dataclass
class Ctx:
    """What every handler needs: the store, the credentials and the live switches."""

    store: Store
    client_id: str
    client_secret: str
    switches: dict[str, Any]
    urls: dict[str, str] = field(default_factory=dict)
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def clock(self) -> Callable[[], float]:
        return self.store.clock


def ctx(request: Request) -> Ctx:
    """Return the sandbox context attached to the app."""
    return request.app.state.ctx  # type: ignore[no-any-return]


def require(
    request: Request, *, account: bool = False, path_account: str | None = None
) -> str | None:
    """Check the bearer token (and the ``X-Cyclr-Account`` header for account-level calls).

    Returns the account id from the header (``None`` when absent on a partner-level call).
    Everything refused is a 401, as Cyclr does for an empty account header.
    """
    c = ctx(request)
    ip_gate(c)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, DENIED, {"WWW-Authenticate": "Bearer"})
    row = c.store.one("SELECT expires, scope FROM api_tokens WHERE token=?", token.strip())
    if row is None or row["expires"] <= c.clock():
        raise ApiError(401, DENIED, {"WWW-Authenticate": "Bearer"})
    acc = request.headers.get("x-cyclr-account", "").strip() or None
    scope = row["scope"]
    # Cyclr does not document it: an unknown account header could be 401, 403 or 404; a 401 keeps
    # "this token cannot act for that account" in one place.
    if account and (acc is None or c.store.account(acc) is None):
        raise ApiError(401, DENIED)
    # An account-restricted token (scope=account:{id}) only works for that one account.
    if scope and any(a is not None and a != scope for a in (acc, path_account)):
        raise ApiError(401, DENIED)
    return acc


# Cyclr documents neither the status nor the body of an IP refusal (surface doc Q8). We answer
# 403, the usual status for an address-based refusal (IIS's "IP address rejected" is a 403), with
# a message that names the cause, so a client can tell it from bad credentials.
IP_REFUSED = "Access to this resource is restricted by IP address."


def ip_gate(c: Ctx) -> None:
    """Refuse every API call while the ``ip_allowlist_blocks`` switch is on.

    The switch plays a caller whose IP is not on the partner's API allow-list.
    """
    if c.switches.get("ip_allowlist_blocks"):
        raise ApiError(403, IP_REFUSED)


def _int_param(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    if not INT.match(raw):  # also keeps SQLite's 64-bit OFFSET from overflowing
        raise ApiError(400, INVALID)
    value = int(raw)
    if value < 1:
        raise ApiError(400, INVALID)
    return value


def paging(request: Request, default_size: int = 50) -> tuple[int, int, bool]:
    """Return ``(page, pageSize, ascending)`` from the query string (400 on bad values)."""
    page = _int_param(request, "page", 1)
    size = min(_int_param(request, "pageSize", default_size), MAX_PAGE_SIZE)
    asc = request.query_params.get("sortOrderAsc", "true").lower() != "false"
    return page, size, asc


def bool_param(request: Request, name: str, default: bool) -> bool:
    """A ``true``/``false`` query parameter (any case); another value is a 400, not ignored."""
    raw = (request.query_params.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw not in ("true", "false"):
        raise ApiError(400, INVALID)
    return raw == "true"


def sort_items(items: list[dict[str, Any]], order: str, fields: tuple[str, ...], asc: bool) -> None:
    """Sort ``items`` in place by one of ``fields`` (``orderBy``); an unknown field is a 400.

    Cyclr documents ``orderBy`` without its allowed values; refusing an unknown one (rather than
    ignoring it) keeps a typo from silently giving an unsorted list.
    """
    if order not in fields:
        raise ApiError(400, INVALID)

    def key(item: dict[str, Any]) -> tuple[int, float, str]:
        value = item.get(order)
        if value is None:
            return (2, 0, "")
        if isinstance(value, (int, float)):
            return (0, value, "")
        return (1, 0, str(value).lower())

    items.sort(key=key, reverse=not asc)


def listed(items: list[Any], total: int, size: int) -> Response:
    """A bare JSON array with Cyclr's paging headers."""
    return JSONResponse(
        items, headers={"Total-Pages": str(math.ceil(total / size)), "Total-Records": str(total)}
    )


def form_body(raw: bytes) -> dict[str, str]:
    """Parse an ``application/x-www-form-urlencoded`` body (by hand: no python-multipart)."""
    return {k: v[0] for k, v in parse_qs(raw.decode("utf-8", "replace")).items()}


class NoSniff:
    """Raw ASGI wrapper: ``X-Content-Type-Options: nosniff`` on every response, as Cyclr sends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-content-type-options", b"nosniff"),
                ]
            await send(message)

        await self.app(scope, receive, send_with_header)
