"""AccountExplorer without a kernel: a fake client behind, then the real client and the sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest

from cyclr_widgets.core import AuthValue, CyclrError, SignInToken, ValidationError
from cyclr_widgets.widgets import AccountExplorer
from cyclr_widgets.widgets._popup_state import OAuthPopupPart
from cyclr_widgets.widgets.oauth_popup import OAuthResult
from tests.support.explorer import FakeClient, method

API_KEY = "k-EXPLORER-secret-key-42"


@pytest.fixture
def client() -> FakeClient:
    return FakeClient()


def test_accounts_table_searchable_by_name_or_id(client):
    e = AccountExplorer(client)
    assert e.account_id is None
    assert e.accounts_df["Id"].tolist() == ["acme-0001", "9f1c-guid"]
    assert e.accounts_table.row_count == 2
    e.accounts_table.set_state({"query": "globex"})
    assert e.accounts_table.visible_df["Id"].tolist() == ["9f1c-guid"]
    e.accounts_table.set_state({"query": "acme-00"})
    assert e.accounts_table.visible_df["Name"].tolist() == ["Acme Corp"]
    assert e.account_connectors_df.empty and e.cycles_df.empty and e.incidents_df.empty


def test_picking_an_account_loads_every_table(client):
    e = AccountExplorer(client)
    e.accounts_table.set_state({"selected_id": "acme-0001"})  # a click in the front end
    assert e.account_id == "acme-0001"
    assert e.account_connectors_df["Name"].tolist() == ["Salesforce", "HubSpot", "Mailchimp"]
    assert e.account_connectors_df["Authenticated"].tolist() == [False, True, False]
    assert e.cycles_df[["Status", "ErrorCount", "WarningCount"]].values.tolist() == [
        ["Active", 3, 1],
        ["Paused", 0, 0],
    ]
    assert e.incidents_df["IncidentLevel"].tolist() == ["Error", "Warning"]
    assert e.incidents_df["ShortMessage"].tolist() == ["401 Unauthorized", "Slow response"]
    assert e.cycles_table.categories == ["Active", "Paused"]
    # The Level filter always offers Cyclr's three levels (issue #14), whatever the rows hold.
    assert e.incidents_table.categories == ["Error", "Warning", "Info"]
    assert e.connectors_table.caption == "3 connectors installed in acme-0001"
    assert e.status.value == ""


def test_account_id_argument_opens_it(client):
    e = AccountExplorer(client, "acme-0001")
    assert e.account_id == "acme-0001" and len(e.cycles_df) == 2
    n = len(client.calls)
    e.select_account("acme-0001")  # same account: a refresh
    # The account's timezone (not in the listing's rows here), connectors, cycles, both incident
    # levels and the transactions: once each.
    assert [c[0] for c in client.calls[n:]] == [
        "account", "account_connectors", "cycles", "incidents:error", "incidents:warning",
        "transactions",
    ]  # fmt: skip


def test_table_rows_travel_by_message_not_state(client):
    e = AccountExplorer(client, "acme-0001")
    sent: list[dict[str, Any]] = []
    e.cycles_table.send = lambda content, buffers=None: sent.append(content)
    e.cycles_table._handle_custom_msg({"kind": "hello"}, [])
    assert sent[0]["columns"][:4] == ["Name", "Status", "ErrorCount", "WarningCount"]
    assert sent[0]["rows"][0][:4] == ["Sync leads", "Active", 3, 1]
    assert "Sync leads" not in json.dumps(e.cycles_table.get_state())


def test_connect_button_follows_the_selected_connector(client):
    e = AccountExplorer(client, "acme-0001")
    button = e.connect_button
    assert button.disabled
    e.connectors_table.set_state({"selected_id": "51"})
    assert (button.description, button.disabled) == ("Connect", False)
    e.connectors_table.set_state({"selected_id": "52"})
    assert (button.description, button.disabled) == ("Re-authenticate", False)
    e.connectors_table.set_state({"selected_id": "53"})
    assert button.disabled and "not OAuth" in button.tooltip


def test_connect_opens_the_popup_and_refreshes_on_completion(client):
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "51"
    e.connect_button.click()
    popup = e.popup
    assert isinstance(popup, OAuthPopupPart) and e.oauth_area.children == (popup,)
    assert popup._ac_id == 51 and popup.connector_name == "Salesforce"
    n = len([c for c in client.calls if c[0] == "account_connectors"])
    popup._completion.finish(OAuthResult("authenticated", True, 51, "ok"))
    assert len([c for c in client.calls if c[0] == "account_connectors"]) == n + 1
    assert e.connectors_table.selected_id == "51"  # the selection survives the reload


def test_connect_without_service_url_shows_why(client):
    client.service_url = None
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "51"
    assert e.connect() is None
    assert "service_url" in e.status.value


def test_incident_detail_is_escaped(client):
    e = AccountExplorer(client, "acme-0001")
    e.incidents_table.set_state({"selected_id": "0"})
    detail = e.incident_detail.value
    assert "Sync leads / Get leads" in detail
    assert "&lt;html&gt;token expired&lt;/html&gt;" in detail and "<html>" not in detail
    e.incidents_table.selected_id = ""
    assert e.incident_detail.value == ""


def test_api_errors_show_in_the_widget_and_other_tables_still_load(client):
    client.fail["cycles"] = CyclrError("Too many requests <now>", status_code=429)
    e = AccountExplorer(client, "acme-0001")
    assert "Could not load the cycles: Too many requests &lt;now&gt;" in e.status.value
    assert e.cycles_df.empty
    assert len(e.account_connectors_df) == 3 and len(e.incidents_df) == 2


def test_accounts_error_is_shown(client):
    client.fail["accounts"] = CyclrError("Unauthorized", status_code=401)
    e = AccountExplorer(client)
    assert "Could not load the accounts: Unauthorized" in e.status.value


def test_clearing_the_account_empties_the_tables(client):
    e = AccountExplorer(client, "acme-0001")
    e.accounts_table.selected_id = ""
    assert e.account_id is None and e.cycles_df.empty and e.incidents_df.empty


def test_no_secret_in_state_or_repr(client):
    e = AccountExplorer(client, "acme-0001")
    assert "secret-auth-value" not in repr(e)
    states = [
        w.get_state()
        for w in (
            e,
            e.accounts_table,
            e.connectors_table,
            e.cycles_table,
            e.incidents_table,
            e.status,
        )
    ]
    assert "secret-auth-value" not in json.dumps(states, default=str)
    assert (e.account_connectors_df["AuthValue"] == "***").all()  # masked by frames


# -- auth methods from Authentication[]: the OAuth Connect and the credentials form ------------


def save(
    e: AccountExplorer, fields: dict[str, str], auth_id: str | None = None, ac_id: Any = None
) -> list[Any]:
    """Submit the credentials form as the front end does; the replies it got."""
    sent: list[dict[str, Any]] = []
    form = e.credentials_form
    form.send = lambda content, buffers=None: sent.append(json.loads(json.dumps(content)))
    schema = form.schema
    form._handle_custom_msg(
        {
            "kind": "install",
            "connector_id": schema["connector_id"],
            "account_connector_id": ac_id or schema["account_connector_id"],
            "authentication_id": auth_id or schema["auth"][0]["id"],
            "fields": dict(fields),
        },
        [],
    )
    return sent


def test_dual_connector_offers_both_connect_and_credentials(client):
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "52"  # HubSpot: OAuth2 and ApiKey in Authentication[]
    assert (e.connect_button.description, e.connect_button.disabled) == ("Re-authenticate", False)
    schema = e.credentials_form.schema
    assert schema["mode"] == "credentials" and schema["account_connector_id"] == 52
    assert [(a["id"], a["kind"]) for a in schema["auth"]] == [("g-key", "ApiKey")]
    assert [f["name"] for f in schema["auth"][0]["fields"]] == ["api_key"]
    assert schema["fields"] == [] and schema["submit_label"] == "Save credentials"
    e.connectors_table.selected_id = "53"
    e.connectors_table.selected_id = "52"  # the library record is read once per account
    assert [c for c in client.calls if c[0] == "connector"] == [("connector", "acme-0001")] * 2


def test_the_deprecated_auth_type_decides_only_without_authentication(client):
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "51"  # no Authentication[] anywhere: AuthType OAuth2
    assert not e.connect_button.disabled and e.credentials_form.schema == {}
    # Authentication[] in the record itself wins over a stale top-level AuthType; no lookup.
    client.connectors[2]["Connector"] = {
        **client.connectors[2]["Connector"],
        "AuthType": "ApiKey",
        "Authentication": [method("g-o", "OAuth2")],
    }
    e.refresh()
    n = len([c for c in client.calls if c[0] == "connector"])
    e.connectors_table.selected_id = "53"
    assert not e.connect_button.disabled and e.credentials_form.schema == {}
    assert len([c for c in client.calls if c[0] == "connector"]) == n


def test_api_key_connector_gets_credentials_not_connect(client):
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "53"
    assert e.connect_button.disabled and "not OAuth" in e.connect_button.tooltip
    assert e.credentials_form.schema["auth"][0]["kind"] == "ApiKey"
    assert e.credentials_form.placeholder == ""  # nothing shown while no connector takes any
    e.connectors_table.selected_id = ""
    assert e.credentials_form.schema == {}


def test_saved_credentials_show_authenticated_and_reload_the_table(client):
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "53"
    listings = len([c for c in client.calls if c[0] == "account_connectors"])
    sent = save(e, {"api_key": API_KEY})
    assert client.updates == [("acme-0001", 53, {"auth_value": AuthValue.api_key(API_KEY)})]
    message = "Credentials saved: Mailchimp is authenticated."
    assert sent == [{"kind": "install:ok", "message": message}]
    form = e.credentials_form
    assert form.status_state == "ok"
    assert "Mailchimp is authenticated" in form.status_message and not form.busy
    assert len([c for c in client.calls if c[0] == "account_connectors"]) == listings + 1
    assert e.account_connectors_df.set_index("Id")["Authenticated"][53]
    assert e.connectors_table.selected_id == "53" and "authenticated" in form.status_message
    state = json.dumps([e.get_state(), form.get_state()], default=str)
    assert API_KEY not in state and API_KEY not in repr(e)
    e.connectors_table.selected_id = "52"  # another connector: the outcome is not its
    assert form.status_message == ""


def test_dual_connector_credentials_are_saved_with_the_chosen_api_key(client):
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "52"
    sent = save(e, {"api_key": API_KEY}, auth_id="g-key")
    assert sent[0]["kind"] == "install:ok"
    assert client.updates[-1][1:] == (52, {"auth_value": AuthValue.api_key(API_KEY)})


def test_cyclrs_message_is_shown_when_it_refuses(client, caplog):
    client.fail["update"] = ValidationError(
        f"The API key {API_KEY} is not valid.", status_code=400, method="PUT", path="/v1.0/x"
    )
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "53"
    sent = save(e, {"api_key": API_KEY})
    form = e.credentials_form
    assert sent[0]["kind"] == "install:error" and form.status_state == "error"
    assert form.status_message == "Cyclr refused the credentials: The API key *** is not valid."
    assert not form.busy and "Traceback" not in caplog.text and API_KEY not in caplog.text


def test_saved_but_not_authenticated_is_an_error(client):
    client.accept = False
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "53"
    sent = save(e, {"api_key": API_KEY})
    assert sent[0]["kind"] == "install:error"
    assert "still not authenticated" in e.credentials_form.status_message


def test_missing_key_and_stale_form_make_no_call(client):
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "53"
    assert save(e, {"api_key": " "})[0]["message"] == "Please fill in: API key."
    sent = save(e, {"api_key": API_KEY}, ac_id=52)  # the form the front end had was HubSpot's
    assert "out of date" in sent[0]["message"] and client.updates == []


def test_the_popup_signs_in_as_an_existing_user_by_default(client):
    e = AccountExplorer(client, "acme-0001")
    e.connectors_table.selected_id = "51"
    popup = e.connect()
    assert popup is not None
    seen: list[tuple[Any, ...]] = []

    def sign_in_token(account_id: str, **kwargs: Any) -> SignInToken:
        seen.append((account_id, kwargs))
        raise CyclrError("no user", status_code=400)

    client.sign_in_token = sign_in_token
    with pytest.raises(CyclrError):
        popup.sign_in_url()
    assert seen == [("acme-0001", {})]  # no username: the client picks an existing user


# -- against the real client and the sandbox ----------------------------------------------


@pytest.fixture(scope="module")
def sandbox():
    from cyclr_widgets.sandbox import Sandbox

    with Sandbox() as sb:
        yield sb


def test_real_client_explores_the_seeded_account(sandbox):
    from cyclr_widgets import CyclrClient

    client = CyclrClient.from_env(sandbox.environ)
    e = AccountExplorer(client, sandbox.account_id)
    assert e.status.value == ""
    assert sandbox.account_id in e.accounts_df["Id"].tolist()
    df = e.account_connectors_df
    assert len(df) > 0 and {"Authenticated", "Connector.AuthType"} <= set(df.columns)
    assert len(e.cycles_df) > 0 and {"ErrorCount", "WarningCount"} <= set(e.cycles_df.columns)
    assert set(e.incidents_df["IncidentLevel"].dropna()) <= {"Error", "Warning"}
    pending = df[(df["Connector.AuthType"] == "OAuth2") & ~df["Authenticated"].astype(bool)]
    e.connectors_table.selected_id = str(pending["Id"].iloc[0])
    assert e.connect_button.description == "Connect" and not e.connect_button.disabled
    assert isinstance(e.connect(), OAuthPopupPart)


def dual_connector(client: Any, account: str) -> dict[str, Any]:
    """A connector whose Authentication[] has both OAuth2 and ApiKey, found in the listing.

    Not by id: the seed may change which connectors are dual. Only one without required
    account properties, so that an API key alone authenticates it.
    """
    for r in client.iter_connectors(account, progress=False):
        kinds = {a.get("AuthType") for a in r.get("Authentication") or []}
        props = [p for p in r.get("Parameters") or [] if p.get("IsAccountConnectorProperty")]
        required = [p for p in props if not p.get("IsOptional", True)]
        if {"OAuth2", "ApiKey"} <= kinds and r.get("Status") == "Approved" and not required:
            return dict(r)
    pytest.fail("the sandbox offers no connector with both OAuth2 and ApiKey")


def test_real_client_sets_the_api_key_of_a_dual_connector(sandbox):
    from cyclr_widgets import CyclrClient

    client = CyclrClient.from_env(sandbox.environ)
    account = sandbox.account_id
    conn = dual_connector(client, account)
    key_id = next(a["Id"] for a in conn["Authentication"] if a["AuthType"] == "ApiKey")
    ac = client.install_connector(account, conn["Id"], name="Dual", authentication_id=key_id)
    assert not ac.authenticated
    e = AccountExplorer(client, account)
    e.connectors_table.selected_id = str(ac.id)
    assert e.connect_button.description == "Connect" and not e.connect_button.disabled
    schema = e.credentials_form.schema
    assert [a["id"] for a in schema["auth"]] == [key_id]
    sent = save(e, {"api_key": API_KEY})
    assert sent[0]["kind"] == "install:ok", sent
    assert "is authenticated" in e.credentials_form.status_message
    assert client.account_connector(account, ac.id).authenticated
    assert e.account_connectors_df.set_index("Id")["Authenticated"][ac.id]
    assert API_KEY not in json.dumps(e.get_state(), default=str)


def test_real_client_shows_cyclrs_message(sandbox):
    from cyclr_widgets import CyclrClient

    client = CyclrClient.from_env(sandbox.environ)
    account = sandbox.account_id
    conn = dual_connector(client, account)
    ac = client.install_connector(account, conn["Id"], name="Gone soon")
    e = AccountExplorer(client, account)
    e.connectors_table.selected_id = str(ac.id)
    client.delete_account_connector(account, ac.id)  # e.g. removed by someone else meanwhile
    sent = save(e, {"api_key": API_KEY})
    form = e.credentials_form
    assert sent[0]["kind"] == "install:error" and form.status_state == "error"
    assert form.status_message.startswith("Cyclr refused the credentials: ")
    assert str(ac.id) in form.status_message and "Traceback" not in form.status_message
