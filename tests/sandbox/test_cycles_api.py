"""Cycles in the sandbox (rows #61-#69) and the fidelity rules of issue #11 on the cycle side."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from harness.clock import FakeClock
from tests.support.sandbox import *  # noqa: F403  (fixtures)

NIL = "00000000-0000-4000-8000-000000000000"
SETTINGS = {
    "Name": "Settings cycle",
    "Description": "made by a test",
    "Shareable": True,
    "StepErrorAction": "Retry",
    "LogStepDataRequests": False,
    "CollectionSplitType": "None",
    "ContinueOnStepError": False,
    "StepDataSuccessRetentionHours": 24,
    "StepDataErroredRetentionHours": 48,
    "Tags": ["ops", "Finance"],
}


def _cycles(api: httpx.Client, **params: str) -> list[dict]:
    r = api.get("/v1.0/cycles", params={"pageSize": "100", **params})
    assert r.status_code == 200, r.text
    return r.json()


# -- fidelity rules ----------------------------------------------------------------------------


def test_trailing_slash_is_served_like_the_path_without_it(api: httpx.Client, sb: Sandbox) -> None:
    cid, step = sb.ids["cycle_id"], sb.ids["step_id"]
    for path in [
        "/v1.0/cycles/upgradeable",
        f"/v1.0/cycles/{cid}/steps",
        f"/v1.0/steps/{step}/fieldmappings",
        "/v1.0/templates",
    ]:
        plain, slash = api.get(path), api.get(path + "/")
        assert slash.status_code == 200 and "location" not in slash.headers
        assert slash.json() == plain.json()


def test_explicit_null_is_applied(api: httpx.Client, sb: Sandbox) -> None:
    cid = sb.ids["cycle_id"]
    api.put(f"/v1.0/cycles/{cid}", json={"StepDataSuccessRetentionHours": 12, "Tags": ["a"]})
    r = api.put(
        f"/v1.0/cycles/{cid}",
        json={"Description": None, "StepDataSuccessRetentionHours": None, "Tags": None},
    )
    assert r.status_code == 200
    got = api.get(f"/v1.0/cycles/{cid}").json()
    assert got["Description"] is None and got["StepDataSuccessRetentionHours"] is None
    assert got["Tags"] == []
    # A field that cannot be null is refused rather than ignored.
    assert api.put(f"/v1.0/cycles/{cid}", json={"Name": None}).status_code == 400


def test_update_right_after_run_once_is_409_until_the_run_completes(
    api: httpx.Client, sb: Sandbox, clock: FakeClock
) -> None:
    cid = sb.ids["cycle_id"]
    r = api.put(f"/v1.0/cycles/{cid}/activate", json={"Interval": 0, "RunOnce": True})
    assert r.status_code == 200 and r.json()["Status"] == "Active"
    assert r.json()["InProgressTransactionCount"] == 1
    busy = api.put(f"/v1.0/cycles/{cid}", json={"Name": "x"})
    assert busy.status_code == 409 and busy.json()["Message"]
    assert api.post(f"/v1.0/cycles/{cid}/variables", json={"SystemName": "V"}).status_code == 409
    clock.advance(sb.switches["run_once_seconds"])
    assert api.get(f"/v1.0/cycles/{cid}").json()["Status"] == "Paused"
    assert api.put(f"/v1.0/cycles/{cid}", json={"Name": "x"}).status_code == 200


def test_run_once_duration_is_a_switch(api: httpx.Client, sb: Sandbox, clock: FakeClock) -> None:
    cid = sb.ids["cycle_id"]
    sb.configure(run_once_seconds=0)
    api.put(f"/v1.0/cycles/{cid}/activate", json={"RunOnce": True})
    assert api.put(f"/v1.0/cycles/{cid}", json={"Name": "x"}).status_code == 200
    sb.configure(run_once_seconds=600)
    api.put(f"/v1.0/cycles/{cid}/activate", json={"RunOnce": True})
    clock.advance(599)
    assert api.put(f"/v1.0/cycles/{cid}", json={"Name": "y"}).status_code == 409


def test_cycle_settings_round_trip(api: httpx.Client) -> None:
    r = api.post("/v1.0/cycles", json=SETTINGS)
    assert r.status_code == 201
    created = r.json()
    got = api.get(f"/v1.0/cycles/{created['Id']}").json()
    for key, value in SETTINGS.items():
        assert created[key] == value and got[key] == value, key
    change = {"StepErrorAction": "StopTransaction", "CollectionSplitType": "first"}
    change |= {"LogStepDataRequests": True, "Shareable": False, "ContinueOnStepError": True}
    api.put(f"/v1.0/cycles/{created['Id']}", json=change)
    got = api.get(f"/v1.0/cycles/{created['Id']}").json()
    assert got["StepErrorAction"] == "StopTransaction" and got["CollectionSplitType"] == "First"
    assert got["LogStepDataRequests"] is True and got["Shareable"] is False
    assert got["Name"] == SETTINGS["Name"]  # partial update: the rest is kept


def test_literal_segments_are_routes_not_ids(api: httpx.Client) -> None:
    assert api.get("/v1.0/cycles/upgradeable").status_code == 200
    assert api.get("/v1.0/cycles/transactions").status_code == 200
    for method, path in [
        ("DELETE", "/v1.0/cycles/upgradeable"),
        ("PUT", "/v1.0/cycles/upgradeable"),
        ("PUT", "/v1.0/cycles/transactions"),
        ("GET", "/v1.0/templates/import"),
    ]:
        r = api.request(method, path, json={})
        assert r.status_code == 405, (method, path, r.status_code)  # never the {id} route's 400
    assert api.get("/v1.0/cycles/upgradeable/steps").status_code == 404
    assert api.get("/v1.0/cycles/incidents").status_code == 404


# -- the routes --------------------------------------------------------------------------------


def test_list_filters(api: httpx.Client, sb: Sandbox) -> None:
    everything = _cycles(api)
    assert len(everything) == 14
    assert all(c["Icon"] is None for x in everything for c in x["Connectors"])
    assert any(c["Icon"] for x in _cycles(api, includeIcons="true") for c in x["Connectors"])
    marketing = _cycles(api, tag="marketing")
    assert {c["Id"] for c in marketing} == {sb.ids["cycle_id"], sb.ids["blocked_cycle_id"]}
    assert _cycles(api, tag="Marketing") == []  # tags are case-sensitive (D-rn 2021-08-02)
    mine = api.get(f"/v1.0/cycles/{sb.ids['cycle_id']}").json()
    conn = mine["Connectors"][0]
    named = _cycles(api, connectorName=conn["Name"].lower())
    assert sb.ids["cycle_id"] in {c["Id"] for c in named}
    assert all(any(x["Name"] == conn["Name"] for x in c["Connectors"]) for c in named)
    assert _cycles(api, connectorName=conn["Name"], connectorVersion="nope") == []
    names = [c["Name"].lower() for c in _cycles(api, orderBy="Name")]
    assert names == sorted(names)
    created = [
        c["CreatedOnUtc"] for c in _cycles(api, orderBy="CreatedOnUtc", sortOrderAsc="false")
    ]
    assert created == sorted(created, reverse=True)
    assert api.get("/v1.0/cycles", params={"orderBy": "Nope"}).status_code == 400
    assert api.get("/v1.0/cycles", params={"includeIcons": "1"}).status_code == 400


def test_create_get_delete(api: httpx.Client, sb: Sandbox) -> None:
    r = api.post("/v1.0/cycles", json={"Name": "Bare"})
    assert r.status_code == 201
    cyc = r.json()
    assert cyc["Status"] == "Paused" and cyc["TemplateId"] is None and cyc["Connectors"] == []
    assert cyc["LastSuccessfulRunDate"] == "0001-01-01T00:00:00"
    pre = api.get(f"/v1.0/cycles/{cyc['Id']}/prerequisites").json()
    assert pre[0]["ReasonCode"] == 10 and pre[0]["Reason"] == "Cycle must have at least two steps"
    assert api.put(f"/v1.0/cycles/{cyc['Id']}/activate", json={}).status_code == 400
    assert api.post("/v1.0/cycles", json={}).status_code == 400
    assert (
        api.post("/v1.0/cycles", json={"Name": "x", "StepErrorAction": "Nope"}).status_code == 400
    )
    assert api.post("/v1.0/cycles", json={"Name": "x", "Tags": "crm"}).status_code == 400
    cid = sb.ids["cycle_id"]
    assert api.delete(f"/v1.0/cycles/{cid}").status_code == 200
    assert api.get(f"/v1.0/cycles/{cid}").status_code == 404
    assert api.get(f"/v1.0/cycles/{cid}/transactions").status_code == 404
    assert api.delete(f"/v1.0/cycles/{NIL}").status_code == 404
    assert api.delete("/v1.0/cycles/not-a-guid").status_code == 400


def test_delete_while_active_is_409(api: httpx.Client, sb: Sandbox) -> None:
    assert api.delete(f"/v1.0/cycles/{sb.ids['active_cycle_ids'][0]}").status_code == 409


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"Interval": 360}, 200),
        ({"Interval": 0, "RunOnce": True}, 200),
        ({"Interval": 7, "RunOnce": True}, 200),  # RunOnce ignores the interval (D-act)
        ({"RunOnce": True, "StartTime": "2030-01-01T00:00:00Z"}, 200),
        ({"Interval": 0}, 400),
        ({"Interval": 7}, 400),
        ({"StartTime": "soon"}, 400),
    ],
)
def test_activate(api: httpx.Client, sb: Sandbox, body: dict, status: int) -> None:
    r = api.put(f"/v1.0/cycles/{sb.ids['cycle_id']}/activate", json=body)
    assert r.status_code == status, r.text
    if status == 200:
        assert r.json()["Status"] == "Active"


def test_deactivate(api: httpx.Client, sb: Sandbox) -> None:
    cid = sb.ids["cycle_id"]
    api.put(f"/v1.0/cycles/{cid}/activate", json={"Interval": 15})
    url = f"/v1.0/cycles/{cid}/deactivate"
    r = api.put(url, params={"finishQueuedTransactions": "true"}, json={})
    assert r.status_code == 200 and r.json()["Status"] == "Paused"
    assert api.put(url, params={"finishQueuedTransactions": "maybe"}).status_code == 400


def test_prerequisites_are_computed_from_state(api: httpx.Client, sb: Sandbox) -> None:
    assert api.get(f"/v1.0/cycles/{sb.ids['cycle_id']}/prerequisites").json() == []
    blocked = sb.ids["blocked_cycle_id"]
    pre = api.get(f"/v1.0/cycles/{blocked}/prerequisites").json()
    # The cycle names the step (D-prereq: ObjectType "Action", the step's GUID); the step's own
    # prerequisites name the parameter and the field (D-steps: codes 40 and 41).
    step = sb.ids["blocked_step_id"]
    assert pre == [
        {"ReasonCode": 30, "Reason": "Missing mapping", "ObjectType": "Action", "ObjectId": step}
    ]
    pre = api.get(f"/v1.0/steps/{step}/prerequisites").json()
    assert [(p["ReasonCode"], p["ObjectType"]) for p in pre] == [
        (40, "Parameter"),
        (41, "ConnectorFieldMapping"),
    ]
    assert pre[0]["Reason"] == "Missing parameter mapping" and pre[0]["ObjectId"] == 16017
    assert pre[1]["Reason"] == "Missing field mapping" and pre[1]["ObjectId"] == 283792
    assert api.put(f"/v1.0/cycles/{blocked}/activate", json={}).status_code == 400
    base = f"/v1.0/steps/{step}"
    api.put(f"{base}/parameters/16017", json={"MappingType": "StaticValue", "Value": "list-2"})
    api.put(f"{base}/fieldmappings/283792", json={"MappingType": "StaticValue", "Value": "a@b.c"})
    assert api.get(f"/v1.0/cycles/{blocked}/prerequisites").json() == []
    # Code 20 follows the account connectors' state.
    ac = api.get(f"/v1.0/cycles/{blocked}").json()["Connectors"][0]["AccountConnectorId"]
    api.put(f"/v1.0/account/connectors/{ac}/deauthenticate", json={})
    pre = api.get(f"/v1.0/cycles/{blocked}/prerequisites").json()
    assert pre == [
        {
            "ReasonCode": 20,
            "Reason": "Unauthenticated connector",
            "ObjectType": "AccountConnector",
            "ObjectId": ac,
        }
    ]


def test_upgradeable(api: httpx.Client, sb: Sandbox) -> None:
    r = api.get("/v1.0/cycles/upgradeable")
    assert r.status_code == 200 and "Total-Pages" in r.headers
    assert set(sb.ids["upgradeable_cycle_ids"]) <= {c["Id"] for c in r.json()}
    assert sb.ids["cycle_id"] not in {c["Id"] for c in r.json()}
    other = {"X-Cyclr-Account": sb.ids["empty_account_id"]}
    assert api.get("/v1.0/cycles/upgradeable", headers=other).json() == []
