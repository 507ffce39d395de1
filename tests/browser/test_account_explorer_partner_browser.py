"""AccountExplorer's partner view in JupyterLab 4: a real kernel, chromium and a fleet sandbox.

``AccountExplorer(client)`` with no account opens at the partner view: the health scan runs on a
thread in the kernel and its rows reach the page in batches while it runs (the progress says
"Scanning"), worst first; once over, every account has its row, and clicking the worst one opens
that account (its connectors), with a way back to the rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from harness.jupyter import STEP_MS

pytestmark = pytest.mark.browser

N = 100
# Each request waits this long in the sandbox: the scan (4 listings per account) then lasts a few
# seconds, long enough to see it fill in; the test waits on states, never on a duration.
LATENCY_MS = 60
EXPLORER_CELL = """\
from cyclr_widgets import AccountExplorer, CyclrClient

explorer = AccountExplorer(CyclrClient.from_env(progress=False))
explorer
"""


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    from cyclr_widgets import Sandbox

    sb = Sandbox(accounts=N, latency_ms=LATENCY_MS).start()
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture(scope="module")
def kernel_env(sandbox: Any) -> dict[str, str]:
    return dict(sandbox.environ)  # CyclrClient.from_env() in the kernel reaches the sandbox


# The score is a chip ("At risk 23", issue #14): its number is read from the text.
ROWS_JS = """(el) => [...el.querySelectorAll('.cyclr-table-row')].map((tr) => ({
  id: tr.dataset.id, score: Number((tr.cells[0].textContent.match(/-?\\d+/) || ["NaN"])[0]),
}))"""


@pytest.mark.parametrize("jupyter_server", ["lab"], indirect=True)
def test_the_partner_view_fills_in_worst_first_and_opens_an_account(
    jupyter_server: Any, notebook_factory: Any, sandbox: Any
) -> None:
    nb = notebook_factory([EXPLORER_CELL])
    nb.run(0)
    explorer = nb.cell(0).locator(".cyclr-account-explorer")
    partner = explorer.locator(".cyclr-partner")
    partner.locator(".cyclr-health").wait_for(timeout=STEP_MS)
    assert explorer.locator(".cyclr-account-view").is_hidden()

    # Filling in: rows on the page while the scan still runs (Stop offered, Refresh not).
    nb.page.wait_for_function(
        """([el, n]) => {
          const text = el.querySelector('.cyclr-health-progress-text').textContent;
          const rows = el.querySelectorAll('.cyclr-table-row').length;
          return text.startsWith('Scanning: ') && rows > 0 && rows < n;
        }""",
        arg=[partner.element_handle(), N],
        timeout=STEP_MS,
    )
    assert partner.locator(".cyclr-health-stop").is_enabled()
    assert partner.locator(".cyclr-health-refresh").is_disabled()

    message = partner.locator(".cyclr-health-message")
    message.filter(has_text=f"{N} accounts scanned").wait_for(timeout=STEP_MS)
    rows = partner.evaluate(ROWS_JS)
    assert len(rows) == N and len({r["id"] for r in rows}) == N
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores) and scores[0] < 100  # worst first; the fleet has bad ones
    assert partner.locator(".cyclr-health-progress").is_hidden()
    assert partner.locator(".cyclr-health-error").inner_text() == ""

    worst = rows[0]["id"]
    partner.locator(f'.cyclr-table-row[data-id="{worst}"]').click()
    account = explorer.locator(".cyclr-account-view")
    caption = account.locator(".cyclr-connectors .cyclr-table-caption")
    caption.filter(has_text=f"installed in {worst}").wait_for(timeout=STEP_MS)
    assert partner.is_hidden()
    assert account.locator(".cyclr-connectors .cyclr-table-row").count() > 0

    account.locator(".cyclr-back").click()  # back to the rows, kept (no new scan)
    partner.wait_for()
    assert account.is_hidden() and message.inner_text().startswith(f"{N} accounts scanned")
    assert len(partner.evaluate(ROWS_JS)) == N
