"""Accounts, usage and users: Cyclr's fidelity rules (issue #11), over loopback HTTP."""

from __future__ import annotations

import re

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403

DATE_7 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
NO_URL = "Transaction Error Webhook enabled: Transaction Error Webhook URL must be defined"


def _create(api: httpx.Client, **body: object) -> httpx.Response:
    return api.post("/v1.0/accounts", json={"Name": "Fidelity Co", **body})


# -- create ----------------------------------------------------------------------------------


def test_created_account_has_billing_date_and_net_dates(api: httpx.Client) -> None:
    acc = _create(api, Id="fid-1").json()
    assert DATE_7.match(acc["CreatedDate"]) and DATE_7.match(acc["NextBillDateUtc"])
    assert acc["NextBillDateUtc"] > acc["CreatedDate"]


def test_duplicate_id_is_400(api: httpx.Client, sb: Sandbox) -> None:
    r = _create(api, Id=sb.account_id)
    assert r.status_code == 400 and r.json() == {"Message": "ID already in use"}


@pytest.mark.parametrize("body", [{}, {"Name": None}, {"Name": ""}, {"Name": "  "}])
def test_name_is_required(api: httpx.Client, body: dict[str, object]) -> None:
    r = api.post("/v1.0/accounts", json={"Description": "d", **body})
    assert r.status_code == 400 and "Name is required" in r.json()["Message"]


def test_retention_negative_is_400_and_large_is_clamped(api: httpx.Client) -> None:
    r = _create(api, StepDataSuccessRetentionHours=-10)
    assert r.status_code == 400
    assert r.json()["Message"].endswith("(-10): must be non negative")
    acc = _create(api, StepDataSuccessRetentionHours=1000, StepDataErroredRetentionHours=12)
    assert acc.json()["StepDataSuccessRetentionHours"] == 744
    assert acc.json()["StepDataErroredRetentionHours"] == 12


def test_webhook_url_without_scheme_gets_https(api: httpx.Client) -> None:
    acc = _create(
        api, TransactionErrorWebhookEnabled=True, TransactionErrorWebhookUrl="hooks.example.com/x"
    ).json()
    assert acc["TransactionErrorWebhookUrl"] == "https://hooks.example.com/x"


def test_webhook_url_of_white_space_is_400(api: httpx.Client) -> None:
    r = _create(api, TransactionErrorWebhookUrl=" ")
    assert r.status_code == 400 and r.json()["Message"] == "https://  is not a valid URL"


@pytest.mark.parametrize("url", ["missing", None, ""])
def test_webhook_enabled_without_url_in_body_is_400(api: httpx.Client, url: object) -> None:
    body: dict[str, object] = {"TransactionErrorWebhookEnabled": True}
    if url != "missing":
        body["TransactionErrorWebhookUrl"] = url
    r = _create(api, **body)
    assert r.status_code == 400 and r.json()["Message"] == NO_URL
    # The same on update, even when the account already has a URL stored.
    acc = _create(api, TransactionErrorWebhookUrl="https://h.example/x").json()
    r = api.put(f"/v1.0/accounts/{acc['Id']}", json=body)
    assert r.status_code == 400 and r.json()["Message"] == NO_URL


# -- update ------------------------------------------------------------------------------------


def test_update_applies_null_and_keeps_absent_fields(api: httpx.Client) -> None:
    acc = _create(api, Id="fid-null", Description="d", StepDataErroredRetentionHours=5).json()
    r = api.put(
        f"/v1.0/accounts/{acc['Id']}",
        json={"Description": None, "StepDataErroredRetentionHours": None},
    )
    got = r.json()
    assert r.status_code == 200
    assert got["Description"] is None and got["StepDataErroredRetentionHours"] is None
    assert got["Name"] == "Fidelity Co" and got["NextBillDateUtc"] == acc["NextBillDateUtc"]
    assert api.get(f"/v1.0/accounts/{acc['Id']}").json() == got


def test_update_name_null_is_400(api: httpx.Client, sb: Sandbox) -> None:
    r = api.put(f"/v1.0/accounts/{sb.account_id}", json={"Name": None})
    assert r.status_code == 400 and "Name is required" in r.json()["Message"]


