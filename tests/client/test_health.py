"""The partner-wide health scan (#13): ``account_health()`` / ``iter_account_health()``.

Every test runs on both clients (``tests/support/twins.py``) against the strict fake: each
listing a scan makes is queued once per account (a request too many fails the test, one too few
fails ``assert_all_called``). The listings of many accounts share a path (the account travels in
``X-Cyclr-Account``), so one handler serves each route and answers by that header.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pandas as pd
import pytest

from cyclr_widgets import ValidationError
from tests.support.client import FakeCyclr, error_response, json_response
from tests.support.twins import Twin

AFTER_24H = "2030-06-14T12:30:00Z"  # NOW - 24 hours, as sent
NEVER = "0001-01-01T00:00:00"
LISTINGS = {
    "/v1.0/account/connectors": "connectors",
    "/v1.0/cycles": "cycles",
    "/v1.0/cycles/incidents/error": "errors",
    "/v1.0/cycles/incidents/warning": "warnings",
}


def ac(name: str, authenticated: bool) -> dict[str, Any]:
    return {"Id": hash(name) % 10_000, "Name": name, "Authenticated": authenticated}


def cycle(cid: str, status: str, errors: int = 0, last: str = NEVER) -> dict[str, Any]:
    return {"Id": cid, "Status": status, "ErrorCount": errors, "LastSuccessfulRunDate": last}


HEALTHY = {
    "connectors": [ac("Salesforce", True), ac("MailChimp", True)],
    "cycles": [cycle("c-1", "Active", last="2030-06-15T11:00:00.0000000Z")],
    "errors": [],
    "warnings": [],
}
BROKEN = {
    "connectors": [ac("HubSpot", False), ac("Slack", False), ac("Xero", True)],
    "cycles": [
        cycle("c-2", "Active", errors=3, last="2030-06-14T08:00:00.0000000Z"),
        cycle("c-3", "Active", last="2030-06-15T10:00:00.0000000Z"),
        cycle("c-4", "Paused"),
    ],
    # c-2 is in error by its ErrorCount, c-3 by an incident in the window: two cycles.
    "errors": [{"Id": "i-1", "CycleId": "c-2"}, {"Id": "i-2", "CycleId": "c-3"}],
    "warnings": [{"Id": "w-1", "CycleId": "c-3"}],
}


class Fleet:
    """Per-account listings behind the shared paths; ``fail`` maps (account, listing) to a reply."""

    def __init__(self, fake: FakeCyclr, data: dict[str, dict[str, list[Any]]]) -> None:
        self.fake, self.data = fake, data
        self.fail: dict[tuple[str, str], Callable[[], httpx.Response]] = {}
        self.seen: list[tuple[str, str, dict[str, str]]] = []

    def serve(self, request: httpx.Request) -> httpx.Response:
        account = request.headers["X-Cyclr-Account"]
        part = LISTINGS[request.url.path]
        query = {k: v for k, v in request.url.params.items() if k not in ("page", "pageSize")}
        self.seen.append((account, part, query))
        if (account, part) in self.fail:
            return self.fail[(account, part)]()
        items = self.data[account][part]
        return json_response(items, headers={"Total-Pages": "1", "Total-Records": str(len(items))})

    def queue(self, accounts: int, extra: dict[str, int] | None = None) -> Fleet:
        """Queue each listing once per account (plus ``extra`` retries by path)."""
        for path in LISTINGS:
            for _ in range(accounts + (extra or {}).get(path, 0)):
                self.fake.add("GET", path, self.serve)
        return self

    def accounts(self, *records: dict[str, Any]) -> Fleet:
        self.fake.add("GET", "/v1.0/accounts", pages(list(records)))
        return self


def pages(items: list[Any]) -> httpx.Response:
    return json_response(items, headers={"Total-Pages": "1", "Total-Records": str(len(items))})


def by_id(df: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {r["Id"]: r for r in df.to_dict("records")}


# -- rows and score -----------------------------------------------------------------------------


def test_rows_and_score_from_the_listings(twin: Twin, fake: FakeCyclr) -> None:
    fleet = Fleet(fake, {"ok": HEALTHY, "bad": BROKEN}).queue(2)
    fleet.accounts({"Id": "ok", "Name": "Fine Ltd"}, {"Id": "bad", "Name": "Broken plc"})
    df = twin.account_health()
    assert list(df["Id"]) == ["bad", "ok"]  # worst first
    rows = by_id(df)
    bad = rows["bad"]
    assert bad["Name"] == "Broken plc" and pd.isna(bad["Error"])
    assert (bad["Connectors"], bad["NotAuthenticated"]) == (3, 2)
    assert bad["NotAuthenticatedNames"] == ["HubSpot", "Slack"]
    assert (bad["CyclesActive"], bad["CyclesPaused"], bad["CyclesInError"]) == (2, 1, 2)
    assert (bad["ErrorIncidents"], bad["WarningIncidents"]) == (2, 1)
    assert bad["LastSuccessfulRun"] == pd.Timestamp("2030-06-15T10:00:00Z")
    # 100 - 10 x 2 unauthenticated - 15 x 2 cycles in error - 2 x 2 errors - 1 x 1 warning
    assert bad["Score"] == 45
    ok = rows["ok"]
    assert ok["Score"] == 100 and ok["CyclesInError"] == 0 and ok["NotAuthenticatedNames"] == []
    assert ok["LastSuccessfulRun"] == pd.Timestamp("2030-06-15T11:00:00Z")
    assert df.attrs["complete"] is True and df.attrs["error"] is None
    assert df["Score"].dtype == "Int64"


def test_penalties_are_capped_and_the_score_floored(twin: Twin, fake: FakeCyclr) -> None:
    awful = {
        "connectors": [ac(f"C{i}", False) for i in range(25)],  # more than the names kept
        "cycles": [cycle(f"c-{i}", "Active", errors=1) for i in range(9)],
        "errors": [{"Id": f"i-{i}", "CycleId": "c-0"} for i in range(40)],
        "warnings": [{"Id": f"w-{i}"} for i in range(40)],
    }
    Fleet(fake, {"x": awful}).queue(1)
    (row,) = twin.iter_account_health("x")
    assert row["Score"] == 0 and row["NotAuthenticated"] == 25
    assert len(row["NotAuthenticatedNames"]) == 21 and row["NotAuthenticatedNames"][-1] == (
        "... and 5 more"
    )


def test_the_window_is_sent_as_after(twin: Twin, fake: FakeCyclr) -> None:
    fleet = Fleet(fake, {"ok": HEALTHY}).queue(1)
    twin.account_health(["ok"])
    sent = {part: q for _, part, q in fleet.seen}
    assert sent["errors"] == {"after": AFTER_24H} == sent["warnings"]
    assert sent["cycles"] == {"includeIcons": "false"}
    fleet.seen.clear()
    fleet.queue(1)
    df = twin.account_health("ok", window=timedelta(hours=3))
    assert {q["after"] for _, p, q in fleet.seen if p == "errors"} == {"2030-06-15T09:30:00Z"}
    assert df.attrs["after"] == "2030-06-15T09:30:00Z"


@pytest.mark.parametrize(
    ("window", "error"),
    [
        ("24", ValidationError),
        ("0h", ValidationError),
        ("1y", ValidationError),
        (timedelta(0), ValidationError),
        (24, TypeError),
        (None, TypeError),
    ],
)
def test_bad_input_is_refused_before_any_request(
    twin: Twin, fake: FakeCyclr, window: Any, error: type[Exception]
) -> None:
    with pytest.raises(error, match="window"):
        twin.account_health(window=window)
    with pytest.raises(error, match="window"):
        twin.iter_account_health(window=window)
    assert fake.requests == []  # not even a token


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"accounts": [12]}, TypeError, "accounts"),
        ({"accounts": {"Id": "x"}}, TypeError, "accounts"),
        ({"accounts": ["bad/id"]}, ValidationError, "accounts"),
        ({"accounts": pd.DataFrame({"Name": ["x"]})}, ValidationError, "Id"),
        ({"concurrency": 0}, ValidationError, "concurrency"),
        ({"include_subaccounts": "yes"}, TypeError, "include_subaccounts"),
        ({"should_stop": 3}, TypeError, "should_stop"),
    ],
)
def test_bad_arguments_are_refused_before_any_request(
    twin: Twin, fake: FakeCyclr, kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        twin.account_health(**kwargs)
    assert fake.requests == []


# -- which accounts ------------------------------------------------------------------------------


def test_accounts_given_as_ids_or_a_dataframe(twin: Twin, fake: FakeCyclr) -> None:
    fleet = Fleet(fake, {"ok": HEALTHY, "bad": BROKEN}).queue(3)
    assert list(twin.account_health("ok")["Id"]) == ["ok"]
    frame = pd.DataFrame({"Id": ["ok", "bad"], "Name": ["Fine Ltd", None], "Other": [1, 2]})
    df = twin.account_health(frame)
    assert by_id(df)["ok"]["Name"] == "Fine Ltd" and pd.isna(by_id(df)["bad"]["Name"])
    assert fake.calls(path="/v1.0/accounts") == []  # given accounts: no accounts listing
    assert {a for a, _, _ in fleet.seen} == {"ok", "bad"}


def test_subaccounts_are_scanned_on_request(twin: Twin, fake: FakeCyclr) -> None:
    fleet = Fleet(fake, {"parent": HEALTHY, "child": BROKEN, "solo": HEALTHY}).queue(3)
    fleet.accounts({"Id": "parent", "Name": "P"}, {"Id": "solo", "Name": "S"})
    fake.add("GET", "/v1.0/accounts/parent/subaccounts", pages([{"Id": "child", "Name": "C"}]))
    fake.add("GET", "/v1.0/accounts/solo/subaccounts", pages([]))
    fake.add("GET", "/v1.0/accounts/child/subaccounts", pages([]))
    df = twin.account_health(include_subaccounts=True)
    rows = by_id(df)
    assert set(rows) == {"parent", "child", "solo"}
    assert rows["child"]["ParentAccountId"] == "parent" and rows["child"]["Name"] == "C"
    assert rows["child"]["Score"] == 45


# -- partial failure -----------------------------------------------------------------------------


def test_a_403_and_a_failing_listing_are_rows_not_exceptions(twin: Twin, fake: FakeCyclr) -> None:
    fleet = Fleet(fake, {"ok": HEALTHY, "denied": HEALTHY, "flaky": HEALTHY})
    for part in LISTINGS.values():
        fleet.fail[("denied", part)] = lambda: error_response(403, "Access denied")
    fleet.fail[("flaky", "cycles")] = lambda: error_response(503, "busy")
    fleet.queue(3, extra={"/v1.0/cycles": 2})  # the 503 is retried twice (max_retries=2)
    df = twin.account_health(["ok", "denied", "flaky"])
    rows = by_id(df)
    assert "403" in rows["denied"]["Error"] or "Access denied" in rows["denied"]["Error"]
    assert rows["flaky"]["Error"].startswith("cycles: ServerError")
    for bad in ("denied", "flaky"):
        assert rows[bad]["Score"] == 0 and pd.isna(rows[bad]["CyclesActive"])
    assert pd.isna(rows["ok"]["Error"]) and rows["ok"]["Score"] == 100
    assert list(df["Id"])[-1] == "ok" and df.attrs["complete"] is True


def test_a_failing_accounts_listing_keeps_the_rows_and_says_so(twin: Twin, fake: FakeCyclr) -> None:
    fleet = Fleet(fake, {"ok": HEALTHY}).queue(1)
    fake.add(
        "GET",
        "/v1.0/accounts",
        lambda r: json_response([{"Id": "ok"}], headers={"Total-Pages": "2"}),
        *[error_response(503, "down")] * 3,
    )
    df = twin.account_health(concurrency=1)
    assert list(df["Id"]) == ["ok"] and fleet.seen
    assert df.attrs["complete"] is False and "ServerError" in df.attrs["error"]


# -- stopping ------------------------------------------------------------------------------------


def _three(fake: FakeCyclr) -> Fleet:
    return Fleet(fake, {a: HEALTHY for a in ("a", "b", "c")}).queue(3)


def test_a_stop_keeps_the_rows_gathered(twin: Twin, fake: FakeCyclr) -> None:
    _three(fake)
    stop = threading.Event()
    seen: list[str] = []

    def on_row(row: dict[str, Any]) -> None:
        seen.append(row["Id"])
        stop.set()

    df = twin.account_health(["a", "b", "c"], concurrency=1, should_stop=stop, on_row=on_row)
    assert list(df["Id"]) == seen and len(seen) == 1
    assert df.attrs["complete"] is False
    # The async twin may have started the next account before the row reached on_row; no
    # account beyond that.
    assert len(fake.calls()) <= 8
    fake.routes.clear()


def test_ctrl_c_keeps_the_rows_gathered(twin: Twin, fake: FakeCyclr) -> None:
    _three(fake)
    seen: list[str] = []

    def on_row(row: dict[str, Any]) -> None:
        seen.append(row["Id"])
        if len(seen) == 2:
            raise KeyboardInterrupt

    df = twin.account_health(["a", "b", "c"], concurrency=1, on_row=on_row)
    assert sorted(df["Id"]) == sorted(seen) and len(seen) == 2
    assert df.attrs["complete"] is False
    fake.routes.clear()


def test_the_iterator_stops_on_request(twin: Twin, fake: FakeCyclr) -> None:
    _three(fake)
    calls = iter([False, False, True])
    rows = twin.iter_account_health(
        ["a", "b", "c"], concurrency=1, should_stop=lambda: next(calls, True)
    )
    assert len(rows) < 3
    fake.routes.clear()


def test_rows_reach_on_row_as_they_complete(twin: Twin, fake: FakeCyclr) -> None:
    _three(fake)
    got: list[dict[str, Any]] = []
    df = twin.account_health(["a", "b", "c"], on_row=got.append)
    assert sorted(r["Id"] for r in got) == ["a", "b", "c"] == sorted(df["Id"])
    assert all(isinstance(r, dict) and "Score" in r for r in got)
