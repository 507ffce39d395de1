"""Audit of the template, cycle, step and history routes against the documented Cyclr facts.

One short test per fact of ``cyclr-api.md`` §6-§7 and ``cyclr-api-surface.md`` §1, §7-§9, §11-§12
(the section is named in each docstring). Facts the older tests already pin are not repeated.
"""

from __future__ import annotations

import re

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403  (fixtures)

NIL = "00000000-0000-4000-8000-000000000000"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
NEVER = "0001-01-01T00:00:00"
#: Surface doc §11.1: the Message values of the error webhook, also incidents' ShortMessage (§9).
VOCABULARY = {
    *("Trigger Skipped", "Transaction Stopped", "Out of retries"),
    *("Failed to authenticate the connector", "Required source is empty", "Webhook failed"),
    *("Failed to build the request", "Response data not in expected format"),
    *("Failed to call the method", "Response data fields missing", "Step data cannot be split"),
    *("Failed to split transaction step data", "Failed to save the webhook response"),
    *("Failed to return the webhook response", "Failed to build the webhook response"),
    *("Failed to find the webhook source key", "Failed to get webhook trigger step data"),
    *("Failed to find webhook trigger step", "Wait Until Failed To Run"),
    *("Wait Until is over retention period", "Field is not a valid DateTime"),
    "WaitUntil step is missing wait criteria",
}
CYCLE_KEYS = {
    *("Id", "Name", "Description", "TemplateId", "CreatedOnUtc", "Status"),
    *("LastSuccessfulRunDate", "TasksUsed", "ErrorCount", "WarningCount"),
    *("InProgressTransactionCount", "Connectors", "Shareable", "ContinueOnStepError"),
    *("LogStepDataRequests", "StepDataSuccessRetentionHours", "StepDataErroredRetentionHours"),
}


def _incidents(api: httpx.Client, sb: Sandbox) -> list[dict]:
    out = []
    for account in (sb.account_id, sb.ids["other_account_id"]):
        for level in ("error", "warning"):
            r = api.get(
                f"/v1.0/cycles/incidents/{level}",
                params={"pageSize": "500"},
                headers={"X-Cyclr-Account": account},
            )
            assert r.status_code == 200, r.text
            out += r.json()
    assert out
    return out


def test_incident_short_messages_use_cyclrs_vocabulary(api: httpx.Client, sb: Sandbox) -> None:
    """§9 / §11.1: ShortMessage is one of the error webhook's Message values."""
    incidents = _incidents(api, sb)
    assert {i["ShortMessage"] for i in incidents} <= VOCABULARY
    assert {i["IncidentLevel"] for i in incidents} <= {"Error", "Warning"}


def test_incident_full_message_has_the_detail_layout(api: httpx.Client, sb: Sandbox) -> None:
    """R §6.6 / §11.1: status line CRLF body CRLF x3 ``HTTP Request:`` request line, headers
    with ``Authorization: REDACTED`` and Cyclr's User-Agent (the seeded filler too)."""
    for i in _incidents(api, sb):
        status, rest = i["FullMessage"].split("\r\n", 1)
        assert re.match(r"^\d{3} \w", status), i["FullMessage"]
        _body, request = rest.split("\r\n\r\n\r\nHTTP Request:\r\n", 1)
        lines = request.split("\r\n")
        assert re.match(r"^(GET|POST|PUT|PATCH|DELETE) https?://", lines[0])
        assert "Authorization: REDACTED" in lines
        assert "User-Agent: Cyclr, (https://cyclr.com)" in lines
        assert {"CycleId", "CycleName", "StepId", "StepName", "TransactionId"} <= set(i)


def test_cycle_prerequisites_name_the_step_as_an_action(api: httpx.Client, sb: Sandbox) -> None:
    """§8.4 (D-prereq): a step lacking mappings is ``ObjectType: "Action"`` with its GUID; the
    step's own prerequisites then give codes 40/41 (D-steps)."""
    pre = api.get(f"/v1.0/cycles/{sb.ids['blocked_cycle_id']}/prerequisites").json()
    assert [(p["ObjectType"], p["ObjectId"]) for p in pre] == [
        ("Action", sb.ids["blocked_step_id"])
    ]
    assert (pre[0]["ReasonCode"], pre[0]["Reason"]) == (30, "Missing mapping")


