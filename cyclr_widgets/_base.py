"""What both clients share: settings, request building, and the retry/error decisions.

Nothing here does I/O. ``CyclrClient`` and ``AsyncCyclrClient`` only add their send paths
(``_send``, ``_collect``) and the public methods, one line each over :mod:`._endpoints`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from datetime import date, datetime, timezone
from types import MappingProxyType
from typing import Any, TypeVar

import httpx

from ._auth import TOKEN_PATH, CyclrAuth
from ._exceptions import (
    CyclrError,
    OutcomeUnknownError,
    TransportError,
    ValidationError,
    error_for_status,
    scrub,
)
from ._oauth import normalize_service_url
from ._operation import Operation, check_account
from ._retry import (
    AMBIGUOUS_STATUSES,
    RETRY_STATUSES,
    RetryPolicy,
    parse_retry_after,
    sent_for_sure_not,
)
from ._version import __version__

__all__ = ["ENV_VARS", "REGIONS", "BaseClient", "format_when"]

T = TypeVar("T")
logger = logging.getLogger("cyclr_widgets")

REGIONS: Mapping[str, str] = MappingProxyType(
    {
        "us": "https://api.cyclr.com",
        "us2": "https://api.us2.cyclr.com",
        "uk": "https://api.cyclr.uk",
        "eu": "https://api.eu.cyclr.com",
        # Listed in Cyclr's 2023 docs, missing from the newest table; kept (docs §2.5).
        "apac": "https://api.apac.cyclr.com",
    }
)

ENV_VARS = {
    "client_id": "CYCLR_CLIENT_ID",
    "client_secret": "CYCLR_CLIENT_SECRET",
    "api_url": "CYCLR_API_URL",
    "service_url": "CYCLR_SERVICE_URL",
    "region": "CYCLR_REGION",
    "account_id": "CYCLR_ACCOUNT_ID",
}


def format_when(value: datetime | date | str | None) -> str | None:
    """A query/body timestamp: datetimes as ISO-8601 UTC, dates as ``YYYY-MM-DD``, str as is."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValidationError("datetimes must be timezone-aware (Cyclr works in UTC)")
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    raise ValidationError(f"expected a datetime, date or string, got {type(value).__name__}")


def _resolve_api_url(api_url: str | None, region: str | None) -> str:
    if api_url is not None:
        # api_url wins over region: a private instance or the sandbox.
        try:
            return normalize_service_url(api_url)
        except ValueError:
            raise ValidationError(f"api_url must be an http(s) URL, got {api_url!r}") from None
    key = (region or "us").strip().lower()
    if key not in REGIONS:
        raise ValidationError(
            f"unknown region {region!r}; use one of {sorted(REGIONS)} or api_url="
        )
    return REGIONS[key]


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"{name} must be a positive int, got {value!r}")
    return value


