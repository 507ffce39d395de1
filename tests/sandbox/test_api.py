"""The sandbox API over real loopback HTTP: paths, shapes, status codes, paging, errors."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403
from tests.support.sandbox import HTTP, get_token, signin, token_response

# -- /oauth/token and 401s ---------------------------------------------------------------------


def test_token_shape(sb: Sandbox) -> None:
    r = token_response(sb)
    body = r.json()
    assert r.status_code == 200
    assert body["token_type"] == "bearer" and body["expires_in"] == 1209599
    assert body["clientId"] == sb.client_id
    assert body[".issued"].endswith(" GMT") and body[".expires"].endswith(" GMT")
    assert r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (
            {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
            "invalid_client",
        ),
        (
            {"grant_type": "password", "client_id": "x", "client_secret": "y"},
            "unsupported_grant_type",
        ),
        ({}, "unsupported_grant_type"),
    ],
)
def test_token_errors(sb: Sandbox, data: dict[str, str], error: str) -> None:
    r = HTTP.post(sb.api_url + "/oauth/token", data=data)
    assert (r.status_code, r.json()["error"]) == (400, error)


def test_token_query_string_is_not_enough(sb: Sandbox) -> None:
    params = {
        "grant_type": "client_credentials",
        "client_id": sb.client_id,
        "client_secret": sb.client_secret,
    }
    assert HTTP.post(sb.api_url + "/oauth/token", params=params).status_code == 400


def test_tokens_vary_like_cyclrs(sb: Sandbox) -> None:
    tokens = [get_token(sb) for _ in range(40)]
    assert len(set(tokens)) == 40
    joined = "".join(tokens)
    assert "=" in joined and ("+" in joined or "/" in joined)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer nope", "Basic abc"])
def test_401_for_bad_tokens(sb: Sandbox, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    r = HTTP.get(sb.api_url + "/v1.0/accounts", headers=headers)
    assert r.status_code == 401 and "denied" in r.json()["Message"]


def test_401_for_expired_token(sb: Sandbox, clock) -> None:
    tok = get_token(sb)
    h = {"Authorization": f"Bearer {tok}"}
    assert HTTP.get(sb.api_url + "/v1.0/accounts", headers=h).status_code == 200
    clock.advance(1209600)
    assert HTTP.get(sb.api_url + "/v1.0/accounts", headers=h).status_code == 401


def test_401_for_missing_or_unknown_account_header(api: httpx.Client) -> None:
    assert api.get("/v1.0/connectors", headers={"X-Cyclr-Account": ""}).status_code == 401
    assert (
        api.get("/v1.0/account/connectors", headers={"X-Cyclr-Account": "nobody"}).status_code
        == 401
    )
    no_header = HTTP.get(
        str(api.base_url) + "/v1.0/cycles", headers={"Authorization": api.headers["Authorization"]}
    )
    assert no_header.status_code == 401


def test_account_restricted_token(sb: Sandbox) -> None:
    tok = get_token(sb, scope=f"account:{sb.account_id}")
    h = {"Authorization": f"Bearer {tok}"}
    assert (
        HTTP.get(
            sb.api_url + "/v1.0/account/connectors", headers={**h, "X-Cyclr-Account": sb.account_id}
        ).status_code
        == 200
    )
    other = sb.ids["other_account_id"]
    assert (
        HTTP.get(
            sb.api_url + "/v1.0/account/connectors", headers={**h, "X-Cyclr-Account": other}
        ).status_code
        == 401
    )
    assert HTTP.get(sb.api_url + f"/v1.0/accounts/{other}", headers=h).status_code == 401
    r = token_response(sb, scope="account:nope")
    assert r.status_code == 400


def test_unknown_route_and_method_are_json(api: httpx.Client) -> None:
    r = api.get("/v1.0/nothing-here")
    assert r.status_code == 404 and "Message" in r.json()
    r = api.patch("/v1.0/accounts")
    assert r.status_code == 405 and "PATCH" in r.json()["Message"]
    assert r.headers["x-content-type-options"] == "nosniff"


# -- accounts and paging -----------------------------------------------------------------------


def test_accounts_paging_headers(api: httpx.Client) -> None:
    r = api.get("/v1.0/accounts", params={"page": 1, "pageSize": 3})
    assert r.status_code == 200 and isinstance(r.json(), list) and len(r.json()) == 3
    assert r.headers["Total-Records"] == "8" and r.headers["Total-Pages"] == "3"
    last = api.get("/v1.0/accounts", params={"page": 3, "pageSize": 3}).json()
    past = api.get("/v1.0/accounts", params={"page": 9, "pageSize": 3})
    assert len(last) == 2 and past.status_code == 200 and past.json() == []
    rev = api.get("/v1.0/accounts", params={"pageSize": 8, "sortOrderAsc": "false"}).json()
    assert rev[-1]["Id"] == "acme-corp-0001"


@pytest.mark.parametrize(
    "params", [{"page": "x"}, {"page": 0}, {"pageSize": -1}, {"orderBy": "Nope"}]
)
def test_bad_paging_is_400(api: httpx.Client, params: dict[str, object]) -> None:
    r = api.get("/v1.0/accounts", params=params)
    assert r.status_code == 400 and r.json()["Message"]


def test_account_crud(api: httpx.Client) -> None:
    r = api.post(
        "/v1.0/accounts", json={"Id": "new-1", "Name": "New", "StepDataSuccessRetentionHours": 999}
    )
    assert r.status_code == 200 and r.json()["StepDataSuccessRetentionHours"] == 744
    assert api.post("/v1.0/accounts", json={"Id": "new-1", "Name": "Again"}).json() == {
        "Message": "ID already in use"
    }
    guid = api.post("/v1.0/accounts", json={"Name": "Guid"}).json()["Id"]
    assert len(guid) == 36
    r = api.put("/v1.0/accounts/new-1", json={"Description": "d"})
    assert r.json()["Name"] == "New" and r.json()["Description"] == "d"
    assert api.get("/v1.0/accounts/new-1").json()["Description"] == "d"
    assert api.delete("/v1.0/accounts/new-1").status_code == 200
    assert api.get("/v1.0/accounts/new-1").status_code == 404
    assert api.delete("/v1.0/accounts/new-1").status_code == 404
    assert api.put("/v1.0/accounts/new-1", json={"Name": "x"}).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"Name": ""},
        {"Name": 5},
        [1],
        None,
        {"Name": "x", "StepDataErroredRetentionHours": -10},
        {"Name": "x", "TransactionErrorWebhookEnabled": True},
    ],
)
def test_account_create_validation(api: httpx.Client, body: object) -> None:
    r = api.post(
        "/v1.0/accounts", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400 and r.json()["Message"]


def test_malformed_json_is_400(api: httpx.Client) -> None:
    for path in ("/v1.0/accounts", "/v1.0/connectors/2002/install"):
        r = api.post(path, content=b"{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["Message"]


def test_subaccounts(api: httpx.Client, sb: Sandbox) -> None:
    r = api.get(f"/v1.0/accounts/{sb.account_id}/subaccounts")
    assert [a["Id"] for a in r.json()] == [sb.ids["sub_account_id"]]
    assert api.get("/v1.0/accounts/nope/subaccounts").status_code == 404


# -- connector library -----------------------------------------------------------------------


def test_connector_library(api: httpx.Client) -> None:
    r = api.get("/v1.0/connectors", params={"pageSize": 100})
    assert r.status_code == 200 and len(r.json()) == 100
    assert int(r.headers["Total-Records"]) >= 300 and r.headers["Total-Pages"] == "4"
    item = r.json()[0]
    for key in (
        "Id",
        "Name",
        "Status",
        "Version",
        "Icon",
        "AuthType",
        "OAuth2Type",
        "Categories",
        "Parameters",
        "Authentication",
    ):
        assert key in item
    assert [
        c["Name"] for c in api.get("/v1.0/connectors", params={"query": "mailchimp"}).json()
    ] == ["MailChimp"]  # Cyclr spells it so
    crms = api.get("/v1.0/connectors", params={"category": "CRMs", "pageSize": 500}).json()
    assert crms and all("CRMs" in c["Categories"] for c in crms)


def test_connector_by_id_name_version(api: httpx.Client) -> None:
    one = api.get("/v1.0/connectors/2001").json()
    assert isinstance(one, dict) and one["Id"] == 2001
    by_name = api.get("/v1.0/connectors/Access%20CRM").json()
    assert isinstance(by_name, list) and by_name[0]["Name"] == "Access CRM"
    assert api.get("/v1.0/connectors/MailChimp/v3").json()[0]["Version"] == "v3"
    assert api.get("/v1.0/connectors/MailChimp/v9").status_code == 404
    assert api.get("/v1.0/connectors/999999").status_code == 404
    assert api.get("/v1.0/connectors/No%20Such").status_code == 404


# -- install and account connectors ----------------------------------------------------------


def _install(api: httpx.Client, cid: int | str, **body: object) -> httpx.Response:
    return api.post(f"/v1.0/connectors/{cid}/install", json=body)


def test_install_auth_values(api: httpx.Client, sb: Sandbox) -> None:
    ids = sb.ids
    basic_ok = base64.b64encode(b"user:pass").decode()
    cases = [
        (ids["apikey_connector_ids"][0], "key-123", True),
        (ids["apikey_connector_ids"][0], "  ", False),
        (ids["apikey_connector_ids"][0], None, False),
        (ids["basic_connector_ids"][0], basic_ok, True),
        (ids["basic_connector_ids"][0], "not base64!", False),
        (ids["basic_connector_ids"][0], base64.b64encode(b"nocolon").decode(), False),
        (ids["oauth2_code_connector_ids"][0], json.dumps({"AccessToken": "at"}), True),
        (ids["oauth2_code_connector_ids"][0], "{}", False),
        (ids["oauth2_code_connector_ids"][0], "bare-access-token", True),
        (ids["oauth1_connector_ids"][0], json.dumps({"AccessToken": "t"}), True),
        (ids["none_connector_ids"][0], None, True),
    ]
    for cid, value, expected in cases:
        body = {"Name": "x"} if value is None else {"Name": "x", "AuthValue": value}
        r = _install(api, cid, **body)
        assert r.status_code == 200, r.text
        assert r.json()["Authenticated"] is expected, (cid, value)


def test_install_client_credentials_needs_properties(api: httpx.Client, sb: Sandbox) -> None:
    cid = sb.ids["oauth2_client_credentials_connector_ids"][0]
    assert _install(api, cid, AuthValue="{}").json()["Authenticated"] is False
    props = [
        {"Name": "ClientId", "Value": "id", "Id": 0},
        {"Name": "ClientSecret", "Value": "s", "Id": 0},
    ]
    r = _install(api, cid, AuthValue="{}", Properties=props)
    assert r.json()["Authenticated"] is True
    assert {p["Name"] for p in r.json()["Properties"]} == {"ClientId", "ClientSecret"}


def test_install_by_name_and_shape(api: httpx.Client) -> None:
    r = _install(api, "Access%20CRM", Name="Mine", Description="d")
    body = r.json()
    assert (
        r.status_code == 200
        and body["Name"] == "Mine"
        and body["Connector"]["Name"] == "Access CRM"
    )
    for key in (
        "Id",
        "AuthValue",
        "Authenticated",
        "Properties",
        "CustomFields",
        "IsPartnerIntegrationConnector",
    ):
        assert key in body
    assert api.get(f"/v1.0/account/connectors/{body['Id']}").json()["Name"] == "Mine"


@pytest.mark.parametrize(
    "body",
    [
        None,
        [],
        {"AuthValue": 5},
        {"Properties": "x"},
        {"Properties": [{"Name": "nope", "Value": "v"}]},
        {"Properties": [{"Name": "ClientId", "Value": 3}]},
        {"AuthenticationId": "not-mine"},
    ],
)
def test_install_validation(api: httpx.Client, sb: Sandbox, body: object) -> None:
    cid = sb.ids["oauth2_client_credentials_connector_ids"][0]
    r = api.post(f"/v1.0/connectors/{cid}/install", content=json.dumps(body))
    assert r.status_code == 400 and r.json()["Message"]


def test_install_draft_and_unknown(api: httpx.Client, sb: Sandbox) -> None:
    r = _install(api, sb.ids["draft_connector_id"])
    assert r.status_code == 400 and "draft" in r.json()["Message"]
    assert _install(api, 999999).status_code == 404


def test_install_non_account_property_is_400(api: httpx.Client) -> None:
    lib = api.get("/v1.0/connectors", params={"pageSize": 500}).json()
    conn, param = next(
        (c, p)
        for c in lib
        for p in c["Parameters"]
        if not p["IsAccountConnectorProperty"] and c["Status"] == "Approved"
    )
    r = _install(api, conn["Id"], Properties=[{"Name": param["TargetName"], "Value": "v"}])
    assert r.status_code == 400 and "not an account connector property" in r.json()["Message"]


def test_account_connectors_list_get_update_delete(api: httpx.Client, sb: Sandbox) -> None:
    r = api.get("/v1.0/account/connectors", params={"pageSize": 20})
    assert int(r.headers["Total-Records"]) >= 50 and r.headers["Total-Pages"] == "3"
    assert len(r.json()) == 20 and any(not x["Authenticated"] for x in r.json())
    ac = sb.ids["apikey_account_connector_id"]
    assert api.get(f"/v1.0/account/connectors/{ac}").json()["Authenticated"] is False
    r = api.put(f"/v1.0/account/connectors/{ac}", json={"AuthValue": "k"})
    assert r.json()["Authenticated"] is True and r.json()["AuthValue"] == "k"
    r = api.put(f"/v1.0/account/connectors/{ac}", json={"Description": "note"})
    assert r.json()["Description"] == "note" and r.json()["Authenticated"] is True
    assert api.put(f"/v1.0/account/connectors/{ac}", json={"Name": 1}).status_code == 400
    assert api.delete(f"/v1.0/account/connectors/{ac}").status_code == 200
    assert api.get(f"/v1.0/account/connectors/{ac}").status_code == 404
    assert api.get("/v1.0/account/connectors/abc").status_code == 400
    assert api.put("/v1.0/account/connectors/999", json={}).status_code == 404
    other = sb.ids["other_oauth_account_connector_id"]
    assert api.get(f"/v1.0/account/connectors/{other}").status_code == 404  # another account's


def test_deauthenticate_stops_cycles(api: httpx.Client, sb: Sandbox) -> None:
    cyc = api.get(f"/v1.0/cycles/{sb.ids['active_cycle_ids'][0]}").json()
    ac = cyc["Connectors"][0]["AccountConnectorId"]
    assert api.delete(f"/v1.0/account/connectors/{ac}").status_code == 409
    r = api.put(f"/v1.0/account/connectors/{ac}/deauthenticate", json={})
    assert r.status_code == 200 and "successfully de-authenticated" in r.json()["Message"]
    assert api.get(f"/v1.0/account/connectors/{ac}").json()["Authenticated"] is False
    assert api.get(f"/v1.0/cycles/{cyc['Id']}").json()["Status"] == "Paused"


def test_properties_crud(api: httpx.Client, sb: Sandbox) -> None:
    cid = sb.ids["oauth2_client_credentials_connector_ids"][0]
    ac = _install(api, cid).json()["Id"]
    base = f"/v1.0/account/connectors/{ac}/properties"
    assert api.get(base).json() == []
    r = api.post(base, json={"Name": "ClientId", "Value": "abc", "Id": 0})
    prop = r.json()
    assert r.status_code == 200 and prop["AccountConnectorId"] == ac and prop["Value"] == "abc"
    assert api.post(base, json={"Name": "ClientId", "Value": "x"}).status_code == 400
    # Cyclr adds a property the connector does not declare ([T]: "JO-Test-Prop", a 200).
    extra = api.post(base, json={"Name": "Unknown", "Value": "x"})
    assert extra.status_code == 200
    assert api.delete(f"{base}/{extra.json()['Id']}").status_code == 200
    assert api.get(f"{base}/{prop['Id']}").json()["Value"] == "abc"
    assert api.put(f"{base}/{prop['Id']}", json={"Value": "new"}).json()["Value"] == "new"
    assert [p["Value"] for p in api.get(base).json()] == ["new"]
    assert api.delete(f"{base}/{prop['Id']}").status_code == 200
    assert api.get(f"{base}/{prop['Id']}").status_code == 404
    assert api.get(f"{base}/x").status_code == 400


# -- sign-in tokens ------------------------------------------------------------------------------


def test_signin_tokens(api: httpx.Client, sb: Sandbox) -> None:
    r = api.post(f"/v1.0/accounts/{sb.account_id}/signintoken", json={"Username": "u"})
    body = r.json()
    assert r.status_code == 200 and body["Token"] and body["ExpiresAtUtc"].endswith("Z")
    assert api.post("/v1.0/accounts/nope/signintoken", json={"Username": "u"}).status_code == 404
    assert (
        api.post(f"/v1.0/accounts/{sb.account_id}/signintoken", json={"Username": 1}).status_code
        == 400
    )
    old = api.post("/v1.0/accounts/tokens")
    assert old.status_code == 200 and set(old.json()) == {"Token", "ExpiresAtUtc"}
    assert api.post("/v1.0/accounts/tokens", headers={"X-Cyclr-Account": ""}).status_code == 401
    assert signin(api, sb.account_id) != signin(api, sb.account_id)


# -- templates, cycles, history ------------------------------------------------------------------


def test_templates(api: httpx.Client, sb: Sandbox) -> None:
    r = api.get("/v1.0/templates", params={"pageSize": 10})
    assert r.headers["Total-Records"] == "25" and len(r.json()) == 10  # 24 + troubleshooting
    tid = sb.ids["template_ids"][0]
    assert api.get(f"/v1.0/templates/{tid}").json()["Id"] == tid
    assert api.get("/v1.0/templates/not-a-guid").status_code == 400
    assert api.get("/v1.0/templates/00000000-0000-4000-8000-000000000000").status_code == 404
    before = int(api.get("/v1.0/cycles").headers["Total-Records"])
    cyc = api.post(f"/v1.0/templates/{tid}/install", json={}).json()
    assert cyc["Status"] == "Paused" and cyc["TemplateId"] == tid and cyc["Connectors"]
    assert int(api.get("/v1.0/cycles").headers["Total-Records"]) == before + 1


def test_cycles(api: httpx.Client, sb: Sandbox) -> None:
    r = api.get("/v1.0/cycles", params={"pageSize": 5})
    # 12 generated + the troubleshooting and the blocked cycle
    assert r.headers["Total-Records"] == "14" and r.headers["Total-Pages"] == "3"
    statuses = {c["Status"] for c in api.get("/v1.0/cycles", params={"pageSize": 50}).json()}
    assert statuses == {"Active", "Paused"}
    active = sb.ids["active_cycle_ids"][0]
    assert api.put(f"/v1.0/cycles/{active}", json={"Name": "x"}).status_code == 409
    assert (
        api.put(
            f"/v1.0/cycles/{active}/deactivate",
            params={"finishQueuedTransactions": "true"},
            json={},
        ).json()["Status"]
        == "Paused"
    )
    assert api.put(f"/v1.0/cycles/{active}", json={"Name": "Renamed"}).json()["Name"] == "Renamed"
    assert api.put(f"/v1.0/cycles/{active}/activate", json={"Interval": 7}).status_code == 400
    assert (
        api.put(f"/v1.0/cycles/{active}/activate", json={"Interval": 15}).json()["Status"]
        == "Active"
    )
    # A RunOnce run is Active (running) until it completes on the sandbox clock, then Paused:
    # this test used to expect Paused at once (see test_cycles_api for the run's end).
    assert (
        api.put(f"/v1.0/cycles/{active}/activate", json={"RunOnce": True}).json()["Status"]
        == "Active"
    )
    assert api.get("/v1.0/cycles/bad-id").status_code == 400
    assert api.get("/v1.0/cycles/00000000-0000-4000-8000-000000000000").status_code == 404


def test_prerequisites_block_activation(api: httpx.Client, sb: Sandbox) -> None:
    blocked = None
    for cid in sb.ids["paused_cycle_ids"]:
        pre = api.get(f"/v1.0/cycles/{cid}/prerequisites").json()
        if pre:
            blocked = (cid, pre)
            break
    assert blocked is not None
    cid, pre = blocked
    assert pre[0]["ReasonCode"] == 20 and pre[0]["ObjectType"] == "AccountConnector"
    assert api.put(f"/v1.0/cycles/{cid}/activate", json={}).status_code == 400
    api.put(f"/v1.0/account/connectors/{pre[0]['ObjectId']}", json={"AuthValue": "k"})


def test_transactions_and_incidents(api: httpx.Client, sb: Sandbox) -> None:
    r = api.get("/v1.0/cycles/transactions", params={"pageSize": 10})
    assert int(r.headers["Total-Records"]) > 10 and {"Id", "CycleId"} <= set(r.json()[0])
    done = api.get(
        "/v1.0/cycles/transactions", params={"status": "Completed", "pageSize": 500}
    ).json()
    assert done and all(t["Status"] == "Completed" for t in done)
    errors = api.get("/v1.0/cycles/incidents/error", params={"pageSize": 500}).json()
    warnings = api.get("/v1.0/cycles/incidents/warning", params={"pageSize": 500}).json()
    assert errors and all(i["IncidentLevel"] == "Error" for i in errors)
    assert warnings and all(i["IncidentLevel"] == "Warning" for i in warnings)
    assert "HTTP Request:" in errors[0]["FullMessage"]
    assert api.get("/v1.0/cycles/incidents/fatal").status_code == 404
    cyc = errors[0]["CycleId"]
    per_cycle = api.get(f"/v1.0/cycles/{cyc}/transactions").json()
    assert per_cycle and all(t["CycleId"] == cyc for t in per_cycle)
    assert api.get(f"/v1.0/cycles/{cyc}").json()["ErrorCount"] >= 1
    assert api.get(f"/v1.0/cycles/{cyc}/incidents").json()
    assert api.delete(f"/v1.0/cycles/{cyc}/incidents").status_code == 200
    assert api.get(f"/v1.0/cycles/{cyc}/incidents").json() == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/v1.0/account/connectors/99999999999999999999999", None),
        ("GET", "/v1.0/account/connectors/%C2%B2", None),
        ("GET", "/v1.0/connectors/99999999999999999999999", None),
        ("GET", "/v1.0/accounts?page=99999999999999999999", None),
        ("GET", "/v1.0/accounts?pageSize=1e3", None),
        ("GET", "/v1.0/cycles/%00", None),
        ("PUT", "/v1.0/cycles/{cycle}/activate", b'{"Interval": "5"}'),
        ("PUT", "/v1.0/cycles/{cycle}/activate", b'{"RunOnce": "yes"}'),
        ("PUT", "/v1.0/account/connectors/{ac}", b'{"AuthValue": {"AccessToken": 1}}'),
        ("PUT", "/v1.0/account/connectors/{ac}", b"[]"),
        ("POST", "/v1.0/account/connectors/{ac}/properties", b'{"Name": null}'),
        ("POST", "/v1.0/templates/{template}/install", b'"text"'),
        ("POST", "/v1.0/accounts/{account}/signintoken", b"\xff\xfe"),
        ("PUT", "/v1.0/accounts/{account}", b'{"Name": "x", "TransactionErrorWebhookEnabled": 1}'),
    ],
)
def test_bad_requests_never_500(
    api: httpx.Client, sb: Sandbox, method: str, path: str, body: bytes | None
) -> None:
    path = path.format(
        cycle=sb.ids["paused_cycle_ids"][0],
        ac=sb.ids["apikey_account_connector_id"],
        template=sb.ids["template_ids"][0],
        account=sb.account_id,
    )
    r = api.request(method, path, content=body)
    assert r.status_code in (400, 404), (r.status_code, r.text)
    assert r.json()["Message"]
