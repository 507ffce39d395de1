"""Documented Cyclr facts for accounts, tokens, the library, installs and LAUNCH: one test each.

Sources: R = docs/cyclr-api.md, S = docs/cyclr-api-surface.md; [T] is the live suite R cites.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import httpx

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403
from tests.support.sandbox import HTTP, token_response

DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")


def _partner(api: httpx.Client) -> dict[str, str]:
    return {"Authorization": api.headers["Authorization"]}


def _launch_flags(url: str) -> dict[str, list[str]]:
    inner = parse_qs(urlsplit(url).query)["returnUrl"][0]
    return parse_qs(inner.partition("?")[2])


def test_token_reply_is_snake_case_with_client_id(sb: Sandbox) -> None:  # R §2.1, S §2.1
    body = token_response(sb).json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 1209599
    assert body["clientId"] == sb.client_id and body["access_token"]


def test_every_response_has_nosniff(api: httpx.Client, sb: Sandbox) -> None:  # R §7
    for r in (token_response(sb), api.get("/v1.0/accounts"), api.get("/v1.0/accounts/nope")):
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_create_account_is_200_with_7_digit_dates(api: httpx.Client) -> None:  # R §4.1
    r = api.post("/v1.0/accounts", json={"Id": "JO-Test-1234567890", "Name": "JO"})
    assert r.status_code == 200
    assert DATE.match(r.json()["CreatedDate"]) and DATE.match(r.json()["NextBillDateUtc"])


def test_duplicate_account_id_message(api: httpx.Client, sb: Sandbox) -> None:  # R §4.1
    r = api.post("/v1.0/accounts", json={"Id": sb.account_id, "Name": "x"})
    assert r.status_code == 400 and r.text == '{"Message":"ID already in use"}'


def test_account_name_is_required(api: httpx.Client) -> None:  # R §4.1
    for body in ({"description": "x"}, {"Name": ""}):
        r = api.post("/v1.0/accounts", json=body)
        assert r.status_code == 400 and "Name is required" in r.text


def test_retention_negative_message_and_clamp(api: httpx.Client, sb: Sandbox) -> None:  # R §4.1
    path = f"/v1.0/accounts/{sb.account_id}"
    r = api.put(path, json={"StepDataErroredRetentionHours": -10})
    assert r.text == '{"Message":"StepDataErroredRetentionHours (-10): must be non negative"}'
    r = api.put(path, json={"StepDataSuccessRetentionHours": 745})
    assert r.json()["StepDataSuccessRetentionHours"] == 744


def test_webhook_url_rules(api: httpx.Client, sb: Sandbox) -> None:  # R §4.1
    path, on = f"/v1.0/accounts/{sb.account_id}", {"TransactionErrorWebhookEnabled": True}
    r = api.put(path, json={**on, "TransactionErrorWebhookUrl": " "})
    assert r.text == '{"Message":"https://  is not a valid URL"}'
    r = api.put(path, json=on)
    assert r.json()["Message"].startswith("Transaction Error Webhook enabled:")
    r = api.put(path, json={**on, "TransactionErrorWebhookUrl": "hooks.example/x"})
    assert r.json()["TransactionErrorWebhookUrl"] == "https://hooks.example/x"


def test_list_past_the_end_is_200_empty_with_headers(api: httpx.Client) -> None:  # R §3.3
    r = api.get("/v1.0/accounts", params={"page": 999})
    assert r.status_code == 200 and r.json() == []
    assert "Total-Pages" in r.headers and "Total-Records" in r.headers


def test_account_level_call_without_header_is_401(api: httpx.Client) -> None:  # R §2.4, §7
    for path in ("/v1.0/connectors", "/v1.0/account/connectors", "/v1.0/account/connectors/custom"):
        assert api.get(path, headers={"X-Cyclr-Account": ""}).status_code == 401


def test_partner_level_calls_need_no_header(api: httpx.Client, sb: Sandbox) -> None:  # R §2.4
    h = _partner(api)
    assert HTTP.get(f"{sb.api_url}/v1.0/accounts", headers=h).status_code == 200
    url = f"{sb.api_url}/v1.0/accounts/{sb.account_id}/orbit"
    assert HTTP.post(url, headers=h, json={}).status_code == 200


def test_signin_token_creates_the_user_and_expires_in_5_min(
    api: httpx.Client, sb: Sandbox
) -> None:  # R §4.3, S §4.5
    r = api.post(f"/v1.0/accounts/{sb.account_id}/signintoken", json={"Username": "brand.new"})
    assert set(r.json()) == {"Token", "ExpiresAtUtc"} and DATE.match(r.json()["ExpiresAtUtc"])
    users = api.get(f"/v1.0/accounts/{sb.account_id}/users").json()
    assert "brand.new" in {u["UserName"] for u in users}


def test_legacy_tokens_call_uses_the_header(api: httpx.Client) -> None:  # R §4.3 (older)
    assert set(api.post("/v1.0/accounts/tokens").json()) == {"Token", "ExpiresAtUtc"}
    assert api.post("/v1.0/accounts/tokens", headers={"X-Cyclr-Account": ""}).status_code == 401


def test_connector_query_searches_by_name(api: httpx.Client) -> None:  # R §3.1, S §5.4
    assert [c["Name"] for c in api.get("/v1.0/connectors?query=MailChimp").json()] == ["MailChimp"]


def test_install_unknown_property_message(api: httpx.Client, sb: Sandbox) -> None:  # R §3.4
    cid = api.get("/v1.0/connectors/MailChimp").json()[0]["Id"]
    body = {"Properties": [{"Name": "Dont exist", "Value": "v"}]}
    r = api.post(f"/v1.0/connectors/{cid}/install", json=body)
    want = "There is not a connector property that matches name 'Dont exist'."
    assert r.status_code == 400 and r.json() == {"Message": want}


def test_install_non_account_property_message(api: httpx.Client) -> None:  # R §3.4
    lib = api.get("/v1.0/connectors", params={"pageSize": 500}).json()
    conn, param = next(
        (c, p)
        for c in lib
        for p in c["Parameters"]
        if not p["IsAccountConnectorProperty"] and c["Status"] == "Approved"
    )
    body = {"Properties": [{"Name": param["TargetName"], "Value": "v"}]}
    r = api.post(f"/v1.0/connectors/{conn['Id']}/install", json=body)
    name = param["TargetName"]
    assert r.json() == {
        "Message": f"Connector property name '{name}' is not an account connector property."
    }


def test_install_draft_message(api: httpx.Client, sb: Sandbox) -> None:  # R §3.4
    cid = sb.ids["draft_connector_id"]
    r = api.post(f"/v1.0/connectors/{cid}/install", json={})
    assert r.json() == {"Message": f"Connector {cid} is a draft and cannot be installed."}


def test_install_by_name_is_200_and_connector_id_is_the_release(api: httpx.Client) -> None:
    # R §3.4 (install by name, no Name needed), R §3.5 / S §6.1 (Connector.Id = release id)
    release = api.get("/v1.0/connectors/Access CRM").json()[-1]["Id"]
    r = api.post("/v1.0/connectors/Access CRM/install", json={})
    assert r.status_code == 200 and r.json()["Connector"]["Id"] == release


def test_deauthenticate_message(api: httpx.Client, sb: Sandbox) -> None:  # R §3.5
    ac = api.post("/v1.0/connectors/Access CRM/install", json={"Name": "Mine"}).json()["Id"]
    r = api.put(f"/v1.0/account/connectors/{ac}/deauthenticate", json={})
    assert r.status_code == 200
    assert r.json() == {"Message": "Connector 'Mine' successfully de-authenticated."}


def test_add_property_with_any_name(api: httpx.Client, sb: Sandbox) -> None:  # R §3.5, [T]
    ac = sb.ids["first_account_connector_id"]
    r = api.post(f"/v1.0/account/connectors/{ac}/properties", json={"Name": "JO-Prop", "Id": 0})
    assert r.status_code == 200 and set(r.json()) == {"Name", "Value", "Id", "AccountConnectorId"}


def test_methods_are_listed_by_name(api: httpx.Client) -> None:  # R §3.2 ([T]'s order)
    names = [m["Name"] for m in api.get("/v1.0/connectors/MailChimp/v3/methods/").json()]
    assert names == sorted(names)


def test_malformed_and_unknown_ids(api: httpx.Client) -> None:  # R §7
    assert api.get("/v1.0/account/connectors/abc").status_code == 400
    assert api.get("/v1.0/account/connectors/9999999").status_code == 404
    assert api.get("/v1.0/methods/9999999").status_code == 404
    assert api.get("/v1.0/connectors/9999999").status_code == 404


def test_launch_string_booleans_and_any_case_keys(api: httpx.Client, sb: Sandbox) -> None:
    # R §5.4 flags; [T] sends "Start": "false", "wizard", "completeParameter", "tags".
    body = {"Start": "false", "RunOnce": "true", "AutoInstall": "false", "SingleInstall": "true"}
    body |= {"wizard": "true", "DisplayDescriptions": True, "InlineOAuth": False}
    body |= {"completeParameter": "CP-1", "tags": ["t1", "t2"]}
    reply = api.post(f"/v1.0/accounts/{sb.account_id}/launch", json=body).json()
    url = reply["LaunchUrl"]
    for flag in ("start=false", "once=true", "auto=false", "single=true", "wizard=true"):
        assert flag in url
    assert "descriptions=true" in url and "inline=false" in url and reply["Token"] in url
    assert _launch_flags(url)["tag"] == ["t1", "t2"] and "CP-1" in url


def test_launch_inline_true_writes_no_flag(api: httpx.Client, sb: Sandbox) -> None:  # R §5.4
    url = api.post(f"/v1.0/accounts/{sb.account_id}/launch", json={"InlineOAuth": True}).json()
    assert "inline=" not in url["LaunchUrl"]


def test_inline_absent_follows_the_console_setting(api: httpx.Client, sb: Sandbox) -> None:
    sb.configure(inline_oauth_setting=False)  # [T]'s truth table, setting unticked
    body = {"MarketplaceId": 1234}
    url = api.post(f"/v1.0/accounts/{sb.account_id}/marketplace", json=body).json()
    assert "inline=false" in url["MarketplaceUrl"]


def test_launch_creates_a_new_account(api: httpx.Client) -> None:  # R §5.4, S §10
    assert api.post("/v1.0/accounts/fresh-launch/launch", json={}).status_code == 200
    assert api.get("/v1.0/accounts/fresh-launch").json()["Name"] == "fresh-launch"


def test_orbit_takes_an_empty_object(api: httpx.Client, sb: Sandbox) -> None:  # R §5.4
    reply = api.post(f"/v1.0/accounts/{sb.account_id}/orbit", json={}).json()
    assert set(reply) == {"AccountId", "ExpiresAtUtc", "OrbitUrl", "Token"}
    assert reply["Token"] in reply["OrbitUrl"] and "returnUrl=%2Forbit" in reply["OrbitUrl"]


def test_marketplace_fields_and_return_url(api: httpx.Client, sb: Sandbox) -> None:  # R §5.5
    body = {"MarketplaceId": "1234", "ConnectorAuthentications": {"Name": "X"}}
    reply = api.post(f"/v1.0/accounts/{sb.account_id}/marketplace", json=body).json()
    assert set(reply) == {"AccountId", "ExpiresAtUtc", "MarketplaceUrl", "Token"}
    assert "returnUrl=%2Flaunch/marketplace/1234" in reply["MarketplaceUrl"]


def test_connector_authentications_object_or_array(api: httpx.Client, sb: Sandbox) -> None:
    # R §5.5: the example sends one object, the table an array; both are accepted.
    path = f"/v1.0/accounts/{sb.account_id}/launch"
    for value in ({"Name": "X"}, [{"Name": "X"}]):
        assert api.post(path, json={"ConnectorAuthentications": value}).status_code == 200


def test_custom_connector_without_name_message(api: httpx.Client) -> None:  # R §3.5, [T]
    r = api.post("/v1.0/account/connectors/custom", json={"Description": "d"})
    assert r.text == '{"Message":"Invalid connector: (Column \'Name\' cannot be null)"}'
    body = {"Name": "c", "UniqueIdentifier": "123"}
    assert api.post("/v1.0/account/connectors/custom", json=body).status_code == 400
