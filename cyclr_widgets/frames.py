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

An empty listing still has every column. Undocumented extra fields are dropped, so the columns
do not change with what one page happens to contain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from .core import MASK, mask_properties

__all__ = ["SCHEMAS", "columns", "to_frame"]

SCHEMAS: dict[str, tuple[tuple[str, str], ...]] = {
    "connectors": (
        ("Id", "int"),
        ("Name", "str"),
        ("Description", "str"),
        ("Status", "str"),
        ("Version", "str"),
        ("AuthType", "str"),
        ("OAuth2Type", "str"),
        ("AuthScheme", "str"),
        ("AuthDescription", "str"),
        ("Categories", "list"),
        ("Authentication", "list"),
        ("Parameters", "list"),
        ("Icon", "icon"),
    ),
    "accounts": (
        ("Id", "str"),
        ("Name", "str"),
        ("Description", "str"),
        ("CreatedDate", "dt"),
        ("Timezone", "str"),
        ("NextBillDateUtc", "dt"),
        ("AuditInfo", "str"),
        ("TaskAuditInfo", "str"),
        ("StepDataSuccessRetentionHours", "int"),
        ("StepDataErroredRetentionHours", "int"),
        ("TransactionErrorWebhookEnabled", "bool"),
        ("TransactionErrorWebhookUrl", "str"),
        ("TransactionErrorWebhookIncludeWarnings", "bool"),
    ),
    "account_connectors": (
        ("Id", "int"),
        ("Name", "str"),
        ("Description", "str"),
        ("Authenticated", "bool"),
        ("AuthValue", "secret"),
        ("IsPartnerIntegrationConnector", "bool"),
        ("Connector.Id", "int"),
        ("Connector.Name", "str"),
        ("Connector.Version", "str"),
        ("Connector.Status", "str"),
        ("Connector.AuthType", "str"),
        ("Connector.OAuth2Type", "str"),
        ("Properties", "list"),
        ("Connector.Icon", "icon"),
    ),
    "account_connector_properties": (
        ("Id", "int"),
        ("Name", "str"),
        ("Value", "str"),
        ("AccountConnectorId", "int"),
    ),
    "templates": (
        ("Id", "str"),
        ("Name", "str"),
        ("Description", "str"),
        ("Connectors", "list"),
        ("Tags", "list"),
    ),
    "cycles": (
        ("Id", "str"),
        ("Name", "str"),
        ("Description", "str"),
        ("TemplateId", "str"),
        ("CreatedOnUtc", "dt"),
        ("Status", "str"),
        ("LastSuccessfulRunDate", "dt"),
        ("TasksUsed", "int"),
        ("ErrorCount", "int"),
        ("WarningCount", "int"),
        ("InProgressTransactionCount", "int"),
        ("Connectors", "list"),
        ("Shareable", "bool"),
        ("ContinueOnStepError", "bool"),
        ("LogStepDataRequests", "bool"),
        ("StepErrorAction", "str"),
        ("CollectionSplitType", "str"),
        ("Tags", "list"),
        ("StepDataSuccessRetentionHours", "int"),
        ("StepDataErroredRetentionHours", "int"),
    ),
    # The sources show only Id and CycleId of a transaction; Status is implied by the `status`
    # filter, and the run times and task count are what Cyclr's Console shows for each run (our
    # best guess at the field names, as the sandbox serves them).
    "transactions": (
        ("Id", "str"),
        ("CycleId", "str"),
        ("CycleName", "str"),
        ("Status", "str"),
        ("StartedOnUtc", "dt"),
        ("CompletedOnUtc", "dt"),
        ("TasksUsed", "int"),
    ),
    "incidents": (
        ("CycleId", "str"),
        ("CycleName", "str"),
        ("IncidentLevel", "str"),
        ("ShortMessage", "str"),
        ("FullMessage", "str"),
        ("StepId", "str"),
        ("StepName", "str"),
        ("TransactionId", "str"),
    ),
    # -- issue #11, client side (the item shapes below are R-only or undocumented: R §3.2,
    # §3.5, §4.2; the columns are the fields R names, and every other field is kept after them).
    # The users list's item shape is not documented: UserName is the name PUT .../users takes.
    "account_users": (
        ("Id", "str"),
        ("UserName", "str"),
        ("Email", "str"),
    ),
    "connector_methods": (
        ("Id", "int"),
        ("Name", "str"),
        ("Description", "str"),
        ("MethodUniqueIdentifier", "str"),
        ("EndPoint", "str"),
        ("Category", "str"),
        ("MethodType", "str"),
        ("Parameters", "list"),
    ),
    "account_connector_fields": (
        ("Id", "int"),
        ("ConnectorField", "str"),
        ("SystemField", "str"),
        ("DisplayName", "str"),
        ("Description", "str"),
        ("DataType", "str"),
        ("MethodUniqueIdentifier", "str"),
        ("DataTypeFormat", "str"),
        ("EntityIdentifier", "str"),
        ("ForRequestFormat", "str"),
    ),
    "custom_connectors": (
        ("Id", "int"),
        ("Name", "str"),
        ("Description", "str"),
        ("Version", "str"),
        ("Status", "str"),
        ("AuthType", "str"),
        ("Icon", "icon"),
    ),
}
# Cyclr's sub-accounts are accounts (R §4.1): the same columns.
SCHEMAS["subaccounts"] = SCHEMAS["accounts"]

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


def _get(item: Mapping[str, Any], dotted: str) -> Any:
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


def _clean_list(value: Any, include_icons: bool, mask: bool) -> list[Any]:
    if not isinstance(value, list):
        return []  # missing/null: an empty list keeps `.str.len()` and loops working
    if mask:
        value = mask_properties(value)
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
        ``account_connector_properties``, ``templates``, ``cycles``, ``transactions``,
        ``incidents``.
    items
        The objects as Cyclr sent them.
    include_icons
        Keep base64 ``Icon`` columns and nested ``Icon`` keys (left out by default: large).

    Returns
    -------
    pandas.DataFrame
        One row per item; secrets (``AuthValue``, secret-looking property values) masked.
    """
    rows = [item for item in items if isinstance(item, Mapping)]
    data: dict[str, pd.Series] = {}
    for name, col_kind in _schema(kind):
        if col_kind == "icon" and not include_icons:
            continue
        values = [_get(row, name) for row in rows]
        if col_kind == "list":
            mask = name == "Properties"
            values = [_clean_list(v, include_icons, mask) for v in values]
        elif kind == "account_connector_properties" and name == "Value":
            values = [
                MASK if v is not None and mask_properties([row])[0].get("Value") == MASK else v
                for row, v in zip(rows, values, strict=True)
            ]
        data[name] = _column(values, col_kind)
    return pd.DataFrame(data, index=pd.RangeIndex(len(rows)))
