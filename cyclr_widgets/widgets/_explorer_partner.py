"""The explorer's partner view: every account's health, worst first, filling in as the scan goes.

``AccountExplorer(client)`` with no account opens here (issue #13): one row per account from
the client's health scan (``iter_account_health``), sorted by ``Score`` ascending (worst first),
a progress bar (accounts done of the accounts listed), Stop (the rows gathered stay), Refresh,
a window (24 hours or 7 days) and a click on a row opening that account in the account view.

The scan runs on a thread (``PartnerScan``): a comm callback that scanned 3,000 accounts would
hold the kernel, so that no Stop click could even arrive. Its rows reach the widget through
``_handoff.Handoff`` (applied on the kernel's main thread; that module says why) in batches,
and the front end by custom message (``{"kind": "rows", "reset": ..., "rows": [...]}``: only
the batch, appended and sorted by the view); the synced state is a few counters, never a row.
Everything here reads Cyclr, nothing changes it: read-only mode keeps all of it.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import pandas as pd
import traitlets as t

from ..core import CyclrError, ExplorerClient
from ..frames import to_frame
from ._columns import specs
from ._handoff import Handoff
from ._parts import Part
from ._rpc import MessageRouter

__all__ = ["COLUMNS", "WINDOWS", "HealthTablePart", "PartnerScan"]

log = logging.getLogger("cyclr_widgets")

#: The columns shown, in order (the scan's row has more: ``health_df`` keeps them all).
COLUMNS = (
    "Score", "Name", "Id", "NotAuthenticated", "CyclesInError", "ErrorIncidents",
    "WarningIncidents", "LastSuccessfulRun", "Error",
)  # fmt: skip
#: The windows offered: errors and warnings counted over the last day (default) or week.
WINDOWS = ("24h", "7d")
# How long rows gather before a batch goes to the front end: a few messages a second however
# fast the scan runs (a message per row would be thousands for a big partner).
_BATCH_SECONDS = 0.25
_INLINE_BATCH = 100  # without an event loop (no kernel): a batch every so many rows too


def _sort_key(row: Mapping[str, Any]) -> tuple[int, str]:
    # As health_frame() sorts (Score, then Id); a row without a score counts as the worst.
    score = row.get("Score")
    return (score if isinstance(score, int) else 0, str(row.get("Id")))


class HealthTablePart(Part):
    """The partner view's table: health rows kept sorted, sent to the view in batches."""

    _front_end_keys = ("selected_id", "window")
    window = t.Enum(WINDOWS, "24h", help="The incidents' window: '24h' or '7d'.").tag(sync=True)
    running = t.Bool(False, help="Whether a scan is running.").tag(sync=True)
    done = t.Int(0, help="Accounts scanned so far.").tag(sync=True)
    total = t.Int(-1, help="Accounts to scan, -1 while unknown.").tag(sync=True)
    row_count = t.Int(0, help="Rows the table holds.").tag(sync=True)
    selected_id = t.Unicode("", help="The account clicked ('' for none).").tag(sync=True)
    message = t.Unicode("", help="What the last scan covered (plain text).").tag(sync=True)
    error = t.Unicode("", help="Why the scan could not run: Cyclr's message.").tag(sync=True)

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        super().__init__()
        #: "Now" for the relative times ("3 h ago"): the client's clock, never the browser's.
        self.clock = clock
        self._rows: list[dict[str, Any]] = []
        self._keys: list[tuple[int, str]] = []
        self._frame: pd.DataFrame | None = None
        self._commands: dict[str, Callable[[], None]] = {}
        router = MessageRouter(lambda msg: self.send(msg))
        router.register("hello", self._on_hello)
        router.register("stop", self._command)
        router.register("refresh", self._command)
        self.on_msg(router)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The rows so far, worst first."""
        return list(self._rows)

    @property
    def data(self) -> pd.DataFrame:
        """The rows as ``client.account_health()`` gives them (every column), worst first."""
        if self._frame is None:
            self._frame = to_frame("account_health", self._rows)
        return self._frame

    def on_command(self, kind: str, callback: Callable[[], None]) -> None:
        """Call ``callback()`` when the view sends ``{"kind": kind}`` (``stop``, ``refresh``)."""
        self._commands[kind] = callback

    def reset(self, total: int) -> None:
        """Empty the table for a new scan of ``total`` accounts (-1: not known yet)."""
        self._rows, self._keys, self._frame = [], [], None
        with self.hold_sync():
            self.selected_id = ""
            self.done, self.total, self.row_count = 0, total, 0
            self.running, self.message, self.error = True, "", ""
        self.send(self._payload([], reset=True))

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        """Add a batch of rows in their places (worst first); the views get the batch only."""
        if not rows:
            return
        for row in rows:
            key = _sort_key(row)
            at = bisect.bisect_right(self._keys, key)
            self._keys.insert(at, key)
            self._rows.insert(at, row)
        self._frame = None
        with self.hold_sync():
            self.done += len(rows)
            self.row_count = len(self._rows)
        self.send(self._payload(rows, reset=False))

    def _payload(self, rows: Sequence[Mapping[str, Any]], *, reset: bool) -> dict[str, Any]:
        now = self.clock() if self.clock is not None else None
        if now is not None and now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return {
            "kind": "rows",
            "reset": reset,
            "columns": list(COLUMNS),
            # Labels and kinds (the score is drawn as a chip by its band in the view).
            "specs": [c.describe() for c in specs(COLUMNS)],
            "now": None if now is None else now.astimezone(timezone.utc).isoformat(),
            "ids": [str(r.get("Id")) for r in rows],
            "rows": [[r.get(c) for c in COLUMNS] for r in rows],
        }

    def _on_hello(self, _content: dict[str, Any]) -> None:
        # A view opened (or re-rendered): every row so far, in one message.
        self.send(self._payload(self._rows, reset=True))

    def _command(self, content: dict[str, Any]) -> None:
        callback = self._commands.get(str(content.get("kind")))
        if callback is not None:
            callback()


class _Run:
    """One scan's thread-side state: its stop, where its rows wait for the next batch."""

    def __init__(self, window: str) -> None:
        self.window = window
        self.stop = threading.Event()
        self.handoff = Handoff()  # made on the caller's thread: the kernel's main thread
        self.lock = threading.Lock()
        self.waiting: list[dict[str, Any]] = []
        self.flush_due = False
        self.last_flush = time.monotonic()
        self.thread: threading.Thread | None = None


