"""Regression tests of the client's hardening; each sync test has its async mirror below it.

1. every request, the token request included, is bounded by the client's timeout;
2. one token request however many callers need a token at once (and one renewal per 401 wave);
3. no secret in reprs or in the locals of a Verbose traceback;
4. ids are validated and encoded as one path segment before anything is sent;
5. constructor arguments are checked at construction;
6. ``origin_of`` serialises an origin exactly as a browser does.

Nothing here depends on wall-clock speed: concurrency is forced with gates, barriers and events,
and the only timeouts are hang guards (``HANG``) that a working client never gets near.
"""

from __future__ import annotations

import asyncio
import base64
import os
import threading
import traceback
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import httpx
import pytest
from IPython.core.ultratb import VerboseTB

import cyclr_widgets
from cyclr_widgets import (
    AsyncCyclrClient,
    AuthenticationError,
    AuthValue,
    CyclrClient,
    CyclrError,
    TransportError,
    ValidationError,
)
from cyclr_widgets.core import origin_of
from tests.support.client import (
    ACCOUNT,
    API,
    BEARER_PREFIX,
    CLIENT_ID,
    CLIENT_SECRET,
    HANG,
    FakeCyclr,
    LoopbackCyclr,
    body,
    error_response,
    fake_time,
    json_response,
    run_bounded,
)

N = 20  # concurrent callers
GUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
PKG_DIR = os.path.dirname(cyclr_widgets.__file__)

CLIENTS = [CyclrClient, AsyncCyclrClient]


def _verbose_tb() -> Any:
    """IPython's Verbose traceback formatter without colours (IPython 9 and 8 spell it apart)."""
    try:
        return VerboseTB(theme_name="nocolor")  # IPython >= 9
    except TypeError:
        return VerboseTB(color_scheme="NoColor")  # IPython 8 (Python 3.10)


def call(client: CyclrClient | AsyncCyclrClient, method: str, *args: Any, **kwargs: Any) -> Any:
    """Call a client method the same way for both clients (async ones in a fresh loop)."""
    result = getattr(client, method)(*args, **kwargs)
    if isinstance(client, AsyncCyclrClient):

        async def run() -> Any:
            try:
                return await result
            finally:
                await client.aclose()

        return asyncio.run(run())
    return result


def formatted(exc: BaseException, *, from_library: bool = True) -> str:
    """``exc`` formatted as IPython's Verbose mode and as ``capture_locals`` tools do.

    With ``from_library`` the traceback starts at the first cyclr_widgets frame: the caller's
    own frames hold whatever the caller put in them.
    """
    tb = exc.__traceback__
    if from_library:
        while tb is not None and not tb.tb_frame.f_code.co_filename.startswith(PKG_DIR):
            tb = tb.tb_next
    verbose = _verbose_tb().text(type(exc), exc, tb)
    with_locals = "".join(
        traceback.TracebackException(type(exc), exc, tb, capture_locals=True).format()
    )
    assert "Traceback" in with_locals
    return verbose + with_locals


def assert_no_secret(text: str, secrets: list[str]) -> None:
    leaked = [s for s in secrets if s in text]
    assert not leaked, f"leaked {leaked}"


# -- 1. the token request is bounded by the client's timeout -------------------------------------


@pytest.mark.parametrize("cls", CLIENTS)
def test_stalled_token_request_ends_in_transport_error(cls: type) -> None:
    with LoopbackCyclr(stalled=True) as server:
        client = cls(CLIENT_ID, CLIENT_SECRET, api_url=server.url, timeout=0.5, max_retries=0)
        out = run_bounded(lambda: call(client, "accounts"))
    error = out.get("error")
    assert isinstance(error, TransportError), out
    assert server.requests == ["POST /oauth/token"]
    assert error.path == "/v1.0/accounts" and error.status_code is None
    assert_no_secret(str(error) + formatted(error), [CLIENT_SECRET])


