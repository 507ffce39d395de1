"""Account connectors: list filters, properties, custom fields, triggers, Data on Demand with its
IP gate, and custom connectors."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403

AC = "/v1.0/account/connectors"


def test_list_order_by_and_sort_order(api: httpx.Client) -> None:
    names = [
        a["Name"].lower() for a in api.get(AC, params={"orderBy": "Name", "pageSize": 500}).json()
    ]
    assert names == sorted(names)
    ids = [a["Id"] for a in api.get(AC, params={"sortOrderAsc": "false", "pageSize": 500}).json()]
    assert ids == sorted(ids, reverse=True)
    assert api.get(AC, params={"orderBy": "Nope"}).status_code == 400


def test_native_connector_is_flagged(api: httpx.Client, sb: Sandbox) -> None:
    items = api.get(AC, params={"pageSize": 500}).json()
    native = [a["Id"] for a in items if a["IsPartnerIntegrationConnector"]]
    assert native == [sb.ids["dod_account_connector_id"]]


def test_properties_order_by(api: httpx.Client, sb: Sandbox) -> None:
    path = f"{AC}/{sb.ids['oauth_authenticated_account_connector_id']}/properties"
    up = [p["Name"] for p in api.get(path, params={"orderBy": "Name"}).json()]
    down = [
        p["Name"] for p in api.get(path, params={"orderBy": "Name", "sortOrderAsc": "false"}).json()
    ]
    assert len(up) > 1 and up == sorted(up, key=str.lower) and down == up[::-1]
    by_id = [
        p["Id"] for p in api.get(path, params={"orderBy": "Id", "sortOrderAsc": "false"}).json()
    ]
    assert by_id == sorted(by_id, reverse=True)
    assert api.get(path, params={"orderBy": "Nope"}).status_code == 400


def test_seeded_property_of_the_first_account_connector(api: httpx.Client, sb: Sandbox) -> None:
    ac, prop = sb.ids["first_account_connector_id"], sb.ids["property_id"]
    got = api.get(f"{AC}/{ac}/properties/{prop}").json()
    assert got["Id"] == prop and got["AccountConnectorId"] == ac


# -- custom fields -------------------------------------------------------------------------------


def test_custom_fields_crud(api: httpx.Client, sb: Sandbox) -> None:
    ac = sb.ids["first_account_connector_id"]
    base = f"{AC}/{ac}/fields"
    seeded = api.get(f"{base}/{sb.ids['custom_field_id']}").json()
    keys = {"Id", "ConnectorField", "SystemField", "DisplayName", "Description", "DataType"}
    keys |= {"MethodUniqueIdentifier", "DataTypeFormat", "EntityIdentifier", "ForRequestFormat"}
    assert keys <= set(seeded)
    assert [f["Id"] for f in api.get(f"{AC}/{ac}").json()["CustomFields"]] == [seeded["Id"]]
    made = api.post(base, json={"ConnectorField": "Region__c", "DataType": "Text"})
    assert made.status_code == 200 and made.json()["DisplayName"] == "Region__c"
    fid = made.json()["Id"]
    assert api.post(base, json={"ConnectorField": "Region__c"}).status_code == 400  # taken
    assert api.post(base, json={"DisplayName": "x"}).status_code == 400  # no ConnectorField
    assert api.post(base, json={"ConnectorField": "y", "DataType": "Blob"}).status_code == 400
    upd = api.put(f"{base}/{fid}", json={"DisplayName": "Region", "Description": None})
    assert upd.json()["DisplayName"] == "Region" and upd.json()["ConnectorField"] == "Region__c"
    assert [f["Id"] for f in api.get(base).json()] == [seeded["Id"], fid]
    assert api.delete(f"{base}/{fid}").status_code == 200
    assert api.get(f"{base}/{fid}").status_code == 404
    assert api.get(f"{base}/abc").status_code == 400
    other = sb.ids["oauth_authenticated_account_connector_id"]
    assert api.get(f"{AC}/{other}/fields/{sb.ids['custom_field_id']}").status_code == 404


# -- triggers ----------------------------------------------------------------------------------


def test_trigger_lists_name_value_options(api: httpx.Client, sb: Sandbox) -> None:
    ac = sb.ids["first_account_connector_id"]
    r = api.post(f"{AC}/{ac}/triggers/{sb.ids['trigger_id']}", json={})
    assert r.status_code == 200
    assert r.json() and all(set(o) == {"Name", "Value"} for o in r.json())
    assert api.post(f"{AC}/{ac}/triggers/999999", json={}).status_code == 404
    assert api.post(f"{AC}/{ac}/triggers/abc", json={}).status_code == 400


# -- Data on Demand ------------------------------------------------------------------------------


def test_native_connector_methods_can_be_called(api: httpx.Client, sb: Sandbox) -> None:
    ac, uid = sb.ids["dod_account_connector_id"], sb.ids["method_uid"]
    for verb in ("methods", "test"):
        got = api.get(f"{AC}/{ac}/{verb}/{uid}")
        assert got.status_code == 200 and got.json()["contacts"], got.text
        body = {"Parameters": {str(sb.ids["dod_parameter_id"]): "1"}}
        posted = api.post(f"{AC}/{ac}/{verb}/{uid}", json=body)
        assert posted.status_code == 200 and len(posted.json()["contacts"]) == 1
    # By integer id too, and the same payload every time.
    conn = api.get(f"{AC}/{ac}").json()["Connector"]["Id"]
    methods = api.get(f"/v1.0/connectors/{conn}/methods").json()
    mid = next(m["Id"] for m in methods if m["MethodUniqueIdentifier"] == uid)
    assert api.get(f"{AC}/{ac}/methods/{mid}").json() == api.get(f"{AC}/{ac}/methods/{uid}").json()


def test_dod_errors(api: httpx.Client, sb: Sandbox) -> None:
    ac, uid = sb.ids["dod_account_connector_id"], sb.ids["method_uid"]
    nil = "00000000-0000-4000-8000-000000000000"
    assert api.get(f"{AC}/{ac}/methods/{nil}").status_code == 404
    assert api.get(f"{AC}/{ac}/methods/not-a-guid").status_code == 400
    assert api.get(f"{AC}/{ac}/methods/{sb.ids['method_id']}").status_code == 404  # other conn
    for body in ({"Parameters": {"1": "x"}}, {"Fields": {"1": "x"}}, {"Parameters": "x"}):
        r = api.post(f"{AC}/{ac}/methods/{uid}", json=body)
        assert r.status_code == 400 and r.json()["Message"]
    assert api.get(f"{AC}/99999999/methods/{uid}").status_code == 404


def test_mailchimp_style_payload(api: httpx.Client, sb: Sandbox) -> None:
    sb.configure(dod_ip_allowed=True)
    ac = api.post(
        "/v1.0/connectors/MailChimp/v3/install", json={"Name": "mc", "AuthValue": "k-us1"}
    )
    assert ac.json()["Authenticated"] is True
    lists = next(
        m
        for m in api.get("/v1.0/connectors/MailChimp/v3/methods").json()
        if m["Name"] == "List Lists"
    )
    payload = api.get(f"{AC}/{ac.json()['Id']}/methods/{lists['MethodUniqueIdentifier']}").json()
    assert payload["lists"] and {"id", "name"} <= set(payload["lists"][0])


def test_ip_gate_refuses_non_native_connectors_by_default(api: httpx.Client, sb: Sandbox) -> None:
    ac = sb.ids["oauth_authenticated_account_connector_id"]
    conn = api.get(f"{AC}/{ac}").json()["Connector"]["Id"]
    uid = api.get(f"/v1.0/connectors/{conn}/methods").json()[0]["MethodUniqueIdentifier"]
    for verb in ("methods", "test"):
        r = api.get(f"{AC}/{ac}/{verb}/{uid}")
        assert r.status_code == 403 and "restricted by IP address" in r.json()["Message"]
        assert api.post(f"{AC}/{ac}/{verb}/{uid}", json={}).status_code == 403
    sb.configure(dod_ip_allowed=True)
    assert api.get(f"{AC}/{ac}/methods/{uid}").status_code == 200


def test_unauthenticated_connector_cannot_be_called(api: httpx.Client, sb: Sandbox) -> None:
    sb.configure(dod_ip_allowed=True)
    ac = sb.ids["first_account_connector_id"]  # installed, never authenticated
    conn = api.get(f"{AC}/{ac}").json()["Connector"]["Id"]
    uid = api.get(f"/v1.0/connectors/{conn}/methods").json()[0]["MethodUniqueIdentifier"]
    r = api.get(f"{AC}/{ac}/methods/{uid}")
    assert r.status_code == 400 and "not authenticated" in r.json()["Message"]


# -- custom connectors ----------------------------------------------------------------------------


def test_custom_connectors_crud(api: httpx.Client, sb: Sandbox) -> None:
    base = f"{AC}/custom"
    seeded = api.get(base).json()
    assert sb.ids["custom_connector_id"] in [c["Id"] for c in seeded]
    assert sb.ids["other_custom_connector_id"] not in [c["Id"] for c in seeded]
    made = api.post(base, json={"Name": "Made Here", "Description": "d", "AuthType": "ApiKey"})
    assert made.status_code == 200
    item = made.json()
    assert isinstance(item["Id"], int) and item["Name"] == "Made Here" and item["IsCustom"] is True
    assert item["Authentication"][0]["AuthType"] == "ApiKey"
    assert api.get(f"{base}/{item['Id']}").json() == item
    assert api.post(base, json={"Description": "no name"}).status_code == 400
    assert api.post(base, json={"Name": "x", "AuthType": "Magic"}).status_code == 400
    assert api.delete(f"{base}/{item['Id']}").status_code == 200
    assert api.get(f"{base}/{item['Id']}").status_code == 404
    assert api.get(f"{base}/{sb.ids['other_custom_connector_id']}").status_code == 404


@pytest.mark.parametrize("path", ["", "/9001"])
def test_custom_connectors_need_the_account_header(
    sb: Sandbox, api: httpx.Client, path: str
) -> None:
    headers = {"Authorization": api.headers["Authorization"]}
    r = httpx.get(f"{sb.api_url}{AC}/custom{path}", headers=headers)
    assert r.status_code == 401
