"""The Cyclr API client on httpx: ``CyclrClient`` (sync), ``AsyncCyclrClient`` and ``REGIONS``.

Loaded on first use (PEP 562), like the package itself: the sync client never imports the async
one. The layers, from the bottom up:

- ``_settings.py`` (regions, ``CYCLR_*`` variables, argument checks), ``_operation.py`` (what one
  call is), ``_endpoints/`` (one function per Cyclr call), ``_retry.py``, ``_paging.py`` and
  ``_auth.py`` (the client-credentials token as an ``httpx.Auth`` flow);
- ``_outcome.py`` (result, retry or error: the sans-I/O decision) and ``_base.py`` (``BaseClient``:
  settings, request building);
- the twins: ``_sync_io.py`` / ``_async_io.py`` (the send paths), ``_sync_connectors.py`` /
  ``_async_connectors.py`` and ``_sync_cycles.py`` / ``_async_cycles.py`` (methods by area), and
  ``_sync.py`` / ``_async.py`` (the clients themselves, with accounts and sign-in tokens).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["REGIONS", "AsyncCyclrClient", "CyclrClient"]

_LAZY = {
    "AsyncCyclrClient": "._async",
    "CyclrClient": "._sync",
    "REGIONS": "._settings",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from ._async import AsyncCyclrClient
    from ._settings import REGIONS
    from ._sync import CyclrClient


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cyclr_widgets.client' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