class PartnerScan:
    """Runs the health scan behind a :class:`HealthTablePart`, one scan at a time, on a thread.

    Parameters
    ----------
    client : ExplorerClient
        Its ``iter_accounts`` and ``iter_account_health`` are called on the scan's thread (the
        sync client is thread-safe: one connection pool, one limiter for every thread).
    table : HealthTablePart
        Where the rows, the progress and the errors show.
    """

    def __init__(self, client: ExplorerClient, table: HealthTablePart) -> None:
        self._client = client
        self._table = table
        self._run: _Run | None = None
        self._accounts: list[Mapping[str, Any]] | None = None

    @property
    def started(self) -> bool:
        """Whether a scan was ever started."""
        return self._run is not None

    @property
    def running(self) -> bool:
        """Whether the current scan's thread is still going."""
        run = self._run
        return run is not None and run.thread is not None and run.thread.is_alive()

    def start(self, accounts: Sequence[Mapping[str, Any]] | None = None) -> None:
        """Scan ``accounts`` (records with ``Id``), or the accounts listed anew when ``None``.

        A scan still running is stopped first (its rows are dropped: the table starts over).
        """
        self.stop()
        self._accounts = None if accounts is None else list(accounts)
        self._run = run = _Run(self._table.window)
        self._table.reset(-1 if self._accounts is None else len(self._accounts))
        run.thread = threading.Thread(
            target=self._scan, args=(run, self._accounts), name="cyclr-partner-scan", daemon=True
        )
        run.thread.start()

    def rescan(self) -> None:
        """Scan the accounts of the last scan again (a new window), listing them if unknown."""
        self.start(self._accounts)

    def stop(self) -> None:
        """Start no more accounts; the rows gathered stay (the table says it was stopped)."""
        run = self._run
        if run is not None and not run.stop.is_set():
            run.stop.set()
            if self._table.running:
                self._table.message = "Stopping: waiting for the requests in flight..."

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the scan's thread (tests, scripts); True when it is over."""
        run = self._run
        if run is None or run.thread is None:
            return True
        run.thread.join(timeout)
        return not run.thread.is_alive()

    # -- on the scan's thread ----------------------------------------------------------------

    def _scan(self, run: _Run, accounts: list[Mapping[str, Any]] | None) -> None:
        try:
            if accounts is None:
                accounts = list(self._client.iter_accounts(progress=False))
                found = accounts
                self._post(run, lambda: self._listed(found))
            rows = self._client.iter_account_health(
                accounts, window=run.window, should_stop=run.stop.is_set
            )
            for row in rows:
                self._queue(run, row)
        except CyclrError as exc:  # the accounts listing (an account's failure is its row)
            message = f"Could not list the accounts: {exc.message}"
            self._post(run, lambda: setattr(self._table, "error", message))
        except Exception as exc:  # a bug: logged by type, never a traceback in the widget
            log.error("cyclr_widgets: the partner scan failed (%s)", type(exc).__name__)
            message = f"Internal error ({type(exc).__name__}); see the 'cyclr_widgets' log."
            self._post(run, lambda: setattr(self._table, "error", message))
        finally:
            self._post(run, lambda: self._finish(run))

    def _queue(self, run: _Run, row: dict[str, Any]) -> None:
        with run.lock:
            run.waiting.append(row)
            if run.handoff.on_loop:
                schedule, run.flush_due = not run.flush_due, True
            else:
                since = time.monotonic() - run.last_flush
                schedule = len(run.waiting) >= _INLINE_BATCH or since >= _BATCH_SECONDS
        if schedule:
            self._post(run, lambda: self._flush(run), delay=_BATCH_SECONDS)

    def _post(self, run: _Run, callback: Callable[[], None], *, delay: float = 0.0) -> None:
        # A superseded scan's late updates are dropped: the table belongs to the newest one.
        def current() -> None:
            if run is self._run:
                callback()

        run.handoff.call(current, delay=delay)

    # -- on the main thread (or inline, locked) ------------------------------------------------

    def _listed(self, accounts: list[Mapping[str, Any]]) -> None:
        self._accounts = accounts
        self._table.total = len(accounts)

    def _flush(self, run: _Run) -> None:
        with run.lock:
            batch, run.waiting = run.waiting, []
            run.flush_due, run.last_flush = False, time.monotonic()
        self._table.add(batch)

    def _finish(self, run: _Run) -> None:
        self._flush(run)
        table = self._table
        done, total = table.done, table.total
        of = f" of {total:,}" if total >= 0 else ""
        with table.hold_sync():
            table.running = False
            if table.error:
                table.message = ""
            elif run.stop.is_set() and (total < 0 or done < total):
                table.message = f"Stopped after {done:,}{of} accounts: the rows so far are kept."
            else:
                days = "24 hours" if run.window == "24h" else "7 days"
                table.message = f"{done:,} accounts scanned (incidents of the last {days})."


