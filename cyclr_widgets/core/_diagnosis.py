"""Why an account connector is not authenticated: a diagnosis from the records Cyclr gives.

Sans-I/O: :func:`diagnose_account_connector` reads an account connector record (as
``GET /account/connectors/{id}`` answers, secrets masked) and its library connector record
(``GET /connectors/{id}``: the connector's ``Parameters[]``) and says why it is not
authenticated, when that can be known. The client's ``diagnose_account_connector`` fetches the
two records and calls it; ``OAuthPopup`` calls it after a sign-in that left the connector
unauthenticated; a table widget can call it on the records it already has.

What can be known, and how (Cyclr never says why ``Authenticated`` is false):

- ``missing_properties``: the connector's ``Parameters[]`` with ``IsAccountConnectorProperty``
  true and ``IsOptional`` false whose ``TargetName`` has no value in the account connector's
  ``Properties`` (R §3.5: Cyclr wants them set before authenticating). A masked value counts as
  set: it was masked because it exists.
- ``missing_oauth_app``: ``ClientId``/``ClientSecret`` without a value where the connector needs
  the customer's own OAuth app: the connector declares them as required account connector
  properties, or the installed method is OAuth 2 client credentials (R §3.6: Cyclr obtains the
  tokens itself from those two properties; our reading, as the docs name no other source).
- ``token_expired``: the stored OAuth tokens can no longer be refreshed (``RefreshExpires`` in
  the past, or ``Expires`` in the past with no ``RefreshExpires``). Known only when the caller
  read the expiry times from the raw ``AuthValue`` before masking it (:func:`token_times`; the
  client does, Cyclr echoes the stored ``AuthValue``, R §3.6); a masked record cannot tell.
- ``no_credentials``: ``AuthValue`` is null or empty (nothing stored yet). A record without the
  key says nothing (not every answer carries it).
- ``sign_in_refused``: a browser sign-in ended (``outcome="denied"``) and nothing above explains
  it: the provider refused, or the user did not finish. The completion signal is the same for
  both (R §5.2), so they cannot be told apart.
- ``unknown``: none of these; Cyclr does not say (revoked tokens, rejected credentials...).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ._models import AccountConnector, auth_methods, parse_datetime

__all__ = [
    "OAUTH_APP_PROPERTIES",
    "Diagnosis",
    "Reason",
    "diagnose_account_connector",
    "missing_properties",
    "token_times",
]

#: Cyclr's names for the per-account OAuth app credentials (R §3.6).
OAUTH_APP_PROPERTIES = ("ClientId", "ClientSecret")
#: Reasons that explain a failed sign-in by themselves (the popup names them instead of "denied").
EXPLAINING = ("missing_oauth_app", "missing_properties", "token_expired")
_TOKEN_TIMES = ("Expires", "RefreshExpires")


@dataclass(frozen=True)
class Reason:
    """One reason an account connector is not authenticated.

    Attributes
    ----------
    code : str
        ``missing_properties``, ``missing_oauth_app``, ``token_expired``, ``no_credentials``,
        ``sign_in_refused`` or ``unknown`` (see the module docstring).
    message : str
        A sentence for a person, naming what is missing.
    details : Mapping
        Machine-readable facts: ``properties`` (the ``TargetName`` s missing) and ``labels``
        (their display names) for the property reasons; ``expires`` / ``refresh_expires``
        (ISO 8601) for ``token_expired``. Never a secret.
    """

    code: str
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Diagnosis:
    """Whether an account connector is authenticated and, if not, why (as far as is known).

    Attributes
    ----------
    account_connector_id : int or None
        The account connector's ``Id``.
    name : str
        Its name (the account connector's, else the connector's).
    authenticated : bool
        Cyclr's ``Authenticated`` flag.
    reasons : tuple of Reason
        Empty when authenticated; otherwise at least one (``unknown`` when nothing is known).
    summary : str
        One short sentence for a person (also ``str(diagnosis)``).
    """

    account_connector_id: int | None
    name: str
    authenticated: bool
    reasons: tuple[Reason, ...] = ()
    summary: str = ""

    @property
    def codes(self) -> tuple[str, ...]:
        """The reasons' codes, in order."""
        return tuple(r.code for r in self.reasons)

    @property
    def explained(self) -> bool:
        """Whether a reason names the cause (missing properties, OAuth app, expired tokens)."""
        return any(code in EXPLAINING for code in self.codes)

    def __str__(self) -> str:
        return self.summary


