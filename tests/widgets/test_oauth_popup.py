"""OAuthPopup's Python surface: construction, results, callbacks, await, wait(), no secrets."""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import traitlets

from cyclr_widgets.widgets import _esm, _kernel_wait, _rpc
from cyclr_widgets.widgets.oauth_popup import STATUSES, OAuthPopup, OAuthResult
from tests.support.oauth_popup import AC_ID, ACCOUNT, SERVICE, Clock, FakeClient, Player, make

# Bound of the waits that end on an event: only a hang reaches it (a busy CI machine is slow).
HANG_GUARD_S = 60.0

# -- construction -------------------------------------------------------------------------------


def test_traits_and_defaults() -> None:
    w, _, _ = make()
    state = w.get_state()
    assert state["status"] == "idle" and state["message"] == ""
    assert state["expected_origin"] == SERVICE
    assert (state["timeout_s"], state["poll_interval_s"], state["closed_grace_s"]) == (600, 3, 60)
    assert state["popup_features"] == "popup,width=520,height=720"
    assert state["flow_active"] is False
    assert set(STATUSES) == {"idle", "opening", "waiting", "verifying", "authenticated",
                             "denied", "cancelled", "blocked", "timeout", "error"}  # fmt: skip


def test_expected_origin_is_the_service_origin_without_path() -> None:
    client = FakeClient("HTTPS://Acme-H.eu.cyclr.com/")
    w = OAuthPopup(client, ACCOUNT, AC_ID)
    assert w.expected_origin == "https://acme-h.eu.cyclr.com"


@pytest.mark.parametrize("service_url", [None, ""])
def test_client_without_service_url_is_refused_before_any_request(service_url: Any) -> None:
    client = FakeClient(service_url)
    with pytest.raises(ValueError, match="service_url"):
        OAuthPopup(client, ACCOUNT, AC_ID)
    assert client.calls == []


def test_object_without_service_url_attribute_is_refused() -> None:
    with pytest.raises(ValueError, match="service_url"):
        OAuthPopup(object(), ACCOUNT, AC_ID)


@pytest.mark.parametrize("ac_id", [0, -3, True, "abc", "4.5", None, 4.0])
def test_bad_account_connector_id(ac_id: Any) -> None:
    with pytest.raises(ValueError, match="account_connector_id"):
        OAuthPopup(FakeClient(), ACCOUNT, ac_id)


@pytest.mark.parametrize("account", ["", "   ", None, 12])
def test_bad_account_id(account: Any) -> None:
    with pytest.raises(ValueError, match="account_id"):
        OAuthPopup(FakeClient(), account, AC_ID)


def test_int_like_string_id_is_accepted() -> None:
    w = OAuthPopup(FakeClient(), ACCOUNT, " 42 ")
    assert "account_connector_id=42" in repr(w)


@pytest.mark.parametrize("trait", ["timeout_s", "poll_interval_s"])
def test_durations_must_be_positive(trait: str) -> None:
    with pytest.raises(traitlets.TraitError):
        make(**{trait: 0})


def test_repr() -> None:
    w, _, _ = make()
    assert repr(w) == f"OAuthPopup(account_id={ACCOUNT!r}, account_connector_id=42, status='idle')"


# -- no secrets anywhere but custom-message replies ----------------------------------------------


def test_state_repr_result_and_logs_never_hold_tokens_urls_or_nonces(
    caplog: pytest.LogCaptureFixture,
) -> None:
    w, fe, client = make()
    with caplog.at_level(logging.DEBUG):
        first = fe.begin("a", blocked=True)
        fe("refresh")
        fe("callback", data="cyclr-widgets:a:guess")
        second = fe.begin("b")
        fe("navigated")
        client.authenticated = True
        fe("callback", data=second["callback_message"])
    secrets = [*client.tokens, first["url"], fe.sent[1]["url"], second["url"]]
    secrets += [m["callback_message"].split(":")[2] for m in (first, second)]
    assert len(client.tokens) == 3 and w.status == "authenticated"
    dumped = [json.dumps(w.get_state(), default=str), repr(w), str(w.result), repr(w.result)]
    dumped += [caplog.text, repr(w._repr_mimebundle_())]
    for text in dumped:
        for secret in secrets:
            assert secret not in text
        assert "token=" not in text and "SECRET" not in text


