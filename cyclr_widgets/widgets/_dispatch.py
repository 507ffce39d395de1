"""CallbackDispatcher: the widgets' ``on_<event>(callback, remove=False)`` lists, in one place.

Like ipywidgets' ``CallbackDispatcher``, but a failing callback never reaches the kernel's
traceback display: it is logged (type and message, no traceback) and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, ParamSpec

__all__ = ["CallbackDispatcher"]

log = logging.getLogger("cyclr_widgets")

P = ParamSpec("P")


class CallbackDispatcher(Generic[P]):
    """Callbacks registered once each, called in registration order.

    Parameters
    ----------
    what : str
        Names a callback in log lines, e.g. ``"an on_complete callback of OAuthPopup"``.

    Examples
    --------
    >>> on_done: CallbackDispatcher[[int]] = CallbackDispatcher("an on_done callback")
    >>> on_done.register(print)
    >>> on_done(3)
    3
    []
    """

    def __init__(self, what: str) -> None:
        self._what = what
        self._callbacks: list[Callable[P, Any]] = []

    def register(self, callback: Callable[P, Any], remove: bool = False) -> None:
        """Add ``callback`` (once; again is a no-op), or with ``remove=True`` take it out."""
        if remove:
            self._callbacks = [cb for cb in self._callbacks if cb != callback]
        elif callback not in self._callbacks:
            self._callbacks.append(callback)

    def __len__(self) -> int:
        return len(self._callbacks)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> list[str]:
        """Call every callback with these arguments.

        Returns
        -------
        list of str
            ``"<ExceptionType>: <message>"`` (at most 200 characters) per callback that raised.
        """
        failures: list[str] = []
        for callback in list(self._callbacks):  # a callback may (un)register others
            try:
                callback(*args, **kwargs)
            except Exception as exc:
                text = f"{type(exc).__name__}: {exc}"[:200]
                log.warning("cyclr_widgets: %s raised %s", self._what, text)
                failures.append(text)
        return failures
