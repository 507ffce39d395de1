"""Request/response over anywidget custom messages, and one-shot completions.

Widgets talk to their front end with plain ``model.send`` / ``msg:custom`` messages (marimo has
no ``experimental.invoke``, and its 3 s timeout is too short for Cyclr calls anyway). A message
from the front end is a dict with a ``kind``; :class:`MessageRouter` calls the handler registered
for that kind and turns its outcome into a reply:

* the handler returns a dict -> reply ``{"kind": "<kind>:ok", **correlation, **dict}``;
* it returns ``None`` -> no reply (an event, not a request);
* it raises :class:`RpcError` -> reply ``{"kind": "<kind>:error", "message": ...}``;
* anything else is logged by type only and answered with a generic ``<kind>:error``.

The correlation fields ``id`` and ``flow`` of the request are echoed in the reply. Replies are
custom messages, which are never saved into the notebook, so they may carry a short-lived URL;
synced traits may not.

:class:`Completion` holds what a widget's Python user waits for: ``on_complete`` callbacks, an
awaitable for a later cell, and :meth:`Completion.wait`, which blocks the *same* cell while
still letting widget messages through, since a plain blocking loop would deadlock the kernel:
comm messages queue behind the running cell.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["Completion", "MessageRouter", "RpcError", "in_kernel"]

log = logging.getLogger("cyclr_widgets")

T = TypeVar("T")
Handler = Callable[[dict[str, Any]], "dict[str, Any] | None"]

_CORRELATION_KEYS = ("id", "flow")


class RpcError(Exception):
    """A failure whose message is safe to show to the user and to send to the front end."""


class MessageRouter:
    """Dispatch a widget's custom messages to handlers by their ``kind``.

    Register the router itself with ``widget.on_msg(router)``.

    Parameters
    ----------
    send : callable
        Sends one message to the front end, usually ``widget.send``.
    on_error : callable, optional
        Called with ``(kind, exception)`` when a handler fails unexpectedly, so the widget can
        show the failure in its own state instead of the kernel log.
    """

    def __init__(
        self,
        send: Callable[[dict[str, Any]], None],
        on_error: Callable[[str, BaseException], None] | None = None,
    ) -> None:
        self._send = send
        self._on_error = on_error
        self._handlers: dict[str, Handler] = {}

    def register(self, kind: str, handler: Handler) -> None:
        """Call ``handler(content)`` for messages whose ``kind`` is ``kind``."""
        self._handlers[kind] = handler

    def send(self, kind: str, **fields: Any) -> None:
        """Send ``{"kind": kind, **fields}`` to the front end."""
        self._send({"kind": kind, **fields})

    def __call__(self, widget: object, content: object, buffers: object) -> None:
        """Handle one custom message (the ``on_msg`` callback signature)."""
        if not isinstance(content, dict):
            return
        kind = content.get("kind")
        handler = self._handlers.get(kind) if isinstance(kind, str) else None
        if handler is None or not isinstance(kind, str):
            # Other listeners (e.g. anywidget's own commands) may share the channel; and the
            # payload is never logged, it may be anything.
            log.debug("cyclr_widgets: ignored a custom message of unknown kind")
            return
        corr = {
            key: content[key]
            for key in _CORRELATION_KEYS
            if isinstance(content.get(key), (str, int)) and not isinstance(content[key], bool)
        }
        try:
            reply = handler(content)
        except RpcError as exc:
            self.send(f"{kind}:error", **corr, message=str(exc))
            return
        except Exception as exc:
            # Type only: an exception's text may quote a URL or a request.
            log.error("cyclr_widgets: the %r message handler failed (%s)", kind, type(exc).__name__)
            if self._on_error is not None:
                try:
                    self._on_error(kind, exc)
                except Exception as hook_exc:
                    log.error("cyclr_widgets: error hook failed (%s)", type(hook_exc).__name__)
            msg = f"Internal error ({type(exc).__name__}); see the 'cyclr_widgets' log."
            self.send(f"{kind}:error", **corr, message=msg)
            return
        if reply is not None:
            self.send(f"{kind}:ok", **corr, **reply)


def in_kernel() -> bool:
    """Return True when running inside an IPython kernel (not a plain interpreter)."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


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
        self._callbacks: list[Callable[[T], Any]] = []
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
        if remove:
            self._callbacks = [cb for cb in self._callbacks if cb != callback]
        elif callback not in self._callbacks:
            self._callbacks.append(callback)

    def finish(self, result: T) -> list[str]:
        """End the run with ``result``: run the callbacks and resolve the awaitable.

        Returns
        -------
        list of str
            One short description per callback that raised. A failing callback is logged
            (type and message, no traceback) and does not stop the others.
        """
        self._result, self._done = result, True
        failures: list[str] = []
        for callback in list(self._callbacks):
            try:
                callback(result)
            except Exception as exc:
                text = f"{type(exc).__name__}: {exc}"[:200]
                log.warning(
                    "cyclr_widgets: an on_complete callback of %s raised %s", self._name, text
                )
                failures.append(text)
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

        Where the main thread reads the kernel's shell socket itself (ipykernel 6),
        ``jupyter_ui_poll`` does the processing; where a shell-channel thread reads it and
        forwards requests to the main thread (ipykernel 7), a small comm pump does
        (:class:`_CommPump`). Should neither work in some kernel, the requests stay unread: that
        is noticed (:class:`_Stall`) and reported as a ``RuntimeError`` instead of a hang.

        Parameters
        ----------
        timeout : float
            Seconds to wait.
        tick : callable, optional
            Called on every loop turn (e.g. to enforce a deadline from the kernel side).
        interval : float
            Sleep between polls, in seconds.

        Raises
        ------
        TimeoutError
            When ``timeout`` passes first (the run itself keeps going).
        RuntimeError
            Outside a Jupyter kernel, where no widget message can ever arrive, and in a kernel
            where widget messages cannot be processed while a cell blocks (they stay queued:
            use ``on_complete`` or ``await`` instead).
        """
        if self._done:
            return self._result  # type: ignore[return-value]
        if not in_kernel():
            msg = (
                f"{self._name}.wait() needs a running Jupyter kernel with the widget displayed; "
                "use on_complete() or 'await' instead."
            )
            raise RuntimeError(msg)
        end = time.monotonic() + timeout
        stalled = _Stall(_shell_input(_kernel()))
        try:
            with _ui_events() as poll:
                while not self._done:
                    if time.monotonic() >= end:
                        msg = f"{self._name} did not finish within {timeout:g} s."
                        raise TimeoutError(msg)
                    poll(10)
                    if tick is not None:
                        tick()
                    if not self._done:
                        if stalled():
                            raise RuntimeError(_cannot_pump(f"{self._name}.wait()"))
                        time.sleep(interval)
        finally:
            stalled.release()  # after the pump handed back what it held
        return self._result  # type: ignore[return-value]


def _resolve(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)
