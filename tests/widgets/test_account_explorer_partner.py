"""AccountExplorer's partner view (#13), without a kernel: a fake client, then the sandbox's fleet.

Without a running event loop the scan's updates are applied on its own thread, under a lock
(``_handoff.py``); the tests wait for the thread (``partner_scan.join``) before reading. One test
runs the explorer inside an asyncio loop, as a kernel does, and checks that every update is
applied on the loop's thread.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from cyclr_widgets.core import CyclrError
from cyclr_widgets.widgets import AccountExplorer
from cyclr_widgets.widgets._explorer_partner import COLUMNS
from tests.support.explorer import ACCOUNT, FakeClient

WAIT = 30  # seconds: a bound for a hung thread, never a speed expectation


def fleet(n: int) -> list[dict[str, Any]]:
    return [{"Id": f"acct-{i:04d}", "Name": f"Customer {i:04d}"} for i in range(n)]


class FleetClient(FakeClient):
    """The fake with ``n`` accounts whose scores spread out of order (account i: (i * 37) % 101)."""

    def __init__(self, n: int) -> None:
        super().__init__()
        self.accounts = fleet(n)
        self.health = {a["Id"]: (i * 37) % 101 for i, a in enumerate(self.accounts)}
        self.listings = 0

    def iter_accounts(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        self.listings += 1
        if "accounts" in self.fail:
            raise self.fail["accounts"]
        return iter(self.accounts)


def capture(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Every message the explorers send (the scan starts in the constructor: patch first)."""
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(
        AccountExplorer, "send", lambda self, content, buffers=None: sent.append(content)
    )
    return sent


def scanned(e: AccountExplorer) -> AccountExplorer:
    assert e.partner_scan.join(WAIT), "the scan did not end"
    return e


def health_messages(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in sent if m.get("part") == "health_table" and m.get("kind") == "rows"]


def worst_first(ids: list[str], scores: dict[str, int]) -> list[str]:
    return sorted(ids, key=lambda i: (scores[i], i))


def test_no_account_starts_at_the_partner_view_worst_first(monkeypatch):
    sent = capture(monkeypatch)
    client = FleetClient(250)
    e = scanned(AccountExplorer(client))
    assert e.view == "partner" and e.account_id is None
    want = worst_first([a["Id"] for a in client.accounts], client.health)
    assert e.health_df["Id"].tolist() == want
    assert e.health_df["Score"].tolist() == sorted(client.health[i] for i in want)
    table = e.health_table
    assert (table.done, table.total, table.row_count, table.running) == (250, 250, 250, False)
    assert table.message == "250 accounts scanned (incidents of the last 24 hours)."
    # The accounts listed when the explorer opened are the ones scanned: not listed twice.
    assert client.listings == 1 and client.health_calls == [
        ([a["Id"] for a in client.accounts], "24h")
    ]
    # The rows went out by message, in batches (a reset, then the rows as they came) ...
    msgs = health_messages(sent)
    assert msgs[0]["reset"] and msgs[0]["rows"] == [] and msgs[0]["columns"] == list(COLUMNS)
    batches = msgs[1:]
    assert 1 < len(batches) < 250 and not any(b["reset"] for b in batches)
    assert sorted(i for b in batches for i in b["ids"]) == sorted(want)
    # ... and a view opened later gets every row, worst first, in one message.
    sent.clear()
    table._handle_custom_msg({"kind": "hello"}, [])
    (hello,) = health_messages(sent)
    assert hello["reset"] and hello["ids"] == want
    score, name = COLUMNS.index("Score"), COLUMNS.index("Name")
    assert hello["rows"][0][score] == client.health[want[0]]
    assert hello["rows"][0][name] == next(a["Name"] for a in client.accounts if a["Id"] == want[0])


def test_state_stays_small_whatever_the_number_of_accounts(monkeypatch):
    capture(monkeypatch)
    sizes = []
    for n in (5, 400):
        e = scanned(AccountExplorer(FleetClient(n)))
        state = json.dumps({"parts": e.parts, "view": e.view, "read_only": e.read_only})
        assert "Customer 0001" not in state and "acct-0001" not in state
        sizes.append(len(json.dumps(e.parts["health_table"])))
    # A few counters and a sentence: the same size for 5 rows as for 400 (digits aside).
    assert max(sizes) < 400 and sizes[1] - sizes[0] < 16


