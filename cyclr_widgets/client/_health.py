"""The partner-wide health scan, sans I/O: what an account's listings fold into, and its score.

The scan (``account_health()``) asks four listings per account (installed connectors, cycles,
error and warning incidents in the window; the sub-accounts on request) and keeps nothing of
them but counters: each record is folded into a :class:`Tally` as it arrives and dropped, so a
scan of 5,000 accounts holds 5,000 small rows, never the pages it read. The I/O (threads or
anyio tasks) lives in :mod:`._sync_fanout` / :mod:`._async_fanout`; the methods in
:mod:`._async_health` (and its generated twin).

The score (``Score``, 0-100, lower is worse; sort ascending for worst first)::

    100 - 10 x connectors not authenticated     (at most 30)
        - 15 x cycles in error                  (at most 45)
        -  2 x error incidents in the window    (at most 20)
        -  1 x warning incidents in the window  (at most 5)

floored at 0. An account that could not be scanned (its ``Error`` says why) scores 0: what
cannot be seen is treated as the worst, so it comes first too.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from ..core import CyclrError, ValidationError
from . import _endpoints as ops
from ._operation import Listing, check_account
from ._settings import type_error

__all__ = [
    "COLUMNS",
    "PARTS",
    "HealthScan",
    "Tally",
    "account_source",
    "health_frame",
    "parse_window",
    "score",
    "stop_check",
]

#: The listings read for each account (``subaccounts`` only with ``include_subaccounts``).
PARTS = ("account_connectors", "cycles", "errors", "warnings")
#: The row's fields, in the DataFrame's order (``frames.SCHEMAS["account_health"]``).
COLUMNS = (
    "Id",
    "Name",
    "Score",
    "Error",
    "Connectors",
    "NotAuthenticated",
    "NotAuthenticatedNames",
    "CyclesActive",
    "CyclesPaused",
    "CyclesInError",
    "ErrorIncidents",
    "WarningIncidents",
    "LastSuccessfulRun",
    "ParentAccountId",
)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_WINDOW = re.compile(r"\s*(\d+)\s*([mhdw])\s*")
_NEVER = "0001-01-01"  # Cyclr's LastSuccessfulRunDate for a cycle that never ran
# Names kept per row: an account with 300 broken installs must not make its row huge.
_MAX_NAMES = 20


def parse_window(window: object) -> timedelta:
    """``"24h"``, ``"7d"``, ``"30m"``, ``"2w"`` or a positive ``timedelta``."""
    if isinstance(window, timedelta):
        if window <= timedelta(0):
            raise ValidationError(f"window must be positive, got {window!r}")
        return window
    if not isinstance(window, str):
        raise type_error("window", 'a string such as "24h" or "7d", or a timedelta', window)
    match = _WINDOW.fullmatch(window)
    if match is None or int(match[1]) == 0:
        raise ValidationError(
            f'window must be a positive number of m, h, d or w (e.g. "24h", "7d"), got {window!r}'
        )
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


def stop_check(should_stop: object) -> Callable[[], bool]:
    """A ``threading.Event`` (its ``is_set``), a callable returning a bool, or ``None``."""
    if should_stop is None:
        return lambda: False
    if isinstance(should_stop, threading.Event):
        return should_stop.is_set
    if callable(should_stop):
        return lambda: bool(should_stop())
    raise type_error("should_stop", "a threading.Event, a callable or None", should_stop)


def _account(item: object) -> dict[str, Any]:
    if isinstance(item, str):
        return {"Id": check_account(item, name="accounts")}
    if isinstance(item, dict) and isinstance(item.get("Id"), str):
        return {
            "Id": check_account(item["Id"], name="accounts"),
            "Name": item.get("Name"),
            "ParentAccountId": item.get("ParentAccountId"),
        }
    raise type_error("accounts", "account API IDs (strings) or records with an Id", item)


def account_source(accounts: object) -> list[dict[str, Any]] | None:
    """The accounts to scan, checked before anything is sent; ``None`` means every account.

    Takes one API ID, a list (or any iterable) of API IDs or account records, or a DataFrame
    with an ``Id`` column (its ``Name`` and ``ParentAccountId`` are kept when present).
    """
    if accounts is None:
        return None
    if isinstance(accounts, str):
        return [_account(accounts)]
    columns = getattr(accounts, "columns", None)
    if columns is not None and hasattr(accounts, "to_dict"):  # a DataFrame, without pandas
        if "Id" not in columns:
            raise ValidationError("accounts: a DataFrame needs an 'Id' column")
        keep = [c for c in ("Id", "Name", "ParentAccountId") if c in columns]
        records = accounts[keep].to_dict("records")  # type: ignore[index]
        return [_account({k: _plain(v) for k, v in r.items()}) for r in records]
    if isinstance(accounts, dict) or not isinstance(accounts, Iterable):
        raise type_error("accounts", "an API ID, a list of them or a DataFrame", accounts)
    return [_account(a) for a in accounts]


def _plain(value: Any) -> Any:
    # pandas gives NaN/NA for a missing Name; a row wants None.
    return value if isinstance(value, str) else None


def score(row: dict[str, Any]) -> int:
    """The row's ``Score`` (see the module docstring): 100 is healthy, 0 the worst."""
    if row.get("Error") is not None:
        return 0
    penalty = (
        min(30, 10 * (row["NotAuthenticated"] or 0))
        + min(45, 15 * (row["CyclesInError"] or 0))
        + min(20, 2 * (row["ErrorIncidents"] or 0))
        + min(5, row["WarningIncidents"] or 0)
    )
    return max(0, 100 - penalty)


