"""Time in the explorer: the account's timezone, the time window control, newest-first rows.

Cyclr stores times in UTC (``CreatedOnUtc``, ``StartedOnUtc``); a customer thinks in their
account's timezone (the account record's ``Timezone``, an IANA name). The explorer shows both: a
``LocalTime`` column in the account's zone next to the UTC one. The window (last hour, day,
week, or custom bounds) becomes the ``after=``/``before=`` of the client's ``iter_incidents`` and
``iter_transactions``; "now" is the client's clock, never the kernel's wall clock when the
client has one (a sandbox on a fake clock, a test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import traitlets as t

from ..core import parse_datetime
from ._parts import Part

__all__ = [
    "WINDOWS",
    "TimeWindowPart",
    "account_zone",
    "client_clock",
    "local_text",
    "newest_first",
    "with_local_time",
]

#: The preset windows, by the name the control sends.
WINDOWS: dict[str, timedelta] = {
    "hour": timedelta(hours=1),
    "day": timedelta(days=1),
    "week": timedelta(days=7),
}
LOCAL_COLUMN = "LocalTime"


def client_clock(client: object) -> Callable[[], datetime]:
    """The client's "now" (aware, UTC): its ``clock`` when it has one, else the wall clock.

    ``CyclrClient.now()`` gives its injected clock (the incidents' default window uses it);
    the widgets only see the ``ExplorerClient`` protocol, which does not require it, so it is
    looked up and a client without one (a fake) gets the wall clock.
    """
    now = getattr(client, "now", None)
    if callable(now):
        return lambda: _aware(now())
    return lambda: datetime.now(timezone.utc)


def _aware(value: Any) -> datetime:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, timezone.utc)
    return datetime.now(timezone.utc)


def account_zone(name: object) -> tuple[tzinfo, str]:
    """The account's ``Timezone`` as a tzinfo and its name; UTC when unknown or not IANA.

    Cyclr's docs do not say whether ``Timezone`` is an IANA name or a Windows one ("GMT
    Standard Time"): the sandbox serves IANA names; anything zoneinfo cannot load falls back
    to UTC, labelled as such, rather than guessing a mapping.
    """
    if isinstance(name, str) and name.strip():
        try:
            return ZoneInfo(name.strip()), name.strip()
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return timezone.utc, "UTC"


def local_text(value: Any, zone: tzinfo) -> str:
    """A Cyclr UTC timestamp as ``2026-11-30 08:15:03 EST`` in ``zone``; ``""`` for none."""
    try:
        when = parse_datetime(value)
    except ValueError:
        return ""
    if when is None:
        return ""
    local = when.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or ''}".strip()


def with_local_time(
    records: Iterable[Mapping[str, Any]], field: str, zone: tzinfo
) -> list[dict[str, Any]]:
    """Copies of ``records`` with a ``LocalTime`` field (``field`` in ``zone``)."""
    return [{LOCAL_COLUMN: local_text(r.get(field), zone), **r} for r in records]


def newest_first(records: Iterable[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    """``records`` sorted by ``field`` (a UTC timestamp), newest first; undated ones last."""

    def key(record: Mapping[str, Any]) -> float:
        try:
            when = parse_datetime(record.get(field))
        except ValueError:
            when = None
        return -when.timestamp() if when is not None else float("inf")

    return sorted(records, key=key)  # stable: undated rows keep Cyclr's order


def _bound(text: str, zone: tzinfo, what: str) -> datetime | None:
    """A custom bound typed in the control: in the account's zone unless it has an offset."""
    text = text.strip()
    if not text:
        return None
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{what} is not a date and time: {text!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return when.astimezone(timezone.utc)


class TimeWindowPart(Part):
    """The time window control: last hour / day / week, or custom ``after`` and ``before``.

    The front end sets ``window``, ``after`` and ``before``; custom bounds are read in the
    account's timezone (``timezone``) unless they carry an offset. :meth:`bounds` gives the
    aware UTC datetimes the client is called with.
    """

    _front_end_keys = ("window", "after", "before")

    window = t.Enum(["hour", "day", "week", "custom"], "week").tag(sync=True)
    after = t.Unicode("", help="Custom lower bound (ISO 8601; account's zone if naive).").tag(
        sync=True
    )
    before = t.Unicode("", help="Custom upper bound (ISO 8601; account's zone if naive).").tag(
        sync=True
    )
    timezone = t.Unicode("UTC", help="The account's timezone the times are shown in.").tag(
        sync=True
    )
    caption = t.Unicode("", help="What the window currently covers, in words.").tag(sync=True)

    def set_state(self, sync_data: dict[str, Any]) -> None:
        """Set traits as the front end reports them; an unknown window name is ignored."""
        if "window" in sync_data and sync_data["window"] not in (*WINDOWS, "custom"):
            sync_data = {k: v for k, v in sync_data.items() if k != "window"}
        super().set_state(sync_data)

    def bounds(self, now: datetime, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
        """``(after, before)`` in UTC for the current window; ``ValueError`` on a bad bound."""
        if self.window in WINDOWS:
            return now - WINDOWS[self.window], None
        after = _bound(self.after, zone, "After")
        before = _bound(self.before, zone, "Before")
        if after is not None and before is not None and after >= before:
            raise ValueError("After must be earlier than Before.")
        return after, before

    def describe(self, after: datetime | None, before: datetime | None, zone: tzinfo) -> str:
        """The window in words, in the account's zone (the caption)."""
        if self.window in WINDOWS:
            return f"Last {self.window} (times in {self.timezone} and UTC)"
        fmt = "%Y-%m-%d %H:%M"
        since = f"from {after.astimezone(zone):{fmt}}" if after else "from the start"
        until = f"to {before.astimezone(zone):{fmt}}" if before else "to now"
        return f"{since} {until} {self.timezone}"
