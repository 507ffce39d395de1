"""A cycle's steps, edges and variables (catalogue #70-#84).

Every test runs twice, on ``CyclrClient`` and ``AsyncCyclrClient`` (``tests/support/twins.py``).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cyclr_widgets import OutcomeUnknownError, ValidationError
from tests.support.client import ACCOUNT, FakeCyclr, body, json_response
from tests.support.client import page_handler as pages
from tests.support.twins import Twin

CYCLE = "cf636e9c-13dd-47ea-b0e8-88a5bf7f7b00"
STEP = "709b68ba-394e-4339-9550-abd0312e8dd5"
STEP2 = "8d2c1b6e-0b7a-4b4e-9a55-0d6f1d2e3f40"
EDGE = "2c7f2f0e-5d0c-4e1e-9d59-1f2d7f9f0a11"
BASE = f"/v1.0/cycles/{CYCLE}"
STEP_ITEM = {
    "Id": STEP,
    "Name": "MailChimp: Add Subscriber",
    "ActionType": "Action",
    "IsTrigger": False,
    "Method": {"Id": 116, "Name": "Add Subscriber", "MethodUniqueIdentifier": "8f8d"},
    "AccountConnectorId": 51,
}


def only(fake: FakeCyclr) -> httpx.Request:
    sent = fake.calls()
    assert len(sent) == 1, [f"{r.method} {r.url}" for r in sent]
    assert sent[0].headers["X-Cyclr-Account"] == ACCOUNT
    return sent[0]


# -- steps ------------------------------------------------------------------------------------


def test_cycle_steps(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"{BASE}/steps", pages([STEP_ITEM]), pages([STEP_ITEM]))
    df = twin.cycle_steps(ACCOUNT, CYCLE)
    assert list(df.columns[:5]) == ["Id", "Name", "ActionType", "IsTrigger", "Method.Name"]
    assert df["Method.Name"][0] == "Add Subscriber" and df["AccountConnectorId"][0] == 51
    assert twin.iter_cycle_steps(ACCOUNT, CYCLE) == [STEP_ITEM]


def test_create_cycle_step(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"{BASE}/steps", json_response(STEP_ITEM, 201))
    result = twin.create_cycle_step(
        ACCOUNT, CYCLE, name="Delay", action_type=4, DisplayPositionTop=80
    )
    assert result == STEP_ITEM
    assert body(only(fake)) == {"Name": "Delay", "ActionType": 4, "DisplayPositionTop": 80}


def test_create_cycle_step_refuses_unknown_fields_and_is_not_retried(
    twin: Twin, fake: FakeCyclr
) -> None:
    with pytest.raises(TypeError, match="kind"):
        twin.create_cycle_step(ACCOUNT, CYCLE, kind="Delay")
    assert fake.calls() == []
    fake.add("POST", f"{BASE}/steps", httpx.ReadError("reset"))
    with pytest.raises(OutcomeUnknownError) as info:
        twin.create_cycle_step(ACCOUNT, CYCLE, Name="Delay")
    assert len(fake.calls()) == 1 and "cycle_steps" in (info.value.check or "")


def test_get_update_delete_a_step(twin: Twin, fake: FakeCyclr) -> None:
    path = f"{BASE}/steps/{STEP}"
    fake.add("GET", path, json_response(STEP_ITEM))
    fake.add("PUT", path, json_response(STEP_ITEM))
    fake.add("DELETE", path, json_response({}))
    assert twin.cycle_step(ACCOUNT, CYCLE, STEP) == STEP_ITEM
    twin.update_cycle_step(ACCOUNT, CYCLE, STEP, description=None, ActionType="Action")
    assert twin.delete_cycle_step(ACCOUNT, CYCLE, STEP) is None
    put = fake.calls("PUT")[0]
    assert body(put) == {"Description": None, "ActionType": "Action"}
    assert [r.method for r in fake.calls()] == ["GET", "PUT", "DELETE"]


@pytest.mark.parametrize("name", ["cycle_step", "delete_cycle_step", "update_cycle_step"])
@pytest.mark.parametrize("bad", ["", "..", "s-1", STEP + "/x", 3])
def test_step_ids_must_be_guids(twin: Twin, fake: FakeCyclr, name: str, bad: Any) -> None:
    with pytest.raises(ValidationError, match="step_id"):
        getattr(twin, name)(ACCOUNT, CYCLE, bad)
    with pytest.raises(ValidationError, match="cycle_id"):
        getattr(twin, name)(ACCOUNT, "upgradeable", STEP)
    assert fake.calls() == []


# -- edges ------------------------------------------------------------------------------------


def test_edges(twin: Twin, fake: FakeCyclr) -> None:
    edge = {"Id": EDGE, "HeadStepId": STEP, "TailStepId": STEP2, "EdgeType": "Forward"}
    fake.add("GET", f"{BASE}/edges", pages([edge]))
    fake.add("POST", f"{BASE}/edges", json_response(edge))
    fake.add("GET", f"{BASE}/edges/{EDGE}", json_response(edge))
    fake.add("DELETE", f"{BASE}/edges/{EDGE}", json_response({}))
    df = twin.cycle_edges(ACCOUNT, CYCLE)
    assert list(df.columns[:4]) == ["Id", "HeadStepId", "TailStepId", "EdgeType"]
    assert twin.create_cycle_edge(ACCOUNT, CYCLE, head_step_id=STEP, TailStepId=STEP2) == edge
    assert twin.cycle_edge(ACCOUNT, CYCLE, EDGE) == edge
    assert twin.delete_cycle_edge(ACCOUNT, CYCLE, EDGE) is None
    assert body(fake.calls("POST")[0]) == {"HeadStepId": STEP, "TailStepId": STEP2}


@pytest.mark.parametrize(
    "edge",
    [{"head_step_id": STEP}, {"head_step_id": STEP, "tail_step_id": "s-2"}, {"to": STEP}],
)
def test_create_cycle_edge_refuses_bad_edges(
    twin: Twin, fake: FakeCyclr, edge: dict[str, Any]
) -> None:
    with pytest.raises((ValidationError, TypeError)):
        twin.create_cycle_edge(ACCOUNT, CYCLE, **edge)
    with pytest.raises(ValidationError, match="edge_id"):
        twin.cycle_edge(ACCOUNT, CYCLE, "e-1")
    assert fake.calls() == []


# -- variables --------------------------------------------------------------------------------

VARIABLE = {"SystemName": "LastRunDate", "DisplayName": "Last run", "Value": "x"}


def test_cycle_variables(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"{BASE}/variables", pages([VARIABLE]), pages([VARIABLE]))
    df = twin.cycle_variables(ACCOUNT, CYCLE)
    assert list(df.columns[:3]) == ["SystemName", "DisplayName", "Value"]
    assert twin.iter_cycle_variables(ACCOUNT, CYCLE) == [VARIABLE]


def test_create_cycle_variable(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"{BASE}/variables", json_response(VARIABLE))
    twin.create_cycle_variable(ACCOUNT, CYCLE, system_name="LastRunDate", value="x")
    assert body(only(fake)) == {"SystemName": "LastRunDate", "Value": "x"}


@pytest.mark.parametrize("variable", [{"value": "x"}, {"system_name": ".."}, {"sys": "A"}])
def test_create_cycle_variable_refuses_bad_input(
    twin: Twin, fake: FakeCyclr, variable: dict[str, Any]
) -> None:
    with pytest.raises((ValidationError, TypeError)):
        twin.create_cycle_variable(ACCOUNT, CYCLE, **variable)
    assert fake.calls() == []


def test_upsert_cycle_variables_patches_a_list(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("PATCH", f"{BASE}/variables", json_response([VARIABLE, VARIABLE]))
    out = twin.upsert_cycle_variables(
        ACCOUNT,
        CYCLE,
        [{"SystemName": "A", "Value": "1"}, {"system_name": "B", "value": None}],
    )
    assert out == [VARIABLE, VARIABLE]
    sent = body(only(fake))
    assert sent == [{"SystemName": "A", "Value": "1"}, {"SystemName": "B", "Value": None}]


@pytest.mark.parametrize("variables", [[], {"SystemName": "A"}, ["A"], [{"Value": "1"}]])
def test_upsert_cycle_variables_refuses_bad_lists(
    twin: Twin, fake: FakeCyclr, variables: Any
) -> None:
    with pytest.raises(ValidationError):
        twin.upsert_cycle_variables(ACCOUNT, CYCLE, variables)
    assert fake.calls() == []


def test_one_variable_by_its_system_name(twin: Twin, fake: FakeCyclr) -> None:
    raw = f"{BASE}/variables/Last%20Run%2FDate"
    path = f"{BASE}/variables/Last Run/Date"  # what FakeCyclr keys on: the decoded path
    fake.add("GET", path, json_response(VARIABLE))
    fake.add("PUT", path, json_response(VARIABLE))
    fake.add("DELETE", path, json_response({}))
    assert twin.cycle_variable(ACCOUNT, CYCLE, "Last Run/Date") == VARIABLE
    twin.update_cycle_variable(ACCOUNT, CYCLE, "Last Run/Date", value=None)
    assert twin.delete_cycle_variable(ACCOUNT, CYCLE, "Last Run/Date") is None
    assert [r.url.raw_path.decode() for r in fake.calls()] == [raw] * 3
    assert body(fake.calls("PUT")[0]) == {"Value": None}


@pytest.mark.parametrize("bad", ["", " ", ".", "..", "naïve", 5, None])
def test_variable_names_are_checked(twin: Twin, fake: FakeCyclr, bad: Any) -> None:
    for name in ("cycle_variable", "delete_cycle_variable", "update_cycle_variable"):
        with pytest.raises(ValidationError, match="system_name"):
            getattr(twin, name)(ACCOUNT, CYCLE, bad)
    assert fake.calls() == []
