# Generated from _async_diagnosis.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient``'s diagnoses: why a connector is not authenticated, why a cycle fails.

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_diagnosis`. The
decisions are sans-I/O (``core.diagnose_account_connector``, ``core.group_incidents``); these
methods fetch the records they read.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from ..core import (
    Diagnosis,
    ValidationError,
    diagnose_account_connector,
    group_incidents,
    parse_window,
)
from . import _endpoints as ops
from ._sync_io import SyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["DiagnosisMethods"]


def _connector_id(record: dict[str, Any]) -> int | None:
    nested = record.get("Connector")
    cid = nested.get("Id") if isinstance(nested, dict) else None
    return cid if isinstance(cid, int) and not isinstance(cid, bool) else None


class DiagnosisMethods(SyncIO):
    """Diagnoses of account connectors and cycles."""

    def diagnose_account_connector(
        self,
        account_id: str | None,
        account_connector_id: int,
        *,
        outcome: str | None = None,
    ) -> Diagnosis:
        """Why an installed connector is not authenticated, when that can be known.

        Reads the account connector (its ``Properties``, and the expiry times of its stored
        OAuth tokens, which Cyclr echoes in ``AuthValue``; nothing else of it is kept) and its
        library connector (``Parameters[]``: which properties are required).

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        account_connector_id
            The installed connector.
        outcome
            How a browser sign-in just ended, if one did (``"denied"``).

        Returns
        -------
        Diagnosis
            ``authenticated``, ``reasons`` (``Reason(code, message, details)``: missing
            properties named, the customer's OAuth app missing, tokens expired, no
            credentials, sign-in refused, unknown) and a one-sentence ``summary``.
        """
        acct = self._account(account_id)
        op = ops.get_account_connector_with_token_times(acct, account_connector_id)
        record, tokens = self._call(op)
        return self._diagnose(acct, record, tokens, outcome)

    def diagnose_account_connectors(self, account_id: str | None = None) -> list[Diagnosis]:
        """A :class:`Diagnosis` for every connector installed in the account, in Cyclr's order.

        Authenticated ones cost no extra call; each other one reads its account connector and
        library connector (one library read per connector release).
        """
        acct = self._account(account_id)
        records = self._collect(ops.list_account_connectors(acct), None, False)
        return self._diagnose_all(acct, records)

    def _diagnose_all(self, acct: str, records: list[dict[str, Any]]) -> list[Diagnosis]:
        """Diagnose listed account connectors (each failing one read again, with token times)."""
        library: dict[int, dict[str, Any]] = {}
        out = []
        for listed in records:
            if listed.get("Authenticated") or not isinstance(listed.get("Id"), int):
                out.append(diagnose_account_connector(listed, now=self._now()))
                continue
            op = ops.get_account_connector_with_token_times(acct, listed["Id"])
            record, tokens = self._call(op)
            out.append(self._diagnose(acct, record, tokens, None, library))
        return out

    def _diagnose(
        self,
        acct: str,
        record: dict[str, Any],
        tokens: dict[str, str],
        outcome: str | None,
        library: dict[int, dict[str, Any]] | None = None,
    ) -> Diagnosis:
        cid = _connector_id(record)
        connector = None
        if cid is not None and not record.get("Authenticated"):
            cache = library if library is not None else {}
            if cid not in cache:
                cache[cid] = self._call(ops.get_connector(acct, cid))
            connector = cache[cid]
        return diagnose_account_connector(
            record, connector, outcome=outcome, tokens=tokens, now=self._now()
        )

    def cycle_diagnosis(
        self,
        account_id: str | None,
        cycle_id: str,
        *,
        window: timedelta | str | None = "7d",
    ) -> pd.DataFrame:
        """A failing cycle's incidents grouped by step, level and message, as a DataFrame.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        cycle_id
            The cycle's GUID.
        window
            How far back (a ``timedelta`` or ``"90m"``, ``"24h"``, ``"7d"``, ``"2w"``; by the
            client's ``clock``); ``None`` for every incident.

        Returns
        -------
        pandas.DataFrame
            One row per group: ``CycleId``, ``CycleName``, ``StepId``, ``StepName``,
            ``IncidentLevel``, ``ShortMessage``, ``Count``, ``FirstOccurredUtc``,
            ``LastOccurredUtc`` (UTC datetimes), ``LastTransactionId`` and
            ``LastFullMessage`` (secrets scrubbed); the most recent group first.
        """
        try:
            span = parse_window(window)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        listing = ops.list_incidents(
            self._account(account_id), "error", cycle_id, None, None, span, self._now()
        )
        incidents = self._collect(listing, None, False)
        return self._frame("incident_groups", group_incidents(incidents))
