"""Retry decisions, without I/O: which failures to retry, and how long to wait.

Both clients ask :class:`RetryPolicy` and then sleep their own way. Rules:

- GET, PUT, DELETE (idempotent in Cyclr) and the token request are retried on connection errors,
  timeouts, 429, 502, 503 and 504, honouring ``Retry-After``, else capped exponential backoff
  with full jitter.
- A POST that creates something (install, create account...) is retried only when Cyclr certainly
  did not act on it: it never left this machine (a connect error, or the token request failing
  first), or Cyclr refused it with a 429. If it may have reached Cyclr, it raises
  :class:`~cyclr_widgets.OutcomeUnknownError`: no duplicate installs.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

__all__ = ["RETRY_STATUSES", "RetryPolicy", "parse_retry_after", "sent_for_sure_not"]

RETRY_STATUSES = frozenset({429, 502, 503, 504})
# Statuses from a gateway: the request may have been handled behind it.
AMBIGUOUS_STATUSES = frozenset({502, 503, 504})

# Errors raised before a single byte of the request went out.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP-date)."""
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def sent_for_sure_not(exc: BaseException, token_path: str = "/oauth/token") -> bool:
    """Whether the failed request certainly never reached Cyclr's API."""
    if isinstance(exc, _NOT_SENT):
        return True
    request = getattr(exc, "_request", None)  # httpx keeps it private; `.request` may raise
    return request is not None and request.url.path.endswith(token_path)


@dataclass
class RetryPolicy:
    """How many times to retry and how long to wait in between.

    Parameters
    ----------
    max_retries
        Retries after the first attempt (0 disables retrying).
    backoff_base
        First backoff step in seconds; doubles with every attempt.
    backoff_cap
        Ceiling of the exponential backoff in seconds.
    max_retry_after
        A ``Retry-After`` longer than this is not waited for: the error is raised instead,
        so a notebook cell does not hang for minutes.
    random
        Source of jitter in [0, 1); injectable for tests.
    """

    max_retries: int = 4
    backoff_base: float = 0.5
    backoff_cap: float = 30.0
    max_retry_after: float = 120.0
    random: Callable[[], float] = field(default=random.random, repr=False)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValueError("max_retries must be >= 0")
        if self.backoff_cap < 0 or self.backoff_base < 0:
            raise ValueError("backoff must be >= 0")

    def backoff(self, attempt: int) -> float:
        """Full-jitter exponential backoff for retry number ``attempt`` (0-based)."""
        ceiling = min(self.backoff_cap, self.backoff_base * (2**attempt))
        return ceiling * self.random()

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before retry ``attempt``, or ``None`` to give up."""
        if attempt >= self.max_retries:
            return None
        if retry_after is not None:
            return None if retry_after > self.max_retry_after else retry_after
        return self.backoff(attempt)
