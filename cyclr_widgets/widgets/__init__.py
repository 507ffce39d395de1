"""Notebook widgets: the OAuth popup, the connector browser and the account explorer.

Loaded on first use (PEP 562), like the package itself: the popup's flow (``_flow.py``) and the
helpers for messages, callbacks and waiting import no widget stack, so they load without it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["AccountExplorer", "ConnectorBrowser", "OAuthPopup", "OAuthResult"]

_LAZY = {
    "AccountExplorer": ".account_explorer",
    "ConnectorBrowser": ".connector_browser",
    "OAuthPopup": ".oauth_popup",
    "OAuthResult": "._flow_types",
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from ._flow_types import OAuthResult
    from .account_explorer import AccountExplorer
    from .connector_browser import ConnectorBrowser
    from .oauth_popup import OAuthPopup


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cyclr_widgets.widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
