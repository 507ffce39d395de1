"""Operations on the partner's templates: list (with Cyclr's filters), get, install, export, import.

Templates are partner-level objects: the account header is only sent when an account is given
(Cyclr tolerates it on the list, surface §7.2), except for an install, which goes into an account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import ValidationError
from .._operation import Listing, Operation, check_guid, segment
from ._bodies import bool_param

__all__ = [
    "export_template",
    "get_template",
    "import_template",
    "install_template",
    "list_templates",
    "listing_filters",
]


def listing_filters(
    *,
    order_by: str | None = None,
    sort_order_asc: bool | None = None,
    tag: str | list[str] | None = None,
    connector_name: str | None = None,
    connector_version: str | None = None,
    include_icons: bool | None = None,
) -> dict[str, Any]:
    """The query filters the template and cycle lists share (R §6.1, §6.2), Cyclr's spelling.

    A filter left out (None) is not sent.
    """
    tags = [tag] if isinstance(tag, str) else tag
    for t in tags or ():
        if not isinstance(t, str) or not t.strip():
            raise ValidationError(f"tag must be a non-empty string or a list of them, got {tag!r}")
    for name, value in (
        ("order_by", order_by),
        ("connector_name", connector_name),
        ("connector_version", connector_version),
    ):
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ValidationError(f"{name} must be a non-empty string, got {value!r}")
    return {
        "orderBy": order_by,
        "sortOrderAsc": bool_param(sort_order_asc),
        # Tags are case-sensitive since 2021-08-02 (surface §1): sent exactly as given; several
        # go as repeated ``tag=`` parameters (as ASP.NET binds a list).
        "tag": tags,
        "connectorName": connector_name,
        "connectorVersion": connector_version,
        "includeIcons": bool_param(include_icons),
    }


def list_templates(account: str | None, **filters: Any) -> Listing:
    return Listing("/v1.0/templates", "templates", account, listing_filters(**filters))


def _template_path(template_id: str) -> str:
    # A GUID, never "import": that is a sibling route under /templates.
    return f"/v1.0/templates/{segment(check_guid('template_id', template_id))}"


def get_template(account: str | None, template_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", _template_path(template_id), account=account)


def install_template(
    account: str, template_id: str, name: str | None = None, include_icons: bool | None = None
) -> Operation[dict[str, Any]]:
    path = f"{_template_path(template_id)}/install"
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise ValidationError(f"name must be a non-empty string, got {name!r}")
    icons = bool_param(include_icons)
    return Operation(
        "POST",
        path,
        account=account,
        params=None if icons is None else {"includeIcons": icons},
        # `{}` is the documented minimum body; Name names the new cycle (surface §7.2).
        json={} if name is None else {"Name": name},
        idempotent=False,  # a second install is a second cycle
        check=f"client.cycles({account!r}) and look for TemplateId",
    )


def export_template(account: str | None, template_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", f"{_template_path(template_id)}/export", account=account)


def import_template(
    account: str | None, definition: Mapping[str, Any], folder_id: str | None
) -> Operation[dict[str, Any]]:
    if not isinstance(definition, Mapping) or not definition:
        raise ValidationError(
            "definition must be a template as export_template() returns it (a non-empty dict), "
            f"got {type(definition).__name__}"
        )
    params = None if folder_id is None else {"folderid": check_guid("folder_id", folder_id)}
    name = definition.get("Name")
    return Operation(
        "POST",
        "/v1.0/templates/import",
        account=account,
        params=params,
        json=dict(definition),
        idempotent=False,  # a second import is a second template
        check=f"client.templates() and look for {name!r}" if name else "client.templates()",
    )
