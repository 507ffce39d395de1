"""A settable clock: tests and benchmarks move time instead of sleeping."""

from __future__ import annotations

__all__ = ["START", "FakeClock"]

START = 1_800_000_000.0  # a fixed "now" for the fake clock


class FakeClock:
    """A settable clock: tests move time instead of sleeping."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
