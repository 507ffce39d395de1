"""LAUNCH, ORBIT and Marketplace: partner-level calls that hand out a browser URL with a token.

Each reply is ``{AccountId, ExpiresAtUtc, <Kind>Url, Token}``; the token is a sign-in token
(single use, ``signin_token_ttl``), the URL
``{service}/account/signinwithtoken?token=…&returnUrl=%2Flaunch…`` with the options as query
flags inside ``returnUrl``, as the older reference (R §5.4) shows them. The ``/v1.0/users/…``
variants name the account in the body and need an existing user of it with that password.
"""

from __future__ import annotations

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
    check_id,
    opt_bool,
    opt_str,
)

__all__ = ["routes"]

# Cyclr does not document the answer to a wrong user name or password on /v1.0/users/*. We
# answer 401 (the credentials are refused) with ASP.NET Identity's password-grant wording, so it
# reads as bad user credentials rather than a bad API token.
BAD_USER = "The user name or password is incorrect."
# (body option, query flag, Cyclr's default): a flag is written only when it differs.
FLAGS = [
    ("Start", "start", True),
    ("RunOnce", "once", False),
    ("AutoInstall", "auto", True),
    ("SingleInstall", "single", False),
    ("Wizard", "wizard", False),
    ("DisplayDescriptions", "descriptions", False),
]


def _options(body: dict[str, Any]) -> list[tuple[str, str]]:
    """The query flags of ``returnUrl`` (every option checked: a wrong type is a 400)."""
    flags = []
    for key, flag, default in FLAGS:
        value = opt_bool(body, key)
        if value is not None and value != default:
            flags.append((flag, str(value).lower()))
    # InlineOAuth's default hangs on the partner's age and a Console setting (R §5.4): the flag
    # is written whenever the body sets it.
    inline = opt_bool(body, "InlineOAuth")
    if inline is not None:
        flags.append(("inline", str(inline).lower()))
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


def _reply(c: Ctx, kind: str, acc_id: str, flags: list[tuple[str, str]]) -> Response:
    tok, expires = issue_token(c, acc_id, None)
    path = "/" + kind.lower() + ("?" + urlencode(flags) if flags else "")
    url = (
        f"{c.urls['service']}/account/signinwithtoken?token={quote(tok, safe='')}"
        f"&returnUrl={quote(path, safe='')}"
    )
    return JSONResponse(
        {"AccountId": acc_id, "ExpiresAtUtc": expires, f"{kind}Url": url, "Token": tok}
    )


async def _entry(request: Request, kind: str, creates: bool) -> Response:
    acc_id = request.path_params["account_id"]
    require(request, path_account=acc_id)
    c = ctx(request)
    body = await body_json(request, required=kind == "Marketplace")
    flags = _options(body)
    if kind == "Marketplace":
        flags.insert(0, ("marketplaceId", str(_marketplace_id(body))))
    if c.store.account(acc_id) is None:
        if not creates:
            raise ApiError(404, f"Account '{acc_id}' not found.")
        # LAUNCH and Marketplace create the account when the API ID is new; AccountName
        # defaults to the API ID.
        check_id(acc_id)
        name = opt_str(body, "AccountName", MAX_NAME_LEN) or acc_id
        desc = opt_str(body, "AccountDescription", MAX_TEXT_LEN)
        create_account(c, {"Name": name, "Description": desc}, acc_id)
    return _reply(c, kind, acc_id, flags)


async def _user_entry(request: Request, kind: str) -> Response:
    require(request)
    c = ctx(request)
    body = await body_json(request, required=True)
    acc_id = opt_str(body, "AccountId", MAX_ID_LEN)
    if not acc_id:
        raise ApiError(400, "AccountId is required.")
    require(request, path_account=acc_id)  # an account-restricted token only for its account
    username = opt_str(body, "Username", MAX_NAME_LEN)
    password = opt_str(body, "Password", MAX_NAME_LEN)
    flags = _options(body)
    if kind == "Marketplace":
        flags.insert(0, ("marketplaceId", str(_marketplace_id(body))))
    account_or_404(c, acc_id)
    row = c.store.one(
        "SELECT password FROM users WHERE account_id=? AND username=?", acc_id, username or ""
    )
    if row is None or not password or row["password"] != password:
        raise ApiError(401, BAD_USER)
    return _reply(c, kind, acc_id, flags)


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
