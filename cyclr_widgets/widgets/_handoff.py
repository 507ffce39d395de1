"""Work done on a background thread, its results applied on the kernel's main thread.

A widget that runs a long scan (the partner view's health scan) cannot run it in a comm
callback: the kernel handles no other message (no Stop click) until the callback returns. So
the scan runs on a thread, and what it finds must reach the widget's traits and its front end.

The choice, and why: the thread never touches a widget. It hands each update to
:class:`Handoff`, which runs it on the event loop of the thread that made the ``Handoff`` (the
kernel's main thread, which runs an asyncio loop in ipykernel 6 and 7 while a cell or a comm
message is handled): ``loop.call_soon_threadsafe``, as ``_completion.py`` hands a result over.
``Comm.send`` from another thread would reach the front end too (ipykernel's iopub socket is
thread-safe), but the widget's state is not: a part's ``parts`` update is a read-modify-write
of the host's trait, and traitlets' observers would then run on two threads at once, so a
user's cell changing a trait during the scan could lose an update. On the main thread every
update is serialized with the user's code and with the comm messages, at the cost that while a
cell blocks the main thread the updates wait for it (they are applied, in order, after it).

Where the making thread runs no event loop (a plain script, the kernel-free tests, a host with
its own threads) updates run at once on the calling thread, under a lock, in order.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

__all__ = ["Handoff"]

log = logging.getLogger("cyclr_widgets")


class Handoff:
    """Run callbacks on the loop of the thread that made this object (or inline, locked)."""

    def __init__(self) -> None:
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:  # no loop here: callbacks run on the caller's thread
            self._loop = None
        self._lock = threading.RLock()

    @property
    def on_loop(self) -> bool:
        """Whether callbacks go to an event loop (and so run later, on its thread)."""
        return self._loop is not None

    def call(self, callback: Callable[[], None], *, delay: float = 0.0) -> None:
        """Run ``callback()`` on the loop's thread after ``delay`` seconds, or now, inline.

        Callable from any thread; a failing callback is logged by type only (it may hold
        anything), never raised into the thread that handed it over.
        """
        loop = self._loop
        if loop is None:
            self._run(callback)
            return
        try:
            if delay > 0:
                # call_later is not thread-safe: scheduled from the loop's own thread.
                loop.call_soon_threadsafe(loop.call_later, delay, self._run, callback)
            else:
                loop.call_soon_threadsafe(self._run, callback)
        except RuntimeError:  # the loop is closed: the kernel is going away, nothing to show
            log.debug("cyclr_widgets: an update was dropped, the kernel's loop is closed")

    def _run(self, callback: Callable[[], None]) -> None:
        with self._lock:
            try:
                callback()
            except Exception as exc:
                log.error("cyclr_widgets: a background update failed (%s)", type(exc).__name__)