def test_stop_keeps_the_rows_gathered(monkeypatch):
    capture(monkeypatch)
    client = FleetClient(50)
    reached, release = threading.Event(), threading.Event()

    def gate(account_id: str) -> None:
        if account_id == "acct-0010":  # the 11th account is in flight when Stop is clicked
            reached.set()
            assert release.wait(WAIT)

    client.health_gate = gate
    e = AccountExplorer(client)
    assert reached.wait(WAIT)
    assert e.health_table.running
    e.health_table._handle_custom_msg({"kind": "stop"}, [])  # the Stop button
    release.set()
    scanned(e)
    table = e.health_table
    assert table.row_count == table.done == 10 and not table.running
    assert sorted(e.health_df["Id"]) == [f"acct-{i:04d}" for i in range(10)]
    assert table.message == "Stopped after 10 of 50 accounts: the rows so far are kept."
    # Refresh scans again (the accounts listed anew), from an empty table.
    table._handle_custom_msg({"kind": "refresh"}, [])
    scanned(e)
    assert table.row_count == 50 and client.listings == 2


def test_a_row_click_opens_the_account_and_back_returns_to_the_rows(monkeypatch):
    capture(monkeypatch)
    client = FakeClient()
    e = scanned(AccountExplorer(client))
    assert e.health_df["Id"].tolist() == [ACCOUNT, "9f1c-guid"]  # 40, then 100
    assert e.cycles_df.empty
    e.health_table.set_state({"selected_id": ACCOUNT})  # a click on the worst row
    assert e.view == "account" and e.account_id == ACCOUNT
    assert e.cycles_df["Name"].tolist() == ["Sync leads", "Nightly"]
    assert len(e.account_connectors_df) == 3 and len(e.incidents_df) == 2
    e.set_state({"view": "partner"})  # the back button
    assert e.view == "partner" and e.health_table.selected_id == ""
    assert len(e.health_df) == 2 and len(client.health_calls) == 1  # kept, not scanned again
    n = len(client.calls)
    e.health_table.set_state({"selected_id": ACCOUNT})  # the same account again: reloaded
    assert e.view == "account" and [c[0] for c in client.calls[n:]][:2] == [
        "account",
        "account_connectors",
    ]


def test_an_account_given_opens_it_and_the_partner_view_scans_when_first_shown(monkeypatch):
    capture(monkeypatch)
    client = FakeClient()
    e = AccountExplorer(client, ACCOUNT)
    assert e.view == "account" and not e.partner_scan.started and client.health_calls == []
    e.show_partner()
    scanned(e)
    assert e.view == "partner" and len(e.health_df) == 2


def test_read_only_keeps_the_partner_view_stop_and_opening(monkeypatch):
    sent = capture(monkeypatch)
    client = FakeClient()
    reached, release = threading.Event(), threading.Event()

    def gate(account_id: str) -> None:
        if account_id == "9f1c-guid":
            reached.set()
            assert release.wait(WAIT)

    client.health_gate = gate
    e = AccountExplorer(client, read_only=True)
    assert reached.wait(WAIT)
    # Stop is a message to a part that is not an action: not refused.
    e._handle_custom_msg({"part": "health_table", "kind": "stop"}, [])
    release.set()
    scanned(e)
    assert e.health_df["Id"].tolist() == [ACCOUNT]
    assert not [m for m in sent if m.get("kind") == "refused"]
    assert "cycle_actions" not in e.parts and "connect_button" not in e.parts
    e.health_table.set_state({"selected_id": ACCOUNT})
    assert e.view == "account" and e.account_id == ACCOUNT and len(e.cycles_df) == 2


