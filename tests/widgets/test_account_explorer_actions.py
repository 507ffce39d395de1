"""AccountExplorer's actions without a kernel: each one asks first, then shows Cyclr's answer.

The front end is played by messages into the widget (``front``): ``request`` asks, ``confirm``
(with the question's token) runs, ``cancel`` forgets. A request alone changes nothing; a confirm
without a question calls nothing; read-only mode hosts no action part and refuses the messages.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from cyclr_widgets.core import AuthValue, CyclrError
from cyclr_widgets.widgets import AccountExplorer
from cyclr_widgets.widgets._actions import READ_ONLY
from cyclr_widgets.widgets._popup_state import OAuthPopupPart
from tests.support.explorer import ACCOUNT, FakeClient

SECRET = "s3cr3t-client-secret-value"


@pytest.fixture
def client() -> FakeClient:
    return FakeClient()


def capture(e: AccountExplorer) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    e.send = lambda content, buffers=None: sent.append(json.loads(json.dumps(content)))
    return sent


def front(e: AccountExplorer, part: str, **content: Any) -> None:
    """A message from a view of ``part``, through the widget's own channel."""
    e._handle_custom_msg({"part": part, **content}, [])


def changes(client: FakeClient) -> list[dict[str, Any]]:
    return [u[2] for u in client.updates]


def cycle(e: AccountExplorer, cycle_id: str) -> None:
    e.cycles_table.set_state({"selected_id": cycle_id})


# -- cycles ----------------------------------------------------------------------------------


def test_the_selected_cycle_offers_what_its_status_allows(client):
    e = AccountExplorer(client, ACCOUNT)
    assert e.cycle_actions.actions == []
    cycle(e, "c-2")  # paused
    acts = {a["name"]: a["enabled"] for a in e.cycle_actions.actions}
    assert acts == {"activate": True, "run_once": True, "deactivate": False,
                    "clear_incidents": True}  # fmt: skip
    assert e.cycle_actions.subject == "Cycle Nightly (Paused)"
    cycle(e, "c-1")  # active
    acts = {a["name"]: a["enabled"] for a in e.cycle_actions.actions}
    assert acts["deactivate"] and not acts["activate"] and not acts["run_once"]


def test_activate_asks_first_and_runs_only_on_confirm(client):
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-2")
    sent = capture(e)
    front(e, "cycle_actions", kind="request", action="activate")
    pending = e.cycle_actions.pending
    assert pending["question"] == "Activate cycle Nightly in account acme-0001?"
    assert changes(client) == []  # asked, nothing changed
    assert sent[-1] == {"kind": "request:ok", "part": "cycle_actions"}
    front(e, "cycle_actions", kind="confirm", token=pending["token"])
    assert changes(client) == [{"activate": "c-2", "run_once": None}]
    assert e.cycle_actions.result == {"state": "ok", "message": "Cycle Nightly activated.",
                                      "items": []}  # fmt: skip
    assert e.cycle_actions.pending == {}
    assert e.cycles_table.selected["Status"] == "Active"  # reloaded, still selected
    assert {a["name"]: a["enabled"] for a in e.cycle_actions.actions}["deactivate"]
    front(e, "cycle_actions", kind="confirm", token=pending["token"])  # a replay
    assert len(client.updates) == 1 and e.cycle_actions.result["state"] == "error"


def test_run_once_activates_with_run_once(client):
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-2")
    assert e.cycle_actions.request("run_once") and e.cycle_actions.confirm()
    assert changes(client) == [{"activate": "c-2", "run_once": True}]
    assert "started for one run" in e.cycle_actions.result["message"]


def test_unmet_prerequisites_are_shown_instead_of_asking(client):
    client.prerequisites["c-2"] = [
        {"ReasonCode": 40, "Reason": "Missing parameter mapping", "ObjectType": "Parameter",
         "ObjectId": 16017},
        {"ReasonCode": 20, "Reason": "Unauthenticated connector",
         "ObjectType": "AccountConnector", "ObjectId": 51},
    ]  # fmt: skip
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-2")
    sent = capture(e)
    front(e, "cycle_actions", kind="request", action="activate")
    result = e.cycle_actions.result
    assert result["state"] == "blocked" and e.cycle_actions.pending == {}
    assert result["message"] == "Activate is not possible: 2 prerequisites unmet."
    assert result["items"] == ["Missing parameter mapping (Parameter 16017)",
                               "Unauthenticated connector (AccountConnector 51)"]  # fmt: skip
    assert sent[-1]["kind"] == "request:error"
    front(e, "cycle_actions", kind="confirm", token=1)
    assert changes(client) == []


def test_a_message_without_confirmation_does_nothing(client):
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-1")
    front(e, "cycle_actions", kind="confirm", token=1)  # no question asked
    front(e, "cycle_actions", kind="confirm")
    assert changes(client) == [] and e.cycle_actions.result["state"] == "error"
    front(e, "cycle_actions", kind="request", action="deactivate")
    token = e.cycle_actions.pending["token"]
    front(e, "cycle_actions", kind="confirm", token=token + 1000)  # not this question's
    front(e, "cycle_actions", kind="cancel")
    front(e, "cycle_actions", kind="confirm", token=token)  # cancelled
    assert changes(client) == [] and e.cycle_actions.pending == {}


