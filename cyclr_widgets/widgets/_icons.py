"""Connector icons for the tables: checked, cached, sent by message for the rows a view shows.

Every Cyclr connector has an ``Icon``; Cyclr sends it as a base64 image (a ``data:`` URI, or the
bare base64 text) or as a URL. An icon is a few kilobytes: a thousand of them in widget state
would make a saved notebook megabytes, so they never enter it. A view asks for the icons of the
rows it shows (``{"kind": "icons", "ids": [...]}``) and the table answers by message
(``_table.py``). Where a listing carries no icons (templates and cycles leave them out unless
``includeIcons``; sandbox switch ``list_icons_default``), the connector's own record has it:
:class:`IconSource` reads it once per connector through the client, on a thread of its own,
and keeps it.
"""

from __future__ import annotations

import base64
import binascii
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from ..core import CyclrError
from ._handoff import Handoff

__all__ = ["PENDING", "IconAnswer", "IconSource", "safe_icon"]

log = logging.getLogger("cyclr_widgets")

#: The image types a ``data:`` icon may have (an <img> runs no script, SVG included).
_DATA_URI = re.compile(
    r"data:image/(png|jpe?g|gif|webp|svg\+xml|x-icon|vnd\.microsoft\.icon|bmp);base64,"
    r"[A-Za-z0-9+/]+={0,2}",
)
_BASE64 = re.compile(r"[A-Za-z0-9+/\s]+={0,2}")
_URL = re.compile(r"https?://[^\s\"'<>`]+", re.IGNORECASE)
#: Magic numbers of bare base64 images (what the bytes start with -> the MIME type).
_MAGIC = (
    (b"\x89PNG", "image/png"), (b"\xff\xd8", "image/jpeg"), (b"GIF8", "image/gif"),
    (b"RIFF", "image/webp"), (b"<svg", "image/svg+xml"), (b"<?xml", "image/svg+xml"),
    (b"\x00\x00\x01\x00", "image/x-icon"), (b"BM", "image/bmp"),
)  # fmt: skip
MAX_ICON_CHARS = 512_000  # a larger "icon" is not one (and would be a heavy message)


def safe_icon(value: Any) -> str | None:
    """An icon as an ``<img src>``: a ``data:image`` URI or an http(s) URL; anything else None.

    A bare base64 image (what Cyclr's API often sends) becomes a ``data:`` URI of the type its
    first bytes say; ``javascript:``, other schemes, non-images and junk are refused.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or len(text) > MAX_ICON_CHARS:
        return None
    if text[:5].lower() == "data:":
        return text if _DATA_URI.fullmatch(text) else None
    if _URL.fullmatch(text):
        return text
    if not _BASE64.fullmatch(text):
        return None
    compact = "".join(text.split())
    try:
        head = base64.b64decode(compact[:64] + "=" * (-len(compact[:64]) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    for magic, mime in _MAGIC:
        if head.lstrip().startswith(magic):
            return f"data:{mime};base64,{compact}"
    return None


class TableLike(Protocol):
    """A table whose pending icons can be sent (``_table.TablePart``)."""

    def send_pending_icons(self) -> None:
        """Send the icons that were being read and now are."""


class _Pending:
    """The type of :data:`PENDING`."""

    def __repr__(self) -> str:
        return "PENDING"


#: What :meth:`IconSource.icon` returns while the icon is being read from Cyclr.
PENDING = _Pending()
#: An icon as :meth:`IconSource.icon` answers: the ``<img src>``, None, or :data:`PENDING`.
IconAnswer = str | _Pending | None


class IconSource:
    """Icons by connector id: from a record when it has one, else read once with ``fetch``.

    The read is a call to Cyclr, so it runs on a background thread of its own (one at a time,
    in the order asked): the kernel keeps handling the user's clicks meanwhile. Until it is
    done :meth:`icon` returns :data:`PENDING`; each finished read calls the ``on_ready``
    callbacks (on that thread: the widgets hand them to the kernel's loop, ``_handoff.py``),
    which ask again and then get the icon from the cache.

    Parameters
    ----------
    fetch : callable
        ``fetch(connector_id) -> record`` (``client.connector``). A record without a usable
        icon gives none, remembered; a ``CyclrError`` gives none this time only (perhaps a 429
        or a timeout: a later ask reads it again).
    """

    def __init__(self, fetch: Callable[[int], Mapping[str, Any]]) -> None:
        self._fetch = fetch
        self._cache: dict[int, str | None] = {}
        self._refused: set[int] = set()  # read and refused: answered None once, then read again
        self._queue: list[int] = []
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._worker: threading.Thread | None = None
        self._ready: list[Callable[[], None]] = []

    def icon(self, connector_id: Any, record: Mapping[str, Any] | None = None) -> IconAnswer:
        """The icon of connector ``connector_id``, or :data:`PENDING` while it is being read.

        ``record`` (a listing's) is read first, then the cache; else a background read starts.
        """
        try:
            cid = int(str(connector_id))
        except ValueError:
            return safe_icon((record or {}).get("Icon"))
        with self._lock:
            if cid in self._cache:
                return self._cache[cid]
            found = safe_icon((record or {}).get("Icon"))
            if found is not None:
                self._cache[cid] = found
                return found
            if cid in self._refused:
                self._refused.discard(cid)
                return None
            if cid not in self._queue:
                self._queue.append(cid)
            self._idle.clear()
            if self._worker is None:
                # A daemon thread: a read still running never holds up the kernel's exit.
                self._worker = threading.Thread(
                    target=self._drain, name="cyclr-widgets-icons", daemon=True
                )
                self._worker.start()
        return PENDING

    def on_ready(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` (on the reading thread) each time a background read ends."""
        self._ready.append(callback)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no read is pending (a script's or a test's way to see them done)."""
        return self._idle.wait(timeout)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._queue:
                    self._worker = None
                    self._idle.set()
                    return
                cid = self._queue[0]
            try:
                record = self._fetch(cid)
                found: str | None = safe_icon(record.get("Icon"))
                refused = False
            except CyclrError:
                found, refused = None, True
            except Exception:  # a broken record or client: no icon, never a dead thread
                found, refused = None, False
            with self._lock:
                self._queue.remove(cid)
                if refused:
                    self._refused.add(cid)
                else:
                    self._cache[cid] = found
            for callback in list(self._ready):
                try:
                    callback()
                except Exception as exc:  # logged by type only: it may hold anything
                    log.error("cyclr_widgets: an icon callback failed (%s)", type(exc).__name__)

    def __len__(self) -> int:
        return len(self._cache)

    def installed_icon(self, record: Mapping[str, Any]) -> IconAnswer:
        """The icon of an installed (account) connector: its ``Connector``'s, by its id."""
        conn = record.get("Connector")
        conn = conn if isinstance(conn, Mapping) else {}
        return self.icon(conn.get("Id"), conn)

    def feed(self, tables: Sequence[TableLike]) -> None:
        """Send ``tables`` the icons read in the background, on the kernel's main thread.

        Call it on that thread (a widget's ``__init__``): the :class:`Handoff` made here takes
        each finished read back to it, where the tables send what was pending.
        """
        handoff = Handoff()

        def ready() -> None:
            for table in tables:
                table.send_pending_icons()

        self.on_ready(lambda: handoff.call(ready))
