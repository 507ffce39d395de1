"""OAuthFlow, the popup's sign-in flow, on its own: no widget, no kernel, injected clock and API.

Every transition of the protocol table in ARCHITECTURE.md, driven through ``handle`` and
``confirm`` as a host would, with the clock, the wall time, the sign-in token and the
confirmation injected. The widget's wiring of the same flow is tested in test_oauth_popup*.py.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from cyclr_widgets.core import (
    AccountConnector,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    ServerError,
    SignInToken,
    TransportError,
)
from cyclr_widgets.widgets._flow import OAuthFlow
from cyclr_widgets.widgets._flow_types import KINDS, STATUSES, OAuthResult, Step

SERVICE = "http://127.0.0.1:51235"
NOTEBOOK = "http://127.0.0.1:8888"
AC_ID = 42


class Api:
    """The injected sign-in token and confirmation, with scripted answers and errors."""

    def __init__(self, wall: Wall) -> None:
        self.wall = wall
        self.authenticated = False
        self.tokens: list[str] = []
        self.token_errors: list[Exception] = []
        self.confirm_errors: list[Exception] = []
        self.token_ttl = timedelta(minutes=5)
        self.confirms = 0

    def issue_token(self) -> SignInToken:
        if self.token_errors:
            raise self.token_errors.pop(0)
        token = f"SECRET+tok/{len(self.tokens)}=="
        self.tokens.append(token)
        return SignInToken(token=token, expires_at=self.wall() + self.token_ttl)

    def confirm(self) -> AccountConnector:
        self.confirms += 1
        if self.confirm_errors:
            raise self.confirm_errors.pop(0)
        return AccountConnector(id=AC_ID, name="Salesforce", authenticated=self.authenticated)


class Clock:
    """Monotonic seconds, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Wall:
    """The aware current time, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


class Host:
    """What a host does: hands messages to the flow, confirms when asked, keeps every step."""

    def __init__(self, **settings: Any) -> None:
        self.clock, self.wall = Clock(), Wall()
        self.api = Api(self.wall)
        self.flow = OAuthFlow(
            SERVICE,
            AC_ID,
            issue_token=self.api.issue_token,
            confirm=self.api.confirm,
            clock=self.clock,
            now=self.wall,
            **settings,
        )
        self.steps: list[Step] = []
        self.id = "f1"

    def __call__(self, kind: str, **fields: Any) -> list[Step]:
        """One message, and the confirmations its steps ask for; the steps, in order."""
        return self.settle(self.flow.handle({"kind": kind, "flow": self.id, **fields}))

    def settle(self, step: Step) -> list[Step]:
        steps = [step]
        while steps[-1].confirm:
            steps.append(self.flow.confirm())
        self.steps += steps
        return steps

    def begin(self, flow: str = "f1", origin: object = NOTEBOOK, blocked: bool = False) -> Step:
        self.id = flow
        (step,) = self("begin", origin=origin, blocked=blocked)
        return step


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def last(steps: list[Step]) -> Step:
    return steps[-1]


# -- begin ----------------------------------------------------------------------------------------


def test_begin_issues_a_token_and_replies_with_the_url() -> None:
    host = Host()
    step = host.begin()
    assert (step.status, step.active, step.confirm, step.error) == ("opening", True, False, None)
    assert step.message == "Opening the sign-in window…"
    reply = step.reply
    assert reply is not None and reply["expected_origin"] == SERVICE
    assert reply["url"].startswith(f"{SERVICE}/connectorauth/updateaccountconnectoroauth?")
    assert query(reply["url"]) == {
        "id": str(AC_ID),
        "token": host.api.tokens[0],
        "targetOrigin": NOTEBOOK,
        "callbackMessage": reply["callback_message"],
    }
    prefix, flow_id, nonce = reply["callback_message"].split(":")
    assert (prefix, flow_id) == ("cyclr-widgets", "f1") and len(nonce) >= 16
    assert host.flow.active and (host.flow.status, host.api.confirms) == ("opening", 0)


def test_each_begin_gets_its_own_token_and_nonce() -> None:
    host = Host()
    first, second = host.begin("a").reply, host.begin("b").reply
    assert first and second
    assert first["callback_message"].split(":")[2] != second["callback_message"].split(":")[2]
    assert host.api.tokens[0] != host.api.tokens[1]


def test_blocked_begin_then_navigated() -> None:
    host = Host(connector_name="Acme CRM")
    assert host.begin(blocked=True).status == "blocked"
    (step,) = host("navigated")
    assert (
        step.status == "waiting"
        and step.message == "Waiting for you to sign in to Acme CRM in the pop-up…"
    )


@pytest.mark.parametrize("flow_id", ["<script>", "", None, 7, "x" * 65])
def test_an_invalid_flow_id_is_refused_and_supersedes_nothing(flow_id: object) -> None:
    host = Host()
    host.begin("good")
    step = host.flow.handle({"kind": "begin", "flow": flow_id, "origin": NOTEBOOK})
    assert step == Step(error="The widget sent an invalid flow id.")
    assert len(host.api.tokens) == 1 and host.flow.active
    (cancel,) = host("cancel")  # the good flow is still the running one
    assert cancel.status == "cancelled"


@pytest.mark.parametrize(
    "origin", [None, "", "*", "http://127.0.0.1:8888/lab", "javascript:alert(1)", 7]
)
def test_begin_with_a_bad_origin_ends_in_error_without_a_token(origin: object) -> None:
    host = Host()
    step = host.begin(origin=origin)
    assert step.status == "error" and step.error == step.message and "origin" in step.message
    assert step.result == OAuthResult("error", False, AC_ID, step.message)
    assert step.send == () and step.reply is None  # no flow ran: no `end`
    assert host.api.tokens == [] and not host.flow.active


@pytest.mark.parametrize("origin", ["vscode-webview://1abc2def", "null"])
def test_frames_that_cannot_get_the_message_point_cyclr_at_its_own_origin(origin: str) -> None:
    host = Host()
    reply = host.begin(origin=origin).reply
    assert reply is not None and query(reply["url"])["targetOrigin"] == SERVICE


def test_a_sign_in_token_error_ends_in_error_with_cyclrs_message_and_a_retry_works() -> None:
    host = Host()
    host.api.token_errors.append(NotFoundError("Account not found.", status_code=404))
    step = host.begin()
    assert (step.status, step.message, step.error) == (
        "error",
        "Account not found.",
        "Account not found.",
    )
    assert step.result is not None and step.result.status == "error" and not host.flow.active
    assert host.begin("retry").status == "opening"


# -- callback -------------------------------------------------------------------------------------


def test_a_valid_callback_shows_verifying_then_confirms() -> None:
    host = Host()
    message = host.begin().reply["callback_message"]  # type: ignore[index]
    host.api.authenticated = True
    verifying, done = host("callback", data=message)
    assert (verifying.status, verifying.confirm) == ("verifying", True)
    assert verifying.message == "Sign-in finished; checking with Cyclr…"
    assert (done.status, done.message) == (
        "authenticated",
        "Connected: Salesforce is authenticated.",
    )
    assert done.connector_name == "Salesforce" and host.flow.connector_name == "Salesforce"
    assert done.active is False and not host.flow.active
    assert done.send == ({"kind": "end", "flow": "f1", "status": "authenticated"},)
    assert done.result == OAuthResult("authenticated", True, AC_ID, done.message)
    assert host.api.confirms == 1


def test_a_valid_callback_without_authentication_is_denied() -> None:
    host = Host()
    _, done = host("callback", data=host.begin().reply["callback_message"])  # type: ignore[index]
    assert done.status == "denied" and done.result is not None and not done.result.authenticated
    assert done.message.startswith("Sign-in was denied or did not complete")


@pytest.mark.parametrize(
    "data", ["cyclr-widgets:f1:wrong-nonce", "", None, 123, {"msg": "x"}, "cyclr-widgets:f1:"]
)
def test_wrong_callback_data_is_ignored(data: object) -> None:
    host = Host()
    host.begin()
    host.api.authenticated = True
    assert host("callback", data=data) == [Step()]
    assert host.flow.active and host.flow.status == "opening" and host.api.confirms == 0


def test_a_name_given_by_the_host_is_kept() -> None:
    host = Host(connector_name="My CRM")
    message = host.begin().reply["callback_message"]  # type: ignore[index]
    host.api.authenticated = True
    done = last(host("callback", data=message))
    assert done.connector_name is None and done.message == "Connected: My CRM is authenticated."


# -- stale flows ----------------------------------------------------------------------------------


def test_messages_of_a_superseded_flow_are_ignored() -> None:
    host = Host()
    old = host.begin("old").reply["callback_message"]  # type: ignore[index]
    new = host.begin("new").reply["callback_message"]  # type: ignore[index]
    host.api.authenticated = True
    for kind in ("navigated", "closed", "poll", "check", "refresh", "cancel", "deadline"):
        assert host.flow.handle({"kind": kind, "flow": "old"}) == Step()
    assert host.flow.handle({"kind": "callback", "flow": "old", "data": old}) == Step()
    assert host.flow.handle({"kind": "callback", "flow": "new", "data": old}) == Step()
    assert host.api.confirms == 0 and host.flow.status == "opening"
    assert last(host("callback", data=new)).status == "authenticated"


def test_nothing_counts_without_a_flow_or_after_its_end() -> None:
    host = Host()
    assert host("poll") == [Step()] and host.flow.tick() == Step() and host.flow.confirm() == Step()
    message = host.begin().reply["callback_message"]  # type: ignore[index]
    host("callback", data=message)  # denied: the flow is over
    host.api.authenticated = True
    assert host("callback", data=message) == [Step()] and host("poll") == [Step()]
    assert host.api.confirms == 1 and host.flow.status == "denied"


@pytest.mark.parametrize("content", [{"kind": "launch"}, {"kind": 3, "flow": "f1"}, {}])
def test_unknown_kinds_are_ignored(content: dict[str, Any]) -> None:
    host = Host()
    host.begin()
    assert host.flow.handle(content) == Step()
    assert set(KINDS) == {"begin", "navigated", "callback", "closed", "poll", "check", "refresh",
                          "cancel", "deadline"}  # fmt: skip


# -- closed, poll, check --------------------------------------------------------------------------


def test_closed_polls_on_until_the_grace_runs_out() -> None:
    host = Host(closed_grace_s=60)
    host.begin()
    asked, checked = host("closed")
    assert asked.confirm and asked.status is None
    assert checked.status == "waiting" and "looks closed" in (checked.message or "")
    host.clock.now += 30
    assert last(host("poll")).status == "waiting"
    host.clock.now += 31
    done = last(host("poll"))
    assert done.status == "cancelled"
    assert done.message == "The sign-in window was closed before Cyclr confirmed the connection."
    assert host.api.confirms == 3


def test_closed_can_lie_and_polling_still_finds_success() -> None:
    host = Host()
    host.begin()
    host("closed")
    host.api.authenticated = True
    assert last(host("poll")).status == "authenticated"


def test_zero_grace_cancels_right_after_the_confirmation() -> None:
    host = Host(closed_grace_s=0)
    host.begin()
    assert last(host("closed")).status == "cancelled"


def test_a_poll_that_finds_nothing_changes_nothing() -> None:
    host = Host()
    host.begin()
    asked, checked = host("poll")
    assert asked == Step(confirm=True) and checked == Step(connector_name="Salesforce")
    assert host.flow.active


def test_check_says_not_yet_with_the_time_then_finds_success() -> None:
    host = Host()
    host.begin(blocked=True)
    checked = last(host("check"))
    stamp = host.wall.now.astimezone().strftime("%H:%M:%S")
    assert checked.status is None and host.flow.status == "blocked"
    assert checked.message == f"Not connected yet (checked at {stamp}); finish signing in first."
    host.api.authenticated = True
    assert last(host("check")).status == "authenticated"


# -- refresh --------------------------------------------------------------------------------------


def test_refresh_replies_with_a_fresh_token_and_the_same_callback_message() -> None:
    host = Host()
    first = host.begin(blocked=True).reply
    (step,) = host("refresh")
    assert step.reply is not None and set(step.reply) == {"url"}
    assert query(step.reply["url"])["token"] == host.api.tokens[1] != host.api.tokens[0]
    assert query(step.reply["url"])["callbackMessage"] == first["callback_message"]  # type: ignore[index]


def test_a_refresh_error_keeps_the_flow() -> None:
    host = Host()
    host.begin(blocked=True)
    host.api.token_errors.append(ServerError("Cyclr is down.", status_code=503))
    (step,) = host("refresh")
    assert step.error == "Cyclr is down." and step.reply is None
    assert step.message == "Could not renew the sign-in link: Cyclr is down." and host.flow.active


def test_a_blocked_flow_gets_a_fresh_link_unasked_near_the_token_expiry() -> None:
    host = Host()
    host.begin(blocked=True)
    host.wall.now += timedelta(minutes=4)  # 60 s left: not yet
    assert all(not s.send for s in host("poll")) and len(host.api.tokens) == 1
    host.wall.now += timedelta(seconds=31)  # 29 s left
    pushed = host("poll")[0].send
    assert [m["kind"] for m in pushed] == ["refresh:ok"] and pushed[0]["flow"] == "f1"
    assert query(pushed[0]["url"])["token"] == host.api.tokens[1]
    assert all(not s.send for s in host("poll"))  # the new token has minutes left
    assert len(host.api.tokens) == 2


def test_an_unblocked_flow_is_never_sent_a_link_unasked() -> None:
    host = Host()
    host.begin()
    host.wall.now += timedelta(minutes=10)
    assert all(not s.send for s in host("poll")) and len(host.api.tokens) == 1


def test_a_failed_unasked_renewal_is_said_and_the_flow_goes_on() -> None:
    host = Host()
    host.begin(blocked=True)
    host.wall.now += timedelta(minutes=5)
    host.api.token_errors.append(RateLimitError("Slow down.", status_code=429))
    asked, _ = host("poll")
    assert asked.message == "Could not renew the sign-in link: Slow down." and not asked.send
    assert host.flow.active


# -- cancel, deadline -----------------------------------------------------------------------------


def test_cancel_ends_in_cancelled() -> None:
    host = Host()
    host.begin()
    (step,) = host("cancel")
    assert (step.status, step.message, step.active) == (
        "cancelled",
        "Sign-in was cancelled.",
        False,
    )
    assert step.send == ({"kind": "end", "flow": "f1", "status": "cancelled"},)
    assert step.result == OAuthResult("cancelled", False, AC_ID, "Sign-in was cancelled.")
    assert host.api.confirms == 0


def test_the_deadline_message_makes_a_last_confirmation() -> None:
    host = Host(timeout_s=120)
    host.begin()
    asked, done = host("deadline")
    assert asked.confirm and done.status == "timeout"
    assert (
        done.message == "Sign-in timed out after 2 min: the connector is still not authenticated."
    )
    other = Host()
    other.begin()
    other.api.authenticated = True
    assert last(other("deadline")).status == "authenticated"


def test_any_late_message_ends_the_flow_on_the_injected_clock() -> None:
    host = Host(timeout_s=60)
    host.begin()
    host.clock.now += 59
    assert last(host("navigated")).status == "waiting"
    host.clock.now += 1
    asked, done = host("navigated")
    assert asked == Step(confirm=True)  # the message itself no longer counts
    assert done.status == "timeout" and "1 min" in (done.message or "") and not host.flow.active


def test_a_late_refresh_gets_no_link() -> None:
    host = Host(timeout_s=60)
    host.begin(blocked=True)
    host.clock.now += 61
    steps = host("refresh")
    assert all(s.reply is None for s in steps) and last(steps).status == "timeout"
    assert len(host.api.tokens) == 1


def test_tick_enforces_the_deadline_without_any_message() -> None:
    host = Host(timeout_s=30)
    host.begin()
    assert host.flow.tick() == Step()
    host.clock.now += 30
    asked, done = host.settle(host.flow.tick())
    assert asked.confirm and done.status == "timeout" and host.api.confirms == 1


def test_the_timeout_is_taken_when_a_flow_begins() -> None:
    host = Host(timeout_s=60)
    host.begin()
    host.flow.timeout_s = 600  # a host changes its setting: the running flow keeps its deadline
    host.clock.now += 61
    assert last(host("poll")).status == "timeout"


def test_a_final_confirmation_is_not_downgraded_by_a_later_poll() -> None:
    # A host that confirms later (e.g. off the message thread) may see several events first.
    host = Host(timeout_s=60)
    host.begin()
    host.clock.now += 61
    assert host.flow.handle({"kind": "poll", "flow": "f1"}).confirm
    host.clock.now -= 30  # (as if the next message were judged before the deadline)
    assert host.flow.handle({"kind": "closed", "flow": "f1"}).confirm
    host.api.confirm_errors.append(ServerError("Busy.", status_code=503))
    assert host.flow.confirm().status == "timeout"  # final: even Cyclr's silence ends it


# -- errors from the API --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        RateLimitError("Too many requests.", status_code=429),
        ServerError("Internal error.", status_code=500),
        TransportError("Connection refused.", status_code=None),
    ],
)
def test_transient_confirmation_errors_keep_polling(error: Exception) -> None:
    host = Host()
    host.begin()
    host.api.confirm_errors.append(error)
    _, checked = host("poll")
    assert checked.message == f"Could not check with Cyclr yet ({error.message}); retrying."  # type: ignore[attr-defined]
    assert checked.status is None and host.flow.active
    host.api.authenticated = True
    assert last(host("poll")).status == "authenticated"


def test_a_non_transient_confirmation_error_ends_in_error_with_cyclrs_message() -> None:
    host = Host()
    message = host.begin().reply["callback_message"]  # type: ignore[index]
    host.api.confirm_errors.append(AuthenticationError("Token expired.", status_code=401))
    done = last(host("callback", data=message))
    assert (done.status, done.message, done.active) == ("error", "Token expired.", False)
    assert done.result == OAuthResult("error", False, AC_ID, "Token expired.")
    assert done.send == ({"kind": "end", "flow": "f1", "status": "error"},)


def test_a_transient_error_after_the_callback_then_not_authenticated_is_denied() -> None:
    host = Host()
    message = host.begin().reply["callback_message"]  # type: ignore[index]
    host.api.confirm_errors.append(ServerError("Busy.", status_code=502))
    assert last(host("callback", data=message)).status is None
    assert host.flow.status == "verifying" and host.flow.active
    assert last(host("poll")).status == "denied"


def test_unexpected_failures_end_in_error_and_are_logged_by_type_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    host = Host()
    host.begin()
    host.api.confirm_errors.append(KeyError("SECRET-in-exception"))
    with caplog.at_level(logging.DEBUG, logger="cyclr_widgets"):
        done = last(host("closed"))
        host.api.token_errors.append(ValueError("SECRET-again"))
        begun = host.begin("f2")
    assert done.status == "error"
    assert done.message == "Internal error while checking with Cyclr (KeyError)."
    assert done.error == "Internal error (KeyError); see the 'cyclr_widgets' log."
    assert begun.message == "Internal error while handling 'begin' (ValueError)."
    assert begun.error is not None and begun.reply is None
    assert "SECRET" not in caplog.text and "KeyError" in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


def test_fail_ends_the_running_flow_for_a_host() -> None:
    host = Host()
    host.begin()
    step = host.flow.fail("poll", RuntimeError("x"))
    assert (
        step.status == "error"
        and step.message == "Internal error while handling 'poll' (RuntimeError)."
    )
    assert step.send == ({"kind": "end", "flow": "f1", "status": "error"},)
    assert not host.flow.active


# -- no secrets -----------------------------------------------------------------------------------


def test_no_token_url_or_nonce_in_any_status_message_result_repr_or_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    host = Host()
    with caplog.at_level(logging.DEBUG):
        first = host.begin("a", blocked=True)
        host("refresh")
        host.wall.now += timedelta(minutes=5)
        host("poll")  # an unprompted refresh:ok
        host("callback", data="cyclr-widgets:a:guess")
        second = host.begin("b")
        host("navigated")
        host.api.authenticated = True
        host("callback", data=second.reply["callback_message"])  # type: ignore[index]
    urls = [s.reply["url"] for s in host.steps if s.reply and "url" in s.reply]
    urls += [m["url"] for s in host.steps for m in s.send if "url" in m]
    nonces = [s.reply["callback_message"].split(":")[2] for s in (first, second)]  # type: ignore[index]
    secrets = [*host.api.tokens, *urls, *nonces]
    assert len(host.api.tokens) == 4 and len(urls) == 4 and host.flow.status == "authenticated"
    shown = [repr(host.flow), caplog.text, host.flow.message]
    for step in host.steps:
        shown += [repr(step), str(step), step.status or "", step.message or "", repr(step.result)]
    for text in shown:
        for secret in secrets:
            assert secret not in text
        assert "token=" not in text and "SECRET" not in text
    assert "reply=<callback_message, expected_origin, url>" in repr(first)
    assert "send=('refresh:ok',)" in "".join(map(repr, host.steps))


# -- hosting --------------------------------------------------------------------------------------


def test_flows_are_independent_so_a_host_can_keep_one_per_row() -> None:
    rows = {ac: Host() for ac in ("row-1", "row-2")}
    for name, host in rows.items():
        host.begin(f"flow-{name}")
    rows["row-1"].api.authenticated = True
    assert last(rows["row-1"]("poll")).status == "authenticated"
    assert last(rows["row-2"]("poll")).status is None and rows["row-2"].flow.active
    assert (
        repr(rows["row-2"].flow)
        == "OAuthFlow(account_connector_id=42, status='opening', active=True)"
    )


def test_every_status_is_one_a_host_knows() -> None:
    host = Host()
    host.begin(blocked=True)
    host("check")
    host("closed")
    host("cancel")
    host.begin("f2", origin="bad")
    assert {s.status for s in host.steps if s.status} <= set(STATUSES)


def test_the_flow_runs_without_ipywidgets_anywidget_traitlets_or_a_kernel() -> None:
    code = """
