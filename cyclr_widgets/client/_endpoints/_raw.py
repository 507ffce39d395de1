"""``client.request()``: any Cyclr call the client has no method for yet, with the same care.

The path is checked so that the bearer token can only ever go to the client's own API host:
an absolute URL, a scheme, ``//host`` or a backslash is refused before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import ValidationError
from .._operation import Operation, check_account
from ._connectors import seal_body

__all__ = ["VERBS", "raw_request"]

#: The verbs Cyclr's API uses; those that may be repeated safely are retried like the others.
VERBS = {"GET": True, "PUT": True, "DELETE": True, "POST": False, "PATCH": False}


def _check_path(path: object) -> str:
    if not isinstance(path, str):
        raise ValidationError(f"path must be a string, got {type(path).__name__}")
    problem = None
    if not path.startswith("/") or path.startswith("//"):
        problem = "must start with a single '/' (a path on the API host, e.g. '/v1.0/accounts')"
    elif "://" in path or "\\" in path:
        problem = "must be a path, never a URL (the bearer token goes to the API host only)"
    elif not all(" " < c <= "~" for c in path):
        problem = "must be printable ASCII without spaces (percent-encode the rest)"
    elif "?" in path or "#" in path:
        problem = "must not hold a query string or fragment: pass params= instead"
    elif any(part in (".", "..") for part in path.split("/")):
        problem = "must not contain '.' or '..' segments"
    if problem is not None:
        raise ValidationError(f"path {problem}, got {path[:80]!r}")
    return path


def raw_request(
    method: str,
    path: str,
    account: str | None,
    params: Mapping[str, Any] | None,
    json: Any,
) -> Operation[Any]:
    verb = method.upper() if isinstance(method, str) else None
    if verb not in VERBS:
        raise ValidationError(f"method must be one of {', '.join(VERBS)}, got {method!r}")
    checked = _check_path(path)
    if params is not None and not isinstance(params, Mapping):
        raise ValidationError(f"params must be a dict, got {type(params).__name__}")
    query = None if params is None else {k: v for k, v in params.items() if v is not None}
    return Operation(
        verb,
        checked,
        account=None if account is None else check_account(account, name="account"),
        params=query,
        json=seal_body(json),
        idempotent=VERBS[verb],
        check=None if VERBS[verb] else f"a GET of what {verb} {checked} changes",
    )