def test_another_row_drops_the_question(client):
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-1")
    e.cycle_actions.request("clear_incidents")
    token = e.cycle_actions.pending["token"]
    cycle(e, "c-2")  # the user moved on: the question was about c-1
    assert e.cycle_actions.pending == {}
    assert not e.cycle_actions.confirm(token) and changes(client) == []


def test_deactivate_and_clear_incidents(client):
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-1")
    assert e.cycle_actions.request("deactivate")
    assert (
        e.cycle_actions.pending["question"] == "Deactivate cycle Sync leads in account acme-0001?"
    )
    assert e.cycle_actions.confirm()
    assert e.cycles_table.selected["Status"] == "Paused"
    calls = len(client.calls)
    assert e.cycle_actions.request("clear_incidents") and e.cycle_actions.confirm()
    assert changes(client)[-1] == {"clear": "c-1"}
    assert "cleared" in e.cycle_actions.result["message"]
    reloaded = [c[0] for c in client.calls[calls:]]
    assert "incidents:error" in reloaded and "transactions" in reloaded  # the history reloads


def test_a_disabled_or_unknown_action_is_refused(client):
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-1")
    front(e, "cycle_actions", kind="request", action="activate")  # already active
    assert e.cycle_actions.pending == {} and "not available" in e.cycle_actions.result["message"]
    front(e, "cycle_actions", kind="request", action="delete_everything")
    assert e.cycle_actions.pending == {} and changes(client) == []


def test_cyclrs_message_is_shown_never_a_traceback(client, caplog):
    client.fail["deactivate_cycle"] = CyclrError("Cycle <c-1> is locked.", status_code=409)
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-1")
    sent = capture(e)
    e.cycle_actions.request("deactivate")
    front(e, "cycle_actions", kind="confirm", token=e.cycle_actions.pending["token"])
    assert e.cycle_actions.result["state"] == "error"
    assert e.cycle_actions.result["message"] == "Cyclr refused: Cycle <c-1> is locked."
    assert sent[-1]["kind"] == "confirm:error" and "locked" in sent[-1]["message"]
    assert not e.cycle_actions.busy and "Traceback" not in caplog.text


def test_a_failing_prerequisites_check_is_shown(client):
    client.fail["cycle_prerequisites"] = CyclrError("Forbidden", status_code=403)
    e = AccountExplorer(client, ACCOUNT)
    cycle(e, "c-2")
    assert not e.cycle_actions.request("activate")
    assert e.cycle_actions.result["message"] == "Could not check Cycle Nightly (Paused): Forbidden"


# -- account connectors ----------------------------------------------------------------------


def connector(e: AccountExplorer, ac_id: int) -> None:
    e.connectors_table.set_state({"selected_id": str(ac_id)})


def test_deauthenticate_asks_then_reloads_the_connectors(client):
    e = AccountExplorer(client, ACCOUNT)
    connector(e, 51)  # not authenticated: nothing to drop
    acts = {a["name"]: a["enabled"] for a in e.connector_actions.actions}
    assert acts == {"deauthenticate": False, "set_property": True}
    connector(e, 52)
    front(e, "connector_actions", kind="request", action="deauthenticate")
    question = e.connector_actions.pending["question"]
    assert question == "Deauthenticate HubSpot in account acme-0001? Cycles using it stop working."
    assert changes(client) == []
    front(e, "connector_actions", kind="confirm", token=e.connector_actions.pending["token"])
    assert changes(client) == [{"deauthenticate": True}]
    assert e.connector_actions.result["message"] == "HubSpot was deauthenticated."
    assert not e.connectors_table.selected["Authenticated"]
    assert e.connect_button.description == "Connect"


def test_set_property_value_travels_only_in_the_confirm_message(client):
    e = AccountExplorer(client, ACCOUNT)
    connector(e, 52)
    names = e.connector_actions.names
    assert {"name": "ClientSecret", "secret": True} in names
    assert {"name": "PortalId", "secret": False} in names
    front(
        e,
        "connector_actions",
        kind="request",
        action="set_property",
        args={"name": "ClientSecret", "value": SECRET},
    )  # fmt: skip  (a value here is dropped)
    pending = e.connector_actions.pending
    assert pending["question"] == "Set property ClientSecret of HubSpot in account acme-0001?"
    assert changes(client) == []
    front(e, "connector_actions", kind="confirm", token=pending["token"], value=SECRET)
    assert changes(client) == [{"add": "ClientSecret", "value": AuthValue(SECRET)}]
    assert isinstance(changes(client)[0]["value"], AuthValue)  # sealed: a secret-looking name
    assert e.connector_actions.result["message"] == "Property ClientSecret set on HubSpot."
    state = json.dumps([e.get_state(), e.connector_actions.get_state()], default=str)
    assert SECRET not in state and SECRET not in repr(e.connector_actions)


