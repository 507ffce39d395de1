"""403 is not always bad credentials: ``AccessDeniedError`` and ``IPRestrictionError``."""

from __future__ import annotations

import json

import pytest

from cyclr_widgets import AccessDeniedError, AuthenticationError, IPRestrictionError
from cyclr_widgets.core import error_for_status
from tests.support.client import ACCOUNT, FakeCyclr, error_response
from tests.support.twins import Twin

IP_MESSAGE = "Access to this resource is restricted by IP address."
UID = "8f8df8ef-3007-11e7-a033-06abe76375dd"


def test_the_tree() -> None:
    assert issubclass(IPRestrictionError, AccessDeniedError)
    assert issubclass(AccessDeniedError, AuthenticationError)  # old `except` clauses still work


@pytest.mark.parametrize(
    "message",
    [
        IP_MESSAGE,
        "IP address 203.0.113.9 is not in the allow list",
        "Your ip is not whitelisted",
        "Requests from this IP are blocked",
    ],
)
def test_cyclrs_ip_wording_gives_an_ip_restriction_error(message: str) -> None:
    body = json.dumps({"Message": message}).encode()
    err = error_for_status(403, body, method="GET", path="/v1.0/x")
    assert type(err) is IPRestrictionError and err.status_code == 403
    assert err.message.startswith("Cyclr refused the call from this machine's IP address")
    assert message.rstrip(".") in err.message and "allow-list" in err.message


@pytest.mark.parametrize("message", ["Forbidden", "Skipping this step", "Invalid scope"])
def test_another_403_is_access_denied(message: str) -> None:
    err = error_for_status(403, json.dumps({"Message": message}).encode(), method="GET", path="/p")
    assert type(err) is AccessDeniedError
    assert err.message.startswith("Cyclr refused access to this resource (403 Forbidden)")
    assert str(err).startswith("GET /p returned 403: Cyclr refused access")


def test_data_on_demand_from_a_refused_ip(twin: Twin, fake: FakeCyclr) -> None:
    path = f"/v1.0/account/connectors/50002/methods/{UID}"
    fake.add("GET", path, error_response(403, IP_MESSAGE))
    with pytest.raises(IPRestrictionError, match="IP address") as info:
        twin.call_method(ACCOUNT, 50002, UID)
    assert info.value.path == path and len(fake.calls()) == 1  # no retry: it cannot help


def test_a_token_request_from_a_refused_ip_says_so(twin: Twin, fake: FakeCyclr) -> None:
    fake.on_token(error_response(403, IP_MESSAGE))
    with pytest.raises(IPRestrictionError) as info:
        twin.account(ACCOUNT)
    assert info.value.path == "/oauth/token" and fake.calls() == []


def test_a_token_request_refused_otherwise_blames_the_credentials(
    twin: Twin, fake: FakeCyclr
) -> None:
    fake.on_token(error_response(403, "invalid_client"))
    with pytest.raises(
        AuthenticationError, match=r"refused the client credentials \(invalid_client\)"
    ):
        twin.account(ACCOUNT)
