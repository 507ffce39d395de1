"""The client-credentials token as an ``httpx.Auth`` generator flow (one class for both clients).

The flow yields the token request when no valid token is cached, sets the bearer header, yields
the real request, and on a 401 renews the token once and yields the request once more. httpx
drives it from ``Client`` and ``AsyncClient`` alike, so the dance exists once.

Concurrent callers share one token: the flow also yields ``LOCK``/``UNLOCK`` steps around each
token fetch, and the two thin drivers (``sync_auth_flow``, ``async_auth_flow``) turn them into a
thread lock or an anyio lock. After taking the lock the flow checks again, so of 20 callers that
found no token, one fetches it and 19 use it; of 20 requests refused with the same old token,
one renews it.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import sys
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

import anyio
import httpx

from ..core import (
    AuthenticationError,
    AuthValue,
    CyclrError,
    IPRestrictionError,
    error_for_status,
    message_from_body,
    scrub,
)
from ._retry import parse_retry_after

__all__ = ["TOKEN_PATH", "CyclrAuth"]

TOKEN_PATH = "/oauth/token"
# Cyclr documents no lifetime other than expires_in (14 days); if it is ever missing, assume a
# short one so we renew early rather than send an expired token.
_DEFAULT_LIFETIME = 3600.0
# Bounds a token request when the request it serves carries no timeout of its own.
_DEFAULT_TIMEOUT = httpx.Timeout(30.0)

logger = logging.getLogger("cyclr_widgets")


class _Step(enum.Enum):
    """What the flow asks its driver to do, besides sending a request."""

    LOCK = "lock"
    UNLOCK = "unlock"


_Flow = Generator[httpx.Request | _Step, httpx.Response | None, None]


def _event_loop() -> object:
    """The running event loop (asyncio) or trio run, whichever anyio is on; else ``None``."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        pass
    trio = sys.modules.get("trio")  # the only other backend anyio runs on
    return None if trio is None else trio.lowlevel.current_trio_token()