@dataclass
class Tally:
    """One account's counters, filled in as its listings' records arrive."""

    account: dict[str, Any]
    waiting: set[str]
    connectors: int = 0
    not_authenticated: list[str] = field(default_factory=list)
    missing: int = 0  # unauthenticated beyond the names kept
    active: int = 0
    paused: int = 0
    cycles_with_errors: set[str] = field(default_factory=set)
    cycles_erroring_now: set[str] = field(default_factory=set)
    errors: int = 0
    warnings: int = 0
    last_success: str | None = None
    error: str | None = None
    seen: set[str] = field(default_factory=set)

    def add(self, part: str, record: dict[str, Any]) -> None:
        """Fold one record of ``part``'s listing in (the record itself is not kept)."""
        if part == "account_connectors":
            self.connectors += 1
            if not record.get("Authenticated"):
                if len(self.not_authenticated) < _MAX_NAMES:
                    self.not_authenticated.append(str(record.get("Name")))
                else:
                    self.missing += 1
        elif part == "cycles":
            status = record.get("Status")
            self.active += status == "Active"
            self.paused += status == "Paused"
            if (record.get("ErrorCount") or 0) > 0:
                self.cycles_with_errors.add(str(record.get("Id")))
            last = record.get("LastSuccessfulRunDate")
            if isinstance(last, str) and not last.startswith(_NEVER):
                # ISO 8601 in one format (Cyclr's): text order is time order.
                self.last_success = max(self.last_success or last, last)
        elif part == "errors":
            self.errors += 1
            if record.get("CycleId"):
                self.cycles_erroring_now.add(str(record["CycleId"]))
        elif part == "warnings":
            self.warnings += 1

    def failed(self, part: str, exc: BaseException) -> None:
        """``part``'s listing failed: the row carries the first failure's message."""
        if self.error is None:
            self.error = f"{part}: {type(exc).__name__}: {exc}"

    def row(self) -> dict[str, Any]:
        """The account's row (see :data:`COLUMNS`); counts are ``None`` when it failed."""
        ok = self.error is None
        names = list(self.not_authenticated)
        if self.missing:
            names.append(f"... and {self.missing} more")
        row = {
            "Id": self.account["Id"],
            "Name": self.account.get("Name"),
            "Error": self.error,
            "Connectors": self.connectors if ok else None,
            "NotAuthenticated": len(self.not_authenticated) + self.missing if ok else None,
            "NotAuthenticatedNames": names,
            "CyclesActive": self.active if ok else None,
            "CyclesPaused": self.paused if ok else None,
            # A cycle is in error when Cyclr counts unresolved errors on it (ErrorCount) or it
            # raised an error incident in the window.
            "CyclesInError": len(self.cycles_with_errors | self.cycles_erroring_now)
            if ok
            else None,
            "ErrorIncidents": self.errors if ok else None,
            "WarningIncidents": self.warnings if ok else None,
            "LastSuccessfulRun": self.last_success,
            "ParentAccountId": self.account.get("ParentAccountId"),
        }
        row["Score"] = score(row)
        return {name: row[name] for name in COLUMNS}


