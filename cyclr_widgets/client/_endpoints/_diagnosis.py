"""An account connector with its OAuth tokens' expiry times, read before ``AuthValue`` is masked.

``GET /account/connectors/{id}`` echoes the stored ``AuthValue`` (R §3.6). Every other answer
masks it at once, which loses ``Expires``/``RefreshExpires``; this parse keeps those two times
(not secrets, :func:`~cyclr_widgets.core.token_times`) and masks the rest as usual.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import mask_secrets, token_times
from .._operation import Operation
from ._connectors import ac_path

__all__ = ["get_account_connector_with_token_times"]


def _parse(data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    if not isinstance(data, Mapping):
        return {}, {}
    times = token_times(data.get("AuthValue"))
    return mask_secrets(data), times


def get_account_connector_with_token_times(
    account: str, ac_id: int
) -> Operation[tuple[dict[str, Any], dict[str, str]]]:
    """The account connector (secrets masked) and its tokens' expiry times."""
    return Operation("GET", ac_path(ac_id), _parse, account=account)
