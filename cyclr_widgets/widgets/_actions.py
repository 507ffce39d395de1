"""Actions on a customer's account, each confirmed in the widget before the client is called.

An :class:`ActionPart` offers the actions of one selected row (a cycle, an account connector)
and runs them in two steps, both from the front end (``js/parts/actions.js``) or from Python:

1. ``{"kind": "request", "action": name}`` (:meth:`ActionPart.request`): nothing changes yet.
   An action with a check (a cycle's prerequisites before activating it) runs the check first;
   blockers are shown *instead of* asking. Otherwise the part asks: ``pending`` holds the
   question ("Deactivate cycle X in account Y?") and a one-time ``token``.
2. ``{"kind": "confirm", "token": n}`` (:meth:`ActionPart.confirm`) calls the client, once, for
   the very row that was asked about; ``{"kind": "cancel"}`` forgets the question.

Cyclr's answer shows in ``result``: the success text, or Cyclr's ``Message`` as a visible error
(never a traceback). A read-only part refuses both messages. A value typed in the front end (a
property's value) travels only in the confirm message, never in synced state.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import traitlets as t

from ..core import CyclrError, scrub
from ._parts import Part
from ._rpc import MessageRouter, RpcError

__all__ = ["READ_ONLY", "Action", "ActionPart"]

log = logging.getLogger("cyclr_widgets")
READ_ONLY = "This explorer is read-only: it changes nothing in the account."
#: Fields a request may carry (a property's name) and a confirm (its value): nothing else.
REQUEST_ARGS = ("name",)
CONFIRM_ARGS = ("value",)
MAX_ITEMS = 20  # blockers shown (a cycle has a handful of prerequisites)
_tokens = itertools.count(1)


@dataclass(frozen=True)
class Action:
    """One action offered for a row.

    Attributes
    ----------
    name, label : str
        What the messages call it (``"activate"``) and the button's text.
    question : callable
        ``question(args)``: the confirmation asked ("Activate cycle X in account Y?").
    run : callable
        ``run(args)``: calls the client; returns the success text. A ``CyclrError`` shows
        its ``message``.
    check : callable, optional
        ``check()``: blockers (texts) that prevent the action; shown instead of asking.
    enabled, tooltip : bool, str
        Whether the button is enabled, and why not.
    form : str
        ``"property"``: the front end asks for a name and a value first.
    shown : bool
        Whether it gets a button of its own (``False``: another button requests it).
    """

    name: str
    label: str
    question: Callable[[dict[str, Any]], str]
    run: Callable[[dict[str, Any]], str]
    check: Callable[[], list[str]] | None = None
    enabled: bool = True
    tooltip: str = ""
    form: str = ""
    shown: bool = True

    def describe(self) -> dict[str, Any]:
        """The button as the front end draws it (no callables)."""
        return {
            "name": self.name,
            "label": self.label,
            "enabled": self.enabled,
            "tooltip": self.tooltip,
            "form": self.form,
        }


class ActionPart(Part):
    """The actions of one row, with a confirmation step (``js/parts/actions.js``).

    Parameters
    ----------
    read_only : bool
        Refuse every request and confirmation (and offer nothing).
    on_done : callable, optional
        Called with the action's name after a successful run (to reload the tables).
    """

    subject = t.Unicode("", help="The row the actions concern, in words.").tag(sync=True)
    actions = t.List(t.Dict(), help="The buttons: name, label, enabled, tooltip, form.").tag(
        sync=True
    )
    pending = t.Dict(help="The question awaiting Confirm/Cancel: action, question, token.").tag(
        sync=True
    )
    result = t.Dict(help="Cyclr's answer: state (ok, error, blocked), message, items.").tag(
        sync=True
    )
    busy = t.Bool(False, help="A call is running.").tag(sync=True)
    names = t.List(t.Dict(), help="Property names offered by the form: name, secret.").tag(
        sync=True
    )

    def __init__(
        self, *, read_only: bool = False, on_done: Callable[[str], None] | None = None
    ) -> None:
        super().__init__()
        self.read_only = read_only
        self._on_done = on_done
        self._offered: dict[str, Action] = {}
        self._key: object = None
        self._asked: tuple[int, Action, dict[str, Any]] | None = None
        self._router = MessageRouter(lambda msg: self.send(msg))
        self._router.register("request", self._on_request)
        self._router.register("confirm", self._on_confirm)
        self._router.register("cancel", self._on_cancel)
        self.on_msg(self._router)

    # -- what is offered -----------------------------------------------------------------

    def offer(self, key: object, subject: str, actions: Sequence[Action]) -> None:
        """Offer ``actions`` for the row ``key`` (described as ``subject``).

        A question pending for another row is dropped; the last answer stays while the row is
        the same (an action's own reload re-offers its row).
        """
        if self.read_only:
            actions = ()
        same_row = key == self._key
        with self.hold_sync():
            if not same_row:
                self.result = {}
                self._key = key
            self._offered = {a.name: a for a in actions}
            self.subject = subject
            self.actions = [a.describe() for a in actions if a.shown]
            if self._asked is not None and (
                not same_row or self._asked[1].name not in self._offered
            ):
                self.cancel()

    def clear(self) -> None:
        """Offer nothing (no row selected)."""
        self.offer(None, "", ())

    # -- the two steps ---------------------------------------------------------------------

    def request(self, name: str, /, **args: Any) -> bool:
        """Step 1: ask to confirm ``name`` (or show its blockers). True when a question waits."""
        if self.read_only:
            self._answer("error", READ_ONLY)
            return False
        action = self._offered.get(name)
        if action is None or not action.enabled:
            self._answer("error", f"{name!r} is not available for {self.subject or 'this row'}.")
            return False
        if action.check is not None:
            try:
                blockers = action.check()
            except CyclrError as exc:
                self._answer("error", f"Could not check {self.subject}: {exc.message}")
                return False
            if blockers:
                n = len(blockers)
                text = f"{action.label} is not possible: {n} prerequisite{'s' * (n != 1)} unmet."
                self._answer("blocked", text, blockers[:MAX_ITEMS])
                return False
        token = next(_tokens)
        clean = {k: args[k] for k in REQUEST_ARGS if isinstance(args.get(k), str)}
        self._asked = (token, action, clean)
        with self.hold_sync():
            self.result = {}
            self.pending = {"action": name, "question": action.question(clean), "token": token}
        return True

    def confirm(self, token: int | None = None, /, **args: Any) -> bool:
        """Step 2: run the pending action (``token``: the question's, if given). True on success.

        Without a pending question nothing is called.
        """
        if self.read_only:
            self._answer("error", READ_ONLY)
            return False
        asked = self._asked
        if asked is None or (token is not None and token != asked[0]):
            self._answer("error", "Nothing to confirm: ask again.")
            return False
        self._asked = None
        _token, action, request_args = asked
        extra = {k: args[k] for k in CONFIRM_ARGS if isinstance(args.get(k), str)}
        secrets = list(extra.values())
        del args
        with self.hold_sync():
            self.pending = {}
            self.busy = True
        try:
            text = action.run({**request_args, **extra})
        except CyclrError as exc:
            # Cyclr's Message, with the value just sent masked should Cyclr echo it.
            self._answer("error", f"Cyclr refused: {scrub(exc.message, secrets)}")
            return False
        except (ValueError, TypeError) as exc:
            self._answer("error", scrub(str(exc), secrets))
            return False
        finally:
            self.busy = False
            del extra
        self._answer("ok", text)
        if self._on_done is not None:
            self._on_done(action.name)
        return True

    def cancel(self) -> None:
        """Forget the pending question."""
        self._asked = None
        self.pending = {}

    # -- messages --------------------------------------------------------------------------

    def _answer(self, state: str, message: str, items: Sequence[str] = ()) -> None:
        self.result = {"state": state, "message": message, "items": list(items)}

    def _on_request(self, content: dict[str, Any]) -> dict[str, Any] | None:
        name = content.get("action")
        args = content.get("args")
        args = args if isinstance(args, dict) else {}
        if not isinstance(name, str) or not self.request(name, **args):
            raise RpcError(str(self.result.get("message") or "Refused."))
        return {}

    def _on_cancel(self, _content: dict[str, Any]) -> dict[str, Any] | None:
        self.cancel()
        return None

    def _on_confirm(self, content: dict[str, Any]) -> dict[str, Any] | None:
        token = content.get("token")
        value = content.get("value")
        args = {"value": value} if isinstance(value, str) else {}
        del content, value
        ok = self.confirm(token if isinstance(token, int) else -1, **args)
        if not ok:
            raise RpcError(str(self.result.get("message") or "Refused."))
        return {}
