"""Completion: the end of a widget operation, as callbacks, an awaitable and a blocking wait.

What a widget's Python user waits for: ``on_complete`` callbacks (a :class:`CallbackDispatcher`),
an awaitable for a later cell (or a task), and :meth:`Completion.wait`, which blocks the *same*
cell while still letting widget messages through (``_kernel_wait.wait_until``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from . import _kernel_wait
from ._dispatch import CallbackDispatcher

__all__ = ["Completion"]

T = TypeVar("T")


class Completion(Generic[T]):
    """The end of a widget operation: callbacks, an awaitable and a blocking wait.

    An operation may run several times (a user reconnects); :meth:`start` marks a new run,
    :meth:`finish` ends it with a result.

    Parameters
    ----------
    name : str
        Shown in errors and log lines, e.g. ``"OAuthPopup"``.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._callbacks: CallbackDispatcher[[T]] = CallbackDispatcher(
            f"an on_complete callback of {name}"
        )
        self._future: asyncio.Future[T] | None = None
        self._result: T | None = None
        self._done = False

    @property
    def result(self) -> T | None:
        """The result of the last finished run, or None while one runs or before the first."""
        return self._result if self._done else None

    def start(self) -> None:
        """Mark a new run: :meth:`wait` and awaiting now wait for its result."""
        self._done = False
        self._result = None

    def on_complete(self, callback: Callable[[T], Any], remove: bool = False) -> None:
        """Register (or with ``remove=True`` unregister) ``callback(result)``."""
        self._callbacks.register(callback, remove=remove)

    def finish(self, result: T) -> list[str]:
        """End the run with ``result``: run the callbacks and resolve the awaitable.

        Returns
        -------
        list of str
            One short description per callback that raised. A failing callback is logged
            (type and message, no traceback) and does not stop the others.
        """
        self._result, self._done = result, True
        failures = self._callbacks(result)
        future, self._future = self._future, None
        if future is not None and not future.done():
            loop = future.get_loop()
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is loop:
                future.set_result(result)
            elif not loop.is_closed():
                # Comm handlers may run on another thread (some hosts); hand over safely.
                loop.call_soon_threadsafe(_resolve, future, result)
        return failures

    def future(self) -> asyncio.Future[T]:
        """Return a future for the current run's result, made on the running loop.

        Must be called from a coroutine (or with a running loop). If no run is in progress and
        one has finished, the future is already done.
        """
        loop = asyncio.get_running_loop()
        if self._done:
            done: asyncio.Future[T] = loop.create_future()
            done.set_result(self._result)  # type: ignore[arg-type]
            return done
        if self._future is None or self._future.get_loop() is not loop or self._future.done():
            self._future = loop.create_future()
        return self._future

    def wait(
        self, timeout: float, tick: Callable[[], None] | None = None, interval: float = 0.05
    ) -> T:
        """Block until the run finishes while still processing widget messages.

        Returns at once when a run finished and none is running. Otherwise see
        ``_kernel_wait.wait_until``: ``tick`` is called on every loop turn (e.g. to enforce a
        deadline from the kernel side); ``TimeoutError`` when ``timeout`` passes first (the run
        itself keeps going), ``RuntimeError`` outside a kernel or where widget messages cannot
        be processed while a cell blocks.
        """
        if not self._done:
            _kernel_wait.wait_until(
                lambda: self._done, timeout, name=self._name, tick=tick, interval=interval
            )
        return self._result  # type: ignore[return-value]


def _resolve(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)
