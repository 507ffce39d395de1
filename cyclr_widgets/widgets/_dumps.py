"""A transaction step's request and response dumps, split into method, URL, status, headers, body.

Cyclr keeps each step's HTTP exchange as text. The layout the sandbox serves is the one Cyclr
documents for its transaction error webhook (D-txerr): a request is its request line, header
lines, a blank line and the body; a response ("Detail") is the third party's status line, its
body, three line breaks, ``HTTP Request:`` and the request line with its headers. The record
shape of real step records is an open question (surface Q25), so the parsing is tolerant: a dump
may also be a JSON object (``{"Method", "Url", "Status", "Headers", "Body"}``, any casing), line
breaks may be CRLF or LF (mixed, as a scrubbed header line leaves them), and whatever does not
parse stays in ``body``. The dumps arrive scrubbed (Cyclr writes ``Authorization: REDACTED``);
every piece is masked again here (``core.scrub_dump``, ``core.mask_secrets``, secret-looking
query parameters) before anything is displayed. No widget stack: plain data in, plain data out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..core import MASK, is_secret_field, mask_secrets, scrub_dump

__all__ = ["HttpDump", "parse_request", "parse_response"]

_REQUEST_LINE = re.compile(r"^([A-Z]{3,7})[ \t]+(\S+)(?:[ \t]+HTTP/[\d.]+)?[ \t]*$")
_STATUS_LINE = re.compile(r"^(?:HTTP/[\d.]+[ \t]+)?(\d{3})(?:[ \t]+(.*))?$")
_HEADER = re.compile(r"^([A-Za-z0-9][A-Za-z0-9!#$%&'*+.^_`|~-]*)[ \t]*:[ \t]?(.*)$")
# The Detail layout's trailer: the request Cyclr sent, after the response body.
_TRAILER = re.compile(r"(?:\r?\n)*[ \t]*HTTP Request:[ \t]*\r?\n")
#: At most this much of a body is kept for display (a step may move megabytes).
MAX_BODY = 64_000


@dataclass(frozen=True)
class HttpDump:
    """One side of a step's HTTP exchange, split for display (every part masked).

    Attributes
    ----------
    method, url : str
        The request line (a response's own, from its ``HTTP Request:`` trailer); ``""`` if none.
    status : str
        A response's status line without the protocol (``"400 Bad Request"``); ``""`` for a
        request.
    headers : tuple of (name, value)
        Header lines in order (credential headers masked).
    body : str
        The body; JSON pretty-printed with secret fields masked, other text as it came (at most
        ``MAX_BODY`` characters).
    """

    method: str = ""
    url: str = ""
    status: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: str = ""
    truncated: bool = field(default=False, compare=False)

    @property
    def status_code(self) -> int | None:
        """The status line's code (``400``), or None."""
        m = re.match(r"\d{3}", self.status)
        return int(m.group(0)) if m else None

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the front end (a custom message)."""
        return {
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "headers": [list(h) for h in self.headers],
            "body": self.body,
            "truncated": self.truncated,
        }


def _lines(text: str) -> list[str]:
    return re.split(r"\r?\n", text)


def _mask_url(url: str) -> str:
    """The URL with the values of secret-looking query parameters masked (``?api_key=***``)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(is_secret_field(k) or k.lower() in ("key", "code", "sig") for k, _ in pairs):
        return url
    query = "&".join(
        f"{k}={MASK if is_secret_field(k) or k.lower() in ('key', 'code', 'sig') else v}"
        for k, v in pairs
    )
    return parts._replace(query=query).geturl()


def _mask_header(name: str, value: str) -> tuple[str, str]:
    if is_secret_field(name) or name.lower() in ("x-api-key", "api-key", "x-auth-token"):
        shown = value if value.strip() in ("REDACTED", MASK) else MASK
        return name, shown
    return name, scrub_dump(value)


def _body(text: str) -> tuple[str, bool]:
    """The body for display: JSON pretty-printed with secrets masked, else scrubbed text."""
    text = text.strip("\r\n")
    if not text:
        return "", False
    try:
        data = json.loads(text)
    except ValueError:
        shown = scrub_dump(text)
    else:
        shown = json.dumps(mask_secrets(data), indent=2, ensure_ascii=False)
    if len(shown) > MAX_BODY:
        return shown[:MAX_BODY], True
    return shown, False


def _headers_and_body(lines: list[str]) -> tuple[tuple[tuple[str, str], ...], str, bool]:
    """Header lines up to the first blank line (or the first line that is no header), then body."""
    headers: list[tuple[str, str]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            break
        m = _HEADER.match(line)
        if m is None:
            break
        headers.append(_mask_header(m.group(1), m.group(2).strip()))
        i += 1
    body, truncated = _body("\n".join(lines[i:]))
    return tuple(headers), body, truncated


def _from_mapping(data: Mapping[str, Any]) -> HttpDump:
    """A dump Cyclr sent as an object (not the sandbox's layout; kept for real accounts)."""
    low = {str(k).lower(): v for k, v in data.items()}
    raw_headers = low.get("headers") or {}
    if isinstance(raw_headers, Mapping):
        pairs = [(str(k), str(v)) for k, v in raw_headers.items()]
    elif isinstance(raw_headers, list):
        pairs = [
            (str(h.get("Name") or h.get("name") or ""), str(h.get("Value") or h.get("value") or ""))
            for h in raw_headers
            if isinstance(h, Mapping)
        ]
    else:
        pairs = []
    body = low.get("body") or low.get("content") or ""
    text = body if isinstance(body, str) else json.dumps(body)
    shown, truncated = _body(text)
    status = low.get("status") or low.get("statuscode") or ""
    return HttpDump(
        method=str(low.get("method") or low.get("verb") or ""),
        url=_mask_url(str(low.get("url") or low.get("uri") or "")),
        status=str(status),
        headers=tuple(_mask_header(n, v) for n, v in pairs),
        body=shown,
        truncated=truncated,
    )


def _as_text_or_mapping(value: Any) -> str | Mapping[str, Any]:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return value
    text = str(value)
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return text
        if isinstance(data, Mapping) and {"method", "url"} & {k.lower() for k in data}:
            return data
    return text


def parse_request(dump: Any) -> HttpDump:
    """Split a step's ``Request`` dump: request line, headers, blank line, body."""
    value = _as_text_or_mapping(dump)
    if isinstance(value, Mapping):
        return _from_mapping(value)
    lines = _lines(value)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return HttpDump()
    m = _REQUEST_LINE.match(lines[0].strip())
    if m is None:  # not a request line: show it all as the body
        body, truncated = _body(value)
        return HttpDump(body=body, truncated=truncated)
    headers, body, truncated = _headers_and_body(lines[1:])
    return HttpDump(m.group(1), _mask_url(m.group(2)), "", headers, body, truncated)


def parse_response(dump: Any) -> HttpDump:
    """Split a step's ``Response`` dump (Cyclr's ``Detail``): status line, body, the request.

    Header lines right after the status line (a layout with response headers) are kept as
    headers; the ``HTTP Request:`` trailer gives ``method`` and ``url``.
    """
    value = _as_text_or_mapping(dump)
    if isinstance(value, Mapping):
        return _from_mapping(value)
    pieces = _TRAILER.split(value, maxsplit=1)
    head = pieces[0]
    trailer = pieces[1] if len(pieces) > 1 else ""
    request = parse_request(trailer) if trailer else HttpDump()
    lines = _lines(head)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return HttpDump(request.method, request.url)
    m = _STATUS_LINE.match(lines[0].strip())
    if m is None:
        body, truncated = _body(head)
        return HttpDump(request.method, request.url, "", (), body, truncated)
    status = f"{m.group(1)} {m.group(2) or ''}".strip()
    headers, body, truncated = _headers_and_body(lines[1:])
    return HttpDump(request.method, request.url, status, headers, body, truncated)
