"""What both clients share: settings, request building, and the retry/error decisions.

Nothing here does I/O. ``CyclrClient`` and ``AsyncCyclrClient`` only add their send paths
(``_send``, ``_collect``) and the public methods, one line each over :mod:`._endpoints`.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping
from datetime import date, datetime, timezone
from types import MappingProxyType
from typing import Any, TypeVar

import httpx

from ._auth import TOKEN_PATH, CyclrAuth
from ._authvalue import AuthValue, reveal_all
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


# -- constructor checks: TypeError for a wrong type, ValidationError (a ValueError) for a bad
# -- value, each naming the argument, so a typo fails at construction and not on the first call


def _type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {expected}, got {type(value).__name__}")


def _optional_str(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _type_error(name, "a string or None", value)
    return value


def _required_str(name: str, value: object, sealed_ok: bool = False) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(
            f"{name} is required (a non-empty string); CyclrClient.from_env() reads "
            f"{ENV_VARS[name]}"
        )
    if not isinstance(value, str) and not (sealed_ok and isinstance(value, AuthValue)):
        raise _type_error(name, "a string" + (" or an AuthValue" if sealed_ok else ""), value)


def _seal_client_secret(value: object) -> AuthValue:
    """``client_secret`` sealed at once, so no later frame holds it in the clear."""
    _required_str("client_secret", value, sealed_ok=True)
    if isinstance(value, AuthValue):
        if not value.reveal().strip():
            raise ValidationError("client_secret is required (a non-empty string)")
        return value
    assert isinstance(value, str)
    return AuthValue(value, kind="secret")


def _number(name: str, value: object, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _type_error(name, "a number", value)
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise ValidationError(
            f"{name} must be a finite number {'> 0' if positive else '>= 0'}, got {value!r}"
        )
    return value


def _check_timeout(value: object) -> float | httpx.Timeout:
    """Seconds (> 0) or an ``httpx.Timeout`` whose four phases are all set and > 0."""
    if value is None:
        raise ValidationError(
            "timeout cannot be None: a request without a timeout can wait for ever; give "
            "seconds, or an httpx.Timeout"
        )
    if isinstance(value, httpx.Timeout):
        for phase, seconds in value.as_dict().items():
            if seconds is None:
                raise ValidationError(f"timeout: the {phase} phase of the httpx.Timeout is None")
            _number(f"timeout ({phase})", seconds, positive=True)
        return value
    return _number("timeout", value, positive=True)


def _int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _type_error(name, "an int", value)
    if value < minimum:
        raise ValidationError(f"{name} must be >= {minimum}, got {value!r}")
    return value


def _env_value(environ: Mapping[str, str] | None, var: str) -> str | None:
    # os.environ is never bound to a local of a frame that may end up in a traceback.
    return (os.environ if environ is None else environ).get(var)


def _env_kwargs(
    environ: Mapping[str, str] | None, overrides: Mapping[str, Any]
) -> tuple[dict[str, Any], str | None]:
    """Constructor arguments from ``CYCLR_*`` variables and overrides, the secret sealed.

    Returns them with the name of a missing required variable (or ``None``): raising is left
    to the caller, once no local of any frame holds the mapping and its plain secret.
    """
    read = {arg: _env_value(environ, var) for arg, var in ENV_VARS.items()}
    kwargs: dict[str, Any] = {arg: value for arg, value in read.items() if value}
    kwargs.update(overrides)
    if isinstance(kwargs.get("client_secret"), str):
        kwargs["client_secret"] = AuthValue(kwargs["client_secret"], kind="secret")
    missing = [ENV_VARS[arg] for arg in ("client_id", "client_secret") if not kwargs.get(arg)]
    return kwargs, (missing[0] if missing else None)


class BaseClient:
    """Settings and sans-I/O decisions shared by the sync and async clients."""

    # How a hint in an error message calls this client ("await client.x(...)" when async).
    _await = ""
    # What the I/O twin can drive: its httpx client class and transport kind.
    _http_class: type[Any] = object
    _transport_class: type[Any] = object
    _transport_kind = "transport"

    def __init__(
        self,
        client_id: str | None = None,
        client_secret: str | AuthValue | None = None,
        *,
        api_url: str | None = None,
        region: str | None = None,
        service_url: str | None = None,
        account_id: str | None = None,
        token_scope_account: str | None = None,
        timeout: float | httpx.Timeout = 30.0,
        max_retries: int = 4,
        backoff_cap: float = 30.0,
        page_size: int = 50,
        concurrency: int = 8,
        progress: bool | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
    ) -> None:
        # First of all: from here on, a traceback's locals show the secret masked.
        client_secret = _seal_client_secret(client_secret)
        _required_str("client_id", client_id)
        assert isinstance(client_id, str)  # for type checkers
        self.api_url = _resolve_api_url(
            _optional_str("api_url", api_url), _optional_str("region", region)
        )
        service_url = _optional_str("service_url", service_url)
        try:
            self.service_url = None if service_url is None else normalize_service_url(service_url)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        self.account_id = self._account_arg("account_id", account_id)
        scope = self._account_arg("token_scope_account", token_scope_account)
        self.client_id = client_id
        self.timeout = _check_timeout(timeout)
        self.page_size = _int("page_size", page_size, 1)
        self.concurrency = _int("concurrency", concurrency, 1)
        if progress is not None and not isinstance(progress, bool):
            raise _type_error("progress", "True, False or None", progress)
        self.progress = progress
        self._retry = RetryPolicy(
            max_retries=_int("max_retries", max_retries, 0),
            backoff_cap=_number("backoff_cap", backoff_cap, positive=False),
        )
        self._auth = CyclrAuth(
            self.api_url + TOKEN_PATH,
            client_id,
            client_secret,
            scope_account=scope,
            timeout=httpx.Timeout(self.timeout),
        )
        self._headers = {
            "Accept": "application/json",
            "User-Agent": f"cyclr-widgets/{__version__} httpx/{httpx.__version__}",
        }
        self._check_io(transport, http_client)
        # The pool: ours (closed by close()/aclose()) unless one was passed in.
        self._transport = transport
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else self._new_http()

    @staticmethod
    def _account_arg(name: str, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise _type_error(name, "a string or None", value)
        return check_account(value, name=name)

    def _check_io(self, transport: object, http_client: object) -> None:
        name = type(self).__name__
        if transport is not None and not isinstance(transport, self._transport_class):
            raise TypeError(
                f"{name} needs a {self._transport_kind}; transport= got {type(transport).__name__}"
            )
        if http_client is not None and not isinstance(http_client, self._http_class):
            raise _type_error("http_client", f"an httpx.{self._http_class.__name__}", http_client)
        if transport is not None and http_client is not None:
            raise ValidationError(
                "give transport or http_client, not both (a ready http_client keeps its own "
                "transport)"
            )

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
        kwargs, missing = _env_kwargs(environ, overrides)
        # Both may hold the plain secret (a sandbox's environ does): keep them out of this
        # frame's locals, which a Verbose traceback prints if anything below raises.
        del environ, overrides
        if missing is not None:
            raise ValidationError(f"environment variable {missing} is not set")
        return cls(**kwargs)

    def __repr__(self) -> str:
        # client_id is an identifier, not a secret; the secret and tokens never appear.
        # getattr: a repr must work even on a half-built client (a constructor that raised).
        fields = ("api_url", "client_id", "service_url", "account_id")
        shown = ", ".join(f"{f}={getattr(self, f, None)!r}" for f in fields)
        return f"{type(self).__name__}({shown})"

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
            # Revealed only here, inside the call: httpx encodes it and keeps the bytes alone.
            json=reveal_all(op.json),
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
        try:
            return op.parse(_load_json(response))
        except (CyclrError, LookupError, TypeError, ValueError, AttributeError) as exc:
            why = (
                exc.message
                if isinstance(exc, CyclrError)
                else (f"Cyclr's answer has an unexpected shape ({type(exc).__name__})")
            )
        # Raised outside the except block, so without a __context__: the frames that parsed
        # the answer (and held it, e.g. a sign-in token) never reach a traceback.
        raise CyclrError(why, status_code=response.status_code, method=op.method, path=op.path)

    @staticmethod
    def _frame(kind: str, items: list[Any], include_icons: bool = False) -> Any:
        # Imported here so that importing the client does not import pandas.
        from .frames import to_frame

        return to_frame(kind, items, include_icons=include_icons)


def _load_json(response: httpx.Response) -> Any:
    """The JSON of a response (``None`` when empty), else ``CyclrError``."""
    if not response.content.strip():
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        raise CyclrError("Cyclr answered with something that is not JSON") from None
