"""An installed connector's property by id, custom fields, triggers, Data on Demand, custom
connectors: both clients against the strict mock."""

from __future__ import annotations

import pandas as pd
import pytest

from cyclr_widgets import CyclrError, OutcomeUnknownError, ValidationError
from tests.support.client import (
    ACCOUNT,
    FakeCyclr,
    account_connector_item,
    body,
    error_response,
    json_response,
    page_handler,
)
from tests.support.twins import Twin

AC = "/v1.0/account/connectors/54321"
UID = "8f8df8ef-3007-11e7-a033-06abe76375dd"


def test_one_property_is_masked_when_secret(twin: Twin, fake: FakeCyclr) -> None:
    prop = {"Id": 42, "Name": "ClientSecret", "Value": "prop-secret", "AccountConnectorId": 54321}
    fake.add("GET", f"{AC}/properties/42", json_response(prop))
    got = twin.account_connector_property(ACCOUNT, 54321, 42)
    assert got["Value"] == "***" and fake.calls()[0].headers["X-Cyclr-Account"] == ACCOUNT


def test_custom_fields_crud(twin: Twin, fake: FakeCyclr) -> None:
    field = {"Id": 77, "ConnectorField": "custom_1", "DisplayName": "Custom 1"}
    fake.add("GET", f"{AC}/fields", page_handler([field]), page_handler([field]))
    fake.add("POST", f"{AC}/fields", json_response(field))
    fake.add("GET", f"{AC}/fields/77", json_response(field))
    fake.add("PUT", f"{AC}/fields/77", json_response(field))
    fake.add("DELETE", f"{AC}/fields/77", json_response({}))
    frame = twin.account_connector_fields(ACCOUNT, 54321)
    assert isinstance(frame, pd.DataFrame) and list(frame["DisplayName"]) == ["Custom 1"]
    assert twin.iter_account_connector_fields(ACCOUNT, 54321) == [field]
    twin.add_account_connector_field(
        ACCOUNT, 54321, connector_field="custom_1", DisplayName="Custom 1", data_type="Text"
    )
    assert twin.account_connector_field(ACCOUNT, 54321, 77) == field
    twin.update_account_connector_field(ACCOUNT, 54321, 77, display_name="Renamed")
    assert twin.delete_account_connector_field(ACCOUNT, 54321, 77) is None
    posted = fake.calls("POST")[0]
    assert body(posted) == {
        "ConnectorField": "custom_1",
        "DisplayName": "Custom 1",
        "DataType": "Text",
    }
    assert body(fake.calls("PUT")[0]) == {"DisplayName": "Renamed"}


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error"),
    [
        ("add_account_connector_field", (ACCOUNT, 54321), {"Bogus": 1}, TypeError),
        ("add_account_connector_field", (ACCOUNT, 54321), {"display_name": "x"}, ValidationError),
        (
            "add_account_connector_field",
            (ACCOUNT, 54321),
            {"DisplayName": "a", "display_name": "b", "ConnectorField": "c"},
            TypeError,
        ),
        ("update_account_connector_field", (ACCOUNT, 54321, 77), {}, ValidationError),
        ("account_connector_field", (ACCOUNT, 54321, "77"), {}, ValidationError),
        ("account_connector_property", (ACCOUNT, 0, 42), {}, ValidationError),
        ("run_trigger", (ACCOUNT, 54321, "../x"), {}, ValidationError),
        ("call_method", (ACCOUNT, 54321, "not-a-guid"), {}, ValidationError),
        ("call_method", (ACCOUNT, 54321, UID), {"fields": [1]}, ValidationError),
        ("call_method", (ACCOUNT, 54321, UID), {"fields": {"1": None}}, ValidationError),
        ("test_method", (ACCOUNT, 54321, True), {}, ValidationError),
        ("create_custom_connector", (ACCOUNT, {"Description": "no name"}), {}, ValidationError),
        ("create_custom_connector", (ACCOUNT, "json"), {}, ValidationError),
        ("custom_connector", (ACCOUNT, -1), {}, ValidationError),
    ],
)
def test_bad_input_is_refused_before_sending(
    twin: Twin, fake: FakeCyclr, method: str, args: tuple, kwargs: dict, error: type
) -> None:
    with pytest.raises(error):
        getattr(twin, method)(*args, **kwargs)
    assert fake.calls() == []


