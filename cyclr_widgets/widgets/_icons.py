"""Connector icons for the tables: checked, cached, sent by message for the rows a view shows.

Every Cyclr connector has an ``Icon``; Cyclr sends it as a base64 image (a ``data:`` URI, or the
bare base64 text) or as a URL. An icon is a few kilobytes: a thousand of them in widget state
would make a saved notebook megabytes, so they never enter it. A view asks for the icons of the
rows it shows (``{"kind": "icons", "ids": [...]}``) and the table answers by message
(``_table.py``). Where a listing carries no icons (templates and cycles leave them out unless
``includeIcons``; sandbox switch ``list_icons_default``), the connector's own record has it:
:class:`IconSource` reads it once per connector through the client and keeps it.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..core import CyclrError

__all__ = ["IconSource", "safe_icon"]

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


class IconSource:
    """Icons by connector id: from a record when it has one, else read once with ``fetch``.

    Parameters
    ----------
    fetch : callable
        ``fetch(connector_id) -> record`` (``client.connector``). A record without a usable
        icon gives none, remembered; a ``CyclrError`` gives none this time only.
    """

    def __init__(self, fetch: Callable[[int], Mapping[str, Any]]) -> None:
        self._fetch = fetch
        self._cache: dict[int, str | None] = {}

    def icon(self, connector_id: Any, record: Mapping[str, Any] | None = None) -> str | None:
        """The icon of connector ``connector_id``; ``record`` (a listing's) is read first."""
        try:
            cid = int(str(connector_id))
        except ValueError:
            return safe_icon((record or {}).get("Icon"))
        if cid in self._cache:
            return self._cache[cid]
        found = safe_icon((record or {}).get("Icon"))
        if found is None:
            try:
                found = safe_icon(self._fetch(cid).get("Icon"))
            except CyclrError:
                return None  # perhaps transient (a 429, a timeout): asked again next time
            except (AttributeError, TypeError, ValueError):
                found = None
        self._cache[cid] = found
        return found

    def __len__(self) -> int:
        return len(self._cache)
