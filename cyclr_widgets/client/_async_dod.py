"""``AsyncCyclrClient``'s methods that reach a third party through an installed connector.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_dod`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from . import _endpoints as ops
from ._async_io import AsyncIO

__all__ = ["AsyncDataOnDemandMethods"]


class AsyncDataOnDemandMethods(AsyncIO):
    """Lookup triggers and Data on Demand calls (``call_method``, ``test_method``)."""

    async def run_trigger(
        self, account_id: str | None, account_connector_id: int, trigger_id: int | str, **body: Any
    ) -> list[Any]:
        """Run a lookup trigger: the options it offers (``[{..., "Value": ...}]``).

        ``body`` is sent as Cyclr's JSON (PascalCase), ``{}`` when empty.
        """
        return await self._call(
            ops.run_trigger(self._account(account_id), account_connector_id, trigger_id, body)
        )

    async def call_method(
        self,
        account_id: str | None,
        account_connector_id: int,
        method: int | str | uuid.UUID,
        *,
        parameters: Mapping[Any, Any] | None = None,
        fields: Mapping[Any, Any] | None = None,
    ) -> Any:
        """Call a connector method through an installed connector (Data on Demand).

        Parameters
        ----------
        account_id
            The account API ID (``None``: the client's default).
        account_connector_id
            The installed connector's id.
        method
            The method's int ``Id`` or its ``MethodUniqueIdentifier`` GUID (stable across
            releases: prefer it).
        parameters, fields
            ``{id: value}`` for the method's parameters and fields; keys and values are sent as
            strings. Both ``None``: a ``GET``; otherwise a ``POST``, which may write at the
            third party and so is never retried blindly.

        Returns
        -------
        Any
            The third party's answer as Cyclr passes it on.

        Raises
        ------
        IPRestrictionError
            When Cyclr refuses the call from this machine's IP (non-native connectors are
            blocked by default until Cyclr support allows the IP).
        """
        return await self._call(
            ops.call_method(
                self._account(account_id), account_connector_id, method, parameters, fields, False
            )
        )

    async def test_method(
        self,
        account_id: str | None,
        account_connector_id: int,
        method: int | str | uuid.UUID,
        *,
        parameters: Mapping[Any, Any] | None = None,
        fields: Mapping[Any, Any] | None = None,
    ) -> Any:
        """Test-call a connector method (``.../test/...``); arguments as for ``call_method``."""
        return await self._call(
            ops.call_method(
                self._account(account_id), account_connector_id, method, parameters, fields, True
            )
        )
