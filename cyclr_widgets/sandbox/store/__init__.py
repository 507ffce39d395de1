"""The sandbox's state: one SQLite database (in memory, or a file kept across restarts)."""

from __future__ import annotations

from ._store import Store

__all__ = ["Store"]
