"""Operations on the connector library: connectors by name (and version), their methods.

A connector is named in a path by its integer ``Id`` (one release) or by its ``Name`` and, when
it has one, ``Version`` (R §3.2): an ``int`` argument gives the id form, a ``str`` the name form.
The name is percent-encoded as one segment (``Access CRM`` -> ``Access%20CRM``; the docs leave
the encoding open, surface doc Q11, and this is what R's recorded calls send).
"""

from __future__ import annotations

from typing import Any

from ...core import ValidationError
from .._operation import Listing, Operation, as_list, check_int_id, segment

__all__ = [
    "check_connector_name",
    "connector_path",
    "find_connectors",
    "get_method",
    "list_connector_methods",
]

_MAX_NAME = 255


def _shown_type(value: object) -> str:
    return type(value).__name__


def check_connector_name(name: object, what: str = "name") -> str:
    """A connector name or version for a path: a non-empty printable string, not all digits."""
    if not isinstance(name, str) or not name.strip():
        raise ValidationError(f"{what} must be a non-empty string, got {_shown_type(name)}")
    text = name.strip()
    if text in (".", "..") or len(text) > _MAX_NAME or not text.isprintable():
        raise ValidationError(
            f"{what} must be at most {_MAX_NAME} printable characters, got {text!r}"
        )
    if what == "name" and text.isdigit():
        # Cyclr routes an all-digit segment as a connector id.
        raise ValidationError(
            f"a connector name cannot be all digits; pass an int id, got {text!r}"
        )
    return text


def connector_path(connector: int | str, version: str | None) -> str:
    """``/v1.0/connectors/{id}``, ``/v1.0/connectors/{name}`` or ``.../{name}/{version}``."""
    if isinstance(connector, str):
        path = f"/v1.0/connectors/{segment(check_connector_name(connector))}"
        if version is not None:
            path += f"/{segment(check_connector_name(version, 'version'))}"
        return path
    cid = check_int_id("connector", connector)
    if version is not None:
        raise ValidationError("version= goes with a connector name; an int id is one release")
    return f"/v1.0/connectors/{cid}"


def find_connectors(
    account: str | None, name: str, version: str | None
) -> Operation[list[dict[str, Any]]]:
    # Cyclr answers a name (and version) with an array: one item per matching release.
    path = connector_path(check_connector_name(name), version)
    return Operation("GET", path, as_list, account=account)


def list_connector_methods(
    account: str | None, connector: int | str, version: str | None
) -> Listing:
    return Listing(f"{connector_path(connector, version)}/methods", "connector_methods", account)


def get_method(account: str | None, method_id: int) -> Operation[dict[str, Any]]:
    return Operation(
        "GET", f"/v1.0/methods/{check_int_id('method_id', method_id)}", account=account
    )
