# Generated from _async_mappings.py by scripts/unasync.py: edit the async source, then rerun.
"""``CyclrClient``'s methods on one step: prerequisites, field mappings, parameters.

A mixin of :class:`~._sync.CyclrClient`; its twin (source) is :mod:`._async_mappings`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from . import _endpoints as ops
from ._sync_io import SyncIO

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["MappingMethods"]


class MappingMethods(SyncIO):
    """A step's prerequisites, field mappings and parameters."""

    def step_prerequisites(self, account_id: str | None, step_id: str) -> list[dict[str, Any]]:
        """What this step lacks: ``[{ReasonCode, Reason, ObjectType, ObjectId}]``."""
        return self._call(ops.step_prerequisites(self._account(account_id), step_id))

    # -- field mappings -------------------------------------------------------------------

    def step_fields_for_mapping(
        self,
        account_id: str | None,
        step_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """The fields of earlier steps this step's fields can be mapped from, as a DataFrame."""
        listing = ops.list_step_fields_for_mapping(self._account(account_id), step_id)
        return self._list(listing, limit, progress)

    def iter_step_fields_for_mapping(
        self,
        account_id: str | None,
        step_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The fields this step's fields can be mapped from, one at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        step_id
            The step's GUID.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each field descriptor as Cyclr sent it, in page order.
        """
        listing = ops.list_step_fields_for_mapping(self._account(account_id), step_id)
        return self._iterate(listing, limit, progress)

    def step_field_mappings(
        self,
        account_id: str | None,
        step_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """How each of a step's fields is mapped, as a DataFrame."""
        listing = ops.list_step_field_mappings(self._account(account_id), step_id)
        return self._list(listing, limit, progress)

    def iter_step_field_mappings(
        self,
        account_id: str | None,
        step_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """How each of a step's fields is mapped, one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        step_id
            The step's GUID.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each mapping (``{Field{...}, MappingType, Value, SourceStepId, ...}``) as Cyclr
            sent it, in page order.
        """
        listing = ops.list_step_field_mappings(self._account(account_id), step_id)
        return self._iterate(listing, limit, progress)

    def step_field_mapping(
        self, account_id: str | None, step_id: str, field_id: int
    ) -> dict[str, Any]:
        """How one field of a step is mapped (``MappingType: "Ignore"`` when unmapped)."""
        op = ops.get_step_field_mapping(self._account(account_id), step_id, field_id)
        return self._call(op)

    def set_step_field_mapping(
        self,
        account_id: str | None,
        step_id: str,
        field_id: int,
        mapping_type: str,
        value: Any = None,
        *,
        source_step_id: str | None = None,
        source_field_id: int | None = None,
        trigger_value: str | None = None,
        verb: str = "PUT",
    ) -> dict[str, Any]:
        """Map one field of a step; return the mapping.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        step_id, field_id
            The step's GUID and the field's id.
        mapping_type
            ``"Ignore"`` (unmap), ``"StaticValue"``, ``"ValueList"`` (``value`` one of the
            field's ``Values``) or ``"StepOutput"`` (from an earlier step's field). Cyclr
            documents the first three; the name of a step-data mapping is undocumented, and
            ``StepOutput`` is the one the sandbox serves. Others are refused before sending.
        value
            The static or listed value.
        source_step_id, source_field_id
            For ``StepOutput``: the earlier step's GUID and its field's id.
        trigger_value
            A lookup's value (``TriggerValue``).
        verb
            ``"PUT"`` (Cyclr's static-value page) or ``"POST"`` (its value-list page).

        Raises
        ------
        ValidationError
            For a mapping type or verb not listed above, or a mapping lacking its value or
            source, before anything is sent.
        """
        op = ops.set_step_field_mapping(
            self._account(account_id),
            step_id,
            field_id,
            mapping_type,
            value,
            source_step_id=source_step_id,
            source_field_id=source_field_id,
            trigger_value=trigger_value,
            verb=verb,
        )
        return self._call(op)

    def lookup_step_field_mappings(
        self, account_id: str | None, step_id: str, **body: Any
    ) -> list[dict[str, Any]]:
        """Run a step's custom-field lookup (body fields in Cyclr's or snake_case spelling)."""
        op = ops.lookup_step_field_mappings(self._account(account_id), step_id, body)
        return self._call(op)

    # -- parameters -----------------------------------------------------------------------

    def step_parameters(
        self,
        account_id: str | None,
        step_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> pd.DataFrame:
        """A step's parameters and how each is set, as a DataFrame."""
        listing = ops.list_step_parameters(self._account(account_id), step_id)
        return self._list(listing, limit, progress)

    def iter_step_parameters(
        self,
        account_id: str | None,
        step_id: str,
        *,
        limit: int | None = None,
        progress: bool | None = None,
    ) -> Iterator[dict[str, Any]]:
        """A step's parameters, one record at a time.

        Parameters
        ----------
        account_id
            The account API ID (default: the client's ``account_id``).
        step_id
            The step's GUID.
        limit
            At most this many records (default: every page).
        progress
            Progress bar: ``None`` auto (Jupyter only), ``True`` always, ``False`` never.

        Yields
        ------
        dict
            Each parameter (``{Parameter{...}, MappingType, Value, ...}``) as Cyclr sent it.
        """
        listing = ops.list_step_parameters(self._account(account_id), step_id)
        return self._iterate(listing, limit, progress)

    def step_parameter(
        self, account_id: str | None, step_id: str, parameter_id: int
    ) -> dict[str, Any]:
        """One parameter of a step and how it is set."""
        op = ops.get_step_parameter(self._account(account_id), step_id, parameter_id)
        return self._call(op)

    def set_step_parameter(
        self,
        account_id: str | None,
        step_id: str,
        parameter_id: int,
        mapping_type: str,
        value: Any = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Set one parameter of a step (``PUT``); return it.

        ``mapping_type`` as for ``set_step_field_mapping``. ``**extra``: ``trigger_value``,
        ``trigger_value_display_name``, ``source_step_id``, ``source_field_id``,
        ``is_launch_visible``, or Cyclr's own PascalCase names; an unknown name is a
        ``TypeError`` before anything is sent.
        """
        op = ops.set_step_parameter(
            self._account(account_id), step_id, parameter_id, mapping_type, value, extra
        )
        return self._call(op)

    def lookup_step_parameter(
        self, account_id: str | None, step_id: str, parameter_id: int, **body: Any
    ) -> list[dict[str, Any]]:
        """A parameter's lookup values, ``[{Name, Value}]`` (body e.g. ``trigger_id=...``)."""
        op = ops.lookup_step_parameter(self._account(account_id), step_id, parameter_id, body)
        return self._call(op)
