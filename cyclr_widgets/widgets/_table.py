"""``DataTable``: a searchable, filterable table anywidget whose rows never enter widget state.

The rows travel to the front end by custom message (``{"kind": "rows", ...}``) when a view says
``{"kind": "hello"}``, so a view rendered later gets them too, and saving the notebook with
widget state stores only a handful of small traits (big tables would bloat saved notebooks).
Filtering runs in JS; Python mirrors the same rule in :attr:`DataTable.visible_df`, so the
filtered view is readable from Python as well.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import anywidget
import pandas as pd
import traitlets as t

from ._esm import esm_path
from ._rpc import MessageRouter

__all__ = ["TABLE_CSS", "DataTable", "format_cell", "jsonable"]

TABLE_CSS = """
.cyclr-table, .cyclr-install-form {
  font: 13px/1.4 var(--jp-ui-font-family, system-ui, sans-serif);
}
.cyclr-table-toolbar { display: flex; gap: 8px; align-items: center; margin: 4px 0; }
.cyclr-table-search { flex: 1 1 auto; min-width: 12em; padding: 3px 6px; }
.cyclr-table-count { color: var(--jp-ui-font-color2, #666); white-space: nowrap; }
.cyclr-table-caption { font-weight: 600; }
.cyclr-table-scroll { max-height: 360px; overflow: auto; border: 1px solid #ddd; }
.cyclr-table table { border-collapse: collapse; width: 100%; }
.cyclr-table th {
  position: sticky; top: 0; background: var(--jp-layout-color2, #f3f3f3); text-align: left;
}
.cyclr-table th, .cyclr-table td { padding: 2px 8px; border-bottom: 1px solid #eee; }
.cyclr-table-row { cursor: pointer; }
.cyclr-table-row:hover { background: rgba(0, 120, 215, .08); }
.cyclr-table-row.selected { background: rgba(0, 120, 215, .2); }
.cyclr-install-form { display: grid; gap: 6px; max-width: 32em; margin: 6px 0; }
.cyclr-install-field { display: grid; gap: 2px; }
.cyclr-install-title { font-weight: 600; }
.cyclr-install-btn:disabled { opacity: .6; }
.cyclr-install-message[data-state="error"] { color: #b00020; white-space: pre-wrap; }
.cyclr-install-message[data-state="ok"] { color: #1b5e20; }
.cyclr-install-message[data-state="busy"] { color: #555; }
"""


def jsonable(value: Any) -> Any:
    """Turn one DataFrame cell into plain JSON (NaN/NaT -> None, numpy scalars -> Python)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (int, float)):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def format_cell(value: Any) -> str:
    """Display text of a cell; the Python twin of ``formatCell`` in ``connector_table.js``."""
    value = jsonable(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(s for s in (format_cell(v) for v in value) if s)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        import json

        return json.dumps(value, separators=(",", ":"))
    return str(value)


class DataTable(anywidget.AnyWidget):
    """A DataFrame shown as a searchable table with an optional category filter.

    Parameters
    ----------
    data : pandas.DataFrame, optional
        The rows; replace them later with :meth:`set_data`.
    columns : sequence of str, optional
        The columns to show (default: all). Missing columns show as empty.
    id_column : str
        The column that identifies a row; :attr:`selected_id` holds its value as text.
    category_column : str
        A column of lists (or scalars) offered in the category filter; ``""`` for none.
    caption : str
        A title above the table.
    """

    _esm = esm_path("connector_table.js")
    _css = TABLE_CSS
    _kind = t.Unicode("table").tag(sync=True)

    query = t.Unicode("", help="The search text (every word must match a column).").tag(sync=True)
    category = t.Unicode("", help="The category filter, '' for all.").tag(sync=True)
    categories = t.List(t.Unicode(), help="Category names offered by the filter.").tag(sync=True)
    category_column = t.Unicode("", help="The column the category filter reads.").tag(sync=True)
    selected_id = t.Unicode("", help="The id (as text) of the selected row, '' for none.").tag(
        sync=True
    )
    row_count = t.Int(0, help="How many rows the table holds.").tag(sync=True)
    visible_count = t.Int(0, help="How many rows match the search and filter.").tag(sync=True)
    caption = t.Unicode("", help="A title shown above the table.").tag(sync=True)

    def __init__(
        self,
        data: pd.DataFrame | None = None,
        *,
        columns: Sequence[str] | None = None,
        id_column: str = "Id",
        category_column: str = "",
        caption: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(category_column=category_column, caption=caption, **kwargs)
        self._columns = list(columns) if columns is not None else None
        self._id_column = id_column
        self._data = pd.DataFrame()
        self._ids: list[str] = []
        self._hay: list[str] = []
        self._cats: list[list[str]] = []
        self._rows: list[list[Any]] = []
        # A lambda, not self.send: tests (and subclasses) may replace send on the instance.
        self._router = MessageRouter(lambda msg: self.send(msg))
        self._router.register("hello", self._on_hello)
        self.on_msg(self._router)
        self.observe(self._update_visible, names=["query", "category"])
        self.set_data(data if data is not None else pd.DataFrame())

    @property
    def data(self) -> pd.DataFrame:
        """The full DataFrame behind the table."""
        return self._data

    @property
    def columns(self) -> list[str]:
        """The columns shown, in order."""
        return self._columns if self._columns is not None else [str(c) for c in self._data.columns]

    def set_data(self, data: pd.DataFrame) -> None:
        """Replace the rows, send them to every open view; keep the selection if it still exists."""
        self._data = data.reset_index(drop=True)
        ids = data[self._id_column] if self._id_column in data.columns else data.index
        self._ids = [format_cell(v) for v in ids]
        self._rows = cells = self._cells()
        # The same haystack as prepareRows() in JS, so visible_df matches what the user sees.
        self._hay = [
            "\x01".join([i, *map(format_cell, row)]).lower()
            for i, row in zip(self._ids, cells, strict=True)
        ]
        col = self.category_column
        in_data = col in data.columns
        self._cats = [self._as_cats(v) for v in data[col]] if in_data else [[]] * len(self._ids)
        self.categories = sorted({c for cats in self._cats for c in cats})
        if self.category and self.category not in self.categories:
            self.category = ""
        self.row_count = len(self._ids)
        if self.selected_id and self.selected_id not in self._ids:
            self.selected_id = ""
        self._update_visible()
        self._send_rows()

    @property
    def selected(self) -> dict[str, Any] | None:
        """The selected row as a dict of all its columns (not just the shown ones), or None."""
        if not self.selected_id or self.selected_id not in self._ids:
            return None
        row = self._data.iloc[self._ids.index(self.selected_id)]
        return {str(k): v for k, v in row.items()}

    @property
    def visible_df(self) -> pd.DataFrame:
        """The rows matching :attr:`query` and :attr:`category`, as the table shows them."""
        return self._data[self._mask()] if len(self._data) else self._data

    def _mask(self) -> list[bool]:
        words = self.query.lower().split()
        cat = self.category
        return [
            (not cat or cat in cats) and all(w in hay for w in words)
            for hay, cats in zip(self._hay, self._cats, strict=True)
        ]

    @staticmethod
    def _as_cats(value: Any) -> list[str]:
        value = jsonable(value)
        if isinstance(value, list):
            return [format_cell(v) for v in value]
        return [] if value is None or value == "" else [format_cell(value)]

    def _cells(self) -> list[list[Any]]:
        # One pass over the shown columns only: icons and nested lists stay in the kernel.
        frame = self._data.reindex(columns=self.columns)
        return [[jsonable(v) for v in row] for row in frame.itertuples(index=False, name=None)]

    def _update_visible(self, _change: object = None) -> None:
        self.visible_count = sum(self._mask())

    def _payload(self) -> dict[str, Any]:
        return {"kind": "rows", "columns": self.columns, "ids": self._ids, "rows": self._rows}

    def _send_rows(self) -> None:
        # A broadcast: every open view refreshes; views opened later ask with "hello".
        self.send(self._payload())

    def _on_hello(self, _content: dict[str, Any]) -> None:
        self._send_rows()
