"""AccountExplorer without a kernel: a fake client behind, then the real client and the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from cyclr_widgets.core import AccountConnector, CyclrError, SignInToken
from cyclr_widgets.widgets import AccountExplorer
from cyclr_widgets.widgets._popup_state import OAuthPopupPart
from cyclr_widgets.widgets.oauth_popup import OAuthResult

ACCOUNTS = [
    {"Id": "acme-0001", "Name": "Acme Corp", "Description": "Big customer"},
    {"Id": "9f1c-guid", "Name": "Globex", "Description": None},
]


def ac(i: int, name: str, auth_type: str, authenticated: bool) -> dict[str, Any]:
    return {
        "Id": i,
        "Name": name,
        "Authenticated": authenticated,
        "AuthValue": "secret-auth-value",
        "Connector": {"Id": 100 + i, "Name": name, "Version": "1.0", "AuthType": auth_type},
    }


CONNECTORS = [
    ac(51, "Salesforce", "OAuth2", False),
    ac(52, "HubSpot", "OAuth2", True),
    ac(53, "Mailchimp", "ApiKey", False),
]
CYCLES = [
    {
        "Id": "c-1",
        "Name": "Sync leads",
        "Status": "Active",
        "ErrorCount": 3,
        "WarningCount": 1,
        "LastSuccessfulRunDate": "2024-01-02T03:04:05Z",
    },
    {
        "Id": "c-2",
        "Name": "Nightly",
        "Status": "Paused",
        "ErrorCount": 0,
        "WarningCount": 0,
        "LastSuccessfulRunDate": "0001-01-01T00:00:00",
    },
]
INCIDENTS = {
    "error": [
        {
            "CycleId": "c-1",
            "CycleName": "Sync leads",
            "IncidentLevel": "Error",
            "ShortMessage": "401 Unauthorized",
            "StepName": "Get leads",
            "FullMessage": "401 Unauthorized\r\n<html>token expired</html>",
            "TransactionId": "t-1",
        }
    ],
    "warning": [
        {
            "CycleId": "c-1",
            "CycleName": "Sync leads",
            "IncidentLevel": "Warning",
            "ShortMessage": "Slow response",
            "StepName": "Post",
            "FullMessage": "took 30 s",
            "TransactionId": "t-2",
        }
    ],
}


class FakeClient:
    """A structural ExplorerClient: records as the client yields them, calls recorded."""

    service_url: str | None = "https://acme-h.test.cyclr"

    def __init__(self) -> None:
        self.fail: dict[str, Exception] = {}
        self.calls: list[tuple[str, Any]] = []

    def _maybe_fail(self, what: str, arg: Any) -> None:
        self.calls.append((what, arg))
        assert what == "accounts" or arg == "acme-0001"
        if what in self.fail:
            raise self.fail[what]

    def iter_accounts(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        assert kwargs.get("progress") is False
        self._maybe_fail("accounts", None)
        return iter(ACCOUNTS)

    def iter_account_connectors(self, account_id: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        self._maybe_fail("account_connectors", account_id)
        return iter(CONNECTORS)

    def iter_cycles(self, account_id: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        self._maybe_fail("cycles", account_id)
        return iter(CYCLES)

    def iter_incidents(
        self, account_id: str, level: str = "error", **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        self._maybe_fail(f"incidents:{level}", account_id)
        return iter(INCIDENTS[level])

    # The popup's part (the Connect button builds an OAuthPopup; no test signs in here).
    def sign_in_token(self, account_id: str, username: str | None = "cyclr-widgets") -> SignInToken:
        raise AssertionError("not used by these tests")

    def account_connector(self, account_id: str, ac_id: int) -> AccountConnector:
        raise AssertionError("not used by these tests")


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
    assert e.incidents_table.categories == ["Error", "Warning"]
    assert e.connectors_table.caption == "3 connectors installed in acme-0001"
    assert e.status.value == ""


def test_account_id_argument_opens_it(client):
    e = AccountExplorer(client, "acme-0001")
    assert e.account_id == "acme-0001" and len(e.cycles_df) == 2
    n = len(client.calls)
    e.select_account("acme-0001")  # same account: a refresh
    assert len(client.calls) == n + 4


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