class PartnerMixin:
    """The partner view of ``AccountExplorer``: its health table, scan and view switching."""

    view: str
    accounts_table: Any  # TablePart: the accounts listed when the explorer opened
    health_table: HealthTablePart
    partner_scan: PartnerScan
    _accounts_listed: bool

    def select_account(self, account_id: str) -> None:
        raise NotImplementedError  # pragma: no cover - AccountExplorer provides it

    def _init_partner(
        self, client: ExplorerClient, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.health_table = table = HealthTablePart(clock)
        self.partner_scan = PartnerScan(client, table)
        table.on_command("stop", self.stop_scan)
        table.on_command("refresh", self.scan_partner)
        table.observe(self._on_health_pick, names="selected_id")
        table.observe(self._on_health_window, names="window")

    @property
    def health_df(self) -> pd.DataFrame:
        """The partner view's rows so far (``account_health``'s columns), worst first."""
        return self.health_table.data

    def show_partner(self) -> None:
        """Show the partner view (as its back button does); its first showing starts the scan."""
        self.view = "partner"

    def scan_partner(self, window: str | None = None) -> None:
        """(Re)scan every account (listed anew), over ``window`` (``"24h"``, ``"7d"``) if given."""
        if window is not None:
            self._window_quiet = True  # one scan, below, not also its observer's
            try:
                self.health_table.window = window
            finally:
                self._window_quiet = False
        self.partner_scan.start()

    def stop_scan(self) -> None:
        """Stop the partner scan; the rows gathered stay."""
        self.partner_scan.stop()

    def _on_view(self, _change: object = None) -> None:
        if self.view != "partner":
            return
        self.health_table.selected_id = ""  # the same account can be opened again
        if not self.partner_scan.started:
            # The accounts the explorer listed when it opened, when that worked; else listed
            # again on the scan's thread, so that Cyclr's refusal shows in this view too.
            accounts = self.accounts_table.rows if self._accounts_listed else None
            self.partner_scan.start(accounts)

    def _on_health_pick(self, _change: object = None) -> None:
        account = self.health_table.selected_id
        if account:
            self.view = "account"
            self.select_account(account)

    def _on_health_window(self, _change: object = None) -> None:
        if not getattr(self, "_window_quiet", False):
            self.partner_scan.rescan()

    def close(self) -> None:
        """Stop the scan, then close the widget."""
        self.partner_scan.stop()
        super().close()  # type: ignore[misc]
