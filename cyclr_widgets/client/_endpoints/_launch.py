"""LAUNCH, ORBIT and Marketplace: partner-level calls that answer with a browser link.

Each has an account variant (``/v1.0/accounts/{id}/<kind>``) and a user variant
(``/v1.0/users/<kind>``, with ``AccountId``, ``Username`` and ``Password`` in the body). The
options are snake_case arguments mapped to Cyclr's PascalCase body fields (R §5.4, §5.5); an
unknown one is a ``TypeError`` before anything is sent, as for any unknown keyword argument.
Secrets in the body (the password, ``AuthValue`` and secret-looking property values inside
``ConnectorAuthentications`` and ``PartnerConnector``) are sealed as soon as they arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import AuthValue, LaunchLink, ValidationError
from .._operation import Operation, check_account, check_int_id, segment
from ._accounts import check_username, seal_password
from ._connectors import seal_body

__all__ = ["LAUNCH_OPTIONS", "MARKETPLACE_OPTIONS", "launch_link"]

_COMMON = {
    "account_name": "AccountName",
    "account_description": "AccountDescription",
    "connector_authentications": "ConnectorAuthentications",
    "partner_connector": "PartnerConnector",
    "inline_oauth": "InlineOAuth",
    "complete_parameter": "CompleteParameter",
}
#: LAUNCH's options (R §5.4): snake_case argument -> Cyclr's body field.
LAUNCH_OPTIONS: dict[str, str] = {
    **_COMMON,
    "start": "Start",
    "run_once": "RunOnce",
    "tags": "Tags",
    "auto_install": "AutoInstall",
    "single_install": "SingleInstall",
    "wizard": "Wizard",
    "display_descriptions": "DisplayDescriptions",
}
#: Marketplace's options (R §5.5).
MARKETPLACE_OPTIONS: dict[str, str] = dict(_COMMON)
_OPTIONS = {"launch": LAUNCH_OPTIONS, "orbit": {}, "marketplace": MARKETPLACE_OPTIONS}


def _options(kind: str, options: Mapping[str, Any]) -> dict[str, Any]:
    known = _OPTIONS[kind]
    body: dict[str, Any] = {}
    for key, value in options.items():
        if key not in known:
            hint = f"; known: {', '.join(sorted(known))}" if known else ""
            raise TypeError(f"{kind}() got an unexpected keyword argument {key!r}{hint}")
        if value is not None:
            body[known[key]] = value
    tags = body.get("Tags")
    if isinstance(tags, str):  # one tag given as a string, not its characters
        body["Tags"] = [tags]
    return seal_body(body)


def launch_link(
    kind: str,
    account_id: str,
    username: str | None,
    password: AuthValue | str | None,
    options: Mapping[str, Any],
    marketplace_id: int | None = None,
) -> Operation[LaunchLink]:
    """The operation behind ``launch``, ``orbit`` and ``marketplace``."""
    account = check_account(account_id)
    body = _options(kind, options)
    if kind == "marketplace":
        body["MarketplaceId"] = check_int_id("marketplace_id", marketplace_id)
    if username is None:
        if password is not None:
            raise ValidationError("password is only used with username= (the user variant)")
        path = f"/v1.0/accounts/{segment(account)}/{kind}"
    else:
        if password is None:
            raise ValidationError(f"{kind} as a user needs password= as well as username=")
        body.update(
            AccountId=account, Username=check_username(username), Password=seal_password(password)
        )
        path = f"/v1.0/users/{kind}"

    def parse(data: Any) -> LaunchLink:
        return LaunchLink.from_api(kind, data)

    # Retried like a read, as sign-in tokens are: what these POSTs create is keyed by name
    # (the account by its API ID, the user by Username), so a second attempt creates nothing
    # more, and a link lost with its answer is single use and expires in 5 minutes.
    return Operation("POST", path, parse, json=body)
