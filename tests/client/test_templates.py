"""Templates (catalogue #56-#60): the requests both clients send and what they return.

Every test runs twice, on ``CyclrClient`` and ``AsyncCyclrClient`` (``tests/support/twins.py``).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pandas as pd
import pytest

from cyclr_widgets import OutcomeUnknownError, ValidationError
from tests.support.client import ACCOUNT, FakeCyclr, body, error_response, json_response
from tests.support.client import page_handler as pages
from tests.support.twins import Twin

TPL = "7ad2265e-2ff0-477b-b913-cae1dfde2ea8"
FOLDER = "0f8fad5b-d9cb-469f-a165-70867728950e"
TEMPLATE = {
    "Id": TPL,
    "Name": "Pipedrive > MailChimp",
    "Description": None,
    "Connectors": [{"Id": 2582, "Name": "MailChimp", "Version": "v3", "Icon": "data:x"}],
    "Tags": ["crm"],
}
BAD_GUIDS: list[Any] = ["", "import", "..", "t-1", TPL + "/x", 42, None]


def only(fake: FakeCyclr) -> httpx.Request:
    sent = fake.calls()
    assert len(sent) == 1, [f"{r.method} {r.url}" for r in sent]
    return sent[0]


def test_templates_sends_cyclrs_filters(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/templates", pages([TEMPLATE]))
    df = twin.templates(
        order_by="Name",
        sort_order_asc=True,
        tag=["crm", "Sales"],
        connector_name="MailChimp",
        connector_version="v3",
    )
    request = only(fake)
    assert request.url.params.get_list("tag") == ["crm", "Sales"]
    params = dict(request.url.params)
    assert params["orderBy"] == "Name" and params["sortOrderAsc"] == "true"
    assert params["connectorName"] == "MailChimp" and params["connectorVersion"] == "v3"
    # The DataFrame drops icons, so it asks Cyclr not to send them.
    assert params["includeIcons"] == "false"
    assert "X-Cyclr-Account" not in request.headers  # partner level
    assert isinstance(df, pd.DataFrame) and list(df["Name"]) == ["Pipedrive > MailChimp"]
    assert "Icon" not in df["Connectors"][0][0]


def test_templates_with_icons_keeps_them(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/templates", pages([TEMPLATE]))
    df = twin.templates(include_icons=True)
    assert only(fake).url.params["includeIcons"] == "true"
    assert df["Connectors"][0][0]["Icon"] == "data:x"


def test_iter_templates_leaves_cyclrs_defaults(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/templates", pages([TEMPLATE]))
    assert twin.iter_templates(ACCOUNT, tag="crm") == [TEMPLATE]
    request = only(fake)
    assert set(request.url.params) == {"tag", "page", "pageSize"}
    assert request.headers["X-Cyclr-Account"] == ACCOUNT


@pytest.mark.parametrize(
    "bad",
    [{"tag": ""}, {"tag": ["ok", 3]}, {"order_by": " "}, {"connector_name": 5}],
)
def test_bad_filters_refused_before_sending(
    twin: Twin, fake: FakeCyclr, bad: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        twin.templates(**bad)
    with pytest.raises(ValidationError):
        twin.iter_cycles(ACCOUNT, **bad)
    assert fake.calls() == []


def test_template_is_partner_level_unless_an_account_is_given(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"/v1.0/templates/{TPL}", json_response(TEMPLATE), json_response(TEMPLATE))
    assert twin.template(TPL) == TEMPLATE
    assert twin.template(uuid.UUID(TPL), account_id=ACCOUNT) == TEMPLATE
    first, second = fake.calls()
    assert "X-Cyclr-Account" not in first.headers
    assert second.headers["X-Cyclr-Account"] == ACCOUNT


def test_install_template_names_the_cycle(twin: Twin, fake: FakeCyclr) -> None:
    cycle = {"Id": "c", "Status": "Paused", "TemplateId": TPL}
    fake.add("POST", f"/v1.0/templates/{TPL}/install", json_response(cycle))
    assert twin.install_template(ACCOUNT, TPL, name="My sync", include_icons=False) == cycle
    request = only(fake)
    assert body(request) == {"Name": "My sync"}
    assert dict(request.url.params) == {"includeIcons": "false"}
    assert request.headers["X-Cyclr-Account"] == ACCOUNT


def test_install_template_sends_the_minimal_body(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"/v1.0/templates/{TPL}/install", json_response({"Id": "c"}))
    twin.install_template(ACCOUNT, TPL)
    request = only(fake)
    assert body(request) == {} and not request.url.params


def test_install_template_is_never_retried_blindly(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"/v1.0/templates/{TPL}/install", error_response(503, "busy"))
    with pytest.raises(OutcomeUnknownError) as info:
        twin.install_template(ACCOUNT, TPL)
    assert len(fake.calls()) == 1 and twin.sleeps == []
    assert "TemplateId" in (info.value.check or "")


def test_export_template(twin: Twin, fake: FakeCyclr) -> None:
    exported = {"Name": "Pipedrive > MailChimp", "Connectors": [], "Steps": []}
    fake.add("GET", f"/v1.0/templates/{TPL}/export", json_response(exported))
    assert twin.export_template(TPL) == exported
    assert "X-Cyclr-Account" not in only(fake).headers


def test_import_template_into_a_folder(twin: Twin, fake: FakeCyclr) -> None:
    definition = {"Name": "Imported", "Connectors": [], "Steps": []}
    fake.add("POST", "/v1.0/templates/import", json_response({"Id": TPL}))
    assert twin.import_template(definition, folder_id=FOLDER) == {"Id": TPL}
    request = only(fake)
    assert dict(request.url.params) == {"folderid": FOLDER}
    assert body(request) == definition


def test_import_template_is_never_retried_blindly(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/templates/import", httpx.ReadError("reset"))
    with pytest.raises(OutcomeUnknownError) as info:
        twin.import_template({"Name": "Imported"})
    assert len(fake.calls()) == 1
    assert "'Imported'" in (info.value.check or "")


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (([],), {}),
        (({},), {}),
        (("{}",), {}),
        (({"Name": "x"},), {"folder_id": "root"}),
        (({"Name": "x"},), {"folder_id": FOLDER + "/.."}),
    ],
)
def test_import_template_refuses_bad_input(
    twin: Twin, fake: FakeCyclr, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        twin.import_template(*args, **kwargs)
    assert fake.calls() == []


@pytest.mark.parametrize("bad", BAD_GUIDS)
def test_template_ids_must_be_guids(twin: Twin, fake: FakeCyclr, bad: Any) -> None:
    for name, args in (
        ("template", (bad,)),
        ("export_template", (bad,)),
        ("install_template", (ACCOUNT, bad)),
    ):
        with pytest.raises(ValidationError, match="template_id"):
            getattr(twin, name)(*args)
    assert fake.calls() == []


def test_install_template_refuses_an_empty_name(twin: Twin, fake: FakeCyclr) -> None:
    with pytest.raises(ValidationError, match="name"):
        twin.install_template(ACCOUNT, TPL, name=" ")
    assert fake.calls() == []
