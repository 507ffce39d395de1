"""The support bundle: its files and their rows and columns, and no secret anywhere in it.

Against the strict mock with secrets planted where Cyclr or a connector might put them (an
``AuthValue``, an ``ApiKey`` field, a nested ``Token``, an ``Authorization`` header in a step
dump, a ``ClientSecret`` property, a token in a URL's query), on both clients; and against the
sandbox (its seeded troubleshooting history). Every file of the zip is grepped for every secret
the test knows.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cyclr_widgets import CyclrClient, ValidationError
from cyclr_widgets.client import _bundle
from cyclr_widgets.sandbox import Sandbox
from harness.clock import FakeClock
from tests.support.client import (
    ACCOUNT,
    BEARER_PREFIX,
    CLIENT_SECRET,
    FakeCyclr,
    account_connector_item,
    json_response,
)
from tests.support.client import page_handler as pages
from tests.support.sandbox import _session_sandbox, clock, sb  # noqa: F401
from tests.support.twins import Twin

CYCLE = "cf636e9c-13dd-47ea-b0e8-88a5bf7f7b00"
TX_FAILED = "284bc7b4-4321-4c97-aa2f-370f9627d244"
TX_OK = "384bc7b4-4321-4c97-aa2f-370f9627d245"
SECRETS = [
    "authvalue-LEAK-1",
    "apikey-LEAK-2",
    "nested-token-LEAK-3",
    "dump-bearer-LEAK-4",
    "prop-secret-LEAK-5",
    "query-token-LEAK-6",
    "single-line-LEAK-7",
    "refresh-LEAK-8",
    CLIENT_SECRET,
    BEARER_PREFIX,
]
TABLES = [
    "account",
    "account_connectors",
    "connector_diagnoses",
    "cycles",
    "incidents",
    "incident_groups",
    "transactions",
    "transaction_steps",
]


def plant(fake: FakeCyclr) -> None:
    """Every call of a bundle, each answer carrying a secret somewhere."""
    fake.add(
        "GET",
        f"/v1.0/accounts/{ACCOUNT}",
        json_response({"Id": ACCOUNT, "Name": "Acme", "Timezone": "Europe/London"}),
    )
    good = account_connector_item(54321, AuthValue="authvalue-LEAK-1", ApiKey="apikey-LEAK-2")
    bad = account_connector_item(54322, Authenticated=False, AuthValue=None)
    bad["Properties"][1]["Value"] = "prop-secret-LEAK-5"
    fake.add("GET", "/v1.0/account/connectors", pages([good, bad]))
    oauth = json.dumps({"AccessToken": "", "RefreshToken": "refresh-LEAK-8"})
    fake.add("GET", "/v1.0/account/connectors/54322", json_response({**bad, "AuthValue": oauth}))
    library = {
        "Id": 2550,
        "Name": "CRM",
        "Parameters": [
            {"Name": "Region", "TargetName": "Region", "IsAccountConnectorProperty": True,
             "IsOptional": False},
        ],
    }  # fmt: skip
    fake.add("GET", "/v1.0/connectors/2550", json_response(library))
    cycle = {
        "Id": CYCLE,
        "Name": "Sync",
        "Status": "Active",
        "Settings": {"Webhook": {"Token": "nested-token-LEAK-3"}},
    }
    fake.add("GET", "/v1.0/cycles", pages([cycle]))
    txs = [
        {"Id": TX_FAILED, "CycleId": CYCLE, "Status": "Errored", "StartedOnUtc": "2030-06-15T10Z"},
        {"Id": TX_OK, "CycleId": CYCLE, "Status": "Completed", "StartedOnUtc": "2030-06-15T09Z"},
    ]  # fmt: skip
    fake.add("GET", "/v1.0/cycles/transactions", pages(txs))
    error = {
        "CycleId": CYCLE,
        "CycleName": "Sync",
        "IncidentLevel": "Error",
        "ShortMessage": "Failed to call the method",
        "FullMessage": "401\r\nHTTP Request:\r\nGET https://x?access_token=query-token-LEAK-6",
        "StepId": "s-3",
        "StepName": "Add Subscriber",
        "TransactionId": TX_FAILED,
        "CreatedOnUtc": "2030-06-15T10:00:03Z",
    }
    fake.add("GET", "/v1.0/cycles/incidents/error", pages([error]))
    fake.add("GET", "/v1.0/cycles/incidents/warning", pages([]))
    step = {
        "Id": "r-1",
        "TransactionId": TX_FAILED,
        "StepId": "s-3",
        "StepName": "Add Subscriber",
        "Status": "Errored",
        "Request": "POST https://x/members\r\nAuthorization: Bearer dump-bearer-LEAK-4\r\n\r\n{}",
        "Response": "401 Unauthorized\r\n{}",
        "Message": "Authorization: Basic single-line-LEAK-7",
    }
    fake.add("GET", f"/v1.0/cycles/{CYCLE}/transactions/{TX_FAILED}", pages([step]))


def unzip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def assert_no_secret(files: dict[str, bytes], secrets: list[str]) -> None:
    for name, data in files.items():
        for secret in secrets:
            assert secret.encode() not in data, f"{secret!r} in {name}"


def test_bundle_files_rows_and_no_secret(
    twin: Twin, fake: FakeCyclr, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_bundle, "has_pyarrow", lambda: False)  # CSV and JSON by default
    plant(fake)
    path = twin.support_bundle(ACCOUNT, tmp_path / "acme.zip", window="7d")
    assert path == tmp_path / "acme.zip"
    files = unzip(path)
    expected = {"SUMMARY.md"} | {f"{t}.{ext}" for t in TABLES for ext in ("csv", "json")}
    assert set(files) == expected
    assert_no_secret(files, SECRETS)

    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(io.BytesIO(files[f"{name}.csv"]))

    def js(name: str) -> list[dict]:
        return json.loads(files[f"{name}.json"])

    assert js("account") == [{"Id": ACCOUNT, "Name": "Acme", "Timezone": "Europe/London"}]
    connectors = csv("account_connectors")
    assert list(connectors["Id"]) == [54321, 54322] and "AuthValue" in connectors.columns
    assert js("account_connectors")[0]["AuthValue"] == "***"
    diagnoses = csv("connector_diagnoses")
    assert list(diagnoses.columns[:5]) == [
        "AccountConnectorId", "Name", "Authenticated", "Reasons", "Summary"
    ]  # fmt: skip
    assert list(diagnoses["Reasons"].fillna("")) == ["", "missing_properties"]
    assert json.loads(diagnoses["Details"][1])[0]["properties"] == ["Region"]
    assert js("cycles")[0]["Settings"] == {"Webhook": {"Token": "***"}}
    assert [t["Id"] for t in js("transactions")] == [TX_FAILED, TX_OK]
    steps = csv("transaction_steps")
    assert list(steps["StepName"]) == ["Add Subscriber"] and "Request" in steps.columns
    assert "Authorization: ***" in steps["Request"][0]
    groups = csv("incident_groups")
    assert list(groups["Count"]) == [1] and groups["FirstOccurredUtc"][0].startswith("2030-06-15")
    summary = files["SUMMARY.md"].decode()
    assert "# Support bundle: Acme" in summary and "| transactions | 2 |" in summary
    assert "Required properties have no value: Region" in summary
    assert "| Add Subscriber | Error | Failed to call the method | 1 |" in summary
    # The history was asked for the window, by the client's clock (the twins' NOW - 7 days).
    sent = fake.calls("GET", "/v1.0/cycles/transactions")[0]
    assert sent.url.params["after"] == "2030-06-08T12:30:00Z"


def test_a_part_cyclr_refuses_is_noted_and_the_rest_written(
    twin: Twin, fake: FakeCyclr, tmp_path: Path
) -> None:
    fake.add("GET", f"/v1.0/accounts/{ACCOUNT}", json_response({"Message": "Denied."}, 403))
    for path in ("/v1.0/account/connectors", "/v1.0/cycles", "/v1.0/cycles/transactions"):
        fake.add("GET", path, pages([]))
    fake.add("GET", "/v1.0/cycles/incidents/error", pages([]))
    fake.add("GET", "/v1.0/cycles/incidents/warning", pages([]))
    files = unzip(twin.support_bundle(ACCOUNT, tmp_path / "b.zip", formats=["json"]))
    assert "errors.json" in files and "account" in json.loads(files["errors.json"])
    assert (
        json.loads(files["account.json"]) == []
        and "## Not collected" in files["SUMMARY.md"].decode()
    )
    assert not any(name.endswith(".csv") for name in files)


def test_formats_are_checked(twin: Twin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_bundle, "has_pyarrow", lambda: False)
    with pytest.raises(ValidationError, match=r"cyclr-widgets\[parquet\]"):
        twin.support_bundle(ACCOUNT, tmp_path / "b.zip", formats=("parquet",))
    with pytest.raises(ValidationError, match="formats"):
        twin.support_bundle(ACCOUNT, tmp_path / "b.zip", formats=("xlsx",))
    with pytest.raises(ValidationError, match="window"):
        twin.support_bundle(ACCOUNT, tmp_path / "b.zip", window="a while")
    assert not (tmp_path / "b.zip").exists()


def test_parquet_when_pyarrow_is_installed(twin: Twin, fake: FakeCyclr, tmp_path: Path) -> None:
    # Parquet is the optional `parquet` extra: this test runs wherever pyarrow is installed.
    pytest.importorskip("pyarrow")
    plant(fake)
    files = unzip(twin.support_bundle(ACCOUNT, tmp_path / "p.zip"))
    assert {f"{t}.parquet" for t in TABLES} <= set(files)
    assert_no_secret(files, SECRETS)
    steps = pd.read_parquet(io.BytesIO(files["transaction_steps.parquet"]))
    assert list(steps["StepName"]) == ["Add Subscriber"]


# -- against the sandbox ----------------------------------------------------------------------


@pytest.fixture
def client(sb: Sandbox, clock: FakeClock) -> Iterator[CyclrClient]:  # noqa: F811
    # The sandbox's clock: its seeded history is recent on it.
    with CyclrClient.from_env(sb.environ, clock=clock) as c:
        yield c


def test_bundle_against_the_sandbox(sb: Sandbox, client: CyclrClient, tmp_path: Path) -> None:  # noqa: F811
    ac = client.install_connector(
        sb.account_id, sb.ids["oauth2_client_credentials_connector_ids"][0], name="Own app"
    )
    files = unzip(client.support_bundle(sb.account_id, tmp_path / "s.zip"))
    assert {f"{t}.json" for t in TABLES} | {"SUMMARY.md"} <= set(files)
    assert_no_secret(files, [sb.client_secret, *client_tokens(client)])
    steps = json.loads(files["transaction_steps.json"])
    failed = {t["Id"] for t in json.loads(files["transactions.json"]) if t["Status"] == "Errored"}
    assert failed and {s["TransactionId"] for s in steps} == failed
    assert any("Authorization: REDACTED" in (s.get("Request") or "") for s in steps)
    diagnoses = {d["AccountConnectorId"]: d for d in json.loads(files["connector_diagnoses.json"])}
    assert diagnoses[ac.id]["Reasons"].startswith("missing_oauth_app")
    summary = files["SUMMARY.md"].decode()
    assert "Salesforce > MailChimp: new contacts" in summary and "Own app" in summary
    groups = json.loads(files["incident_groups.json"])
    mailchimp = [g for g in groups if g["StepName"] == "MailChimp: Add Subscriber"]
    assert mailchimp and mailchimp[0]["Count"] >= 1 and mailchimp[0]["FirstOccurredUtc"]


def client_tokens(client: CyclrClient) -> list[str]:
    token = client._auth._token  # the bearer token the client holds (a sealed AuthValue)
    return [token.reveal()] if token is not None else []
