"""Frozen records for what Cyclr returns, built from its PascalCase JSON.

Only the objects the widgets depend on get a record (``SignInToken``, ``AccountConnector`` and its
properties, a connector's ``AuthMethod``s; ``LaunchLink`` lives in ``_links.py``); other single
objects are returned as plain dicts. Secrets are masked at this boundary: a record never holds
an ``AuthValue`` or a secret-looking property value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ._masking import MASK

__all__ = [
    "MASK",
    "AccountConnector",
    "AccountConnectorProperty",
    "AuthMethod",
    "SignInToken",
    "auth_methods",
    "is_sensitive_name",
    "mask_account_connector",
    "mask_properties",
    "parse_datetime",
]


# Property names whose values are credentials. Cyclr documents ClientId/ClientSecret for
# per-account OAuth apps; the rest are the usual names connectors give to secrets.
_SENSITIVE = re.compile(r"secret|password|passwd|token|api_?key|private_?key|credential", re.I)

_DT = re.compile(
    r"^(?P<base>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)"
    r"(?:\.(?P<frac>\d+))?(?P<tz>Z|[+-]\d{2}:?\d{2})?$"
)


def is_sensitive_name(name: object) -> bool:
    """Whether a property called ``name`` holds a secret (``ClientSecret``, ``Password``...)."""
    return isinstance(name, str) and bool(_SENSITIVE.search(name))


def parse_datetime(value: object) -> datetime | None:
    """Parse a Cyclr timestamp into an aware UTC ``datetime``.

    Cyclr sends ISO-8601 with up to 7 fractional digits (.NET ticks), usually with ``Z``.
    Python keeps microseconds, so the 7th digit is dropped. ``0001-01-01T00:00:00`` is .NET's
    ``DateTime.MinValue`` ("never") and becomes ``None``, like ``null``. A timestamp without an
    offset is taken as UTC: Cyclr's fields are UTC by contract (``...Utc``) even when the
    ``Z`` is missing.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        dt = value
    else:
        match = _DT.match(str(value).strip())
        if match is None:
            raise ValueError(f"not a Cyclr timestamp: {value!r}")
        text = match["base"].replace(" ", "T")
        if match["frac"]:
            text += "." + match["frac"][:6].ljust(6, "0")
        tz = match["tz"]
        if tz and tz != "Z":
            text += tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
        dt = datetime.fromisoformat(text)
    if dt.year == 1:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def mask_properties(properties: object) -> list[Any]:
    """Copy a ``Properties`` list with the values of secret-looking properties masked."""
    if not isinstance(properties, list):
        return []
    out: list[Any] = []
    for prop in properties:
        if isinstance(prop, Mapping):
            prop = dict(prop)
            if is_sensitive_name(prop.get("Name")) and prop.get("Value") is not None:
                prop["Value"] = MASK
        out.append(prop)
    return out


def mask_account_connector(data: Mapping[str, Any]) -> dict[str, Any]:
    """Copy an account connector object with ``AuthValue`` and secret properties masked."""
    out = dict(data)
    if out.get("AuthValue") is not None:
        out["AuthValue"] = MASK
    if "Properties" in out:
        out["Properties"] = mask_properties(out["Properties"])
    return out


def has_expired(expires_at: datetime | None, now: datetime | None = None) -> bool:
    """Whether ``expires_at`` is past at ``now`` (default: the current time); never if None."""
    if expires_at is None:
        return False
    return (now or datetime.now(timezone.utc)) >= expires_at


