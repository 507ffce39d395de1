"""Steps, edges, variables, field mappings and parameters in the sandbox (#70-#84, #92-#102)."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403  (fixtures)

NIL = "00000000-0000-4000-8000-000000000000"


def _activate(api: httpx.Client, sb: Sandbox) -> None:
    r = api.put(f"/v1.0/cycles/{sb.ids['cycle_id']}/activate", json={"Interval": 15})
    assert r.status_code == 200


def test_steps_crud(api: httpx.Client, sb: Sandbox) -> None:
    base = f"/v1.0/cycles/{sb.ids['cycle_id']}/steps"
    steps = api.get(base).json()
    assert [s["Name"] for s in steps] == [
        "Salesforce: Get New Contacts",
        "Salesforce: Get Account",
        "MailChimp: Add Subscriber",
    ]
    assert steps[2]["Id"] == sb.ids["step_id"] and steps[2]["AccountConnector"]["Name"]
    assert steps[0]["IsTrigger"] and steps[2]["ActionType"] == "Action"
    body = {"Name": "Wait", "Description": "d", "ActionType": 4}
    body |= {"DisplayPositionLeft": 10, "DisplayPositionTop": 20}
    r = api.post(base, json=body)
    new = r.json()
    assert r.status_code == 200 and new["ActionType"] == "Delay" and new["AccountConnector"] is None
    assert new["DisplayPositionLeft"] == 10 and new["DisplayPositionTop"] == 20
    assert api.get(base, params={"filter": "delay"}).json() == [new]
    one = f"{base}/{new['Id']}"
    upd = api.put(one, json={"ActionType": "Action", "Description": None})
    assert upd.json()["ActionType"] == "Action" and upd.json()["Description"] is None
    assert api.get(one).json() == upd.json()
    assert api.delete(one).status_code == 200
    assert api.get(one).status_code == 404
    assert api.post(base, json={"Name": "x", "ActionType": 99}).status_code == 400
    assert api.post(base, json={"Name": "x", "ActionType": "Teleport"}).status_code == 400
    assert api.put(f"{base}/{sb.ids['step_id']}", json={"ActionType": 0}).status_code == 400
    assert api.get(f"{base}/not-a-guid").status_code == 400
    assert api.get(f"{base}/{NIL}").status_code == 404
    # A step of another cycle is not found under this one.
    other = api.get(f"/v1.0/cycles/{sb.ids['blocked_cycle_id']}/steps").json()[0]["Id"]
    assert api.get(f"{base}/{other}").status_code == 404


def test_deleting_a_step_removes_its_edges(api: httpx.Client, sb: Sandbox) -> None:
    cid = sb.ids["cycle_id"]
    assert len(api.get(f"/v1.0/cycles/{cid}/edges").json()) == 2
    api.delete(f"/v1.0/cycles/{cid}/steps/{sb.ids['step_id']}")
    assert len(api.get(f"/v1.0/cycles/{cid}/edges").json()) == 1


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("POST", "/steps", {"Name": "x", "ActionType": 4}),
        ("PUT", "/steps/{step}", {"Name": "x"}),
        ("DELETE", "/steps/{step}", None),
        ("POST", "/edges", {"HeadStepId": "{step}", "TailStepId": "{step}"}),
        ("DELETE", "/edges/{edge}", None),
        ("POST", "/variables", {"SystemName": "New"}),
        ("PATCH", "/variables", [{"SystemName": "New"}]),
        ("PUT", "/variables/{var}", {"Value": "x"}),
        ("DELETE", "/variables/{var}", None),
    ],
)
def test_changes_while_running_are_409(
    api: httpx.Client, sb: Sandbox, method: str, suffix: str, body: object
) -> None:
    _activate(api, sb)
    ids = {"step": sb.ids["step_id"], "edge": sb.ids["edge_id"], "var": sb.ids["variable_name"]}
    path = f"/v1.0/cycles/{sb.ids['cycle_id']}" + suffix.format(**ids)
    if isinstance(body, dict):
        body = {k: v.format(**ids) if isinstance(v, str) else v for k, v in body.items()}
    r = api.request(method, path, json=body)
    assert r.status_code == 409 and r.json()["Message"]


def test_edges(api: httpx.Client, sb: Sandbox) -> None:
    base = f"/v1.0/cycles/{sb.ids['cycle_id']}/edges"
    edges = api.get(base).json()
    assert edges[0]["Id"] == sb.ids["edge_id"]
    assert set(edges[0]) == {"Id", "HeadStepId", "TailStepId", "EdgeType"}
    assert all(e["EdgeType"] == "Forward" for e in edges)
    body = {"HeadStepId": sb.ids["trigger_step_id"], "TailStepId": sb.ids["step_id"]}
    new = api.post(base, json=body).json()
    assert new["EdgeType"] == "Forward" and new["HeadStepId"] == body["HeadStepId"]
    assert api.get(f"{base}/{new['Id']}").json() == new
    assert api.delete(f"{base}/{new['Id']}").status_code == 200
    assert api.get(f"{base}/{new['Id']}").status_code == 404
    assert api.post(base, json={**body, "TailStepId": NIL}).status_code == 404
    assert api.post(base, json={**body, "EdgeType": "Sideways"}).status_code == 400
    assert api.post(base, json={"HeadStepId": body["HeadStepId"]}).status_code == 400


def test_variables(api: httpx.Client, sb: Sandbox) -> None:
    base = f"/v1.0/cycles/{sb.ids['cycle_id']}/variables"
    items = api.get(base).json()
    assert {"DisplayName", "SystemName", "Value", "MappingType"} <= set(items[0])
    one = f"{base}/{sb.ids['variable_name']}"
    assert api.get(one).json()["SystemName"] == sb.ids["variable_name"]
    assert api.put(one, json={"Value": None}).json()["Value"] is None  # explicit null applied
    assert api.put(one, json={"SystemName": "Other"}).status_code == 400
    new = api.post(base, json={"SystemName": "Region", "Value": "eu"})
    assert new.status_code == 200 and new.json()["DisplayName"] == "Region"
    assert api.post(base, json={"SystemName": "Region"}).status_code == 400  # exists
    assert api.post(base, json={"SystemName": "bad name"}).status_code == 400
    bulk = [{"SystemName": "Region", "Value": "us"}, {"SystemName": "Fresh", "Value": "1"}]
    r = api.patch(base, json=bulk)
    assert r.status_code == 200 and [v["Value"] for v in r.json()] == ["us", "1"]
    assert api.get(f"{base}/Region").json()["Value"] == "us"
    assert api.patch(base, json={"SystemName": "x"}).status_code == 400
    assert api.patch(base, json=[{"SystemName": "ok"}, {"SystemName": ""}]).status_code == 400
    assert api.get(f"{base}/ok").status_code == 404  # nothing of a refused batch was written
    assert api.delete(f"{base}/Fresh").status_code == 200
    assert api.get(f"{base}/Fresh").status_code == 404
    assert api.put(f"{base}/Nope", json={"Value": "x"}).status_code == 404


def test_step_prerequisites(api: httpx.Client, sb: Sandbox) -> None:
    assert api.get(f"/v1.0/steps/{sb.ids['step_id']}/prerequisites").json() == []
    pre = api.get(f"/v1.0/steps/{sb.ids['blocked_step_id']}/prerequisites").json()
    assert [p["ReasonCode"] for p in pre] == [40, 41]
    assert api.get(f"/v1.0/steps/{NIL}/prerequisites").status_code == 404
    assert api.get("/v1.0/steps/x/prerequisites").status_code == 400
    other = {"X-Cyclr-Account": sb.ids["other_account_id"]}
    assert (
        api.get(f"/v1.0/steps/{sb.ids['step_id']}/prerequisites", headers=other).status_code == 404
    )


def test_field_mappings(api: httpx.Client, sb: Sandbox) -> None:
    base = f"/v1.0/steps/{sb.ids['step_id']}"
    maps = api.get(f"{base}/fieldmappings").json()
    keys = {"Field", "MappingType", "SourceFieldId", "SourceStepId", "TriggerValue", "Value"}
    assert keys | {"TriggerValueDisplayName"} <= set(maps[0])
    kinds = {m["Field"]["Name"]: m["MappingType"] for m in maps}
    assert kinds["email_address"] == "StepOutput" and kinds["merge_fields.LNAME"] == "Ignore"
    assert kinds["status"] == "ValueList" and kinds["tags"] == "StaticValue"
    one = f"{base}/fieldmappings/{sb.ids['field_id']}"
    email = api.get(one).json()
    assert email["SourceStepId"] == sb.ids["trigger_step_id"] and email["SourceFieldId"] == 2
    candidates = api.get(f"{base}/fieldsformapping").json()
    assert {c["StepName"] for c in candidates} == {
        "Salesforce: Get New Contacts",
        "Salesforce: Get Account",
    }
    static = api.put(one, json={"MappingType": "StaticValue", "Value": "a@b.c", "Field": {"Id": 0}})
    assert static.json()["Value"] == "a@b.c" and static.json()["SourceStepId"] is None
    status = next(m for m in maps if m["Field"]["Name"] == "status")
    url = f"{base}/fieldmappings/{status['Field']['Id']}"
    ok = api.post(url, json={"MappingType": "ValueList", "Value": "pending"})
    assert ok.status_code == 200 and ok.json()["Value"] == "pending"
    bad = api.post(url, json={"MappingType": "ValueList", "Value": "not-listed"})
    assert bad.status_code == 400
    source = {"MappingType": "StepOutput", "SourceStepId": sb.ids["trigger_step_id"]}
    assert api.put(one, json={**source, "SourceFieldId": 3}).json()["SourceFieldId"] == 3
    assert api.put(one, json={**source, "SourceFieldId": 999}).status_code == 400
    assert api.put(one, json={"MappingType": "Ignore"}).json()["MappingType"] == "Ignore"
    assert api.get(f"/v1.0/steps/{sb.ids['step_id']}/prerequisites").json()[0]["ReasonCode"] == 41
    assert api.put(one, json={"MappingType": "Magic"}).status_code == 400
    assert api.get(f"{base}/fieldmappings/abc").status_code == 400
    assert api.get(f"{base}/fieldmappings/1").status_code == 404
    lookup = api.post(f"{base}/fieldmappings/lookup", json={})
    assert lookup.status_code == 200 and len(lookup.json()) == len(maps)
    assert api.get(f"{base}/fieldmappings/lookup").status_code == 405


def test_parameters(api: httpx.Client, sb: Sandbox) -> None:
    base = f"/v1.0/steps/{sb.ids['step_id']}/parameters"
    params = api.get(base).json()
    assert params[0]["Parameter"]["Id"] == sb.ids["parameter_id"]
    one = api.get(f"{base}/{sb.ids['parameter_id']}").json()
    trigger = one["Parameter"]["Triggers"][0]
    keys = {"AccountConnectorId", "MethodId", "Name", "HumanReadableKey", "IdentifierKey"}
    assert keys | {"SubTriggers", "EntityId"} <= set(trigger)
    assert one["IsEntityIdentifier"] is False and one["TriggerValueDisplayName"] == "Newsletter"
    lists = api.post(f"{base}/{sb.ids['parameter_id']}/lookup", json={}).json()
    assert {"Name": "Customers", "Value": "list-2"} in lists
    set_ = api.put(
        f"{base}/{sb.ids['parameter_id']}", json={"MappingType": "StaticValue", "Value": "list-2"}
    )
    assert set_.json()["TriggerValue"] == "list-2"
    assert set_.json()["TriggerValueDisplayName"] == "Customers"
    wrong = {"TriggerId": "nope"}
    assert api.post(f"{base}/{sb.ids['parameter_id']}/lookup", json=wrong).status_code == 404
    assert api.get(f"{base}/1").status_code == 404
