"""OAuthPopup: authenticate one Cyclr account connector from a notebook.

The browser half (``js/oauth_popup.js``) opens a blank popup synchronously in the click, asks
the kernel for the sign-in URL by custom message, and relays Cyclr's ``callbackMessage``. This
half owns the truth: it mints the single-use sign-in token, checks each event against the
current flow, and confirms with ``GET /account/connectors/{id}`` (the message only says the flow
ended). Protocol: the "OAuthPopup protocol" table in ARCHITECTURE.md.

The URL and the token travel only in custom-message replies, which are never saved into the
notebook; synced traits, outputs, logs and reprs never hold them.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import anywidget
import traitlets as t

from ..core import CyclrError, PopupClient, is_origin, normalize_service_url, oauth_url, origin_of
from ._esm import esm_path
from ._rpc import Completion, MessageRouter, RpcError

__all__ = ["STATUSES", "OAuthPopup", "OAuthResult"]

log = logging.getLogger("cyclr_widgets")

# fmt: off
STATUSES = ("idle", "opening", "waiting", "verifying", "authenticated", "denied", "cancelled",
            "blocked", "timeout", "error")
_KINDS = ("begin", "navigated", "callback", "closed", "poll", "check", "refresh", "cancel",
          "deadline")  # the protocol table in ARCHITECTURE.md
# fmt: on
_FLOW_ID = re.compile(r"[A-Za-z0-9_-]{1,64}\Z")
_REFRESH_MARGIN = timedelta(seconds=30)  # re-mint a fallback link's token this close to expiry
_NO_SERVICE_URL = (
    "OAuthPopup needs client.service_url, the partner's service domain (e.g. "
    "'https://acme-h.eu.cyclr.com'); set CYCLR_SERVICE_URL or pass service_url=."
)
_TEXT = {
    "opening": "Opening the sign-in window…",
    "blocked": "The browser did not open a pop-up window. Open the sign-in page with the link "
    "below; this widget keeps checking with Cyclr.",
    "waiting": "Waiting for you to sign in to {label} in the pop-up…",
    "verifying": "Sign-in finished; checking with Cyclr…",
    "authenticated": "Connected: {label} is authenticated.",
    "denied": "Sign-in was denied or did not complete: the connector is still not authenticated.",
    "cancelled": "Sign-in was cancelled.",
    "closed": "The sign-in window was closed before Cyclr confirmed the connection.",
    "closed_wait": "The sign-in window looks closed; still checking with Cyclr (press Cancel if "
    "you closed it).",
    "timeout": "Sign-in timed out after {minutes} min: the connector is still not authenticated.",
    "bad_origin": "The notebook page's origin is not a valid origin; cannot start the sign-in.",
}
_CSS = """
.cyclr-oauth { display: flex; flex-wrap: wrap; gap: .5em; align-items: center; font: inherit; }
.cyclr-oauth-message { flex-basis: 100%; }
.cyclr-oauth [hidden] { display: none; }
.cyclr-oauth-status[data-status="authenticated"] { color: #1a7f37; }
.cyclr-oauth-status[data-status="error"],
.cyclr-oauth-status[data-status="denied"] { color: #cf222e; }
"""


@dataclass(frozen=True)
class OAuthResult:
    """How a sign-in flow ended; holds no secret.

    Attributes
    ----------
    status : str
        ``authenticated``, ``denied``, ``cancelled``, ``timeout`` or ``error``.
    authenticated : bool
        Whether Cyclr confirmed the account connector as authenticated.
    account_connector_id : int
        The account connector the flow was for.
    message : str
        The human-readable outcome the widget showed.
    """

    status: str
    authenticated: bool
    account_connector_id: int
    message: str


@dataclass
class _Flow:
    flow_id: str
    nonce: str = field(repr=False)
    callback_message: str = field(repr=False)
    target_origin: str
    deadline: float
    blocked: bool
    token_expires_at: datetime | None = None
    closed_at: float | None = None
    callback_seen: bool = False


def _transient(exc: CyclrError) -> bool:
    # Rate limits, 5xx and transport failures (no status) are worth retrying by polling.
    code = exc.status_code
    return code is None or code == 429 or code >= 500


class OAuthPopup(anywidget.AnyWidget):
    """A "Connect" button that runs Cyclr's OAuth sign-in for one account connector.

    Parameters
    ----------
    client : CyclrClient
        A sync client with ``service_url`` set (the partner's service domain).
    account_id : str
        The Cyclr account (its API id).
    account_connector_id : int
        The installed account connector to authenticate.
    connector_name : str, optional
        Shown in messages; filled from Cyclr on the first check otherwise.
    username : str
        The API user the sign-in token is made for.
    **kwargs
        Trait values, e.g. ``timeout_s=300``.

    Examples
    --------
    >>> popup = OAuthPopup(client, account_id, 12345)  # doctest: +SKIP
    >>> popup.on_complete(lambda result: print(result.status))  # doctest: +SKIP
    >>> result = popup.wait(timeout=600)  # doctest: +SKIP
    """

    _esm = esm_path("oauth_popup.js")
    _css = _CSS

    status = t.Enum(STATUSES, default_value="idle", help="Where the flow is.").tag(sync=True)
    message = t.Unicode("", help="Human-readable state, shown by the widget.").tag(sync=True)
    connector_name = t.Unicode("", help="The connector's display name.").tag(sync=True)
    expected_origin = t.Unicode("", help="Origin of the service domain; not secret.").tag(sync=True)
    timeout_s = t.Float(600.0, help="Overall deadline of one flow, seconds.").tag(sync=True)
    poll_interval_s = t.Float(3.0, help="Seconds between API checks.").tag(sync=True)
    closed_grace_s = t.Float(
        60.0, help="Seconds to keep polling after the popup reads closed (COOP can lie)."
    ).tag(sync=True)
    popup_features = t.Unicode("popup,width=520,height=720").tag(sync=True)
    flow_active = t.Bool(False, help="Whether a flow is running.").tag(sync=True)

    def __init__(
        self,
        client: PopupClient,
        account_id: str,
        account_connector_id: int | str,
        *,
        connector_name: str = "",
        username: str = "cyclr-widgets",
        **kwargs: Any,
    ) -> None:
        service_url = getattr(client, "service_url", None)
        if not service_url:
            raise ValueError(_NO_SERVICE_URL)
        self._service_url = normalize_service_url(service_url)
        if not isinstance(account_id, str) or not account_id.strip():
            raise ValueError("account_id must be a non-empty string (the Cyclr account's id).")
        ac_id = account_connector_id
        if isinstance(ac_id, str) and ac_id.strip().isdigit():
            ac_id = int(ac_id)
        if isinstance(ac_id, bool) or not isinstance(ac_id, int) or ac_id <= 0:
            msg = f"account_connector_id must be a positive integer, got {account_connector_id!r}."
            raise ValueError(msg)
        self._client = client
        self._account_id = account_id.strip()
        self._ac_id: int = ac_id
        self._username = username
        self._flow: _Flow | None = None
        self._clock: Callable[[], float] = time.monotonic  # replaceable in tests
        self._completion: Completion[OAuthResult] = Completion("OAuthPopup")
        super().__init__(
            connector_name=connector_name, expected_origin=origin_of(self._service_url), **kwargs
        )
        # A lambda, not the bound method: tests (and hosts) may replace `send` after init.
        self._router = MessageRouter(lambda msg: self.send(msg), on_error=self._on_internal_error)
        for kind in _KINDS:  # each protocol message has an `_on_<kind>` handler
            self._router.register(kind, getattr(self, f"_on_{kind}"))
        self.on_msg(self._router)

    @t.validate("timeout_s", "poll_interval_s", "closed_grace_s")
    def _positive(self, proposal: Any) -> float:
        value = float(proposal["value"])
        if value < 0 or (value == 0 and proposal["trait"].name != "closed_grace_s"):
            raise t.TraitError(f"{proposal['trait'].name} must be positive, got {value}.")
        return value

    def __repr__(self) -> str:
        return (
            f"OAuthPopup(account_id={self._account_id!r}, "
            f"account_connector_id={self._ac_id}, status={self.status!r})"
        )

    # -- public API ---------------------------------------------------------------------------

    @property
    def result(self) -> OAuthResult | None:
        """The outcome of the last finished flow, or None while one runs (or before any)."""
        return self._completion.result

    def on_complete(self, callback: Callable[[OAuthResult], Any], remove: bool = False) -> None:
        """Register ``callback(result)`` to run in the kernel whenever a flow ends.

        Parameters
        ----------
        callback : callable
            Receives an :class:`OAuthResult`. Exceptions are logged to the ``cyclr_widgets``
            logger and noted in ``message``; they do not stop other callbacks.
        remove : bool
            Unregister ``callback`` instead.
        """
        self._completion.on_complete(callback, remove=remove)

    async def completed(self) -> OAuthResult:
        """Wait for the current (or next) flow to end; ``await popup`` does the same.

        ipykernel 7.4 and newer (which need Python 3.11 or newer) handle widget messages while
        a cell awaits, so ``result = await popup`` works in the same cell there. Older kernels,
        and so every kernel on Python 3.10, queue them behind the running cell: there, awaiting
        in the cell that displays the popup never finishes. Await in a later cell or in a task
        (``asyncio.ensure_future(handle(popup))``), or use :meth:`wait` or :meth:`on_complete`.
        """
        return await self._completion.future()

    def __await__(self) -> Generator[Any, None, OAuthResult]:
        return self.completed().__await__()

    def wait(self, timeout: float = 600.0) -> OAuthResult:
        """Block this cell until the flow ends, still processing widget messages.

        Widget messages are handled meanwhile (``jupyter_ui_poll`` on ipykernel 6, a small comm
        pump on ipykernel 7), so the popup keeps working; other cells queued meanwhile run
        afterwards. Works on every supported Python and kernel (tested on ipykernel 6.29, 7.0
        and the newest 7.x), unlike same-cell ``await popup``, which needs ipykernel 7.4+.

        Parameters
        ----------
        timeout : float
            Seconds to wait.

        Returns
        -------
        OAuthResult
            The outcome; returned at once when a flow already ended and none is running.

        Raises
        ------
        TimeoutError
            When ``timeout`` passes first; the flow itself goes on until its own deadline.
        RuntimeError
            Outside a Jupyter kernel; or in a kernel where widget messages cannot be handled
            while a cell blocks (noticed within seconds of the first one arriving, never a
            hang): use :meth:`on_complete` or ``await popup`` in a later cell there.
        """
        return self._completion.wait(timeout, tick=self._tick)

    def sign_in_url(self, target_origin: str | None = None) -> str:
        """Return a fresh sign-in URL for copying into a browser when no widget can run.

        The URL carries a sign-in token: it works **once** and for about **5 minutes**, and it
        is a credential for the account, so do not print it into a saved notebook. Without a
        callback message Cyclr redirects the browser to ``target_origin`` when done (default:
        the service domain). Check the outcome with ``client.account_connector(...)``.
        """
        token = self._client.sign_in_token(self._account_id, username=self._username)
        return oauth_url(
            self._service_url, self._ac_id, token.token, target_origin or self.expected_origin
        )

    # -- protocol handlers (see ARCHITECTURE.md) ------------------------------------------------

    def _on_begin(self, content: dict[str, Any]) -> dict[str, Any]:
        flow_id, origin = content.get("flow"), content.get("origin")
        if not isinstance(flow_id, str) or not _FLOW_ID.match(flow_id):
            raise RpcError("The widget sent an invalid flow id.")
        self._flow = None  # a new begin supersedes any older flow; its messages become stale
        self._completion.start()
        if not isinstance(origin, str) or (origin != "null" and not is_origin(origin)):
            self._finish("error", _TEXT["bad_origin"])
            raise RpcError(_TEXT["bad_origin"])
        web = isinstance(origin, str) and origin.split("://")[0] in ("http", "https")
        # VS Code webviews and sandboxed frames cannot receive the page's postMessage anyway:
        # point Cyclr at its own origin and let polling carry the flow.
        target = origin if web else self.expected_origin
        nonce = secrets.token_urlsafe(16)
        flow = _Flow(
            flow_id,
            nonce,
            f"cyclr-widgets:{flow_id}:{nonce}",
            target,
            self._clock() + self.timeout_s,
            bool(content.get("blocked")),
        )
        try:
            url = self._fresh_url(flow)
        except CyclrError as exc:
            self._finish("error", exc.message)
            raise RpcError(exc.message) from None
        self._flow = flow
        self.flow_active = True
        self._set(*self._text("blocked" if flow.blocked else "opening"))
        return {
            "url": url,
            "expected_origin": self.expected_origin,
            "callback_message": flow.callback_message,
        }

    def _on_navigated(self, content: dict[str, Any]) -> None:
        if self._current(content) is not None:
            self._set(*self._text("waiting"))

    def _on_callback(self, content: dict[str, Any]) -> None:
        flow = self._current(content)
        data = content.get("data")
        if flow is None:
            return
        if not isinstance(data, str) or not hmac.compare_digest(
            data.encode(), flow.callback_message.encode()
        ):
            log.info("cyclr_widgets: ignored a callback whose message does not match the flow")
            return
        flow.callback_seen = True
        self._set(*self._text("verifying"))
        self._verify(flow, or_else="denied")

    def _on_closed(self, content: dict[str, Any]) -> None:
        flow = self._current(content)
        if flow is not None:
            flow.closed_at = flow.closed_at or self._clock()
            self._poll(flow, manual=False)

    def _on_poll(self, content: dict[str, Any]) -> None:
        flow = self._current(content)
        if flow is None:
            return
        expires = flow.token_expires_at
        if flow.blocked and expires and datetime.now(timezone.utc) + _REFRESH_MARGIN >= expires:
            # The fallback link's token is (nearly) dead and JS timers may be throttled in a
            # background tab: push a fresh link unasked.
            try:
                self._router.send("refresh:ok", flow=flow.flow_id, url=self._fresh_url(flow))
            except CyclrError as exc:
                self.message = f"Could not renew the sign-in link: {exc.message}"
        self._poll(flow, manual=content.get("kind") == "check")

    _on_check = _on_poll  # "Check now": the same confirm, with a visible "not yet"

    def _on_refresh(self, content: dict[str, Any]) -> dict[str, Any] | None:
        flow = self._current(content)
        if flow is None:
            return None
        try:
            return {"url": self._fresh_url(flow)}
        except CyclrError as exc:
            self.message = f"Could not renew the sign-in link: {exc.message}"
            raise RpcError(exc.message) from None

    def _on_cancel(self, content: dict[str, Any]) -> None:
        if self._current(content) is not None:
            self._finish(*self._text("cancelled"))

    def _on_deadline(self, content: dict[str, Any]) -> None:
        flow = self._current(content)
        if flow is not None:
            self._verify(flow, or_else="timeout", final=True)

    # -- helpers ------------------------------------------------------------------------------

    def _text(self, key: str) -> tuple[str, str]:
        """(status, human message) for ``key``; ``closed`` and ``closed_wait`` map to statuses."""
        label = self.connector_name or "the connector"  # the name is learnt on the first check
        text = _TEXT[key].format(label=label, minutes=f"{self.timeout_s / 60:g}")
        return {"closed": "cancelled", "closed_wait": "waiting"}.get(key, key), text

    def _current(self, content: dict[str, Any]) -> _Flow | None:
        """The active flow if ``content`` belongs to it; enforces the deadline on the way."""
        flow = self._flow
        if flow is None or content.get("flow") != flow.flow_id:
            log.debug("cyclr_widgets: ignored a message for a stale or unknown flow")
            return None
        if content.get("kind") not in ("cancel", "deadline") and self._clock() >= flow.deadline:
            self._verify(flow, or_else="timeout", final=True)  # a JS that is gone or late
            return None
        return flow

    def _tick(self) -> None:
        # Called from wait(): the kernel enforces the deadline even if the browser went away.
        flow = self._flow
        if flow is not None and self._clock() >= flow.deadline:
            self._verify(flow, or_else="timeout", final=True)

    def _fresh_url(self, flow: _Flow) -> str:
        token = self._client.sign_in_token(self._account_id, username=self._username)
        flow.token_expires_at = token.expires_at
        return oauth_url(
            self._service_url, self._ac_id, token.token, flow.target_origin, flow.callback_message
        )

    def _confirm(self) -> bool | None:
        """Ask Cyclr; None after a transient API error (the flow goes on), False otherwise."""
        try:
            connector = self._client.account_connector(self._account_id, self._ac_id)
        except CyclrError as exc:
            if not _transient(exc):
                self._finish("error", exc.message)
                return False
            self.message = f"Could not check with Cyclr yet ({exc.message}); retrying."
            return None
        if not self.connector_name and getattr(connector, "name", None):
            self.connector_name = str(connector.name)
        return bool(connector.authenticated)

    def _verify(self, flow: _Flow, or_else: str, final: bool = False) -> None:
        """Confirm; end ``authenticated``, else end ``or_else`` (always when ``final``)."""
        ok = self._confirm()
        if self._flow is not flow:
            return  # ended by a non-transient API error
        if ok:
            self._finish(*self._text("authenticated"), authenticated=True)
        elif ok is False or final:
            self._finish(*self._text(or_else))

    def _poll(self, flow: _Flow, manual: bool) -> None:
        ok = self._confirm()
        if self._flow is not flow or ok is None:
            return
        if ok:
            self._finish(*self._text("authenticated"), authenticated=True)
        elif flow.callback_seen:  # the earlier confirm failed transiently; this is the answer
            self._finish(*self._text("denied"))
        elif flow.closed_at is not None and self._clock() - flow.closed_at >= self.closed_grace_s:
            self._finish(*self._text("closed"))
        elif flow.closed_at is not None:
            self._set(*self._text("closed_wait"))
        elif manual:
            stamp = time.strftime("%H:%M:%S")
            self.message = f"Not connected yet (checked at {stamp}); finish signing in first."

    def _set(self, status: str, message: str) -> None:
        with self.hold_sync():  # one update message: the view never shows a mismatched pair
            self.status = status
            self.message = message

    def _finish(self, status: str, message: str, authenticated: bool = False) -> None:
        flow, self._flow = self._flow, None  # dropped first: replays can no longer match
        with self.hold_sync():
            self.flow_active = False
            self._set(status, message)
        if flow is not None:
            self._router.send("end", flow=flow.flow_id, status=status)
        failures = self._completion.finish(OAuthResult(status, authenticated, self._ac_id, message))
        if failures:
            self.message = f"{message} (an on_complete callback failed: {failures[0]})"

    def _on_internal_error(self, kind: str, exc: BaseException) -> None:
        self._finish("error", f"Internal error while handling {kind!r} ({type(exc).__name__}).")
