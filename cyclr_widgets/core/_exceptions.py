"""The exceptions raised by the Cyclr clients.

One tree, one root::

    CyclrError
    ├── AuthenticationError   401 / 403, and a token request Cyclr refused
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
from collections.abc import Iterable

__all__ = [
    "AuthenticationError",
    "ConflictError",
    "CyclrError",
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
    403: AuthenticationError,
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
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        cls = ServerError if status_code >= 500 else CyclrError
    return cls(message, status_code=status_code, method=method, path=path, retry_after=retry_after)
