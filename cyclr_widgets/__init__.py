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

# public name -> the part of the package that defines it
_LAZY: dict[str, str] = {
    "AccessDeniedError": ".core",
    "AccountConnector": ".core",
    "AccountExplorer": ".widgets",
    "AsyncCyclrClient": ".client",
    "AuthMethod": ".core",
    "AuthValue": ".core",
    "AuthenticationError": ".core",
    "ConflictError": ".core",
    "ConnectorBrowser": ".widgets",
    "CyclrClient": ".client",
    "CyclrError": ".core",
    "IPRestrictionError": ".core",
    "LaunchLink": ".core",
    "NotFoundError": ".core",
    "OAuthPopup": ".widgets",
    "OAuthResult": ".widgets",
    "OutcomeUnknownError": ".core",
    "REGIONS": ".client",
    "RateLimitError": ".core",
    "Sandbox": ".sandbox",
    "ServerError": ".core",
    "SignInToken": ".core",
    "TransportError": ".core",
    "ValidationError": ".core",
    "oauth_url": ".core",
    "signin_url": ".core",
    "webhook_url": ".core",
}

__all__ = [  # noqa: RUF022 - plain sorted order, checked by tests/test_public_api.py
    "AccessDeniedError",
    "AccountConnector",
    "AccountExplorer",
    "AsyncCyclrClient",
    "AuthMethod",
    "AuthValue",
    "AuthenticationError",
    "ConflictError",
    "ConnectorBrowser",
    "CyclrClient",
    "CyclrError",
    "IPRestrictionError",
    "LaunchLink",
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
    "signin_url",
    "webhook_url",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and IDEs only
    from .client import REGIONS, AsyncCyclrClient, CyclrClient
    from .core import (
        AccessDeniedError,
        AccountConnector,
        AuthenticationError,
        AuthMethod,
        AuthValue,
        ConflictError,
        CyclrError,
        IPRestrictionError,
        LaunchLink,
        NotFoundError,
        OutcomeUnknownError,
        RateLimitError,
        ServerError,
        SignInToken,
        TransportError,
        ValidationError,
        oauth_url,
        signin_url,
        webhook_url,
    )
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
