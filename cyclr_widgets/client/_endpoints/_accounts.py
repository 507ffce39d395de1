"""Operations on accounts (partner level) and the one-time sign-in tokens of an account."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import SignInToken, ValidationError
from .._operation import Listing, Operation, check_account, nothing, segment

__all__ = [
    "create_account",
    "delete_account",
    "get_account",
    "list_accounts",
    "sign_in_token",
    "update_account",
]


# -- accounts (partner level) --------------------------------------------------------------


def list_accounts() -> Listing:
    return Listing("/v1.0/accounts", "accounts")


def get_account(account_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", f"/v1.0/accounts/{segment(check_account(account_id))}")


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
    return Operation("PUT", f"/v1.0/accounts/{segment(check_account(account_id))}", json=body)


def delete_account(account_id: str) -> Operation[None]:
    return Operation("DELETE", f"/v1.0/accounts/{segment(check_account(account_id))}", nothing)


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
        f"/v1.0/accounts/{segment(account)}/signintoken",
        SignInToken.from_api,
        json={"Username": username},
    )
