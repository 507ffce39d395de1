"""Blocking a cell while widget messages still get handled: the kernel side of ``wait()``.

A plain blocking loop would deadlock the kernel: comm messages queue behind the running cell.
:func:`wait_until` polls them through while it waits. Which pump works depends on how the
installed ipykernel reads its shell channel: ``jupyter_ui_poll`` where the main thread reads it
(ipykernel 6), a small comm pump (:class:`_CommPump`) where a shell-channel thread forwards the
requests (ipykernel 7). Should neither work in some kernel, the requests stay unread: that is
noticed (:class:`_Stall`) and reported as a ``RuntimeError`` instead of a hang.

Only :func:`in_kernel` and :func:`wait_until` are for other modules; ``_ui_events`` and
``_Stall`` are replaced or driven by the tests.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["in_kernel", "wait_until"]

log = logging.getLogger("cyclr_widgets")


def wait_until(
    done: Callable[[], bool],
    timeout: float,
    *,
    name: str,
    tick: Callable[[], None] | None = None,
    interval: float = 0.05,
) -> None:
    """Block until ``done()`` while still processing widget messages.

    Parameters
    ----------
    done : callable
        Checked on every loop turn, after the widget messages that arrived were handled.
    timeout : float
        Seconds to wait.
    name : str
        The waiting widget, for the errors (e.g. ``"OAuthPopup"``).
    tick : callable, optional
        Called on every loop turn (e.g. to enforce a deadline from the kernel side).
    interval : float
        Sleep between polls, in seconds.

    Raises
    ------
    TimeoutError
        When ``timeout`` passes first.
    RuntimeError
        Outside a Jupyter kernel, where no widget message can ever arrive, and in a kernel
        where widget messages cannot be processed while a cell blocks (they stay queued: use
        ``on_complete`` or ``await`` instead).
    """
    if not in_kernel():
        msg = (
            f"{name}.wait() needs a running Jupyter kernel with the widget displayed; "
            "use on_complete() or 'await' instead."
        )
        raise RuntimeError(msg)
    end = time.monotonic() + timeout
    stalled = _Stall(_shell_input(_kernel()))
    try:
        with _ui_events() as poll:
            while not done():
                if time.monotonic() >= end:
                    raise TimeoutError(f"{name} did not finish within {timeout:g} s.")
                poll(10)
                if tick is not None:
                    tick()
                if not done():
                    if stalled():
                        raise RuntimeError(_cannot_pump(f"{name}.wait()"))
                    time.sleep(interval)
    finally:
        stalled.release()  # after the pump handed back what it held


def in_kernel() -> bool:
    """Return True when running inside an IPython kernel (not a plain interpreter)."""
    return _kernel() is not None


def _kernel() -> Any:
    """The running IPython kernel, or None."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    return getattr(get_ipython(), "kernel", None)


def _shell_input(kernel: Any) -> Any:
    """The stream (a ``ZMQStream``) on which the main thread receives shell requests, or None.

    ipykernel 7 reads the shell socket on a shell-channel thread and forwards each request to
    the main thread over an inproc socket pair; ipykernel 6 reads the shell socket on the main
    thread itself.
    """
    try:
        if getattr(kernel, "shell_channel_thread", None):
            manager = kernel.shell_channel_thread.manager
            stream = manager.get_shell_channel_to_subshell_pair(None).to_stream
        else:
            stream = kernel.shell_stream
        stream.socket  # noqa: B018 - check it has one
    except (AttributeError, LookupError, TypeError):
        return None
    return stream


def _ui_events() -> Any:
    """A context manager giving ``poll(n)``, which handles up to n queued widget messages.

    Chosen by how the kernel reads its shell channel, not by its version or by which methods it
    has: ipykernel 7.0 still has ``do_one_iteration`` (what ``jupyter_ui_poll`` drives), but its
    shell requests no longer pass through it, so polling it handles nothing. A module function
    so that tests can replace it.
    """
    kernel = _kernel()
    if not getattr(kernel, "shell_channel_thread", None) and hasattr(kernel, "do_one_iteration"):
        # The main thread reads the shell socket itself (ipykernel 6): jupyter_ui_poll works.
        from jupyter_ui_poll import ui_events

        return ui_events()
    return _CommPump(kernel)


_COMM_TYPES = frozenset({"comm_open", "comm_msg", "comm_close"})
_REPLAYS: set[asyncio.Task[Any]] = set()


