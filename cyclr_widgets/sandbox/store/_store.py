"""SQLite state for the sandbox (stdlib ``sqlite3``).

One connection guarded by one re-entrant lock: the three servers share one event loop, and the
``Sandbox`` object (test thread) reads and resets the same store, so every access holds the lock.
Entities are stored as JSON documents next to the few columns that are filtered or updated.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..seed import build_seed, move_dates
from ._cycle_store import SCHEMA as CYCLE_SCHEMA
from ._cycle_store import TABLES as CYCLE_TABLES
from ._cycle_store import load as load_cycle_parts
from ._library import LIBRARY_SCHEMA, LIBRARY_TABLES, LibraryMixin

__all__ = ["Store"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    name TEXT NOT NULL, parent TEXT, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS connectors (id INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS templates (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS account_connectors (id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL, connector_id INTEGER NOT NULL, name TEXT, description TEXT,
    authentication_id TEXT, auth_value TEXT, authenticated INTEGER NOT NULL DEFAULT 0,
    partner INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS ac_account ON account_connectors (account_id);
CREATE TABLE IF NOT EXISTS properties (id INTEGER PRIMARY KEY AUTOINCREMENT,
    ac_id INTEGER NOT NULL, name TEXT NOT NULL, value TEXT);
CREATE INDEX IF NOT EXISTS prop_ac ON properties (ac_id);
CREATE TABLE IF NOT EXISTS cycles (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE,
    account_id TEXT NOT NULL, status TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS cyc_account ON cycles (account_id);
CREATE TABLE IF NOT EXISTS transactions (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT,
    account_id TEXT NOT NULL, cycle_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tx_account ON transactions (account_id, cycle_id);
CREATE TABLE IF NOT EXISTS incidents (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT,
    account_id TEXT NOT NULL, cycle_id TEXT NOT NULL, level TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS inc_account ON incidents (account_id, level);
CREATE TABLE IF NOT EXISTS users (account_id TEXT, username TEXT, password TEXT, id TEXT,
    PRIMARY KEY (account_id, username));
CREATE TABLE IF NOT EXISTS api_tokens (token TEXT PRIMARY KEY, expires REAL NOT NULL, scope TEXT);
CREATE TABLE IF NOT EXISTS signin_tokens (token TEXT PRIMARY KEY, account_id TEXT NOT NULL,
    expires REAL NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS oauth_states (state TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS provider_codes (code TEXT PRIMARY KEY, data TEXT NOT NULL);
"""
# Tables that reset() rebuilds; API tokens survive so live clients keep working.
SEEDED = [
    "accounts",
    "connectors",
    "templates",
    "account_connectors",
    "properties",
    "cycles",
    "transactions",
    "incidents",
    "users",
    "signin_tokens",
    "oauth_states",
    "provider_codes",
    *LIBRARY_TABLES,
]
# The cycles' inner tables (steps, edges, variables, step fields, step records): _cycle_store.py.
SCHEMA += CYCLE_SCHEMA
SEEDED += CYCLE_TABLES


