"""A strict fake of Cyclr's API for the client tests, served through ``httpx.MockTransport``.

The same handler serves the sync and the async client. Routes are queued responses; a request
with no route fails the test, and so does a route left unused (``assert_all_called``).
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import httpx

API = "https://api.test.cyclr"
SERVICE = "https://acme-h.test.cyclr"
CLIENT_ID = "partner-client-id"
CLIENT_SECRET = "s3cr3t-client-SECRET-value"
ACCOUNT = "acct-0001"
BEARER_PREFIX = "bearer-token-"

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json=data, headers=headers)


def error_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json={"Message": message}, headers=headers)


class FakeCyclr:
    """Routes keyed by (method, path); token requests are answered automatically."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], deque[Reply]] = defaultdict(deque)
        self.unrouted: deque[Reply] = deque()  # add_any()
        self.requests: list[httpx.Request] = []
        self.token_replies: deque[Reply] = deque()
        self.tokens_issued = 0
        self.token_forms: list[dict[str, str]] = []
        self.expires_in = 1209599

    # -- set-up ------------------------------------------------------------------------

    def add(self, method: str, path: str, *replies: Reply) -> FakeCyclr:
        self.routes[(method, path)].extend(replies)
        return self

    def add_any(self, *replies: Reply) -> FakeCyclr:
        """Replies for requests on paths no route names, in order (the test checks the path)."""
        self.unrouted.extend(replies)
        return self

    def on_token(self, *replies: Reply) -> FakeCyclr:
        self.token_replies.extend(replies)
        return self

    # -- inspection --------------------------------------------------------------------

    def calls(self, method: str | None = None, path: str | None = None) -> list[httpx.Request]:
        return [
            r
            for r in self.requests
            if r.url.path != "/oauth/token"
            and (method is None or r.method == method)
            and (path is None or r.url.path == path)
        ]

    def assert_all_called(self) -> None:
        left = {k: len(v) for k, v in self.routes.items() if v}
        if self.unrouted:
            left[("*", "*")] = len(self.unrouted)
        assert not left, f"routes never called: {left}"

    # -- the handler -------------------------------------------------------------------

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A copy: httpx re-sends the same Request object (new token) after a 401.
        snapshot = httpx.Request(
            request.method, request.url, headers=request.headers.copy(), content=request.read()
        )
        self.requests.append(snapshot)
        if request.url.path == "/oauth/token":
            return self._token(request)
        key = (request.method, request.url.path)
        queue = self.routes.get(key) or self.unrouted
        if not queue:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        reply = queue.popleft()
        return self._play(reply, request)

    def _play(self, reply: Reply, request: httpx.Request) -> httpx.Response:
        if isinstance(reply, Exception):
            raise reply
        if isinstance(reply, httpx.Response):
            return reply
        return reply(request)

    def _token(self, request: httpx.Request) -> httpx.Response:
        form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
        self.token_forms.append(form)
        if self.token_replies:
            reply = self.token_replies.popleft()
            response = self._play(reply, request)
            if response.status_code != 200:
                return response
        assert form.get("client_secret") == CLIENT_SECRET, "bad client secret"
        self.tokens_issued += 1
        return json_response(
            {
                "token_type": "bearer",
                "access_token": f"{BEARER_PREFIX}{self.tokens_issued}",
                "expires_in": self.expires_in,
                "clientId": CLIENT_ID,
            }
        )


def body(request: httpx.Request) -> Any:
    return json.loads(request.content) if request.content else None


