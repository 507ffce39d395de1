"""uvicorn in one background thread: one event loop serving every origin on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time

import uvicorn
from starlette.types import ASGIApp

__all__ = ["ServerThread", "bind"]


def bind(port: int | None) -> socket.socket:
    """Bind a loopback socket now, so the port is known (and taken) before uvicorn starts."""
    # proto=IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on accepted sockets whose proto
    # says TCP, and without it every keep-alive response stalls ~40 ms (Nagle + delayed ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if hasattr(socket, "SO_REUSEADDR"):
        # A restarted sandbox (e.g. --db tests, CLI restarts) may reuse a port in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port or 0))
    except OSError:
        sock.close()
        raise
    return sock


class ServerThread:
    """Serve several ASGI apps, each on its own pre-bound socket, from one daemon thread."""

    def __init__(self, apps: list[tuple[ASGIApp, socket.socket]]) -> None:
        self._apps = apps
        self._servers: list[uvicorn.Server] = []
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def start(self, timeout: float = 120.0) -> None:
        """Start serving; returns once every server is up, raises as soon as one fails.

        ``timeout`` is a hang guard only: a slow machine makes start-up slower, not failed.
        """
        for app, _ in self._apps:
            config = uvicorn.Config(
                app,
                lifespan="off",
                access_log=False,
                log_level="warning",
                timeout_keep_alive=5,
                timeout_graceful_shutdown=1,
            )
            self._servers.append(uvicorn.Server(config))
        self._thread = threading.Thread(target=self._run, name="cyclr-sandbox", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not all(s.started for s in self._servers):
            if self._error is not None or not self._thread.is_alive():
                raise RuntimeError("the sandbox servers failed to start") from self._error
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the sandbox servers did not start in time")
            time.sleep(0.005)

    def _run(self) -> None:
        async def main() -> None:
            await asyncio.gather(
                *(
                    srv.serve(sockets=[sock])
                    for srv, (_, sock) in zip(self._servers, self._apps, strict=True)
                )
            )

        try:
            asyncio.run(main())
        except BaseException as exc:  # reported to start(); a daemon thread must not die silently
            self._error = exc

    def stop(self, timeout: float = 60.0) -> None:
        """Ask every server to exit and wait for the thread (``timeout`` is a hang guard)."""
        for srv in self._servers:
            srv.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        for _, sock in self._apps:
            with contextlib.suppress(OSError):
                sock.close()
