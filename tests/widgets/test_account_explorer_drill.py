"""AccountExplorer's time and drill-down without a kernel: incident -> run -> step -> its setup.

The front end is played by messages into the widget (``front``); what the widget sends back is
captured. A fake client first (``tests/support/explorer.py``), then the sandbox's seeded
troubleshooting cycle with the real client.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from cyclr_widgets.core import CyclrError
from cyclr_widgets.widgets import AccountExplorer
from tests.support.explorer import ACCOUNT, LEAKED_TOKEN, NOW, FakeClient


@pytest.fixture
def client() -> FakeClient:
    return FakeClient()


def capture(e: AccountExplorer) -> list[dict[str, Any]]:
    """Every message the widget sends to its views from now on."""
    sent: list[dict[str, Any]] = []
    e.send = lambda content, buffers=None: sent.append(json.loads(json.dumps(content)))
    return sent


def front(e: AccountExplorer, part: str, **content: Any) -> None:
    """A message from a view of ``part``, through the widget's own channel."""
    e._handle_custom_msg({"part": part, **content}, [])


# -- time ----------------------------------------------------------------------------------


def test_incidents_and_transactions_show_local_and_utc_time_newest_first(client):
    e = AccountExplorer(client, ACCOUNT)
    assert e.timezone == "America/New_York" and e.time_window.timezone == "America/New_York"
    client.calls.clear()
    # Cyclr's order was error first; the newest (undated rows last) comes first here.
    assert e.transactions_df["Id"].tolist() == ["t-2", "t-1"]
    assert e.transactions_df["LocalTime"].tolist() == [
        "2026-12-01 05:00:00 EST",
        "2026-12-01 04:00:00 EST",
    ]
    assert str(e.transactions_df["StartedOnUtc"].iloc[0]) == "2026-12-01 10:00:00+00:00"
    # The table shows Cyclr's UTC time (relative in the view, exact on hover in the account's
    # zone, sent with the rows); the DataFrame keeps LocalTime too.
    assert e.incidents_table.columns[0] == "CreatedOnUtc" and "LocalTime" in e.incidents_df
    assert e.incidents_table.zone == "America/New_York"
    assert e.incidents_table.specs[0].kind == "time" and e.incidents_table.specs[0].label == "When"


def test_newest_first_sorts_incidents_by_created_on(client, monkeypatch):
    from tests.support import explorer

    dated = [
        dict(explorer.INCIDENTS["error"][0], CreatedOnUtc="2026-11-30T10:00:00Z"),
        dict(explorer.INCIDENTS["error"][0], CreatedOnUtc="2026-12-01T10:00:00Z", StepName="B"),
    ]
    monkeypatch.setitem(explorer.INCIDENTS, "error", dated)
    e = AccountExplorer(client, ACCOUNT)
    assert e.incidents_df["StepName"].tolist() == ["B", "Get leads", "Post"]
    assert e.incidents_df["LocalTime"].tolist()[:2] == [
        "2026-12-01 05:00:00 EST",
        "2026-11-30 05:00:00 EST",
    ]


def test_the_window_requeries_with_bounds_from_the_clients_clock(client):
    e = AccountExplorer(client, ACCOUNT)
    assert client.history_bounds[-1] == (NOW - timedelta(days=7), None)  # default: last week
    assert e.time_window.caption.startswith("Last week")
    client.history_bounds.clear()
    client.clock_now = NOW + timedelta(hours=5)  # the client's clock, not the wall clock
    front(e, "time_window", kind="state", state={"window": "hour"})
    assert client.history_bounds == [(client.clock_now - timedelta(hours=1), None)] * 2
    front(e, "time_window", kind="state", state={"window": "day"})
    assert client.history_bounds[-1] == (client.clock_now - timedelta(days=1), None)
    assert [c[0] for c in client.calls[-3:]] == [
        "incidents:error",
        "incidents:warning",
        "transactions",
    ]


def test_a_custom_window_is_read_in_the_accounts_timezone(client):
    e = AccountExplorer(client, ACCOUNT)
    bounds = {"after": "2026-11-30T08:00", "before": "2026-12-01T08:00Z"}
    front(e, "time_window", kind="state", state={"window": "custom", **bounds})
    after, before = client.history_bounds[-1]
    assert after == datetime(2026, 11, 30, 13, 0, tzinfo=timezone.utc)  # 08:00 EST
    assert before == datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
    assert (
        "2026-11-30 08:00" in e.time_window.caption and "America/New_York" in e.time_window.caption
    )