@dataclass(frozen=True)
class SignInToken:
    """A one-time sign-in token (single use, valid for about 5 minutes).

    Attributes
    ----------
    token
        The opaque token. ``repr()`` and ``str()`` never show it.
    expires_at
        When it stops working, as an aware UTC datetime.
    username
        The account user the token signs in as, when the client knows it (``sign_in_token``
        says which existing user it picked); ``None`` for the legacy token.
    """

    token: str = field(repr=False)
    expires_at: datetime | None
    username: str | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any], username: str | None = None) -> SignInToken:
        """Build from Cyclr's ``{"Token": ..., "ExpiresAtUtc": ...}``."""
        return cls(
            token=str(data["Token"]),
            expires_at=parse_datetime(data.get("ExpiresAtUtc")),
            username=username,
        )

    def expired(self, now: datetime | None = None) -> bool:
        """Whether the token has expired at ``now`` (default: the current time)."""
        return has_expired(self.expires_at, now)

    def __repr__(self) -> str:
        expires = self.expires_at.isoformat() if self.expires_at else None
        user = "" if self.username is None else f", username={self.username!r}"
        return f"SignInToken(token='{MASK}', expires_at={expires!r}{user})"

    __str__ = __repr__


@dataclass(frozen=True)
class AccountConnectorProperty:
    """One property of an account connector (``Value`` masked when the name looks secret)."""

    id: int | None
    name: str
    value: str | None
    account_connector_id: int | None = None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> AccountConnectorProperty:
        """Build from Cyclr's ``{"Id", "Name", "Value", "AccountConnectorId"}``."""
        value = data.get("Value")
        if value is not None:
            value = MASK if is_sensitive_name(data.get("Name")) else str(value)
        return cls(
            id=_int_or_none(data.get("Id")),
            name=str(data.get("Name") or ""),
            value=value,
            account_connector_id=_int_or_none(data.get("AccountConnectorId")),
        )


@dataclass(frozen=True)
class AuthMethod:
    """One way a connector can be authenticated: an entry of its ``Authentication[]``.

    A connector may offer several (OAuth and an API key, say); each is installable with
    ``install_connector(..., authentication_id=method)`` (or its ``id``).

    Attributes
    ----------
    id
        The ``Authentication[].Id`` GUID (``AuthenticationId`` on install); ``None`` for the
        method read from a connector's deprecated top-level ``AuthType`` (no ``Authentication[]``).
    name
        Cyclr's ``AuthName`` (``OAuth 2.0``, ``API Key``...).
    auth_type
        ``ApiKey``, ``Basic``, ``OAuth1``, ``OAuth2``, ``None`` or ``AuthFields``.
    oauth2_type
        ``AuthorisationCode``, ``ClientCredentials``, ``PasswordCredentials`` or ``Unknown``.
    """

    id: str | None
    name: str
    auth_type: str | None
    oauth2_type: str | None = None
    auth_scheme: str | None = None
    description: str | None = None

    @property
    def is_oauth(self) -> bool:
        """Whether a browser sign-in (the OAuth popup) authenticates it."""
        return self.auth_type in ("OAuth1", "OAuth2")

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> AuthMethod:
        """Build from one ``Authentication[]`` item."""
        auth_type = _str_or_none(data.get("AuthType"))
        return cls(
            id=_str_or_none(data.get("Id")),
            name=str(data.get("AuthName") or data.get("Name") or auth_type or ""),
            auth_type=auth_type,
            oauth2_type=_str_or_none(data.get("OAuth2Type")),
            auth_scheme=_str_or_none(data.get("AuthScheme")),
            description=_str_or_none(data.get("AuthDescription")),
        )


def auth_methods(connector: Mapping[str, Any]) -> list[AuthMethod]:
    """The ways a connector (a library item, or an account connector's ``Connector``) authenticates.

    Read from ``Authentication[]``, one entry per method. Only when that is absent or empty does
    the deprecated top-level ``AuthType`` give the one method (with ``id=None``).
    """
    entries = connector.get("Authentication")
    if isinstance(entries, list):
        methods = [AuthMethod.from_api(e) for e in entries if isinstance(e, Mapping)]
        if methods:
            return methods
    auth_type = _str_or_none(connector.get("AuthType"))
    if auth_type is None:
        return []
    return [
        AuthMethod(
            id=None,
            name=auth_type,
            auth_type=auth_type,
            oauth2_type=_str_or_none(connector.get("OAuth2Type")),
            auth_scheme=_str_or_none(connector.get("AuthScheme")),
            description=_str_or_none(connector.get("AuthDescription")),
        )
    ]