import importlib.abc, sys
BLOCKED = {"anywidget", "ipywidgets", "traitlets", "IPython", "ipykernel", "zmq", "jupyter_ui_poll"}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked")
sys.meta_path.insert(0, Block())
from types import SimpleNamespace
from cyclr_widgets.widgets._flow import OAuthFlow
flow = OAuthFlow("http://127.0.0.1:1", 5,
                 issue_token=lambda: SimpleNamespace(token="t", expires_at=None),
                 confirm=lambda: SimpleNamespace(authenticated=True, name="X"))
step = flow.handle({"kind": "begin", "flow": "f", "origin": "http://127.0.0.1:2"})
step = flow.handle({"kind": "poll", "flow": "f"})
print(flow.confirm().status, sorted(m for m in BLOCKED if m in sys.modules))
"""
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["authenticated", "[]"]


# -- which user signs in ----------------------------------------------------------------------


@dataclass(frozen=True)
class NamedToken:
    """A SignInToken that says whom the client made it for (newer clients)."""

    token: str
    expires_at: datetime
    username: str


def test_begin_says_which_user_the_client_picked_never_the_token(caplog) -> None:
    host = Host()
    issue = host.api.issue_token

    def named() -> NamedToken:
        token = issue()
        return NamedToken(token.token, token.expires_at, "jane.doe")

    host.flow._issue_token = named  # type: ignore[assignment]
    with caplog.at_level("INFO", logger="cyclr_widgets"):
        step = host.begin()
    assert step.status == "opening" and host.flow.user == "jane.doe"
    assert step.message == "Signing in as jane.doe… Opening the sign-in window…"
    assert "jane.doe" in caplog.text
    for token in host.api.tokens:
        assert token not in step.message and token not in caplog.text


def test_a_named_user_is_said_too_and_no_user_says_nothing() -> None:
    named = Host(username="ann").begin(blocked=True)
    assert named.status == "blocked" and named.message.startswith("Signing in as ann… ")
    assert Host().begin().message == "Opening the sign-in window…"
