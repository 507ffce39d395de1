"""Diagnoses from canned records (sans-I/O, no client): why an account connector is not
authenticated, a cycle's incidents grouped by step and message, windows and token times."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from cyclr_widgets.core import (
    MASK,
    AccountConnector,
    diagnose_account_connector,
    group_incidents,
    missing_properties,
    parse_window,
    token_times,
)

NOW = datetime(2030, 6, 15, 12, 0, tzinfo=timezone.utc)


def param(target: str, *, required: bool, label: str | None = None, account: bool = True) -> dict:
    return {
        "Name": label or target,
        "TargetName": target,
        "IsAccountConnectorProperty": account,
        "IsOptional": not required,
    }


def library(*params: dict, oauth2_type: str = "AuthorisationCode") -> dict[str, Any]:
    return {
        "Id": 2550,
        "Name": "CRM",
        "Parameters": list(params),
        "Authentication": [
            {"Id": "g-1", "AuthName": "OAuth", "AuthType": "OAuth2", "OAuth2Type": oauth2_type}
        ],
    }


def account_connector(props: dict[str, str | None], **extra: Any) -> dict[str, Any]:
    record = {
        "Id": 7,
        "Name": "Acme CRM",
        "AuthValue": MASK,
        "Authenticated": False,
        "AuthenticationId": "g-1",
        "Connector": {"Id": 2550, "Name": "CRM", "Parameters": []},
        "Properties": [{"Name": k, "Value": v} for k, v in props.items()],
    }
    record.update(extra)
    return record


def test_an_authenticated_connector_has_no_reason() -> None:
    d = diagnose_account_connector(account_connector({}, Authenticated=True), library())
    assert d.authenticated and d.reasons == () and d.summary == "Acme CRM is authenticated."


def test_required_properties_without_a_value_are_named() -> None:
    conn = library(
        param("subdomain", required=True, label="Sub domain"),
        param("region", required=True),
        param("apiVersion", required=False),
        param("recordType", required=True, account=False),  # a header, not a property
        param("companyId", required=True),
    )
    record = account_connector({"region": "", "companyId": MASK})  # masked: it has a value
    d = diagnose_account_connector(record, conn)
    assert d.codes == ("missing_properties",) and not d.authenticated and d.explained
    reason = d.reasons[0]
    assert reason.details["properties"] == ["subdomain", "region"]
    assert reason.details["labels"] == ["Sub domain", "region"]
    assert "Sub domain (subdomain), region" in reason.message
    assert d.summary.startswith("Acme CRM is not authenticated: Required properties")
    assert str(d) == d.summary
    assert missing_properties(record, conn) == ["subdomain", "region"]


def test_the_nested_connector_is_read_when_no_library_record_is_given() -> None:
    record = account_connector({})
    record["Connector"]["Parameters"] = [param("subdomain", required=True)]
    assert diagnose_account_connector(record).codes == ("missing_properties",)
    typed = AccountConnector.from_api(record)  # the client's record: same diagnosis
    assert diagnose_account_connector(typed).reasons[0].details["properties"] == ["subdomain"]


def test_declared_client_id_and_secret_mean_the_customers_own_oauth_app() -> None:
    conn = library(
        param("ClientId", required=True),
        param("ClientSecret", required=True),
        param("subdomain", required=True),
    )
    d = diagnose_account_connector(account_connector({"ClientId": "abc"}), conn)
    assert d.codes == ("missing_oauth_app", "missing_properties")
    assert d.reasons[0].details["properties"] == ["ClientSecret"]
    assert "ClientSecret" in d.reasons[0].message and "ClientId " not in d.reasons[0].message
    assert d.reasons[1].details["properties"] == ["subdomain"]


def test_client_credentials_need_the_app_even_when_not_declared() -> None:
    conn = library(oauth2_type="ClientCredentials")
    d = diagnose_account_connector(account_connector({}), conn)
    assert d.codes == ("missing_oauth_app",)
    assert d.reasons[0].details["properties"] == ["ClientId", "ClientSecret"]
    filled = account_connector({"ClientId": "abc", "ClientSecret": MASK})
    assert "missing_oauth_app" not in diagnose_account_connector(filled, conn).codes


def test_an_authorisation_code_connector_needs_no_app_of_its_own() -> None:
    d = diagnose_account_connector(account_connector({}), library())
    assert d.codes == ("unknown",) and not d.explained


def test_expired_tokens_are_known_only_from_their_times() -> None:
    conn = library()
    past, future = "2030-06-01T00:00:00Z", "2030-07-01T00:00:00Z"
    dead = diagnose_account_connector(
        account_connector({}), conn, tokens={"Expires": past, "RefreshExpires": past}, now=NOW
    )
    assert dead.codes == ("token_expired",) and "refresh token expired on 2030-06-01" in str(dead)
    assert dead.reasons[0].details["refresh_expires"] == "2030-06-01T00:00:00+00:00"
    # The access token expired but the refresh token lives: Cyclr refreshes, no reason.
    alive = {"Expires": past, "RefreshExpires": future}
    assert diagnose_account_connector(account_connector({}), conn, tokens=alive, now=NOW).codes == (
        "unknown",
    )
    only_access = {"Expires": past}
    codes = diagnose_account_connector(account_connector({}), conn, tokens=only_access, now=NOW)
    assert codes.codes == ("token_expired",)


def test_token_times_keep_the_times_and_nothing_else() -> None:
    raw = json.dumps(
        {
            "AccessToken": "at-SECRET",
            "RefreshToken": "rt-SECRET",
            "Expires": "2030-01-01T00:00:00Z",
            "RefreshExpires": "2031-01-01T00:00:00Z",
        }
    )
    assert token_times(raw) == {
        "Expires": "2030-01-01T00:00:00Z",
        "RefreshExpires": "2031-01-01T00:00:00Z",
    }
    for other in (None, "", MASK, "plain-api-key", "{not json", "[1]", '{"AccessToken": "x"}'):
        assert token_times(other) == {}


def test_no_credentials_and_a_refused_sign_in() -> None:
    never = account_connector({}, AuthValue=None)
    assert diagnose_account_connector(never, library()).codes == ("no_credentials",)
    denied = diagnose_account_connector(never, library(), outcome="denied")
    assert denied.codes == ("sign_in_refused",) and not denied.explained
    # After a sign-in, missing properties explain it: no "refused".
    conn = library(param("subdomain", required=True))
    assert diagnose_account_connector(account_connector({}), conn, outcome="denied").codes == (
        "missing_properties",
    )


# -- incidents ------------------------------------------------------------------------------


def incident(step: str, message: str, when: str | None, tx: str, level: str = "Error") -> dict:
    return {
        "CycleId": "c-1",
        "CycleName": "Sync",
        "StepId": f"id-{step}",
        "StepName": step,
        "IncidentLevel": level,
        "ShortMessage": message,
        "FullMessage": f"400 Bad Request\r\n{{}}\r\n\r\n\r\nHTTP Request:\r\nPOST https://x\r\n"
        f"Authorization: Bearer leaked-{tx}",
        "TransactionId": tx,
        "CreatedOnUtc": when,
    }


def test_incidents_grouped_by_step_and_message_with_first_and_last() -> None:
    rows = group_incidents(
        [
            incident("Add", "Failed", "2030-06-10T10:00:00Z", "t1"),
            incident("Add", "Failed", "2030-06-12T10:00:00Z", "t3"),
            incident("Add", "Failed", "2030-06-11T10:00:00Z", "t2"),
            incident("Add", "Empty", "2030-06-09T10:00:00Z", "t0", level="Warning"),
            incident("Get", "Failed", None, "t9"),
        ]
    )
    assert [(r["StepName"], r["ShortMessage"], r["Count"]) for r in rows] == [
        ("Add", "Failed", 3),
        ("Add", "Empty", 1),
        ("Get", "Failed", 1),
    ]
    first = rows[0]
    assert first["FirstOccurredUtc"] == "2030-06-10T10:00:00Z"
    assert first["LastOccurredUtc"] == "2030-06-12T10:00:00Z"
    assert first["LastTransactionId"] == "t3"
    assert (
        "leaked" not in first["LastFullMessage"]
        and "Authorization: ***" in first["LastFullMessage"]
    )
    assert rows[2]["FirstOccurredUtc"] is None
    assert group_incidents([]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("24h", timedelta(hours=24)),
        ("7d", timedelta(days=7)),
        ("2w", timedelta(weeks=2)),
        (timedelta(hours=1), timedelta(hours=1)),
        (None, None),
    ],
)
def test_windows(text: Any, expected: timedelta | None) -> None:
    assert parse_window(text) == expected


@pytest.mark.parametrize("bad", ["", "7", "d7", "-1d", "0d", timedelta(0), 7])
def test_bad_windows(bad: Any) -> None:
    with pytest.raises(ValueError, match="window"):
        parse_window(bad)
