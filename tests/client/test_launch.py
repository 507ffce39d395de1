"""LAUNCH, ORBIT and Marketplace links: both clients, bodies, variants, masking."""

from __future__ import annotations

import traceback

import pytest

from cyclr_widgets import AuthValue, LaunchLink, ValidationError
from cyclr_widgets.client import _endpoints as ops
from tests.support.client import ACCOUNT, FakeCyclr, body, json_response
from tests.support.twins import Twin

URL = "https://acme-h.test.cyclr/account/signinwithtoken?token=SECRET-tok%3D&returnUrl=%2Flaunch"
TOKEN = "SECRET-tok="
PASSWORD = "Launch-pa55word"


def reply(kind: str) -> dict[str, str]:
    return {
        "AccountId": ACCOUNT,
        "ExpiresAtUtc": "2030-01-01T00:00:00Z",
        f"{kind}Url": URL,
        "Token": TOKEN,
    }


def test_launch_maps_snake_case_options_to_cyclrs_body(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"/v1.0/accounts/{ACCOUNT}/launch", json_response(reply("Launch")))
    link = twin.launch(
        ACCOUNT,
        account_name="Acme",
        run_once=True,
        tags="crm",
        inline_oauth=False,
        auto_install=None,  # None: Cyclr's default, not sent
        connector_authentications=[
            {"Name": "Partner", "AuthValue": "partner-key-1", "Properties": []}
        ],
    )
    sent = fake.calls()[0]
    assert "X-Cyclr-Account" not in sent.headers
    assert body(sent) == {
        "AccountName": "Acme",
        "RunOnce": True,
        "Tags": ["crm"],
        "InlineOAuth": False,
        "ConnectorAuthentications": [
            {"Name": "Partner", "AuthValue": "partner-key-1", "Properties": []}
        ],
    }
    assert isinstance(link, LaunchLink) and link.kind == "launch"
    assert (link.url, link.token, link.account_id) == (URL, TOKEN, ACCOUNT)
    shown = repr(link) + str(link) + repr(link.raw)
    assert TOKEN not in shown and "signinwithtoken" not in shown and "***" in shown


def test_launch_as_a_user_posts_to_users_launch(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/users/launch", json_response(reply("Launch")))
    twin.launch(ACCOUNT, username="jane.doe", password=PASSWORD, wizard=True)
    assert body(fake.calls()[0]) == {
        "Wizard": True,
        "AccountId": ACCOUNT,
        "Username": "jane.doe",
        "Password": PASSWORD,
    }


def test_orbit_both_variants(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"/v1.0/accounts/{ACCOUNT}/orbit", json_response(reply("Orbit")))
    fake.add("POST", "/v1.0/users/orbit", json_response(reply("Orbit")))
    assert twin.orbit(ACCOUNT).kind == "orbit"
    twin.orbit(ACCOUNT, username="jane.doe", password=PASSWORD)
    first, second = fake.calls()
    assert body(first) == {}
    assert body(second) == {"AccountId": ACCOUNT, "Username": "jane.doe", "Password": PASSWORD}


def test_marketplace_both_variants(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"/v1.0/accounts/{ACCOUNT}/marketplace", json_response(reply("Marketplace")))
    fake.add("POST", "/v1.0/users/marketplace", json_response(reply("Marketplace")))
    link = twin.marketplace(ACCOUNT, 1234, complete_parameter="done")
    assert link.kind == "marketplace" and link.url == URL
    twin.marketplace(ACCOUNT, 1234, username="u", password=PASSWORD)
    first, second = fake.calls()
    assert body(first) == {"CompleteParameter": "done", "MarketplaceId": 1234}
    assert body(second)["MarketplaceId"] == 1234 and body(second)["Username"] == "u"


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error"),
    [
        ("launch", (ACCOUNT,), {"not_an_option": 1}, TypeError),
        ("launch", (ACCOUNT,), {"MarketplaceId": 1}, TypeError),
        ("marketplace", (ACCOUNT, 1), {"wizard": True}, TypeError),  # a LAUNCH-only option
        ("launch", (ACCOUNT,), {"password": PASSWORD}, ValidationError),
        ("orbit", (ACCOUNT,), {"username": "u"}, ValidationError),
        ("marketplace", (ACCOUNT, "1234"), {}, ValidationError),
        ("marketplace", (ACCOUNT, 0), {}, ValidationError),
        ("launch", ("bad/id",), {}, ValidationError),
    ],
)
def test_bad_input_is_refused_before_sending(
    twin: Twin, fake: FakeCyclr, method: str, args: tuple, kwargs: dict, error: type
) -> None:
    with pytest.raises(error):
        getattr(twin, method)(*args, **kwargs)
    assert fake.calls() == []


def test_secrets_in_the_body_are_sealed_and_scrubbed(twin: Twin, fake: FakeCyclr) -> None:
    auth = [{"Name": "P", "AuthValue": "partner-key-1", "Properties": [
        {"Name": "ClientSecret", "Value": "client-secret-9"}, {"Name": "Region", "Value": "eu"}
    ]}]  # fmt: skip
    op = ops.launch_link(
        "launch", ACCOUNT, "u", AuthValue(PASSWORD), {"connector_authentications": auth}
    )
    assert all(s not in repr(op) for s in (PASSWORD, "partner-key-1", "client-secret-9"))
    assert "'eu'" in repr(op)
    echo = f"rejected {PASSWORD} partner-key-1 client-secret-9"
    fake.add("POST", "/v1.0/users/launch", json_response({"Message": echo}, status=400))
    with pytest.raises(ValidationError) as info:
        twin.launch(ACCOUNT, username="u", password=PASSWORD, connector_authentications=auth)
    text = str(info.value) + repr(info.value) + "".join(traceback.format_exception(info.value))
    assert all(s not in text for s in (PASSWORD, "partner-key-1", "client-secret-9"))


def test_a_reply_without_its_url_is_an_error(twin: Twin, fake: FakeCyclr) -> None:
    from cyclr_widgets import CyclrError

    fake.add("POST", f"/v1.0/accounts/{ACCOUNT}/orbit", json_response({"Token": TOKEN}))
    with pytest.raises(CyclrError, match="unexpected shape") as info:
        twin.orbit(ACCOUNT)
    assert TOKEN not in "".join(traceback.format_exception(info.value))
