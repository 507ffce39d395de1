"""Frozen records for what Cyclr returns, built from its PascalCase JSON.

Only the objects the widgets depend on get a record (``SignInToken``, ``AccountConnector`` and its
properties); other single objects are returned as plain dicts. Secrets are masked at this
boundary: a record never holds an ``AuthValue`` or a secret-looking property value.
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
    "SignInToken",
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


@dataclass(frozen=True)
class SignInToken:
    """A one-time sign-in token (single use, valid for about 5 minutes).

    Attributes
    ----------
    token
        The opaque token. ``repr()`` and ``str()`` never show it.
    expires_at
        When it stops working, as an aware UTC datetime.
    """

    token: str = field(repr=False)
    expires_at: datetime | None

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> SignInToken:
        """Build from Cyclr's ``{"Token": ..., "ExpiresAtUtc": ...}``."""
        return cls(token=str(data["Token"]), expires_at=parse_datetime(data.get("ExpiresAtUtc")))

    def expired(self, now: datetime | None = None) -> bool:
        """Whether the token has expired at ``now`` (default: the current time)."""
        if self.expires_at is None:
            return False
        return (now or datetime.now(timezone.utc)) >= self.expires_at

    def __repr__(self) -> str:
        expires = self.expires_at.isoformat() if self.expires_at else None
        return f"SignInToken(token='{MASK}', expires_at={expires!r})"

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
class AccountConnector:
    """A connector installed into an account.

    Attributes
    ----------
    id
        The account connector id (the OAuth page's ``id``).
    authenticated
        Cyclr's ``Authenticated`` flag: poll it after the OAuth popup.
    connector_id, connector_name, connector_version, auth_type
        From the nested ``Connector`` (``connector_id`` is the connector *release*).
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
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> AccountConnector:
        """Build from Cyclr's account connector object."""
        # Masked first: from here on no local of this frame holds the AuthValue or a secret.
        data = mask_account_connector(data)
        connector = data.get("Connector") or {}
        auth_type = connector.get("AuthType") or data.get("AuthType")
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
            raw=data,
        )


def _int_or_none(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None