def test_set_property_updates_an_existing_one(client):
    e = AccountExplorer(client, ACCOUNT)
    connector(e, 52)
    assert e.connector_actions.request("set_property", name="portalid")
    assert e.connector_actions.confirm(value="p-2")
    assert changes(client) == [{"update": 1, "value": "p-2"}]  # by id, a plain value


def test_set_property_needs_a_value(client):
    e = AccountExplorer(client, ACCOUNT)
    connector(e, 52)
    e.connector_actions.request("set_property", name="PortalId")
    assert not e.connector_actions.confirm(value="")
    assert e.connector_actions.result == {"state": "error", "message": "Give a value for PortalId.",
                                          "items": []}  # fmt: skip
    assert changes(client) == []


def test_cyclr_echoing_the_secret_is_masked(client):
    client.fail["add_property"] = CyclrError(f"Value {SECRET} is too long.", status_code=400)
    e = AccountExplorer(client, ACCOUNT)
    connector(e, 52)
    e.connector_actions.request("set_property", name="ClientSecret")
    e.connector_actions.confirm(value=SECRET)
    assert e.connector_actions.result["message"] == "Cyclr refused: Value *** is too long."


def test_reauthenticate_asks_then_opens_the_popup(client):
    e = AccountExplorer(client, ACCOUNT)
    connector(e, 52)  # authenticated OAuth: a working sign-in would be replaced
    assert "reauthenticate" not in [a["name"] for a in e.connector_actions.actions]  # no 2nd button
    e.connect_button.click()
    assert e.popup is None
    assert e.connector_actions.pending["question"].startswith("Re-authenticate HubSpot")
    front(e, "connector_actions", kind="confirm", token=e.connector_actions.pending["token"])
    assert isinstance(e.popup, OAuthPopupPart) and e.oauth_area.children == (e.popup,)
    assert e.connector_actions.result["message"] == "Sign in with the popup below."
    connector(e, 51)  # not authenticated: Connect opens the popup at once
    e.connect_button.click()
    assert e.popup is not None and e.popup._ac_id == 51


# -- read-only -------------------------------------------------------------------------------


def test_read_only_offers_no_action_and_refuses_action_messages(client, caplog):
    e = AccountExplorer(client, ACCOUNT, read_only=True)
    assert e.read_only and e.get_state()["read_only"] is True
    hosted = set(e.parts)
    assert not hosted & {"cycle_actions", "connector_actions", "connect_button",
                         "credentials_form"}  # fmt: skip
    cycle(e, "c-2")
    connector(e, 52)
    assert e.cycle_actions.actions == [] and e.connector_actions.actions == []
    sent = capture(e)
    front(e, "cycle_actions", kind="request", action="activate")
    front(e, "cycle_actions", kind="confirm", token=1)
    front(e, "connector_actions", kind="confirm", token=1, value=SECRET)
    front(e, "connect_button", kind="click")
    front(e, "credentials_form", kind="install", connector_id=152, account_connector_id=52,
          authentication_id="g-key", fields={"api_key": SECRET})  # fmt: skip
    assert changes(client) == [] and e.popup is None
    assert [m["kind"] for m in sent] == ["refused"] * 5
    assert all(m["message"] == READ_ONLY for m in sent)
    # From Python too: nothing is offered, nothing runs.
    assert not e.cycle_actions.request("activate") and not e.cycle_actions.confirm()
    assert e.connect() is None and changes(client) == []
    assert SECRET not in caplog.text


def test_read_only_still_drills_down(client):
    e = AccountExplorer(client, ACCOUNT, read_only=True)
    e.incidents_table.set_state({"selected_id": "0"})
    assert e.selected_step is not None and e.step_response is not None


# -- the sandbox ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox():
    from cyclr_widgets.sandbox import Sandbox

    with Sandbox() as sb:
        yield sb


def test_real_client_activates_a_paused_cycle_and_shows_the_blocked_ones(sandbox):
    from cyclr_widgets import CyclrClient

    client = CyclrClient.from_env(sandbox.environ)
    account, ids = sandbox.account_id, sandbox.ids
    e = AccountExplorer(client, account)
    cycle(e, ids["blocked_cycle_id"])
    assert not e.cycle_actions.request("activate")
    assert e.cycle_actions.result["state"] == "blocked"
    # Cyclr names the step (Action); the explorer adds what the step's prerequisites say.
    items = e.cycle_actions.result["items"]
    assert items[0].startswith(f"Missing mapping (Action {ids['blocked_step_id']}): ")
    assert any("Missing field mapping" in i for i in items)
    paused = ids["cycle_id"]  # the troubleshooting cycle: paused, nothing unmet
    assert paused in ids["paused_cycle_ids"] and client.cycle_prerequisites(account, paused) == []
    cycle(e, paused)
    assert (
        e.cycle_actions.request("activate") and client.cycle(account, paused)["Status"] != "Active"
    )
    assert e.cycle_actions.confirm(), e.cycle_actions.result
    assert client.cycle(account, paused)["Status"] == "Active"
    assert e.cycles_table.selected["Status"] == "Active"
    assert e.cycle_actions.request("deactivate") and e.cycle_actions.confirm()
    assert client.cycle(account, paused)["Status"] != "Active"
