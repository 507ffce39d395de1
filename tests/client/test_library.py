"""The connector library by name and version, methods, installs by name, auth methods."""

from __future__ import annotations

import pandas as pd
import pytest

from cyclr_widgets import AccountConnector, AuthMethod, ValidationError
from cyclr_widgets.core import auth_methods
from tests.support.client import (
    ACCOUNT,
    FakeCyclr,
    account_connector_item,
    body,
    connector_item,
    json_response,
    page_handler,
)
from tests.support.twins import Twin

GUID = "12abc345-1a2b-123a-1ab2-1234ab5c6d7e"
OTHER = "22abc345-1a2b-123a-1ab2-1234ab5c6d7e"
METHODS = [{"Id": 116, "Name": "Update Ticket", "MethodUniqueIdentifier": GUID}]


def raw_path(fake: FakeCyclr, i: int = 0) -> str:
    return fake.calls()[i].url.raw_path.decode().split("?")[0]


def test_find_connectors_by_name_and_version(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/connectors/Access CRM", json_response([connector_item(1)]))
    fake.add("GET", "/v1.0/connectors/MailChimp/v3", json_response([connector_item(2)]))
    assert [c["Id"] for c in twin.find_connectors("Access CRM", account_id=ACCOUNT)] == [1]
    assert twin.find_connectors("MailChimp", "v3") == [connector_item(2)]
    assert raw_path(fake, 0) == "/v1.0/connectors/Access%20CRM"  # one encoded segment
    first, second = fake.calls()
    assert first.headers["X-Cyclr-Account"] == ACCOUNT
    assert "X-Cyclr-Account" not in second.headers  # no default account: partner level


@pytest.mark.parametrize(
    ("connector", "kwargs", "path"),
    [
        (2001, {}, "/v1.0/connectors/2001/methods"),
        ("MailChimp", {}, "/v1.0/connectors/MailChimp/methods"),
        ("MailChimp", {"version": "v3"}, "/v1.0/connectors/MailChimp/v3/methods"),
    ],
)
def test_connector_methods(
    twin: Twin, fake: FakeCyclr, connector: int | str, kwargs: dict, path: str
) -> None:
    fake.add("GET", path, page_handler(METHODS), page_handler(METHODS))
    frame = twin.connector_methods(connector, account_id=ACCOUNT, **kwargs)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["MethodUniqueIdentifier"]) == [GUID]
    assert twin.iter_connector_methods(connector, account_id=ACCOUNT, **kwargs) == METHODS


def test_one_method(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/methods/116", json_response(METHODS[0]))
    assert twin.method(116, account_id=ACCOUNT)["Name"] == "Update Ticket"


@pytest.mark.parametrize(
    ("method", "args", "kwargs"),
    [
        ("find_connectors", ("",), {}),
        ("find_connectors", ("2001",), {}),  # all digits: an id, not a name
        ("find_connectors", ("..",), {}),
        ("find_connectors", ("MailChimp", ""), {}),
        ("connector_methods", (2001,), {"version": "v3"}),
        ("connector_methods", (0,), {}),
        ("connector_methods", (1.5,), {}),
        ("method", ("116",), {}),
        ("method", (116,), {"account_id": "a/b"}),
    ],
)
def test_bad_input_is_refused_before_sending(
    twin: Twin, fake: FakeCyclr, method: str, args: tuple, kwargs: dict
) -> None:
    with pytest.raises(ValidationError):
        getattr(twin, method)(*args, **kwargs)
    assert fake.calls() == []


# -- installs by name, auth methods --------------------------------------------------------


@pytest.mark.parametrize(
    ("connector", "version", "path"),
    [
        ("Slack", None, "/v1.0/connectors/Slack/install"),
        ("MailChimp", "v3", "/v1.0/connectors/MailChimp/v3/install"),
        (5, None, "/v1.0/connectors/5/install"),
    ],
)
def test_install_by_id_name_or_name_and_version(
    twin: Twin, fake: FakeCyclr, connector: int | str, version: str | None, path: str
) -> None:
    fake.add("POST", path, json_response(account_connector_item()))
    method = AuthMethod(GUID, "API Key", "ApiKey")
    ac = twin.install_connector(
        ACCOUNT, connector, name="n", version=version, authentication_id=method
    )
    assert isinstance(ac, AccountConnector)
    assert body(fake.calls()[0]) == {"Name": "n", "AuthenticationId": GUID}


@pytest.mark.parametrize(
    "auth_id",
    ["g-1", "", 12, AuthMethod(None, "ApiKey", "ApiKey")],  # no Id: from the deprecated AuthType
)
def test_install_refuses_a_bad_authentication_id(
    twin: Twin, fake: FakeCyclr, auth_id: object
) -> None:
    with pytest.raises(ValidationError, match=r"authentication_id|AuthType"):
        twin.install_connector(ACCOUNT, 5, name="n", authentication_id=auth_id)
    assert fake.calls() == []


def test_auth_methods_come_from_authentication() -> None:
    oauth = {
        "Id": GUID,
        "AuthName": "OAuth 2.0",
        "AuthType": "OAuth2",
        "OAuth2Type": "AuthorisationCode",
    }
    key = {"Id": OTHER, "AuthName": "API Key", "AuthType": "ApiKey"}
    both = {"AuthType": "OAuth2", "Authentication": [oauth, key]}  # AuthType: deprecated
    methods = auth_methods(both)
    assert [(m.name, m.auth_type, m.is_oauth) for m in methods] == [
        ("OAuth 2.0", "OAuth2", True),
        ("API Key", "ApiKey", False),
    ]
    legacy = auth_methods({"AuthType": "Basic", "Authentication": []})
    assert legacy == [AuthMethod(None, "Basic", "Basic")]
    assert auth_methods({}) == []


def test_account_connector_auth_type_is_the_chosen_methods() -> None:
    connector = {
        "Id": 2,
        "Name": "CRM",
        "AuthType": "OAuth2",
        "Authentication": [
            {"Id": GUID, "AuthName": "OAuth 2.0", "AuthType": "OAuth2"},
            {"Id": OTHER, "AuthName": "Key", "AuthType": "ApiKey"},
        ],
    }
    chosen = account_connector_item(Connector=connector, AuthenticationId=OTHER)
    ac = AccountConnector.from_api(chosen)
    assert ac.auth_type == "ApiKey" and len(ac.auth_methods) == 2
    assert ac.authentication_id == OTHER
    unknown = AccountConnector.from_api(account_connector_item(Connector=connector))
    assert unknown.auth_type == "OAuth2"  # nothing chosen known: the deprecated field
    old = AccountConnector.from_api(account_connector_item())  # no Authentication[] at all
    assert old.auth_type == "OAuth2" and [m.auth_type for m in old.auth_methods] == ["OAuth2"]
