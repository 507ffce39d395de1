"""The clients' settings: regions, ``CYCLR_*`` variables, and the constructor's argument checks.

Every check raises ``TypeError`` for a wrong type and ``ValidationError`` (a ``ValueError``) for a
bad value, each naming the argument, so a typo fails at construction and not on the first call.
Nothing here does I/O.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from datetime import date, datetime, timezone
from types import MappingProxyType
from typing import Any, Literal

import httpx

from ..core import AuthValue, ValidationError, normalize_service_url

__all__ = [
    "ENV_VARS",
    "REGIONS",
    "When",
    "check_rate_limit",
    "check_timeout",
    "env_kwargs",
    "format_when",
    "int_arg",
    "number",
    "optional_str",
    "required_str",
    "resolve_api_url",
    "seal_client_secret",
    "type_error",
]

#: A point in time as the API methods accept it (see :func:`format_when`).
When = datetime | date | str | None

REGIONS: Mapping[str, str] = MappingProxyType(
    {
        "us": "https://api.cyclr.com",
        "us2": "https://api.us2.cyclr.com",
        "uk": "https://api.cyclr.uk",
        "eu": "https://api.eu.cyclr.com",
        # Listed in Cyclr's 2023 docs but missing from its newest table of regions: kept, so
        # that partners on it are not cut off.
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


def resolve_api_url(api_url: str | None, region: str | None) -> str:
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


# -- constructor checks -----------------------------------------------------------------------


def type_error(name: str, expected: str, value: object) -> TypeError:
    return TypeError(f"{name} must be {expected}, got {type(value).__name__}")


def optional_str(name: str, value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise type_error(name, "a string or None", value)
    return value


def required_str(name: str, value: object, sealed_ok: bool = False) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValidationError(
            f"{name} is required (a non-empty string); CyclrClient.from_env() reads "
            f"{ENV_VARS[name]}"
        )
    if not isinstance(value, str) and not (sealed_ok and isinstance(value, AuthValue)):
        raise type_error(name, "a string" + (" or an AuthValue" if sealed_ok else ""), value)


def seal_client_secret(value: object) -> AuthValue:
    """``client_secret`` sealed at once, so no later frame holds it in the clear."""
    required_str("client_secret", value, sealed_ok=True)
    if isinstance(value, AuthValue):
        if not value.reveal().strip():
            raise ValidationError("client_secret is required (a non-empty string)")
        return value
    assert isinstance(value, str)
    return AuthValue(value, kind="secret")


def number(name: str, value: object, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise type_error(name, "a number", value)
    if not math.isfinite(value) or value < 0 or (positive and value == 0):
        raise ValidationError(
            f"{name} must be a finite number {'> 0' if positive else '>= 0'}, got {value!r}"
        )
    return value


def check_timeout(value: object) -> float | httpx.Timeout:
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
            number(f"timeout ({phase})", seconds, positive=True)
        return value
    return number("timeout", value, positive=True)


def check_rate_limit(value: object) -> float | Literal["auto"] | None:
    """Requests per second (> 0, the ceiling of the learned rate), ``"auto"`` or ``None``."""
    if value is None:
        return None
    if value == "auto":
        return "auto"
    if isinstance(value, str):
        raise ValidationError(
            f"rate_limit must be requests per second, 'auto' or None, got {value!r}"
        )
    return number("rate_limit", value, positive=True)


def int_arg(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise type_error(name, "an int", value)
    if value < minimum:
        raise ValidationError(f"{name} must be >= {minimum}, got {value!r}")
    return value


def _env_value(environ: Mapping[str, str] | None, var: str) -> str | None:
    # os.environ is never bound to a local of a frame that may end up in a traceback.
    return (os.environ if environ is None else environ).get(var)


def env_kwargs(
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
