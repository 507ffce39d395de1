"""Step records of a transaction: request and response dumps in Cyclr's ``Detail`` layout.

Cyclr's transaction error webhook (D-txerr) documents the layout: the third party's status line,
CRLF, its body, CRLF x3, ``HTTP Request:``, the request line and headers with ``Authorization``
shown as ``REDACTED``. Step records here use the same layout, and nothing secret reaches them:
:func:`scrub` runs on every dump, seeded or synthesised.
"""

from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta
from typing import Any

from ._seed_history import iso

__all__ = ["USER_AGENT", "detail", "request_dump", "scrub", "step_record", "synth_records"]

USER_AGENT = "Cyclr, (https://cyclr.com)"  # D-txerr's User-Agent spelling
CRLF = "\r\n"
_HEADER = re.compile(r"(?im)^(authorization|x-api-key|api-key|cookie|proxy-authorization):[^\r\n]*")
_QUERY = re.compile(r"(?i)([?&](?:api_?key|access_token|token|key|secret|password)=)[^&\s]*")
_JSON = re.compile(
    r'(?i)("[^"]*(?:password|secret|token|api_?key|authvalue)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"'
)


def scrub(text: str) -> str:
    """``text`` with credentials replaced by ``REDACTED`` (headers, query values, JSON values)."""
    text = _HEADER.sub(lambda m: f"{m.group(0).split(':', 1)[0]}: REDACTED", text)
    text = _QUERY.sub(r"\1REDACTED", text)
    return _JSON.sub(r'\1"REDACTED"', text)


def request_dump(verb: str, url: str, body: Any = None) -> str:
    """The request line and headers (``Authorization: REDACTED``), then the body if any."""
    lines = [
        f"{verb} {url}",
        "Authorization: REDACTED",
        f"User-Agent: {USER_AGENT}",
        "Accept: application/json",
    ]
    if body is not None:
        lines.append("Content-Type: application/json")
    text = CRLF.join(lines)
    if body is not None:
        text += CRLF + CRLF + json.dumps(body)
    return scrub(text)


def detail(status_line: str, body: Any, verb: str, url: str) -> str:
    """Cyclr's ``Detail``: status line, body, CRLF x3, ``HTTP Request:``, request and headers."""
    payload = body if isinstance(body, str) else json.dumps(body)
    head = CRLF.join([f"{verb} {url}", "Authorization: REDACTED", f"User-Agent: {USER_AGENT}"])
    return scrub(f"{status_line}{CRLF}{payload}{CRLF * 3}HTTP Request:{CRLF}{head}")


def step_record(
    tx_id: str,
    step: dict[str, Any],
    status: str,
    started: datetime,
    seconds: float,
    call: tuple[str, str, Any, str, Any],
    message: str | None = None,
) -> dict[str, Any]:
    """One step's record in a transaction; ``call`` is (verb, url, request body, status, reply)."""
    verb, url, req, status_line, reply = call
    rid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{tx_id}/{step['Id']}"))
    return {
        "Id": rid,
        "TransactionId": tx_id,
        "StepId": step["Id"],
        "StepName": step["Name"],
        "Status": status,
        "Message": message,
        "StartedOnUtc": iso(started),
        "CompletedOnUtc": iso(started + timedelta(seconds=seconds)),
        "Request": request_dump(verb, url, req),
        "Response": detail(status_line, reply, verb, url),
    }


def synth_records(
    tx: dict[str, Any], steps: list[dict[str, Any]], failing_step: str | None
) -> list[dict[str, Any]]:
    """Records for a transaction that has none stored: each step in order, until one fails.

    The same for the same transaction: generated cycles' history carries no dumps of its own.
    """
    started = datetime.fromisoformat(tx["StartedOnUtc"][:26].rstrip("Z") + "+00:00")
    out = []
    for n, step in enumerate(steps):
        meth = step.get("Method") or {"Name": "Tool", "HttpMethod": "GET"}
        verb = meth.get("HttpMethod") or "GET"
        url = f"https://api.example.invalid/v1/{meth['Name'].lower().replace(' ', '-')}"
        failed = tx["Status"] == "Errored" and step["Id"] == failing_step
        reply: Any = {"error": "internal error"} if failed else {"records": [{"id": n + 1}]}
        status_line = "500 Internal Server Error" if failed else "200 OK"
        req = {"id": n + 1} if verb != "GET" else None
        out.append(
            step_record(
                tx["Id"],
                step,
                "Errored" if failed else "Completed",
                started + timedelta(seconds=2 * n),
                1.5,
                (verb, url, req, status_line, reply),
                "Failed to call the method" if failed else None,
            )
        )
        if failed:
            break
    return out