def page_handler(
    items: list[Any], *, total_pages: bool = True, seen: list[int] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    """Serve ``items`` paged by the request's page/pageSize, like Cyclr."""

    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        size = int(request.url.params["pageSize"])
        if seen is not None:
            seen.append(page)
        chunk = items[(page - 1) * size : page * size]
        headers = {}
        if total_pages:
            headers["Total-Pages"] = str(-(-len(items) // size))
            headers["Total-Records"] = str(len(items))
        return json_response(chunk, headers=headers)

    return handler


def connector_item(i: int) -> dict[str, Any]:
    return {
        "Id": i,
        "Name": f"Connector {i}",
        "Description": "d",
        "Status": "Approved",
        "Version": "1.0",
        "Icon": "data:image/png;base64,AAAA",
        "AuthDescription": None,
        "AuthType": "ApiKey",
        "OAuth2Type": "Unknown",
        "AuthScheme": None,
        "Categories": ["CRMs"],
        "Parameters": [],
        "Authentication": [{"Id": "g-1", "AuthName": "Key", "AuthType": "ApiKey"}],
    }


def account_connector_item(i: int = 54321, **extra: Any) -> dict[str, Any]:
    data = {
        "Id": i,
        "Name": "My CRM",
        "Description": None,
        "AuthValue": "super-secret-auth-value",
        "Authenticated": True,
        "Connector": {
            "Id": 2550,
            "Name": "CRM",
            "Version": "1.0",
            "Status": "Approved",
            "AuthType": "OAuth2",
            "OAuth2Type": "AuthorisationCode",
            "Icon": "data:image/png;base64,AAAA",
        },
        "IsPartnerIntegrationConnector": False,
        "Properties": [
            {"Name": "Subdomain", "Value": "acme", "Id": 41, "AccountConnectorId": i},
            {"Name": "ClientSecret", "Value": "prop-secret-xyz", "Id": 42, "AccountConnectorId": i},
        ],
        "CustomFields": [],
    }
    data.update(extra)
    return data


HANG = 60.0  # seconds: a hang guard only, never reached by a working client


def run_bounded(fn: Callable[[], Any]) -> dict[str, Any]:
    """Run ``fn`` in a thread: ``{"value": ...}`` or ``{"error": ...}``; fail if it hangs."""
    import threading

    out: dict[str, Any] = {}

    def target() -> None:
        try:
            out["value"] = fn()
        except BaseException as exc:
            out["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), f"still running after {HANG} s: the call is unbounded"
    return out


SIGN_IN = {"Token": "ABCD1234+/0000000000000=", "ExpiresAtUtc": "2017-12-08T11:02:48.7436471Z"}


class LoopbackCyclr:
    """A real HTTP server on 127.0.0.1 that either answers like Cyclr or stalls.

    While ``stalled`` is set, every request is accepted and read but never answered (until
    ``close()``): the connection stays open, so only a client-side timeout can end the call.
    Otherwise the token endpoint and ``POST /v1.0/accounts/{id}/signintoken`` answer.
    """

    def __init__(self, *, stalled: bool = True) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.stalled = threading.Event()
        if stalled:
            self.stalled.set()
        self._release = threading.Event()
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep the test output quiet
                pass

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                owner.requests.append(f"POST {self.path}")
                if owner.stalled.is_set():
                    owner._release.wait()  # accepted, read, never answered
                    return
                if self.path == "/oauth/token":
                    self._json(200, {"access_token": "loopback-bearer", "expires_in": 3600})
                elif self.path.endswith("/signintoken"):
                    self._json(200, SIGN_IN)
                else:
                    self._json(404, {"Message": "not found"})

            do_GET = do_POST

            def _json(self, status: int, data: Any) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(10)

    def __enter__(self) -> LoopbackCyclr:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class FakeTime:
    """A monotonic clock that only the client's own sleeps move (no wall clock in tests).

    :func:`fake_time` installs it on a client as ``_monotonic`` and ``_sleep``: every wait of
    the client (its retries' and its limiter's) is recorded in ``sleeps`` and advances the
    clock by exactly that much, at once. Thread-safe, so a sync client's pool threads share it.
    """

    def __init__(self, start: float = 1000.0) -> None:
        import threading

        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def fake_time(client: Any, sleeps: list[float] | None = None) -> FakeTime:
    """Give ``client`` a :class:`FakeTime` (its sleeps recorded in ``sleeps`` if given)."""
    import inspect

    time = FakeTime()
    if sleeps is not None:
        time.sleeps = sleeps
    client._monotonic = time
    if inspect.iscoroutinefunction(type(client).__dict__.get("_send")) or hasattr(client, "aclose"):

        async def sleep(seconds: float) -> None:
            time.advance(seconds)

        client._sleep = sleep
    else:
        client._sleep = time.advance
    return time
