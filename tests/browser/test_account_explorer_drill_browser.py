"""AccountExplorer's drill-down and actions in JupyterLab 4: a real kernel, chromium, the sandbox.

From the newest error incident of the seeded troubleshooting cycle to its run, the failing step
(selected for the user) and its request and response as the page shows them; then a paused cycle
activated with the widget's confirmation, and a blocked one whose prerequisites are shown instead
of the question. Outcomes are checked with the test's own client.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from harness.jupyter import STEP_MS

pytestmark = pytest.mark.browser

EXPLORER_CELL = """\
from cyclr_widgets import AccountExplorer, CyclrClient

explorer = AccountExplorer(CyclrClient.from_env(), __ACCOUNT__)
explorer
"""


@pytest.fixture(scope="module")
def kernel_env(sandbox: Any) -> dict[str, str]:
    return dict(sandbox.environ)  # CyclrClient.from_env() in the kernel reaches the sandbox


def open_explorer(notebook_factory: Any, account: str) -> Any:
    nb = notebook_factory([EXPLORER_CELL.replace("__ACCOUNT__", repr(account))])
    nb.run(0)
    explorer = nb.cell(0).locator(".cyclr-account-explorer")
    explorer.locator(".cyclr-connectors .cyclr-table-search").wait_for(timeout=STEP_MS)
    return explorer


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_incident_to_the_failing_steps_request_and_response(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any
) -> None:
    explorer = open_explorer(notebook_factory, sandbox.account_id)
    window = explorer.locator(".cyclr-time-window")
    window.locator(".cyclr-window-caption").filter(has_text="Last week").wait_for()
    explorer.locator(".cyclr-tab").filter(has_text="Incidents").click()
    incidents = explorer.locator(".cyclr-incidents")
    incidents.locator(".cyclr-table-category").select_option("Error")
    incidents.locator(".cyclr-table-search").fill("Add Subscriber")
    # Newest first: the first error of the failing step is the seeded run's last failure.
    incidents.locator(".cyclr-table-row").first.click()

    drill = explorer.locator(".cyclr-drill")
    drill.locator(".cyclr-crumbs").filter(
        has_text="Step MailChimp: Add Subscriber: Errored"
    ).wait_for()
    steps = drill.locator(".cyclr-steps")
    steps.locator(".cyclr-table-row.selected").filter(has_text="Errored").wait_for()
    assert steps.locator(".cyclr-table-row").count() == 3
    detail = drill.locator(".cyclr-step")
    request = detail.locator(".cyclr-request")
    request.locator(".cyclr-http-line").filter(
        has_text="POST https://us6.api.mailchimp.com/3.0/lists/list-1/members"
    ).wait_for()
    headers = request.locator(".cyclr-http-headers").inner_text()
    assert "Authorization" in headers and "REDACTED" in headers
    assert "email_address" in request.locator(".cyclr-http-body").inner_text()
    response = detail.locator(".cyclr-response")
    assert response.locator(".cyclr-http-status").inner_text() == "400 Bad Request"
    assert "Member Exists" in response.locator(".cyclr-http-body").inner_text()
    drill.locator(".cyclr-mappings .cyclr-table-row").filter(has_text="email_address").wait_for()
    drill.locator(".cyclr-parameters .cyclr-table-row").filter(has_text="List ID").wait_for()
    drill.locator(".cyclr-variables .cyclr-table-row").filter(has_text="LastRunDate").wait_for()


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_activate_a_paused_cycle_with_confirmation(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any
) -> None:
    account, ids = sandbox.account_id, sandbox.ids
    paused, blocked = ids["cycle_id"], ids["blocked_cycle_id"]
    assert paused in ids["paused_cycle_ids"] and client.cycle_prerequisites(account, paused) == []
    explorer = open_explorer(notebook_factory, account)
    explorer.locator(".cyclr-tab").filter(has_text="Cycles").click()
    cycles = explorer.locator(".cyclr-cycles")
    actions = explorer.locator(".cyclr-cycle-actions")

    # The blocked cycle: its prerequisites are shown, nothing is asked.
    cycles.locator(".cyclr-table-search").fill(blocked)
    cycles.locator(f'.cyclr-table-row[data-id="{blocked}"]').click()
    actions.locator('button.cyclr-action[data-action="activate"]:enabled').click()
    result = actions.locator(".cyclr-action-result")
    # One item at the cycle level (the step lacking mappings, Cyclr's "Action"), its own two
    # missing mappings spelled out after it.
    result.filter(has_text=re.compile(r"prerequisites? unmet")).wait_for()
    assert result.get_attribute("data-state") == "blocked"
    assert "Missing field mapping" in result.inner_text()
    assert actions.locator(".cyclr-confirm").is_hidden()

    cycles.locator(".cyclr-table-search").fill(paused)
    cycles.locator(f'.cyclr-table-row[data-id="{paused}"]').click()
    actions.locator(".cyclr-actions-subject").filter(has_text="(Paused)").wait_for()
    actions.locator('button.cyclr-action[data-action="activate"]:enabled').click()
    confirm = actions.locator(".cyclr-confirm")
    confirm.locator(".cyclr-confirm-question").filter(has_text=f"in account {account}?").wait_for()
    assert confirm.locator(".cyclr-confirm-question").inner_text().startswith("Activate cycle ")
    assert client.cycle(account, paused)["Status"] != "Active"  # asked, nothing done yet
    confirm.locator(".cyclr-confirm-yes").click()
    result.filter(has_text="activated.").wait_for()
    assert result.get_attribute("data-state") == "ok"
    assert client.cycle(account, paused)["Status"] == "Active"
    cycles.locator(f'.cyclr-table-row[data-id="{paused}"]').filter(has_text="Active").wait_for()
    actions.locator('button.cyclr-action[data-action="deactivate"]:enabled').wait_for()
    assert actions.locator(".cyclr-confirm").is_hidden()


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_read_only_renders_no_action(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any
) -> None:
    cell = EXPLORER_CELL.replace("__ACCOUNT__)", "__ACCOUNT__, read_only=True)")
    nb = notebook_factory([cell.replace("__ACCOUNT__", repr(sandbox.account_id))])
    nb.run(0)
    explorer = nb.cell(0).locator(".cyclr-account-explorer")
    explorer.locator(".cyclr-connectors .cyclr-table-row").first.wait_for(timeout=STEP_MS)
    explorer.locator(".cyclr-connectors .cyclr-table-row").first.click()
    explorer.locator(".cyclr-tab").filter(has_text="Cycles").click()
    explorer.locator(".cyclr-cycles .cyclr-table-row").first.click()
    assert explorer.get_attribute("data-read-only") == "true"
    for gone in (".cyclr-action", ".cw-row-action", ".cyclr-install-form", ".cyclr-confirm"):
        assert explorer.locator(gone).count() == 0, gone
