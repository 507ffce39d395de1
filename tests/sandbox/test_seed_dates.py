"""The seeded history is recent on the sandbox's clock, so a recent window (the client's default
7 days of incidents) finds it on any day, and it moves with the clock at each reset."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd

from cyclr_widgets import CyclrClient, Sandbox
from cyclr_widgets.sandbox.seed import move_dates
from harness.clock import START, FakeClock
from tests.support.sandbox import *  # noqa: F403  (fixtures)


def _now(clock: FakeClock) -> datetime:
    return datetime.fromtimestamp(clock.now, timezone.utc)


def test_the_default_incident_window_finds_the_seeded_troubleshooting_incidents(
    sb: Sandbox, clock: FakeClock
) -> None:
    for days_later in (0, 400):
        clock.now = START + days_later * 86400
        sb.reset()
        with CyclrClient.from_env(sb.environ, progress=False, clock=clock) as client:
            recent = client.incidents(sb.account_id)
            everything = client.incidents(sb.account_id, window=None)
        assert sb.ids["transaction_id"] in set(recent["TransactionId"])
        newest = recent["CreatedOnUtc"].max()
        assert _now(clock) - timedelta(days=7) <= newest <= _now(clock)
        assert (recent["CreatedOnUtc"] >= pd.Timestamp(_now(clock) - timedelta(days=7))).all()
        assert len(everything) > len(recent)  # older incidents exist, outside the window


def test_move_dates_moves_whole_days_and_only_seed_timestamps() -> None:
    data = {
        "When": "2024-02-12T09:30:01.1234560Z",
        "Never": "0001-01-01T00:00:00",
        "Dump": "Date: 2024-02-12T09:30:01.1234560Z\r\n",
        "Nested": [{"At": "2024-01-02T09:00:00.0000000Z"}],
    }
    moved = move_dates(data, START)
    assert moved["Never"] == data["Never"] and moved["Dump"] == data["Dump"]
    when = datetime.fromisoformat(moved["When"][:26])
    assert when.time() == datetime.fromisoformat("2024-02-12T09:30:01.123456").time()
    today = datetime.fromtimestamp(START, timezone.utc).date()
    assert (today - when.date()).days == 2  # the history ends two days before now
    assert moved["Nested"][0]["At"].endswith("T09:00:00.0000000Z")