class CyclrAuth(httpx.Auth):
    """OAuth 2 client credentials for Cyclr, renewed before expiry and once on a 401.

    Parameters
    ----------
    token_url
        ``{api_url}/oauth/token``.
    client_id, client_secret
        The partner's API credentials (the secret is kept sealed in an ``AuthValue``).
    scope_account
        An account API ID for an account-restricted token (``scope=account:{id}``).
    clock
        Monotonic seconds; injectable for tests.
    timeout
        Bounds the token request when the request it serves carries no timeout (the clients
        always give one: the token request inherits the client's timeout).
    """

    requires_response_body = True

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str | AuthValue,
        *,
        scope_account: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        timeout: httpx.Timeout = _DEFAULT_TIMEOUT,
    ) -> None:
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = (
            client_secret
            if isinstance(client_secret, AuthValue)
            else AuthValue(client_secret, kind="secret")
        )
        self._scope_account = scope_account
        self.clock = clock
        self.timeout = timeout
        # Sealed as well: debuggers and locals dumps show attributes, never the bearer token.
        self._token: AuthValue | None = None
        self._expires_at = 0.0
        # Counts successful fetches: "renew unless someone already did since my request left".
        self._generation = 0
        self._thread_lock: Any = threading.Lock()
        # An anyio lock belongs to one event loop; a new one is made when the loop changes
        # (scripts that call asyncio.run() once per call).
        self._async_lock: Any = None
        self._async_lock_loop: object = None

    def __repr__(self) -> str:
        return f"CyclrAuth(client_id={self._client_id!r}, client_secret='***')"

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """Values that must never appear in messages (scrubbed from error texts)."""
        token = None if self._token is None else self._token.reveal()
        return (self._client_secret.reveal(), token)

    @property
    def has_valid_token(self) -> bool:
        """Whether a cached token is present and not about to expire."""
        return self._token is not None and self.clock() < self._expires_at

    def invalidate(self) -> None:
        """Forget the cached token; the next request fetches a new one."""
        self._token = None

    def build_token_request(self, timeout: dict[str, Any] | None = None) -> httpx.Request:
        """The form-encoded ``POST /oauth/token`` (credentials in the body, never the URL).

        Parameters
        ----------
        timeout
            httpx's ``timeout`` request extension; default ``self.timeout``. A request without
            one would wait for ever on a server that accepts the connection and never answers.
        """
        data = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret.reveal(),
        }
        if self._scope_account:
            data["scope"] = f"account:{self._scope_account}"
        return httpx.Request(
            "POST",
            self._token_url,
            data=data,
            headers={"Accept": "application/json"},
            extensions={"timeout": timeout or self.timeout.as_dict()},
        )

    def handle_token_response(self, response: httpx.Response, started: float) -> None:
        """Cache the token from a token response, or raise the matching ``CyclrError``."""
        elapsed = (time.perf_counter() - started) * 1000
        logger.debug("POST %s -> %s (%.0f ms)", TOKEN_PATH, response.status_code, elapsed)
        if response.status_code != 200:
            raise self._token_error(response)
        token, lifetime = _parse_token(response)
        # Renew a little early (10% of the lifetime, at most 5 minutes) so a request never
        # leaves with a token that expires in flight.
        margin = min(300.0, lifetime * 0.1)
        self._expires_at = self.clock() + lifetime - margin
        self._token = token
        self._generation += 1

    def _token_error(self, response: httpx.Response) -> CyclrError:
        error = error_for_status(
            response.status_code,
            response.content,
            method="POST",
            path=TOKEN_PATH,
            reason=response.reason_phrase,
            retry_after=parse_retry_after(response.headers),
            secrets=self.secrets,
        )
        if isinstance(error, IPRestrictionError):
            return error  # the IP, not the credentials: say so
        if response.status_code in (400, 401, 403):
            # Cyclr leaves token errors undocumented; OAuth servers answer invalid_client
            # with 400 or 401. Either way it means the credentials were refused.
            fallback = response.reason_phrase or "no message"
            said = scrub(message_from_body(response.content, fallback), self.secrets)
            return AuthenticationError(
                f"Cyclr refused the client credentials ({said})",
                status_code=response.status_code,
                method="POST",
                path=TOKEN_PATH,
            )
        return error

    def _authorize(self, request: httpx.Request) -> None:
        # The header is the only place the bearer token is revealed (httpx masks it in reprs).
        token = "" if self._token is None else self._token.reveal()
        request.headers["Authorization"] = f"Bearer {token}"

    # -- the flow (sans I/O) and its two drivers ------------------------------------------

    def _flow(self, request: httpx.Request) -> _Flow:
        """Fetch/renew the token as needed, send ``request``; on a 401 renew once and resend."""
        if not self.has_valid_token:
            yield from self._fetch(request, stale=None)
        sent_with = self._generation
        self._authorize(request)
        response = yield request
        assert response is not None
        if response.status_code != 401:
            return
        # A 401 with a token we believed valid: it was revoked or expired early. Renew once,
        # unless another request already did (concurrent pages), then retry once.
        if self._generation == sent_with:
            yield from self._fetch(request, stale=sent_with)
        logger.debug(
            "%s %s -> 401; retrying once with a new token", request.method, request.url.path
        )
        self._authorize(request)
        yield request

    def _fetch(self, request: httpx.Request, stale: int | None) -> _Flow:
        """Fetch a token under the lock, unless another caller did while we waited for it.

        ``stale`` is the generation a 401 was answered to (``None``: no valid token at all).
        """
        yield _Step.LOCK
        if self._needs_token(stale):
            self.invalidate()
            started = time.perf_counter()
            # The token request inherits the timeout of the request it serves.
            response = yield self.build_token_request(request.extensions.get("timeout"))
            assert response is not None
            self.handle_token_response(response, started)
        yield _Step.UNLOCK

    def _needs_token(self, stale: int | None) -> bool:
        # The double check, under the lock: another caller may have fetched or renewed it
        # while we waited.
        if not self.has_valid_token:
            return True
        return stale is not None and self._generation == stale

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """The flow without locking, for code that drives an ``httpx.Auth`` itself."""
        flow = self._flow(request)
        step = next(flow)
        while True:
            reply: httpx.Response | None = None
            if isinstance(step, httpx.Request):
                reply = yield step
            try:
                step = flow.send(reply)
            except StopIteration:
                return

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Drive the flow for ``httpx.Client``: the token lock is a thread lock."""
        flow = self._flow(request)
        held = False
        try:
            step = next(flow)
            while True:
                reply: httpx.Response | None = None
                if step is _Step.LOCK:
                    self._thread_lock.acquire()
                    held = True
                elif step is _Step.UNLOCK:
                    held = False
                    self._thread_lock.release()
                else:
                    assert isinstance(step, httpx.Request)
                    reply = yield step
                    reply.read()
                try:
                    step = flow.send(reply)
                except StopIteration:
                    return
        finally:
            # Also when httpx closes us mid-flight (a token request that timed out).
            if held:
                self._thread_lock.release()
            flow.close()

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Drive the flow for ``httpx.AsyncClient``: the token lock is an anyio lock."""
        flow = self._flow(request)
        held: Any = None  # the lock taken, released at UNLOCK or when httpx closes us
        try:
            step = next(flow)
            while True:
                reply: httpx.Response | None = None
                if step is _Step.LOCK:
                    lock = self._loop_lock()
                    await lock.acquire()
                    held = lock
                elif step is _Step.UNLOCK:
                    lock, held = held, None
                    lock.release()
                else:
                    assert isinstance(step, httpx.Request)
                    reply = yield step
                    await reply.aread()
                try:
                    step = flow.send(reply)
                except StopIteration:
                    return
        finally:
            if held is not None:
                held.release()
            flow.close()

    def _loop_lock(self) -> Any:
        """The token lock of the running event loop (made on first use in each loop)."""
        loop = _event_loop()
        if self._async_lock is None or self._async_lock_loop is not loop:
            self._async_lock = self._new_async_lock()
            self._async_lock_loop = loop
        return self._async_lock

    def _new_async_lock(self) -> Any:
        return anyio.Lock()


def _parse_token(response: httpx.Response) -> tuple[AuthValue, float]:
    """(sealed access token, lifetime in seconds) from a 200 token response."""
    try:
        body = response.json()
        token = AuthValue(str(body["access_token"]), kind="secret")
    except (ValueError, KeyError, TypeError):
        raise CyclrError(
            "the token response has no access_token",
            status_code=200,
            method="POST",
            path=TOKEN_PATH,
        ) from None
    try:
        lifetime = float(body.get("expires_in", _DEFAULT_LIFETIME))
    except (TypeError, ValueError):
        lifetime = _DEFAULT_LIFETIME
    return token, lifetime
