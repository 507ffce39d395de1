"""OAuthPopup in a real IPython kernel, the test acting as the front end over the Jupyter protocol.

Checks what no in-process test can: ``wait()`` blocks its cell yet still receives the widget's
comm messages (no deadlock), a cell queued meanwhile runs afterwards, and ``await popup`` works.
"""

from __future__ import annotations

import queue
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.kernel

SETUP = """
from types import SimpleNamespace
from cyclr_widgets.widgets.oauth_popup import OAuthPopup

class Client:
    service_url = "http://127.0.0.1:51235"
    def sign_in_token(self, account_id, username=""):
        return SimpleNamespace(token="TOKEN-XYZ", expires_at=None)
    def account_connector(self, account_id, ac_id):
        return SimpleNamespace(authenticated=True, name="Salesforce")

w = OAuthPopup(Client(), "acc", 5)
print("MODEL", w.model_id)
"""


@pytest.fixture(scope="module")
def kernel() -> Iterator[Any]:
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3")
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def new_widget(kc: Any) -> str:
    lines: list[str] = []
    kc.execute_interactive(
        SETUP,
        timeout=60,
        output_hook=lambda m: lines.append(m["content"].get("text", "")),
    )
    return next(line.split()[1] for line in "".join(lines).splitlines() if "MODEL" in line)


def drive(kc: Any, model_id: str, code: str, then: str | None = None) -> list[str]:
    """Run ``code``; once it runs, play begin -> poll; return custom kinds and stream lines."""
    kc.execute(code)
    if then is not None:
        kc.execute(then)  # queued behind the blocking cell

    def comm(content: dict[str, Any]) -> None:
        data = {"method": "custom", "content": content}
        kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": model_id, "data": data}))

    time.sleep(0.5)  # let the first cell start blocking
    comm({"kind": "begin", "flow": "f1", "origin": "http://127.0.0.1:8888", "blocked": True})
    seen: list[str] = []
    end = time.monotonic() + 30
    while time.monotonic() < end:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        content = msg["content"]
        if msg["msg_type"] == "comm_msg" and content["data"].get("method") == "custom":
            seen.append(content["data"]["content"]["kind"])
            if seen[-1] == "begin:ok":
                comm({"kind": "poll", "flow": "f1"})
        elif msg["msg_type"] == "stream":
            seen += [line for line in content["text"].splitlines() if line]
        elif msg["msg_type"] == "error":
            seen.append(f"ERROR {content['ename']}: {content['evalue']}")
        if ("NEXT" if then else "DONE") in seen or any(s.startswith("ERROR") for s in seen):
            break
    return seen


@pytest.mark.skipif(sys.platform == "win32", reason="loopback kernel test")
def test_wait_blocks_the_cell_without_deadlocking(kernel: Any) -> None:
    model_id = new_widget(kernel)
    seen = drive(
        kernel,
        model_id,
        'r = w.wait(timeout=20); print("RESULT", r.status); print("DONE")',
        then='print("NEXT")',
    )
    assert "begin:ok" in seen and "end" in seen
    assert seen.index("RESULT authenticated") < seen.index("NEXT")  # the queued cell ran after


def test_await_in_the_same_cell(kernel: Any) -> None:
    model_id = new_widget(kernel)
    seen = drive(kernel, model_id, 'r = await w; print("RESULT", r.status); print("DONE")')
    assert "RESULT authenticated" in seen and "DONE" in seen
