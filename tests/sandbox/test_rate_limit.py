"""The sandbox's rate limit: requests per second per API token, on the sandbox clock."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from harness.clock import FakeClock
from tests.support.sandbox import *  # noqa: F403
from tests.support.sandbox import HTTP, get_token, token_response


def test_off_by_default(sb: Sandbox, api: httpx.Client) -> None:
    assert sb.switches["rate_limit_rps"] == 0
    assert all(api.get("/v1.0/accounts").status_code == 200 for _ in range(30))
    assert sb.faults_injected["throttled_429"] == 0


def test_a_second_of_burst_then_429_with_whole_seconds(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    sb.configure(rate_limit_rps=5)
    codes = [api.get("/v1.0/accounts").status_code for _ in range(5)]
    assert codes == [200] * 5  # the bucket holds one second of the rate
    refused = api.get("/v1.0/accounts")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"  # whole seconds, at least 1, as ASP.NET sends
    assert "quota exceeded" in refused.json()["Message"]
    assert refused.headers["x-content-type-options"] == "nosniff"
    assert sb.faults_injected["throttled_429"] == 1
    clock.advance(0.2)  # one token back at 5 per second (a refused request took none)
    assert api.get("/v1.0/accounts").status_code == 200
    assert api.get("/v1.0/accounts").status_code == 429
    clock.advance(1.0)
    assert [api.get("/v1.0/accounts").status_code for _ in range(6)] == [200] * 5 + [429]


def test_rate_respected_over_a_long_window(
    sb: Sandbox, api: httpx.Client, clock: FakeClock
) -> None:
    sb.configure(rate_limit_rps=4)
    accepted = 0
    for _ in range(100):  # 10 s of the sandbox clock, 3 tries every 0.1 s
        clock.advance(0.1)
        accepted += sum(api.get("/v1.0/accounts").status_code == 200 for _ in range(3))
    assert 40 <= accepted <= 40 + 4  # the rate, plus at most the initial bucket


def test_per_api_token(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(rate_limit_rps=2)
    assert [api.get("/v1.0/accounts").status_code for _ in range(3)] == [200, 200, 429]
    other = {"Authorization": f"Bearer {get_token(sb)}", "X-Cyclr-Account": sb.account_id}
    assert HTTP.get(sb.api_url + "/v1.0/accounts", headers=other).status_code == 200


def test_token_endpoint_has_a_bucket_too(sb: Sandbox, clock: FakeClock) -> None:
    sb.configure(rate_limit_rps=1)
    assert token_response(sb).status_code == 200
    r = token_response(sb)
    assert r.status_code == 429 and r.headers["Retry-After"] == "1"
    assert set(r.json()) == {"Message"}


def test_fractional_rate_waits_longer(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(rate_limit_rps=0.25)  # one request every 4 s, a bucket of one request
    assert api.get("/v1.0/accounts").status_code == 200
    r = api.get("/v1.0/accounts")
    assert r.status_code == 429 and r.headers["Retry-After"] == "4"


def test_switch_is_checked(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match="rate_limit_rps"):
        sb.configure(rate_limit_rps=-1)
    sb.configure(rate_limit_rps=None)
    assert sb.switches["rate_limit_rps"] == 0