@pytest.mark.parametrize("cls", CLIENTS)
def test_token_request_carries_the_client_timeout(cls: type) -> None:
    seen: dict[str, Any] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen[request.url.path] = request.extensions.get("timeout")
        if request.url.path == "/oauth/token":
            return json_response({"access_token": "t", "expires_in": 3600})
        return json_response({"Id": "a1"})

    client = cls(
        CLIENT_ID, CLIENT_SECRET, api_url=API, timeout=7, transport=httpx.MockTransport(handler)
    )
    call(client, "account", "a1")
    expected = httpx.Timeout(7).as_dict()
    assert seen == {"/oauth/token": expected, "/v1.0/accounts/a1": expected}


# -- 2. one token request for many concurrent callers --------------------------------------------


class Gate:
    """Opens once ``n`` callers are either at the token endpoint or waiting for the token lock.

    A fixed client has one caller at the endpoint and ``n - 1`` waiting; a client without a
    lock has all ``n`` at the endpoint. Either way the gate opens without any sleep.
    """

    def __init__(self, n: int) -> None:
        self.n = n
        self.at_endpoint = 0
        self.waiting = 0
        self._mutex = threading.Lock()
        self.opened = threading.Event()

    def _add(self, endpoint: int = 0, waiting: int = 0) -> None:
        with self._mutex:
            self.at_endpoint += endpoint
            self.waiting += waiting
            if self.at_endpoint + self.waiting >= self.n:
                self.opened.set()


class CountingLock:
    """A thread lock that tells the gate who waits for it."""

    def __init__(self, gate: Gate) -> None:
        self._lock = threading.Lock()
        self._gate = gate

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        if self._lock.acquire(blocking=False):
            return True
        self._gate._add(waiting=1)
        try:
            return self._lock.acquire(True, HANG)
        finally:
            self._gate._add(waiting=-1)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()


class AsyncGate(Gate):
    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.async_opened = anyio.Event()

    def _add(self, endpoint: int = 0, waiting: int = 0) -> None:
        super()._add(endpoint, waiting)
        if self.opened.is_set():
            self.async_opened.set()


class CountingAsyncLock:
    """An anyio lock that tells the gate who waits for it."""

    def __init__(self, inner: Any, gate: AsyncGate) -> None:
        self._lock = inner
        self._gate = gate

    async def acquire(self) -> None:
        try:
            self._lock.acquire_nowait()
            return
        except anyio.WouldBlock:
            pass
        self._gate._add(waiting=1)
        try:
            with anyio.fail_after(HANG):
                await self._lock.acquire()
        finally:
            self._gate._add(waiting=-1)

    def acquire_nowait(self) -> None:
        self._lock.acquire_nowait()

    def release(self) -> None:
        self._lock.release()

    def locked(self) -> bool:
        return bool(self._lock.locked())


def gated_async_lock(client: AsyncCyclrClient, gate: AsyncGate) -> None:
    auth = client._auth
    inner = getattr(auth, "_new_async_lock", anyio.Lock)
    auth._new_async_lock = lambda: CountingAsyncLock(inner(), gate)  # type: ignore[method-assign]
    auth._async_lock = None  # a lock made earlier in this loop (a warm-up call) is replaced


