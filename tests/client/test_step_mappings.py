"""One step: prerequisites, field mappings, parameters and their lookups (catalogue #92-#102).

Every test runs twice, on ``CyclrClient`` and ``AsyncCyclrClient`` (``tests/support/twins.py``).
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from cyclr_widgets import ValidationError
from tests.support.client import ACCOUNT, FakeCyclr, body, error_response, json_response
from tests.support.client import page_handler as pages
from tests.support.twins import Twin

STEP = "709b68ba-394e-4339-9550-abd0312e8dd5"
SOURCE = "8d2c1b6e-0b7a-4b4e-9a55-0d6f1d2e3f40"
BASE = f"/v1.0/steps/{STEP}"
FIELD = {"Id": 283792, "Name": "Email", "IsOptional": False, "DataType": "Text", "Values": None}
MAPPING = {
    "Field": FIELD,
    "MappingType": "StepOutput",
    "SourceStepId": SOURCE,
    "SourceFieldId": 283702,
    "TriggerValue": None,
    "Value": None,
}
PARAMETER = {
    "Parameter": {"Id": 16017, "Name": "List ID", "IsOptional": False, "Values": []},
    "IsEntityIdentifier": False,
    "MappingType": None,
    "Value": None,
}


def only(fake: FakeCyclr) -> httpx.Request:
    sent = fake.calls()
    assert len(sent) == 1, [f"{r.method} {r.url}" for r in sent]
    assert sent[0].headers["X-Cyclr-Account"] == ACCOUNT
    return sent[0]


def test_step_prerequisites(twin: Twin, fake: FakeCyclr) -> None:
    reasons = [{"ReasonCode": 41, "Reason": "Missing field mapping", "ObjectId": 283792}]
    fake.add("GET", f"{BASE}/prerequisites", json_response(reasons))
    assert twin.step_prerequisites(ACCOUNT, STEP) == reasons
    only(fake)


def test_fields_for_mapping(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"{BASE}/fieldsformapping", pages([FIELD]), pages([FIELD]))
    df = twin.step_fields_for_mapping(ACCOUNT, STEP)
    assert list(df.columns[:3]) == ["Id", "Name", "DataType"]
    assert df["Values"][0] == [] and not df["IsOptional"][0]
    assert twin.iter_step_fields_for_mapping(ACCOUNT, STEP) == [FIELD]


def test_field_mappings(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"{BASE}/fieldmappings", pages([MAPPING]), pages([MAPPING]))
    fake.add("GET", f"{BASE}/fieldmappings/283792", json_response(MAPPING))
    df = twin.step_field_mappings(ACCOUNT, STEP)
    assert list(df.columns[:4]) == ["Field.Id", "Field.Name", "MappingType", "Value"]
    assert df["Field.Id"][0] == 283792 and df["SourceStepId"][0] == SOURCE
    assert twin.iter_step_field_mappings(ACCOUNT, STEP) == [MAPPING]
    assert twin.step_field_mapping(ACCOUNT, STEP, 283792) == MAPPING


@pytest.mark.parametrize("verb", ["PUT", "POST"])
def test_set_a_static_or_listed_value(twin: Twin, fake: FakeCyclr, verb: str) -> None:
    fake.add(verb, f"{BASE}/fieldmappings/283792", json_response(MAPPING))
    kind = "StaticValue" if verb == "PUT" else "ValueList"
    assert twin.set_step_field_mapping(ACCOUNT, STEP, 283792, kind, "x", verb=verb) == MAPPING
    assert body(only(fake)) == {"MappingType": kind, "Value": "x"}


def test_set_a_step_output_mapping(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("PUT", f"{BASE}/fieldmappings/283792", json_response(MAPPING))
    twin.set_step_field_mapping(
        ACCOUNT,
        STEP,
        283792,
        "StepOutput",
        source_step_id=SOURCE,
        source_field_id=283702,
    )
    assert body(only(fake)) == {
        "MappingType": "StepOutput",
        "SourceStepId": SOURCE,
        "SourceFieldId": 283702,
    }


def test_unmap_a_field(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("PUT", f"{BASE}/fieldmappings/283792", json_response(MAPPING))
    twin.set_step_field_mapping(ACCOUNT, STEP, 283792, "Ignore")
    assert body(only(fake)) == {"MappingType": "Ignore"}


def test_setting_a_mapping_is_retried_after_a_refusal(twin: Twin, fake: FakeCyclr) -> None:
    # Setting the same value twice leaves the same state: a 503 may be retried, PUT or POST.
    path = f"{BASE}/fieldmappings/283792"
    fake.add("POST", path, error_response(503, "busy"), json_response(MAPPING))
    twin.set_step_field_mapping(ACCOUNT, STEP, 283792, "ValueList", "A", verb="POST")
    assert len(fake.calls()) == 2 and len(twin.sleeps) == 1


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("Static", "x"), {}),
        (("staticvalue", "x"), {}),
        ((None,), {}),
        (("StaticValue",), {}),
        (("ValueList", None), {}),
        (("StepOutput",), {"source_step_id": SOURCE}),
        (("StepOutput",), {"source_step_id": "s-1", "source_field_id": 1}),
        (("StepOutput",), {"source_step_id": SOURCE, "source_field_id": 0}),
        (("StaticValue", "x"), {"verb": "PATCH"}),
    ],
)
def test_bad_mappings_refused_before_sending(
    twin: Twin, fake: FakeCyclr, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        twin.set_step_field_mapping(ACCOUNT, STEP, 283792, *args, **kwargs)
    assert fake.calls() == []


def test_lookup_step_field_mappings(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"{BASE}/fieldmappings/lookup", json_response([{"Name": "a"}]))
    assert twin.lookup_step_field_mappings(ACCOUNT, STEP, field_id=7, Query="x") == [{"Name": "a"}]
    assert body(only(fake)) == {"FieldId": 7, "Query": "x"}


def test_parameters(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"{BASE}/parameters", pages([PARAMETER]), pages([PARAMETER]))
    fake.add("GET", f"{BASE}/parameters/16017", json_response(PARAMETER))
    df = twin.step_parameters(ACCOUNT, STEP)
    assert list(df.columns[:3]) == ["Parameter.Id", "Parameter.Name", "MappingType"]
    assert df["Parameter.Id"][0] == 16017 and df["MappingType"].isna().all()
    assert twin.iter_step_parameters(ACCOUNT, STEP) == [PARAMETER]
    assert twin.step_parameter(ACCOUNT, STEP, 16017) == PARAMETER


def test_set_step_parameter(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("PUT", f"{BASE}/parameters/16017", json_response(PARAMETER))
    twin.set_step_parameter(
        ACCOUNT,
        STEP,
        16017,
        "ValueList",
        "list-1",
        trigger_value="list-1",
        TriggerValueDisplayName="Newsletter",
    )
    assert body(only(fake)) == {
        "MappingType": "ValueList",
        "Value": "list-1",
        "TriggerValue": "list-1",
        "TriggerValueDisplayName": "Newsletter",
    }


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (("Fixed", "x"), {}, ValidationError),
        (("StaticValue", "x"), {"trigger": "x"}, TypeError),
        (("StaticValue", "x"), {"Value": "y"}, TypeError),
        (("StaticValue", None), {}, ValidationError),
    ],
)
def test_bad_parameters_refused_before_sending(
    twin: Twin,
    fake: FakeCyclr,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: type[Exception],
) -> None:
    with pytest.raises(error):
        twin.set_step_parameter(ACCOUNT, STEP, 16017, *args, **kwargs)
    assert fake.calls() == []


def test_lookup_step_parameter(twin: Twin, fake: FakeCyclr) -> None:
    values = [{"Name": "Newsletter", "Value": "list-1"}]
    fake.add("POST", f"{BASE}/parameters/16017/lookup", json_response(values))
    assert twin.lookup_step_parameter(ACCOUNT, STEP, 16017, trigger_id=5101) == values
    assert body(only(fake)) == {"TriggerId": 5101}


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("step_prerequisites", ()),
        ("step_field_mappings", ()),
        ("iter_step_parameters", ()),
        ("step_field_mapping", (1,)),
        ("step_parameter", (1,)),
        ("lookup_step_field_mappings", ()),
    ],
)
@pytest.mark.parametrize("bad", ["", "lookup", "..", "s-1", STEP + "/x", 9])
def test_step_ids_must_be_guids(
    twin: Twin, fake: FakeCyclr, name: str, args: tuple[Any, ...], bad: Any
) -> None:
    with pytest.raises(ValidationError, match="step_id"):
        getattr(twin, name)(ACCOUNT, bad, *args)
    assert fake.calls() == []


@pytest.mark.parametrize("bad", [0, -1, "283792", "lookup", True, 1.5, None])
def test_field_and_parameter_ids_must_be_positive_ints(
    twin: Twin, fake: FakeCyclr, bad: Any
) -> None:
    with pytest.raises(ValidationError, match="field_id"):
        twin.set_step_field_mapping(ACCOUNT, STEP, bad, "Ignore")
    with pytest.raises(ValidationError, match="parameter_id"):
        twin.lookup_step_parameter(ACCOUNT, STEP, bad)
    assert fake.calls() == []
