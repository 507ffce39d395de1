"""``AuthValue``: the credentials string an account connector stores, wrapped so it never prints.

Cyclr documents four forms of it: an API key as plain text, HTTP Basic as
``base64("user:pass")``, OAuth tokens obtained elsewhere as a JSON string with ``AccessToken``,
``RefreshToken``, ``Expires`` and ``RefreshExpires``, and ``"{}"`` when Cyclr can obtain the
tokens itself (e.g. client credentials with ``ClientId``/``ClientSecret`` properties).
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

__all__ = ["AuthValue", "reveal_all", "sealed_secrets"]


def _iso_utc(value: datetime | str | None, name: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime or an ISO-8601 string")
    if value.tzinfo is None:
        # A naive datetime is ambiguous (local time? UTC?); Cyclr needs UTC, so make the
        # caller say which rather than guess.
        raise ValueError(f"{name} must be timezone-aware (e.g. datetime.now(timezone.utc))")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class AuthValue:
    """A secret ``AuthValue`` string with a masked ``repr``.

    Build one with a class method (``api_key``, ``basic``, ``oauth_tokens``, ``empty``) or
    ``AuthValue(text)``; pass it as ``auth_value=`` to ``install_connector`` or
    ``update_account_connector``. ``reveal()`` returns the string itself.

    ``AuthValue(text)`` also seals any other secret string the clients accept: a property value
    (``properties={"ClientSecret": AuthValue(s)}``, ``add_account_connector_property``) or the
    ``client_secret`` of a client. The clients seal such values themselves as soon as they get
    them, but a plain string stays visible in the caller's own frame.

    Examples
    --------
    >>> AuthValue.basic("username", "password").reveal()
    'dXNlcm5hbWU6cGFzc3dvcmQ='
    >>> AuthValue.api_key("k-123")
    AuthValue(kind='api_key', value='***')
    """

    __slots__ = ("_kind", "_value")

    def __init__(self, value: str, *, kind: str = "raw") -> None:
        if not isinstance(value, str):
            raise TypeError("an AuthValue is a string")
        self._value = value
        self._kind = kind

    @classmethod
    def api_key(cls, key: str) -> AuthValue:
        """An API key, sent as plain text."""
        if not isinstance(key, str) or not key:
            raise ValueError("api_key needs a non-empty string")
        return cls(key, kind="api_key")

    @classmethod
    def basic(cls, username: str, password: str) -> AuthValue:
        """HTTP Basic credentials: ``base64("username:password")`` (UTF-8)."""
        if not isinstance(username, str) or not isinstance(password, str):
            raise TypeError("username and password must be strings")
        if ":" in username:
            # RFC 7617: the user-id cannot contain a colon; the split would be ambiguous.
            raise ValueError("a Basic username cannot contain ':'")
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        return cls(token, kind="basic")

    @classmethod
    def oauth_tokens(
        cls,
        access_token: str,
        refresh_token: str | None = None,
        expires: datetime | str | None = None,
        refresh_expires: datetime | str | None = None,
    ) -> AuthValue:
        """OAuth tokens obtained elsewhere, as Cyclr's JSON string.

        Datetimes must be timezone-aware and are written as ISO-8601 UTC
        (``2021-10-01T00:00:00Z``); strings are passed through. Fields left as ``None`` are
        left out of the JSON rather than sent as ``null``: Cyclr's example sends all four, but
        an absent refresh token is better expressed by its absence than by a null value.
        """
        if not isinstance(access_token, str) or not access_token:
            raise ValueError("oauth_tokens needs a non-empty access_token")
        data: dict[str, str] = {"AccessToken": access_token}
        if refresh_token is not None:
            data["RefreshToken"] = refresh_token
        for key, value in (("Expires", expires), ("RefreshExpires", refresh_expires)):
            text = _iso_utc(value, key)
            if text is not None:
                data[key] = text
        return cls(json.dumps(data, separators=(",", ":")), kind="oauth_tokens")

    @classmethod
    def empty(cls) -> AuthValue:
        """``"{}"``: Cyclr obtains the tokens itself (e.g. OAuth client credentials)."""
        return cls("{}", kind="empty")

    @property
    def kind(self) -> str:
        """Which helper built it: ``api_key``, ``basic``, ``oauth_tokens``, ``empty`` or ``raw``.

        ``secret`` marks a value the clients sealed themselves (a property value, a token).
        """
        return self._kind

    def reveal(self) -> str:
        """The secret string itself (what is sent to Cyclr)."""
        return self._value

    def __repr__(self) -> str:
        return f"AuthValue(kind={self._kind!r}, value='***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AuthValue):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((AuthValue, self._value))


def reveal_all(data: Any) -> Any:
    """A copy of a JSON-like tree with every ``AuthValue`` leaf replaced by its string.

    Used only where a body is handed to httpx, so the revealed copy never outlives that call.
    """
    if isinstance(data, AuthValue):
        return data.reveal()
    if isinstance(data, Mapping):
        return {key: reveal_all(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [reveal_all(value) for value in data]
    return data


def sealed_secrets(data: Any) -> tuple[str, ...]:
    """The non-empty strings of the ``AuthValue`` leaves of a JSON-like tree (to scrub them)."""
    if isinstance(data, AuthValue):
        return (data.reveal(),) if data.reveal() else ()
    if isinstance(data, Mapping):
        data = list(data.values())
    if isinstance(data, (list, tuple)):
        return tuple(secret for value in data for secret in sealed_secrets(value))
    return ()
