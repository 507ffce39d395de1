"""``DataTable``: a searchable, filterable table anywidget whose rows never enter widget state.

The table holds records (dicts as the client's ``iter_*`` listings yield them) and shows some of
their fields (a nested field by a dotted name, ``Connector.Name``). The rows travel to the front
end by custom message (``{"kind": "rows", ...}``) when a view says ``{"kind": "hello"}``, so a
view rendered later gets them too, and saving the notebook with widget state stores only a
handful of small traits (big tables would bloat saved notebooks). Filtering runs in JS; Python
mirrors the same rule in :attr:`DataTable.visible_df`, so the filtered view is readable from
Python as well. The DataFrames (:attr:`DataTable.data`) are built only when asked for, with the
columns and dtypes of the client's DataFrame listings (:mod:`cyclr_widgets.frames`).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import anywidget
import pandas as pd
import traitlets as t

from ..core import parse_datetime
from ..frames import SCHEMAS, to_frame
from ._esm import esm_path
from ._parts import Part
from ._rpc import MessageRouter

__all__ = ["DataTable", "TablePart", "format_cell", "lookup"]


def lookup(record: Mapping[str, Any], name: str) -> Any:
    """A record's field by a column name, dotted for a nested one (``Connector.AuthType``)."""
    value: Any = record
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def format_cell(value: Any) -> str:
    """Display text of a cell; the Python twin of ``formatCell`` in ``connector_table.js``."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(s for s in (format_cell(v) for v in value) if s)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def _timestamp(value: Any) -> Any:
    """A timestamp cell as ISO 8601 UTC; .NET's ``0001-01-01`` ("never") as empty."""
    try:
        when = parse_datetime(value)
    except ValueError:
        return value  # not a timestamp after all: shown as Cyclr sent it
    return None if when is None else when.isoformat()


