"""The client's diagnoses on both clients against the strict mock: an account connector's
reasons (the library connector read for its parameters, token times read before masking) and a
cycle's incidents grouped by step and message."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cyclr_widgets import ValidationError
from tests.support.client import ACCOUNT, FakeCyclr, account_connector_item, json_response
from tests.support.client import page_handler as pages
from tests.support.twins import NOW, Twin

CYCLE = "cf636e9c-13dd-47ea-b0e8-88a5bf7f7b00"
AC = "/v1.0/account/connectors/54321"
LIBRARY = {
    "Id": 2550,
    "Name": "CRM",
    "Parameters": [
        {"Name": "Sub domain", "TargetName": "Subdomain", "IsAccountConnectorProperty": True,
         "IsOptional": False},
        {"Name": "Region", "TargetName": "Region", "IsAccountConnectorProperty": True,
         "IsOptional": False},
    ],
    "Authentication": [{"Id": "g-1", "AuthType": "OAuth2", "OAuth2Type": "AuthorisationCode"}],
}  # fmt: skip


def test_missing_properties_named_from_the_library_connector(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", AC, json_response(account_connector_item(Authenticated=False)))
    fake.add("GET", "/v1.0/connectors/2550", json_response(LIBRARY))
    d = twin.diagnose_account_connector(ACCOUNT, 54321)
    assert d.codes == ("missing_properties",) and d.account_connector_id == 54321
    assert d.reasons[0].details["properties"] == ["Region"]
    assert "Region" in d.summary and "super-secret" not in repr(d)
    assert all(r.headers["X-Cyclr-Account"] == ACCOUNT for r in fake.calls())


def test_expired_tokens_read_from_the_echoed_auth_value(twin: Twin, fake: FakeCyclr) -> None:
    tokens = {
        "AccessToken": "at-LEAK",
        "RefreshToken": "rt-LEAK",
        "Expires": "2030-06-01T00:00:00Z",
        "RefreshExpires": "2030-06-02T00:00:00Z",  # before the twins' NOW
    }
    record = account_connector_item(Authenticated=False, AuthValue=json.dumps(tokens))
    record["Properties"].append({"Name": "Region", "Value": "eu"})
    fake.add("GET", AC, json_response(record))
    fake.add("GET", "/v1.0/connectors/2550", json_response(LIBRARY))
    d = twin.diagnose_account_connector(ACCOUNT, 54321, outcome="denied")
    assert d.codes == ("token_expired",)
    assert "LEAK" not in repr(d) and "2030-06-02" in d.summary


def test_an_authenticated_connector_costs_one_call(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", AC, json_response(account_connector_item()))
    d = twin.diagnose_account_connector(ACCOUNT, 54321)
    assert d.authenticated and d.reasons == ()


def test_every_installed_connector_diagnosed(twin: Twin, fake: FakeCyclr) -> None:
    failing = account_connector_item(54322, Authenticated=False, AuthValue=None)
    fake.add("GET", "/v1.0/account/connectors", pages([account_connector_item(), failing]))
    fake.add("GET", "/v1.0/account/connectors/54322", json_response(failing))
    fake.add("GET", "/v1.0/connectors/2550", json_response(LIBRARY))
    out = twin.diagnose_account_connectors(ACCOUNT)
    assert [d.authenticated for d in out] == [True, False]
    assert out[1].codes == ("missing_properties", "no_credentials")


def test_cycle_diagnosis_groups_the_windowed_incidents(twin: Twin, fake: FakeCyclr) -> None:
    def incident(message: str, when: str, tx: str) -> dict:
        return {
            "CycleId": CYCLE,
            "CycleName": "Sync",
            "StepId": "s-3",
            "StepName": "Add Subscriber",
            "IncidentLevel": "Error",
            "ShortMessage": message,
            "FullMessage": "400\r\nHTTP Request:\r\nAuthorization: Bearer tok-LEAK",
            "TransactionId": tx,
            "CreatedOnUtc": when,
        }

    items = [
        incident("Failed to call the method", "2030-06-14T10:00:00Z", "t1"),
        incident("Failed to call the method", "2030-06-15T10:00:00Z", "t2"),
        incident("Required source is empty", "2030-06-13T10:00:00Z", "t0"),
    ]
    fake.add("GET", f"/v1.0/cycles/{CYCLE}/incidents", pages(items))
    df = twin.cycle_diagnosis(ACCOUNT, CYCLE, window="24h")
    sent = fake.calls()[0]
    assert sent.url.params["after"] == "2030-06-14T12:30:00Z"  # NOW - 24 h
    assert isinstance(df, pd.DataFrame) and list(df["Count"]) == [2, 1]
    assert df["LastOccurredUtc"].iloc[0] == pd.Timestamp("2030-06-15T10:00:00Z")
    assert df["LastTransactionId"].iloc[0] == "t2"
    assert not df.to_csv().count("LEAK")
    assert NOW.tzinfo is not None


def test_cycle_diagnosis_refuses_a_bad_window(twin: Twin) -> None:
    with pytest.raises(ValidationError, match="window"):
        twin.cycle_diagnosis(ACCOUNT, CYCLE, window="soon")
