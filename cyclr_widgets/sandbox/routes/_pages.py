"""Browser pages: the partner service domain and the fake third-party OAuth provider.

The two apps run on separate origins, so a browser flow crosses origins exactly as it does with
Cyclr: service domain -> provider consent page -> service domain ``/connector/callback``.

What Cyclr's docs leave open about these pages, and the choices made here (each one a switch):

- ``post_target`` ("opener_or_parent", default): the completion page posts to
  ``window.opener || window.parent``. Cyclr's docs say "the parent window"; for a popup that can
  only mean the opener, and an iframe host needs ``window.parent``, so both are tried in that
  order. "opener" and "parent" restrict it to one.
- ``close_after_post`` (True): the page closes itself shortly after posting, as popup completion
  pages do (Cyclr's LAUNCH sample does the same).
- ``deny_completes`` (True): a Deny (``error=access_denied``) leaves the connector
  unauthenticated but still fires the normal completion signal, so the caller polls the API and
  sees ``Authenticated: false``. With False the flow ends on an error page with no signal.
- ``require_target_origin`` (True): the current docs make ``targetOrigin`` required.
"""

from __future__ import annotations

import html
import json
import secrets
import sqlite3
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..seed import iso
from ._connectors import refresh_authenticated
from ._guard import guard
from ._http import INT, Ctx, ctx, form_body

__all__ = ["build_provider_app", "build_service_app", "js_literal"]

FORBIDDEN = "403 - Forbidden: Access is denied."
OAUTH_KINDS = {("OAuth2", "AuthorisationCode"), ("OAuth1", "Unknown")}


def js_literal(value: Any) -> str:
    """JSON-encode for a ``<script>`` block: no ``</script>``, ``<!--`` or HTML entities survive."""
    text = json.dumps(value)  # ensure_ascii also escapes U+2028/U+2029
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _page(
    title: str, body: str, status: int = 200, headers: Mapping[str, str] | None = None
) -> HTMLResponse:
    doc = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title></head><body>{body}</body></html>"
    )
    return HTMLResponse(doc, status, headers={"Cache-Control": "no-store", **(headers or {})})


