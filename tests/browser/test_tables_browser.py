"""The widgets' tables in JupyterLab 4 (issue #14): a real kernel, chromium and the sandbox.

ConnectorBrowser: the library's icons load lazily (only the rows scrolled into view ask the
kernel), each an <img alt="">; the installed connectors' status chips carry their text; the
keyboard moves through a table with one tab stop and selects with Enter; Install on a row
selects the connector and moves the focus to its form. AccountExplorer: times relative to the
client's clock with the exact time on hover, a Level filter on the incidents, Connect on an
account connector's row opens the OAuth popup flow end to end (the row's chip then says
Authenticated). Both widgets pass an axe-core audit (serious and critical rules) and are
screenshotted as artifacts.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from harness.jupyter import STEP_MS, wait_focused
from harness.look import audit, describe, screenshot

pytestmark = pytest.mark.browser

BROWSER_CELL = """\
from cyclr_widgets import ConnectorBrowser, CyclrClient

browser = ConnectorBrowser(CyclrClient.from_env(), __ACCOUNT__)
browser
"""
EXPLORER_CELL = """\
from cyclr_widgets import AccountExplorer, CyclrClient

explorer = AccountExplorer(CyclrClient.from_env(), __ACCOUNT__)
explorer
"""

# (has_text is a case-insensitive substring: "Not authenticated" would match "Authenticated")
AUTHENTICATED = re.compile(r"^✓?Authenticated$")


@pytest.fixture(scope="module")
def kernel_env(sandbox: Any) -> dict[str, str]:
    return dict(sandbox.environ)  # CyclrClient.from_env() in the kernel reaches the sandbox


def icons_state(table: Any) -> dict[str, int]:
    """How many icon cells are rendered, filled in, and shown as an <img alt="">."""
    return table.evaluate(
        """(t) => ({
            rendered: t.querySelectorAll(".cw-icon").length,
            loaded: t.querySelectorAll('.cw-icon[data-loaded="true"]').length,
            images: t.querySelectorAll('.cw-icon img[alt=""]').length,
        })"""
    )


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_connector_browser_icons_chips_keyboard_and_install_from_a_row(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any
) -> None:
    account = sandbox.account_id
    nb = notebook_factory([BROWSER_CELL.replace("__ACCOUNT__", repr(account))])
    nb.run(0)
    widget = nb.cell(0).locator(".cyclr-connector-browser")
    library = widget.locator(".cyclr-library")
    library.locator(".cyclr-table-row").first.wait_for(timeout=STEP_MS)

    # Human labels; the DataFrame's names stay in Python.
    heads = library.locator("th").all_inner_texts()
    assert [h.strip() for h in heads[1:5]] == ["Connector", "Version", "Categories", "Auth"]
    assert library.locator("select.cyclr-table-category").get_attribute("aria-label") == "Category"

    # Icons: the first rows' load; rows far below the fold have not asked yet (lazy).
    scroll = library.locator(".cyclr-table-scroll")
    library.locator('.cyclr-table-row >> nth=0 >> .cw-icon img[alt=""]').wait_for(timeout=STEP_MS)
    first = icons_state(scroll)
    assert first["rendered"] > 40 and 0 < first["loaded"] < first["rendered"], first
    assert first["images"] == first["loaded"]  # every seeded connector has an icon
    src = library.locator(".cw-icon img").first.get_attribute("src") or ""
    assert src.startswith("data:image/svg+xml;base64,")
    scroll.evaluate("(s) => { s.scrollTop = s.scrollHeight; }")
    library.locator('.cyclr-table-row >> nth=-1 >> .cw-icon img[alt=""]').wait_for(timeout=STEP_MS)
    assert icons_state(scroll)["loaded"] > first["loaded"]
    scroll.evaluate("(s) => { s.scrollTop = 0; }")

    # Status chips on the installed connectors: text, not colour alone.
    installed = widget.locator(".cyclr-installed")
    installed.locator(".cw-chip").first.wait_for(timeout=STEP_MS)
    chips = installed.locator(".cw-chip").evaluate_all(
        "(cs) => cs.map((c) => [c.textContent.replace(/^[✓!✕]/, ''), c.dataset.tone])"
    )
    assert ["Authenticated", "ok"] in chips and ["Not authenticated", "warn"] in chips, chips[:5]

    # Keyboard: one tab stop per table; arrows move it, Enter selects (as a click).
    rows = library.locator(".cyclr-table-row")
    assert library.locator('.cyclr-table-row[tabindex="0"]').count() == 1
    rows.first.focus()
    nb.page.keyboard.press("ArrowDown")
    nb.page.keyboard.press("ArrowDown")
    third = rows.nth(2)
    wait_focused(third)
    nb.page.keyboard.press("Enter")
    library.locator('.cyclr-table-row.selected[aria-selected="true"]').wait_for(timeout=STEP_MS)
    assert library.locator(".cyclr-table-row.selected").get_attribute("data-id") == (
        third.get_attribute("data-id")
    )
    wait_focused(third)  # selected, and the focus stayed on it through the redraws
    nb.page.keyboard.press("End")
    wait_focused(rows.last)
    assert library.locator('.cyclr-table-row[tabindex="0"]').count() == 1

    # Install from a row: the row's button selects it and the focus moves to its form.
    api_id = sandbox.ids["apikey_connector_ids"][0]
    name = client.connector(api_id, account_id=account)["Name"]
    library.locator(".cyclr-table-search").fill(name)
    row = library.locator(f'.cyclr-table-row[data-id="{api_id}"]')
    row.locator('.cw-row-action[data-action="install"]').click()
    form = widget.locator(".cyclr-install-form")
    key = form.locator('input[name="api_key"]')
    key.wait_for(timeout=STEP_MS)
    nb.page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('.cyclr-form')",
        timeout=STEP_MS,
    )
    key.fill("tables-api-key-" + "1" * 16)
    form.locator(".cyclr-install-btn").click()
    done = form.locator(".cyclr-install-message").filter(has_text="Installed")
    done.wait_for(timeout=STEP_MS)
    found = re.search(r"account connector (\d+)", done.inner_text())
    assert found
    installed.locator(f'.cyclr-table-row[data-id="{found.group(1)}"] .cw-chip').filter(
        has_text=AUTHENTICATED
    ).wait_for(timeout=STEP_MS)

    library.locator(".cyclr-table-search").fill("")
    violations = audit(nb.page, ".cyclr-widget")
    assert violations == [], describe(violations)
    screenshot(widget, "connector_browser-lab-light")


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_account_explorer_times_filters_and_connect_from_a_row(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any, client: Any, oauth_ac: int
) -> None:
    nb = notebook_factory([EXPLORER_CELL.replace("__ACCOUNT__", repr(sandbox.account_id))])
    nb.run(0)
    explorer = nb.cell(0).locator(".cyclr-account-explorer")
    connectors = explorer.locator(".cyclr-connectors")
    connectors.locator(".cyclr-table-row").first.wait_for(timeout=STEP_MS)
    heads = [h.strip() for h in connectors.locator("th").all_inner_texts()]
    assert {"Connector", "Version", "Auth", "Status"} <= set(heads), heads
    assert "Connector.AuthType" not in heads
    status_filter = connectors.locator("select.cyclr-table-category")
    assert status_filter.get_attribute("aria-label") == "Status"
    assert connectors.locator("table").get_attribute("aria-label")
    assert connectors.locator('.cyclr-table-count[role="status"]').count() == 1

    # Incidents: a Level filter, times relative with the exact time on hover.
    explorer.locator(".cyclr-tab").filter(has_text="Incidents").click()
    incidents = explorer.locator(".cyclr-incidents")
    incidents.locator("time.cw-time").first.wait_for(timeout=STEP_MS)
    level = incidents.locator("select.cyclr-table-category")
    assert level.get_attribute("aria-label") == "Level"
    options = level.locator("option").all_inner_texts()
    assert options[:4] == ["Any level", "Error", "Warning", "Info"], options
    stamp = incidents.locator("time.cw-time").first
    assert re.fullmatch(r"just now|\d+ (s|min|h|d|mo|y) ago|in \d+ \w+", stamp.inner_text())
    assert (stamp.get_attribute("title") or "").endswith(" UTC)")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT.*Z", stamp.get_attribute("datetime") or "")
    assert incidents.locator('.cw-chip[data-tone="error"]').filter(has_text="Error").count() > 0
    explorer.locator(".cyclr-tab").filter(has_text="Connectors").click()

    # Connect on the row: the popup part opens; the sign-in runs end to end.
    connectors.locator(".cyclr-table-search").fill(str(oauth_ac))
    row = connectors.locator(f'.cyclr-table-row[data-id="{oauth_ac}"]')
    row.locator(".cw-chip").filter(has_text="Not authenticated").wait_for(timeout=STEP_MS)
    row.locator('.cw-row-action[data-action="connect"]').click()
    start = explorer.locator(".cyclr-popup .cyclr-oauth-connect")
    start.wait_for(timeout=STEP_MS)
    with nb.page.expect_popup() as info:
        start.click()
    popup = info.value
    popup.locator("#allow").click(timeout=STEP_MS)
    explorer.locator('.cyclr-oauth-status[data-status="authenticated"]').wait_for(timeout=STEP_MS)
    assert client.account_connector(sandbox.account_id, oauth_ac).authenticated is True
    row.locator(".cw-chip").filter(has_text=AUTHENTICATED).wait_for(timeout=STEP_MS)
    row.locator('.cw-row-action[data-action="reauthenticate"]').wait_for(timeout=STEP_MS)

    violations = audit(nb.page, ".cyclr-widget")
    assert violations == [], describe(violations)
    screenshot(explorer, "account_explorer-lab-light")


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_partner_health_chips_and_opening_an_account_with_the_keyboard(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any
) -> None:
    nb = notebook_factory([EXPLORER_CELL.replace("__ACCOUNT__", "")])
    nb.run(0)
    explorer = nb.cell(0).locator(".cyclr-account-explorer")
    partner = explorer.locator(".cyclr-partner")
    partner.locator(".cyclr-health-message").filter(has_text="accounts scanned").wait_for(
        timeout=STEP_MS
    )
    heads = [h.strip() for h in partner.locator("th").all_inner_texts()]
    assert heads[:2] == ["Health", "Name"] and "Last success" in heads, heads
    chip = partner.locator(".cyclr-table-row").first.locator(".cw-chip")
    assert re.fullmatch(r"[✓!✕]?\s*(At risk|Degraded|Healthy) \d+", chip.inner_text().strip())
    assert chip.get_attribute("data-tone") in ("error", "warn", "ok")
    violations = audit(nb.page, ".cyclr-widget")
    assert violations == [], describe(violations)

    # One tab stop; ArrowDown then Enter opens that account, as a click does.
    rows = partner.locator(".cyclr-table-row")
    rows.first.focus()
    nb.page.keyboard.press("ArrowDown")
    second = rows.nth(1).get_attribute("data-id")
    nb.page.keyboard.press("Enter")
    account = explorer.locator(".cyclr-account-view")
    account.locator(".cyclr-connectors .cyclr-table-caption").filter(
        has_text=f"installed in {second}"
    ).wait_for(timeout=STEP_MS)


def use_dark_theme(page: Any) -> None:
    """Switch JupyterLab to its dark theme through the command palette, as a user would."""
    page.keyboard.press("Control+Shift+C")
    page.keyboard.type("JupyterLab Dark")
    page.wait_for_timeout(300)  # the palette filters as it is typed
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=STEP_MS)


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_tables_in_the_dark_theme_pass_the_audit(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any
) -> None:
    nb = notebook_factory([EXPLORER_CELL.replace("__ACCOUNT__", repr(sandbox.account_id))])
    use_dark_theme(nb.page)
    nb.run(0)
    explorer = nb.cell(0).locator(".cyclr-account-explorer")
    connectors = explorer.locator(".cyclr-connectors")
    connectors.locator(".cw-chip").first.wait_for(timeout=STEP_MS)
    connectors.locator(".cyclr-table-row").first.click()
    connectors.locator(".cyclr-table-row.selected").wait_for(timeout=STEP_MS)
    # The chips' text is the theme's text colour on the theme's background (dark here).
    fg, bg = connectors.locator(".cw-chip").first.evaluate(
        "(c) => [getComputedStyle(c).color, getComputedStyle(c).backgroundColor]"
    )
    assert fg != bg
    violations = audit(nb.page, ".cyclr-widget")
    assert violations == [], describe(violations)
    screenshot(explorer, "tables-account_explorer-lab-dark")


# Cyclr may send an installed connector's Connector with "Icon": null (cyclr-api.md §3.5): the
# explorer then reads each connector's icon from the library, on a background thread, and the
# kernel's loop hands the answers to the view.
NO_ICONS_CELL = """\
from cyclr_widgets import AccountExplorer, CyclrClient

