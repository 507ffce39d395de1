"""Fault injection switches, their counters, and concurrent writes."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403
from tests.support.sandbox import HTTP, oauth_params, signin, token_response


def test_faults_off_by_default(sb: Sandbox, api: httpx.Client) -> None:
    for _ in range(30):
        assert api.get("/v1.0/accounts").status_code == 200
    assert sb.faults_injected == dict.fromkeys(sb.faults_injected, 0)
    assert sb.stats["requests"] == 30


def test_latency(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(latency_ms=150)
    t = time.perf_counter()
    assert api.get("/v1.0/accounts").status_code == 200
    assert time.perf_counter() - t >= 0.15
    assert sb.faults_injected["latency"] == 1


def test_error_rate_hits_api_and_token_but_not_pages(sb: Sandbox, api: httpx.Client) -> None:
    token = signin(api, sb.account_id)
    sb.configure(error_rate=1.0, retry_after=7)
    codes = [api.get("/v1.0/accounts") for _ in range(20)]
    assert {r.status_code for r in codes} == {500, 503}
    assert all(r.json() == {"Message": "An error has occurred."} for r in codes)
    assert all(r.headers["Retry-After"] == "7" for r in codes if r.status_code == 503)
    assert all(r.headers["x-content-type-options"] == "nosniff" for r in codes)
    assert token_response(sb).status_code in (500, 503)
    stats = sb.faults_injected
    assert stats["error_500"] + stats["error_503"] == 21
    page = HTTP.get(
        sb.service_url + "/connectorauth/updateaccountconnectoroauth",
        params=oauth_params(sb.ids["oauth_account_connector_id"], token),
    )
    assert page.status_code == 302


def test_partial_error_rate(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(error_rate=0.3)
    codes = [api.get("/v1.0/accounts").status_code for _ in range(60)]
    assert 0 < sum(c >= 500 for c in codes) < 60


@pytest.mark.parametrize("status", [503, "500"])
def test_error_status_picks_one_status(sb: Sandbox, api: httpx.Client, status: int | str) -> None:
    sb.configure(error_rate=1.0, error_status=status)
    assert {api.get("/v1.0/accounts").status_code for _ in range(12)} == {int(status)}
    assert sb.faults_injected[f"error_{int(status)}"] == 12
    with pytest.raises(ValueError, match="error_status"):
        sb.configure(error_status=502)


def test_rate_limit(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(rate_limit_rate=1.0, retry_after=3)
    r = api.get("/v1.0/connectors")
    assert r.status_code == 429 and r.headers["Retry-After"] == "3" and r.json()["Message"]
    assert token_response(sb).status_code == 429
    assert sb.faults_injected["rate_limited_429"] == 2
    sb.configure(rate_limit_rate=0.0)
    assert api.get("/v1.0/connectors").status_code == 200


def test_drop_closes_without_response(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(drop_rate=1.0)
    with pytest.raises(httpx.TransportError):
        api.get("/v1.0/accounts")
    with pytest.raises(httpx.TransportError):
        token_response(sb)
    assert sb.faults_injected["dropped"] == 2
    sb.configure(drop_rate=0.0)
    assert api.get("/v1.0/accounts").status_code == 200  # the server survives


def test_dropped_install_may_have_committed(sb: Sandbox, api: httpx.Client) -> None:
    before = int(api.get("/v1.0/account/connectors").headers["Total-Records"])
    sb.configure(drop_rate=1.0)
    cid = sb.ids["apikey_connector_ids"][0]
    for _ in range(30):
        with pytest.raises(httpx.TransportError):
            api.post(f"/v1.0/connectors/{cid}/install", json={"Name": "maybe", "AuthValue": "k"})
        if sb.faults_injected["dropped_after_commit"] and sb.faults_injected["dropped"]:
            break
    sb.configure(drop_rate=0.0)
    committed = sb.faults_injected["dropped_after_commit"]
    assert committed >= 1 and sb.faults_injected["dropped"] >= 1
    after = int(api.get("/v1.0/account/connectors").headers["Total-Records"])
    assert after == before + committed


def test_short_token_ttl(sb: Sandbox, clock) -> None:
    sb.configure(token_ttl=60)
    r = token_response(sb)
    assert r.json()["expires_in"] == 60
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert HTTP.get(sb.api_url + "/v1.0/accounts", headers=headers).status_code == 200
    clock.advance(61)
    assert HTTP.get(sb.api_url + "/v1.0/accounts", headers=headers).status_code == 401


def test_configure_validates(sb: Sandbox) -> None:
    with pytest.raises(TypeError):
        sb.configure(no_such_switch=1)
    with pytest.raises(ValueError):
        sb.configure(error_rate=1.5)
    with pytest.raises(ValueError):
        sb.configure(post_target="top")
    assert sb.switches["error_rate"] == 0.0


def test_concurrent_installs_do_not_corrupt(sb: Sandbox, api: httpx.Client) -> None:
    before = int(api.get("/v1.0/account/connectors").headers["Total-Records"])
    cid = sb.ids["apikey_connector_ids"][1]

    def install(n: int) -> int:
        r = api.post(
            f"/v1.0/connectors/{cid}/install",
            json={"Name": f"c{n}", "AuthValue": "k", "Description": "parallel"},
        )
        assert r.status_code == 200, r.text
        return int(r.json()["Id"])

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(install, range(40)))
    assert len(set(ids)) == 40
    listed = api.get("/v1.0/account/connectors", params={"pageSize": 500})
    assert int(listed.headers["Total-Records"]) == before + 40
    assert {x["Id"] for x in listed.json()} >= set(ids)
