"""Run history (catalogue #85-#91): transactions' filters, a transaction's step records, and the
incidents' default window, computed from the client's injected clock (never the wall clock).

Every test runs twice, on ``CyclrClient`` and ``AsyncCyclrClient`` (``tests/support/twins.py``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import httpx
import pandas as pd
import pytest

from cyclr_widgets import AsyncCyclrClient, CyclrClient, ValidationError
from tests.support.client import ACCOUNT, API, CLIENT_ID, CLIENT_SECRET, FakeCyclr, json_response
from tests.support.client import page_handler as pages
from tests.support.twins import NOW, Twin

CYCLE = "cf636e9c-13dd-47ea-b0e8-88a5bf7f7b00"
TX = "284bc7b4-4321-4c97-aa2f-370f9627d244"
WEEK_AGO = "2030-06-08T12:30:00Z"  # NOW - 7 days, as sent


def only(fake: FakeCyclr) -> httpx.Request:
    sent = fake.calls()
    assert len(sent) == 1, [f"{r.method} {r.url}" for r in sent]
    assert sent[0].headers["X-Cyclr-Account"] == ACCOUNT
    return sent[0]


def query(request: httpx.Request) -> dict[str, str]:
    return {k: v for k, v in request.url.params.items() if k not in ("page", "pageSize")}


# -- transactions -----------------------------------------------------------------------------


def test_transactions_send_every_filter_in_iso_8601(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"/v1.0/cycles/{CYCLE}/transactions", pages([{"Id": TX}]))
    df = twin.transactions(
        ACCOUNT,
        cycle_id=CYCLE,
        status="Errored",
        after=datetime(2024, 1, 1, 1, 0, tzinfo=timezone(timedelta(hours=1))),
        before=date(2024, 1, 31),
        split_type="Unsplit",
    )
    assert query(only(fake)) == {
        "status": "Errored",
        "after": "2024-01-01T00:00:00Z",
        "before": "2024-01-31",
        "splitType": "Unsplit",
    }
    assert list(df["Id"]) == [TX]


def test_account_transactions_send_no_filter_unless_given(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/cycles/transactions", pages([{"Id": TX}]))
    assert twin.iter_transactions(ACCOUNT) == [{"Id": TX}]
    assert query(only(fake)) == {}


@pytest.mark.parametrize(
    "bounds",
    [
        {"after": date(2024, 2, 1), "before": date(2024, 1, 1)},
        {"after": date(2024, 1, 1), "before": date(2024, 1, 1)},
        {"after": datetime(2024, 1, 1)},  # naive: which zone?
        {"before": 20240101},
        {"split_type": ""},
        {"status": 3},
    ],
)
def test_bad_transaction_filters_refused(
    twin: Twin, fake: FakeCyclr, bounds: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        twin.transactions(ACCOUNT, **bounds)
    assert fake.calls() == []


def test_transaction_steps(twin: Twin, fake: FakeCyclr) -> None:
    record = {
        "StepId": "709b68ba-394e-4339-9550-abd0312e8dd5",
        "StepName": "MailChimp: Add Subscriber",
        "Status": "Errored",
        "StartedOnUtc": "2024-02-01T10:00:00.1234567Z",
        "Request": "POST https://x\r\nAuthorization: REDACTED",
        "Response": "500 Internal Server Error",
    }
    path = f"/v1.0/cycles/{CYCLE}/transactions/{TX}"
    fake.add("GET", path, pages([record]), pages([record]))
    df = twin.transaction_steps(ACCOUNT, CYCLE, TX, query="REDACTED")
    assert query(fake.calls()[0]) == {"query": "REDACTED"}
    assert list(df.columns[:7]) == [
        "StepId",
        "StepName",
        "Status",
        "StartedOnUtc",
        "CompletedOnUtc",
        "Request",
        "Response",
    ]
    assert df["StartedOnUtc"][0] == pd.Timestamp("2024-02-01T10:00:00.1234567Z")
    assert pd.isna(df["CompletedOnUtc"][0])
    assert twin.iter_transaction_steps(ACCOUNT, CYCLE, TX) == [record]
    assert query(fake.calls()[1]) == {}


@pytest.mark.parametrize("bad", ["", "..", "t-1", TX + "/x", 5])
def test_transaction_ids_must_be_guids(twin: Twin, fake: FakeCyclr, bad: Any) -> None:
    with pytest.raises(ValidationError, match="transaction_id"):
        twin.transaction_steps(ACCOUNT, CYCLE, bad)
    with pytest.raises(ValidationError, match="cycle_id"):
        twin.iter_transaction_steps(ACCOUNT, "transactions", TX)
    assert fake.calls() == []


# -- incidents --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "kwargs", "path"),
    [
        ((), {}, "/v1.0/cycles/incidents/error"),
        (("warning",), {}, "/v1.0/cycles/incidents/warning"),
        ((), {"cycle_id": CYCLE}, f"/v1.0/cycles/{CYCLE}/incidents"),
    ],
)
def test_incidents_default_to_the_last_7_days(
    twin: Twin, fake: FakeCyclr, args: tuple[Any, ...], kwargs: dict[str, Any], path: str
) -> None:
    incident = {"CycleId": CYCLE, "IncidentLevel": "Error", "CreatedOnUtc": "2030-06-14T09:00:00Z"}
    fake.add("GET", path, pages([incident]), pages([incident]))
    df = twin.incidents(ACCOUNT, *args, **kwargs)
    assert twin.iter_incidents(ACCOUNT, *args, **kwargs) == [incident]
    assert [query(r) for r in fake.calls()] == [{"after": WEEK_AGO}] * 2
    assert df["CreatedOnUtc"][0] == pd.Timestamp("2030-06-14T09:00:00Z")


def test_incidents_window_none_asks_for_all(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/cycles/incidents/error", pages([]))
    assert twin.incidents(ACCOUNT, window=None).empty
    assert query(only(fake)) == {}


def test_incidents_window_and_bounds(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/cycles/incidents/error", pages([]), pages([]), pages([]))
    twin.iter_incidents(ACCOUNT, window=timedelta(hours=1))
    twin.iter_incidents(ACCOUNT, after="2024-01-01")  # after wins over the window
    twin.iter_incidents(ACCOUNT, before=date(2030, 6, 10))  # before keeps the window
    assert [query(r) for r in fake.calls()] == [
        {"after": "2030-06-15T11:30:00Z"},
        {"after": "2024-01-01"},
        {"after": WEEK_AGO, "before": "2030-06-10"},
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"window": timedelta(0)},
        {"window": timedelta(days=-1)},
        {"window": 7},
        {"before": datetime(2030, 6, 1, tzinfo=timezone.utc)},  # before the window's start
        {"level": "fatal"},
    ],
)
def test_bad_incident_queries_refused(twin: Twin, fake: FakeCyclr, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        twin.incidents(ACCOUNT, **kwargs)
    assert fake.calls() == []


@pytest.mark.parametrize("cls", [CyclrClient, AsyncCyclrClient])
def test_the_clock_may_give_epoch_seconds(cls: type) -> None:
    fake = FakeCyclr()
    fake.add("GET", "/v1.0/cycles/incidents/error", pages([]))
    client = cls(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        transport=httpx.MockTransport(fake),
        progress=False,
        clock=lambda: NOW.timestamp(),  # as harness.clock.FakeClock and Sandbox(clock=) give it
    )
    Twin(client).incidents(ACCOUNT)
    assert query(only(fake)) == {"after": WEEK_AGO}


@pytest.mark.parametrize("cls", [CyclrClient, AsyncCyclrClient])
def test_the_clock_is_checked(cls: type) -> None:
    with pytest.raises(TypeError, match="clock"):
        cls(CLIENT_ID, CLIENT_SECRET, api_url=API, clock=NOW)
    client = cls(CLIENT_ID, CLIENT_SECRET, api_url=API, clock=lambda: datetime(2030, 1, 1))
    with pytest.raises(ValidationError, match="aware"):
        Twin(client).incidents(ACCOUNT)


def test_clear_cycle_incidents(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("DELETE", f"/v1.0/cycles/{CYCLE}/incidents", json_response({"Message": "ok"}))
    assert twin.clear_cycle_incidents(ACCOUNT, CYCLE) is None
    only(fake)
    with pytest.raises(ValidationError, match="cycle_id"):
        twin.clear_cycle_incidents(ACCOUNT, "incidents")
    assert len(fake.calls()) == 1