def test_unconnected_steps_are_reason_11(api: httpx.Client) -> None:
    """§8.4: code 11's exact text, until an edge joins the two steps."""
    cid = api.post("/v1.0/cycles", json={"Name": "Two loose steps"}).json()["Id"]
    a, b = (
        api.post(f"/v1.0/cycles/{cid}/steps", json={"Name": n, "ActionType": "Action"}).json()
        for n in "ab"
    )
    pre = api.get(f"/v1.0/cycles/{cid}/prerequisites").json()
    assert [(p["ReasonCode"], p["Reason"]) for p in pre] == [
        (11, "All steps must be connected together and only one step can be the trigger")
    ]
    assert api.put(f"/v1.0/cycles/{cid}/activate", json={"Interval": 15}).status_code == 400
    edge = {"HeadStepId": a["Id"], "TailStepId": b["Id"]}
    assert api.post(f"/v1.0/cycles/{cid}/edges", json=edge).status_code == 200
    assert api.get(f"/v1.0/cycles/{cid}/prerequisites").json() == []


def test_cycle_object_has_the_install_reply_fields(api: httpx.Client, sb: Sandbox) -> None:
    """§8.1 (D-tinst): the fields, ``Connectors[]`` items, 7-digit dates and "never"."""
    got = api.post(f"/v1.0/templates/{sb.ids['template_id']}/install", json={})
    assert got.status_code == 200
    cyc = got.json()
    assert set(cyc) >= CYCLE_KEYS and cyc["Status"] == "Paused"
    assert DATE.match(cyc["CreatedOnUtc"]) and cyc["LastSuccessfulRunDate"] == NEVER
    for c in cyc["Connectors"]:
        assert set(c) == {
            *("Id", "AccountConnectorId", "Name", "Version", "Authenticated", "StepCount", "Icon")
        }
        assert isinstance(c["AccountConnectorId"], int) and isinstance(c["Authenticated"], bool)
    assert api.get(f"/v1.0/cycles/{cyc['Id']}").json().keys() == cyc.keys()


def test_template_item_fields(api: httpx.Client) -> None:
    """§7.1: ``{Id, Name, Description, Connectors[{Id, Name, Version, StepCount, Icon}]}``."""
    for t in api.get("/v1.0/templates", params={"pageSize": "500"}).json():
        assert {"Id", "Name", "Description", "Connectors"} <= set(t)
        for c in t["Connectors"]:
            assert set(c) == {"Id", "Name", "Version", "StepCount", "Icon"}
            assert isinstance(c["Id"], int) and isinstance(c["StepCount"], int)


def test_history_dates_have_seven_fraction_digits(api: httpx.Client, sb: Sandbox) -> None:
    """§1: date-times are UTC with ``Z`` and 7 fractional digits."""
    cid = sb.ids["cycle_id"]
    rows = [
        *api.get(f"/v1.0/cycles/{cid}/transactions", params={"pageSize": "500"}).json(),
        *api.get(f"/v1.0/cycles/{cid}/transactions/{sb.ids['transaction_id']}").json(),
        *_incidents(api, sb),
    ]
    stamps = [v for r in rows for k, v in r.items() if k.endswith("Utc") and v is not None]
    assert stamps and all(DATE.match(v) for v in stamps)


LISTS = [
    "/v1.0/templates",
    "/v1.0/cycles",
    "/v1.0/cycles/upgradeable",
    "/v1.0/cycles/transactions",
    "/v1.0/cycles/incidents/error",
    "/v1.0/cycles/incidents/warning",
    "/v1.0/cycles/{cycle}/steps",
    "/v1.0/cycles/{cycle}/edges",
    "/v1.0/cycles/{cycle}/variables",
    "/v1.0/cycles/{cycle}/transactions",
    "/v1.0/cycles/{cycle}/incidents",
    "/v1.0/steps/{step}/fieldsformapping",
    "/v1.0/steps/{step}/fieldmappings",
    "/v1.0/steps/{step}/parameters",
]


