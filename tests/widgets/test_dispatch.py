"""CallbackDispatcher: the one ``on_<event>(callback, remove=False)`` list the widgets share."""

from __future__ import annotations

import logging

import pytest

from cyclr_widgets.widgets._dispatch import CallbackDispatcher


def test_callbacks_run_once_each_in_order_and_can_be_removed() -> None:
    seen: list[tuple[str, int]] = []

    def first(x: int) -> None:
        seen.append(("first", x))

    def second(x: int) -> None:
        seen.append(("second", x))

    dispatch: CallbackDispatcher[[int]] = CallbackDispatcher("an on_x callback")
    dispatch.register(first)
    dispatch.register(second)
    dispatch.register(first)  # registered once
    assert len(dispatch) == 2
    assert dispatch(1) == []
    dispatch.register(first, remove=True)
    dispatch.register(first, remove=True)  # removing what is not there is fine
    dispatch(2)
    assert seen == [("first", 1), ("second", 1), ("second", 2)]


def test_a_failing_callback_is_logged_without_traceback_and_the_others_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    seen: list[int] = []

    def boom(x: int) -> None:
        raise RuntimeError(f"broke on {x}" + "!" * 300)

    dispatch: CallbackDispatcher[[int]] = CallbackDispatcher("an on_complete callback of W")
    dispatch.register(boom)
    dispatch.register(seen.append)
    with caplog.at_level(logging.WARNING, logger="cyclr_widgets"):
        failures = dispatch(7)
    assert seen == [7]
    assert len(failures) == 1 and failures[0].startswith("RuntimeError: broke on 7")
    assert len(failures[0]) == 200
    assert "an on_complete callback of W raised RuntimeError: broke on 7" in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


def test_a_callback_may_unregister_itself_while_called() -> None:
    dispatch: CallbackDispatcher[[]] = CallbackDispatcher("an on_y callback")
    calls: list[str] = []

    def once() -> None:
        calls.append("once")
        dispatch.register(once, remove=True)

    dispatch.register(once)
    dispatch.register(lambda: calls.append("always"))
    dispatch()
    dispatch()
    assert calls == ["once", "always", "always"]


def test_keyword_arguments_are_passed_on() -> None:
    got: list[dict[str, int]] = []
    dispatch: CallbackDispatcher[...] = CallbackDispatcher("an on_z callback")
    dispatch.register(lambda **kw: got.append(kw))
    dispatch(a=1)
    assert got == [{"a": 1}]