class _TableState(t.HasTraits):
    """Records shown as a searchable table with an optional category filter.

    Parameters
    ----------
    rows : iterable of dict, optional
        The records; replace them later with :meth:`set_rows`.
    kind : str, optional
        The listing the records come from (a key of ``frames.SCHEMAS``, e.g. ``"cycles"``):
        :attr:`data` then has that listing's columns and dtypes, and its timestamp columns
        show as ISO 8601 UTC. Without it, :attr:`data` is ``pandas.json_normalize(rows)``.
    columns : sequence of str, optional
        The fields to show, dotted for nested ones (default: the first record's keys).
        Missing fields show as empty.
    id_column : str
        The field that identifies a row; :attr:`selected_id` holds its value as text. ``""``
        identifies rows by their position.
    category_column : str
        A field of lists (or scalars) offered in the category filter; ``""`` for none.
    caption : str
        A title above the table.
    """

    if TYPE_CHECKING:  # provided by the host class: anywidget.AnyWidget or Part

        def send(self, content: dict[str, Any], buffers: Any = None) -> None: ...

        def on_msg(self, callback: Callable[..., None], remove: bool = False) -> None: ...

        def hold_sync(self) -> contextlib.AbstractContextManager[Any]: ...

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
        rows: Iterable[Mapping[str, Any]] | None = None,
        *,
        kind: str | None = None,
        columns: Sequence[str] | None = None,
        id_column: str = "Id",
        category_column: str = "",
        caption: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(category_column=category_column, caption=caption, **kwargs)
        if kind is not None and kind not in SCHEMAS:
            raise ValueError(f"unknown listing {kind!r}; known: {sorted(SCHEMAS)}")
        self._kind_of_rows = kind
        self._columns = list(columns) if columns is not None else None
        self._id_column = id_column
        self._records: list[Mapping[str, Any]] = []
        self._frame: pd.DataFrame | None = None
        self._ids: list[str] = []
        self._hay: list[str] = []
        self._cats: list[list[str]] = []
        self._rows: list[list[Any]] = []
        # A lambda, not self.send: tests (and subclasses) may replace send on the instance.
        self._router = MessageRouter(lambda msg: self.send(msg))
        self._router.register("hello", self._on_hello)
        self.on_msg(self._router)
        self.observe(self._update_visible, names=["query", "category"])
        self.set_rows(rows if rows is not None else [])

    @property
    def rows(self) -> list[Mapping[str, Any]]:
        """The records behind the table, in order."""
        return self._records

    @property
    def data(self) -> pd.DataFrame:
        """The records as a DataFrame (built on first use, with the listing's fixed columns)."""
        if self._frame is None:
            self._frame = self._to_frame()
        return self._frame

    @property
    def columns(self) -> list[str]:
        """The columns shown, in order."""
        if self._columns is not None:
            return self._columns
        return [str(k) for k in self._records[0]] if self._records else []

    def set_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Replace the records, send them to every open view; keep the selection if it exists."""
        self._records = records = [r for r in rows if isinstance(r, Mapping)]
        self._frame = None
        self._ids = (
            [format_cell(lookup(r, self._id_column)) for r in records]
            if self._id_column
            else [str(i) for i in range(len(records))]
        )
        self._rows = cells = self._cells()
        # The same haystack as prepareRows() in JS, so visible_df matches what the user sees.
        self._hay = [
            "\x01".join([i, *map(format_cell, row)]).lower()
            for i, row in zip(self._ids, cells, strict=True)
        ]
        col = self.category_column
        self._cats = [self._as_cats(lookup(r, col)) if col else [] for r in records]
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
        """The selected record (every field, not just the shown ones), or None."""
        if not self.selected_id or self.selected_id not in self._ids:
            return None
        return dict(self._records[self._ids.index(self.selected_id)])

    @property
    def visible_df(self) -> pd.DataFrame:
        """The rows matching :attr:`query` and :attr:`category`, as the table shows them."""
        data = self.data
        return data[self._mask()] if len(data) else data

    def _to_frame(self) -> pd.DataFrame:
        if self._kind_of_rows is None:
            return pd.json_normalize(self._records) if self._records else pd.DataFrame()
        frame = to_frame(self._kind_of_rows, self._records)
        for name in self.columns:  # shown fields outside the listing's schema (a summary)
            if name not in frame.columns:
                frame[name] = [lookup(r, name) for r in self._records]
        return frame

    def _mask(self) -> list[bool]:
        words = self.query.lower().split()
        cat = self.category
        return [
            (not cat or cat in cats) and all(w in hay for w in words)
            for hay, cats in zip(self._hay, self._cats, strict=True)
        ]

    @staticmethod
    def _as_cats(value: Any) -> list[str]:
        if isinstance(value, list):
            return [format_cell(v) for v in value]
        return [] if value is None or value == "" else [format_cell(value)]

    def _cells(self) -> list[list[Any]]:
        # The shown fields only: icons and nested lists stay in the kernel.
        kinds = dict(SCHEMAS.get(self._kind_of_rows or "", ()))
        stamps = {name for name in self.columns if kinds.get(name) == "dt"}
        return [
            [self._cell(r, name, name in stamps) for name in self.columns] for r in self._records
        ]

    @staticmethod
    def _cell(record: Mapping[str, Any], name: str, timestamp: bool) -> Any:
        value = lookup(record, name)
        return _timestamp(value) if timestamp and value is not None else value

    def _update_visible(self, _change: object = None) -> None:
        self.visible_count = sum(self._mask())

    def _payload(self) -> dict[str, Any]:
        return {"kind": "rows", "columns": self.columns, "ids": self._ids, "rows": self._rows}

    def _send_rows(self) -> None:
        # A broadcast: every open view refreshes; views opened later ask with "hello".
        self.send(self._payload())

    def _on_hello(self, _content: dict[str, Any]) -> None:
        self._send_rows()


class DataTable(_TableState, anywidget.AnyWidget):  # type: ignore[misc]
    """A table as a widget of its own (``js/connector_table.js``); see :class:`TablePart`.

    The composed widgets host their tables as :class:`TablePart` on their own model; this one
    shows a table alone (and is what the table's own tests drive).
    """

    _esm = esm_path("connector_table.js")
    _css = esm_path("connector_table.css")
    _kind = t.Unicode("table").tag(sync=True)


class TablePart(_TableState, Part):
    """A table hosted on a composed widget's model (``js/parts/table.js``)."""

    _front_end_keys = ("query", "category", "selected_id", "visible_count")
