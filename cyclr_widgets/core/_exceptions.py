"""The exceptions raised by the Cyclr clients.

One tree, one root::

    CyclrError
    ├── AuthenticationError   401, and a token request Cyclr refused
    │   └── AccessDeniedError     403: the call was understood and refused
    │       └── IPRestrictionError    403 because of the caller's IP address
    ├── ValidationError       400 / 422 (and bad input caught before any request)
    ├── NotFoundError         404
    ├── ConflictError         409 (e.g. changing a running cycle)
    ├── RateLimitError        429
    ├── ServerError           5xx
    └── TransportError        connection failures, timeouts, protocol errors
        └── OutcomeUnknownError   a POST that may or may not have reached Cyclr

Every error carries ``status_code`` (``None`` when no response came back), ``message`` (Cyclr's
``Message`` text, or our own explanation), ``method`` and ``path`` (never a query string). No
error keeps the request, the response or any header, so no token or secret can leak through them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "AccessDeniedError",
    "AuthenticationError",
    "ConflictError",
    "CyclrError",
    "IPRestrictionError",
    "NotFoundError",
    "OutcomeUnknownError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "ValidationError",
    "error_for_status",
    "message_from_body",
    "scrub",
]

_MASK = "***"


class CyclrError(Exception):
    """Base class of every error raised by cyclr-widgets.

    Parameters
    ----------
    message
        Cyclr's ``Message`` text, or a sentence of our own when Cyclr sent none.
    status_code
        The HTTP status, or ``None`` when no response arrived.
    method, path
        The request's method and path (no query string).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.message = message
        # Seconds Cyclr asked us to wait (``Retry-After`` on 429/503), when it said.
        self.retry_after = retry_after
        self.status_code = status_code
        self.method = method
        self.path = path
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.method} {self.path}" if self.method and self.path else None
        if self.status_code is not None and where:
            return f"{where} returned {self.status_code}: {self.message}"
        if where:
            return f"{where} failed: {self.message}"
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(message={self.message!r}, status_code={self.status_code!r}, "
            f"method={self.method!r}, path={self.path!r})"
        )


class AuthenticationError(CyclrError):
    """Cyclr refused the credentials or the token (401/403)."""


class AccessDeniedError(AuthenticationError):
    """Cyclr understood the call and refused it (403 Forbidden).

    Not always bad credentials: an account-restricted token used for another account, or a
    caller outside an IP allow-list (:class:`IPRestrictionError`), gets a 403 too. The message
    says what happened in a sentence, with Cyclr's own ``Message`` in it.
    """


class IPRestrictionError(AccessDeniedError):
    """Cyclr refused the call because of this machine's IP address (403).

    The partner's API IP allow-list does not include the caller, or, for Data on Demand calls
    to non-native connectors (``call_method``, ``test_method``), Cyclr support has not opened
    them to the caller's IP. No retry or new token can help: the allow-list must change.
    """


class ValidationError(CyclrError, ValueError):
    """Cyclr rejected the request's content (400/422), or the input was invalid before sending.

    It is also a ``ValueError`` so that argument checks read naturally.
    """


class NotFoundError(CyclrError):
    """The account, connector, account connector, cycle... does not exist (404)."""


class ConflictError(CyclrError):
    """The change conflicts with the current state (409), e.g. editing a running cycle."""


class RateLimitError(CyclrError):
    """Too many requests (429); ``retry_after`` says how long Cyclr asked us to wait."""


class ServerError(CyclrError):
    """Cyclr failed to handle the request (5xx)."""


class TransportError(CyclrError):
    """No usable response: connection refused or dropped, timeout, protocol error."""


class OutcomeUnknownError(TransportError):
    """A request that changes state may or may not have been carried out.

    Raised instead of retrying a POST (install, create) that may have reached Cyclr, because a
    blind retry could install a connector twice.

    Attributes
    ----------
    check
        How to find out what happened, e.g. ``client.find_account_connectors('acct', 'Name')``.
    """

    def __init__(self, message: str, *, check: str | None = None, **kwargs: object) -> None:
        super().__init__(message, **kwargs)  # type: ignore[arg-type]
        self.check = check


_BY_STATUS: dict[int, type[CyclrError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AccessDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every occurrence of a known secret in ``text`` with ``***``."""
    for secret in secrets:
        # Very short values would blank out ordinary words; real secrets are long.
        if secret and len(secret) >= 4:
            text = text.replace(secret, _MASK)
    return text


def message_from_body(body: bytes, fallback: str) -> str:
    """Cyclr's error text from a response body.

    Cyclr answers ``{"Message": "..."}``; model-validation errors may follow ASP.NET's
    ``ModelState`` shape (the docs leave it open), so its entries are appended when present.
    """
    try:
        data = json.loads(body) if body else None
    except ValueError:
        text = body.decode("utf-8", "replace").strip()
        # An HTML error page from a proxy is noise; keep short plain-text bodies only.
        return text[:200] if text and not text.startswith("<") else fallback
    if isinstance(data, dict):
        parts = [str(data["Message"])] if data.get("Message") else []
        if data.get("ExceptionMessage"):
            parts.append(str(data["ExceptionMessage"]))
        state = data.get("ModelState")
        if isinstance(state, dict):
            for key, errors in state.items():
                items = errors if isinstance(errors, list) else [errors]
                parts.extend(f"{key}: {e}" for e in items)
        if not parts and data.get("error"):  # OAuth-style token errors: {"error": "invalid_client"}
            parts.append(str(data["error"]))
        if parts:
            return " ".join(parts)
    if isinstance(data, str) and data:
        return data
    return fallback


# Cyclr's IP refusal is undocumented (surface doc Q8); its wording is not known for sure, so
# any 403 message that names an IP together with an address/allow-list/restriction word counts.
_IP_WORD = re.compile(r"\bIPs?\b", re.IGNORECASE)
_IP_CONTEXT = re.compile(
    r"address|restrict|allow|white-?list|range|not permitted|blocked", re.IGNORECASE
)


def is_ip_refusal(message: str) -> bool:
    """Whether a 403's ``Message`` says the caller's IP address is not allowed."""
    return bool(_IP_WORD.search(message) and _IP_CONTEXT.search(message))


def _access_denied(message: str, **where: Any) -> AccessDeniedError:
    said = message.rstrip(". ")
    if is_ip_refusal(message):
        return IPRestrictionError(
            f"Cyclr refused the call from this machine's IP address (403 Forbidden): {said}. "
            "The partner's API IP allow-list, or for Data on Demand calls to non-native "
            "connectors Cyclr support, must allow it.",
            **where,
        )
    return AccessDeniedError(
        f"Cyclr refused access to this resource (403 Forbidden): {said}. The credentials "
        "were read, but they do not allow this call (for example a token restricted to "
        "another account).",
        **where,
    )


def error_for_status(
    status_code: int,
    body: bytes,
    *,
    method: str,
    path: str,
    reason: str = "",
    retry_after: float | None = None,
    secrets: Iterable[str | None] = (),
) -> CyclrError:
    """Build the exception for an unsuccessful response (the sans-I/O mapping both clients use)."""
    fallback = reason or "no message"
    message = scrub(message_from_body(body, fallback), secrets)
    where: dict[str, Any] = {"method": method, "path": path, "retry_after": retry_after}
    if status_code == 403:
        return _access_denied(message, status_code=status_code, **where)
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        cls = ServerError if status_code >= 500 else CyclrError
    return cls(message, status_code=status_code, method=method, path=path, retry_after=retry_after)
