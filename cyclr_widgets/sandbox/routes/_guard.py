"""The last line of defence of every origin: a body size cap and a catch-all for bugs.

A raw ASGI middleware installed *inside* each Starlette app (``middleware=[guard(...)]``), so it
sits under Starlette's ServerErrorMiddleware, which would otherwise answer a bare "Internal Server
Error" and hand uvicorn a stack trace to print. ApiError and HTTPException never reach it: the
apps' exception handlers answer those first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from starlette.middleware import Middleware
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ._validate import MAX_BODY_BYTES

__all__ = ["TOO_LARGE", "UNEXPECTED", "Guard", "guard"]

log = logging.getLogger("cyclr_widgets.sandbox")

# ASP.NET Web API's body for an unhandled exception (custom errors on: no exception details).
UNEXPECTED = "An error has occurred."
TOO_LARGE = f"The request body is too large; the limit is {MAX_BODY_BYTES} bytes."

#: ``(status, message) -> Response``: JSON ``{"Message": ...}`` for the API, an HTML page for
#: the browser origins.
Render = Callable[[int, str], Response]


class _TooLarge(Exception):
    """Raised from ``receive`` once a body passes the cap (a chunked body has no length)."""


class Guard:
    """Cap request bodies at MAX_BODY_BYTES (413) and turn unexpected exceptions into a 500."""

    def __init__(self, app: ASGIApp, render: Render, stats: dict[str, int]) -> None:
        self.app = app
        self.render = render
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        # A declared length over the cap is refused before a byte is read (the server parsed
        # the header already; len() keeps int() away from a 5000-digit "length").
        if length.isdigit() and (len(length) > 15 or int(length) > MAX_BODY_BYTES):
            await self.render(413, TOO_LARGE)(scope, receive, send)
            return
        started = False
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self.render(413, TOO_LARGE)(scope, receive, send)
        except Exception as exc:  # the catch-all: one log line, no stack trace, no details out
            self.stats["unhandled_errors"] = self.stats.get("unhandled_errors", 0) + 1
            log.error(
                "sandbox: %s %s failed: %s: %s",
                scope["method"],
                _one_line(scope["path"]),
                type(exc).__name__,
                _one_line(str(exc)),
            )
            if not started:
                await self.render(500, UNEXPECTED)(scope, receive, send)


def _one_line(text: str) -> str:
    # A decoded path may hold "\n" (from %0A): escape it so the log entry stays one line.
    return text[:200].encode("unicode_escape").decode("ascii")


def guard(render: Render, stats: dict[str, int]) -> Middleware:
    """The Starlette ``Middleware`` entry that installs :class:`Guard`."""
    return Middleware(Guard, render=render, stats=stats)
