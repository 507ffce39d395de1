"""LAUNCH, ORBIT and Marketplace: the reply, the browser URL, the token and account creation."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403
from tests.support.sandbox import HTTP

PW = "Password123!"


def _url_parts(url: str) -> tuple[str, dict[str, list[str]], str]:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", query, query["returnUrl"][0]


@pytest.mark.parametrize(
    ("kind", "body"), [("launch", {}), ("orbit", {}), ("marketplace", {"MarketplaceId": 1234})]
)
def test_account_entry_points(
    api: httpx.Client, sb: Sandbox, kind: str, body: dict[str, Any]
) -> None:
    r = api.post(f"/v1.0/accounts/{sb.account_id}/{kind}", json=body)
    assert r.status_code == 200, r.text
    reply = r.json()
    key = kind.capitalize() + "Url"
    assert set(reply) == {"AccountId", "ExpiresAtUtc", key, "Token"}
    assert reply["AccountId"] == sb.account_id
    base, query, return_url = _url_parts(reply[key])
    assert base == sb.service_url + "/account/signinwithtoken"
    assert query["token"] == [reply["Token"]]
    # D-launch, D-mkt: returnUrl=%2Flaunch, %2Forbit, %2Flaunch/marketplace/{MarketplaceId}.
    want = "/launch/marketplace/1234" if kind == "marketplace" else "/" + kind
    assert return_url.startswith(want)
    assert f"returnUrl=%2F{want[1:]}" in reply[key]
    # The token is a single-use sign-in token for the service domain.
    assert HTTP.get(reply[key]).status_code == 200
    assert HTTP.get(reply[key]).status_code == 403


def test_launch_flags_land_in_the_return_url(api: httpx.Client, sb: Sandbox) -> None:
    body = {
        "Start": False,
        "RunOnce": True,
        "AutoInstall": True,  # the default, yet written: [T] sees auto=true and single=false
        "SingleInstall": True,
        "Wizard": True,
        "DisplayDescriptions": True,
        "InlineOAuth": False,
        "CompleteParameter": "done-1",
        "Tags": ["crm", "sales"],
    }
    reply = api.post(f"/v1.0/accounts/{sb.account_id}/launch", json=body).json()
    _, _, return_url = _url_parts(reply["LaunchUrl"])
    path, _, query = return_url.partition("?")
    flags = parse_qs(query)
    assert path == "/launch"
    assert flags == {
        "auto": ["true"],
        "start": ["false"],
        "once": ["true"],
        "single": ["true"],
        "wizard": ["true"],
        "descriptions": ["true"],
        "inline": ["false"],
        "completeParameter": ["done-1"],
        "tag": ["crm", "sales"],
    }
    plain = api.post(f"/v1.0/accounts/{sb.account_id}/launch", json={}).json()["LaunchUrl"]
    assert unquote(_url_parts(plain)[2]) == "/launch?auto=true&single=false"


def test_launch_token_expires_after_five_minutes(api: httpx.Client, sb: Sandbox, clock) -> None:
    reply = api.post(f"/v1.0/accounts/{sb.account_id}/orbit", json={}).json()
    clock.advance(301)
    assert HTTP.get(reply["OrbitUrl"]).status_code == 403


@pytest.mark.parametrize(
    ("kind", "body"), [("launch", {}), ("marketplace", {"MarketplaceId": 1234})]
)
def test_launch_and_marketplace_create_a_new_account(
    api: httpx.Client, kind: str, body: dict[str, Any]
) -> None:
    acc_id = f"new-{kind}-0001"
    r = api.post(f"/v1.0/accounts/{acc_id}/{kind}", json={**body, "AccountDescription": "d"})
    assert r.status_code == 200 and r.json()["AccountId"] == acc_id
    acc = api.get(f"/v1.0/accounts/{acc_id}").json()
    assert acc["Name"] == acc_id and acc["Description"] == "d" and acc["NextBillDateUtc"]
    named = api.post(f"/v1.0/accounts/{acc_id}-2/{kind}", json={**body, "AccountName": "Named"})
    assert api.get(f"/v1.0/accounts/{acc_id}-2").json()["Name"] == "Named", named.text


def test_orbit_needs_an_existing_account(api: httpx.Client) -> None:
    r = api.post("/v1.0/accounts/no-such-account/orbit", json={})
    assert r.status_code == 404
    assert api.get("/v1.0/accounts/no-such-account").status_code == 404


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({}, 400),
        ({"MarketplaceId": "1234"}, 200),
        ({"MarketplaceId": 99}, 404),
        ({"MarketplaceId": "x"}, 400),
    ],
)
def test_marketplace_id(api: httpx.Client, sb: Sandbox, body: dict[str, Any], status: int) -> None:
    r = api.post(f"/v1.0/accounts/{sb.account_id}/marketplace", json=body)
    assert r.status_code == status, r.text


@pytest.mark.parametrize("kind", ["launch", "orbit", "marketplace"])
def test_user_entry_points_check_the_user(api: httpx.Client, sb: Sandbox, kind: str) -> None:
    body: dict[str, Any] = {
        "AccountId": sb.account_id,
        "Username": sb.ids["username"],
        "Password": PW,
    }
    if kind == "marketplace":
        body["MarketplaceId"] = sb.ids["marketplace_id"]
    r = api.post(f"/v1.0/users/{kind}", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["AccountId"] == sb.account_id and r.json()[kind.capitalize() + "Url"]
    for wrong in ({"Password": "wrong-password"}, {"Username": "ghost"}, {"Password": None}):
        r = api.post(f"/v1.0/users/{kind}", json={**body, **wrong})
        assert r.status_code == 401 and "user name or password" in r.json()["Message"]
    # A user of another account does not open this one.
    other = api.get(f"/v1.0/accounts/{sb.ids['other_account_id']}/users").json()[0]["UserName"]
    r = api.post(f"/v1.0/users/{kind}", json={**body, "Username": other})
    assert r.status_code == 401
    assert api.post(f"/v1.0/users/{kind}", json={**body, "AccountId": "nope"}).status_code == 404
    assert api.post(f"/v1.0/users/{kind}", json={**body, "AccountId": None}).status_code == 400