def test_run_trigger_returns_the_options(twin: Twin, fake: FakeCyclr) -> None:
    options = [{"Name": "List A", "Value": "a1"}]
    fake.add("POST", f"{AC}/triggers/5101", json_response(options))
    assert twin.run_trigger(ACCOUNT, 54321, 5101) == options
    assert body(fake.calls()[0]) == {}


def test_call_method_get_without_input_post_with_strings(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"{AC}/methods/{UID}", json_response({"records": []}))
    fake.add("POST", f"{AC}/methods/116", json_response({"records": [1]}))
    fake.add("POST", f"{AC}/test/{UID}", json_response({"ok": True}))
    assert twin.call_method(ACCOUNT, 54321, UID) == {"records": []}
    assert twin.call_method(ACCOUNT, 54321, 116, parameters={400123: True}, fields={"5": 7})
    twin.test_method(ACCOUNT, 54321, UID, fields={"500123": "a@example.com"})
    get, post, test = fake.calls()
    assert get.content == b""
    assert body(post) == {"Parameters": {"400123": "true"}, "Fields": {"5": "7"}}
    assert body(test) == {"Parameters": {}, "Fields": {"500123": "a@example.com"}}


def test_a_method_call_that_may_have_written_is_not_retried(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"{AC}/methods/{UID}", error_response(503, "busy"))
    with pytest.raises(OutcomeUnknownError, match="third party"):
        twin.call_method(ACCOUNT, 54321, UID, fields={"1": "x"})
    assert len(fake.calls()) == 1


def test_a_read_method_call_is_retried(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"{AC}/methods/{UID}", error_response(503, "busy"), json_response({"ok": 1}))
    assert twin.call_method(ACCOUNT, 54321, UID) == {"ok": 1}


def test_custom_connectors(twin: Twin, fake: FakeCyclr) -> None:
    item = {"Id": 9001, "Name": "Custom", "Version": "1.0"}
    path = "/v1.0/account/connectors/custom"
    fake.add("GET", path, page_handler([item]), page_handler([item]))
    fake.add("POST", path, json_response(item))
    fake.add("GET", f"{path}/9001", json_response(item))
    fake.add("DELETE", f"{path}/9001", json_response({}))
    assert list(twin.custom_connectors(ACCOUNT)["Name"]) == ["Custom"]
    assert twin.iter_custom_connectors(ACCOUNT) == [item]
    definition = {"Name": "Custom", "ClientSecret": "cc-secret-1"}
    assert twin.create_custom_connector(ACCOUNT, definition) == item
    assert twin.custom_connector(ACCOUNT, 9001) == item
    twin.delete_custom_connector(ACCOUNT, 9001)
    assert body(fake.calls("POST")[0]) == definition


def test_a_custom_connector_create_is_never_retried_and_hides_secrets(
    twin: Twin, fake: FakeCyclr
) -> None:
    path = "/v1.0/account/connectors/custom"
    fake.add("POST", path, error_response(502, "gateway echoes cc-secret-1"))
    with pytest.raises(CyclrError) as info:
        twin.create_custom_connector(ACCOUNT, {"Name": "C", "ClientSecret": "cc-secret-1"})
    assert isinstance(info.value, OutcomeUnknownError)
    assert "custom_connectors" in str(info.value) and "cc-secret-1" not in repr(info.value)


def test_an_install_with_an_auth_method_reports_that_method_not_the_top_level_auth_type(
    twin: Twin, fake: FakeCyclr
) -> None:
    # Cyclr's nested Connector carries only the deprecated top-level AuthType (the connector's
    # first method, OAuth2 here): the install's own method (an API key) must win.
    from cyclr_widgets import AuthValue
    from cyclr_widgets.core import auth_methods

    library = {
        "Id": 2550,
        "Name": "CRM",
        "AuthType": "OAuth2",
        "Authentication": [
            {
                "Id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
                "AuthName": "OAuth",
                "AuthType": "OAuth2",
            },
            {"Id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "AuthName": "Key", "AuthType": "ApiKey"},
        ],
    }
    api_key = auth_methods(library)[1]
    reply = account_connector_item(AuthValue="k", AuthenticationId=api_key.id)
    fake.add("POST", "/v1.0/connectors/2550/install", json_response(reply))
    ac = twin.install_connector(
        ACCOUNT, 2550, name="CRM", authentication_id=api_key, auth_value=AuthValue.api_key("k")
    )
    assert body(fake.calls()[0])["AuthenticationId"] == api_key.id
    assert ac.auth_type == "ApiKey" and ac.authentication_id == api_key.id
    assert ac.auth_methods[0].auth_type == "ApiKey"
