"""The store's connector methods, users, custom fields and custom connectors (a mixin of Store)."""

from __future__ import annotations

import json
import sqlite3
import threading
from typing import Any

__all__ = ["LIBRARY_SCHEMA", "LIBRARY_TABLES", "LibraryMixin"]

LIBRARY_SCHEMA = """
CREATE TABLE IF NOT EXISTS methods (id INTEGER PRIMARY KEY, connector_id INTEGER NOT NULL,
    uid TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS method_conn ON methods (connector_id);
CREATE TABLE IF NOT EXISTS custom_fields (id INTEGER PRIMARY KEY AUTOINCREMENT,
    ac_id INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS custom_connectors (id INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id TEXT NOT NULL, data TEXT NOT NULL);
"""
LIBRARY_TABLES = ["methods", "custom_fields", "custom_connectors"]


class LibraryMixin:
    """Reads and seed writes of the tables above; ``Store`` provides ``db`` and ``lock``."""

    db: sqlite3.Connection
    lock: threading.RLock
    _methods: dict[int, list[dict[str, Any]]]

    def write_library(self, db: sqlite3.Connection, data: dict[str, Any]) -> None:
        """Write the seeded methods, users, custom fields and custom connectors."""
        db.executemany(
            "INSERT INTO methods VALUES (?, ?, ?, ?)",
            [
                (m["Id"], m["ConnectorId"], m["MethodUniqueIdentifier"], json.dumps(m))
                for m in data.get("methods", [])
            ],
        )
        db.executemany(
            "INSERT INTO users (account_id, username, password, id) VALUES (?, ?, ?, ?)",
            [
                (u["AccountId"], u["UserName"], u["Password"], u["Id"])
                for u in data.get("users", [])
            ],
        )
        db.executemany(
            "INSERT INTO custom_fields (id, ac_id, data) VALUES (?, ?, ?)",
            [
                (f["Id"], f["AccountConnectorId"], json.dumps(f))
                for f in data.get("custom_fields", [])
            ],
        )
        db.executemany(
            "INSERT INTO custom_connectors (id, account_id, data) VALUES (?, ?, ?)",
            [(c["Id"], c["AccountId"], json.dumps(c)) for c in data.get("custom_connectors", [])],
        )

    def load_methods(self) -> None:
        """Cache the methods per connector (the library never changes after seeding)."""
        self._methods = {}
        for row in self.db.execute("SELECT data FROM methods ORDER BY id").fetchall():
            m = json.loads(row["data"])
            self._methods.setdefault(m["ConnectorId"], []).append(m)

    def methods(self, connector_id: int) -> list[dict[str, Any]]:
        """The methods of one connector, in id order (copies)."""
        return [dict(m) for m in self._methods.get(connector_id, [])]

    def method(self, method_id: int) -> dict[str, Any] | None:
        """One method by its integer id."""
        with self.lock:
            row = self.db.execute("SELECT data FROM methods WHERE id=?", (method_id,)).fetchone()
        return json.loads(row["data"]) if row else None

    def users(self, account_id: str) -> list[dict[str, Any]]:
        """The account's users as Cyclr lists them (never the password)."""
        with self.lock:
            rows = self.db.execute(
                "SELECT id, username FROM users WHERE account_id=? ORDER BY rowid", (account_id,)
            ).fetchall()
        return [{"Id": r["id"], "UserName": r["username"]} for r in rows]

    def custom_fields(self, ac_id: int) -> list[dict[str, Any]]:
        """The custom fields of one account connector, in id order."""
        with self.lock:
            rows = self.db.execute(
                "SELECT id, data FROM custom_fields WHERE ac_id=? ORDER BY id", (ac_id,)
            ).fetchall()
        return [{**json.loads(r["data"]), "Id": r["id"]} for r in rows]

    def custom_connectors(self, account_id: str) -> list[dict[str, Any]]:
        """The account's custom connectors, in id order."""
        with self.lock:
            rows = self.db.execute(
                "SELECT id, data FROM custom_connectors WHERE account_id=? ORDER BY id",
                (account_id,),
            ).fetchall()
        return [{**json.loads(r["data"]), "Id": r["id"]} for r in rows]
