"""Fault injection on the API origin: latency, errors, 429s, drops, and a rate limit.

Latency, 500/503, 429 + Retry-After at random, dropped connections, and a rate limit (requests
per second per API token, ``rate_limit_rps``).

A raw ASGI wrapper (outside Starlette) so it also covers ``/oauth/token`` and unmatched routes.
Every injected fault is counted in ``Ctx.stats`` so a resilience run can report what it met.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import random
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._http import Ctx

__all__ = ["FAULT_COUNTERS", "Faults"]

FAULT_COUNTERS = (
    "latency",
    "error_500",
    "error_503",
    "rate_limited_429",
    "dropped",
    "dropped_after_commit",
    "throttled_429",
)
INSTALL = re.compile(r"^/v1\.0/connectors/[^/]+/install$")


class Faults:
    """Wrap an ASGI app and inject the faults that ``ctx.switches`` turn on."""

    def __init__(self, app: ASGIApp, ctx: Ctx, seed: int) -> None:
        self.app = app
        self.ctx = ctx
        # Seeded, so a resilience run meets the same faults in the same request order.
        self.rng = random.Random(seed)
        # The rate limit's buckets: API token -> (tokens, when last refilled, sandbox clock).
        self.buckets: dict[str, tuple[float, float]] = {}
        self._rate = 0.0  # the rate the buckets were filled for: a new rate starts them afresh

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sw, stats, roll = self.ctx.switches, self.ctx.stats, self.rng.random
        stats["requests"] = stats.get("requests", 0) + 1
        if sw["latency_ms"] > 0:
            stats["latency"] += 1
            await asyncio.sleep(sw["latency_ms"] / 1000)
        if sw["rate_limit_rps"]:
            wait = self._throttle(scope, float(sw["rate_limit_rps"]))
            if wait is not None:
                stats["throttled_429"] += 1
                message = (
                    f"API calls quota exceeded! maximum admitted {sw['rate_limit_rps']} per Second."
                )
                await _json(send, 429, message, {"Retry-After": str(wait)})
                return
        if sw["drop_rate"] > 0 and roll() < sw["drop_rate"]:
            if scope["method"] == "POST" and INSTALL.match(scope["path"]) and roll() < 0.5:
                # The install commits, then the answer is lost: the client cannot know the
                # outcome (OutcomeUnknownError) and must look before it retries.
                stats["dropped_after_commit"] += 1
                await self.app(scope, receive, _discard)
            else:
                stats["dropped"] += 1
            await _drop(receive, send)
            return
        if sw["error_rate"] > 0 and roll() < sw["error_rate"]:
            fixed = sw["error_status"]
            status = fixed if fixed in (500, 503) else (500 if roll() < 0.5 else 503)
            stats[f"error_{status}"] += 1
            headers = {"Retry-After": str(sw["retry_after"])} if status == 503 else {}
            await _json(send, status, "An error has occurred.", headers)
            return
        if sw["rate_limit_rate"] > 0 and roll() < sw["rate_limit_rate"]:
            stats["rate_limited_429"] += 1
            await _json(send, 429, "Too many requests.", {"Retry-After": str(sw["retry_after"])})
            return
        await self.app(scope, receive, send)

    def _throttle(self, scope: Scope, rate: float) -> int | None:
        """Take a token of this request's API token; ``None``, or the whole seconds to wait.

        Cyclr documents no rate limit (cyclr-api-surface.md §2.4): this plays the most likely
        one for an ASP.NET service, a token bucket per API token (the bearer; requests without
        one share a bucket) holding one second of the rate, refilled on the sandbox clock. A
        refused request takes no token. Retry-After is in whole seconds, as ASP.NET sends it,
        rounded up and at least 1: a "0" would invite the refused client straight back.
        """
        if rate != self._rate:
            self.buckets.clear()
            self._rate = rate
        key = _bearer(scope)
        now = self.ctx.clock()
        tokens, stamp = self.buckets.get(key, (max(rate, 1.0), now))
        tokens = min(max(rate, 1.0), tokens + max(0.0, now - stamp) * rate)
        if tokens >= 1.0:
            self.buckets[key] = (tokens - 1.0, now)
            return None
        self.buckets[key] = (tokens, now)
        return max(1, math.ceil((1.0 - tokens) / rate))


def _bearer(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            return value.decode("latin-1").partition(" ")[2].strip()
    return ""


async def _discard(message: Message) -> None:
    return None


async def _json(send: Send, status: int, message: str, headers: dict[str, str]) -> None:
    body = json.dumps({"Message": message}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


async def _drop(receive: Receive, send: Send) -> None:
    """Close the TCP connection without a response.

    ASGI has no "abort" message, so this reaches the transport through uvicorn's
    request-response cycle (the object ``receive`` is bound to). Waiting for the disconnect
    afterwards keeps uvicorn from answering the closed socket with a 500.
    """
    transport = getattr(getattr(receive, "__self__", None), "transport", None)
    if transport is None:  # not uvicorn: the nearest thing is a truncated response
        await send(
            {"type": "http.response.start", "status": 500, "headers": [(b"content-length", b"100")]}
        )
        await send({"type": "http.response.body", "body": b"{"})
        return
    transport.abort()

    async def until_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    # asyncio.TimeoutError: TimeoutError's alias before Python 3.11.
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(until_disconnect(), 2)