def token_times(auth_value: object) -> dict[str, str]:
    """The expiry times of OAuth tokens in a raw ``AuthValue``, and nothing else of it.

    ``AuthValue`` for OAuth is a JSON string ``{"AccessToken", "RefreshToken", "Expires",
    "RefreshExpires"}`` (R §3.6). Only ``Expires`` and ``RefreshExpires`` are taken (times, not
    secrets); anything else (an API key, a bare token, a masked value) gives ``{}``. Call it on
    the raw answer before masking: a masked record has lost the times.
    """
    if not isinstance(auth_value, str) or not auth_value.lstrip().startswith("{"):
        return {}
    try:
        data = json.loads(auth_value)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k in _TOKEN_TIMES if isinstance(v := data.get(k), str) and v}


def _record(account_connector: Mapping[str, Any] | AccountConnector) -> Mapping[str, Any]:
    if isinstance(account_connector, AccountConnector):
        raw = account_connector.raw
        if raw:
            return raw
        # A record built by hand (tests, fakes): what the dataclass knows.
        return {
            "Id": account_connector.id,
            "Name": account_connector.name,
            "Authenticated": account_connector.authenticated,
            "Properties": [
                {"Name": p.name, "Value": p.value} for p in account_connector.properties
            ],
        }
    return account_connector


def _has_value(properties: object) -> set[str]:
    have: set[str] = set()
    for prop in properties if isinstance(properties, list) else []:
        if isinstance(prop, Mapping) and prop.get("Value") not in (None, ""):
            have.add(str(prop.get("Name")))
    return have


