"""The sans-I/O core: one function per Cyclr call, returning an :class:`Operation`.

An operation says what to send (method, path, query, JSON body, account header), whether a
retry is safe, and how to parse the answer. Arguments are checked here, so bad input fails
before any request: every id that goes into a path is validated and percent-encoded as one
segment. Both clients execute the same operations; only their send paths differ.

Secrets are sealed as ``AuthValue`` leaves of the body (see :mod:`._operation`): an
``auth_value``, and the value of every property whose name looks secret (``ClientSecret``,
``Password``, ``ApiKey``...) or that the caller passed as an ``AuthValue``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from ._authvalue import AuthValue
from ._exceptions import ValidationError
from ._models import (
    AccountConnector,
    SignInToken,
    is_sensitive_name,
    mask_account_connector,
    mask_properties,
)
from ._operation import (
    Listing,
    Operation,
    as_list,
    check_account,
    check_guid,
    check_int_id,
    check_str_id,
    nothing,
)

__all__ = [
    "Listing",
    "Operation",
    "check_account",
    "check_guid",
    "check_int_id",
    "check_str_id",
    "seal_auth_value",
    "seal_properties",
    "seal_property_value",
    "seal_secret",
]

Properties = Mapping[str, AuthValue | str] | Sequence[Mapping[str, Any]] | None


def _seg(value: str | int) -> str:
    # One path segment: "/" and every other reserved character percent-encoded.
    return quote(str(value), safe="")


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


# -- accounts (partner level) --------------------------------------------------------------


def list_accounts() -> Listing:
    return Listing("/v1.0/accounts", "accounts")


def get_account(account_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", f"/v1.0/accounts/{_seg(check_account(account_id))}")


_ACCOUNT_FIELDS = {
    "description": "Description",
    "timezone": "Timezone",
    "parent_account_id": "ParentAccountId",
    "audit_info": "AuditInfo",
    "task_audit_info": "TaskAuditInfo",
    "step_data_success_retention_hours": "StepDataSuccessRetentionHours",
    "step_data_errored_retention_hours": "StepDataErroredRetentionHours",
    "transaction_error_webhook_enabled": "TransactionErrorWebhookEnabled",
    "transaction_error_webhook_url": "TransactionErrorWebhookUrl",
    "transaction_error_webhook_include_warnings": "TransactionErrorWebhookIncludeWarnings",
}


def _account_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key, value in fields.items():
        if key not in _ACCOUNT_FIELDS:
            raise ValidationError(
                f"unknown account field {key!r}; known: {sorted(_ACCOUNT_FIELDS)}"
            )
        if value is not None:
            body[_ACCOUNT_FIELDS[key]] = value
    return body


def create_account(
    name: str, id: str | None, fields: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name is required to create an account")
    body = {"Name": name, **_account_body(fields)}
    if id is not None:
        body["Id"] = check_account(id, name="id")
    # Without an Id, a retried create could make a second account: not idempotent.
    return Operation(
        "POST",
        "/v1.0/accounts",
        json=body,
        idempotent=False,
        check=f"client.accounts() and look for Name == {name!r}",
    )


def update_account(
    account_id: str, name: str | None, fields: Mapping[str, Any]
) -> Operation[dict[str, Any]]:
    body = _account_body(fields)
    if name is not None:
        body["Name"] = name
    if not body:
        raise ValidationError("nothing to update: give name or another account field")
    return Operation("PUT", f"/v1.0/accounts/{_seg(check_account(account_id))}", json=body)


def delete_account(account_id: str) -> Operation[None]:
    return Operation("DELETE", f"/v1.0/accounts/{_seg(check_account(account_id))}", nothing)


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


def install_connector(
    account: str,
    connector_id: int,
    name: str,
    description: str | None,
    authentication_id: str | None,
    auth_value: AuthValue | str | None,
    properties: Properties,
) -> Operation[AccountConnector]:
    cid = check_int_id("connector_id", connector_id)
    if not isinstance(name, str) or not name.strip():
        raise ValidationError("name must be a non-empty string (the account connector's name)")
    body: dict[str, Any] = {"Name": name}
    if description is not None:
        body["Description"] = description
    if authentication_id is not None:
        body["AuthenticationId"] = check_str_id("authentication_id", authentication_id)
    secret = seal_auth_value(auth_value)
    if secret is not None:
        body["AuthValue"] = secret
    props = _properties(properties)
    if props:
        body["Properties"] = props
    return Operation(
        "POST",
        f"/v1.0/connectors/{cid}/install",
        AccountConnector.from_api,
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


def _ac_path(ac_id: int) -> str:
    return f"/v1.0/account/connectors/{check_int_id('account_connector_id', ac_id)}"


def get_account_connector(account: str, ac_id: int) -> Operation[AccountConnector]:
    return Operation("GET", _ac_path(ac_id), AccountConnector.from_api, account=account)


def update_account_connector(
    account: str,
    ac_id: int,
    name: str | None,
    description: str | None,
    auth_value: AuthValue | str | None,
) -> Operation[AccountConnector]:
    path = _ac_path(ac_id)
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
    return Operation("DELETE", _ac_path(ac_id), nothing, account=account)


def deauthenticate_account_connector(account: str, ac_id: int) -> Operation[str | None]:
    def parse(data: Any) -> str | None:
        return data.get("Message") if isinstance(data, dict) else None

    return Operation("PUT", f"{_ac_path(ac_id)}/deauthenticate", parse, account=account, json={})


def _masked_properties(data: Any) -> list[Any]:
    return mask_properties(as_list(data))


def list_properties(account: str, ac_id: int) -> Listing:
    path = f"{_ac_path(ac_id)}/properties"
    return Listing(path, "account_connector_properties", account, parse=_masked_properties)


def _masked_property(data: Any) -> dict[str, Any]:
    return mask_properties([data])[0] if isinstance(data, dict) else data


def add_property(
    account: str, ac_id: int, name: str, value: AuthValue | str
) -> Operation[dict[str, Any]]:
    path = f"{_ac_path(ac_id)}/properties"
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


def update_property(
    account: str, ac_id: int, property_id: int, value: AuthValue | str, name: str | None
) -> Operation[dict[str, Any]]:
    pid = check_int_id("property_id", property_id)
    body: dict[str, Any] = {"Id": pid, "Value": seal_property_value(name, value)}
    if name is not None:
        body["Name"] = name
    return Operation(
        "PUT", f"{_ac_path(ac_id)}/properties/{pid}", _masked_property, account=account, json=body
    )


def delete_property(account: str, ac_id: int, property_id: int) -> Operation[None]:
    pid = check_int_id("property_id", property_id)
    return Operation("DELETE", f"{_ac_path(ac_id)}/properties/{pid}", nothing, account=account)


# -- sign-in tokens ------------------------------------------------------------------------


def sign_in_token(account_id: str, username: str, legacy: bool) -> Operation[SignInToken]:
    account = check_account(account_id)
    # A duplicate sign-in token is harmless (single use, expires in 5 minutes, the user is
    # created once by name), so these POSTs may be retried like reads.
    if legacy:
        return Operation("POST", "/v1.0/accounts/tokens", SignInToken.from_api, account=account)
    if not isinstance(username, str) or not username.strip():
        raise ValidationError("username must be a non-empty string")
    return Operation(
        "POST",
        f"/v1.0/accounts/{_seg(account)}/signintoken",
        SignInToken.from_api,
        json={"Username": username},
    )


# -- templates and cycles ------------------------------------------------------------------


def list_templates(account: str | None) -> Listing:
    return Listing("/v1.0/templates", "templates", account)


def install_template(account: str, template_id: str) -> Operation[dict[str, Any]]:
    tid = check_guid("template_id", template_id)
    return Operation(
        "POST",
        f"/v1.0/templates/{_seg(tid)}/install",
        account=account,
        json={},
        idempotent=False,
        check=f"client.cycles({account!r}) and look for TemplateId",
    )


def list_cycles(account: str) -> Listing:
    return Listing("/v1.0/cycles", "cycles", account)


def _cycle_path(cycle_id: str) -> str:
    # A GUID, never "transactions" or "incidents": those are sibling routes under /cycles.
    return f"/v1.0/cycles/{_seg(check_guid('cycle_id', cycle_id))}"


def get_cycle(account: str, cycle_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", _cycle_path(cycle_id), account=account)


_INTERVALS = (1, 5, 15, 30, 60, 120, 180, 240, 360, 480, 720, 1440, 10080)


def activate_cycle(
    account: str, cycle_id: str, start_time: str | None, interval: int | None, run_once: bool | None
) -> Operation[None]:
    body: dict[str, Any] = {}
    if start_time is not None:
        body["StartTime"] = start_time
    if interval is not None:
        if interval not in _INTERVALS:
            raise ValidationError(f"interval must be one of {_INTERVALS} minutes, got {interval!r}")
        body["Interval"] = interval
    if run_once is not None:
        body["RunOnce"] = bool(run_once)
    return Operation(
        "PUT", f"{_cycle_path(cycle_id)}/activate", nothing, account=account, json=body
    )


def deactivate_cycle(account: str, cycle_id: str, finish_queued: bool | None) -> Operation[None]:
    params = (
        None
        if finish_queued is None
        else {"finishQueuedTransactions": str(bool(finish_queued)).lower()}
    )
    return Operation(
        "PUT",
        f"{_cycle_path(cycle_id)}/deactivate",
        nothing,
        account=account,
        params=params,
        json={},
    )


def cycle_prerequisites(account: str, cycle_id: str) -> Operation[list[Any]]:
    return Operation("GET", f"{_cycle_path(cycle_id)}/prerequisites", as_list, account=account)


def list_transactions(
    account: str, cycle_id: str | None, status: str | None, after: str | None, before: str | None
) -> Listing:
    path = (
        "/v1.0/cycles/transactions" if cycle_id is None else f"{_cycle_path(cycle_id)}/transactions"
    )
    return Listing(
        path, "transactions", account, {"status": status, "after": after, "before": before}
    )


def list_incidents(
    account: str, level: str, cycle_id: str | None, after: str | None, before: str | None
) -> Listing:
    if cycle_id is not None:
        return Listing(f"{_cycle_path(cycle_id)}/incidents", "incidents", account)
    if level not in ("error", "warning"):
        raise ValidationError(f"level must be 'error' or 'warning', got {level!r}")
    return Listing(
        f"/v1.0/cycles/incidents/{level}", "incidents", account, {"after": after, "before": before}
    )
