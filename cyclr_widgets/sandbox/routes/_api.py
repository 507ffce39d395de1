"""The API origin: ``/oauth/token``, accounts, sign-in tokens, and the app joining all routes."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from . import _account_connectors, _accounts, _connectors, _custom, _cycles, _dod, _launch
from ._guard import guard
from ._http import ApiError, Ctx, ctx, form_body, ip_gate, new_token

# Re-exported: tests patch ``_api.new_token`` to break the token endpoint on purpose.
__all__ = ["build_api_app", "new_token"]


async def token(request: Request) -> Response:
    c = ctx(request)
    ip_gate(c)  # the API allow-list covers the token endpoint too: it is on the API domain
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
        *_accounts.routes(),
        *_launch.routes(),
        *_connectors.routes(),
        # Literal /custom before the {ac_id} routes; /methods and /test before nothing else.
        *_custom.routes(),
        *_account_connectors.routes(),
        *_dod.routes(),
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
