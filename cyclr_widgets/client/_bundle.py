"""The support bundle's files: tables as CSV, JSON and Parquet in one zip, secrets scrubbed.

Sans-I/O apart from writing the zip: ``support_bundle`` (``_async_bundle.py``) collects the
records, :func:`write_bundle` writes them. Every record goes through :func:`scrub_record` first
(``mask_secrets`` at any depth, credential headers of HTTP dumps and secret query values
scrubbed in every string), so no file of the bundle can hold a secret Cyclr echoed.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core import MASK, ValidationError, mask_secrets, scrub_dump

__all__ = ["FORMATS", "TABLES", "bundle_formats", "scrub_record", "write_bundle"]

FORMATS = ("csv", "json", "parquet")
#: Each table of the bundle and the DataFrame kind (``frames.SCHEMAS``) of its files.
TABLES = {
    "account": "accounts",
    "account_connectors": "account_connectors",
    "connector_diagnoses": "connector_diagnoses",
    "cycles": "cycles",
    "incidents": "incidents",
    "incident_groups": "incident_groups",
    "transactions": "transactions",
    "transaction_steps": "transaction_steps",
}
# A secret in a URL's query (``?access_token=…``): dumps carry request lines with their URL.
_QUERY_SECRET = re.compile(
    r"(?i)([?&](?:access_?token|refresh_?token|token|api_?key|key|secret|client_?secret|"
    r"password|code|signature|sig)=)[^&\s\"']*"
)


def has_pyarrow() -> bool:
    """Whether Parquet files can be written (pyarrow is installed, the ``parquet`` extra)."""
    return importlib.util.find_spec("pyarrow") is not None


def bundle_formats(formats: Sequence[str] | None) -> tuple[str, ...]:
    """The formats to write: CSV and JSON, plus Parquet when pyarrow is there (``None``).

    An explicit ``"parquet"`` without pyarrow is a ``ValidationError`` naming the extra.
    """
    if formats is None:
        return ("csv", "json", "parquet") if has_pyarrow() else ("csv", "json")
    if isinstance(formats, str):
        formats = (formats,)
    chosen = tuple(dict.fromkeys(str(f).lower() for f in formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown or not chosen:
        raise ValidationError(f"formats must be some of {FORMATS}, got {tuple(formats)!r}")
    if "parquet" in chosen and not has_pyarrow():
        msg = "Parquet needs pyarrow: pip install 'cyclr-widgets[parquet]' (or leave it out)"
        raise ValidationError(msg)
    return chosen


def _scrub_strings(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _scrub_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_strings(v) for v in value]
    if isinstance(value, str):
        return _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, scrub_dump(value))
    return value


def scrub_record(record: Any) -> Any:
    """A copy of ``record`` with every secret masked: by name at any depth, in dumps, in URLs."""
    return _scrub_strings(mask_secrets(record))


def _flat(value: Any) -> Any:
    # CSV and Parquet cells hold scalars: nested objects and lists become their JSON text.
    if isinstance(value, (Mapping, list)):
        return json.dumps(value, default=str, sort_keys=True)
    return value


def _frame(kind: str, records: list[dict[str, Any]]) -> Any:
    # Imported here so that importing the client does not import pandas.
    from ..frames import to_frame

    df = to_frame(kind, records, include_icons=False)
    for column in df.columns:
        if df[column].dtype == object:
            df[column] = df[column].map(_flat)
    return df


def write_bundle(
    path: str | Path,
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    summary: str,
    formats: Sequence[str],
    extra: Mapping[str, Any] | None = None,
) -> Path:
    """Write the zip: ``<table>.csv|json|parquet`` per table, ``SUMMARY.md``, ``extra`` as JSON.

    Parameters
    ----------
    path
        Where (a missing ``.zip`` suffix is kept as given); parent folders must exist.
    tables
        Records per table name (:data:`TABLES` says which DataFrame columns come first).
    summary
        The Markdown text of ``SUMMARY.md`` (scrubbed too).
    formats
        From :func:`bundle_formats`.
    extra
        More JSON files (``{"errors": {...}}`` -> ``errors.json``), scrubbed.
    """
    target = Path(path)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("SUMMARY.md", _scrub_strings(summary))
        for name, items in tables.items():
            records = [scrub_record(dict(r)) for r in items]
            kind = TABLES[name]
            if "json" in formats:
                text = json.dumps(records, indent=2, default=str, ensure_ascii=False)
                zf.writestr(f"{name}.json", text)
            if "csv" in formats or "parquet" in formats:
                df = _frame(kind, records)
                if "csv" in formats:
                    zf.writestr(f"{name}.csv", df.to_csv(index=False))
                if "parquet" in formats:
                    buffer = io.BytesIO()
                    df.to_parquet(buffer, index=False)
                    zf.writestr(f"{name}.parquet", buffer.getvalue())
        for name, data in (extra or {}).items():
            zf.writestr(f"{name}.json", json.dumps(scrub_record(data), indent=2, default=str))
    return target
