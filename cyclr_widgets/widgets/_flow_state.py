"""The OAuth flow's bookkeeping: one running flow, a pending confirmation, a step being built.

Split from ``_flow.py`` (the state machine), which imports these; like it, this module knows no
widget and no kernel (the standard library, ``core`` and ``_flow_types`` only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..core import CyclrError
from ._flow_types import Message, Step

__all__ = ["Check", "Out", "Run", "transient", "utc_now"]


class Out:
    """A step being put together while an event runs."""

    def __init__(self) -> None:
        self.fields: dict[str, Any] = {}
        self.send: list[Message] = []

    def __setitem__(self, key: str, value: Any) -> None:
        self.fields[key] = value

    def step(self) -> Step:
        return Step(send=tuple(self.send), **self.fields)


@dataclass(frozen=True)
class Check:
    """A confirmation the flow asked for: what "not authenticated" means then."""

    or_else: str | None  # end with this status; None: a poll (decided by what happened)
    final: bool = False  # end even when Cyclr could not be asked
    manual: bool = False  # "Check now": say "not yet"


@dataclass
class Run:
    flow_id: str
    callback_message: str = field(repr=False)
    target_origin: str
    deadline: float
    blocked: bool
    token_expires_at: datetime | None = None
    closed_at: float | None = None
    callback_seen: bool = False
    pending: Check | None = None


def transient(exc: CyclrError) -> bool:
    # Rate limits, 5xx and transport failures (no status) are worth retrying by polling.
    code = exc.status_code
    return code is None or code == 429 or code >= 500


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
