"""Templates in the sandbox: list filters, get, install, export and import (rows #56-#60)."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403  (fixtures)

NIL = "00000000-0000-4000-8000-000000000000"


def _all(api: httpx.Client, **params: str) -> list[dict]:
    r = api.get("/v1.0/templates", params={"pageSize": "100", **params})
    assert r.status_code == 200, r.text
    return r.json()


def test_list_is_published_templates_without_icons_by_default(api: httpx.Client) -> None:
    items = _all(api)
    assert len(items) == 25 and {"Id", "Name", "Description", "Connectors", "Tags"} <= set(items[0])
    assert not any(k.startswith("_") for t in items for k in t)
    # D-tpl's sample shows "Icon": null: lists leave icons out unless includeIcons=true.
    assert all(c["Icon"] is None for t in items for c in t["Connectors"])
    icons = _all(api, includeIcons="true")
    assert any(c["Icon"] for t in icons for c in t["Connectors"])
    assert all(c["Icon"] is None for t in _all(api, includeIcons="False") for c in t["Connectors"])


def test_list_filters_are_applied(api: httpx.Client, sb: Sandbox) -> None:
    tpl = api.get(f"/v1.0/templates/{sb.ids['template_id']}").json()
    name = tpl["Connectors"][1]["Name"]
    by_name = _all(api, connectorName=name.upper())
    assert tpl["Id"] in {t["Id"] for t in by_name}
    assert all(any(c["Name"] == name for c in t["Connectors"]) for t in by_name)
    assert len(by_name) < 25
    version = tpl["Connectors"][1]["Version"]
    both = _all(api, connectorName=name, connectorVersion=version)
    assert tpl["Id"] in {t["Id"] for t in both}
    assert _all(api, connectorName=name, connectorVersion="no-such-version") == []
    assert _all(api, connectorName="No Such Connector") == []
    marketing = _all(api, tag="marketing")
    assert marketing and all("marketing" in t["Tags"] for t in marketing)
    names = [t["Name"].lower() for t in _all(api, orderBy="Name")]
    assert names == sorted(names)
    desc = [t["Name"].lower() for t in _all(api, orderBy="name", sortOrderAsc="false")]
    assert desc == sorted(desc, reverse=True)
    ids = [t["Id"] for t in _all(api, orderBy="Id")]
    assert ids == sorted(ids)


@pytest.mark.parametrize("query", [{"orderBy": "Nope"}, {"includeIcons": "yes"}])
def test_list_refuses_what_it_cannot_apply(api: httpx.Client, query: dict[str, str]) -> None:
    r = api.get("/v1.0/templates", params=query)
    assert r.status_code == 400 and r.json()["Message"]


def test_get_and_errors(api: httpx.Client, sb: Sandbox) -> None:
    tpl = api.get(f"/v1.0/templates/{sb.ids['template_id']}")
    assert tpl.status_code == 200 and "Icon" in tpl.json()["Connectors"][0]
    assert api.get("/v1.0/templates/not-a-guid").status_code == 400
    assert api.get(f"/v1.0/templates/{NIL}").status_code == 404
    assert api.post(f"/v1.0/templates/{NIL}/install", json={}).status_code == 404


def test_install_reuses_account_connectors_and_names_the_cycle(
    api: httpx.Client, sb: Sandbox
) -> None:
    tid = sb.ids["template_id"]
    cyc = api.get(f"/v1.0/cycles/{sb.ids['cycle_id']}").json()
    r = api.post(f"/v1.0/templates/{tid}/install", json={"Name": "My copy"})
    assert r.status_code == 200
    new = r.json()
    assert new["Status"] == "Paused" and new["Name"] == "My copy" and new["TemplateId"] == tid
    # The same account connectors as the troubleshooting cycle (installed from this template).
    assert {c["AccountConnectorId"] for c in new["Connectors"]} == {
        c["AccountConnectorId"] for c in cyc["Connectors"]
    }
    assert all(c["Authenticated"] is True and "Icon" in c for c in new["Connectors"])
    steps = api.get(f"/v1.0/cycles/{new['Id']}/steps").json()
    assert [s["Name"] for s in steps] == [
        s["Name"] for s in api.get(f"/v1.0/cycles/{sb.ids['cycle_id']}/steps").json()
    ]
    quiet = api.post(f"/v1.0/templates/{tid}/install", params={"includeIcons": "false"})
    assert quiet.status_code == 200 and all(c["Icon"] is None for c in quiet.json()["Connectors"])
    assert api.post(f"/v1.0/templates/{tid}/install", json={"Name": " "}).status_code == 400


def test_install_creates_missing_account_connectors(api: httpx.Client, sb: Sandbox) -> None:
    tid = sb.ids["template_id"]
    empty = {"X-Cyclr-Account": sb.ids["empty_account_id"]}
    before = api.get("/v1.0/account/connectors", headers=empty).json()
    new = api.post(f"/v1.0/templates/{tid}/install", json={}, headers=empty).json()
    after = api.get("/v1.0/account/connectors", headers=empty).json()
    assert len(after) == len(before) + len(new["Connectors"])
    assert {c["AccountConnectorId"] for c in new["Connectors"]} <= {a["Id"] for a in after}
    pre = api.get(f"/v1.0/cycles/{new['Id']}/prerequisites", headers=empty).json()
    assert {p["ReasonCode"] for p in pre} >= {20}  # the new installs need authenticating


def test_export_then_import_round_trips(api: httpx.Client, sb: Sandbox) -> None:
    exported = api.get(f"/v1.0/templates/{sb.ids['template_id']}/export").json()
    assert {"Connectors", "Steps", "Edges", "Variables"} <= set(exported)
    assert all(c["Version"] is not None or "Version" in c for c in exported["Connectors"])
    assert exported["Steps"][2]["Name"] == "MailChimp: Add Subscriber"
    folder = sb.ids["template_folder_id"]
    r = api.post("/v1.0/templates/import", params={"folderid": folder}, json=exported)
    assert r.status_code == 200, r.text
    imported = r.json()
    assert imported["Id"] != exported["Id"] and imported["Name"] == exported["Name"]
    assert api.get(f"/v1.0/templates/{imported['Id']}").status_code == 200
    # Imported templates are drafts: not in the published list.
    assert imported["Id"] not in {t["Id"] for t in _all(api)}
    cyc = api.post(f"/v1.0/templates/{imported['Id']}/install", json={}).json()
    assert len(api.get(f"/v1.0/cycles/{cyc['Id']}/steps").json()) == 3


@pytest.mark.parametrize(
    ("query", "body", "message"),
    [
        ({}, {"Name": ""}, "Failed to import template."),
        ({}, {"Name": "x", "Steps": "nope"}, "Failed to import template."),
        ({}, {"Name": "x", "Connectors": [{"Name": "Nope", "Version": "9"}]}, None),
        ({}, {"Name": "x", "Steps": [{"Key": "a", "Name": "A", "ActionType": 99}]}, None),
        ({}, {"Name": "x", "Edges": [{"HeadStepKey": "a", "TailStepKey": "b"}]}, None),
        ({"folderid": "not-a-guid"}, {"Name": "x"}, "Folder ID is invalid."),
        ({"folderid": NIL}, {"Name": "x"}, "Folder with provided ID could not be found."),
    ],
)
def test_import_errors(
    api: httpx.Client, query: dict[str, str], body: dict, message: str | None
) -> None:
    r = api.post("/v1.0/templates/import", params=query, json=body)
    assert r.status_code == 400
    assert r.json()["Message"] == (message or "Failed to import template.")
