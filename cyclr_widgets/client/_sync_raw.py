# Generated from _async_raw.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient.request()``: the escape hatch for any call the client has no method for.

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_raw`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import _endpoints as ops
from ._sync_io import SyncIO

__all__ = ["RawMethods"]


class RawMethods(SyncIO):
    """``request()``: any Cyclr call, with the client's auth, retries, errors and masking."""

    def request(
        self,
        method: str,
        path: str,
        *,
        account: str | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> Any:
        """Send any call to Cyclr's API, e.g. an endpoint added after this version.

        Same token handling, retries (``GET``, ``PUT`` and ``DELETE`` only; a ``POST`` or
        ``PATCH`` whose outcome is unknown raises ``OutcomeUnknownError``), typed errors and
        secret masking as every other method.

        Parameters
        ----------
        method
            ``GET``, ``POST``, ``PUT``, ``PATCH`` or ``DELETE``.
        path
            A path on the client's API host, e.g. ``"/v1.0/accounts"``. An absolute URL (or
            ``//host``) is refused: the bearer token never goes to another host.
        account
            An account API ID for account-level calls (sent as ``X-Cyclr-Account``); ``None``
            for partner-level calls (no header).
        params
            The query string (``None`` values are left out).
        json
            The JSON body. Values under secret-looking keys (``AuthValue``, ``Password``,
            ``ClientSecret``...) and ``AuthValue`` objects are masked in errors and reprs.

        Returns
        -------
        Any
            The decoded JSON as Cyclr sent it, secret-looking fields masked as in every other
            answer (``"***"``), or ``None`` for an empty body.
        """
        return self._call(ops.raw_request(method, path, account, params, json))