def _required(connector: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(TargetName, display name) of the required account connector properties."""
    out = []
    for p in connector.get("Parameters") or []:
        if not isinstance(p, Mapping) or not p.get("IsAccountConnectorProperty"):
            continue
        if p.get("IsOptional", True) is not False:
            continue
        target = p.get("TargetName") or p.get("Name")
        if target:
            out.append((str(target), str(p.get("Name") or target)))
    return out


def missing_properties(
    account_connector: Mapping[str, Any] | AccountConnector,
    connector: Mapping[str, Any] | None = None,
) -> list[str]:
    """``TargetName`` s of the required account connector properties that have no value.

    ``connector`` is the library connector record (its ``Parameters[]``); by default the
    account connector's nested ``Connector``.
    """
    record = _record(account_connector)
    library = connector if connector is not None else (record.get("Connector") or {})
    have = _has_value(record.get("Properties"))
    return [target for target, _ in _required(library) if target not in have]


def _named(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(label if label == t else f"{label} ({t})" for t, label in pairs)


def _oauth_app_needed(record: Mapping[str, Any], library: Mapping[str, Any]) -> bool:
    required = {t for t, _ in _required(library)}
    if required & set(OAUTH_APP_PROPERTIES):
        return True
    methods = auth_methods(library) or auth_methods(record.get("Connector") or {})
    chosen = record.get("AuthenticationId")
    method = next((m for m in methods if chosen and m.id == chosen), None)
    if method is None and len(methods) == 1:
        method = methods[0]
    # Client credentials: Cyclr fetches the tokens itself with the account's ClientId and
    # ClientSecret (R §3.6), so without them it cannot authenticate (our reading of the docs).
    return method is not None and method.oauth2_type == "ClientCredentials"


def _expired(tokens: Mapping[str, Any], now: datetime) -> Reason | None:
    try:
        expires = parse_datetime(tokens.get("Expires"))
        refresh = parse_datetime(tokens.get("RefreshExpires"))
    except ValueError:
        return None
    # An access token past its expiry is refreshed by Cyclr while the refresh token lives.
    dead = refresh if refresh is not None else expires
    if dead is None or dead > now:
        return None
    which = "refresh token" if refresh is not None else "access token (no refresh token)"
    details = {
        "expires": expires and expires.isoformat(),
        "refresh_expires": refresh and refresh.isoformat(),
    }
    stamp = dead.strftime("%Y-%m-%d %H:%M UTC")
    return Reason(
        "token_expired", f"The stored OAuth {which} expired on {stamp}: sign in again.", details
    )


def diagnose_account_connector(
    account_connector: Mapping[str, Any] | AccountConnector,
    connector: Mapping[str, Any] | None = None,
    *,
    outcome: str | None = None,
    tokens: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Diagnosis:
    """Say why an account connector is not authenticated, when it can be known.

    Parameters
    ----------
    account_connector : dict or AccountConnector
        The account connector as Cyclr sent it (secrets masked is fine), or the client's record.
    connector : dict, optional
        Its library connector record (``client.connector(Connector.Id)``), for ``Parameters[]``
        and ``Authentication[]``; by default the account connector's nested ``Connector`` (which
        may list no parameters).
    outcome : str, optional
        How a browser sign-in just ended (``"denied"``: it finished without authenticating).
    tokens : dict, optional
        ``{"Expires", "RefreshExpires"}`` read from the raw ``AuthValue`` by :func:`token_times`.
    now : datetime, optional
        The aware current time, for expiry (default: the wall clock).

    Returns
    -------
    Diagnosis
        No reasons when authenticated.
    """
    record = _record(account_connector)
    nested = record.get("Connector")
    nested = nested if isinstance(nested, Mapping) else {}
    library = connector if connector is not None else nested
    name = str(record.get("Name") or library.get("Name") or nested.get("Name") or "The connector")
    ac_id = record.get("Id")
    ac_id = ac_id if isinstance(ac_id, int) and not isinstance(ac_id, bool) else None
    if record.get("Authenticated"):
        return Diagnosis(ac_id, name, True, (), f"{name} is authenticated.")

    reasons: list[Reason] = []
    have = _has_value(record.get("Properties"))
    required = [(t, label) for t, label in _required(library) if t not in have]
    app_missing = [p for p in OAUTH_APP_PROPERTIES if p not in have]
    if _oauth_app_needed(record, library) and app_missing:
        labels = dict(required) | {p: p for p in app_missing}
        reasons.append(
            Reason(
                "missing_oauth_app",
                "The connector needs the customer's own OAuth app: set the "
                f"{' and '.join(app_missing)} properties.",
                {"properties": app_missing, "labels": [labels[p] for p in app_missing]},
            )
        )
        required = [(t, label) for t, label in required if t not in OAUTH_APP_PROPERTIES]
    if required:
        reasons.append(
            Reason(
                "missing_properties",
                f"Required properties have no value: {_named(required)}.",
                {"properties": [t for t, _ in required], "labels": [lb for _, lb in required]},
            )
        )
    expired = _expired(tokens or {}, now or datetime.now(timezone.utc))
    if expired is not None:
        reasons.append(expired)
    explained = bool(reasons)
    if outcome == "denied" and not explained:
        reasons.append(
            Reason(
                "sign_in_refused",
                "The sign-in finished without credentials: the provider refused access or the "
                "sign-in was not completed.",
            )
        )
    elif "AuthValue" in record and record.get("AuthValue") in (None, ""):
        reasons.append(Reason("no_credentials", "No credentials are stored (never authenticated)."))
    if not reasons:
        reasons.append(
            Reason(
                "unknown",
                "Cyclr does not say why: the stored credentials may have been revoked or "
                "rejected; authenticate again.",
            )
        )
    summary = f"{name} is not authenticated: {' '.join(r.message for r in reasons)}"
    return Diagnosis(ac_id, name, False, tuple(reasons), summary)
