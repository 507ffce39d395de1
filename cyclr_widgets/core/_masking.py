"""Masking secrets wherever they sit in what Cyclr sends: by field name, by property name, in dumps.

Cyclr echoes stored credentials (``AuthValue``), connectors add fields of their own
(``ApiKey``, ``RefreshToken``, ...), property lists carry ``{"Name": "ClientSecret", "Value": …}``
pairs and step records carry raw HTTP dumps. A listing keeps every field Cyclr sent (nothing is
dropped, so a real account shows real data), which means the masking cannot be a list of known
fields: it goes by what a name looks like, at any depth.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

__all__ = ["MASK", "is_secret_field", "mask_secrets", "scrub_dump"]

MASK = "***"

# A field whose name says it holds a credential. "AuthValue" is Cyclr's own; the rest are the
# names connectors and OAuth servers use (access_token, ClientSecret, ApiKey, Password, ...).
_SECRET_FIELD = re.compile(
    r"secret|password|passwd|token|api_?key|private_?key|credential|authvalue|^authorization$"
    r"|^signature$|^cookie$",
    re.I,
)
# ...unless the name says it describes one instead of holding it: a token's type, expiry or
# URL, a credential's id or name are data a troubleshooter needs (TokenExpiresAtUtc, TokenUrl,
# CredentialId, ApiKeyHeaderName).
_DESCRIBES = re.compile(
    r"(type|expires|expiresat|expiresatutc|expiresin|expiry|url|uri|endpoint|name|id|ids|count"
    r"|location|header|headername|scheme|placement|required|enabled)$",
    re.I,
)
_SCALARS = frozenset({int, float, bool, type(None)})
# Header lines of an HTTP dump that carry credentials. Cyclr itself writes "Authorization:
# REDACTED" in its dumps; a connector's own auth header (X-Api-Key, ...) or a cookie may not be.
_DUMP_HEADER = re.compile(
    r"(?im)^([ \t]*(?:proxy-)?(?:authorization|x-api-key|api-?key|x-auth-token|cookie|set-cookie)"
    r"[ \t]*:)(?![ \t]*(?:REDACTED\b|\*\*\*))[^\r\n]*"
)


def is_secret_field(name: object) -> bool:
    """Whether a field (or property) called ``name`` holds a secret (``AuthValue``, ``ApiKey``)."""
    return isinstance(name, str) and _secret_name(name)


@lru_cache(maxsize=4096)
def _secret_name(name: str) -> bool:
    # Cached: a listing repeats the same few dozen field names on every record.
    if not _SECRET_FIELD.search(name):
        return False
    return name.lower() in ("authorization", "cookie") or not _DESCRIBES.search(name)


def scrub_dump(text: str) -> str:
    """``text`` with the values of credential headers (``Authorization: …``) masked."""
    return _DUMP_HEADER.sub(lambda m: f"{m.group(1)} {MASK}", text)


def mask_secrets(value: Any) -> Any:
    """A copy of ``value`` (JSON data) with every secret masked, at any depth.

    - a field whose name looks secret (:func:`is_secret_field`) and is not null becomes ``"***"``
      (a nested object or list under such a name too);
    - a ``{"Name": <secret-looking>, "Value": …}`` pair (Cyclr's properties) gets its ``Value``
      masked;
    - strings keep their text but credential header lines of HTTP dumps are masked.
    """
    kind = type(value)
    if kind is str:
        return scrub_dump(value) if ":" in value and "\n" in value else value
    if kind in _SCALARS:  # most leaves of a JSON answer: nothing to look into
        return value
    if kind is dict or isinstance(value, Mapping):
        out: dict[str, Any] = {}
        secret_pair = is_secret_field(value.get("Name")) or is_secret_field(value.get("name"))
        for key, item in value.items():
            if item is not None and (
                is_secret_field(key) or (secret_pair and str(key).lower() == "value")
            ):
                out[key] = MASK
            elif type(item) in _SCALARS:
                out[key] = item
            else:
                out[key] = mask_secrets(item)
        return out
    if kind is list:
        return [mask_secrets(item) for item in value]
    if isinstance(value, str):  # a str subclass
        return mask_secrets(str(value))
    return value