# -- lists -------------------------------------------------------------------------------------


def test_accounts_sort_order_and_order_by(api: httpx.Client) -> None:
    up = [a["Name"] for a in api.get("/v1.0/accounts", params={"orderBy": "Name"}).json()]
    down = api.get("/v1.0/accounts", params={"orderBy": "Name", "sortOrderAsc": "false"}).json()
    assert up == sorted(up) and [a["Name"] for a in down] == up[::-1]
    # An orderBy Cyclr would not know is refused, never silently ignored.
    assert api.get("/v1.0/accounts", params={"orderBy": "Nope"}).status_code == 400


def test_trailing_slash_is_the_same_route(api: httpx.Client, sb: Sandbox) -> None:
    for path in (f"/v1.0/accounts/{sb.account_id}/users", "/v1.0/account/connectors"):
        plain, slash = api.get(path), api.get(path + "/")
        assert slash.status_code == 200 and slash.json() == plain.json()


# -- usage and users --------------------------------------------------------------------------


def test_usage(api: httpx.Client, sb: Sandbox) -> None:
    usage = api.get(f"/v1.0/accounts/{sb.account_id}/usage").json()
    assert set(usage) == {"Id", "TasksUsed", "StartTime", "EndTime"}
    assert usage["Id"] == sb.account_id and usage["TasksUsed"] > 0
    assert usage["StartTime"] < usage["EndTime"]
    assert api.get("/v1.0/accounts/nope/usage").status_code == 404


def test_every_account_has_a_user(api: httpx.Client, sb: Sandbox) -> None:
    for acc in api.get("/v1.0/accounts").json():
        users = api.get(f"/v1.0/accounts/{acc['Id']}/users").json()
        assert users and all(set(u) == {"Id", "UserName"} for u in users)
    names = [u["UserName"] for u in api.get(f"/v1.0/accounts/{sb.account_id}/users").json()]
    assert sb.ids["username"] in names


def test_add_remove_user_and_set_password(api: httpx.Client, sb: Sandbox) -> None:
    users = f"/v1.0/accounts/{sb.account_id}/users"
    body = {"UserName": "new.user", "Password": "Password123!"}
    assert api.put(users, json=body).status_code == 200
    assert api.put(users, json=body).status_code == 400  # already there
    assert "new.user" in [u["UserName"] for u in api.get(users).json()]
    short = api.put(users, json={"UserName": "x.y", "Password": "abc"})
    assert short.status_code == 400 and "at least 6" in short.json()["Message"]
    assert api.put(users, json={"Password": "Password123!"}).status_code == 400
    pw = api.put("/v1.0/users", json={"UserName": "new.user", "Password": "Another123!"})
    assert pw.status_code == 200
    assert (
        api.put("/v1.0/users", json={"UserName": "ghost", "Password": "x1234567"}).status_code
        == 404
    )
    assert api.request("DELETE", users, json={"UserName": "new.user"}).status_code == 200
    assert api.request("DELETE", users, json={"UserName": "new.user"}).status_code == 404
    assert api.get("/v1.0/accounts/nope/users").status_code == 404


def test_user_password_is_never_listed(api: httpx.Client, sb: Sandbox) -> None:
    text = api.get(f"/v1.0/accounts/{sb.account_id}/users").text
    assert "Password" not in text


# -- the API IP allow-list switch ---------------------------------------------------------------


def test_ip_allowlist_switch_refuses_every_call(api: httpx.Client, sb: Sandbox) -> None:
    sb.configure(ip_allowlist_blocks=True)
    for r in (
        api.get("/v1.0/accounts"),
        api.get("/v1.0/account/connectors"),
        api.post(f"{sb.api_url}/oauth/token", data={"grant_type": "client_credentials"}),
    ):
        assert r.status_code == 403
        assert "restricted by IP address" in r.json()["Message"]
    sb.configure(ip_allowlist_blocks=False)
    assert api.get("/v1.0/accounts").status_code == 200
