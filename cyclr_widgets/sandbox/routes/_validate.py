"""Request validation: JSON bodies, string fields, ids and literal filters, with Cyclr's limits.

Cyclr is an ASP.NET Web API service over SQL Server, so input it cannot bind or store is a 400
``{"Message": ...}`` before anything is written. Where Cyclr's docs are silent the limits below
are our choice, picked to look like an ``nvarchar`` schema; they are module constants so tests
and callers can refer to them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from starlette.requests import Request

from ._http import INVALID, ApiError

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_ID_LEN",
    "MAX_JSON_DEPTH",
    "MAX_NAME_LEN",
    "MAX_TEXT_LEN",
    "MAX_USERNAME_LEN",
    "MAX_VALUE_LEN",
    "body_json",
    "canonical_keys",
    "check_id",
    "like_literal",
    "opt_bool",
    "opt_str",
    "parse_json",
]

# -- limits: Cyclr documents none; ASP.NET's defaults where it has one, else our choice ----------

#: Largest request body any origin reads. ASP.NET's own default (maxRequestLength, 4 MB) ends in
#: an IIS error page; we answer a Cyclr-shaped 413 at 1 MiB, far above any documented Cyclr body.
MAX_BODY_BYTES = 1024 * 1024
#: ASP.NET Web API's JsonMediaTypeFormatter refuses JSON nested deeper than this (MaxDepth 256).
MAX_JSON_DEPTH = 256
#: Account ``Id`` (the partner-chosen API ID): an nvarchar(100) key is our guess.
MAX_ID_LEN = 100
#: Names (account, account connector, cycle, property): the usual nvarchar(255).
MAX_NAME_LEN = 255
#: User names: ASP.NET Identity's UserName column is nvarchar(256).
MAX_USERNAME_LEN = 256
#: Other free text (descriptions, audit info, URLs): nvarchar(4000), SQL Server's longest
#: non-MAX nvarchar.
MAX_TEXT_LEN = 4000
#: Credentials and property values (AuthValue, Value): OAuth token bundles with JWTs run to
#: several KB, so these get a generous 64 Ki characters.
MAX_VALUE_LEN = 65_536

# An API ID travels in URL paths and in the X-Cyclr-Account header, so it may not hold a path
# separator, a query or fragment delimiter, or a control character (Unicode category Cc).
_BAD_ID_CHAR = re.compile(r"[/\\?#\x00-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _reject_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259), and no Cyclr field is a float: refuse them.
    raise ValueError(f"{name} is not JSON")


def _check_tree(data: Any) -> None:
    r"""Refuse nesting deeper than MAX_JSON_DEPTH and strings SQL Server could not store.

    A lone surrogate ("\ud800" in JSON) is never meaningful text. Real Cyclr (UTF-16 .NET
    strings, nvarchar columns) may store one; SQLite's UTF-8 cannot, so here it is a 400 rather
    than a crash half-way through a write. Walked iteratively so no input can exhaust the stack.
    """
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = [*node.keys(), *node.values()]
        elif isinstance(node, list):
            children = node
        else:
            if isinstance(node, str) and _SURROGATE.search(node):
                raise ApiError(400, INVALID)
            continue
        if depth > MAX_JSON_DEPTH:
            raise ApiError(400, INVALID)
        stack.extend((child, depth + 1) for child in children)


def parse_json(raw: bytes) -> Any:
    """Parse a JSON document; anything unparsable is ASP.NET's 400 "The request is invalid."."""
    try:
        data = json.loads(raw, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise ApiError(400, INVALID) from None
    _check_tree(data)
    return data


async def body_json(request: Request, *, required: bool = False) -> dict[str, Any]:
    """Parse a JSON object body; malformed JSON or a non-object is a 400, never a 500."""
    raw = await request.body()
    if not raw.strip():
        if required:
            raise ApiError(400, "The request body is required.")
        return {}
    data = parse_json(raw)
    if data is None and not required:
        return {}
    if not isinstance(data, dict):
        raise ApiError(400, INVALID if data is not None else "The request body is required.")
    return data


def canonical_keys(body: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """``body`` with keys that match one of ``names`` but for case renamed to that name.

    Cyclr's .NET JSON binder matches property names case-insensitively (``"tags"`` binds
    ``Tags``). A key already spelled exactly wins over a differently-cased duplicate.
    """
    lower = {n.lower(): n for n in names}
    out = dict(body)
    for key, value in body.items():
        name = lower.get(key.lower())
        if name is not None and name != key:
            del out[key]
            out.setdefault(name, value) if name in body else out.__setitem__(name, value)
    return out


def opt_str(body: dict[str, Any], key: str, max_len: int = MAX_TEXT_LEN) -> str | None:
    """Read an optional string field; another JSON type or an over-long string is a 400."""
    value = body.get(key)
    if value is not None and not isinstance(value, str):
        raise ApiError(400, f"{key} must be a string.")
    if value is not None and len(value) > max_len:
        # Like an nvarchar(n) model validation: "The field X must be a string with a maximum
        # length of n." is ASP.NET's StringLength wording.
        raise ApiError(400, f"The field {key} must be a string with a maximum length of {max_len}.")
    return value


def opt_bool(body: dict[str, Any], key: str) -> bool | None:
    """Read an optional boolean field; another JSON type is a 400."""
    value = body.get(key)
    if value is not None and not isinstance(value, bool):
        raise ApiError(400, f"{key} must be a boolean.")
    return value


def check_id(value: str, key: str = "Id") -> str:
    """Refuse an API ID that could not be used in a URL path or a header (400)."""
    if not value.strip() or value != value.strip():
        # Blank, or padded: HTTP trims header values, so " a" could never be X-Cyclr-Account.
        raise ApiError(400, f"{key} must not be blank or start or end with white space.")
    if len(value) > MAX_ID_LEN:
        raise ApiError(
            400, f"The field {key} must be a string with a maximum length of {MAX_ID_LEN}."
        )
    if not value.strip("."):
        # "." and ".." are resolved away by URL handling, so such an id could never be reached.
        raise ApiError(400, f"{key} must not be '.' or '..'.")
    if _BAD_ID_CHAR.search(value):
        raise ApiError(400, f"{key} must not contain '/', '\\', '?', '#' or control characters.")
    return value


def like_literal(text: str) -> str:
    r"""Escape SQL LIKE's wildcards so ``text`` only matches itself (use ``ESCAPE '\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
