"""The connector library: Cyclr's names, icons, auth methods, lookups by id/name/version, methods,
and every documented list filter applied."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from tests.support.sandbox import *  # noqa: F403

WELL_KNOWN = ["MailChimp", "Salesforce", "HubSpot", "Generic Webhook", "Slack", "Xero"]
WELL_KNOWN += ["Shopify", "Zendesk", "Pipedrive", "Access CRM", "QuickBooks Online", "Stripe"]


def _all(api: httpx.Client, **params: object) -> list[dict[str, object]]:
    r = api.get("/v1.0/connectors", params={"pageSize": 500, **params})
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


def test_cyclr_spellings_and_icons(api: httpx.Client) -> None:
    library = _all(api)
    names = {c["Name"] for c in library}
    assert set(WELL_KNOWN) <= names and "Mailchimp" not in names
    assert all(str(c["Icon"]).startswith("data:image/") for c in library)
    mailchimp = next(c for c in library if c["Name"] == "MailChimp")
    assert mailchimp["Version"] == "v3"


def test_multi_auth_connector_keeps_the_deprecated_first_auth_type(api: httpx.Client) -> None:
    hubspot = api.get("/v1.0/connectors/HubSpot").json()[0]
    kinds = [(a["AuthType"], a["OAuth2Type"]) for a in hubspot["Authentication"]]
    assert kinds == [("OAuth2", "AuthorisationCode"), ("ApiKey", "Unknown")]
    assert (hubspot["AuthType"], hubspot["OAuth2Type"]) == kinds[0]


def test_account_level_parameters_methods_and_triggers(api: httpx.Client, sb: Sandbox) -> None:
    library = _all(api)
    assert any(p["IsAccountConnectorProperty"] for c in library for p in c["Parameters"])
    first = api.get(f"/v1.0/connectors/{sb.ids['first_connector_id']}").json()
    assert first["Triggers"] and all(isinstance(t["TriggerId"], int) for t in first["Triggers"])


def test_by_id_is_an_object_by_name_an_array(api: httpx.Client, sb: Sandbox) -> None:
    one = api.get(f"/v1.0/connectors/{sb.ids['first_connector_id']}").json()
    assert isinstance(one, dict) and one["Name"] == "Salesforce"
    named = api.get("/v1.0/connectors/Access%20CRM").json()  # percent-decoded
    assert isinstance(named, list) and [c["Name"] for c in named] == ["Access CRM"]
    versioned = api.get("/v1.0/connectors/MailChimp/v3").json()
    assert [(c["Name"], c["Version"]) for c in versioned] == [("MailChimp", "v3")]
    for path in (
        "/v1.0/connectors/999999",
        "/v1.0/connectors/No%20Such",
        "/v1.0/connectors/MailChimp/v9",
    ):
        assert api.get(path).status_code == 404


def test_library_filters(api: httpx.Client) -> None:
    assert [c["Name"] for c in _all(api, query="mailchimp")] == ["MailChimp"]
    crms = _all(api, category="CRMs")
    assert crms and all("CRMs" in c["Categories"] for c in crms)
    by_id = [c["Id"] for c in _all(api, orderBy="Id", sortOrderAsc="false")]
    assert by_id == sorted(by_id, reverse=True)
    names = [str(c["Name"]).lower() for c in _all(api, orderBy="Name")]
    assert names == sorted(names)
    assert api.get("/v1.0/connectors", params={"orderBy": "Nope"}).status_code == 400


def test_include_custom_connectors(api: httpx.Client, sb: Sandbox) -> None:
    plain = {c["Id"] for c in _all(api)}
    custom_id = sb.ids["custom_connector_id"]
    assert custom_id not in plain
    assert custom_id in {c["Id"] for c in _all(api, includeCustomConnectors="true")}
    assert custom_id not in {c["Id"] for c in _all(api, includeCustomConnectors="false")}
    # Only the header account's custom connectors.
    assert sb.ids["other_custom_connector_id"] not in {
        c["Id"] for c in _all(api, includeCustomConnectors="true")
    }
    r = api.get("/v1.0/connectors", params={"includeCustomConnectors": "maybe"})
    assert r.status_code == 400


# -- methods -----------------------------------------------------------------------------------


def test_methods_by_id_name_and_version(api: httpx.Client, sb: Sandbox) -> None:
    by_id = api.get(f"/v1.0/connectors/{sb.ids['first_connector_id']}/methods").json()
    keys = {
        "Id",
        "Name",
        "Description",
        "EndPoint",
        "MethodUniqueIdentifier",
        "Category",
        "Parameters",
    }
    assert by_id and all(keys <= set(m) for m in by_id)
    assert by_id == api.get("/v1.0/connectors/Salesforce/methods").json()
    mc = api.get("/v1.0/connectors/MailChimp/v3/methods").json()
    assert "List Lists" in [m["Name"] for m in mc]
    assert api.get("/v1.0/connectors/MailChimp/methods").json() == mc
    assert api.get("/v1.0/connectors/MailChimp/v9/methods").status_code == 404
    assert api.get("/v1.0/connectors/999999/methods").status_code == 404


def test_method_filters(api: httpx.Client) -> None:
    lists = api.get("/v1.0/connectors/MailChimp/methods", params={"category": "Lists"}).json()
    assert lists and {m["Category"] for m in lists} == {"Lists"}
    found = api.get("/v1.0/connectors/MailChimp/methods", params={"query": "create"}).json()
    assert found and all("create" in m["Name"].lower() for m in found)
    desc = api.get(
        "/v1.0/connectors/MailChimp/methods", params={"orderBy": "Name", "sortOrderAsc": "false"}
    )
    names = [m["Name"] for m in desc.json()]
    assert names == sorted(names, reverse=True) and desc.headers["Total-Pages"] == "1"
    bad = api.get("/v1.0/connectors/MailChimp/methods", params={"orderBy": "Nope"})
    assert bad.status_code == 400


def test_one_method(api: httpx.Client, sb: Sandbox) -> None:
    method = api.get(f"/v1.0/methods/{sb.ids['method_id']}").json()
    assert method["Id"] == sb.ids["method_id"]
    assert {"Name", "Description", "Category", "MethodType", "EndPoint"} <= set(method)
    assert api.get("/v1.0/methods/99999999").status_code == 404
    assert api.get("/v1.0/methods/abc").status_code == 400


# -- installs by name and version ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["MailChimp/v3", "MailChimp", "Slack", "Access%20CRM"])
def test_install_by_name_and_version(api: httpx.Client, path: str) -> None:
    r = api.post(f"/v1.0/connectors/{path}/install", json={"Name": "Mine"})
    assert r.status_code == 200, r.text
    assert r.json()["Connector"]["Name"] == path.split("/")[0].replace("%20", " ")
    assert r.json()["IsPartnerIntegrationConnector"] is False


def test_install_unknown_version_is_404(api: httpx.Client) -> None:
    assert api.post("/v1.0/connectors/MailChimp/v9/install", json={"Name": "x"}).status_code == 404
