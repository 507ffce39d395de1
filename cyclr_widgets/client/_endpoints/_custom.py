"""Operations on an account's custom connectors (R §3.5; paths from R only, surface doc Q15).

The definition is Cyclr's connector JSON, passed through as given (PascalCase); values under
secret-looking keys (``ClientSecret``, ``ApiKey``...) are sealed like every other body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import ValidationError
from .._operation import Listing, Operation, check_int_id, nothing
from ._connectors import seal_body

__all__ = [
    "create_custom_connector",
    "delete_custom_connector",
    "get_custom_connector",
    "list_custom_connectors",
]

_PATH = "/v1.0/account/connectors/custom"


def list_custom_connectors(account: str) -> Listing:
    return Listing(_PATH, "custom_connectors", account)


def create_custom_connector(
    account: str, definition: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    if not isinstance(definition, Mapping):
        raise ValidationError(
            f"definition must be a dict (Cyclr's connector JSON), got {type(definition).__name__}"
        )
    name = definition.get("Name")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("a custom connector definition needs a non-empty 'Name'")
    # A second POST could create a second connector: no blind retry.
    return Operation(
        "POST",
        _PATH,
        account=account,
        json=seal_body(dict(definition)),
        idempotent=False,
        check=f"client.custom_connectors({account!r}) and look for Name == {name!r}",
    )


def get_custom_connector(account: str, custom_connector_id: int) -> Operation[dict[str, Any]]:
    cid = check_int_id("custom_connector_id", custom_connector_id)
    return Operation("GET", f"{_PATH}/{cid}", account=account)


def delete_custom_connector(account: str, custom_connector_id: int) -> Operation[None]:
    cid = check_int_id("custom_connector_id", custom_connector_id)
    return Operation("DELETE", f"{_PATH}/{cid}", nothing, account=account)
