"""LAUNCH, ORBIT and Marketplace: partner-level calls that hand out a browser URL with a token.

Each reply is ``{AccountId, ExpiresAtUtc, <Kind>Url, Token}``; the token is a sign-in token
(single use, ``signin_token_ttl``), the URL
``{service}/account/signinwithtoken?token=…&returnUrl=%2Flaunch…`` with the options as query
flags inside ``returnUrl``, as the older reference (R §5.4) shows them. The ``/v1.0/users/…``
variants name the account in the body and need an existing user of it with that password.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ..seed import MARKETPLACE_IDS
from ._accounts import account_or_404, create_account, issue_token
from ._http import ApiError, Ctx, ctx, require
from ._validate import (
    MAX_ID_LEN,
    MAX_NAME_LEN,
    MAX_TEXT_LEN,
    body_json,
    canonical_keys,
    check_id,
    opt_bool,
    opt_str,
)

__all__ = ["routes"]

# Cyclr does not document the answer to a wrong user name or password on /v1.0/users/*. We
# answer 401 (the credentials are refused) with ASP.NET Identity's password-grant wording, so it
# reads as bad user credentials rather than a bad API token.
BAD_USER = "The user name or password is incorrect."
# (body option, query flag, Cyclr's default, always written). [T] launch.test.js: a flag is
# written when it differs from the default, except auto and single, which LAUNCH writes
# whatever their value (defaults sent explicitly still gave "auto=true" and "single=false").
FLAGS = [
    ("Start", "start", True, False),
    ("RunOnce", "once", False, False),
    ("AutoInstall", "auto", True, True),
    ("SingleInstall", "single", False, True),
    ("Wizard", "wizard", False, False),
    ("DisplayDescriptions", "descriptions", False, False),
]
# Every body field these calls read, for case-insensitive binding (Cyclr's .NET JSON binder
# ignores case: [T] sends "completeParameter", "wizard" and "tags" and sees them applied).
BODY_KEYS = [f[0] for f in FLAGS] + ["InlineOAuth", "CompleteParameter", "Tags", "AccountName"]
BODY_KEYS += ["AccountDescription", "ConnectorAuthentications", "PartnerConnector"]
BODY_KEYS += ["MarketplaceId", "AccountId", "Username", "Password"]


def _flag(body: dict[str, Any], key: str) -> bool | None:
    """A boolean option: JSON true/false, or the strings "true"/"false" in any case.

    Cyclr binds the strings too ([T] sends ``"Start": "false"`` and gets ``start=false``).
    """
    value = body.get(key)
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return opt_bool(body, key)


def _options(body: dict[str, Any], kind: str, c: Ctx) -> list[tuple[str, str]]:
    """The query flags of ``returnUrl`` (every option checked: a wrong type is a 400)."""
    flags = []
    for key, flag, default, always in FLAGS:
        value = _flag(body, key)
        if (value is not None and value != default) or (always and kind == "Launch"):
            flags.append((flag, str(default if value is None else value).lower()))
    # [T]'s truth table (R §5.4): InlineOAuth false writes "inline=false", true writes no flag,
    # and a body without it writes "inline=false" only when the Console's inline OAuth setting
    # is off (switch inline_oauth_setting). "inline=true" is never written.
    inline = _flag(body, "InlineOAuth")
    no_setting = inline is None and not c.switches.get("inline_oauth_setting", True)
    if inline is False or (no_setting and kind != "Orbit"):
        flags.append(("inline", "false"))
    complete = opt_str(body, "CompleteParameter", MAX_TEXT_LEN)
    if complete:
        flags.append(("completeParameter", complete))
    tags = body.get("Tags")
    if tags is not None:
        if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
            raise ApiError(400, "Tags must be an array of strings.")
        flags += [("tag", t[:MAX_NAME_LEN]) for t in tags]
    for key in ("ConnectorAuthentications", "PartnerConnector"):
        value = body.get(key)  # checked for shape; the sandbox installs nothing from them
        # R §5.5: the docs show one object in the example and an array in the table: both bind.
        items = value if isinstance(value, list) else [value]
        if value is not None and not all(isinstance(x, dict) for x in items):
            raise ApiError(400, f"{key} must be an object or an array of objects.")
    opt_str(body, "AccountName", MAX_NAME_LEN)
    opt_str(body, "AccountDescription", MAX_TEXT_LEN)
    return flags


def _marketplace_id(body: dict[str, Any]) -> int:
    raw = body.get("MarketplaceId")
    # Cyclr takes it as an integer; one of its own examples sends "8", which binds too.
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 10:
        raw = int(raw)
    if raw is None:
        raise ApiError(400, "MarketplaceId is required.")
    if not isinstance(raw, int) or isinstance(raw, bool):
        raise ApiError(400, "MarketplaceId must be an integer.")
    if raw not in MARKETPLACE_IDS:
        raise ApiError(404, f"Marketplace {raw} not found.")
    return raw


def _reply(
    c: Ctx, kind: str, acc_id: str, flags: list[tuple[str, str]], market: int | None = None
) -> Response:
    # URL-safe and unpadded: the URL then holds the Token verbatim, which [T] checks on every
    # LAUNCH, ORBIT and Marketplace reply ("Url includes Token"); URL-encoding it stays right.
    tok, expires = issue_token(c, acc_id, None, token=secrets.token_urlsafe(24))
    # D-mkt: a Marketplace URL returns to /launch/marketplace/{MarketplaceId}.
    path = f"/launch/marketplace/{market}" if market is not None else "/" + kind.lower()
    inner = path + ("?" + urlencode(flags) if flags else "")
    # Cyclr writes returnUrl=%2Flaunch (D-launch, D-mkt: "%2Flaunch/marketplace/1") and the
    # flags' "k=v" as is ([T] finds "start=false" in the URL); "?", "&" and "%" are encoded so
    # the whole return path stays one value that decodes back to ``inner``.
    ret = "%2F" + quote(inner[1:], safe="/=")
    url = f"{c.urls['service']}/account/signinwithtoken?token={quote(tok, safe='')}&returnUrl={ret}"
    return JSONResponse(
        {"AccountId": acc_id, "ExpiresAtUtc": expires, f"{kind}Url": url, "Token": tok}
    )


async def _entry(request: Request, kind: str, creates: bool) -> Response:
    acc_id = request.path_params["account_id"]
    require(request, path_account=acc_id)
    c = ctx(request)
    body = canonical_keys(await body_json(request, required=kind == "Marketplace"), BODY_KEYS)
    flags = _options(body, kind, c)
    market = _marketplace_id(body) if kind == "Marketplace" else None
    if c.store.account(acc_id) is None:
        if not creates:
            raise ApiError(404, f"Account '{acc_id}' not found.")
        # LAUNCH and Marketplace create the account when the API ID is new; AccountName
        # defaults to the API ID.
        check_id(acc_id)
        name = opt_str(body, "AccountName", MAX_NAME_LEN) or acc_id
        desc = opt_str(body, "AccountDescription", MAX_TEXT_LEN)
        create_account(c, {"Name": name, "Description": desc}, acc_id)
    return _reply(c, kind, acc_id, flags, market)


async def _user_entry(request: Request, kind: str) -> Response:
    require(request)
    c = ctx(request)
    body = canonical_keys(await body_json(request, required=True), BODY_KEYS)
    acc_id = opt_str(body, "AccountId", MAX_ID_LEN)
    if not acc_id:
        raise ApiError(400, "AccountId is required.")
    require(request, path_account=acc_id)  # an account-restricted token only for its account
    username = opt_str(body, "Username", MAX_NAME_LEN)
    password = opt_str(body, "Password", MAX_NAME_LEN)
    flags = _options(body, kind, c)
    market = _marketplace_id(body) if kind == "Marketplace" else None
    account_or_404(c, acc_id)
    row = c.store.one(
        "SELECT password FROM users WHERE account_id=? AND username=?", acc_id, username or ""
    )
    if row is None or not password or row["password"] != password:
        raise ApiError(401, BAD_USER)
    return _reply(c, kind, acc_id, flags, market)


async def launch(request: Request) -> Response:
    return await _entry(request, "Launch", creates=True)


async def orbit(request: Request) -> Response:
    return await _entry(request, "Orbit", creates=False)


async def marketplace(request: Request) -> Response:
    return await _entry(request, "Marketplace", creates=True)


async def user_launch(request: Request) -> Response:
    return await _user_entry(request, "Launch")


async def user_orbit(request: Request) -> Response:
    return await _user_entry(request, "Orbit")


async def user_marketplace(request: Request) -> Response:
    return await _user_entry(request, "Marketplace")


def routes() -> list[Route]:
    """The six entry points."""
    acc = "/v1.0/accounts/{account_id}"
    return [
        Route(acc + "/launch", launch, methods=["POST"]),
        Route(acc + "/orbit", orbit, methods=["POST"]),
        Route(acc + "/marketplace", marketplace, methods=["POST"]),
        Route("/v1.0/users/launch", user_launch, methods=["POST"]),
        Route("/v1.0/users/orbit", user_orbit, methods=["POST"]),
        Route("/v1.0/users/marketplace", user_marketplace, methods=["POST"]),
    ]
