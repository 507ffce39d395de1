"""The cycles' inner state in SQLite: steps, edges, variables, step fields and step records.

``_store.py`` runs :data:`SCHEMA` with its own, lists :data:`TABLES` among the seeded tables and
calls :func:`load` from ``reset()``. Rows are JSON documents beside the columns that are looked
up; the routes (``routes/_cycle_state.py`` and the cycle-side modules) shape them for replies.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

__all__ = ["SCHEMA", "TABLES", "load"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS steps (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    cycle_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS steps_cycle ON steps (cycle_id);
CREATE TABLE IF NOT EXISTS edges (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    cycle_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS edges_cycle ON edges (cycle_id);
CREATE TABLE IF NOT EXISTS variables (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    cycle_id TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL, UNIQUE (cycle_id, name));
CREATE TABLE IF NOT EXISTS step_fields (step_id TEXT NOT NULL, kind TEXT NOT NULL,
    id INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (step_id, kind, id));
CREATE TABLE IF NOT EXISTS tx_steps (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    transaction_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS tx_steps_tx ON tx_steps (transaction_id);
CREATE TABLE IF NOT EXISTS template_folders (id TEXT PRIMARY KEY, name TEXT NOT NULL);
"""
TABLES = ["steps", "edges", "variables", "step_fields", "tx_steps", "template_folders"]


def load(db: sqlite3.Connection, data: dict[str, Any]) -> None:
    """Write the seed's rows of :data:`TABLES` (inside the caller's transaction)."""
    db.executemany(
        "INSERT INTO steps (id, cycle_id, data) VALUES (?, ?, ?)",
        [(s["Id"], s["CycleId"], json.dumps(s)) for s in data.get("steps", [])],
    )
    db.executemany(
        "INSERT INTO edges (id, cycle_id, data) VALUES (?, ?, ?)",
        [(e["Id"], e["CycleId"], json.dumps(e)) for e in data.get("edges", [])],
    )
    db.executemany(
        "INSERT INTO variables (cycle_id, name, data) VALUES (?, ?, ?)",
        [(v["CycleId"], v["SystemName"], json.dumps(v)) for v in data.get("variables", [])],
    )
    db.executemany(
        "INSERT INTO step_fields (step_id, kind, id, data) VALUES (?, ?, ?, ?)",
        [
            (f["StepId"], f["Kind"], f["Id"], json.dumps(f["Data"]))
            for f in data.get("step_fields", [])
        ],
    )
    db.executemany(
        "INSERT INTO tx_steps (transaction_id, data) VALUES (?, ?)",
        [(r["TransactionId"], json.dumps(r)) for r in data.get("tx_steps", [])],
    )
    db.executemany(
        "INSERT INTO template_folders (id, name) VALUES (?, ?)",
        [(f["Id"], f["Name"]) for f in data.get("template_folders", [])],
    )
