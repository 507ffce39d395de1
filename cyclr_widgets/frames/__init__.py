"""Cyclr listings as pandas DataFrames with fixed columns and dtypes.

The only pandas importer of the client layer. Column names are Cyclr's own field names; a nested
object is flattened with dots (``Connector.Id``) as :func:`pandas.json_normalize` would. Dtypes
are the same on pandas 2.1+ and 3.x because every column's dtype is set explicitly:

========  ==============================  ============================================
kind      dtype                           notes
========  ==============================  ============================================
int       ``Int64``                       nullable
str       ``string``                      ``pd.NA`` when missing
bool      ``boolean``                     nullable
dt        ``datetime64[ns, UTC]``         .NET ``0001-01-01T00:00:00`` becomes ``NaT``
list      ``object``                      Python lists (``[]`` when missing)
secret    ``string``                      ``"***"`` when set, ``pd.NA`` when null
icon      ``string``                      only with ``include_icons=True``
========  ==============================  ============================================

An empty listing still has every column. Nothing Cyclr sends is dropped: after the fixed columns
come every other field of the records, flattened the same way, in the order first seen (their
dtype inferred: ``Int64``, ``boolean`` or ``string`` when every value fits, else ``object``).
So a real account shows real data where Cyclr's docs are silent, and the fixed columns stay
first and typed whatever one page happens to contain.

Secrets are masked wherever they sit (:func:`cyclr_widgets.core.mask_secrets`): a field whose
name looks secret (``AuthValue``, ``*Token*``, ``*Secret*``, ``*Password*``, ``ApiKey``...),
nested ones and those inside list cells included, ``{"Name": "ClientSecret", "Value": ...}``
property pairs, and credential headers in HTTP dumps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..core import MASK, mask_secrets
from ._schemas import SCHEMAS

__all__ = ["SCHEMAS", "columns", "lookup", "to_frame"]

_DTYPES = {
    "int": "Int64",
    "str": "string",
    "bool": "boolean",
    "dt": "datetime64[ns, UTC]",
    "list": "object",
    "secret": "string",
    "icon": "string",
}


def columns(kind: str, *, include_icons: bool = False) -> list[str]:
    """The column names of listing ``kind`` (e.g. ``"connectors"``), in order."""
    return [name for name, k in _schema(kind) if include_icons or k != "icon"]


def _schema(kind: str) -> tuple[tuple[str, str], ...]:
    try:
        return SCHEMAS[kind]
    except KeyError:
        raise ValueError(f"unknown listing {kind!r}; known: {sorted(SCHEMAS)}") from None


def lookup(item: Mapping[str, Any], dotted: str) -> Any:
    """A record's field by a column name, dotted for a nested one (``Connector.AuthType``).

    None where a part is missing or its parent is not a mapping (Cyclr may send null there).
    """
    if "." not in dotted:  # most columns: one lookup
        return item.get(dotted)
    value: Any = item
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def _timestamp(value: Any) -> Any:
    if value is None or value == "":
        return pd.NaT
    try:
        ts = pd.Timestamp(value)  # keeps all 7 of .NET's fractional digits (100 ns)
    except (ValueError, TypeError):
        return pd.NaT
    if ts is pd.NaT or ts.year <= 1:
        return pd.NaT
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def _clean_list(value: Any, include_icons: bool) -> list[Any]:
    if not isinstance(value, list):
        return []  # missing/null: an empty list keeps `.str.len()` and loops working
    if include_icons:
        return list(value)
    return [
        {k: v for k, v in x.items() if k != "Icon"} if isinstance(x, Mapping) else x for x in value
    ]


def _column(values: list[Any], kind: str) -> pd.Series:
    if kind == "dt":
        stamps = [_timestamp(v) for v in values]
        return pd.Series(stamps, dtype="datetime64[ns, UTC]")
    if kind == "list":
        # Fill a 1-D object array cell by cell: handing the lists to the Series constructor (or
        # np.array) would try to unpack them into a 2-D array.
        cells = np.empty(len(values), dtype=object)
        for i, v in enumerate(values):
            cells[i] = v
        return pd.Series(cells, dtype="object")
    if kind == "secret":
        values = [None if v is None else MASK for v in values]
    elif kind in ("str", "icon"):
        values = [None if v is None else str(v) for v in values]
    elif kind == "int":
        values = [_int(v) for v in values]
    elif kind == "bool":
        values = [v if isinstance(v, bool) else None for v in values]
    return pd.Series(values, dtype=_DTYPES[kind])


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def to_frame(
    kind: str, items: Iterable[Mapping[str, Any]], *, include_icons: bool = False
) -> pd.DataFrame:
    """Turn a listing's JSON objects into a DataFrame with the fixed columns of ``kind``.

    Parameters
    ----------
    kind
        One of ``SCHEMAS``: ``connectors``, ``accounts``, ``account_connectors``,
        ``account_connector_properties``, ``templates``, ``cycles``, ``upgradeable_cycles``,
        ``cycle_steps``, ``cycle_edges``, ``cycle_variables``, ``step_fields_for_mapping``,
        ``step_field_mappings``, ``step_parameters``, ``transactions``,
        ``transaction_steps``, ``incidents``.
    items
        The objects as Cyclr sent them.
    include_icons
        Keep base64 ``Icon`` columns and nested ``Icon`` keys (left out by default: large).

    Returns
    -------
    pandas.DataFrame
        One row per item: the schema's columns, then every other field Cyclr sent; secrets
        masked wherever they sit.
    """
    schema = _schema(kind)
    rows = [mask_secrets(item) for item in items if isinstance(item, Mapping)]
    data: dict[str, pd.Series] = {}
    for name, col_kind in schema:
        if col_kind == "icon" and not include_icons:
            continue
        values = [lookup(row, name) for row in rows]
        if col_kind == "list":
            values = [_clean_list(v, include_icons) for v in values]
        data[name] = _column(values, col_kind)
    for name, values in _extras(rows, schema, include_icons).items():
        data[name] = _inferred(values)
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))


def _flatten(item: Mapping[str, Any], prefix: str, fixed: set[str], out: dict[str, Any]) -> None:
    # Nested objects become dotted columns, as pandas.json_normalize names them; a fixed column
    # (even a dotted one, or a list kept whole) is not split further.
    for key, value in item.items():
        name = f"{prefix}{key}"
        if name in fixed:
            continue
        if isinstance(value, Mapping) and value and not any(f == name for f in fixed):
            _flatten(value, f"{name}.", fixed, out)
        else:
            out[name] = value


def _extras(
    rows: list[Mapping[str, Any]], schema: tuple[tuple[str, str], ...], include_icons: bool
) -> dict[str, list[Any]]:
    """Every field of ``rows`` the schema has no column for: name -> one value per row."""
    fixed = {name for name, _ in schema}
    flat_rows = []
    order: dict[str, None] = {}
    for row in rows:
        flat: dict[str, Any] = {}
        _flatten(row, "", fixed, flat)
        for name in flat:
            if include_icons or name.rsplit(".", 1)[-1] != "Icon":
                order.setdefault(name)
        flat_rows.append(flat)
    return {name: [flat.get(name) for flat in flat_rows] for name in order}


def _inferred(values: list[Any]) -> pd.Series:
    """A column of fields the schema does not know: the narrowest dtype all its values fit."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return _column(values, "bool")
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return _column(values, "int")
    if present and all(isinstance(v, str) for v in present):
        return _column(values, "str")
    return _column(values, "list")  # object cells, lists and mixed values kept as they came
