"""``DataTable``: a searchable, filterable table anywidget whose rows never enter widget state.

The table holds records (dicts as the client's ``iter_*`` listings yield them) and shows some of
their fields (a nested field by a dotted name, ``Connector.Name``). The rows travel to the front
end by custom message (``{"kind": "rows", ...}``) when a view says ``{"kind": "hello"}``, so a
view rendered later gets them too, and saving the notebook with widget state stores only a
handful of small traits (big tables would bloat saved notebooks). Filtering runs in JS; Python
mirrors the same rule in :attr:`DataTable.visible_df`, so the filtered view is readable from
Python as well. The DataFrames (:attr:`DataTable.data`) are built only when asked for, with the
columns and dtypes of the client's DataFrame listings (:mod:`cyclr_widgets.frames`).

Each column has a label and a kind (``_columns.py``): the rows message carries them, with the
client's clock "now" (times show relative to it, never to the browser's clock) and the zone
their exact time is shown in. Icons come by message for the rows a view shows
(``{"kind": "icons", "ids": [...]}``), a row's button by ``{"kind": "row_action", "id", "action"}``.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

import anywidget
import pandas as pd
import traitlets as t

from ..core import parse_datetime
from ..frames import SCHEMAS, lookup, to_frame
from ._columns import Column, specs
from ._esm import esm_path
from ._icons import PENDING, IconAnswer
from ._parts import Part
from ._rpc import MessageRouter

__all__ = ["DataTable", "TablePart", "format_cell", "lookup"]

log = logging.getLogger("cyclr_widgets")
MAX_ICONS_PER_MESSAGE = 200  # a view asks for the rows it shows (at most 200 are rendered)
ICON_BATCH = 20  # icons per answer


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
    columns : sequence of str or Column, optional
        The fields to show, dotted for nested ones (default: the first record's keys), each
        with a label and a kind (``_columns.specs``: known fields get theirs by default);
        ``@icon`` and ``@actions`` are the row's icon and buttons. Missing fields show empty.
    id_column : str
        The field that identifies a row; :attr:`selected_id` holds its value as text. ``""``
        identifies rows by their position.
    category_column : str
        A field of lists (or scalars) offered in the category filter; ``""`` for none.
    caption : str
        A title above the table (also the table's accessible name).
    label : str
        The table's accessible name while the caption is empty.
    filter_label, filter_options : str, sequence of str
        What the filter select is called ("Level") and values it always offers.
    clock : callable, optional
        ``clock() -> datetime``: "now" for the relative times (the client's clock).
    icons : callable, optional
        ``icons(record) -> str | None``: the row's icon (``_icons.safe_icon``-checked), or
        ``_icons.PENDING`` while it is being read (then :meth:`send_pending_icons` sends it).
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
        columns: Sequence[str | Column] | None = None,
        id_column: str = "Id",
        category_column: str = "",
        caption: str = "",
        label: str = "",
        filter_label: str = "Category",
        filter_options: Sequence[str] = (),
        clock: Callable[[], datetime] | None = None,
        icons: Callable[[Mapping[str, Any]], IconAnswer] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(category_column=category_column, caption=caption, **kwargs)
        if kind is not None and kind not in SCHEMAS:
            raise ValueError(f"unknown listing {kind!r}; known: {sorted(SCHEMAS)}")
        self._kind_of_rows = kind
        self._specs: list[Column] | None = specs(columns) if columns is not None else None
        self._label, self._filter_label = label, filter_label
        self._filter_options = list(filter_options)
        self.clock, self.icons = clock, icons
        #: The IANA zone the exact times are shown in (the account's); "" for the browser's.
        self.zone = ""
        self._row_actions: list[Callable[[Mapping[str, Any], str], Any]] = []
        self._pending_icons: set[str] = set()  # row ids whose icon is still being read
        self._id_column = id_column
        self._records: list[Mapping[str, Any]] = []
        self._frame: pd.DataFrame | None = None
        self._ids: list[str] = []
        self._by_id: dict[str, Mapping[str, Any]] = {}  # each id's record (the first, as shown)
        self._hay: list[str] = []
        self._cats: list[list[str]] = []
        self._rows: list[list[Any]] = []
        # A lambda, not self.send: tests (and subclasses) may replace send on the instance.
        self._router = MessageRouter(lambda msg: self.send(msg))
        self._router.register("hello", self._on_hello)
        self._router.register("icons", self._on_icons)
        self._router.register("row_action", self._on_row_action)
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
        """The fields shown, in order (Cyclr's names; the icon and buttons columns left out)."""
        return [c.field for c in self.specs if not c.field.startswith("@")]

    @property
    def specs(self) -> list[Column]:
        """The columns shown, with their labels and kinds (the icon and buttons included)."""
        if self._specs is not None:
            return self._specs
        return specs([str(k) for k in self._records[0]]) if self._records else []

    def on_row_action(
        self, callback: Callable[[Mapping[str, Any], str], Any], remove: bool = False
    ) -> None:
        """Call ``callback(record, action)`` when a row's button (``@actions``) is clicked."""
        if remove:
            self._row_actions = [c for c in self._row_actions if c is not callback]
        else:
            self._row_actions.append(callback)

    def row_action(self, row_id: str, action: str) -> bool:
        """Do what a click on row ``row_id``'s ``action`` button does; False if not offered."""
        record = self._by_id.get(row_id)
        if record is None:
            return False
        offered = [c for c in self.specs if c.kind == "actions"]
        names = {str(a[0]) for c in offered for a in (self._cell(record, c) or []) if a}
        if action not in names:
            return False
        for callback in list(self._row_actions):
            callback(record, action)
        return True

    def set_rows(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Replace the records, send them to every open view; keep the selection if it exists."""
        self._records = records = [r for r in rows if isinstance(r, Mapping)]
        self._frame = None
        self._pending_icons.clear()  # new rows: the views ask for their icons again
        self._ids = (
            [format_cell(lookup(r, self._id_column)) for r in records]
            if self._id_column
            else [str(i) for i in range(len(records))]
        )
        self._by_id = {}
        for row_id, record in zip(self._ids, records, strict=True):
            self._by_id.setdefault(row_id, record)
        self._rows = cells = self._cells()
        # The same haystack as prepareRows() in JS, so visible_df matches what the user sees.
        shown = self.specs
        searched = [i for i, c in enumerate(shown) if c.searched]
        self._hay = [
            "\x01".join([i, *(format_cell(row[k]) for k in searched)]).lower()
            for i, row in zip(self._ids, cells, strict=True)
        ]
        # The filter reads the shown cell (a chip's text) when the column is shown, as JS does.
        col = self.category_column
        fields = [c.field for c in shown]
        at = fields.index(col) if col in fields else -1
        self._cats = [
            self._as_cats(row[at] if at >= 0 else lookup(r, col)) if col else []
            for r, row in zip(records, cells, strict=True)
        ]
        found = {c for cats in self._cats for c in cats}
        self.categories = [*self._filter_options, *sorted(found - set(self._filter_options))]
        if self.category and self.category not in self.categories:
            self.category = ""
        self.row_count = len(self._ids)
        if self.selected_id and self.selected_id not in self._by_id:
            self.selected_id = ""
        self._update_visible()
        self._send_rows()

    @property
    def selected(self) -> dict[str, Any] | None:
        """The selected record (every field, not just the shown ones), or None."""
        record = self._by_id.get(self.selected_id) if self.selected_id else None
        return None if record is None else dict(record)

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
        # The shown fields only: icons (asked for by the view) and nested lists stay here.
        kinds = dict(SCHEMAS.get(self._kind_of_rows or "", ()))
        shown = self.specs
        stamps = {c.field for c in shown if kinds.get(c.field) == "dt" or c.kind == "time"}
        return [[self._cell(r, c, c.field in stamps) for c in shown] for r in self._records]

    @staticmethod
    def _cell(record: Mapping[str, Any], col: Column, timestamp: bool = False) -> Any:
        if col.kind == "icon":
            return None
        if col.value is not None:
            return col.value(record)
        value = lookup(record, col.field)
        return _timestamp(value) if timestamp and value is not None else value

    def _update_visible(self, _change: object = None) -> None:
        self.visible_count = sum(self._mask())

    def _payload(self) -> dict[str, Any]:
        shown = self.specs
        now = self.clock() if self.clock is not None else None
        if now is not None and now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return {
            "kind": "rows",
            "columns": [c.field for c in shown],
            "specs": [c.describe() for c in shown],
            "ids": self._ids,
            "rows": self._rows,
            "now": None if now is None else now.astimezone(timezone.utc).isoformat(),
            "zone": self.zone,
            "label": self._label,
            "filter_label": self._filter_label,
        }

    def _send_rows(self) -> None:
        # A broadcast: every open view refreshes; views opened later ask with "hello".
        self.send(self._payload())

    def _on_hello(self, _content: dict[str, Any]) -> None:
        self._send_rows()

    def _on_icons(self, content: dict[str, Any]) -> None:
        ids = content.get("ids")
        if self.icons is None or not isinstance(ids, list):
            return
        self._send_icons(
            list(dict.fromkeys(i for i in ids[:MAX_ICONS_PER_MESSAGE] if isinstance(i, str)))
        )

    def send_pending_icons(self) -> None:
        """Send the icons asked for that were still being read (``_icons.PENDING``) and now are.

        The widgets call it (on the kernel's main thread) when their ``IconSource`` has read one.
        """
        self._send_icons(list(self._pending_icons))

    def _send_icons(self, asked: list[str]) -> None:
        # In batches; an icon still being read from Cyclr is left out of the answer (the view
        # keeps its cell waiting) and sent by send_pending_icons() once it is in. Ids of rows
        # not (or no longer) shown are left out.
        wanted = [i for i in asked if i in self._by_id]
        for start in range(0, len(wanted), ICON_BATCH):
            icons: dict[str, str | None] = {}
            for i in wanted[start : start + ICON_BATCH]:
                got = self.icons(self._by_id[i]) if self.icons is not None else None
                if got is PENDING:
                    self._pending_icons.add(i)
                else:
                    self._pending_icons.discard(i)
                    icons[i] = got if isinstance(got, str) else None
            if icons:
                self.send({"kind": "icons", "icons": icons})

    def _on_row_action(self, content: dict[str, Any]) -> None:
        row_id, action = content.get("id"), content.get("action")
        if (
            isinstance(row_id, str)
            and isinstance(action, str)
            and not self.row_action(row_id, action)
        ):
            log.warning("cyclr_widgets: a row action not offered was refused")


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