def test_an_account_in_error_is_a_row_and_a_refused_listing_shows_cyclr_s_message(monkeypatch):
    capture(monkeypatch)
    client = FakeClient()
    client.health_errors["9f1c-guid"] = "cycles: AccessDeniedError: Forbidden"
    e = scanned(AccountExplorer(client))
    first = e.health_df.iloc[0]
    assert first["Id"] == "9f1c-guid" and first["Score"] == 0
    assert first["Error"] == "cycles: AccessDeniedError: Forbidden"
    assert e.health_table.error == ""

    client = FleetClient(3)
    client.fail["accounts"] = CyclrError("Unauthorized <partner>", status_code=401)
    e = scanned(AccountExplorer(client))
    # Listed again on the scan's thread (the explorer's own listing failed), refused again:
    # Cyclr's message in the view (plain text: the view escapes it), no row, no traceback.
    assert e.health_table.error == "Could not list the accounts: Unauthorized <partner>"
    assert "Traceback" not in e.health_table.error and e.health_df.empty
    assert not e.health_table.running and e.health_table.message == ""
    assert "Could not load the accounts: Unauthorized &lt;partner&gt;" in e.status.value


def test_a_failing_scan_or_a_bug_shows_a_message_not_a_traceback(monkeypatch):
    capture(monkeypatch)
    client = FakeClient()
    client.fail["health"] = RuntimeError("boom at 0xdeadbeef")
    e = scanned(AccountExplorer(client))
    assert e.health_table.error == ("Internal error (RuntimeError); see the 'cyclr_widgets' log.")


def test_the_window_rescans(monkeypatch):
    capture(monkeypatch)
    client = FakeClient()
    e = scanned(AccountExplorer(client))
    e.health_table.set_state({"window": "7d"})  # the view's window choice
    scanned(e)
    assert [w for _ids, w in client.health_calls] == ["24h", "7d"]
    assert len(e.health_df) == 2
    assert e.health_table.message == "2 accounts scanned (incidents of the last 7 days)."
    e.scan_partner("24h")  # from Python: one scan, the accounts listed anew
    scanned(e)
    assert [w for _ids, w in client.health_calls] == ["24h", "7d", "24h"]


def test_in_a_kernel_s_loop_every_update_is_applied_on_the_loop_s_thread(monkeypatch):
    capture(monkeypatch)
    client = FleetClient(120)
    threads: set[int] = set()

    async def main() -> AccountExplorer:
        e = AccountExplorer(client)
        e.health_table.observe(lambda _c: threads.add(threading.get_ident()), names="done")
        assert e.partner_scan._run is not None and e.partner_scan._run.handoff.on_loop
        for _ in range(WAIT * 20):  # the updates need this loop to turn
            if not e.health_table.running:
                break
            await asyncio.sleep(0.05)
        return e

    e = asyncio.run(main())
    assert threads == {threading.get_ident()}
    assert e.health_table.row_count == 120 and not e.health_table.running
    assert e.health_df["Id"].tolist() == worst_first(list(client.health), client.health)


# -- against the real client and the sandbox's fleet ---------------------------------------


def test_the_sandbox_fleet_fills_in_worst_first_and_opens_the_worst_account(monkeypatch):
    from cyclr_widgets import CyclrClient, Sandbox
    from harness.clock import FakeClock

    capture(monkeypatch)
    clock = FakeClock()
    with (
        Sandbox(accounts=60, clock=clock) as sandbox,
        CyclrClient.from_env(sandbox.environ, progress=False, clock=clock) as client,
    ):
        e = scanned(AccountExplorer(client))
        df = e.health_df
        want = client.account_health()
        assert len(df) == len(want) == 60 and e.health_table.error == ""
        assert dict(zip(df["Id"], df["Score"], strict=True)) == dict(
            zip(want["Id"], want["Score"], strict=True)
        )
        assert df["Score"].is_monotonic_increasing and df["Score"].iloc[0] < 100
        worst = str(df["Id"].iloc[0])
        e.health_table.set_state({"selected_id": worst})
        assert e.view == "account" and e.account_id == worst and e.status.value == ""
        assert len(e.account_connectors_df) > 0


def test_closing_the_explorer_stops_its_scan(monkeypatch):
    capture(monkeypatch)
    client = FleetClient(20)
    reached, release = threading.Event(), threading.Event()

    def gate(account_id: str) -> None:
        if account_id == "acct-0005":
            reached.set()
            assert release.wait(WAIT)

    client.health_gate = gate
    e = AccountExplorer(client)
    assert reached.wait(WAIT)
    e.close()
    release.set()
    assert e.partner_scan.join(WAIT) and e.health_table.row_count == 5
