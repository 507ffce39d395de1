"""A real IPython kernel, the test acting as the widget's front end over the Jupyter protocol.

Every wait here ends on a signal (a printed line, a reply, an error); HANG_GUARD_S only bounds a
hang, so it is far above what a busy shared machine needs.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

HANG_GUARD_S = 180.0
# Inside the kernel, wait()'s own timeout: shorter than the guard, so that a wait() which never
# ends shows up as the kernel's TimeoutError instead of a silent guard expiry.
KERNEL_WAIT_S = 120

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
    """A kernel client for a fresh ``python3`` kernel (this environment's own ipykernel)."""
    manager = pytest.importorskip("jupyter_client.manager")
    km, kc = manager.start_new_kernel(kernel_name="python3", startup_timeout=HANG_GUARD_S)
    try:
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kc: Any, code: str) -> str:
    """Run ``code`` to its end; return what it printed. An error in the cell fails the test."""
    out: list[str] = []
    errors: list[str] = []

    def hook(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream":
            out.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

    kc.execute_interactive(code, timeout=HANG_GUARD_S, output_hook=hook)
    assert not errors, errors
    return "".join(out)


def new_widget(kc: Any) -> str:
    """Make an OAuthPopup ``w`` in the kernel (its client is a stub); return its model id."""
    text = run(kc, SETUP)
    return next(line.split()[1] for line in text.splitlines() if line.startswith("MODEL"))


def drive(
    kc: Any,
    model_id: str,
    code: str,
    until: Callable[[list[str]], bool],
    then: str | None = None,
    poll: bool = True,
) -> list[str]:
    """Play the front end of one flow while ``code`` runs; return what happened, in order.

    ``code`` must print ``WAITING`` when it is about to block. Then this sends ``begin`` and, on
    ``begin:ok``, a ``poll`` (unless ``poll`` is false; the stub client says "authenticated").
    ``then`` is queued behind ``code`` at once. Returns the custom message kinds the widget sent,
    the printed lines and ``ERROR <name>: <value>`` for errors once ``until(seen)`` holds and
    the kernel has answered both cells.

    Waiting for those answers before anything else is sent to the kernel matters on ipykernel
    7.0-7.3: a request that reaches the kernel while it sends a reply can be left unread for
    good (a kernel bug, fixed in 7.4; it happens with plain cells as well).
    """
    sent = [kc.execute(code, stop_on_error=False)]  # an error must not abort the queued `then`
    if then is not None:
        sent.append(kc.execute(then))

    def comm(content: dict[str, Any]) -> None:
        data = {"method": "custom", "content": content}
        kc.shell_channel.send(kc.session.msg("comm_msg", {"comm_id": model_id, "data": data}))

    seen: list[str] = []
    deadline = time.monotonic() + HANG_GUARD_S
    while time.monotonic() < deadline and not until(seen):
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        content = msg["content"]
        if msg["msg_type"] == "comm_msg" and content["data"].get("method") == "custom":
            seen.append(content["data"]["content"]["kind"])
            if seen[-1] == "begin:ok" and poll:
                comm({"kind": "poll", "flow": "f1"})
        elif msg["msg_type"] == "stream":
            for line in content["text"].splitlines():
                if line:
                    seen.append(line)
                if line == "WAITING":  # the cell is about to block: act as the user clicking
                    comm(
                        {
                            "kind": "begin",
                            "flow": "f1",
                            "origin": "http://127.0.0.1:8888",
                            "blocked": True,
                        }
                    )
        elif msg["msg_type"] == "error":
            seen.append(f"ERROR {content['ename']}: {content['evalue']}")
    answered: set[str] = set()
    while time.monotonic() < deadline and not answered >= set(sent):
        try:
            reply = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            continue
        answered.add(reply["parent_header"].get("msg_id"))
    return seen


def has_error(seen: list[str]) -> bool:
    return any(s.startswith("ERROR") for s in seen)
