"""Operations on the connector library and the connectors installed in an account.

Secrets are sealed as ``AuthValue`` leaves of the body (see :mod:`.._operation`): an
``auth_value``, and the value of every property whose name looks secret (``ClientSecret``,
``Password``, ``ApiKey``...) or that the caller passed as an ``AuthValue``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ...core import (
    AccountConnector,
    AuthMethod,
    AuthValue,
    ValidationError,
    is_sensitive_name,
    mask_account_connector,
    mask_properties,
)
from .._operation import Listing, Operation, as_list, check_guid, check_int_id, nothing
from ._library import connector_path

__all__ = [
    "Properties",
    "ac_path",
    "add_property",
    "check_authentication_id",
    "deauthenticate_account_connector",
    "delete_account_connector",
    "delete_property",
    "get_account_connector",
    "get_connector",
    "get_property",
    "install_connector",
    "list_account_connectors",
    "list_connectors",
    "list_properties",
    "seal_auth_value",
    "seal_body",
    "seal_properties",
    "seal_property_value",
    "seal_secret",
    "update_account_connector",
    "update_property",
]

Properties = Mapping[str, AuthValue | str] | Sequence[Mapping[str, Any]] | None


# -- sealing secrets as soon as they enter the client ----------------------------------------


def seal_secret(name: str, value: object) -> AuthValue:
    """A secret string argument (e.g. ``client_secret``) as an ``AuthValue``."""
    if isinstance(value, AuthValue):
        return value
    if isinstance(value, str):
        return AuthValue(value, kind="secret")
    raise ValidationError(f"{name} must be a string or an AuthValue, got {type(value).__name__}")


def seal_auth_value(auth_value: AuthValue | str | None) -> AuthValue | None:
    """The ``auth_value`` argument as an ``AuthValue`` (a plain string is sealed)."""
    if auth_value is None or isinstance(auth_value, AuthValue):
        return auth_value
    if isinstance(auth_value, str):
        return AuthValue(auth_value)
    raise ValidationError("auth_value must be an AuthValue, a string or None")


def seal_property_value(name: object, value: object) -> AuthValue | str:
    """A property value: sealed when it is an ``AuthValue`` or its name looks secret.

    Without a name (an update by property id) nothing says what it is, so it is sealed too.
    """
    if isinstance(value, AuthValue):
        return value
    if name is None or is_sensitive_name(name):
        return AuthValue(str(value), kind="secret")
    return str(value)


def seal_body(data: Any) -> Any:
    """A copy of a JSON-like body with its secret values sealed as ``AuthValue`` leaves.

    Sealed: every string under a key that looks secret (``AuthValue``, ``Password``,
    ``ClientSecret``, ``ApiKey``, ``*Token*``...), and the ``Value`` of a ``{Name, Value}`` item
    whose ``Name`` looks secret (a property). Used for the free-form bodies (LAUNCH options, a
    custom connector definition, a custom field, ``client.request(json=...)``). Sealing a value
    that was not secret costs nothing: it is sent as it was, only masked in reprs and errors.
    """
    if isinstance(data, Mapping):
        secret_item = is_sensitive_name(data.get("Name"))
        out: dict[Any, Any] = {}
        for key, value in data.items():
            secret = (
                key == "AuthValue" or is_sensitive_name(key) or (secret_item and key == "Value")
            )
            if secret and isinstance(value, str) and value:
                out[key] = AuthValue(value, kind="secret")
            else:
                out[key] = seal_body(value)
        return out
    if isinstance(data, (list, tuple)):
        return [seal_body(value) for value in data]
    return data


def seal_properties(properties: Properties) -> Properties:
    """A copy of ``properties`` with secret-looking values sealed (see ``seal_property_value``)."""
    if properties is None:
        return None
    if isinstance(properties, Mapping):
        return {k: seal_property_value(k, v) for k, v in properties.items()}
    if isinstance(properties, (str, bytes)) or not isinstance(properties, Sequence):
        raise ValidationError("properties must be {Name: Value} or a list of {Name, Value}")
    out: list[Mapping[str, Any]] = []
    for prop in properties:
        if not isinstance(prop, Mapping) or "Name" not in prop:
            raise ValidationError("each property needs at least a 'Name' and a 'Value'")
        value = seal_property_value(prop["Name"], prop.get("Value", ""))
        out.append({**prop, "Value": value})
    return out


# -- connector library (account level) ----------------------------------------------------


def list_connectors(account: str, query: str | None, category: str | None) -> Listing:
    return Listing(
        "/v1.0/connectors", "connectors", account, {"query": query, "category": category}
    )


def get_connector(account: str, connector_id: int) -> Operation[dict[str, Any]]:
    cid = check_int_id("connector_id", connector_id)
    return Operation("GET", f"/v1.0/connectors/{cid}", account=account)


def _properties(properties: Properties) -> list[Any]:
    sealed = seal_properties(properties)
    if sealed is None:
        return []
    if isinstance(sealed, Mapping):
        # Cyclr matches by Name (the Parameter's TargetName); Id 0 means "look it up by name".
        return [{"Name": k, "Value": v, "Id": 0} for k, v in sealed.items()]
    return [{"Id": 0, **prop} for prop in sealed]


def check_authentication_id(value: object) -> str:
    """``authentication_id``: an ``AuthMethod`` (from ``auth_methods()``) or its GUID ``Id``."""
    if isinstance(value, AuthMethod):
        if value.id is None:
            raise ValidationError(
                f"the auth method {value.name!r} comes from the connector's deprecated AuthType "
                "and has no Authentication Id: leave authentication_id out"
            )
        value = value.id
    return check_guid("authentication_id", value)


def install_connector(
    account: str,
    connector: int | str,
    name: str,
    description: str | None,
    authentication_id: AuthMethod | str | None,
    auth_value: AuthValue | str | None,
    properties: Properties,
    version: str | None = None,
) -> Operation[AccountConnector]:
    path = f"{connector_path(connector, version)}/install"
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name must be a non-empty string (the account connector's name)")
    body: dict[str, Any] = {"Name": name}
    if description is not None:
        body["Description"] = description
    if authentication_id is not None:
        body["AuthenticationId"] = check_authentication_id(authentication_id)
    secret = seal_auth_value(auth_value)
    if secret is not None:
        body["AuthValue"] = secret
    props = _properties(properties)
    if props:
        body["Properties"] = props
    chosen = authentication_id if isinstance(authentication_id, AuthMethod) else None
    return Operation(
        "POST",
        path,
        lambda data: AccountConnector.from_api(data, chosen),
        account=account,
        json=body,
        idempotent=False,
        check=f"client.find_account_connectors({account!r}, name={name!r})",
    )


# -- account connectors (account level) ----------------------------------------------------


def _masked_account_connectors(data: Any) -> list[Any]:
    # Masked as they arrive: no listing, frame or traceback ever holds an AuthValue.
    return [mask_account_connector(i) if isinstance(i, Mapping) else i for i in as_list(data)]


def list_account_connectors(account: str) -> Listing:
    return Listing(
        "/v1.0/account/connectors",
        "account_connectors",
        account,
        parse=_masked_account_connectors,
    )


def ac_path(ac_id: int) -> str:
    return f"/v1.0/account/connectors/{check_int_id('account_connector_id', ac_id)}"


def get_account_connector(account: str, ac_id: int) -> Operation[AccountConnector]:
    return Operation("GET", ac_path(ac_id), AccountConnector.from_api, account=account)


def update_account_connector(
    account: str,
    ac_id: int,
    name: str | None,
    description: str | None,
    auth_value: AuthValue | str | None,
) -> Operation[AccountConnector]:
    path = ac_path(ac_id)
    body: dict[str, Any] = {}
    if name is not None:
        body["Name"] = name
    if description is not None:
        body["Description"] = description
    secret = seal_auth_value(auth_value)
    if secret is not None:
        body["AuthValue"] = secret
    if not body:
        raise ValidationError("nothing to update: give name, description or auth_value")
    return Operation("PUT", path, AccountConnector.from_api, account=account, json=body)


def delete_account_connector(account: str, ac_id: int) -> Operation[None]:
    return Operation("DELETE", ac_path(ac_id), nothing, account=account)


def deauthenticate_account_connector(account: str, ac_id: int) -> Operation[str | None]:
    def parse(data: Any) -> str | None:
        return data.get("Message") if isinstance(data, dict) else None

    return Operation("PUT", f"{ac_path(ac_id)}/deauthenticate", parse, account=account, json={})


def _masked_properties(data: Any) -> list[Any]:
    return mask_properties(as_list(data))


def list_properties(account: str, ac_id: int) -> Listing:
    path = f"{ac_path(ac_id)}/properties"
    return Listing(path, "account_connector_properties", account, parse=_masked_properties)


def _masked_property(data: Any) -> dict[str, Any]:
    return mask_properties([data])[0] if isinstance(data, dict) else data


def add_property(
    account: str, ac_id: int, name: str, value: AuthValue | str
) -> Operation[dict[str, Any]]:
    path = f"{ac_path(ac_id)}/properties"
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("a property needs a non-empty name")
    # Adding an existing name again is rejected by Cyclr rather than duplicated, but the docs
    # do not promise it, so no blind retry.
    return Operation(
        "POST",
        path,
        _masked_property,
        account=account,
        json={"Name": name, "Value": seal_property_value(name, value), "Id": 0},
        idempotent=False,
        check=f"client.account_connector_properties({account!r}, {ac_id!r})",
    )


def get_property(account: str, ac_id: int, property_id: int) -> Operation[dict[str, Any]]:
    pid = check_int_id("property_id", property_id)
    return Operation("GET", f"{ac_path(ac_id)}/properties/{pid}", _masked_property, account=account)


def update_property(
    account: str, ac_id: int, property_id: int, value: AuthValue | str, name: str | None
) -> Operation[dict[str, Any]]:
    pid = check_int_id("property_id", property_id)
    body: dict[str, Any] = {"Id": pid, "Value": seal_property_value(name, value)}
    if name is not None:
        body["Name"] = name
    return Operation(
        "PUT", f"{ac_path(ac_id)}/properties/{pid}", _masked_property, account=account, json=body
    )


def delete_property(account: str, ac_id: int, property_id: int) -> Operation[None]:
    pid = check_int_id("property_id", property_id)
    return Operation("DELETE", f"{ac_path(ac_id)}/properties/{pid}", nothing, account=account)
