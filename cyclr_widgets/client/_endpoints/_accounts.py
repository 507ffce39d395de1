"""Operations on accounts (partner level), their users and the one-time sign-in tokens.

Passwords are sealed as ``AuthValue`` leaves of the body (see :mod:`.._operation`), so an
operation's repr, an error message or a traceback never shows one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...core import AuthValue, SignInToken, ValidationError
from .._operation import Listing, Operation, check_account, nothing, segment

__all__ = [
    "MAX_USERNAME",
    "account_usage",
    "add_account_user",
    "check_username",
    "create_account",
    "delete_account",
    "get_account",
    "list_account_users",
    "list_accounts",
    "list_subaccounts",
    "remove_account_user",
    "seal_password",
    "set_user_password",
    "sign_in_token",
    "update_account",
    "user_name",
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


def _account_path(account_id: str) -> str:
    return f"/v1.0/accounts/{segment(check_account(account_id))}"


def list_subaccounts(account_id: str) -> Listing:
    # Cyclr's sub-account objects are accounts: the same columns.
    return Listing(f"{_account_path(account_id)}/subaccounts", "subaccounts")


def account_usage(account_id: str) -> Operation[dict[str, Any]]:
    return Operation("GET", f"{_account_path(account_id)}/usage")


# -- users (partner level) -------------------------------------------------------------------

# Cyclr's user names are ASP.NET Identity UserNames (nvarchar(256)).
MAX_USERNAME = 256


def check_username(username: object, name: str = "username") -> str:
    """A user name: a non-empty string of at most 256 printable characters."""
    if not isinstance(username, str) or not username.strip():
        raise ValidationError(f"{name} must be a non-empty string")
    text = username.strip()
    if len(text) > MAX_USERNAME or not text.isprintable():
        raise ValidationError(f"{name} must be at most {MAX_USERNAME} printable characters")
    return text


def seal_password(password: object, name: str = "password") -> AuthValue:
    """A password argument sealed as an ``AuthValue`` (never shown in reprs or errors)."""
    if isinstance(password, AuthValue):
        sealed = password
    elif isinstance(password, str):
        sealed = AuthValue(password, kind="secret")
    else:
        # The type only: the value may be the password itself.
        raise ValidationError(
            f"{name} must be a string or an AuthValue, got {type(password).__name__}"
        )
    if not sealed.reveal():
        raise ValidationError(f"{name} must not be empty")
    return sealed


def list_account_users(account_id: str) -> Listing:
    return Listing(f"{_account_path(account_id)}/users", "account_users")


def user_name(user: object) -> str | None:
    """The user name of one item of the users list (its field name is not documented)."""
    if isinstance(user, str):
        return user or None
    if isinstance(user, Mapping):
        for key in ("UserName", "Username", "Name", "Email"):
            value = user.get(key)
            if isinstance(value, str) and value.strip():
                return value
    return None


def add_account_user(
    account_id: str, username: str, password: AuthValue | str
) -> Operation[dict[str, Any]]:
    body = {"UserName": check_username(username), "Password": seal_password(password)}
    # Adding the same user twice leaves one user (a PUT), so a retry is harmless.
    return Operation("PUT", f"{_account_path(account_id)}/users", json=body)


def remove_account_user(account_id: str, username: str) -> Operation[None]:
    # R §4.2: the user goes in the body of the DELETE, not in the path.
    body = {"UserName": check_username(username)}
    return Operation("DELETE", f"{_account_path(account_id)}/users", nothing, json=body)


def set_user_password(username: str, password: AuthValue | str) -> Operation[dict[str, Any]]:
    body = {"UserName": check_username(username), "Password": seal_password(password)}
    return Operation("PUT", "/v1.0/users", json=body)


# -- sign-in tokens ------------------------------------------------------------------------


def sign_in_token(account_id: str, username: str | None, legacy: bool) -> Operation[SignInToken]:
    account = check_account(account_id)
    # A duplicate sign-in token is harmless (single use, expires in 5 minutes, the user is
    # created once by name), so these POSTs may be retried like reads.
    if legacy:
        return Operation("POST", "/v1.0/accounts/tokens", SignInToken.from_api, account=account)
    name = check_username(username)

    def parse(data: Any) -> SignInToken:
        return SignInToken.from_api(data, username=name)

    return Operation(
        "POST",
        f"/v1.0/accounts/{segment(account)}/signintoken",
        parse,
        json={"Username": name},
    )