class TokenServer:
    """Issues ``tok-1``, ``tok-2``...; token number ``gated_from`` onwards waits for the gate."""

    def __init__(self, gate: Gate, gated_from: int = 1) -> None:
        self.gate = gate
        self.gated_from = gated_from
        self.issued = 0
        self._mutex = threading.Lock()

    def _issue(self) -> httpx.Response:
        with self._mutex:
            self.issued += 1
            number = self.issued
        return json_response({"access_token": f"tok-{number}", "expires_in": 3600})

    def sync(self, request: httpx.Request) -> httpx.Response:
        if self.issued + 1 >= self.gated_from:
            self.gate._add(endpoint=1)
            assert self.gate.opened.wait(HANG), "the callers never lined up (no token lock?)"
        return self._issue()

    async def async_(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(self.gate, AsyncGate)
        if self.issued + 1 >= self.gated_from:
            self.gate._add(endpoint=1)
            with anyio.fail_after(HANG):
                await self.gate.async_opened.wait()
        return self._issue()


def test_token_stampede_sync() -> None:
    gate = Gate(N)
    tokens = TokenServer(gate)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return tokens.sync(request)
        return json_response({"Id": request.headers["authorization"]})

    client = CyclrClient(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        transport=httpx.MockTransport(handler),
        concurrency=N,  # the client's cap lets all N callers in flight at once
    )
    client._auth._thread_lock = CountingLock(gate)
    with ThreadPoolExecutor(N) as pool:
        futures = [pool.submit(client.account, "a1") for _ in range(N)]
        results = [f.result(timeout=HANG) for f in futures]
    assert tokens.issued == 1
    assert results == [{"Id": "Bearer tok-1"}] * N


async def _async_stampede(client: AsyncCyclrClient, gate: AsyncGate) -> list[Any]:
    gated_async_lock(client, gate)
    results: list[Any] = []

    async def one() -> None:
        results.append(await client.account("a1"))

    with anyio.fail_after(HANG):
        async with anyio.create_task_group() as group:
            for _ in range(N):
                group.start_soon(one)
    return results


def test_token_stampede_async() -> None:
    gate = AsyncGate(N)
    tokens = TokenServer(gate)

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return await tokens.async_(request)
        return json_response({"Id": request.headers["authorization"]})

    client = AsyncCyclrClient(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        transport=httpx.MockTransport(handler),
        concurrency=N,  # the client's cap lets all N callers in flight at once
    )
    results = asyncio.run(_async_stampede(client, gate))
    assert tokens.issued == 1
    assert results == [{"Id": "Bearer tok-1"}] * N


def test_async_token_lock_works_in_one_event_loop_after_another() -> None:
    # asyncio.run() per call (scripts): the lock of a finished loop must not be reused.
    issued: list[int] = []
    gates: list[AsyncGate] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            gate = gates[-1]
            gate._add(endpoint=1)
            with anyio.fail_after(HANG):
                await gate.async_opened.wait()
            issued.append(1)
            return json_response({"access_token": f"tok-{len(issued)}", "expires_in": 3600})
        return json_response({"Id": request.headers["authorization"]})

    client = AsyncCyclrClient(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        transport=httpx.MockTransport(handler),
        concurrency=N,  # the client's cap lets all N callers in flight at once
    )
    for round_ in (1, 2):

        async def stampede() -> list[Any]:
            gates.append(AsyncGate(N))  # its anyio.Event belongs to this loop
            return await _async_stampede(client, gates[-1])

        assert asyncio.run(stampede()) == [{"Id": f"Bearer tok-{round_}"}] * N
        client._auth.invalidate()
    assert len(issued) == 2


class RenewalServer:
    """``tok-1`` is revoked: the N requests carrying it all arrive first, then each gets 401.

    So every caller holds the same old token when the 401s come back; the renewal (token 2)
    waits at the gate until the others are lined up behind the token lock.
    """

    def __init__(self, gate: Gate) -> None:
        self.tokens = TokenServer(gate, gated_from=2)
        self.arrived = 0  # async: requests with tok-1 so far
        self.barrier = threading.Barrier(N)  # sync: the same meeting point

    def resource(self, request: httpx.Request) -> httpx.Response | None:
        auth = request.headers.get("authorization")
        if request.url.path == "/v1.0/accounts/warm-up" or auth == "Bearer tok-2":
            return json_response({"Id": auth})
        if auth != "Bearer tok-1":
            return error_response(401, f"unknown token {auth}")
        return None  # revoked: wait for the others first


def test_401_wave_renews_once_sync() -> None:
    gate = Gate(N)
    server = RenewalServer(gate)

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return server.tokens.sync(request)
        response = server.resource(request)
        if response is None:
            server.barrier.wait(HANG)
            response = error_response(401, "revoked")
        return response

    client = CyclrClient(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        transport=httpx.MockTransport(handler),
        concurrency=N,  # the client's cap lets all N callers in flight at once
    )
    assert client.account("warm-up") == {"Id": "Bearer tok-1"}
    client._auth._thread_lock = CountingLock(gate)
    with ThreadPoolExecutor(N) as pool:
        futures = [pool.submit(client.account, "a1") for _ in range(N)]
        results = [f.result(timeout=HANG) for f in futures]
    assert server.tokens.issued == 2
    assert results == [{"Id": "Bearer tok-2"}] * N


def test_401_wave_renews_once_async() -> None:
    gate = AsyncGate(N)

    async def main() -> list[Any]:
        server = RenewalServer(gate)
        all_in = anyio.Event()

        async def handler(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/oauth/token":
                return await server.tokens.async_(request)
            response = server.resource(request)
            if response is None:
                server.arrived += 1
                if server.arrived == N:
                    all_in.set()
                with anyio.fail_after(HANG):
                    await all_in.wait()
                response = error_response(401, "revoked")
            return response

        client = AsyncCyclrClient(
            CLIENT_ID,
            CLIENT_SECRET,
            api_url=API,
            transport=httpx.MockTransport(handler),
            concurrency=N,  # the client's cap lets all N callers in flight at once
        )
        assert await client.account("warm-up") == {"Id": "Bearer tok-1"}
        results = await _async_stampede(client, gate)
        assert server.tokens.issued == 2
        return results

    assert asyncio.run(main()) == [{"Id": "Bearer tok-2"}] * N


# -- 3. no secret in reprs or in Verbose tracebacks ----------------------------------------------

API_KEY = "apikey-SECRET-0123456789"
BASIC_PASSWORD = "basic-PASSWORD-0123456789"
ACCESS_TOKEN = "oauth-ACCESS-0123456789"
REFRESH_TOKEN = "oauth-REFRESH-0123456789"
PROP_SECRET = "prop-CLIENTSECRET-0123456789"
SIGN_IN_SECRET = "signin-TOKEN-0123456789+/=="

AUTH_VALUES = {
    "api_key": AuthValue.api_key(API_KEY),
    "basic": AuthValue.basic("user", BASIC_PASSWORD),
    "oauth_tokens": AuthValue.oauth_tokens(ACCESS_TOKEN, REFRESH_TOKEN),
}
SECRETS = [
    CLIENT_SECRET,
    BEARER_PREFIX,
    API_KEY,
    BASIC_PASSWORD,
    base64.b64encode(f"user:{BASIC_PASSWORD}".encode()).decode(),
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    PROP_SECRET,
    SIGN_IN_SECRET,
]


def fake_client(cls: type, fake: FakeCyclr) -> Any:
    client = cls(CLIENT_ID, CLIENT_SECRET, api_url=API, transport=httpx.MockTransport(fake))
    fake_time(client)
    return client


def caught(fn: Callable[[], Any]) -> BaseException:
    try:
        fn()
    except Exception as exc:
        return exc
    raise AssertionError("no exception")


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("kind", sorted(AUTH_VALUES))
def test_failed_install_traceback_has_no_secret(cls: type, kind: str) -> None:
    fake = FakeCyclr()
    path = "/v1.0/connectors/5/install"
    fake.add("POST", path, error_response(401, "expired"), error_response(400, "Invalid."))
    client = fake_client(cls, fake)
    properties = {"ClientSecret": PROP_SECRET, "Subdomain": "acme"}
    exc = caught(
        lambda: call(
            client,
            "install_connector",
            ACCOUNT,
            5,
            name="x",
            auth_value=AUTH_VALUES[kind],
            properties=properties,
        )
    )
    assert isinstance(exc, ValidationError) and exc.message == "Invalid."
    assert_no_secret(formatted(exc), SECRETS)
    # ...and yet Cyclr received them, revealed only for httpx.
    sent = body(fake.calls("POST")[-1])
    assert sent["AuthValue"] == AUTH_VALUES[kind].reveal()
    assert sent["Properties"][0] == {"Name": "ClientSecret", "Value": PROP_SECRET, "Id": 0}
    assert fake.requests[-1].headers["authorization"] == "Bearer bearer-token-2"


@pytest.mark.parametrize("cls", CLIENTS)
def test_whole_traceback_clean_when_secrets_come_sealed(cls: type) -> None:
    fake = FakeCyclr()
    fake.add("PUT", "/v1.0/account/connectors/7/properties/3", error_response(400, "No."))
    client = fake_client(cls, fake)
    secret = AuthValue(PROP_SECRET)
    exc = caught(lambda: call(client, "update_account_connector_property", ACCOUNT, 7, 3, secret))
    assert isinstance(exc, ValidationError)
    assert_no_secret(formatted(exc, from_library=False), SECRETS)
    assert body(fake.calls("PUT")[0]) == {"Id": 3, "Value": PROP_SECRET}


@pytest.mark.parametrize("cls", CLIENTS)
def test_refused_token_renewal_traceback_has_no_bearer_token(cls: type) -> None:
    fake = FakeCyclr()
    fake.add("POST", "/v1.0/connectors/5/install", error_response(401, "revoked"))
    # The first token request is answered as usual, the renewal is refused.
    fake.on_token(json_response({}), httpx.Response(401, json={"error": "invalid_client"}))
    client = fake_client(cls, fake)
    client._retry.max_retries = 0
    exc = caught(
        lambda: call(
            client, "install_connector", ACCOUNT, 5, name="x", auth_value=AUTH_VALUES["api_key"]
        )
    )
    assert isinstance(exc, AuthenticationError) and exc.path == "/oauth/token"
    assert_no_secret(formatted(exc), SECRETS)


@pytest.mark.parametrize("cls", CLIENTS)
def test_failed_construction_traceback_has_no_client_secret(cls: type) -> None:
    env = {"CYCLR_CLIENT_ID": CLIENT_ID, "CYCLR_CLIENT_SECRET": CLIENT_SECRET}
    exc = caught(lambda: cls.from_env({**env, "CYCLR_API_URL": "ftp://nope"}))
    assert isinstance(exc, ValueError) and "api_url" in str(exc)
    assert_no_secret(formatted(exc), SECRETS)
    exc = caught(lambda: cls.from_env({"CYCLR_CLIENT_SECRET": CLIENT_SECRET}))
    assert isinstance(exc, ValueError) and "CYCLR_CLIENT_ID" in str(exc)
    assert_no_secret(formatted(exc), SECRETS)
    exc = caught(lambda: cls(CLIENT_ID, CLIENT_SECRET, timeout=-1))
    assert isinstance(exc, ValueError) and "timeout" in str(exc)
    assert_no_secret(formatted(exc), SECRETS)


@pytest.mark.parametrize("cls", CLIENTS)
def test_malformed_answer_traceback_has_no_sign_in_token(cls: type) -> None:
    fake = FakeCyclr()
    answer = {"Token": SIGN_IN_SECRET, "ExpiresAtUtc": "next tuesday"}
    fake.add("POST", f"/v1.0/accounts/{ACCOUNT}/signintoken", json_response(answer))
    client = fake_client(cls, fake)
    exc = caught(lambda: call(client, "sign_in_token", ACCOUNT, "nb-user"))
    assert isinstance(exc, CyclrError) and "unexpected" in exc.message
    assert_no_secret(formatted(exc), SECRETS)


def test_operation_and_auth_reprs_are_masked() -> None:
    from cyclr_widgets.client import _endpoints as ops

    op = ops.install_connector(
        ACCOUNT,
        5,
        "x",
        None,
        None,
        AUTH_VALUES["oauth_tokens"],
        [{"Name": "ClientSecret", "Value": PROP_SECRET}, {"Name": "Region", "Value": "eu"}],
    )
    fake = FakeCyclr().add("GET", "/v1.0/accounts/a1", json_response({"Id": "a1"}))
    client = fake_client(CyclrClient, fake)
    client.account("a1")  # holds a bearer token now
    text = repr(op) + str(op) + repr(client) + repr(client._auth) + repr(vars(client._auth))
    assert_no_secret(text, SECRETS)
    assert "'Region', 'Value': 'eu'" in repr(op)  # not-secret values stay readable
    assert set(op.secrets) >= {AUTH_VALUES["oauth_tokens"].reveal(), PROP_SECRET}


# -- 4. ids are validated and encoded before any request -----------------------------------------


def refusing_client(cls: type) -> Any:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a request was sent: {request.method} {request.url}")

    return cls(CLIENT_ID, CLIENT_SECRET, api_url=API, transport=httpx.MockTransport(refuse))


BAD_ACCOUNT_IDS = [
    "", "   ", ".", "..", " .. ", "a/b", "/", "a\\b", "a?b", "a#b", "a%2Fb", "%",
    "a\nb", "a\x00b", "a\x7fb", "a\x85b", "x" * 256, "kontó",
]  # fmt: skip
ACCOUNT_CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("account", (), {}),
    ("delete_account", (), {}),
    ("update_account", (), {"name": "n"}),
    ("sign_in_token", (), {}),
    ("account_connectors", (), {}),
    ("cycles", (), {}),
]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("bad", BAD_ACCOUNT_IDS)
@pytest.mark.parametrize(("method", "args", "kwargs"), ACCOUNT_CALLS)
def test_bad_account_id_rejected_before_sending(
    cls: type, bad: str, method: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    client = refusing_client(cls)
    with pytest.raises(ValidationError, match="account_id"):
        call(client, method, bad, *args, **kwargs)


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("bad", [".", "..", "a/b", "a?b", "é"])
def test_bad_account_id_rejected_everywhere_else(cls: type, bad: str) -> None:
    with pytest.raises(ValidationError):
        call(refusing_client(cls), "create_account", "n", id=bad)
    with pytest.raises(ValueError, match="account_id"):
        cls(CLIENT_ID, CLIENT_SECRET, account_id=bad)
    with pytest.raises(ValueError, match="token_scope_account"):
        cls(CLIENT_ID, CLIENT_SECRET, token_scope_account=bad)


BAD_GUIDS = [
    "", " ", ".", "..", "transactions", "incidents", "upgradeable", "c-1", "a/b",
    GUID + "/x", GUID + "?x", GUID[:-1], GUID + "0", "{" + GUID + "}x", GUID.replace("-", "/"),
    "%2e%2e", 42, None,
]  # fmt: skip
GUID_CALLS: list[tuple[str, Callable[[str], tuple[tuple[Any, ...], dict[str, Any]]]]] = [
    ("cycle", lambda g: ((ACCOUNT, g), {})),
    ("activate_cycle", lambda g: ((ACCOUNT, g), {})),
    ("deactivate_cycle", lambda g: ((ACCOUNT, g), {})),
    ("cycle_prerequisites", lambda g: ((ACCOUNT, g), {})),
    ("transactions", lambda g: ((ACCOUNT,), {"cycle_id": g})),
    ("incidents", lambda g: ((ACCOUNT,), {"cycle_id": g})),
    ("install_template", lambda g: ((ACCOUNT, g), {})),
]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("bad", BAD_GUIDS)
@pytest.mark.parametrize(("method", "make_args"), GUID_CALLS)
def test_cycle_and_template_ids_must_be_guids(
    cls: type, bad: Any, method: str, make_args: Callable[[Any], Any]
) -> None:
    if bad is None and method in ("transactions", "incidents"):
        return  # cycle_id=None means "every cycle" there
    args, kwargs = make_args(bad)
    with pytest.raises(ValidationError, match="_id"):
        call(refusing_client(cls), method, *args, **kwargs)


@pytest.mark.parametrize("cls", CLIENTS)
def test_good_ids_are_sent_as_one_encoded_segment(cls: type) -> None:
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return json_response({"access_token": "t", "expires_in": 3600})
        seen.append(request.url.raw_path)
        return json_response({"Id": "x"})

    def client() -> Any:
        return cls(CLIENT_ID, CLIENT_SECRET, api_url=API, transport=httpx.MockTransport(handler))

    call(client(), "account", "a b+c:d@e")
    call(client(), "account", "snjallgogn.is")
    call(client(), "account", " JO-Test-1234567890 ")
    call(client(), "cycle", ACCOUNT, GUID.upper())
    call(client(), "install_template", ACCOUNT, uuid.UUID(GUID))
    assert seen == [
        b"/v1.0/accounts/a%20b%2Bc%3Ad%40e",
        b"/v1.0/accounts/snjallgogn.is",
        b"/v1.0/accounts/JO-Test-1234567890",
        f"/v1.0/cycles/{GUID.upper()}".encode(),
        f"/v1.0/templates/{GUID}/install".encode(),
    ]


# -- 5. constructor arguments are checked at construction ----------------------------------------


class _NotATransport:
    pass


BAD_ARGS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"client_id": 5}, TypeError, "client_id"),
    ({"client_secret": 5}, TypeError, "client_secret"),
    ({"client_secret": None}, ValueError, "client_secret"),
    ({"client_id": " "}, ValueError, "client_id"),
    ({"region": 5}, TypeError, "region"),
    ({"region": "mars"}, ValueError, "region"),
    ({"api_url": 5}, TypeError, "api_url"),
    ({"api_url": "ftp://x"}, ValueError, "api_url"),
    ({"service_url": 5}, TypeError, "service_url"),
    ({"service_url": "acme"}, ValueError, "service_url"),
    ({"account_id": 5}, TypeError, "account_id"),
    ({"token_scope_account": 5}, TypeError, "token_scope_account"),
    ({"timeout": "abc"}, TypeError, "timeout"),
    ({"timeout": True}, TypeError, "timeout"),
    ({"timeout": -1}, ValueError, "timeout"),
    ({"timeout": 0}, ValueError, "timeout"),
    ({"timeout": float("nan")}, ValueError, "timeout"),
    ({"timeout": float("inf")}, ValueError, "timeout"),
    ({"timeout": None}, ValueError, "timeout"),
    ({"timeout": httpx.Timeout(None)}, ValueError, "timeout"),
    ({"timeout": httpx.Timeout(5, read=None)}, ValueError, "timeout"),
    ({"timeout": httpx.Timeout(5, pool=-1)}, ValueError, "timeout"),
    ({"max_retries": "3"}, TypeError, "max_retries"),
    ({"max_retries": 2.0}, TypeError, "max_retries"),
    ({"max_retries": True}, TypeError, "max_retries"),
    ({"max_retries": -1}, ValueError, "max_retries"),
    ({"backoff_cap": "1"}, TypeError, "backoff_cap"),
    ({"backoff_cap": -1}, ValueError, "backoff_cap"),
    ({"backoff_cap": float("nan")}, ValueError, "backoff_cap"),
    ({"page_size": "50"}, TypeError, "page_size"),
    ({"page_size": 0}, ValueError, "page_size"),
    ({"concurrency": 2.5}, TypeError, "concurrency"),
    ({"concurrency": 0}, ValueError, "concurrency"),
    ({"progress": "yes"}, TypeError, "progress"),
    ({"transport": _NotATransport()}, TypeError, "transport"),
    ({"http_client": _NotATransport()}, TypeError, "http_client"),
]


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(("kwargs", "error", "name"), BAD_ARGS)
def test_constructor_checks_every_argument(
    cls: type, kwargs: dict[str, Any], error: type[Exception], name: str
) -> None:
    args = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, **kwargs}
    with pytest.raises(error, match=name) as info:
        cls(**args)
    if error is TypeError:
        assert not isinstance(info.value, ValueError)


