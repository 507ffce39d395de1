"""The kernel side of the OAuthPopup protocol, played through the widget's message handler."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from cyclr_widgets.core import (
    AuthenticationError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TransportError,
)
from tests.support.oauth_popup import AC_ID, ACCOUNT, NOTEBOOK, SERVICE, Clock, FakeClient, make


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_begin_replies_with_url_origin_and_a_per_flow_callback_message() -> None:
    w, fe, client = make()
    reply = fe.begin("f-1")
    assert reply["kind"] == "begin:ok" and reply["flow"] == "f-1"
    assert reply["expected_origin"] == SERVICE
    q = query(reply["url"])
    assert reply["url"].startswith(f"{SERVICE}/connectorauth/updateaccountconnectoroauth?")
    assert q == {
        "id": str(AC_ID),
        "token": client.tokens[0],
        "targetOrigin": NOTEBOOK,
        "callbackMessage": reply["callback_message"],
    }
    prefix, flow, nonce = reply["callback_message"].split(":")
    assert (prefix, flow) == ("cyclr-widgets", "f-1") and len(nonce) >= 16
    assert client.calls == [("sign_in_token", ACCOUNT, None)]
    assert (w.status, w.flow_active) == ("opening", True)


def test_each_flow_gets_a_fresh_token_and_nonce() -> None:
    _, fe, client = make()
    first, second = fe.begin("a"), fe.begin("b")
    assert first["callback_message"].split(":")[2] != second["callback_message"].split(":")[2]
    assert client.tokens[0] != client.tokens[1]


def test_blocked_begin_sets_blocked_and_navigated_sets_waiting() -> None:
    w, fe, _ = make()
    fe.begin(blocked=True)
    assert w.status == "blocked" and "link" in w.message
    w2, fe2, _ = make(connector_name="Salesforce")
    fe2.begin()
    fe2("navigated")
    assert w2.status == "waiting" and "Salesforce" in w2.message


def test_valid_callback_verifies_and_authenticates() -> None:
    w, fe, client = make()
    statuses: list[str] = []
    w.observe(lambda change: statuses.append(change["new"]), names="status")
    msg = fe.begin()["callback_message"]
    client.authenticated = True
    fe("callback", data=msg)
    assert statuses == ["opening", "verifying", "authenticated"]
    assert w.message == "Connected: Salesforce is authenticated."
    assert w.connector_name == "Salesforce"  # learnt from Cyclr
    assert w.flow_active is False
    assert fe.last("end") == {"kind": "end", "flow": "flow-1", "status": "authenticated"}
    assert w.result is not None and w.result.authenticated and w.result.account_connector_id == 42


def test_callback_without_authentication_is_denied() -> None:
    w, fe, _ = make()
    fe("callback", data=fe.begin()["callback_message"])
    assert w.status == "denied"
    assert w.message.startswith("Sign-in was denied or did not complete")
    assert w.result is not None and not w.result.authenticated


@pytest.mark.parametrize(
    "data",
    ["cyclr-widgets:flow-1:wrong-nonce", "", None, 123, {"msg": "x"}, "cyclr-widgets:flow-1:"],
)
def test_callback_with_wrong_data_is_ignored(data: object) -> None:
    w, fe, client = make()
    fe.begin()
    client.authenticated = True
    fe("callback", data=data)
    assert w.status == "opening" and w.flow_active
    assert client.count("account_connector") == 0
    assert fe.kinds() == ["begin:ok"]  # no reply, no error


def test_stale_flow_messages_are_ignored_after_a_new_begin() -> None:
    w, fe, client = make()
    old = fe.begin("old")["callback_message"]
    new = fe.begin("new")["callback_message"]
    client.authenticated = True
    for kind, extra in [("callback", {"data": old}), ("poll", {}), ("cancel", {}), ("closed", {})]:
        w._handle_custom_msg({"kind": kind, "flow": "old", **extra}, [])
    assert w.status == "opening" and client.count("account_connector") == 0
    fe("callback", data=new)
    assert w.status == "authenticated"


def test_replayed_callback_after_the_end_does_not_match() -> None:
    w, fe, client = make()
    msg = fe.begin()["callback_message"]
    fe("callback", data=msg)  # denied: flow record dropped
    client.authenticated = True
    fe("callback", data=msg)
    assert w.status == "denied" and client.count("account_connector") == 1


def test_unknown_kinds_and_non_dict_messages_are_ignored() -> None:
    w, fe, _ = make()
    w._handle_custom_msg("begin", [])
    w._handle_custom_msg({"kind": "launch-missiles", "flow": "x"}, [])
    w._handle_custom_msg({"no": "kind"}, [])
    assert fe.sent == [] and w.status == "idle"


def test_full_comm_message_path() -> None:
    w, fe, _ = make()
    content = {"kind": "begin", "flow": "f-9", "origin": NOTEBOOK, "blocked": False}
    w._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})
    assert fe.sent[-1]["kind"] == "begin:ok" and fe.sent[-1]["flow"] == "f-9"


@pytest.mark.parametrize(
    "origin",
    [None, "", "*", "http://127.0.0.1:8888/lab", "javascript:alert(1)", "http://a.b?x=1", 7],
)
def test_begin_rejects_an_origin_that_is_not_a_bare_origin(origin: object) -> None:
    w, fe, client = make()
    fe("begin", origin=origin, blocked=False)
    assert fe.sent[-1]["kind"] == "begin:error"
    assert w.status == "error" and "origin" in w.message
    assert client.count("sign_in_token") == 0


@pytest.mark.parametrize("origin", ["vscode-webview://1abc2def", "null"])
def test_frames_that_cannot_receive_the_message_fall_back_to_polling(origin: str) -> None:
    # VS Code webviews / sandboxed frames: Cyclr is pointed at its own origin, polling decides.
    w, fe, client = make()
    reply = fe.begin(origin=origin, blocked=True)
    assert reply["kind"] == "begin:ok" and query(reply["url"])["targetOrigin"] == SERVICE
    client.authenticated = True
    fe("poll")
    assert w.status == "authenticated"


def test_invalid_flow_id_is_refused() -> None:
    w, fe, client = make()
    fe.begin(flow="<script>")
    assert fe.sent[-1]["kind"] == "begin:error" and client.count("sign_in_token") == 0
    assert w.status == "idle"


def test_api_error_on_sign_in_token_ends_in_error_with_cyclrs_message() -> None:
    client = FakeClient()
    client.token_errors.append(NotFoundError("Account not found.", status_code=404))
    w, fe, _ = make(client)
    reply = fe.begin()
    assert reply == {"kind": "begin:error", "flow": "flow-1", "message": "Account not found."}
    assert (w.status, w.message, w.flow_active) == ("error", "Account not found.", False)
    assert w.result is not None and w.result.status == "error"
    fe.begin("retry")  # a retry works
    assert fe.sent[-1]["kind"] == "begin:ok" and w.status == "opening"


def test_closed_popup_is_confirmed_then_polled_until_the_grace_runs_out() -> None:
    w, fe, client = make(closed_grace_s=60)
    w._clock = clock = Clock()
    fe.begin()
    fe("navigated")
    fe("closed")
    assert client.count("account_connector") == 1
    assert w.status == "waiting" and "looks closed" in w.message
    clock.now += 30
    fe("poll")
    assert w.status == "waiting"
    clock.now += 31
    fe("poll")
    assert w.status == "cancelled"
    assert w.message == "The sign-in window was closed before Cyclr confirmed the connection."


def test_closed_can_lie_polling_still_finds_success() -> None:
    # COOP makes popup.closed read true while the user is still signing in.
    w, fe, client = make()
    fe.begin()
    fe("closed")
    fe("poll")
    client.authenticated = True
    fe("poll")
    assert w.status == "authenticated"


def test_zero_grace_cancels_right_after_the_confirm() -> None:
    w, fe, _ = make(closed_grace_s=0)
    fe.begin()
    fe("closed")
    assert w.status == "cancelled"


def test_check_reports_not_connected_yet() -> None:
    w, fe, client = make()
    fe.begin(blocked=True)
    fe("check")
    assert w.status == "blocked" and w.message.startswith("Not connected yet")
    client.authenticated = True
    fe("check")
    assert w.status == "authenticated"


def test_deadline_message_does_a_last_confirm_then_times_out() -> None:
    w, fe, client = make(timeout_s=120)
    fe.begin()
    fe("deadline")
    assert client.count("account_connector") == 1
    assert w.status == "timeout" and "2 min" in w.message
    w2, fe2, client2 = make()
    fe2.begin()
    client2.authenticated = True
    fe2("deadline")
    assert w2.status == "authenticated"


def test_kernel_enforces_the_deadline_on_any_late_message() -> None:
    w, fe, client = make(timeout_s=60)
    w._clock = clock = Clock()
    fe.begin()
    clock.now += 61
    client.authenticated = False
    fe("poll")
    assert w.status == "timeout" and not w.flow_active


def test_cancel_ends_in_cancelled() -> None:
    w, fe, _ = make()
    fe.begin()
    fe("cancel")
    assert (w.status, w.message) == ("cancelled", "Sign-in was cancelled.")
    assert fe.last("end")["status"] == "cancelled"


def test_refresh_returns_a_url_with_a_fresh_single_use_token() -> None:
    _, fe, client = make()
    first = fe.begin(blocked=True)
    fe("refresh")
    reply = fe.sent[-1]
    assert reply["kind"] == "refresh:ok" and reply["flow"] == "flow-1"
    assert query(reply["url"])["token"] == client.tokens[1] != client.tokens[0]
    assert query(reply["url"])["callbackMessage"] == first["callback_message"]


def test_expired_fallback_token_is_replaced_unasked_on_the_next_poll() -> None:
    client = FakeClient()
    client.token_ttl = timedelta(seconds=-1)  # already expired when the link would be used
    _, fe, _ = make(client)
    fe.begin(blocked=True)
    client.token_ttl = timedelta(minutes=5)
    fe("poll")
    pushed = fe.last("refresh:ok")
    assert pushed is not None and query(pushed["url"])["token"] == client.tokens[1]
    fe("poll")  # the fresh token is good for minutes: no further re-mint
    assert client.count("sign_in_token") == 2


def test_refresh_error_keeps_the_flow() -> None:
    client = FakeClient()
    w, fe, _ = make(client)
    fe.begin(blocked=True)
    client.token_errors.append(ServerError("Cyclr is down.", status_code=503))
    fe("refresh")
    assert fe.sent[-1] == {"kind": "refresh:error", "flow": "flow-1", "message": "Cyclr is down."}
    assert w.flow_active and "Cyclr is down." in w.message


@pytest.mark.parametrize(
    "error",
    [
        RateLimitError("Too many requests.", status_code=429),
        ServerError("Internal error.", status_code=500),
        TransportError("Connection refused.", status_code=None),
    ],
)
def test_transient_confirm_errors_keep_polling(error: Exception) -> None:
    w, fe, client = make()
    fe.begin()
    fe("closed")
    client.connector_errors.append(error)
    fe("poll")
    assert w.flow_active and error.message in w.message  # type: ignore[attr-defined]
    client.authenticated = True
    fe("poll")
    assert w.status == "authenticated"


def test_non_transient_confirm_error_ends_in_error() -> None:
    client = FakeClient()
    w, fe, _ = make(client)
    msg = fe.begin()["callback_message"]
    client.connector_errors.append(AuthenticationError("Token expired.", status_code=401))
    fe("callback", data=msg)
    assert (w.status, w.message, w.flow_active) == ("error", "Token expired.", False)


def test_transient_error_after_the_callback_then_not_authenticated_is_denied() -> None:
    client = FakeClient()
    w, fe, _ = make(client)
    msg = fe.begin()["callback_message"]
    client.connector_errors.append(ServerError("Busy.", status_code=502))
    fe("callback", data=msg)
    assert w.status == "verifying" and w.flow_active
    fe("poll")
    assert w.status == "denied"


def test_unexpected_handler_failure_is_shown_and_logged_by_type_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = FakeClient()
    client.connector_errors.append(KeyError("SECRET-in-exception"))
    w, fe, _ = make(client)
    fe.begin()
    with caplog.at_level(logging.DEBUG, logger="cyclr_widgets"):
        fe("closed")
    assert w.status == "error" and "KeyError" in w.message
    assert fe.sent[-1]["kind"] == "closed:error"
    assert "SECRET" not in caplog.text and "KeyError" in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


# -- the user the sign-in token is for ---------------------------------------------------------


class KwargsClient(FakeClient):
    """Records the keywords of each sign_in_token call (no username: the client's default)."""

    def __init__(self) -> None:
        super().__init__()
        self.token_kwargs: list[dict[str, object]] = []

    def sign_in_token(self, account_id: str, **kwargs: object) -> object:  # type: ignore[override]
        self.token_kwargs.append(kwargs)
        return super().sign_in_token(account_id, **kwargs)  # type: ignore[arg-type]


def test_by_default_no_username_reaches_the_client() -> None:
    # The client then signs in as an existing user of the account: no stray user is created.
    w, fe, client = make(KwargsClient())
    fe.begin()
    assert client.token_kwargs == [{}]
    assert w.message == "Opening the sign-in window…"


def test_a_named_user_is_passed_and_shown() -> None:
    w, fe, client = make(KwargsClient(), username="jane.doe")
    fe.begin()
    assert client.token_kwargs == [{"username": "jane.doe"}]
    assert w.status == "opening" and w.message.startswith("Signing in as jane.doe…")
    assert client.tokens[0] not in w.message
