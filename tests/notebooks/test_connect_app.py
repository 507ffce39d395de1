"""The "connect your account" app notebook, run headless (nbclient) against its own sandbox.

Voilà runs the notebook with the page's query string in ``$QUERY_STRING``; here the test sets it
(the kernel inherits the test's environment), runs the notebook top to bottom, then drives the
app in the kernel the way its buttons would (pick, Continue) and prints what it shows. The
browser half (popup, sign-in, Voilà itself) is ``tests/browser/test_voila.py``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import pytest

from tests.support.notebooks import execute

APP = Path(__file__).resolve().parents[2] / "notebooks" / "connect_your_account.ipynb"
SANDBOX_SECRET = "sbx-secret-7c0ffee5-do-not-leak"

# Appended to the notebook: what the customer would do, then what the page would show.
DRIVE = """\
import json
from cyclr_widgets import OAuthResult

def shown():
    return {
        "problem": problem,
        "account": app and app.account_id,
        "intro": app and app.view.children[0].value,
        "choices": app and [label for label, _ in app.picker.options],
        "status": app and app.status.value,
        "popup": app and app.account_connector_id,
    }

steps = {"start": shown()}
if app is not None:
    app.picker.value = dict(app.picker.options)[__PICK__]
    app.go.click()
    steps["continued"] = shown()
    app._finished(__PICK__, OAuthResult("denied", False, app.account_connector_id, ""))
    steps["denied"] = shown()
    app._finished(__PICK__, OAuthResult("authenticated", True, app.account_connector_id, ""))
    steps["finished"] = shown()
    app.picker.value = dict(app.picker.options)[__PICK__]
    app.go.click()  # the same connector again: reused, not installed twice
    steps["again"] = shown()
print("RESULT " + json.dumps(steps))
"""


def run_app(tmp_path: Path, pick: str = "Slack") -> tuple[dict, list[dict]]:
    nb = nbformat.read(APP, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(DRIVE.replace("__PICK__", repr(pick))))
    execute(nb, tmp_path)
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    text = json.dumps(outputs)
    assert '"output_type": "error"' not in text
    assert SANDBOX_SECRET not in text
    assert "token=" not in text
    # Nothing on stderr: the app's log goes to the kernel's own stderr, never into the page.
    assert not [o for o in outputs if o.get("name") == "stderr"], outputs
    last = nb.cells[-1].outputs[-1]["text"]
    return json.loads(last.split("RESULT ", 1)[1]), outputs


@pytest.fixture
def app_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No CYCLR_* (the notebook starts its own sandbox), no query string yet."""
    for key in list(os.environ):
        if key.startswith("CYCLR_") or key in ("QUERY_STRING", "VOILA_PREHEAT"):
            monkeypatch.delenv(key)
    return monkeypatch


def test_committed_without_outputs_or_widget_state() -> None:
    nb = json.loads(APP.read_text())
    assert "widgets" not in nb["metadata"]
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert nb["cells"][0]["cell_type"] == "markdown"
    assert "".join(nb["cells"][0]["source"]).startswith("# Connect your account\n")
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.kernel
def test_default_account_install_then_reuse(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    steps, outputs = run_app(tmp_path)
    start = steps["start"]
    assert start["problem"] is None and start["account"] == "acme-corp-0001"
    assert "Acme Corp" in start["intro"]
    assert start["choices"] == ["Salesforce", "HubSpot", "Slack", "Xero", "Zendesk", "Dropbox"]
    continued = steps["continued"]
    assert "Now press Connect and sign in to Slack" in continued["status"]
    assert continued["popup"]  # the account connector the app installed
    assert "Slack did not let us in. Press Connect to try again." in steps["denied"]["status"]
    assert "Slack is connected." in steps["finished"]["status"]
    # Picked again: the installed copy (authenticated now, as far as the page knows) is reused.
    assert steps["again"]["popup"] == continued["popup"]
    # The only thing displayed is the app (one widget view), no printed text.
    assert [o["output_type"] for o in outputs[:-1]] == ["display_data"]


@pytest.mark.kernel
def test_already_connected_connector(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The seed has an authenticated Salesforce account connector in the demo account.
    steps, _ = run_app(tmp_path, pick="Salesforce")
    assert "Salesforce is already connected" in steps["continued"]["status"]


@pytest.mark.kernel
def test_account_and_short_list_from_the_link(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app_env.setenv("QUERY_STRING", "account=globex-0002&connectors=Xero,Slack,NoSuchApp")
    steps, _ = run_app(tmp_path)
    assert steps["start"]["account"] == "globex-0002"
    assert "Globex" in steps["start"]["intro"]
    assert steps["start"]["choices"] == ["Xero", "Slack"]


@pytest.mark.kernel
def test_a_pinned_account_ignores_the_link(app_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    app_env.setenv("CYCLR_ACCOUNT_ID", "initech-0003")
    app_env.setenv("QUERY_STRING", "account=globex-0002")
    steps, _ = run_app(tmp_path)
    assert steps["start"]["account"] == "initech-0003"


@pytest.mark.kernel
def test_unknown_account_is_one_friendly_sentence(
    app_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    app_env.setenv("QUERY_STRING", "account=no-such-account")
    steps, outputs = run_app(tmp_path)
    assert steps["start"]["problem"] == (
        "We could not find your account. Please check the link you were given."
    )
    shown = json.dumps(outputs[:-1])
    assert "We could not find your account" in shown and "Traceback" not in shown
