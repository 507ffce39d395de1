"""The client-credentials token as an ``httpx.Auth`` generator flow (one class for both clients).

The flow yields the token request when no valid token is cached, sets the bearer header, yields
the real request, and on a 401 renews the token once and yields the request once more. httpx
drives the generator from ``Client`` and ``AsyncClient`` alike, so the dance exists once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator

import httpx

from ._exceptions import AuthenticationError, CyclrError, error_for_status
from ._retry import parse_retry_after

__all__ = ["TOKEN_PATH", "CyclrAuth"]

TOKEN_PATH = "/oauth/token"
# Cyclr documents no lifetime other than expires_in (14 days); if it is ever missing, assume a
# short one so we renew early rather than send an expired token.
_DEFAULT_LIFETIME = 3600.0

logger = logging.getLogger("cyclr_widgets")


class CyclrAuth(httpx.Auth):
    """OAuth 2 client credentials for Cyclr, renewed before expiry and once on a 401.

    Parameters
    ----------
    token_url
        ``{api_url}/oauth/token``.
    client_id, client_secret
        The partner's API credentials.
    scope_account
        An account API ID for an account-restricted token (``scope=account:{id}``).
    clock
        Monotonic seconds; injectable for tests.
    """

    requires_response_body = True

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope_account: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._scope_account = scope_account
        self.clock = clock
        self._token: str | None = None
        self._expires_at = 0.0

    def __repr__(self) -> str:
        return f"CyclrAuth(client_id={self._client_id!r}, client_secret='***')"

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """Values that must never appear in messages (scrubbed from error texts)."""
        return (self._client_secret, self._token)

    @property
    def has_valid_token(self) -> bool:
        """Whether a cached token is present and not about to expire."""
        return self._token is not None and self.clock() < self._expires_at

    def invalidate(self) -> None:
        """Forget the cached token; the next request fetches a new one."""
        self._token = None

    def build_token_request(self) -> httpx.Request:
        """The form-encoded ``POST /oauth/token`` (credentials in the body, never the URL)."""
        data = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
        }
        if self._scope_account:
            data["scope"] = f"account:{self._scope_account}"
        return httpx.Request(
            "POST", self._token_url, data=data, headers={"Accept": "application/json"}
        )

    def handle_token_response(self, response: httpx.Response, started: float) -> str:
        """Cache the token from a token response, or raise the matching ``CyclrError``."""
        elapsed = (time.perf_counter() - started) * 1000
        logger.debug("POST %s -> %s (%.0f ms)", TOKEN_PATH, response.status_code, elapsed)
        if response.status_code != 200:
            error = error_for_status(
                response.status_code,
                response.content,
                method="POST",
                path=TOKEN_PATH,
                reason=response.reason_phrase,
                retry_after=parse_retry_after(response.headers),
                secrets=self.secrets,
            )
            if response.status_code in (400, 401, 403):
                # Cyclr leaves token errors undocumented; OAuth servers answer invalid_client
                # with 400 or 401. Either way it means the credentials were refused.
                raise AuthenticationError(
                    f"Cyclr refused the client credentials ({error.message})",
                    status_code=response.status_code,
                    method="POST",
                    path=TOKEN_PATH,
                )
            raise error
        try:
            body = response.json()
            token = str(body["access_token"])
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
        # Renew a little early (10% of the lifetime, at most 5 minutes) so a request never
        # leaves with a token that expires in flight.
        margin = min(300.0, lifetime * 0.1)
        self._token = token
        self._expires_at = self.clock() + lifetime - margin
        return token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Fetch/renew the token as needed, send ``request``; on a 401 renew once and resend."""
        if not self.has_valid_token:
            started = time.perf_counter()
            token_response = yield self.build_token_request()
            self.handle_token_response(token_response, started)
        used = self._token
        request.headers["Authorization"] = f"Bearer {used}"
        response = yield request
        if response.status_code != 401:
            return
        # A 401 with a token we believed valid: it was revoked or expired early. Renew once,
        # unless another request already did (concurrent pages), then retry once.
        if self._token == used:
            self.invalidate()
            started = time.perf_counter()
            token_response = yield self.build_token_request()
            self.handle_token_response(token_response, started)
        logger.debug(
            "%s %s -> 401; retrying once with a new token", request.method, request.url.path
        )
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request
