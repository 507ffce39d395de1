"""cyclr-widgets: the Cyclr embedded-iPaaS API in Jupyter notebooks.

The public surface is small and flat::

    from cyclr_widgets import CyclrClient, Sandbox, OAuthPopup, ConnectorBrowser

Names are loaded on first use (PEP 562), so ``import cyclr_widgets`` stays cheap: the
sandbox's web stack and the widget runtime are only imported by the code that needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import __version__

# public name -> private module that defines it
_LAZY: dict[str, str] = {
    "AccountConnector": "._models",
    "AccountExplorer": ".widgets",
    "AsyncCyclrClient": "._async_client",
    "AuthValue": "._authvalue",
    "AuthenticationError": "._exceptions",
    "ConflictError": "._exceptions",
    "ConnectorBrowser": ".widgets",
    "CyclrClient": "._client",
    "CyclrError": "._exceptions",
    "NotFoundError": "._exceptions",
    "OAuthPopup": ".widgets",
    "OAuthResult": ".widgets",
    "OutcomeUnknownError": "._exceptions",
    "REGIONS": "._client",
    "RateLimitError": "._exceptions",
    "Sandbox": ".sandbox",
    "ServerError": "._exceptions",
    "SignInToken": "._models",
    "TransportError": "._exceptions",
    "ValidationError": "._exceptions",
    "oauth_url": "._oauth",
}

__all__ = [  # noqa: RUF022 - plain sorted order, checked by tests/test_public_api.py
    "AccountConnector",
    "AccountExplorer",
    "AsyncCyclrClient",
    "AuthValue",
    "AuthenticationError",
    "ConflictError",
    "ConnectorBrowser",
    "CyclrClient",
    "CyclrError",
    "NotFoundError",
    "OAuthPopup",
    "OAuthResult",
    "OutcomeUnknownError",
    "REGIONS",
    "RateLimitError",
    "Sandbox",
    "ServerError",
    "SignInToken",
    "TransportError",
    "ValidationError",
    "__version__",
    "oauth_url",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from ._async_client import AsyncCyclrClient
    from ._authvalue import AuthValue
    from ._client import REGIONS, CyclrClient
    from ._exceptions import (
        AuthenticationError,
        ConflictError,
        CyclrError,
        NotFoundError,
        OutcomeUnknownError,
        RateLimitError,
        ServerError,
        TransportError,
        ValidationError,
    )
    from ._models import AccountConnector, SignInToken
    from ._oauth import oauth_url
    from .sandbox import Sandbox
    from .widgets import AccountExplorer, ConnectorBrowser, OAuthPopup, OAuthResult


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cyclr_widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return __all__
