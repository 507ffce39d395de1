"""Paging decisions, without I/O, plus the notebook progress bar.

Cyclr pages with ``page`` (1-based) and ``pageSize`` and answers a bare JSON array. The
``Total-Pages`` header (seen live, not documented) says how many pages there are; without it, a
short or empty page is the last. A :class:`Pager` is fed pages and says what to fetch next; once
page 1 has told it the total, the clients fetch the remaining pages concurrently. Pages may arrive
in any order: :meth:`Pager.take` hands their items out in page order, as soon as every page before
them has been handed out, and forgets them (a listing being iterated holds only the pages that
arrived early).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from typing import Any

__all__ = ["Pager", "Progress", "in_notebook", "records_of", "total_pages"]

# Safety net for a server that ignores `page` and keeps sending full pages.
MAX_PAGES = 10_000


def total_pages(headers: Mapping[str, str]) -> int | None:
    """The ``Total-Pages`` header as an int, or ``None`` when absent or malformed."""
    value = headers.get("total-pages")
    if value is None:
        return None
    try:
        pages = int(value.strip())
    except ValueError:
        return None
    return pages if pages >= 0 else None


class Pager:
    """Decide which pages to request and hand their items out in page order.

    Parameters
    ----------
    page_size
        Items per page requested.
    limit
        Stop after this many items (``None``: all).
    """

    def __init__(self, page_size: int, limit: int | None = None) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise ValueError("page_size must be a positive int")
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
        ):
            raise ValueError("limit must be a non-negative int or None")
        # No point asking for 50 rows when 5 are wanted.
        self.page_size = min(page_size, limit) if limit else page_size
        self.limit = limit
        self.total: int | None = None
        self._pages: dict[int, list[Any]] = {}  # arrived, not handed out yet
        self._count = 0  # items fed so far
        self._given = 0  # items handed out by take()
        self._next = 1  # the next page take() hands out
        self._done = limit == 0
        self._last_sequential = 0

    @property
    def done(self) -> bool:
        """Whether no further page is needed."""
        return self._done

    @property
    def pages_for_limit(self) -> int | None:
        """How many pages cover ``limit`` items."""
        return None if self.limit is None else math.ceil(self.limit / self.page_size)

    def feed(self, page: int, items: list[Any], headers: Mapping[str, str]) -> None:
        """Record the items of ``page``; the first page also records ``Total-Pages``."""
        self._pages[page] = items
        self._count += len(items)
        if page == 1:
            self.total = total_pages(headers)
        self._last_sequential = max(self._last_sequential, page)
        if self.total is None and (len(items) < self.page_size or page >= MAX_PAGES):
            self._done = True  # a short or empty page is the last one
        if self.limit is not None and self.count >= self.limit:
            self._done = True
        if self.total is not None and page >= self.total:
            self._done = True

    @property
    def count(self) -> int:
        """Items fed so far."""
        return self._count

    def remaining(self) -> list[int] | None:
        """After page 1: the pages still to fetch if ``Total-Pages`` is known, else ``None``."""
        if self.total is None:
            return None
        if self._done:
            return []
        last = min(self.total, MAX_PAGES)
        if self.pages_for_limit is not None:
            last = min(last, self.pages_for_limit)
        return list(range(2, last + 1))

    def next_page(self) -> int | None:
        """The next page to fetch one by one (no ``Total-Pages``), or ``None`` when done."""
        return None if self._done else self._last_sequential + 1

    def take(self) -> list[Any]:
        """Hand out the items of the pages now next in page order, cut to ``limit``.

        A page that arrived before one it follows waits here until that one has arrived; the
        pages handed out are forgotten.
        """
        out: list[Any] = []
        while self._next in self._pages:
            out.extend(self._pages.pop(self._next))
            self._next += 1
        if self.limit is not None:
            out = out[: max(self.limit - self._given, 0)]
        self._given += len(out)
        return out

    def items(self) -> list[Any]:
        """Every item fed and not handed out yet, in page order, cut to ``limit``."""
        out = [item for page in sorted(self._pages) for item in self._pages[page]]
        return out if self.limit is None else out[: max(self.limit - self._given, 0)]


def records_of(items: list[Any]) -> list[dict[str, Any]]:
    """The JSON objects among a page's items: a listing's records (anything else is dropped)."""
    return [item for item in items if isinstance(item, dict)]


def in_notebook() -> bool:
    """Whether we run inside a Jupyter kernel (an IPython shell with a kernel attached)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    try:
        shell = ipython.get_ipython()  # type: ignore[attr-defined]
    except Exception:  # pragma: no cover - a broken IPython must not break a listing
        return False
    return shell is not None and getattr(shell, "kernel", None) is not None


class Progress:
    """A ``tqdm.auto`` bar shown only for multi-page listings, when wanted.

    ``enabled=None`` means auto: only inside a Jupyter kernel. ``True`` forces it (also in a
    terminal), ``False`` silences it.
    """

    def __init__(self, enabled: bool | None, desc: str) -> None:
        self._enabled = in_notebook() if enabled is None else bool(enabled)
        self._desc = desc
        self._bar: Any = None

    def start(self, total: int | None) -> None:
        """Open the bar once page 1 has arrived (``total`` pages if known); 1 page is done."""
        if not self._enabled or self._bar is not None:
            return
        from tqdm.auto import tqdm  # imported late: it pulls in ipywidgets in a notebook

        self._bar = tqdm(total=total, desc=self._desc, unit="page", leave=False)
        self._bar.update(1)

    def update(self) -> None:
        """One more page arrived."""
        if self._bar is not None:
            self._bar.update(1)

    def close(self) -> None:
        """Close the bar (idempotent)."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None
