"""The sandbox's Starlette apps, one per origin, and the middleware around them.

- ``_api.py``: the API origin: ``/oauth/token`` and the app itself; ``_accounts.py`` (accounts,
  users, usage, sign-in tokens), ``_launch.py`` (LAUNCH, ORBIT, Marketplace), ``_connectors.py``
  (the library and installs), ``_account_connectors.py`` (installed connectors, properties,
  custom fields, triggers), ``_dod.py`` (Data on Demand), ``_custom.py`` (custom connectors) and
  ``_cycles.py`` add the other routes;
- ``_pages.py``: the service-domain pages and the fake third-party OAuth provider (HTML);
- ``_http.py``: the shared context (:class:`Ctx`), errors, paging and the ``nosniff`` wrapper;
- ``_validate.py``: request-body checks (a bad input is a 4xx, never a 500);
- ``_guard.py``: the catch-all that turns a bug into a logged 500 and caps request bodies;
- ``_faults.py``: fault injection (latency, 429, 500/503, dropped connections).
"""

from __future__ import annotations

from ._api import build_api_app
from ._faults import FAULT_COUNTERS, Faults
from ._http import Ctx, NoSniff
from ._pages import build_provider_app, build_service_app

__all__ = [
    "FAULT_COUNTERS",
    "Ctx",
    "Faults",
    "NoSniff",
    "build_api_app",
    "build_provider_app",
    "build_service_app",
]