def test_http_client_of_the_other_kind_is_refused() -> None:
    with httpx.Client() as sync_http, pytest.raises(TypeError, match="http_client"):
        AsyncCyclrClient(CLIENT_ID, CLIENT_SECRET, http_client=sync_http)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="http_client"):
        CyclrClient(CLIENT_ID, CLIENT_SECRET, http_client=httpx.AsyncClient())  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", CLIENTS)
def test_constructor_accepts_good_values(cls: type) -> None:
    c = cls(CLIENT_ID, AuthValue(CLIENT_SECRET), timeout=httpx.Timeout(5, connect=2), max_retries=0)
    assert c.timeout == httpx.Timeout(5, connect=2)
    assert cls(CLIENT_ID, CLIENT_SECRET, timeout=2, backoff_cap=0, progress=None).timeout == 2
    assert issubclass(ValidationError, ValueError) and issubclass(ValidationError, CyclrError)


# -- 6. origin_of serialises like a browser (WHATWG URL) -----------------------------------------

ORIGINS = [
    ("https://acme-h.eu.cyclr.com:443", "https://acme-h.eu.cyclr.com"),
    ("https://acme-h.eu.cyclr.com:443/path?x=1#y", "https://acme-h.eu.cyclr.com"),
    ("http://example.com:80/", "http://example.com"),
    ("https://example.com:0443", "https://example.com"),
    ("http://example.com:00080", "http://example.com"),
    ("https://example.com:80", "https://example.com:80"),
    ("http://example.com:443", "http://example.com:443"),
    ("https://example.com:08443", "https://example.com:8443"),
    ("https://example.com:", "https://example.com"),
    ("ws://example.com:80", "ws://example.com"),
    ("wss://example.com:443/socket", "wss://example.com"),
    ("HTTPS://A.Example:8443/x", "https://a.example:8443"),
    ("http://127.0.0.1:8888", "http://127.0.0.1:8888"),
    ("http://0x7F.1:8888", "http://127.0.0.1:8888"),
    ("http://2130706433/", "http://127.0.0.1"),
    ("https://Bücher.example", "https://xn--bcher-kva.example"),
    ("https://BÜCHER.example:443", "https://xn--bcher-kva.example"),
    ("https://b%C3%BCcher.example", "https://xn--bcher-kva.example"),
    ("https://faß.de", "https://xn--fa-hia.de"),
    ("https://例え.テスト", "https://xn--r8jz45g.xn--zckzah"),
    (
        "https://\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25\u3002com",
        "https://example.com",
    ),  # fullwidth
    ("https://my_host.example", "https://my_host.example"),
    ("https://example.com.", "https://example.com."),
    ("http://[::1]:80", "http://[::1]"),
    ("http://[0:0:0:0:0:0:0:1]:8080", "http://[::1]:8080"),
    ("http://[2001:DB8::1]", "http://[2001:db8::1]"),
    ("http://[2001:db8:0:0:1:0:0:1]", "http://[2001:db8::1:0:0:1]"),
    ("http://[1:0:1:0:1:0:1:0]", "http://[1:0:1:0:1:0:1:0]"),
    ("http://[::ffff:192.168.0.1]", "http://[::ffff:c0a8:1]"),
    ("https://[::]:443", "https://[::]"),
]


@pytest.mark.parametrize(("url", "origin"), ORIGINS)
def test_origin_of_matches_the_browser(url: str, origin: str) -> None:
    assert origin_of(url) == origin
    assert origin_of(origin) == origin  # idempotent


@pytest.mark.parametrize(
    "url",
    [
        "nope",
        "https://exa mple.com",
        "https://example.com:99999",
        "https://example.com:-1",
        "https://example.com:+443",
        "https://example.com:4a",
        "http://[::1",
        "http://[fe80::1%25eth0]",
        "http://[1:2:3:4:5:6:7:8:9]",
        "https://a<b.example",
        "https://b%FFcher.example",
        "https://\u200d.example",
    ],
)
def test_origin_of_rejects_what_a_browser_rejects(url: str) -> None:
    with pytest.raises(ValueError):
        origin_of(url)