def test_sign_in_url_is_fresh_and_has_no_callback_message() -> None:
    w, _, client = make()
    url = w.sign_in_url()
    assert client.tokens[0].replace("+", "%2B").replace("/", "%2F").replace("=", "%3D") in url
    assert "callbackMessage" not in url and "targetOrigin=http%3A%2F%2F127.0.0.1%3A51235" in url
    assert w.sign_in_url("https://nb.example") != url
    assert url not in json.dumps(w.get_state())


# -- results, callbacks, await -------------------------------------------------------------------


def test_on_complete_runs_for_each_flow_and_can_be_removed() -> None:
    w, fe, client = make()
    seen: list[OAuthResult] = []
    w.on_complete(seen.append)
    w.on_complete(seen.append)  # registered once
    fe.begin()
    fe("cancel")
    assert seen == [OAuthResult("cancelled", False, AC_ID, "Sign-in was cancelled.")]
    client.authenticated = True
    fe.begin("f-2")
    assert w.result is None  # a new flow is running
    fe("poll")
    assert [r.status for r in seen] == ["cancelled", "authenticated"]
    w.on_complete(seen.append, remove=True)
    fe.begin("f-3")
    fe("cancel")
    assert len(seen) == 2


def test_failing_callback_is_logged_without_traceback_and_shown(
    caplog: pytest.LogCaptureFixture,
) -> None:
    w, fe, _ = make()
    later: list[str] = []

    def boom(result: OAuthResult) -> None:
        raise RuntimeError("callback broke")

    w.on_complete(boom)
    w.on_complete(lambda r: later.append(r.status))
    fe.begin()
    with caplog.at_level(logging.WARNING, logger="cyclr_widgets"):
        fe("cancel")
    assert later == ["cancelled"]  # the others still run
    assert w.status == "cancelled" and "callback failed: RuntimeError: callback broke" in w.message
    assert w.result is not None and w.result.message == "Sign-in was cancelled."
    assert "callback broke" in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


def test_result_is_frozen() -> None:
    result = OAuthResult("authenticated", True, 1, "ok")
    with pytest.raises(AttributeError):
        result.status = "error"  # type: ignore[misc]


def test_await_resolves_when_the_flow_ends() -> None:
    w, fe, client = make()

    async def main() -> OAuthResult:
        fe.begin()
        task = asyncio.ensure_future(w.completed())
        await asyncio.sleep(0)
        assert not task.done()
        client.authenticated = True
        fe("poll")
        return await task

    result = asyncio.run(main())
    assert result.status == "authenticated" and result.authenticated


def test_await_popup_after_the_end_returns_at_once() -> None:
    w, fe, _ = make()
    fe.begin()
    fe("cancel")

    async def main() -> OAuthResult:
        return await w

    assert asyncio.run(main()).status == "cancelled"


def test_await_resolves_when_finished_from_another_thread() -> None:
    import threading

    w, fe, _ = make()
    fe.begin()

    async def main() -> OAuthResult:
        waiter = asyncio.ensure_future(w.completed())
        await asyncio.sleep(0)
        threading.Thread(target=lambda: fe("cancel")).start()
        return await asyncio.wait_for(waiter, HANG_GUARD_S)

    assert asyncio.run(main()).status == "cancelled"


# -- wait() -----------------------------------------------------------------------------------


def test_wait_outside_a_kernel_fails_clearly() -> None:
    w, fe, _ = make()
    with pytest.raises(RuntimeError, match="kernel"):
        w.wait(timeout=1)
    fe.begin()
    fe("cancel")
    assert w.wait(timeout=1).status == "cancelled"  # already finished: no kernel needed


class FakeUiEvents:
    """Stands in for jupyter_ui_poll.ui_events(): each poll delivers one queued front-end step."""

    def __init__(self, steps: list[Any]) -> None:
        self.steps = steps
        self.polls = 0

    @contextmanager
    def __call__(self) -> Any:
        def poll(n: int) -> None:
            self.polls += 1
            if self.steps:
                self.steps.pop(0)()

        yield poll


def test_wait_processes_widget_messages_until_the_flow_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w, fe, client = make()
    ui = FakeUiEvents([lambda: fe.begin(), lambda: fe("navigated"), lambda: None])
    ui.steps.append(lambda: setattr(client, "authenticated", True) or fe("poll"))
    monkeypatch.setattr(_kernel_wait, "in_kernel", lambda: True)
    monkeypatch.setattr(_kernel_wait, "_ui_events", ui)
    result = w.wait(timeout=HANG_GUARD_S)
    assert result.status == "authenticated" and ui.polls == 4


