"""Cycles (catalogue #61-#65, #69): filters, create/update settings, delete, upgradeable.

Every test runs twice, on ``CyclrClient`` and ``AsyncCyclrClient`` (``tests/support/twins.py``).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pandas as pd
import pytest

from cyclr_widgets import OutcomeUnknownError, ValidationError, frames
from tests.support.client import ACCOUNT, FakeCyclr, body, json_response
from tests.support.client import page_handler as pages
from tests.support.twins import Twin

CYCLE = "cf636e9c-13dd-47ea-b0e8-88a5bf7f7b00"
CYCLE_ITEM = {
    "Id": CYCLE,
    "Name": "Pipedrive > MailChimp",
    "Status": "Paused",
    "StepErrorAction": "Retry",
    "Connectors": [{"Id": 2550, "Icon": "data:x"}],
    "StepDataErroredRetentionHours": None,
}


def only(fake: FakeCyclr) -> httpx.Request:
    sent = fake.calls()
    assert len(sent) == 1, [f"{r.method} {r.url}" for r in sent]
    return sent[0]


def test_cycles_sends_cyclrs_filters(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/cycles", pages([CYCLE_ITEM]))
    df = twin.cycles(
        ACCOUNT,
        order_by="Name",
        sort_order_asc=False,
        connector_name="MailChimp",
        connector_version="v3",
        tag="crm",
    )
    request = only(fake)
    assert {k: v for k, v in request.url.params.items() if k not in ("page", "pageSize")} == {
        "orderBy": "Name",
        "sortOrderAsc": "false",
        "connectorName": "MailChimp",
        "connectorVersion": "v3",
        "tag": "crm",
        "includeIcons": "false",
    }
    assert request.headers["X-Cyclr-Account"] == ACCOUNT
    assert list(df["StepErrorAction"]) == ["Retry"]


def test_iter_cycles_asks_for_icons_only_when_told(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/cycles", pages([CYCLE_ITEM]), pages([CYCLE_ITEM]))
    assert twin.iter_cycles(ACCOUNT) == [CYCLE_ITEM]
    assert twin.iter_cycles(ACCOUNT, include_icons=True) == [CYCLE_ITEM]
    first, second = fake.calls()
    assert "includeIcons" not in first.url.params
    assert second.url.params["includeIcons"] == "true"


def test_create_cycle_sends_the_settings_in_cyclrs_names(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/cycles", json_response(CYCLE_ITEM, 201))
    result = twin.create_cycle(
        ACCOUNT,
        "New cycle",
        description="made by a test",
        shareable=False,
        step_error_action="Retry",
        log_step_data_requests=True,
        collection_split_type="None",
        continue_on_step_error=True,
        tags=["crm", "sync"],
        step_data_success_retention_hours=24,
        step_data_errored_retention_hours=None,
    )
    assert result == CYCLE_ITEM
    request = only(fake)
    assert request.headers["X-Cyclr-Account"] == ACCOUNT
    assert body(request) == {
        "Name": "New cycle",
        "Description": "made by a test",
        "Shareable": False,
        "StepErrorAction": "Retry",
        "LogStepDataRequests": True,
        "CollectionSplitType": "None",
        "ContinueOnStepError": True,
        "Tags": ["crm", "sync"],
        "StepDataSuccessRetentionHours": 24,
        "StepDataErroredRetentionHours": None,
    }


def test_create_cycle_passes_cyclrs_own_names_through(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/cycles", json_response(CYCLE_ITEM))
    twin.create_cycle(ACCOUNT, "New cycle", StepErrorAction="Ignore", RetryCount=3)
    assert body(only(fake)) == {"Name": "New cycle", "StepErrorAction": "Ignore", "RetryCount": 3}


@pytest.mark.parametrize(
    "settings",
    [
        {"colour": "red"},
        {"stepErrorAction": "Retry"},  # camelCase is neither snake_case nor Cyclr's name
        {"step_error_action": "Retry", "StepErrorAction": "Retry"},
        {"Name": "twice"},
    ],
)
def test_create_cycle_refuses_unknown_settings(
    twin: Twin, fake: FakeCyclr, settings: dict[str, Any]
) -> None:
    with pytest.raises(TypeError):
        twin.create_cycle(ACCOUNT, "New cycle", **settings)
    assert fake.calls() == []


@pytest.mark.parametrize(
    ("name", "settings"),
    [
        ("", {}),
        ("ok", {"shareable": "yes"}),
        ("ok", {"step_data_success_retention_hours": "24"}),
        ("ok", {"step_data_success_retention_hours": True}),
        ("ok", {"tags": "crm"}),
        ("ok", {"tags": ["crm", 1]}),
    ],
)
def test_create_cycle_refuses_bad_values(
    twin: Twin, fake: FakeCyclr, name: str, settings: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        twin.create_cycle(ACCOUNT, name, **settings)
    assert fake.calls() == []


def test_create_cycle_is_never_retried_blindly(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/cycles", httpx.ReadError("reset"))
    with pytest.raises(OutcomeUnknownError) as info:
        twin.create_cycle(ACCOUNT, "New cycle")
    assert len(fake.calls()) == 1 and twin.sleeps == []
    assert "'New cycle'" in (info.value.check or "")


def test_update_cycle_is_partial_and_sends_none_as_null(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("PUT", f"/v1.0/cycles/{CYCLE}", json_response(CYCLE_ITEM))
    twin.update_cycle(ACCOUNT, CYCLE, name="Renamed", description=None)
    request = only(fake)
    assert json.loads(request.content) == {"Name": "Renamed", "Description": None}
    assert b'"Description":null' in request.content.replace(b" ", b"")


def test_update_cycle_refuses_unknown_settings(twin: Twin, fake: FakeCyclr) -> None:
    with pytest.raises(TypeError, match="interval"):
        twin.update_cycle(ACCOUNT, CYCLE, interval=5)
    with pytest.raises(ValidationError, match="cycle_id"):
        twin.update_cycle(ACCOUNT, "upgradeable", name="x")
    assert fake.calls() == []


def test_delete_cycle(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("DELETE", f"/v1.0/cycles/{CYCLE}", json_response({"Message": "deleted"}))
    assert twin.delete_cycle(ACCOUNT, CYCLE) is None
    assert only(fake).headers["X-Cyclr-Account"] == ACCOUNT


def test_upgradeable_cycles(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/cycles/upgradeable", pages([CYCLE_ITEM]), pages([CYCLE_ITEM]))
    df = twin.upgradeable_cycles(ACCOUNT)
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns[: len(frames.columns("cycles"))]) == frames.columns("cycles")
    assert list(df["Id"]) == [CYCLE]
    assert twin.iter_upgradeable_cycles(ACCOUNT) == [CYCLE_ITEM]
    assert all(r.headers["X-Cyclr-Account"] == ACCOUNT for r in fake.calls())


@pytest.mark.parametrize("name", ["cycle", "delete_cycle", "update_cycle"])
@pytest.mark.parametrize("bad", ["", "transactions", "..", "c-1", CYCLE + "/x", 7])
def test_cycle_ids_must_be_guids(twin: Twin, fake: FakeCyclr, name: str, bad: Any) -> None:
    with pytest.raises(ValidationError, match="cycle_id"):
        getattr(twin, name)(ACCOUNT, bad)
    assert fake.calls() == []
