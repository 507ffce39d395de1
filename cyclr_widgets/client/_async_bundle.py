"""``AsyncCyclrClient.support_bundle``: what support needs about one account, in one zip.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_bundle`. It collects
the records (each part on its own: a part Cyclr refuses is noted in ``SUMMARY.md`` and
``errors.json``, the rest is still written); ``_bundle.py`` writes them, secrets scrubbed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from ..core import CyclrError, Diagnosis, ValidationError, group_incidents, parse_window
from . import _endpoints as ops
from ._async_diagnosis import AsyncDiagnosisMethods
from ._bundle import TABLES, bundle_formats, write_bundle
from ._bundle_summary import summary_markdown

__all__ = ["AsyncBundleMethods"]

# Transaction statuses that mean a run failed (Errored, Failed, CompletedWithErrors...).
_FAILED = re.compile(r"error|fail", re.I)


def _diagnosis_row(d: Diagnosis) -> dict[str, Any]:
    return {
        "AccountConnectorId": d.account_connector_id,
        "Name": d.name,
        "Authenticated": d.authenticated,
        "Reasons": ", ".join(d.codes),
        "Summary": d.summary,
        "Details": [{"Code": r.code, "Message": r.message, **r.details} for r in d.reasons],
    }


class AsyncBundleMethods(AsyncDiagnosisMethods):
    """The support bundle (and, through its base, the diagnoses)."""

    async def support_bundle(
        self,
        account_id: str | None,
        path: str | Path,
        *,
        window: timedelta | str = "7d",
        formats: Sequence[str] | None = None,
        max_failed_transactions: int = 50,
    ) -> Path:
        """Write a zip with what support needs about an account; every secret scrubbed.

        The zip holds, as ``<table>.csv`` and ``<table>.json`` (and ``.parquet`` when
        pyarrow is installed: the ``parquet`` extra): ``account`` (its record),
        ``account_connectors``, ``connector_diagnoses`` (why each is or is not
        authenticated), ``cycles``, ``incidents`` (errors and warnings in the window),
        ``incident_groups`` (by cycle, step and message, with first and last occurrence),
        ``transactions`` (in the window) and ``transaction_steps`` (every step record of the
        failed transactions: request and response dumps); plus ``SUMMARY.md`` (counts,
        connectors not authenticated with their diagnoses, cycles with incidents) and
        ``errors.json`` when a part could not be read. Every record is masked
        (``mask_secrets``) and every string scrubbed (credential headers of dumps, secret
        query values).

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        path
            The zip to write (overwritten); its folder must exist.
        window
            How far back the history goes (a ``timedelta`` or ``"24h"``, ``"7d"``...), by the
            client's ``clock``.
        formats
            Some of ``"csv"``, ``"json"``, ``"parquet"``; default CSV and JSON, plus Parquet
            when pyarrow is importable (asking for Parquet without it is a ``ValidationError``).
        max_failed_transactions
            Read the step records of at most this many failed transactions (the newest).

        Returns
        -------
        pathlib.Path
            ``path``. The zip is written with blocking file I/O (a few hundred kB).
        """
        acct = self._account(account_id)
        try:
            span = parse_window(window)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if span is None:
            raise ValidationError("window must be given (a timedelta or e.g. '7d')")
        chosen = bundle_formats(formats)
        now = self._now()
        tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        problems: dict[str, str] = {}
        try:
            tables["account"] = [await self._call(ops.get_account(acct))]
        except CyclrError as exc:
            problems["account"] = exc.message
        listings = {
            "account_connectors": ops.list_account_connectors(acct),
            "cycles": ops.list_cycles(acct, include_icons=False),
            "transactions": ops.list_transactions(acct, None, None, now - span, None, None),
        }
        for name, listing in listings.items():
            try:
                tables[name] = await self._collect(listing, None, False)
            except CyclrError as exc:
                problems[name] = exc.message
        for level in ("error", "warning"):
            try:
                listing = ops.list_incidents(acct, level, None, None, None, span, now)
                tables["incidents"] += await self._collect(listing, None, False)
            except CyclrError as exc:
                problems[f"incidents ({level})"] = exc.message
        diagnoses: list[Diagnosis] = []
        try:
            diagnoses = await self._diagnose_all(acct, tables["account_connectors"])
        except CyclrError as exc:
            problems["connector_diagnoses"] = exc.message
        tables["connector_diagnoses"] = [_diagnosis_row(d) for d in diagnoses]
        tables["incident_groups"] = group_incidents(tables["incidents"])
        for tx in self._failed(tables, max_failed_transactions):
            try:
                listing = ops.list_transaction_steps(acct, tx["CycleId"], tx["Id"], None)
                tables["transaction_steps"] += await self._collect(listing, None, False)
            except CyclrError as exc:
                problems[f"transaction_steps ({tx['Id']})"] = exc.message
        summary = summary_markdown(
            account_id=acct,
            account=tables["account"][0] if tables["account"] else None,
            now=now,
            window=span,
            counts={name: len(rows) for name, rows in tables.items()},
            diagnoses=diagnoses,
            groups=tables["incident_groups"],
            cycles=tables["cycles"],
            problems=problems,
            formats=chosen,
        )
        extra = {"errors": problems} if problems else None
        return write_bundle(path, tables, summary, chosen, extra)

    @staticmethod
    def _failed(tables: dict[str, list[dict[str, Any]]], most: int) -> list[dict[str, Any]]:
        """The failed transactions (by status, or named by an error incident), newest first."""
        named = {
            i.get("TransactionId")
            for i in tables["incidents"]
            if str(i.get("IncidentLevel", "")).lower() == "error"
        }
        failed = [
            t
            for t in tables["transactions"]
            if isinstance(t.get("Id"), str)
            and isinstance(t.get("CycleId"), str)
            and (_FAILED.search(str(t.get("Status") or "")) or t.get("Id") in named)
        ]
        failed.sort(key=lambda t: str(t.get("StartedOnUtc") or ""), reverse=True)
        return failed[: max(0, most)]
