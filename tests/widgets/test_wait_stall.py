"""wait()'s stall check (``_rpc._Stall``): a clear error where no pump works, no false alarm.

The real-kernel side is in test_kernel_wait.py; these pin the rule itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from cyclr_widgets.widgets import _rpc

zmq = pytest.importorskip("zmq")


class Stream:
    """A ZMQStream stand-in: ``pending`` says whether a request waits on the socket."""

    def __init__(self) -> None:
        self.pending = False
        self.socket = self
        self.io_loop = self
        self.scheduled: list[Any] = []

    def getsockopt(self, option: int) -> int:
        assert option == zmq.EVENTS
        return zmq.POLLIN if self.pending else 0

    def add_callback(self, callback: Any) -> None:
        self.scheduled.append(callback)

    def flush(self) -> None: ...


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make() -> tuple[_rpc._Stall, Stream, Clock]:
    stream, clock = Stream(), Clock()
    return _rpc._Stall(stream, polls=20, seconds=5.0, clock=clock), stream, clock


def test_an_idle_front_end_never_stalls() -> None:
    stalled, _, clock = make()
    for _ in range(10_000):  # 10 minutes of polls with nothing sent
        clock.now += 0.06
        assert not stalled()


def test_requests_read_on_every_poll_never_stall() -> None:
    stalled, stream, clock = make()
    for i in range(10_000):  # one arrives after a poll now and then; the next poll reads it
        stream.pending = i % 3 == 0
        clock.now += 0.06
        assert not stalled()


def test_requests_left_unread_stall_only_after_both_limits() -> None:
    stalled, stream, clock = make()
    stream.pending = True
    assert not stalled()  # first look: t=0
    for _ in range(18):  # 19 looks in 9 s: not yet (too few polls)
        clock.now += 0.5
        assert not stalled()
    clock.now += 0.5
    assert stalled()  # the 20th look, 9.5 s after the first

    slow_loop, stream, clock = make()  # 20 looks within 1 s: not yet (too short)
    stream.pending = True
    for _ in range(20):
        clock.now += 0.05
        assert not slow_loop()
    clock.now += 4.1  # 5.05 s after the first look
    assert slow_loop()


def test_release_rearms_the_kernel_only_when_it_looked_at_a_waiting_request() -> None:
    stalled, stream, _ = make()
    stalled()
    stalled.release()
    assert stream.scheduled == []  # nothing waited: the socket's own wake-up is intact
    stream.pending = True
    stalled()
    stalled.release()
    assert stream.scheduled == [stream.flush]  # the kernel reads it after the cell


def test_no_stream_no_check() -> None:
    stalled = _rpc._Stall(None)
    assert not stalled()
    stalled.release()