def _chosen_auth_type(
    data: Mapping[str, Any], connector: Mapping[str, Any], methods: list[AuthMethod]
) -> str | None:
    # The method actually installed (AuthenticationId) says how it authenticates; the
    # deprecated top-level AuthType only when nothing better is known.
    chosen = data.get("AuthenticationId") or connector.get("AuthenticationId")
    for method in methods:
        if chosen is not None and method.id == chosen:
            return method.auth_type
    if len(methods) == 1:
        return methods[0].auth_type
    return _str_or_none(connector.get("AuthType") or data.get("AuthType"))


@dataclass(frozen=True)
class AccountConnector:
    """A connector installed into an account.

    Attributes
    ----------
    id
        The account connector id (the OAuth page's ``id``).
    authenticated
        Cyclr's ``Authenticated`` flag: poll it after the OAuth popup.
    connector_id, connector_name, connector_version
        From the nested ``Connector`` (``connector_id`` is the connector *release*).
    auth_type
        How it authenticates: the type of the method installed (``AuthenticationId``) when
        known, else the connector's deprecated top-level ``AuthType`` (kept for compatibility).
    auth_methods
        Every method the connector offers (its ``Authentication[]``), see :class:`AuthMethod`.
    authentication_id
        The ``AuthenticationId`` it was installed with, when Cyclr says.
    properties
        The account connector properties; secret-looking values are masked.
    raw
        The JSON object as Cyclr sent it, with ``AuthValue`` and secrets masked.
    """

    id: int
    name: str
    description: str | None = None
    authenticated: bool = False
    connector_id: int | None = None
    connector_name: str | None = None
    connector_version: str | None = None
    auth_type: str | None = None
    is_partner_connector: bool = False
    properties: tuple[AccountConnectorProperty, ...] = ()
    auth_methods: tuple[AuthMethod, ...] = ()
    authentication_id: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(
        cls, data: Mapping[str, Any], chosen: AuthMethod | None = None
    ) -> AccountConnector:
        """Build from Cyclr's account connector object.

        ``chosen`` is the method the caller installed it with, when known (an install given an
        :class:`AuthMethod`): Cyclr's nested ``Connector`` carries only the deprecated
        top-level ``AuthType`` (the connector's first method), not ``Authentication[]``.
        """
        # Masked first: from here on no local of this frame holds the AuthValue or a secret.
        data = mask_account_connector(data)
        connector = data.get("Connector") or {}
        methods = auth_methods(connector) if isinstance(connector, Mapping) else []
        if chosen is not None and chosen.id not in {m.id for m in methods}:
            methods = [chosen, *(m for m in methods if m.id is not None)]
            data = {**data, "AuthenticationId": data.get("AuthenticationId") or chosen.id}
        auth_type = _chosen_auth_type(data, connector, methods)
        version = connector.get("Version")
        return cls(
            id=int(data["Id"]),
            name=str(data.get("Name") or ""),
            description=data.get("Description"),
            authenticated=bool(data.get("Authenticated")),
            connector_id=_int_or_none(connector.get("Id")),
            connector_name=connector.get("Name"),
            connector_version=None if version is None else str(version),
            auth_type=auth_type,
            is_partner_connector=bool(data.get("IsPartnerIntegrationConnector")),
            properties=tuple(
                AccountConnectorProperty.from_api(p)
                for p in (data.get("Properties") or [])
                if isinstance(p, Mapping)
            ),
            auth_methods=tuple(methods),
            authentication_id=_str_or_none(data.get("AuthenticationId")),
            raw=data,
        )


def _int_or_none(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


def _str_or_none(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
