"""``AsyncCyclrClient``'s methods on the partner's templates.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_templates`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._async_io import AsyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["AsyncTemplateMethods"]


class AsyncTemplateMethods(AsyncIO):
    """Templates: list, get, install, export, import."""

    def _optional_account(self, account_id: str | None) -> str | None:
        # Templates are partner-level: the header goes only with an account given explicitly.
        return None if account_id is None else self._account(account_id)

    async def templates(
        self,
        account_id: str | None = None,
        *,
        order_by: str | None = None,
        sort_order_asc: bool | None = None,
        tag: str | list[str] | None = None,
        connector_name: str | None = None,
        connector_version: str | None = None,
        include_icons: bool = False,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """The partner's published templates as a DataFrame (filters as ``iter_templates``).

        Icons are left out unless ``include_icons=True``, so Cyclr is asked not to send them.
        """
        listing = ops.list_templates(
            self._optional_account(account_id),
            order_by=order_by,
            sort_order_asc=sort_order_asc,
            tag=tag,
            connector_name=connector_name,
            connector_version=connector_version,
            include_icons=include_icons,
        )
        return await self._list(listing, limit, progress, include_icons)

    async def iter_templates(
        self,
        account_id: str | None = None,
        *,
        order_by: str | None = None,
        sort_order_asc: bool | None = None,
        tag: str | list[str] | None = None,
        connector_name: str | None = None,
        connector_version: str | None = None,
        include_icons: bool | None = None,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        """The partner's published templates, one record at a time (``async for``).

        Parameters
        ----------
        account_id
            Partner level unless given (then the templates that account sees).
        order_by, sort_order_asc
            Cyclr's sort (``orderBy``, e.g. ``"Name"``; ``sortOrderAsc``).
        tag
            Only templates with this tag, or any of these tags (case-sensitive, as in Cyclr).
        connector_name, connector_version
            Only templates using this connector (``connectorName``), at this version.
        include_icons
            ``includeIcons``: ``None`` leaves Cyclr's default.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each template as Cyclr sent it, in page order.
        """
        listing = ops.list_templates(
            self._optional_account(account_id),
            order_by=order_by,
            sort_order_asc=sort_order_asc,
            tag=tag,
            connector_name=connector_name,
            connector_version=connector_version,
            include_icons=include_icons,
        )
        async with aclosing(self._iterate(listing, limit, progress)) as records:
            async for record in records:
                yield record

    async def template(self, template_id: str, *, account_id: str | None = None) -> dict[str, Any]:
        """Get one template (partner level unless ``account_id`` is given)."""
        op = ops.get_template(self._optional_account(account_id), template_id)
        return await self._call(op)

    async def install_template(
        self,
        account_id: str | None,
        template_id: str,
        *,
        name: str | None = None,
        include_icons: bool | None = None,
    ) -> dict[str, Any]:
        """Install a template into the account as a new (paused) cycle; return that cycle.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        template_id
            The template's GUID.
        name
            The new cycle's name (default: the template's).
        include_icons
            ``includeIcons`` on the reply's connectors; ``None`` leaves Cyclr's default.

        Returns
        -------
        dict
            The new cycle (``Status: "Paused"``).

        Notes
        -----
        Never retried blindly: a second install is a second cycle. If the outcome is unknown
        (``OutcomeUnknownError``), look in ``cycles()`` for the ``TemplateId``.
        """
        op = ops.install_template(self._account(account_id), template_id, name, include_icons)
        return await self._call(op)

    async def export_template(
        self, template_id: str, *, account_id: str | None = None
    ) -> dict[str, Any]:
        """A template's definition (connector releases included), for ``import_template``."""
        op = ops.export_template(self._optional_account(account_id), template_id)
        return await self._call(op)

    async def import_template(
        self,
        definition: Mapping[str, Any],
        *,
        folder_id: str | None = None,
        account_id: str | None = None,
    ) -> dict[str, Any]:
        """Import a template definition (as ``export_template`` gives it).

        Parameters
        ----------
        definition
            The template JSON.
        folder_id
            The GUID of the Console folder to import into (``?folderid=``).
        account_id
            Partner level unless given.

        Returns
        -------
        dict
            Cyclr's answer (the imported template, or its report of incompatibilities).

        Notes
        -----
        Never retried blindly: a second import is a second template.
        """
        op = ops.import_template(self._optional_account(account_id), definition, folder_id)
        return await self._call(op)