class NoIcons(CyclrClient):
    def iter_account_connectors(self, *args, **kwargs):
        for r in super().iter_account_connectors(*args, **kwargs):
            yield {**r, "Connector": {**r["Connector"], "Icon": None}}

explorer = AccountExplorer(NoIcons.from_env(), __ACCOUNT__)
explorer
"""


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_icons_missing_from_the_listing_are_read_in_the_background(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any
) -> None:
    nb = notebook_factory(
        [
            NO_ICONS_CELL.replace("__ACCOUNT__", repr(sandbox.account_id)),
            "print(explorer._icons.wait(120), len(explorer._icons))",
        ]
    )
    nb.run(0)
    connectors = nb.cell(0).locator(".cyclr-connectors")
    connectors.locator(".cyclr-table-row").first.wait_for(timeout=STEP_MS)
    # The first rows' icons arrive although the listing had none: read from the library.
    connectors.locator('.cyclr-table-row >> nth=0 >> .cw-icon img[alt=""]').wait_for(
        timeout=STEP_MS
    )
    src = connectors.locator(".cw-icon img").first.get_attribute("src") or ""
    assert src.startswith("data:image/svg+xml;base64,")
    nb.run(1)  # no read left pending, and the icons came from reads (the records had none)
    done, read = nb.output(1).split()
    assert done == "True" and int(read) > 0