def test_wait_times_out_with_timeout_error(monkeypatch: pytest.MonkeyPatch) -> None:
    w, _, _ = make()
    monkeypatch.setattr(_kernel_wait, "in_kernel", lambda: True)
    monkeypatch.setattr(_kernel_wait, "_ui_events", FakeUiEvents([]))
    with pytest.raises(TimeoutError, match="OAuthPopup"):
        w.wait(timeout=0.1)


def test_wait_enforces_the_flow_deadline_when_the_browser_is_gone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    w, fe, client = make(timeout_s=30)
    w._clock = clock = Clock()
    fe.begin()
    monkeypatch.setattr(_kernel_wait, "in_kernel", lambda: True)
    jump = FakeUiEvents([lambda: setattr(clock, "now", 2000)])
    monkeypatch.setattr(_kernel_wait, "_ui_events", jump)
    assert w.wait(timeout=HANG_GUARD_S).status == "timeout"
    assert client.count("account_connector") == 1  # one last confirm


# -- the ES module --------------------------------------------------------------------------------


def test_esm_is_the_built_bundle() -> None:
    root = Path(__file__).resolve().parents[2]
    assert _esm.esm_path("oauth_popup.js") == root / "cyclr_widgets" / "static" / "oauth_popup.js"
    w, _, _ = make()
    # One module with its parts inlined (a Blob URL resolves no relative import), default export.
    assert "./parts/" not in w._esm and "createController" in w._esm
    assert "as default" in w._esm
    assert ".cyclr-oauth" in w._css


def test_esm_prefers_the_packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "x.js").write_text("export default {}")
    monkeypatch.setattr(_esm, "_PACKAGE_DIR", tmp_path)
    assert _esm.esm_path("x.js") == tmp_path / "static" / "x.js"
    with pytest.raises(FileNotFoundError, match="npm run build"):
        _esm.esm_path("nope.js")


# -- the generic router ---------------------------------------------------------------------------


def test_router_echoes_correlation_ids_and_maps_outcomes() -> None:
    sent: list[dict[str, Any]] = []
    router = _rpc.MessageRouter(sent.append)
    router.register("sum", lambda c: {"value": c["a"] + c["b"]})
    router.register("event", lambda c: None)

    def fail(content: dict[str, Any]) -> None:
        raise _rpc.RpcError("nope")

    router.register("fail", fail)
    router(None, {"kind": "sum", "id": "r1", "a": 1, "b": 2}, [])
    router(None, {"kind": "event", "id": "r2"}, [])
    router(None, {"kind": "fail", "id": 3, "flow": "f"}, [])
    router(None, {"kind": "sum", "id": True, "a": 1, "b": 1}, [])  # bool is not an id
    assert sent == [
        {"kind": "sum:ok", "id": "r1", "value": 3},
        {"kind": "fail:error", "id": 3, "flow": "f", "message": "nope"},
        {"kind": "sum:ok", "value": 2},
    ]


def test_player_helper_captures_sends() -> None:
    w, fe, _ = make()
    assert isinstance(fe, Player)
    w.send({"kind": "x"})
    assert fe.sent == [{"kind": "x"}]


class _Shell:
    def __init__(self, kernel: object) -> None:
        self.kernel = kernel


def test_ui_events_picks_jupyter_ui_poll_only_where_it_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import IPython

    class OldKernel:  # ipykernel < 7
        def do_one_iteration(self) -> None: ...

    monkeypatch.setattr(IPython, "get_ipython", lambda: _Shell(OldKernel()))
    import jupyter_ui_poll

    monkeypatch.setattr(jupyter_ui_poll, "ui_events", lambda: "ui_events")
    assert _kernel_wait._ui_events() == "ui_events"

    class NewKernelMissingParts:  # ipykernel 7 shape, but not what the pump needs
        _supports_kernel_subshells = True

    monkeypatch.setattr(IPython, "get_ipython", lambda: _Shell(NewKernelMissingParts()))
    with pytest.raises(RuntimeError, match="await"):
        _kernel_wait._ui_events()