@pytest.mark.parametrize("path", LISTS)
def test_lists_are_bare_arrays_with_total_pages(api: httpx.Client, sb: Sandbox, path: str) -> None:
    """§1, R §3.3: a bare array, ``Total-Pages``, ``nosniff``; past the end is 200 ``[]``."""
    url = path.format(cycle=sb.ids["cycle_id"], step=sb.ids["step_id"])
    r = api.get(url)
    assert r.status_code == 200 and isinstance(r.json(), list)
    assert r.headers["Total-Pages"].isdigit()
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    past = api.get(url, params={"page": "9999"})
    assert past.status_code == 200 and past.json() == []


@pytest.mark.parametrize("path", [p for p in LISTS if p != "/v1.0/templates"])
def test_account_level_lists_need_the_header(api: httpx.Client, sb: Sandbox, path: str) -> None:
    """R §7 / §12: an account-level call without ``X-Cyclr-Account`` is a 401."""
    url = path.format(cycle=sb.ids["cycle_id"], step=sb.ids["step_id"])
    r = api.get(url, headers={"X-Cyclr-Account": ""})
    assert r.status_code == 401 and set(r.json()) == {"Message"}


def test_changes_while_running_are_409_everywhere(api: httpx.Client, sb: Sandbox) -> None:
    """R §7: changing a running cycle, its steps or its variables is a 409."""
    cid, step = sb.ids["cycle_id"], sb.ids["step_id"]
    assert api.put(f"/v1.0/cycles/{cid}/activate", json={"Interval": 15}).status_code == 200
    var = f"/v1.0/cycles/{cid}/variables"
    changes = [
        ("PUT", f"/v1.0/cycles/{cid}", {"Name": "x"}),
        ("POST", f"/v1.0/cycles/{cid}/steps", {"Name": "x", "ActionType": "Action"}),
        ("PUT", f"/v1.0/cycles/{cid}/steps/{step}", {"Name": "x"}),
        ("DELETE", f"/v1.0/cycles/{cid}/steps/{step}", None),
        ("POST", var, {"SystemName": "New1"}),
        ("PATCH", var, [{"SystemName": "New2"}]),
        ("PUT", f"{var}/{sb.ids['variable_name']}", {"Value": "x"}),
        ("DELETE", f"{var}/{sb.ids['variable_name']}", None),
    ]
    for verb, url, body in changes:
        r = api.request(verb, url, json=body)
        assert r.status_code == 409, (verb, url, r.text)


def test_activate_and_deactivate_answer_200(api: httpx.Client, sb: Sandbox) -> None:
    """§8.3: 200; D-act's full body, ``StartTime`` optional, and deactivate's query option."""
    cid = sb.ids["cycle_id"]
    body = {"StartTime": "2018-01-01T00:00:00Z", "Interval": 360, "RunOnce": False}
    assert api.put(f"/v1.0/cycles/{cid}/activate", json=body).json()["Status"] == "Active"
    for finish in ("true", "false"):
        r = api.put(
            f"/v1.0/cycles/{cid}/deactivate", params={"finishQueuedTransactions": finish}, json={}
        )
        assert r.status_code == 200 and r.json()["Status"] == "Paused"
    for interval in (1, 5, 10080):
        r = api.put(f"/v1.0/cycles/{cid}/activate", json={"Interval": interval})
        assert r.status_code == 200
        api.put(f"/v1.0/cycles/{cid}/deactivate", json={})


def test_unknown_ids_404_malformed_400(api: httpx.Client, sb: Sandbox) -> None:
    """R §7: an unknown id is a 404, a malformed GUID a 400, both ``{"Message"}``."""
    cid = sb.ids["cycle_id"]
    for base in (
        "/v1.0/templates/",
        f"/v1.0/cycles/{cid}/steps/",
        f"/v1.0/cycles/{cid}/edges/",
        f"/v1.0/cycles/{cid}/transactions/",
    ):
        assert api.get(base + NIL).status_code == 404
        assert api.get(base + "not-a-guid").status_code == 400
    for url in (f"/v1.0/steps/{NIL}/parameters", f"/v1.0/cycles/{cid}/variables/NoSuchVar"):
        assert api.get(url).status_code == 404
    assert api.get("/v1.0/steps/not-a-guid/fieldmappings").status_code == 400