def test_a_bad_custom_bound_is_shown_and_queries_nothing(client):
    e = AccountExplorer(client, ACCOUNT)
    n = len(client.calls)
    front(e, "time_window", kind="state",
          state={"window": "custom", "after": "yesterday-ish", "before": ""})  # fmt: skip
    assert "not a date and time" in e.status.value and len(client.calls) == n
    e.time_window.set_state({"after": "2026-12-01T08:00", "before": "2026-11-01T08:00"})
    assert "After must be earlier than Before." in e.status.value


def test_an_unknown_timezone_falls_back_to_utc(client):
    client.timezone = "GMT Standard Time"  # a Windows name: not guessed
    e = AccountExplorer(client, ACCOUNT)
    assert e.timezone == "UTC"
    assert e.transactions_df["LocalTime"].iloc[0] == "2026-12-01 10:00:00 UTC"


# -- drill down ----------------------------------------------------------------------------


def open_incident(e: AccountExplorer) -> None:
    row = e.incidents_df.reset_index(drop=True)
    e.incidents_table.set_state({"selected_id": str(row.index[row["TransactionId"] == "t-1"][0])})


def test_incident_opens_its_transaction_and_its_failing_step(client):
    e = AccountExplorer(client, ACCOUNT)
    assert e.selected_incident is None and e.transaction.empty and e.selected_step is None
    open_incident(e)
    assert e.selected_incident["TransactionId"] == "t-1"
    assert e.transaction[["StepName", "Status"]].values.tolist() == [
        ["Trigger", "Completed"],
        ["Get leads", "Errored"],
    ]
    step = e.selected_step
    assert step is not None and step["StepId"] == "s-2"  # the incident's step is selected
    assert e.drill.steps_table.selected_id == "r-2"
    caption = e.drill.caption.value
    assert "Transaction t-1" in caption and "Step Get leads: Errored" in caption


def test_the_failing_steps_request_and_response_are_split_and_masked(client):
    e = AccountExplorer(client, ACCOUNT)
    open_incident(e)
    req, resp = e.step_request, e.step_response
    assert req is not None and resp is not None
    assert (req.method, req.url) == ("POST", "https://crm.test/leads?api_key=***")
    assert dict(req.headers) == {"X-Api-Key": "***", "Content-Type": "application/json"}
    assert json.loads(req.body) == {"email": "a@b.test", "password": "***"}
    assert (resp.status, resp.status_code, resp.method) == ("401 Unauthorized", 401, "POST")
    assert json.loads(resp.body) == {"Message": "token expired"}
    assert LEAKED_TOKEN not in json.dumps(e.selected_step) and "hunter2" not in repr(req)


def test_the_step_detail_travels_by_message_never_in_state(client):
    e = AccountExplorer(client, ACCOUNT)
    sent = capture(e)
    open_incident(e)
    details = [m for m in sent if m.get("part") == "step_detail" and m["kind"] == "detail"]
    assert details and details[-1]["request"]["method"] == "POST"
    assert details[-1]["response"]["status"] == "401 Unauthorized"
    assert details[-1]["step"]["started_local"] == "2026-12-01 04:00:01 EST"
    sent.clear()
    front(e, "step_detail", kind="hello")  # a view rendered later gets it too
    assert sent[-1]["kind"] == "detail" and sent[-1]["step"]["name"] == "Get leads"
    state = json.dumps(e.get_state()["parts"])
    assert "crm.test" not in state and "token expired" not in state and LEAKED_TOKEN not in state
    assert "token expired" in e.incident_detail.value  # the incident's text: by message too
    assert json.dumps(sent).count(LEAKED_TOKEN) == 0 and "hunter2" not in json.dumps(details)


def test_the_steps_mappings_parameters_and_the_cycles_variables(client):
    e = AccountExplorer(client, ACCOUNT)
    open_incident(e)
    assert e.step_field_mappings[["Field.Name", "MappingType"]].values.tolist() == [
        ["email", "StepOutput"],
        ["tag", "StaticValue"],
    ]
    assert e.step_parameters["Parameter.Name"].tolist() == ["List"]
    assert e.cycle_variables["SystemName"].tolist() == ["LastRun"]
    e.drill.steps_table.set_state({"selected_id": "r-1"})  # another step of the run
    assert e.selected_step["StepName"] == "Trigger" and e.step_field_mappings.empty
    assert e.step_request.method == "GET" and e.step_response.status == "200 OK"
    assert e.cycle_variables["SystemName"].tolist() == ["LastRun"]  # the cycle's, still


def test_a_transaction_row_opens_the_run_and_one_run_is_open_at_a_time(client):
    e = AccountExplorer(client, ACCOUNT)
    open_incident(e)
    e.transactions_table.set_state({"selected_id": "t-2"})
    assert e.incidents_table.selected_id == "" and e.selected_incident is None
    assert e.drill.transaction_id == "t-2" and e.transaction.empty and e.selected_step is None
    assert e.step_request is None and "Transaction t-2 (0 step records)" in e.drill.caption.value
    e.transactions_table.set_state({"selected_id": ""})
    assert e.drill.caption.value == "" and e.drill.transaction_id == ""