class BaseClient:
    """Settings and sans-I/O decisions shared by the sync and async clients."""

    # How a hint in an error message calls this client ("await client.x(...)" when async).
    _await = ""

    def __init__(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        *,
        api_url: str | None = None,
        region: str | None = None,
        service_url: str | None = None,
        account_id: str | None = None,
        token_scope_account: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 4,
        backoff_cap: float = 30.0,
        page_size: int = 50,
        concurrency: int = 8,
        progress: bool | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
    ) -> None:
        for name, value in (("client_id", client_id), ("client_secret", client_secret)):
            if not isinstance(value, str) or not value.strip():
                raise ValidationError(
                    f"{name} is required (a non-empty string); CyclrClient.from_env() reads "
                    f"{ENV_VARS[name]}"
                )
        assert client_id is not None and client_secret is not None  # for type checkers
        self.api_url = _resolve_api_url(api_url, region)
        try:
            self.service_url = None if service_url is None else normalize_service_url(service_url)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        self.account_id = None if account_id is None else check_account(account_id)
        scope = None if token_scope_account is None else check_account(token_scope_account)
        self.client_id = client_id
        self.timeout = timeout
        self.page_size = _positive_int("page_size", page_size)
        self.concurrency = _positive_int("concurrency", concurrency)
        self.progress = progress
        self._retry = RetryPolicy(max_retries=max_retries, backoff_cap=backoff_cap)
        self._auth = CyclrAuth(
            self.api_url + TOKEN_PATH, client_id, client_secret, scope_account=scope
        )
        self._headers = {
            "Accept": "application/json",
            "User-Agent": f"cyclr-widgets/{__version__} httpx/{httpx.__version__}",
        }
        # The pool: ours (closed by close()/aclose()) unless one was passed in.
        self._transport = transport
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else self._new_http()

    def _new_http(self) -> Any:
        raise NotImplementedError  # pragma: no cover - the I/O twins provide it

    @classmethod
    def from_env(cls: type[T], environ: Mapping[str, str] | None = None, **overrides: Any) -> T:
        """Build a client from ``CYCLR_*`` variables.

        Parameters
        ----------
        environ
            Where to read ``CYCLR_CLIENT_ID``, ``CYCLR_CLIENT_SECRET``, ``CYCLR_API_URL`` (or
            ``CYCLR_REGION``), ``CYCLR_SERVICE_URL`` and ``CYCLR_ACCOUNT_ID``; default
            ``os.environ``.
        **overrides
            Constructor arguments; they win over the environment.

        Raises
        ------
        ValidationError
            When ``CYCLR_CLIENT_ID`` or ``CYCLR_CLIENT_SECRET`` is missing (the message names it).
        """
        env = os.environ if environ is None else environ
        kwargs: dict[str, Any] = {}
        for arg, var in ENV_VARS.items():
            value = env.get(var)
            if value not in (None, ""):
                kwargs[arg] = value
        kwargs.update(overrides)
        for arg in ("client_id", "client_secret"):
            if not kwargs.get(arg):
                raise ValidationError(f"environment variable {ENV_VARS[arg]} is not set")
        return cls(**kwargs)

    def __repr__(self) -> str:
        # client_id is an identifier, not a secret; the secret and tokens never appear.
        return (
            f"{type(self).__name__}(api_url={self.api_url!r}, client_id={self.client_id!r}, "
            f"service_url={self.service_url!r}, account_id={self.account_id!r})"
        )

    __str__ = __repr__

    # -- sans-I/O helpers used by both send paths ------------------------------------------

    def _account(self, account_id: str | None) -> str:
        return check_account(account_id, self.account_id)

    def _build_request(
        self, http: httpx.Client | httpx.AsyncClient, op: Operation[Any]
    ) -> httpx.Request:
        headers = dict(self._headers)
        if op.account is not None:
            headers["X-Cyclr-Account"] = op.account
        return http.build_request(
            op.method,
            self.api_url + op.path,
            params=dict(op.params) if op.params else None,
            json=op.json,
            headers=headers,
            timeout=self.timeout,
        )

    def _secrets(self, op: Operation[Any]) -> tuple[str | None, ...]:
        return (*self._auth.secrets, *op.secrets)

    def _outcome(
        self,
        op: Operation[Any],
        attempt: int,
        response: httpx.Response | None,
        exc: BaseException | None,
        elapsed: float,
    ) -> httpx.Response | float | CyclrError:
        """Decide what a finished attempt means: a result, a delay before retrying, or an error."""
        where: dict[str, Any] = {"method": op.method, "path": op.path}
        if isinstance(exc, CyclrError):
            # Raised by the auth flow: the token request failed, so `op` itself was never
            # sent and a retry is safe even for a POST.
            retry_after = exc.retry_after
            if exc.status_code in RETRY_STATUSES:
                delay = self._retry.delay(attempt, retry_after)
                if delay is not None:
                    self._log_retry(op, f"token request {exc.status_code}", delay, attempt)
                    return delay
            return exc
        if exc is not None:
            reason = scrub(f"{type(exc).__name__}: {exc}", self._secrets(op))
            if op.idempotent or sent_for_sure_not(exc, TOKEN_PATH):
                delay = self._retry.delay(attempt, None)
                if delay is not None:
                    self._log_retry(op, type(exc).__name__, delay, attempt)
                    return delay
                return TransportError(f"no response from Cyclr ({reason})", **where)
            return self._unknown(
                op, f"the connection failed after the request was sent ({reason})", None
            )
        assert response is not None
        logger.debug(
            "%s %s -> %s (%.0f ms)", op.method, op.path, response.status_code, elapsed * 1000
        )
        if response.is_success:
            return response
        status = response.status_code
        retry_after = parse_retry_after(response.headers)
        if status in RETRY_STATUSES:
            # A 429 is a refusal: Cyclr did not act on the request, so even an install may be
            # sent again once Retry-After has passed. 502/503/504 may come from a proxy after
            # Cyclr acted, so a non-idempotent request is never repeated on those.
            if op.idempotent or status == 429:
                delay = self._retry.delay(attempt, retry_after)
                if delay is not None:
                    self._log_retry(op, str(status), delay, attempt)
                    return delay
            elif status in AMBIGUOUS_STATUSES:
                return self._unknown(op, f"a gateway answered {status}", status)
        return error_for_status(
            status,
            response.content,
            reason=response.reason_phrase,
            retry_after=retry_after,
            secrets=self._secrets(op),
            **where,
        )

    def _unknown(self, op: Operation[Any], why: str, status: int | None) -> OutcomeUnknownError:
        check = f"{self._await}{op.check}" if op.check else None
        return OutcomeUnknownError(
            f"the outcome is unknown: {why}. Cyclr may or may not have carried it out, so it "
            f"was not retried (a retry could do it twice). Check with "
            f"{check or 'the account'} before trying again.",
            check=check,
            status_code=status,
            method=op.method,
            path=op.path,
        )

    def _log_retry(self, op: Operation[Any], why: str, delay: float, attempt: int) -> None:
        logger.warning(
            "%s %s: %s; retry %d/%d in %.1f s",
            op.method,
            op.path,
            why,
            attempt + 1,
            self._retry.max_retries,
            delay,
        )

    def _decode(self, op: Operation[T], response: httpx.Response) -> T:
        content = response.content
        if not content.strip():
            return op.parse(None)
        try:
            data = json.loads(content)
        except ValueError:
            raise CyclrError(
                "Cyclr answered with something that is not JSON",
                status_code=response.status_code,
                method=op.method,
                path=op.path,
            ) from None
        return op.parse(data)

    @staticmethod
    def _frame(kind: str, items: list[Any], include_icons: bool = False) -> Any:
        # Imported here so that importing the client does not import pandas.
        from .frames import to_frame

        return to_frame(kind, items, include_icons=include_icons)
