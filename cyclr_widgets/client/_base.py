"""What both clients share: settings, request building, and the retry/error decisions.

Nothing here does I/O. The argument checks live in :mod:`._settings`, the meaning of an attempt
(result, retry or error) in :mod:`._outcome`. ``CyclrClient`` and ``AsyncCyclrClient`` add their
send paths (:mod:`._sync_io`, :mod:`._async_io`) and the public methods, one line each over
:mod:`._endpoints`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any, Literal, TypeVar

import httpx

from .._version import __version__
from ..core import AuthValue, CyclrError, ValidationError, normalize_service_url, reveal_all
from ._auth import TOKEN_PATH, CyclrAuth
from ._limiter import Limiter
from ._operation import Operation, check_account
from ._outcome import decode, outcome
from ._retry import RetryPolicy, parse_retry_after
from ._settings import (
    check_rate_limit,
    check_timeout,
    env_kwargs,
    int_arg,
    number,
    optional_str,
    required_str,
    resolve_api_url,
    seal_client_secret,
    type_error,
)

__all__ = ["BaseClient"]

T = TypeVar("T")


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
        rate_limit: float | Literal["auto"] | None = "auto",
        progress: bool | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        http_client: httpx.Client | httpx.AsyncClient | None = None,
        clock: Callable[[], float | datetime] | None = None,
    ) -> None:
        # First of all: from here on, a traceback's locals show the secret masked.
        client_secret = seal_client_secret(client_secret)
        required_str("client_id", client_id)
        assert isinstance(client_id, str)  # for type checkers
        self.api_url = resolve_api_url(
            optional_str("api_url", api_url), optional_str("region", region)
        )
        service_url = optional_str("service_url", service_url)
        try:
            self.service_url = None if service_url is None else normalize_service_url(service_url)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        self.account_id = self._account_arg("account_id", account_id)
        scope = self._account_arg("token_scope_account", token_scope_account)
        self.client_id = client_id
        self.timeout = check_timeout(timeout)
        self.page_size = int_arg("page_size", page_size, 1)
        self.concurrency = int_arg("concurrency", concurrency, 1)
        if progress is not None and not isinstance(progress, bool):
            raise type_error("progress", "True, False or None", progress)
        self.progress = progress
        self._retry = RetryPolicy(
            max_retries=int_arg("max_retries", max_retries, 0),
            backoff_cap=number("backoff_cap", backoff_cap, positive=False),
        )
        # One limiter for every request of this client (see _limiter.py); the I/O twin wraps it
        # in its own way of waiting. The cap is `concurrency`: a listing fetches that many pages
        # at once, and all listings, threads and tasks of the client together never have more
        # than that many requests in flight.
        self.rate_limit = check_rate_limit(rate_limit)
        self._limiter = self._new_limiter(
            Limiter(self.concurrency, self.rate_limit, max_pause=self._retry.max_retry_after)
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
        if clock is not None and not callable(clock):
            raise type_error("clock", "a callable or None", clock)
        # What "now" is for the incidents' default window: injectable, so that tests (and a
        # sandbox on a fake clock) never depend on the wall clock.
        self._clock = clock
        # The pool: ours (closed by close()/aclose()) unless one was passed in.
        self._transport = transport
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else self._new_http()

    @staticmethod
    def _account_arg(name: str, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            raise type_error(name, "a string or None", value)
        return check_account(value, name=name)

    def _check_io(self, transport: object, http_client: object) -> None:
        name = type(self).__name__
        if transport is not None and not isinstance(transport, self._transport_class):
            raise TypeError(
                f"{name} needs a {self._transport_kind}; transport= got {type(transport).__name__}"
            )
        if http_client is not None and not isinstance(http_client, self._http_class):
            raise type_error("http_client", f"an httpx.{self._http_class.__name__}", http_client)
        if transport is not None and http_client is not None:
            raise ValidationError(
                "give transport or http_client, not both (a ready http_client keeps its own "
                "transport)"
            )

    def _new_http(self) -> Any:
        raise NotImplementedError  # pragma: no cover - the I/O twins provide it

    def _new_limiter(self, core: Limiter) -> Any:
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
        kwargs, missing = env_kwargs(environ, overrides)
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

    def now(self) -> datetime:
        """The client's current time (aware, UTC): its ``clock=`` if given, else the system's.

        What "recent" means for the listings with a default window (``incidents()``), and for
        widgets that offer "the last hour": a test or a replay moves it by injecting a clock.
        """
        return self._now()

    def _now(self) -> datetime:
        """The current time (aware, UTC) from ``clock`` (epoch seconds or a datetime)."""
        if self._clock is None:
            return datetime.now(timezone.utc)
        now = self._clock()
        if isinstance(now, datetime):
            if now.tzinfo is None:
                raise ValidationError("clock() must return an aware datetime (or epoch seconds)")
            return now.astimezone(timezone.utc)
        return datetime.fromtimestamp(now, timezone.utc)

    def _account(self, account_id: str | None) -> str:
        return check_account(account_id, self.account_id)

    def _optional_account(self, account_id: str | None) -> str | None:
        # For calls whose account header Cyclr leaves open (the library by name, methods):
        # the account's view when one is known, a partner-level call otherwise.
        if account_id is None and self.account_id is None:
            return None
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

    @staticmethod
    def _feedback(
        response: httpx.Response | None, error: BaseException | None
    ) -> tuple[int | None, float | None]:
        """What the limiter learns from an attempt: its status and ``Retry-After`` (if any).

        The token request travels inside the slot of the request it serves (a slot of its own
        could deadlock: every slot held by a request waiting for that token): it takes no slot
        and no token of the rate, being one request per token lifetime, but a 429 or 503 it
        gets (a ``CyclrError`` from the auth flow) pauses the client like any other.
        """
        if response is not None:
            return response.status_code, parse_retry_after(response.headers)
        if isinstance(error, CyclrError):
            return error.status_code, error.retry_after
        return None, None

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
        """Decide what a finished attempt means (see :func:`._outcome.outcome`)."""
        return outcome(
            op,
            attempt,
            response,
            exc,
            elapsed,
            policy=self._retry,
            secrets=self._secrets(op),
            awaiting=self._await,
        )

    @staticmethod
    def _decode(op: Operation[T], response: httpx.Response) -> T:
        return decode(op, response)

    @staticmethod
    def _frame(kind: str, items: Iterable[Any], include_icons: bool = False) -> Any:
        # Imported here so that importing the client does not import pandas.
        from ..frames import to_frame

        return to_frame(kind, items, include_icons=include_icons)
