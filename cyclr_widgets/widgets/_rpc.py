"""Request/response over anywidget custom messages: ``MessageRouter`` and ``RpcError``.

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
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

__all__ = ["MessageRouter", "RpcError"]

log = logging.getLogger("cyclr_widgets")

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
