"""Fixtures and helpers for the tests that talk to a sandbox over HTTP (tests/sandbox/, ...)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from cyclr_widgets.sandbox import SWITCHES, Sandbox
from harness.clock import START, FakeClock

# Only the fixtures: test modules star-import them so pytest sees them (helpers are imported
# by name).
__all__ = ["_session_api", "_session_sandbox", "api", "clock", "sb"]

# One shared client: creating an httpx.Client costs ~50 ms (it loads the CA bundle). Its timeout
# is a hang guard only: on a busy shared CI machine a loopback answer may take seconds.
HANG_GUARD_S = 60.0
HTTP = httpx.Client(timeout=HANG_GUARD_S)


@pytest.fixture(scope="session")
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def _session_sandbox(clock: FakeClock) -> Iterator[Sandbox]:
    with Sandbox(clock=clock) as sb:
        yield sb


@pytest.fixture
def sb(_session_sandbox: Sandbox, clock: FakeClock) -> Iterator[Sandbox]:
    """The shared sandbox, reset to the seed, default switches and clock for each test."""
    clock.now = START
    _session_sandbox.configure(**SWITCHES)
    _session_sandbox.reset()
    _session_sandbox.reset_stats()
    yield _session_sandbox
    _session_sandbox.configure(**SWITCHES)


def token_response(sb: Sandbox, **extra: str) -> httpx.Response:
    """POST /oauth/token with the sandbox's credentials (plus ``extra`` form fields)."""
    return HTTP.post(
        sb.api_url + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": sb.client_id,
            "client_secret": sb.client_secret,
            **extra,
        },
    )


def get_token(sb: Sandbox, **extra: str) -> str:
    r = token_response(sb, **extra)
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


@pytest.fixture(scope="session")
def _session_api(_session_sandbox: Sandbox) -> Iterator[httpx.Client]:
    sb = _session_sandbox
    headers = {"Authorization": f"Bearer {get_token(sb)}", "X-Cyclr-Account": sb.account_id}
    with httpx.Client(base_url=sb.api_url, headers=headers, timeout=HANG_GUARD_S) as client:
        yield client


@pytest.fixture
def api(sb: Sandbox, _session_api: httpx.Client) -> httpx.Client:
    """An httpx client with a bearer token and the main account's header (after the reset)."""
    return _session_api


def signin(api: httpx.Client, account_id: str) -> str:
    r = api.post(f"/v1.0/accounts/{account_id}/signintoken", json={"Username": "tester"})
    assert r.status_code == 200, r.text
    return str(r.json()["Token"])


def oauth_params(
    ac_id: int,
    token: str,
    target: str | None = "http://127.0.0.1:8888",
    message: str | None = "cyclr-nb:flow-1:nonce",
) -> dict[str, Any]:
    params: dict[str, Any] = {"id": ac_id, "token": token}
    if target is not None:
        params["targetOrigin"] = target
    if message is not None:
        params["callbackMessage"] = message
    return params


def run_flow(sb: Sandbox, params: dict[str, Any], decision: str = "allow") -> httpx.Response:
    """Drive the browser flow with plain HTTP; returns the service domain's final answer."""
    browser = HTTP
    r = browser.get(sb.service_url + "/connectorauth/updateaccountconnectoroauth", params=params)
    assert r.status_code == 302, r.text
    consent_url = r.headers["location"]
    assert consent_url.startswith(sb.provider_url + "/oauth/authorize?")
    page = browser.get(consent_url)
    assert page.status_code == 200
    assert 'id="allow"' in page.text and 'id="deny"' in page.text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page.text))
    fields = {k: html.unescape(v) for k, v in fields.items()}
    r = browser.post(sb.provider_url + "/oauth/authorize", data={**fields, "decision": decision})
    assert r.status_code == 303
    back = r.headers["location"]
    assert back.startswith(sb.service_url + "/connector/callback?")
    return browser.get(back)


def script_values(page: str) -> tuple[Any, Any]:
    """The message and targetOrigin literals of the completion page's script."""
    import json

    message = re.search(r"var message = (.*);\n", page)
    origin = re.search(r"var targetOrigin = (.*);\n", page)
    assert message and origin, page
    return json.loads(message.group(1)), json.loads(origin.group(1))
