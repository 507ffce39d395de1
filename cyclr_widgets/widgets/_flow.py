"""OAuthFlow: the sign-in popup's flow as a state machine that knows no widget and no kernel.

The front end's messages go in (:meth:`OAuthFlow.handle`; the "OAuthPopup protocol" table in
ARCHITECTURE.md), with the host's own clock checks (:meth:`~OAuthFlow.tick`); a ``Step`` comes
out: what to show, what to send, the reply, the end of the flow. The outside world comes in as
callables: the clock, ``issue_token()`` and ``confirm()``. No event confirms by itself: its step
asks (``Step.confirm``), the host shows that step and then calls :meth:`~OAuthFlow.confirm`, so
"checking with Cyclr" is on screen while the call runs. ``OAuthPopup`` hosts one flow with
traits; a table widget could keep one flow per row in its own model.

Secrets (the sign-in token, the URL carrying it, the callback message's nonce) leave only in
``Step.reply`` and ``Step.send``, for custom messages, which are never saved in a notebook.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from ..core import (
    AccountConnector,
    CyclrError,
    Diagnosis,
    SignInToken,
    diagnose_account_connector,
    is_origin,
    normalize_service_url,
    oauth_url,
    origin_of,
)
from ._flow_state import Check, Out, Run, transient, utc_now
from ._flow_types import KINDS, TEXT, OAuthResult, Step

__all__ = ["OAuthFlow"]

log = logging.getLogger("cyclr_widgets")

_AS_STATUS = {"closed": "cancelled", "closed_wait": "waiting"}  # text keys that are no status
_FLOW_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
_REFRESH_MARGIN = timedelta(seconds=30)  # re-mint a fallback link's token this close to expiry


class OAuthFlow:
    """Cyclr's OAuth sign-in for one account connector, one flow at a time.

    Parameters
    ----------
    service_url : str
        The partner's service domain (``client.service_url``).
    account_connector_id : int
        The account connector to authenticate.
    issue_token : callable
        ``issue_token() -> SignInToken``: a fresh single-use sign-in token (``.token``,
        ``.expires_at``, and ``.username`` when the client says whom it is for), e.g.
        ``lambda: client.sign_in_token(account_id)``.
    confirm : callable
        ``confirm() -> AccountConnector``: the account connector as Cyclr sees it now
        (``.authenticated``, ``.name``). A ``CyclrError`` from either callable becomes a status
        with Cyclr's message; any other exception ends the flow in ``error``.
    clock : callable
        Monotonic seconds, for the deadline and the closed-popup grace.
    now : callable
        The aware current time, for the sign-in token's expiry.
    username : str, optional
        The user the caller named for the token; a token's own ``username`` wins. Shown when
        a flow begins ("Signing in as …"), as :attr:`user`.
    diagnose : callable, optional
        ``diagnose(account_connector) -> Diagnosis``: why the connector is still not
        authenticated after the sign-in came back (default: ``core.diagnose_account_connector``
        on the record ``confirm()`` gave). When it names the cause (missing properties, the
        customer's OAuth app), the flow says so instead of "denied"; a failure is ignored.
    connector_name, timeout_s, closed_grace_s
        Settings a host may change at any time (attributes of the same names): the name shown
        in messages, a flow's overall deadline (taken when it begins) and how long polling goes
        on after the popup reads closed.
    """

    def __init__(
        self,
        service_url: str,
        account_connector_id: int,
        *,
        issue_token: Callable[[], SignInToken],
        confirm: Callable[[], AccountConnector],
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = utc_now,
        username: str | None = None,
        diagnose: Callable[[AccountConnector], Diagnosis | None] | None = None,
        connector_name: str = "",
        timeout_s: float = 600.0,
        closed_grace_s: float = 60.0,
    ) -> None:
        self.service_url = normalize_service_url(service_url)
        self.expected_origin = origin_of(self.service_url)
        self.account_connector_id = account_connector_id
        self.connector_name, self.user = connector_name, username
        self.timeout_s, self.closed_grace_s = timeout_s, closed_grace_s
        self._issue_token, self._confirm = issue_token, confirm
        self._clock, self._now = clock, now
        self._run: Run | None = None
        self._diagnose = diagnose or (lambda ac: diagnose_account_connector(ac, outcome="denied"))
        self._seen: AccountConnector | None = None  # the last record confirm() gave
        self.status, self.message = "idle", ""

    def __repr__(self) -> str:
        return (
            f"OAuthFlow(account_connector_id={self.account_connector_id}, "
            f"status={self.status!r}, active={self.active})"
        )

    @property
    def active(self) -> bool:
        """Whether a flow is running."""
        return self._run is not None

    # -- events -----------------------------------------------------------------------------

    def handle(self, content: Mapping[str, Any]) -> Step:
        """Handle one message from the front end, ``{kind, flow, ...}``.

        ``begin {flow, origin, blocked}`` starts a flow (superseding any other) and replies with
        the sign-in URL; ``navigated``, ``callback {data}``, ``closed``, ``poll``, ``check``,
        ``refresh``, ``cancel`` and ``deadline`` count only for the running flow (anything else
        is stale and ignored), and after its deadline only as a reason for a last confirmation.
        Unknown kinds are ignored.
        """
        kind = content.get("kind")
        if kind == "begin":
            return self._event("while handling 'begin'", self._begin, content)
        if kind not in KINDS:
            return Step()
        return self._event(f"while handling {kind!r}", self._for_run, content)

    def tick(self) -> Step:
        """The host's own look at the clock (e.g. while it blocks): enforce the deadline."""
        return self._event("while checking the deadline", self._tick)

    def confirm(self) -> Step:
        """Do the confirmation the last step asked for (``Step.confirm``) and decide."""
        return self._event("while checking with Cyclr", self._do_confirm)

    def fail(self, kind: str, exc: BaseException) -> Step:
        """End the flow in ``error`` after a host failed handling ``kind`` (type shown only)."""
        out = Out()
        self._fail(out, f"while handling {kind!r}", exc)
        return out.step()

    def sign_in_url(self, target_origin: str) -> str:
        """A URL outside any flow (no callback message: Cyclr redirects to ``target_origin``).

        Raises ``CyclrError`` when no sign-in token can be had.
        """
        token = self._issue_token()
        return oauth_url(self.service_url, self.account_connector_id, token.token, target_origin)

    # -- what each event does -----------------------------------------------------------------

    def _event(self, doing: str, handler: Callable[..., None], *args: Any) -> Step:
        out = Out()
        try:
            handler(out, *args)
        except Exception as exc:
            # Type only: an exception's text may quote a URL or a request.
            log.error("cyclr_widgets: the OAuth flow failed %s (%s)", doing, type(exc).__name__)
            self._fail(out, doing, exc)
        return out.step()

    def _begin(self, out: Out, content: Mapping[str, Any]) -> None:
        flow_id, origin = content.get("flow"), content.get("origin")
        if not isinstance(flow_id, str) or not _FLOW_ID.match(flow_id):
            out["error"] = TEXT["bad_flow"]
            return
        self._run = None  # a new begin supersedes any older flow; its messages become stale
        if not isinstance(origin, str) or (origin != "null" and not is_origin(origin)):
            self._end(out, "error", TEXT["bad_origin"])
            out["error"] = TEXT["bad_origin"]
            return
        # VS Code webviews and sandboxed frames cannot receive the page's postMessage anyway:
        # point Cyclr at its own origin and let polling carry the flow.
        web = origin.split("://")[0] in ("http", "https")
        nonce = secrets.token_urlsafe(16)
        target = origin if web else self.expected_origin
        deadline = self._clock() + self.timeout_s
        run = Run(
            flow_id,
            f"cyclr-widgets:{flow_id}:{nonce}",
            target,
            deadline,
            bool(content.get("blocked")),
        )
        try:
            url = self._fresh_url(run)
        except CyclrError as exc:
            self._end(out, "error", exc.message)
            out["error"] = exc.message
            return
        self._run = run
        out["active"] = True
        self._show(out, "blocked" if run.blocked else "opening")
        if self.user:  # which of the account's users signs in (a name, not a secret)
            self._say(out, TEXT["signing_in_as"].format(user=self.user, then=self.message))
            log.info("cyclr_widgets: signing in as %r", self.user)
        out["reply"] = {
            "url": url,
            "expected_origin": self.expected_origin,
            "callback_message": run.callback_message,
        }

    def _for_run(self, out: Out, content: Mapping[str, Any]) -> None:
        run = self._current(out, content.get("flow"), str(content["kind"]))
        if run is not None:
            getattr(self, f"_on_{content['kind']}")(out, run, content)

    def _on_navigated(self, out: Out, run: Run, content: Mapping[str, Any]) -> None:
        self._show(out, "waiting")

    def _on_callback(self, out: Out, run: Run, content: Mapping[str, Any]) -> None:
        data = content.get("data")
        if not isinstance(data, str) or not hmac.compare_digest(
            data.encode(), run.callback_message.encode()
        ):
            log.info("cyclr_widgets: ignored a callback whose message does not match the flow")
            return
        run.callback_seen = True
        self._show(out, "verifying")
        self._ask(out, run, Check("denied"))

    def _on_closed(self, out: Out, run: Run, content: Mapping[str, Any]) -> None:
        run.closed_at = run.closed_at or self._clock()
        self._ask(out, run, Check(None))

    def _on_poll(self, out: Out, run: Run, content: Mapping[str, Any]) -> None:
        expires = run.token_expires_at
        if run.blocked and expires and self._now() + _REFRESH_MARGIN >= expires:
            # The fallback link's token is (nearly) dead and JS timers may be throttled in a
            # background tab: push a fresh link unasked.
            try:
                url = self._fresh_url(run)
                out.send.append({"kind": "refresh:ok", "flow": run.flow_id, "url": url})
            except CyclrError as exc:
                self._say(out, f"Could not renew the sign-in link: {exc.message}")
        self._ask(out, run, Check(None, manual=content["kind"] == "check"))

    _on_check = _on_poll  # "Check now": the same confirmation, with a visible "not yet"

    def _on_refresh(self, out: Out, run: Run, content: Mapping[str, Any]) -> None:
        try:
            out["reply"] = {"url": self._fresh_url(run)}
        except CyclrError as exc:
            self._say(out, f"Could not renew the sign-in link: {exc.message}")
            out["error"] = exc.message

    def _on_cancel(self, out: Out, run: Run, content: Mapping[str, Any]) -> None:
        self._end(out, *self._text("cancelled"))

    def _on_deadline(self, out: Out, run: Run, content: Mapping[str, Any]) -> None:
        self._ask(out, run, Check("timeout", final=True))

    def _tick(self, out: Out) -> None:
        run = self._run
        if run is not None and self._clock() >= run.deadline:
            self._ask(out, run, Check("timeout", final=True))

    def _do_confirm(self, out: Out) -> None:
        run = self._run
        check = run.pending if run is not None else None
        if run is None or check is None:
            return
        run.pending = None
        ok = self._authenticated(out)
        if self._run is not run:
            return  # ended by a non-transient API error
        if ok:
            self._end(out, *self._text("authenticated"), authenticated=True)
        elif check.or_else is not None:
            if ok is False or check.final:
                self._end_unauthenticated(out, check.or_else)
        elif ok is None:
            return  # Cyclr could not be asked: the next poll will
        elif run.callback_seen:  # the earlier confirm failed transiently; this is the answer
            self._end_unauthenticated(out, "denied")
        elif run.closed_at is not None and self._clock() - run.closed_at >= self.closed_grace_s:
            self._end(out, *self._text("closed"))
        elif run.closed_at is not None:
            self._show(out, "closed_wait")
        elif check.manual:
            stamp = self._now().astimezone().strftime("%H:%M:%S")
            self._say(out, f"Not connected yet (checked at {stamp}); finish signing in first.")

    # -- helpers ------------------------------------------------------------------------------

    def _current(self, out: Out, flow_id: object, kind: str) -> Run | None:
        """The running flow if ``flow_id`` is its id; enforces the deadline on the way."""
        run = self._run
        if run is None or flow_id != run.flow_id:
            log.debug("cyclr_widgets: ignored a message for a stale or unknown flow")
            return None
        if kind not in ("cancel", "deadline") and self._clock() >= run.deadline:
            self._ask(out, run, Check("timeout", final=True))  # a front end that is gone or late
            return None
        return run

    def _ask(self, out: Out, run: Run, check: Check) -> None:
        """Have the host call :meth:`confirm` next; a final check is never downgraded."""
        if run.pending is None or not run.pending.final:
            run.pending = check
        out["confirm"] = True

    def _authenticated(self, out: Out) -> bool | None:
        """Ask Cyclr; None after a transient API error (the flow goes on), False otherwise."""
        try:
            connector = self._confirm()
        except CyclrError as exc:
            if not transient(exc):
                self._end(out, "error", exc.message)
                return False
            self._say(out, f"Could not check with Cyclr yet ({exc.message}); retrying.")
            return None
        self._seen = connector
        name = getattr(connector, "name", None)
        if not self.connector_name and name:
            self.connector_name = out["connector_name"] = str(name)
        return bool(connector.authenticated)

    def _fresh_url(self, run: Run) -> str:
        token = self._issue_token()
        run.token_expires_at = token.expires_at
        name = getattr(token, "username", None)  # whom the client picked (newer clients)
        self.user = name if isinstance(name, str) and name else self.user
        ac_id, origin, message = self.account_connector_id, run.target_origin, run.callback_message
        return oauth_url(self.service_url, ac_id, token.token, origin, message)

    def _text(self, key: str) -> tuple[str, str]:
        """(status, human message) for ``key``; ``closed`` and ``closed_wait`` map to statuses."""
        label = self.connector_name or "the connector"  # the name is learnt on the first check
        text = TEXT[key].format(label=label, minutes=f"{self.timeout_s / 60:g}")
        return _AS_STATUS.get(key, key), text

    def _show(self, out: Out, key: str) -> None:
        self.status, self.message = self._text(key)
        out["status"], out["message"] = self.status, self.message

    def _say(self, out: Out, message: str) -> None:
        self.message = out["message"] = message

    def _end_unauthenticated(self, out: Out, key: str) -> None:
        """End with ``key``; after the sign-in came back (denied), say why when that is known."""
        status, text = self._text(key)
        diagnosis = self._diagnosis() if key == "denied" else None
        if diagnosis is not None and diagnosis.explained:
            why = " ".join(r.message for r in diagnosis.reasons if r.code != "no_credentials")
            label = self.connector_name or "the connector"
            text = TEXT["not_authenticated"].format(label=label, why=why)
        self._end(out, status, text, diagnosis=diagnosis)

    def _diagnosis(self) -> Diagnosis | None:
        seen, self._seen = self._seen, None
        if seen is None:
            return None
        try:
            return self._diagnose(seen)
        except Exception as exc:  # a diagnosis is a bonus: the flow's outcome stands without it
            log.warning("cyclr_widgets: could not diagnose the connector (%s)", type(exc).__name__)
            return None

    def _end(
        self,
        out: Out,
        status: str,
        message: str,
        authenticated: bool = False,
        diagnosis: Diagnosis | None = None,
    ) -> None:
        run, self._run = self._run, None  # dropped first: replays can no longer match
        self.status, self.message = status, message
        out["status"], out["message"], out["active"] = status, message, False
        out["confirm"] = False
        if run is not None:
            out.send.append({"kind": "end", "flow": run.flow_id, "status": status})
        result = OAuthResult(status, authenticated, self.account_connector_id, message, diagnosis)
        out["result"] = result

    def _fail(self, out: Out, doing: str, exc: BaseException) -> None:
        name = type(exc).__name__
        self._end(out, "error", f"Internal error {doing} ({name}).")
        out["error"] = f"Internal error ({name}); see the 'cyclr_widgets' log."