class Store(LibraryMixin):
    """The sandbox's state: a thread-safe wrapper around one SQLite connection."""

    def __init__(
        self,
        path: str | None,
        *,
        seed: int,
        accounts: int | None,
        connectors: int | None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.path = path or ":memory:"
        self.clock: Callable[[], float] = clock or time.time
        self._seed_args = (seed, accounts, connectors)
        self.lock = threading.RLock()
        self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        if path:
            self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA + LIBRARY_SCHEMA)
        self.ids: dict[str, Any] = {}
        self._connectors: dict[int, dict[str, Any]] = {}
        row = self.db.execute("SELECT value FROM meta WHERE key='ids'").fetchone()
        if row is None:
            self.reset()
        else:  # an existing --db file: keep its state, only reload the caches
            self.ids = json.loads(row["value"])
            self._load_cache()

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and run the body in one transaction (rolled back on error)."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def reset(self) -> None:
        """Drop every seeded table's rows and write the seed again."""
        # Dated so the history is recent on this sandbox's clock (seed/_seed_dates.py).
        data = move_dates(build_seed(*self._seed_args), self.clock())
        with self.tx() as db:
            for table in SEEDED:
                db.execute(f"DELETE FROM {table}")
            db.execute("DELETE FROM sqlite_sequence")
            db.executemany(
                "INSERT INTO connectors VALUES (?, ?)",
                [(c["Id"], json.dumps(c)) for c in data["connectors"]],
            )
            db.executemany(
                "INSERT INTO accounts (id, name, parent, data) VALUES (?, ?, ?, ?)",
                [
                    (a["Id"], a["Name"], a["ParentAccountId"], json.dumps(a))
                    for a in data["accounts"]
                ],
            )
            db.executemany(
                "INSERT INTO templates (id, data) VALUES (?, ?)",
                [(t["Id"], json.dumps(t)) for t in data["templates"]],
            )
            db.executemany(
                "INSERT INTO account_connectors VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r["Id"],
                        r["AccountId"],
                        r["ConnectorId"],
                        r["Name"],
                        r["Description"],
                        r["AuthenticationId"],
                        r["AuthValue"],
                        int(r["Authenticated"]),
                        int(r.get("IsPartnerIntegrationConnector", False)),
                    )
                    for r in data["account_connectors"]
                ],
            )
            db.executemany(
                "INSERT INTO properties (ac_id, name, value) VALUES (?, ?, ?)",
                [(p["AccountConnectorId"], p["Name"], p["Value"]) for p in data["properties"]],
            )
            db.executemany(
                "INSERT INTO cycles (id, account_id, status, data) VALUES (?, ?, ?, ?)",
                [(c["Id"], c["AccountId"], c["Status"], json.dumps(c)) for c in data["cycles"]],
            )
            db.executemany(
                "INSERT INTO transactions (id, account_id, cycle_id, data) VALUES (?, ?, ?, ?)",
                [
                    (t["Id"], t["AccountId"], t["CycleId"], json.dumps(t))
                    for t in data["transactions"]
                ],
            )
            db.executemany(
                "INSERT INTO incidents (id, account_id, cycle_id, level, data) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (i["Id"], i["AccountId"], i["CycleId"], i["IncidentLevel"], json.dumps(i))
                    for i in data["incidents"]
                ],
            )
            self.write_library(db, data)
            load_cycle_parts(db, data)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('ids', ?)", (json.dumps(data["ids"]),))
        self.ids = data["ids"]
        self._load_cache()

    def _load_cache(self) -> None:
        # The connector library never changes after seeding, so it is parsed once.
        rows = self.db.execute("SELECT data FROM connectors ORDER BY id").fetchall()
        self._connectors = {c["Id"]: c for c in (json.loads(r["data"]) for r in rows)}
        self.load_methods()

    # -- generic helpers -------------------------------------------------------------------

    def all(self, sql: str, *args: Any) -> list[sqlite3.Row]:
        with self.lock:
            return self.db.execute(sql, args).fetchall()

    def one(self, sql: str, *args: Any) -> sqlite3.Row | None:
        with self.lock:
            return self.db.execute(sql, args).fetchone()

    def page(
        self,
        table: str,
        where: str,
        args: tuple[Any, ...],
        order: str,
        desc: bool,
        page: int,
        size: int,
    ) -> tuple[list[dict[str, Any]], int]:
        """Return one page of JSON documents plus the total count of matches."""
        with self.lock:
            total = self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", args).fetchone()[
                0
            ]
            rows = self.db.execute(
                f"SELECT data FROM {table} WHERE {where} "
                f"ORDER BY {order} {'DESC' if desc else 'ASC'} LIMIT ? OFFSET ?",
                (*args, size, (page - 1) * size),
            ).fetchall()
        return [json.loads(r["data"]) for r in rows], total

    # -- connectors and account connectors --------------------------------------------------

    def connectors(self) -> list[dict[str, Any]]:
        return list(self._connectors.values())

    def connector(self, cid: int) -> dict[str, Any] | None:
        return self._connectors.get(cid)

    def account(self, acc_id: str) -> dict[str, Any] | None:
        row = self.one("SELECT data FROM accounts WHERE id=?", acc_id)
        return json.loads(row["data"]) if row else None

    def ac_row(self, account_id: str | None, ac_id: int) -> sqlite3.Row | None:
        if account_id is None:
            return self.one("SELECT * FROM account_connectors WHERE id=?", ac_id)
        return self.one(
            "SELECT * FROM account_connectors WHERE id=? AND account_id=?", ac_id, account_id
        )

    def properties(self, ac_id: int) -> list[dict[str, Any]]:
        rows = self.all("SELECT * FROM properties WHERE ac_id=? ORDER BY name, id", ac_id)
        return [
            {"Name": r["name"], "Value": r["value"], "Id": r["id"], "AccountConnectorId": ac_id}
            for r in rows
        ]

    def ac_json(self, row: sqlite3.Row) -> dict[str, Any]:
        """Shape an account connector like Cyclr's GET /account/connectors/{id}."""
        c = dict(self._connectors[row["connector_id"]])
        c.pop("Authentication", None)
        return {
            "Id": row["id"],
            "Name": row["name"],
            "Description": row["description"],
            "AuthValue": row["auth_value"],
            "Authenticated": bool(row["authenticated"]),
            "AuthenticationId": row["authentication_id"],
            "Connector": c,
            "IsPartnerIntegrationConnector": bool(row["partner"]),
            "Properties": self.properties(row["id"]),
            "CustomFields": self.custom_fields(row["id"]),
        }

    def missing_required(self, ac_id: int, connector: dict[str, Any]) -> list[str]:
        """Names of required account-connector properties that have no value yet."""
        have = {p["Name"] for p in self.properties(ac_id) if p["Value"] not in (None, "")}
        return [
            p["TargetName"]
            for p in connector["Parameters"]
            if p["IsAccountConnectorProperty"]
            and not p["IsOptional"]
            and p["TargetName"] not in have
        ]

    def cycle_json(self, data: dict[str, Any], status: str) -> dict[str, Any]:
        """Shape a stored cycle document like Cyclr's cycle object (connectors read live)."""
        conns = []
        for ac_id in data["AccountConnectorIds"]:
            row = self.ac_row(None, ac_id)
            if row is None:
                continue
            c = self._connectors[row["connector_id"]]
            conns.append(
                {
                    "Id": c["Id"],
                    "AccountConnectorId": ac_id,
                    "Name": c["Name"],
                    "Version": c["Version"],
                    "Authenticated": bool(row["authenticated"]),
                    "StepCount": 1,
                    "Icon": c["Icon"],
                }
            )
        with self.lock:
            counts = {
                lvl: self.db.execute(
                    "SELECT COUNT(*) FROM incidents WHERE cycle_id=? AND level=?", (data["Id"], lvl)
                ).fetchone()[0]
                for lvl in ("Error", "Warning")
            }
            last = self.db.execute(
                "SELECT data FROM transactions WHERE cycle_id=? ORDER BY seq DESC LIMIT 1",
                (data["Id"],),
            ).fetchone()
        return {
            "Id": data["Id"],
            "Name": data["Name"],
            "Description": data["Description"],
            "TemplateId": data["TemplateId"],
            "CreatedOnUtc": data["CreatedOnUtc"],
            "Status": status,
            "LastSuccessfulRunDate": json.loads(last["data"])["CompletedOnUtc"]
            if last
            else "0001-01-01T00:00:00",
            "TasksUsed": data["TasksUsed"],
            "ErrorCount": counts["Error"],
            "WarningCount": counts["Warning"],
            "InProgressTransactionCount": 0,
            "Connectors": conns,
            "Shareable": False,
            "ContinueOnStepError": True,
            "LogStepDataRequests": True,
            "StepErrorAction": "Ignore",
            "CollectionSplitType": "All",
            "Tags": data["Tags"],
            "StepDataSuccessRetentionHours": None,
            "StepDataErroredRetentionHours": None,
        }

    def cycle(self, account_id: str, cycle_id: str) -> dict[str, Any] | None:
        row = self.one(
            "SELECT data, status FROM cycles WHERE id=? AND account_id=?", cycle_id, account_id
        )
        return self.cycle_json(json.loads(row["data"]), row["status"]) if row else None
