"""What a finished attempt means, decided without I/O: a result, a delay and a retry, or an error.

Both send paths (:mod:`._sync_io` and :mod:`._async_io`) loop over the same three steps: build
the request, send it, then ask :func:`outcome` what happened. This module owns the retry rules:

- a token request that failed means the call itself was never sent, so it may be retried;
- a connection error is retried for an idempotent call, or for any call when nothing was sent;
  otherwise the outcome is unknown (:class:`OutcomeUnknownError`, never retried);
- 429 is a refusal: Cyclr did nothing, so any call is retried once ``Retry-After`` has passed;
- 502/503/504 may come from a gateway after Cyclr acted: retried only when idempotent;
- anything else becomes the ``CyclrError`` subclass for its status.

:func:`decode` then turns a successful answer into the operation's result.
"""

from __future__ import annotations

import json
import logging
from typing import Any, TypeVar

import httpx

from ..core import CyclrError, OutcomeUnknownError, TransportError, error_for_status, scrub
from ._auth import TOKEN_PATH
from ._operation import Operation
from ._retry import (
    AMBIGUOUS_STATUSES,
    RETRY_STATUSES,
    RetryPolicy,
    parse_retry_after,
    sent_for_sure_not,
)

__all__ = ["decode", "outcome", "unknown"]

T = TypeVar("T")
logger = logging.getLogger("cyclr_widgets")


def outcome(
    op: Operation[Any],
    attempt: int,
    response: httpx.Response | None,
    exc: BaseException | None,
    elapsed: float,
    *,
    policy: RetryPolicy,
    secrets: tuple[str | None, ...],
    awaiting: str = "",
) -> httpx.Response | float | CyclrError:
    """Decide what a finished attempt means: the response, a delay before retrying, or an error.

    Parameters
    ----------
    op
        The operation that was sent.
    attempt
        How many attempts came before this one (0 for the first).
    response, exc
        What the attempt gave: a response, or the exception the send raised.
    elapsed
        Seconds the attempt took (logged).
    policy
        The client's retry policy (how many retries, how long to wait).
    secrets
        Strings to scrub from any message (the client secret, tokens, the body's secrets).
    awaiting
        ``"await "`` for the async client: how an error's hint spells a call.
    """
    where: dict[str, Any] = {"method": op.method, "path": op.path}
    if isinstance(exc, CyclrError):
        # Raised by the auth flow: the token request failed, so `op` itself was never
        # sent and a retry is safe even for a POST.
        retry_after = exc.retry_after
        if exc.status_code in RETRY_STATUSES:
            delay = policy.delay(attempt, retry_after)
            if delay is not None:
                _log_retry(op, f"token request {exc.status_code}", delay, attempt, policy)
                return delay
        return exc
    if exc is not None:
        reason = scrub(f"{type(exc).__name__}: {exc}", secrets)
        if op.idempotent or sent_for_sure_not(exc, TOKEN_PATH):
            delay = policy.delay(attempt, None)
            if delay is not None:
                _log_retry(op, type(exc).__name__, delay, attempt, policy)
                return delay
            return TransportError(f"no response from Cyclr ({reason})", **where)
        return unknown(
            op, f"the connection failed after the request was sent ({reason})", None, awaiting
        )
    assert response is not None
    logger.debug("%s %s -> %s (%.0f ms)", op.method, op.path, response.status_code, elapsed * 1000)
    if response.is_success:
        return response
    status = response.status_code
    retry_after = parse_retry_after(response.headers)
    if status in RETRY_STATUSES:
        # A 429 is a refusal: Cyclr did not act on the request, so even an install may be
        # sent again once Retry-After has passed. 502/503/504 may come from a proxy after
        # Cyclr acted, so a non-idempotent request is never repeated on those.
        if op.idempotent or status == 429:
            delay = policy.delay(attempt, retry_after)
            if delay is not None:
                _log_retry(op, str(status), delay, attempt, policy)
                return delay
        elif status in AMBIGUOUS_STATUSES:
            return unknown(op, f"a gateway answered {status}", status, awaiting)
    return error_for_status(
        status,
        response.content,
        reason=response.reason_phrase,
        retry_after=retry_after,
        secrets=secrets,
        **where,
    )


def unknown(
    op: Operation[Any], why: str, status: int | None, awaiting: str = ""
) -> OutcomeUnknownError:
    """The error for a call that may or may not have been carried out (never retried)."""
    check = f"{awaiting}{op.check}" if op.check else None
    return OutcomeUnknownError(
        f"the outcome is unknown: {why}. Cyclr may or may not have carried it out, so it "
        f"was not retried (a retry could do it twice). Check with "
        f"{check or 'the account'} before trying again.",
        check=check,
        status_code=status,
        method=op.method,
        path=op.path,
    )


def _log_retry(
    op: Operation[Any], why: str, delay: float, attempt: int, policy: RetryPolicy
) -> None:
    logger.warning(
        "%s %s: %s; retry %d/%d in %.1f s",
        op.method,
        op.path,
        why,
        attempt + 1,
        policy.max_retries,
        delay,
    )


def decode(op: Operation[T], response: httpx.Response) -> T:
    """The operation's result from a successful answer, else ``CyclrError``."""
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


def _load_json(response: httpx.Response) -> Any:
    """The JSON of a response (``None`` when empty), else ``CyclrError``."""
    if not response.content.strip():
        return None
    try:
        return json.loads(response.content)
    except ValueError:
        raise CyclrError("Cyclr answered with something that is not JSON") from None
