"""notebooks/quickstart_marimo.py, the marimo twin of 01_quickstart.ipynb, end to end.

As a script (``python quickstart_marimo.py``: marimo runs every cell, on a sandbox of its own),
and in a real browser under ``marimo run`` and ``marimo edit`` against the test's sandbox (its
CYCLR_* variables are in the server's environment), with the shared chromium's popup blocker on:
the listings, the API-key install, the OAuth popup (Connect, Allow at the fake provider, the
``on_complete`` cell updated through ``mo.state``), and an install with the ConnectorBrowser
(its ``on_install`` cell updated the same way). No secret and no sign-in URL reach the page.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from harness.jupyter import REPO_ROOT, STEP_MS
from harness.marimo import MarimoServer, open_app
from harness.marimo_flow import (
    ALL_SHADOW_HTML,
    RECORD_OPENS,
    click_connect,
    installed_id,
    require_marimo,
    wait_status,
)

pytestmark = pytest.mark.browser

QUICKSTART = REPO_ROOT / "notebooks" / "quickstart_marimo.py"
# The key the test types into the ConnectorBrowser's form.
TYPED_KEY = "marimo-quickstart-key-" + "7" * 12
# Credentials the tutorial and the test type in, and the sandbox's default secret: none may
# reach the page.
SECRETS = ("sbx-secret-7c0ffee5-do-not-leak", "demo-api-key-123", TYPED_KEY)
OUTPUTS_HTML = """() => Array.from(document.querySelectorAll('.output-area'))
  .map((e) => e.innerHTML).join('\\n')"""


def test_quickstart_runs_as_a_script(tmp_path: Path) -> None:
    """``python quickstart_marimo.py`` runs every cell (marimo's script mode) on its own sandbox."""
    require_marimo()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYCLR_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.run(
        [sys.executable, str(QUICKSTART)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,  # a hang guard
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]


@pytest.mark.parametrize("mode", ["run", "edit"])
def test_quickstart_in_marimo(
    mode: str,
    serve_marimo: Callable[..., MarimoServer],
    page: Any,
    sandbox: Any,
    client: Any,
    tmp_path: Path,
) -> None:
    page.add_init_script(RECORD_OPENS)
    # A copy: `marimo edit` writes its session cache (__marimo__/) beside the notebook.
    app = tmp_path / QUICKSTART.name
    shutil.copyfile(QUICKSTART, app)
    server = serve_marimo(app=app, mode=mode)  # CYCLR_* variables: it uses this sandbox
    open_app(page, server)
    out = page.locator(".output-area")  # not the cells' code, which edit mode shows too

    # 1-2. The listings rendered as tables, the API-key install worked (its AuthValue masked).
    out.get_by_text("Acme Corp").first.wait_for(timeout=STEP_MS)
    out.get_by_text("connectors in the library this account sees").wait_for(timeout=STEP_MS)
    out.get_by_text("(marimo quickstart) | authenticated: True").wait_for(timeout=STEP_MS)

    # 3. The OAuth popup: Connect, Allow; the next cell shows the result (on_complete + mo.state).
    out.get_by_text("this cell updates when the flow ends").wait_for(timeout=STEP_MS)
    popup = click_connect(page)
    popup.locator("#allow").click()
    wait_status(page, "authenticated")
    out.get_by_text("The flow ended: authenticated. Cyclr says authenticated: True.").wait_for(
        timeout=STEP_MS
    )
    installed = client.account_connectors(sandbox.account_id)
    mine = installed[installed["Name"].str.endswith("(marimo quickstart)")]
    # Two per run of the notebook (the test's modules share the sandbox): all signed in.
    assert len(mine) >= 2
    assert mine["Authenticated"].all()

    # 4. The ConnectorBrowser: search, pick an API-key connector, type the key, Install; the
    # next cell shows what was picked and installed (on_install + mo.state).
    out.get_by_text("Nothing installed with the widget yet").wait_for(timeout=STEP_MS)
    browser = page.locator(".cyclr-connector-browser")
    library = browser.locator(".cyclr-library")
    api_id = sandbox.ids["apikey_connector_ids"][0]
    name = client.connector(api_id, account_id=sandbox.account_id)["Name"]
    library.locator(".cyclr-table-search").fill(name)
    library.locator(f'.cyclr-table-row[data-id="{api_id}"]').click()
    form = browser.locator(".cyclr-install-form")
    form.locator('input[name="api_key"]').fill(TYPED_KEY)
    form.locator(".cyclr-install-btn").click()
    done = form.locator(".cyclr-install-message").filter(has_text="Installed")
    done.wait_for(timeout=STEP_MS)
    ac_id = installed_id(done.inner_text())
    out.get_by_text(f"Selected: {name} | installed with the widget:").wait_for(timeout=STEP_MS)
    out.get_by_text(f"(account connector {ac_id}, authenticated: True)").wait_for()
    assert client.account_connector(sandbox.account_id, ac_id).authenticated is True

    # No secret and no sign-in URL (it carries a single-use token) in the page, shadow roots
    # (where marimo puts the widgets) included.
    # The editor shows the notebook's code, which holds the tutorial's demo key: there, only the
    # cells' outputs are checked for it; the key typed into the form is checked everywhere.
    page_html = page.content() + page.evaluate(ALL_SHADOW_HTML)
    outputs = page.evaluate(OUTPUTS_HTML) + page.evaluate(ALL_SHADOW_HTML)
    html = page_html if mode == "run" else outputs
    assert 'data-status="authenticated"' in html  # the widget's shadow root was read
    for secret in SECRETS:
        assert secret not in html
    assert TYPED_KEY not in page_html
    assert "updateaccountconnectoroauth" not in html
    assert not re.search(r"[?&]token=", html)