class HealthScan:
    """One scan's plan and bookkeeping: which listings, the window, the accounts still to come.

    Shared by the I/O twins; every method is called from one thread (or one event loop) at a
    time, so it needs no lock.
    """

    def __init__(
        self,
        *,
        after: datetime,
        include_subaccounts: bool,
        concurrency: int,
        stop: Callable[[], bool],
    ) -> None:
        self.after = after.astimezone(timezone.utc)
        self.parts = PARTS + (("subaccounts",) if include_subaccounts else ())
        self.concurrency = concurrency
        self.should_stop = stop
        self.stopped = False  # set when a stop (or Ctrl-C) ended the scan early
        self.in_flight = 0
        self.done = 0
        self._seen: set[str] = set()
        self._found: deque[dict[str, Any]] = deque()  # sub-accounts still to scan

    def stop_now(self) -> bool:
        """Whether to start nothing more (checked between accounts)."""
        if not self.stopped and self.should_stop():
            self.stopped = True
        return self.stopped

    def next_found(self) -> dict[str, Any] | None:
        """A sub-account found and not scanned yet, if any."""
        while self._found:
            account = self._found.popleft()
            if account["Id"] not in self._seen:
                return account
        return None

    def has_found(self) -> bool:
        """Whether sub-accounts found wait to be scanned."""
        return bool(self._found)

    def is_new(self, account: dict[str, Any]) -> bool:
        """Whether ``account`` has not been started yet (an account is scanned once)."""
        return account["Id"] not in self._seen

    def next_account(self, source: Iterator[dict[str, Any]]) -> dict[str, Any] | None:
        """The next account not scanned yet: sub-accounts found first, then ``source``."""
        found = self.next_found()
        if found is not None:
            return found
        for account in source:
            if self.is_new(account):
                return account
        return None

    def begin(self, account: dict[str, Any]) -> Tally:
        """Start an account (its listings go out next)."""
        self._seen.add(account["Id"])
        self.in_flight += 1
        return Tally(account, set(self.parts))

    def listing(self, account_id: str, part: str) -> Listing:
        """The listing of ``part`` for ``account_id`` (incidents bounded by ``after=``)."""
        if part == "account_connectors":
            return ops.list_account_connectors(account_id)
        if part == "cycles":
            # includeIcons=false: the scan reads counts, and the connectors' base64 icons would
            # be most of each page's bytes.
            return ops.list_cycles(account_id, include_icons=False)
        if part == "subaccounts":
            return ops.list_subaccounts(account_id)
        level = "error" if part == "errors" else "warning"
        return ops.list_incidents(account_id, level, None, self.after, None)

    def add(self, tally: Tally, part: str, record: dict[str, Any]) -> None:
        """Fold one record of ``part`` into ``tally``; sub-accounts are queued for the scan.

        Called from the thread (or task) reading that listing: each part writes only its own
        fields of the tally, and the queue is a ``deque`` (thread-safe appends), so the parts of
        one account can run at once without a lock.
        """
        if part != "subaccounts":
            tally.add(part, record)
        elif isinstance(record.get("Id"), str):
            parent = record.get("ParentAccountId") or tally.account["Id"]
            self._found.append({**_account(record), "ParentAccountId": parent})

    def finish(self, tally: Tally, part: str, exc: BaseException | None) -> dict[str, Any] | None:
        """``part`` is over (``exc`` if it failed); the row once every part is."""
        if exc is not None:
            if not isinstance(exc, CyclrError):
                raise exc  # a bug, not an account's failure: never hidden in a row
            tally.failed(part, exc)
        tally.waiting.discard(part)
        if tally.waiting:
            return None
        self.in_flight -= 1
        self.done += 1
        return tally.row()


def health_frame(frame: Any, scan: HealthScan, error: str | None) -> Any:
    """The scan's DataFrame, worst first (``Score``, then ``Id``), with what it covered.

    ``attrs``: ``complete`` (no stop, no Ctrl-C, no failed accounts listing), ``error`` (that
    listing's failure), ``after`` (the window's start, ISO 8601).
    """
    frame = frame.sort_values(["Score", "Id"], kind="stable").reset_index(drop=True)
    frame.attrs["complete"] = not scan.stopped and error is None
    frame.attrs["error"] = error
    frame.attrs["after"] = scan.after.isoformat().replace("+00:00", "Z")
    return frame
