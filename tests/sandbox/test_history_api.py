"""Transactions, step records and incidents in the sandbox (rows #85-#91)."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from cyclr_widgets.sandbox.seed import move_dates
from harness.clock import START
from tests.support.sandbox import *  # noqa: F403  (fixtures)

TX = "/v1.0/cycles/transactions"


def _list(api: httpx.Client, path: str, **params: str) -> list[dict]:
    r = api.get(path, params={"pageSize": "500", **params})
    assert r.status_code == 200, r.text
    return r.json()


# after/before, each accepted format: R saw "MM/DD/YYYY" for transactions, "YYYY-MM-DD" for
# incidents, and ISO 8601 is Cyclr's own date-time format.
# The troubleshooting cycle's runs: seeded on 2024-02-12, moved to be recent on the fake clock.
DAY = move_dates("2024-02-12T00:00:00.0000000Z", START)[:10]
NEXT = move_dates("2024-02-13T00:00:00.0000000Z", START)[:10]
Y, M, D = DAY.split("-")
Y2, M2, D2 = NEXT.split("-")
BOUNDS = [
    (DAY, NEXT),
    (f"{M}/{D}/{Y}", f"{M2}/{D2}/{Y2}"),
    (f"{DAY}T00:00:00Z", f"{NEXT}T00:00:00.0000000Z"),
    (f"{DAY}T01:00:00+01:00", f"{DAY}T23:59:59"),
]


@pytest.mark.parametrize(("after", "before"), BOUNDS)
def test_transactions_after_before_in_each_format(
    api: httpx.Client, after: str, before: str
) -> None:
    everything = _list(api, TX)
    inside = _list(api, TX, after=after, before=before)
    assert inside and len(inside) < len(everything)
    assert all(t["StartedOnUtc"].startswith(DAY) for t in inside)
    assert len(inside) == sum(t["StartedOnUtc"].startswith(DAY) for t in everything)
    later = _list(api, TX, after=after)
    assert all(t["StartedOnUtc"] >= DAY for t in later)
    assert len(later) < len(everything)


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "31/12/2024", "2024-02-30", "1/1"])
def test_unparseable_dates_are_400(api: httpx.Client, sb: Sandbox, value: str) -> None:
    for path in [TX, f"/v1.0/cycles/{sb.ids['cycle_id']}/transactions"]:
        r = api.get(path, params={"after": value})
        assert r.status_code == 400 and value in r.json()["Message"]
    for path in ["/v1.0/cycles/incidents/error", f"/v1.0/cycles/{sb.ids['cycle_id']}/incidents"]:
        assert api.get(path, params={"before": value}).status_code == 400


def test_status_and_split_type_filters(api: httpx.Client, sb: Sandbox) -> None:
    path = f"/v1.0/cycles/{sb.ids['cycle_id']}/transactions"
    everything = _list(api, path)
    errored = _list(api, path, status="errored")
    assert errored and {t["Status"] for t in errored} == {"Errored"}
    assert sb.ids["transaction_id"] in {t["Id"] for t in errored}
    split = _list(api, path, splitType="Split")
    assert len(split) == 2 and all(t["ParentTransactionId"] for t in split)
    unsplit = _list(api, path, splitType="unsplit")
    assert len(unsplit) + len(split) == len(everything)
    assert _list(api, path, status="Nope") == []  # applied: an unknown status matches nothing


def test_transactions_per_account_and_cycle(api: httpx.Client, sb: Sandbox) -> None:
    page = api.get(TX, params={"pageSize": 10})
    assert int(page.headers["Total-Records"]) > 10 and len(page.json()) == 10
    assert "AccountId" not in page.json()[0]
    started = [t["StartedOnUtc"] for t in _list(api, TX)]
    assert started == sorted(started)
    newest = [t["StartedOnUtc"] for t in _list(api, TX, sortOrderAsc="false")]
    assert newest == sorted(started, reverse=True)
    mine = _list(api, f"/v1.0/cycles/{sb.ids['cycle_id']}/transactions")
    assert mine and {t["CycleId"] for t in mine} == {sb.ids["cycle_id"]}
    other = {"X-Cyclr-Account": sb.ids["other_account_id"]}
    assert sb.ids["transaction_id"] not in {t["Id"] for t in _list_h(api, TX, other)}


def _list_h(api: httpx.Client, path: str, headers: dict[str, str]) -> list[dict]:
    return api.get(path, params={"pageSize": 500}, headers=headers).json()


def test_transaction_step_records(api: httpx.Client, sb: Sandbox) -> None:
    cid, tx = sb.ids["cycle_id"], sb.ids["transaction_id"]
    records = api.get(f"/v1.0/cycles/{cid}/transactions/{tx}").json()
    assert [r["StepName"] for r in records] == [
        "Salesforce: Get New Contacts",
        "Salesforce: Get Account",
        "MailChimp: Add Subscriber",
    ]
    failed = records[-1]
    assert failed["StepId"] == sb.ids["step_id"] and failed["Status"] == "Errored"
    assert {"StartedOnUtc", "CompletedOnUtc", "Request", "Response"} <= set(failed)
    status_line, rest = failed["Response"].split("\r\n", 1)
    assert status_line == "400 Bad Request"
    body, request = rest.split("\r\n\r\n\r\nHTTP Request:\r\n")
    assert "Member Exists" in body
    assert request.startswith("POST https://") and "Authorization: REDACTED" in request
    assert failed["Request"].startswith("POST https://") and "REDACTED" in failed["Request"]
    for r in records:
        assert "seed-at-" not in r["Request"] + r["Response"]
    assert [
        r["StepName"]
        for r in api.get(
            f"/v1.0/cycles/{cid}/transactions/{tx}", params={"query": "member exists"}
        ).json()
    ] == ["MailChimp: Add Subscriber"]
    assert api.get(f"/v1.0/cycles/{cid}/transactions/not-a-guid").status_code == 400
    nil = "00000000-0000-4000-8000-000000000000"
    assert api.get(f"/v1.0/cycles/{cid}/transactions/{nil}").status_code == 404


def test_generated_transactions_have_records_too(api: httpx.Client, sb: Sandbox) -> None:
    failed = _list(api, TX, status="Errored")
    tx = next(t for t in failed if t["CycleId"] != sb.ids["cycle_id"])
    records = api.get(f"/v1.0/cycles/{tx['CycleId']}/transactions/{tx['Id']}").json()
    assert records and records[-1]["Status"] == "Errored"
    assert "HTTP Request:" in records[-1]["Response"]


def test_incidents_point_at_the_failing_transaction_and_step(
    api: httpx.Client, sb: Sandbox
) -> None:
    errors = _list(api, "/v1.0/cycles/incidents/error")
    mine = [i for i in errors if i["TransactionId"] == sb.ids["transaction_id"]]
    assert len(mine) == 1
    inc = mine[0]
    assert inc["StepId"] == sb.ids["step_id"] and inc["StepName"] == "MailChimp: Add Subscriber"
    assert inc["CycleId"] == sb.ids["cycle_id"] and inc["IncidentLevel"] == "Error"
    assert inc["ShortMessage"] == "Failed to call the method"
    assert inc["FullMessage"].startswith("400 Bad Request\r\n") and inc["CreatedOnUtc"]
    warnings = _list(api, f"/v1.0/cycles/{sb.ids['cycle_id']}/incidents")
    assert {i["IncidentLevel"] for i in warnings} == {"Error", "Warning"}
    # Every generated incident names a real step of its cycle.
    for i in errors[:5]:
        steps = api.get(f"/v1.0/cycles/{i['CycleId']}/steps").json()
        assert i["StepId"] in {s["Id"] for s in steps}


def test_incident_filters(api: httpx.Client, sb: Sandbox) -> None:
    path = "/v1.0/cycles/incidents/error"
    everything = _list(api, path)
    times = [i["CreatedOnUtc"] for i in everything]
    assert times == sorted(times)
    assert [i["CreatedOnUtc"] for i in _list(api, path, sortOrderAsc="false")] == times[::-1]
    cut = times[len(times) // 2][:10]
    after = _list(api, path, after=cut)
    assert after and all(i["CreatedOnUtc"] >= cut for i in after)
    assert len(after) < len(everything)
    before = _list(api, path, before=cut)
    assert len(before) + len(after) == len(everything)
    page = api.get(path, params={"pageSize": 2})
    assert len(page.json()) == 2 and page.headers["Total-Records"] == str(len(everything))


def test_clearing_incidents(api: httpx.Client, sb: Sandbox) -> None:
    cid = sb.ids["cycle_id"]
    assert api.get(f"/v1.0/cycles/{cid}").json()["ErrorCount"] == 3
    r = api.delete(f"/v1.0/cycles/{cid}/incidents")
    assert r.status_code == 200 and r.json()["Message"]
    assert _list(api, f"/v1.0/cycles/{cid}/incidents") == []
    assert api.get(f"/v1.0/cycles/{cid}").json()["ErrorCount"] == 0
    assert _list(api, f"/v1.0/cycles/{cid}/transactions")  # the history stays


def test_scrubbed_dumps_keep_their_crlf_line_ends() -> None:
    from cyclr_widgets.sandbox.seed import scrub

    dump = "GET /x\r\nAuthorization: Bearer abc\r\nX-Api-Key: k\r\nAccept: */*\r\n"
    want = "GET /x\r\nAuthorization: REDACTED\r\nX-Api-Key: REDACTED\r\nAccept: */*\r\n"
    assert scrub(dump) == want
