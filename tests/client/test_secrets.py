"""No client secret, bearer token, sign-in token or AuthValue in reprs, errors, logs, tracebacks."""

from __future__ import annotations

import logging
import traceback

import httpx
import pytest

from cyclr_widgets import (
    AccountConnector,
    AsyncCyclrClient,
    AuthValue,
    CyclrClient,
    CyclrError,
    SignInToken,
)
from cyclr_widgets.core import AccountConnectorProperty
from tests.support.client import (
    ACCOUNT,
    API,
    BEARER_PREFIX,
    CLIENT_ID,
    CLIENT_SECRET,
    SIGN_IN,
    FakeCyclr,
    account_connector_item,
    error_response,
    fake_time,
    json_response,
)

AUTH_SECRET = "auth-value-secret-123"
SECRETS = [
    CLIENT_SECRET,
    BEARER_PREFIX,
    SIGN_IN["Token"],
    AUTH_SECRET,
    "super-secret-auth-value",
    "prop-secret-xyz",
]


def assert_clean(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked"


def make_client(fake: FakeCyclr) -> CyclrClient:
    c = CyclrClient(CLIENT_ID, CLIENT_SECRET, api_url=API, transport=httpx.MockTransport(fake))
    fake_time(c)
    return c


def test_client_reprs() -> None:
    for cls in (CyclrClient, AsyncCyclrClient):
        c = cls(CLIENT_ID, CLIENT_SECRET, region="eu")
        assert_clean(repr(c) + str(c) + repr(c._auth) + repr(vars(c).get("_retry")))
        assert CLIENT_ID in repr(c)


def test_record_reprs() -> None:
    tok = SignInToken.from_api(SIGN_IN)
    assert_clean(repr(tok) + str(tok) + f"{tok}" + repr([tok]))
    assert "***" in repr(tok)
    ac = AccountConnector.from_api(account_connector_item())
    assert_clean(repr(ac) + str(ac) + repr(ac.raw) + repr(ac.properties))
    assert ac.raw["AuthValue"] == "***"
    assert ac.properties[1] == AccountConnectorProperty(42, "ClientSecret", "***", 54321)


def test_errors_scrub_echoed_secrets() -> None:
    fake = FakeCyclr()
    echo = f"bad AuthValue {AUTH_SECRET} with {CLIENT_SECRET} and {BEARER_PREFIX}1"
    fake.add("POST", "/v1.0/connectors/5/install", error_response(400, echo))
    with make_client(fake) as client, pytest.raises(CyclrError) as info:
        client.install_connector(ACCOUNT, 5, name="x", auth_value=AuthValue(AUTH_SECRET))
    err = info.value
    assert_clean(str(err) + repr(err) + err.message)
    assert_clean("".join(traceback.format_exception(err)))
    assert "bad AuthValue ***" in err.message


def test_token_error_has_no_secret() -> None:
    fake = FakeCyclr()
    fake.on_token(httpx.Response(401, json={"Message": f"unknown secret {CLIENT_SECRET}"}))
    with make_client(fake) as client, pytest.raises(CyclrError) as info:
        client.account("a1")
    assert_clean(str(info.value) + "".join(traceback.format_exception(info.value)))


def test_transport_error_traceback_has_no_secret() -> None:
    fake = FakeCyclr()
    fake.add("POST", "/v1.0/connectors/5/install", httpx.ReadError("reset"))
    with make_client(fake) as client, pytest.raises(CyclrError) as info:
        client.install_connector(ACCOUNT, 5, name="x", auth_value=AuthValue.api_key(AUTH_SECRET))
    assert_clean("".join(traceback.format_exception(info.value)))


def test_logs_have_method_path_status_but_no_secrets(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeCyclr()
    fake.add("POST", "/v1.0/connectors/5/install", json_response(account_connector_item()))
    fake.add("POST", f"/v1.0/accounts/{ACCOUNT}/signintoken", json_response(SIGN_IN))
    fake.add(
        "GET",
        "/v1.0/account/connectors/54321",
        error_response(401, "expired"),
        error_response(503, "busy"),
        json_response(account_connector_item()),
    )
    caplog.set_level(logging.DEBUG)  # every logger, httpx's included
    with make_client(fake) as client:
        client.install_connector(ACCOUNT, 5, name="x", auth_value=AuthValue.api_key(AUTH_SECRET))
        tok = client.sign_in_token(ACCOUNT, "nb-user")
        client.account_connector(ACCOUNT, 54321)
    text = caplog.text + "".join(repr(r.args) + r.getMessage() for r in caplog.records)
    assert_clean(text)
    assert tok.token not in text
    ours = [r.getMessage() for r in caplog.records if r.name == "cyclr_widgets"]
    assert any(m.startswith("POST /oauth/token -> 200") for m in ours)
    assert any(m.startswith("POST /v1.0/connectors/5/install -> 200") for m in ours)
    assert any("GET /v1.0/account/connectors/54321: 503; retry 1/4" in m for m in ours)
    assert all(" ms)" in m for m in ours if "->" in m and "401" not in m)


PASSWORD = "user-pa55word-never-shown"


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "path"),
    [
        ("add_account_user", (ACCOUNT, "u", PASSWORD), {}, f"/v1.0/accounts/{ACCOUNT}/users"),
        ("set_user_password", ("u", PASSWORD), {}, "/v1.0/users"),
        ("launch", (ACCOUNT,), {"username": "u", "password": PASSWORD}, "/v1.0/users/launch"),
        ("orbit", (ACCOUNT,), {"username": "u", "password": PASSWORD}, "/v1.0/users/orbit"),
    ],
)
def test_passwords_never_in_errors_or_logs(
    caplog: pytest.LogCaptureFixture, method: str, args: tuple, kwargs: dict, path: str
) -> None:
    fake = FakeCyclr()
    verb = "PUT" if method in ("add_account_user", "set_user_password") else "POST"
    fake.add(verb, path, error_response(400, f"bad password {PASSWORD}"))
    caplog.set_level(logging.DEBUG)
    with make_client(fake) as client, pytest.raises(CyclrError) as info:
        getattr(client, method)(*args, **kwargs)
    err = info.value
    text = str(err) + repr(err) + err.message + caplog.text
    assert PASSWORD not in text
    assert_clean(text)


def test_launch_link_and_sign_in_token_reprs_mask_their_secrets() -> None:
    from cyclr_widgets import LaunchLink

    url = f"https://acme-h/account/signinwithtoken?token={SIGN_IN['Token']}"
    link = LaunchLink.from_api("launch", {"LaunchUrl": url, "Token": SIGN_IN["Token"]})
    tok = SignInToken.from_api(SIGN_IN, username="jane")
    text = repr(link) + str(link) + repr(link.raw) + repr(tok) + str([link, tok])
    assert_clean(text)
    assert "signinwithtoken" not in text and "jane" in text