def test_a_transaction_cyclr_cannot_find_is_shown_in_the_widget(client, caplog):
    client.fail["transaction_steps"] = CyclrError("Transaction <t-1> was purged.", status_code=404)
    e = AccountExplorer(client, ACCOUNT)
    open_incident(e)
    caption = e.drill.caption.value
    assert (
        "Could not load the transaction&#x27;s steps: Transaction &lt;t-1&gt; was purged."
        in caption
    )
    assert e.transaction.empty and e.selected_step is None and "Traceback" not in caplog.text


def test_widget_state_does_not_grow_with_rows(client, monkeypatch):
    """No row, dump or body in synced state: the saved state per row is (about) nothing."""
    from tests.support import explorer

    def state_bytes(n: int) -> int:
        first = explorer.INCIDENTS["error"][0]
        inc = [dict(first, CreatedOnUtc=f"2026-11-{1 + i % 28:02d}T10:00:00Z") for i in range(n)]
        txs = [dict(explorer.TRANSACTIONS[1], Id=f"t-{i}") for i in range(n)]
        steps = [dict(explorer.STEPS["t-1"][1], Id=f"r-{i}") for i in range(n)]
        monkeypatch.setitem(explorer.INCIDENTS, "error", inc)
        monkeypatch.setattr(explorer, "TRANSACTIONS", txs)
        monkeypatch.setitem(explorer.STEPS, "t-1", steps)
        e = AccountExplorer(FakeClient(), ACCOUNT)
        e.incidents_table.selected_id = "0"
        assert e.transaction.shape[0] == n and e.incidents_table.row_count == n + 1
        state = {k: v for k, v in e.get_state().items() if k not in ("_esm", "_css")}
        return len(json.dumps(state))

    small, big = state_bytes(10), state_bytes(2000)
    per_row = (big - small) / 1990
    # Only the counts' digits grow (a few bytes in all), never a row: << 1 byte per row.
    assert per_row < 0.05, (small, big)
    assert big < 12_000, big  # the whole state of every part, whatever the history holds


# -- the sandbox's troubleshooting cycle, with the real client -----------------------------


@pytest.fixture(scope="module")
def sandbox():
    from cyclr_widgets.sandbox import Sandbox

    with Sandbox() as sb:
        yield sb


def test_real_client_drills_from_the_incident_to_the_failing_request(sandbox):
    from cyclr_widgets import CyclrClient

    client = CyclrClient.from_env(sandbox.environ)
    ids = sandbox.ids
    e = AccountExplorer(client, sandbox.account_id)
    assert e.status.value == "" and e.timezone == client.account(sandbox.account_id)["Timezone"]
    df = e.incidents_df.reset_index(drop=True)
    hits = df.index[df["TransactionId"] == ids["transaction_id"]]
    assert len(hits) == 1, "the seeded failing run is in the default window (last week)"
    e.incidents_table.selected_id = str(hits[0])
    assert e.selected_step["StepId"] == ids["step_id"] and e.selected_step["Status"] == "Errored"
    assert e.step_request.method == "POST" and "mailchimp.com" in e.step_request.url
    assert dict(e.step_request.headers)["Authorization"] == "REDACTED"
    assert e.step_response.status == "400 Bad Request" and "Member Exists" in e.step_response.body
    assert ids["field_id"] in e.step_field_mappings["Field.Id"].tolist()
    assert ids["parameter_id"] in e.step_parameters["Parameter.Id"].tolist()
    assert ids["variable_name"] in e.cycle_variables["SystemName"].tolist()
    times = e.incidents_df["CreatedOnUtc"].tolist()
    assert times == sorted(times, reverse=True)


def test_bundle_writes_the_open_accounts_support_bundle(sandbox, tmp_path):
    import zipfile

    from cyclr_widgets import CyclrClient

    client = CyclrClient.from_env(sandbox.environ)
    e = AccountExplorer(client, sandbox.account_id)
    path = e.bundle(tmp_path / "acme.zip")
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        summary = zf.read("SUMMARY.md").decode()
        everything = b"".join(zf.read(n) for n in names)
    assert {"SUMMARY.md", "incidents.csv", "transaction_steps.json"} <= names
    assert sandbox.account_id in summary
    assert sandbox.client_secret.encode() not in everything


def test_bundle_needs_an_open_account(client, tmp_path):
    e = AccountExplorer(client)
    with pytest.raises(ValueError, match="No account is open"):
        e.bundle(tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()