def _error(status: int, text: str, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    return _page("Error", f'<h1 id="error">{html.escape(text)}</h1>', status, headers)


# IIS's wording for an unknown path or method, which Cyclr's ASP.NET pages would show.
_HTTP_ERRORS = {
    404: "404 - File or directory not found.",
    405: "405 - HTTP verb used to access this page is not allowed.",
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    text = _HTTP_ERRORS.get(exc.status_code, f"{exc.status_code} - {exc.detail}")
    return _error(exc.status_code, text, exc.headers)


def _valid_target(target: str, allow_star: bool) -> bool:
    if allow_star and target == "*":
        return True
    try:
        parts = urlsplit(target)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:  # e.g. "http://[": an unclosed IPv6 literal
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _signin_account(c: Ctx, db: sqlite3.Connection, token: str | None) -> str | None:
    """The account of a usable sign-in token (not spent); None if missing, used or expired."""
    if not token:
        return None
    row = db.execute("SELECT * FROM signin_tokens WHERE token=?", (token,)).fetchone()
    if row is None or row["used"] or row["expires"] <= c.clock():
        return None
    return str(row["account_id"])


def _consume_signin(c: Ctx, token: str | None) -> str | None:
    """Mark a sign-in token used; return its account, or None if missing, used or expired."""
    with c.store.tx() as db:
        account_id = _signin_account(c, db, token)
        if account_id is not None:
            db.execute("UPDATE signin_tokens SET used=1 WHERE token=?", (token,))
    return account_id


def _oauth_flow(
    c: Ctx, db: sqlite3.Connection, q: QueryParams
) -> tuple[dict[str, Any], dict[str, Any]] | Response:
    """Check every parameter of the OAuth page: the flow and its connector, or an error page."""
    target, message = q.get("targetOrigin"), q.get("callbackMessage") or None
    account_id = _signin_account(c, db, q.get("token"))
    if account_id is None:
        return _error(403, FORBIDDEN)
    raw_id = q.get("id", "")
    row = c.store.ac_row(account_id, int(raw_id)) if INT.match(raw_id) else None
    if row is None:  # unknown id, or one that belongs to another account
        return _error(403, FORBIDDEN)
    if target is None and c.switches["require_target_origin"]:
        return _error(400, "targetOrigin is required.")
    if target is not None and not _valid_target(target, allow_star=message is not None):
        return _error(400, "targetOrigin must be an http(s) origin or URL.")
    conn = c.store.connector(row["connector_id"])
    assert conn is not None
    auth = next(
        (a for a in conn["Authentication"] if a["Id"] == row["authentication_id"]),
        conn["Authentication"][0],
    )
    if (auth["AuthType"], auth["OAuth2Type"]) not in OAUTH_KINDS:
        return _error(400, f"Connector '{row['name']}' does not use browser OAuth.")
    flow = {"ac_id": row["id"], "account_id": account_id, "target": target, "message": message}
    return flow, conn


async def update_oauth(request: Request) -> Response:
    c, q = ctx(request), request.query_params
    # Every parameter is checked before the single-use token is spent, so a rejected request
    # (a typo in targetOrigin, say) leaves the token usable; a bad token is still reported
    # first, as Cyclr signs the browser in before anything else. One transaction, so two tabs
    # cannot both spend the token.
    with c.store.tx() as db:
        checked = _oauth_flow(c, db, q)
        if isinstance(checked, Response):
            return checked
        flow, conn = checked
        db.execute("UPDATE signin_tokens SET used=1 WHERE token=?", (q.get("token"),))
        state = secrets.token_urlsafe(24)
        db.execute("INSERT INTO oauth_states VALUES (?, ?)", (state, json.dumps(flow)))
    query = urlencode(
        {
            "client_id": f"cyclr-sandbox-{conn['Id']}",
            "response_type": "code",
            "redirect_uri": c.urls["service"] + "/connector/callback",
            "scope": "read write",
            "state": state,
            "app": conn["Name"],
        }
    )
    return RedirectResponse(f"{c.urls['provider']}/oauth/authorize?{query}", 302)


async def signin_with_token(request: Request) -> Response:
    account_id = _consume_signin(ctx(request), request.query_params.get("token"))
    if account_id is None:
        return _error(403, FORBIDDEN)
    return _page("Signed in", f'<h1 id="signed-in">Signed in to {html.escape(account_id)}</h1>')


def _complete(c: Ctx, flow: dict[str, Any], outcome: str) -> Response:
    target, message = flow["target"], flow["message"]
    if message is None:
        if target is None:
            return _page(
                "Done", f'<p id="status">{html.escape(outcome)}. You can close this window.</p>'
            )
        return RedirectResponse(target, 302)
    sw = c.switches
    script = (
        "(function () {\n"
        f"  var message = {js_literal(message)};\n"
        f"  var targetOrigin = {js_literal(target or '*')};\n"
        f"  var mode = {js_literal(sw['post_target'])};\n"
        "  var parent = window.parent !== window ? window.parent : null;\n"
        "  var target = mode === 'opener' ? window.opener\n"
        "    : mode === 'parent' ? parent : (window.opener || parent);\n"
        "  if (target) { try { target.postMessage(message, targetOrigin); } catch (e) {} }\n"
        f"  if ({js_literal(bool(sw['close_after_post']))}) {{\n"
        "    setTimeout(function () { window.close(); }, 100);\n"
        "  }\n"
        "})();"
    )
    body = (
        f'<p id="status" data-outcome="{html.escape(outcome)}">Connector authentication '
        f"{html.escape(outcome)}. This window will close.</p><script>{script}</script>"
    )
    return _page("Connector authentication", body)


async def callback(request: Request) -> Response:
    c, q = ctx(request), request.query_params
    state = q.get("state") or ""
    with c.store.tx() as db:
        row = db.execute("SELECT data FROM oauth_states WHERE state=?", (state,)).fetchone()
        db.execute("DELETE FROM oauth_states WHERE state=?", (state,))  # states are single use
    if row is None:
        return _error(400, "Unknown or already used OAuth state.")
    flow = json.loads(row["data"])
    code = q.get("code")
    if not code:
        if not c.switches["deny_completes"]:
            return _error(400, f"Authorisation failed: {q.get('error') or 'no code'}.")
        return _complete(c, flow, "denied")
    with c.store.tx() as db:
        issued = db.execute("SELECT data FROM provider_codes WHERE code=?", (code,)).fetchone()
        db.execute("DELETE FROM provider_codes WHERE code=?", (code,))
        if issued is None or json.loads(issued["data"])["state"] != state:
            return _error(400, "The authorisation code is invalid.")
        # The code exchange happens in process: the provider is part of this sandbox.
        now = datetime.fromtimestamp(c.clock(), timezone.utc)
        tokens = {
            "AccessToken": secrets.token_urlsafe(32),
            "RefreshToken": secrets.token_urlsafe(32),
            "Expires": iso(now + timedelta(hours=1)),
            "RefreshExpires": iso(now + timedelta(days=90)),
        }
        db.execute(
            "UPDATE account_connectors SET auth_value=? WHERE id=?",
            (json.dumps(tokens), flow["ac_id"]),
        )
        ok = refresh_authenticated(c, db, flow["ac_id"])
    return _complete(c, flow, "succeeded" if ok else "failed")


def _page_app_options(c: Ctx) -> dict[str, Any]:
    # Browser origins answer errors, too large bodies and bugs with an HTML page.
    return {
        "middleware": [guard(_error, c.stats)],
        "exception_handlers": {HTTPException: _http_error},
    }


def build_service_app(c: Ctx) -> Starlette:
    """The partner service domain (``{company}-h.cyclr.com`` in production)."""
    app = Starlette(
        routes=[
            Route("/connectorauth/updateaccountconnectoroauth", update_oauth),
            Route("/web/connector/updateaccountconnectoroauth", update_oauth),  # the older path
            Route("/connector/callback", callback),
            Route("/account/signinwithtoken", signin_with_token),
        ],
        **_page_app_options(c),
    )
    app.state.ctx = c
    return app


def _provider_headers(c: Ctx) -> dict[str, str]:
    # With coop=True the consent page severs window.opener, as many real providers do.
    return {"Cross-Origin-Opener-Policy": "same-origin"} if c.switches["coop"] else {}


async def authorize(request: Request) -> Response:
    c, q = ctx(request), request.query_params
    state, redirect = q.get("state") or "", q.get("redirect_uri") or ""
    if not state or redirect != c.urls["service"] + "/connector/callback":
        return _error(400, "invalid_request: unknown redirect_uri or missing state.")
    e = html.escape
    body = (
        f'<h1 id="consent-title">{e(q.get("app") or "An application")} wants to access your '
        f'account</h1><p id="client-id">Client: {e(q.get("client_id") or "")}</p>'
        f'<p id="scope">Scopes: {e(q.get("scope") or "")}</p>'
        '<form id="consent" method="post" action="/oauth/authorize">'
        f'<input type="hidden" name="state" value="{e(state)}">'
        f'<input type="hidden" name="redirect_uri" value="{e(redirect)}">'
        '<button id="allow" type="submit" name="decision" value="allow">Allow</button> '
        '<button id="deny" type="submit" name="decision" value="deny">Deny</button></form>'
    )
    return _page("Authorise access", body, headers=_provider_headers(c))


async def decide(request: Request) -> Response:
    c = ctx(request)
    form = form_body(await request.body())
    state, redirect = form.get("state", ""), form.get("redirect_uri", "")
    if not state or redirect != c.urls["service"] + "/connector/callback":
        return _error(400, "invalid_request: unknown redirect_uri or missing state.")
    if form.get("decision") == "allow":
        code = secrets.token_urlsafe(24)
        with c.store.tx() as db:
            db.execute(
                "INSERT INTO provider_codes VALUES (?, ?)", (code, json.dumps({"state": state}))
            )
        query = urlencode({"code": code, "state": state})
    else:
        query = urlencode(
            {
                "error": "access_denied",
                "error_description": "The user denied access.",
                "state": state,
            }
        )
    # 303: the browser follows a form POST with a GET, as OAuth providers do.
    return RedirectResponse(f"{redirect}?{query}", 303, headers=_provider_headers(c))


def build_provider_app(c: Ctx) -> Starlette:
    """The fake third-party OAuth provider, on its own origin."""
    app = Starlette(
        routes=[
            Route("/oauth/authorize", authorize, methods=["GET"]),
            Route("/oauth/authorize", decide, methods=["POST"]),
        ],
        **_page_app_options(c),
    )
    app.state.ctx = c
    return app