class _CommPump:
    """Handle comm messages while a cell blocks, where a thread forwards the shell requests.

    The shell-channel thread forwards requests to the main thread over an inproc socket that
    the (now blocked) event loop would read. This reads it directly: comm messages are handled
    at once, anything else (e.g. the next cell's ``execute_request``) is held and handed back
    to the kernel, in order, when the wait ends; it then runs after the current cell.
    """

    def __init__(self, kernel: Any) -> None:
        stream = _shell_input(kernel)
        try:
            if stream is None:
                raise LookupError("no shell input stream")
            self._parent = (kernel._shell_parent_ident.get(), kernel.get_parent("shell"))
            kernel.shell_main  # noqa: B018 - held requests are handed back through it
        except (AttributeError, LookupError) as exc:
            raise RuntimeError(_cannot_pump("wait()")) from exc
        self._socket = stream.socket
        self._kernel = kernel
        self._held: list[Any] = []

    def __enter__(self) -> Callable[[int], None]:
        return self.poll

    def __exit__(self, *exc: object) -> None:
        try:
            loop = asyncio.get_running_loop()  # ipykernel 7 runs cells inside its loop
        except RuntimeError:
            loop = asyncio.get_event_loop()
        for frames in self._held:  # replayed in arrival order, behind the running cell
            task = loop.create_task(self._kernel.shell_main(None, frames))
            _REPLAYS.add(task)  # keep a reference until it ran
            task.add_done_callback(_REPLAYS.discard)
        self._held.clear()

    def poll(self, n: int) -> None:
        """Handle up to ``n`` queued comm messages without blocking."""
        import zmq

        kernel = self._kernel
        for _ in range(n):
            try:
                frames = self._socket.recv_multipart(zmq.NOBLOCK, copy=False)
            except zmq.Again:
                return
            try:
                idents, raw = kernel.session.feed_identities(list(frames), copy=False)
                # Peek first: a full deserialize records the signature, and the kernel's own
                # later deserialize of a held message would then reject it as a replay.
                kind = kernel.session.deserialize(raw, content=False, copy=False)["header"]
                handler = kernel.shell_handlers.get(kind["msg_type"])
                if kind["msg_type"] not in _COMM_TYPES or handler is None:
                    self._held.append(frames)
                    continue
                msg = kernel.session.deserialize(raw, content=True, copy=False)
            except Exception:
                self._held.append(frames)  # let the kernel itself deal with it later
                continue
            kernel.set_parent(idents, msg, channel="shell")  # replies belong to this message
            try:
                handler(None, idents, msg)
            except Exception as exc:
                log.error("cyclr_widgets: a comm message failed (%s)", type(exc).__name__)
            finally:
                kernel.set_parent(*self._parent, channel="shell")


def _cannot_pump(what: str) -> str:
    version = getattr(sys.modules.get("ipykernel"), "__version__", "unknown")
    return (
        f"{what} cannot process widget messages in this kernel (ipykernel {version}): they stay "
        "queued until the cell ends. Register on_complete(callback), or 'await' the widget in a "
        "later cell, instead."
    )


class _Stall:
    """Tell whether shell requests sit unread while wait() polls: then no pump works here.

    A working pump empties the kernel's shell input on every poll, so requests still there
    after many polls spanning seconds will not be read before the cell ends. An idle front end
    sends nothing and is never mistaken for that.

    Asking zmq whether a message is waiting consumes the socket's edge-triggered wake-up: the
    kernel's event loop would then not look at the socket again after the cell (checked: with
    ipykernel 7 the kernel stopped answering). :meth:`release` has it read the input once the
    cell is over whenever the last look found something waiting.
    """

    def __init__(
        self,
        stream: Any,
        polls: int = 20,
        seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._polls, self._seconds, self._clock = polls, seconds, clock
        self._count, self._since = 0, 0.0

    def __call__(self) -> bool:
        """Return True when requests have waited, unread, through the whole limit."""
        if self._stream is None:
            return False
        import zmq

        try:
            pending = bool(self._stream.socket.getsockopt(zmq.EVENTS) & zmq.POLLIN)
        except (zmq.ZMQError, AttributeError):
            return False
        if not pending:
            self._count = 0
            return False
        now = self._clock()
        if self._count == 0:
            self._since = now
        self._count += 1
        return self._count >= self._polls and now - self._since >= self._seconds

    def release(self) -> None:
        """Have the kernel's event loop read waiting requests once the cell has ended."""
        if not self._count:  # the last look found nothing: the wake-up is still armed
            return
        try:
            self._stream.io_loop.add_callback(self._stream.flush)
        except AttributeError:  # pragma: no cover - every ZMQStream has both
            log.error("cyclr_widgets: could not hand the queued widget messages back")
