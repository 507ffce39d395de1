"""The explorer's diagnoses by the rows (``_explorer_notes.py``), against the sandbox.

Selecting an unauthenticated connector says why (the required properties it lacks, named);
selecting a failing cycle groups its incidents in the window by step and message, with the
first and last occurrence. Both travel by custom message, never in the synced state.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from cyclr_widgets import AccountExplorer, CyclrClient
from cyclr_widgets.sandbox import Sandbox
from tests.widgets.test_oauth_popup_diagnosis import needs_a_property


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def client(sandbox: Sandbox) -> Iterator[CyclrClient]:
    with CyclrClient.from_env(sandbox.environ, progress=False) as c:
        yield c


def test_an_unauthenticated_connector_says_which_properties_it_lacks(
    sandbox: Sandbox, client: CyclrClient
) -> None:
    conn = needs_a_property(client, sandbox.account_id)
    ac = client.install_connector(sandbox.account_id, conn["Id"], name="Needs a property")
    e = AccountExplorer(client, sandbox.account_id)
    e.connectors_table.selected_id = str(ac.id)
    note = e.connector_note.value
    assert "Why Needs a property is not authenticated" in note
    required = [p for p in conn["Parameters"] if p["IsAccountConnectorProperty"]
                and not p["IsOptional"]]  # fmt: skip
    for p in required:
        assert p["TargetName"] in note
    assert note not in json.dumps(e.get_state(), default=str)  # by message, not synced
    authenticated = next(r for r in e.connectors_table.rows if r.get("Authenticated"))
    e.connectors_table.selected_id = str(authenticated["Id"])
    assert e.connector_note.value == ""


def test_a_failing_cycle_groups_its_incidents_by_step_and_message(
    sandbox: Sandbox, client: CyclrClient
) -> None:
    e = AccountExplorer(client, sandbox.account_id)
    e.cycles_table.selected_id = sandbox.ids["cycle_id"]
    note = e.cycle_note.value
    assert "Incidents of Salesforce &gt; MailChimp: new contacts in the window" in note
    assert "MailChimp: Add Subscriber" in note and "Failed to call the method" in note
    assert "<td>3</td>" in note  # the three failed runs, one group
    assert "EST" in note or "EDT" in note  # first and last occurrence in the account's zone
    quiet = next(r for r in e.cycles_table.rows if not r.get("ErrorCount"))
    e.cycles_table.selected_id = str(quiet["Id"])
    assert "Failed to call the method" not in e.cycle_note.value
