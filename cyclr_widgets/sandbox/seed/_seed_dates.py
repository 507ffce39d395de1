"""Moving the seed's dates so its history is recent on the sandbox's clock.

The seed is built at a fixed :data:`~._seed_history.EPOCH` (deterministic data), but a client
asks for *recent* history by default (the last 7 days of incidents, like Cyclr's Console), so a
history dated 2024 would look empty on every later day. The store moves every seeded timestamp
by whole days so that the history ends :data:`DAYS_BEFORE_NOW` days before the clock's "now";
time of day, order and gaps are kept, and so is determinism for a fixed clock (the tests' fake
clock). Only values written by :func:`~._seed_history.iso` (seven fractional digits and ``Z``)
are dates; text such as request dumps is left as it is. The fleet's recent times
(``@recent-<seconds>``, :mod:`._seed_fleet`) are set exactly that long before "now".
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

from ._seed_history import EPOCH, iso

__all__ = ["DAYS_BEFORE_NOW", "HISTORY_DAYS", "move_dates"]

#: How many days after EPOCH the seeded history ends (the troubleshooting cycle's runs).
HISTORY_DAYS = 41
#: The newest seeded runs happened this many days before "now".
DAYS_BEFORE_NOW = 2
_RECENT = "@recent-"
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z")


def move_dates(data: Any, now: float) -> Any:
    """``data`` with every seeded timestamp moved by whole days, to be recent at ``now``."""
    today = datetime.fromtimestamp(now, timezone.utc).date()
    end = (EPOCH + timedelta(days=HISTORY_DAYS)).date()
    delta = timedelta(days=(today - end).days - DAYS_BEFORE_NOW)
    if not delta and not (isinstance(data, dict) and "fleet" in data.get("ids", {})):
        return data
    return _walk(data, delta, datetime.fromtimestamp(now, timezone.utc))


def _walk(value: Any, delta: timedelta, now: datetime) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, delta, now) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, delta, now) for v in value]
    if isinstance(value, str):
        if _ISO.fullmatch(value):
            return iso(datetime.fromisoformat(value[:26]).replace(tzinfo=timezone.utc) + delta)
        if value.startswith(_RECENT):
            return iso(now - timedelta(seconds=float(value[len(_RECENT) :])))
    return value
