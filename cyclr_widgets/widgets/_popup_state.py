"""The state and wiring of an OAuth sign-in, shared by ``OAuthPopup`` and the popup part.

``OAuthPopup`` (a widget of its own) and ``OAuthPopupPart`` (the popup inside
``ConnectorBrowser`` and ``AccountExplorer``, hosted on their model) are this class with a
different host: the traits, the ``OAuthFlow`` and the message wiring are the same (see
``oauth_popup.py``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import traitlets as t

from ..core import (
    AccountConnector,
    CyclrError,
    Diagnosis,
    PopupClient,
    SignInToken,
    diagnose_account_connector,
)
from ._completion import Completion
from ._flow import OAuthFlow
from ._flow_types import KINDS, STATUSES, Message, OAuthResult, Step
from ._parts import Part
from ._rpc import MessageRouter, RpcError

__all__ = ["OAuthPopupPart", "PopupState"]

_NO_SERVICE_URL = (
    "OAuthPopup needs client.service_url, the partner's service domain (e.g. "
    "'https://acme-h.eu.cyclr.com'); set CYCLR_SERVICE_URL or pass service_url=."
)


class PopupState(t.HasTraits):
    """The traits, flow and wiring of one account connector's sign-in (see ``OAuthPopup``)."""

    if TYPE_CHECKING:  # provided by the host class: anywidget.AnyWidget or Part

        def send(self, content: dict[str, Any], buffers: Any = None) -> None: ...

        def on_msg(self, callback: Callable[..., None], remove: bool = False) -> None: ...

        def hold_sync(self) -> contextlib.AbstractContextManager[Any]: ...

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
        username: str | None = None,
        **kwargs: Any,
    ) -> None:
        service_url = getattr(client, "service_url", None)
        if not service_url:
            raise ValueError(_NO_SERVICE_URL)
        if not isinstance(account_id, str) or not account_id.strip():
            raise ValueError("account_id must be a non-empty string (the Cyclr account's id).")
        ac_id = account_connector_id
        if isinstance(ac_id, str) and ac_id.strip().isdigit():
            ac_id = int(ac_id)
        if isinstance(ac_id, bool) or not isinstance(ac_id, int) or ac_id <= 0:
            msg = f"account_connector_id must be a positive integer, got {account_connector_id!r}."
            raise ValueError(msg)
        self._account_id = account = account_id.strip()
        self._ac_id: int = ac_id
        self._clock: Callable[[], float] = time.monotonic  # replaceable in tests
        self._completion: Completion[OAuthResult] = Completion("OAuthPopup")

        # No username: the client signs in as an existing user of the account (Cyclr would
        # create a named user that does not exist, a stray user in the customer's account).
        def issue_token() -> SignInToken:
            if username is None:
                return client.sign_in_token(account)
            return client.sign_in_token(account, username=username)

        # Why a sign-in that came back left the connector unauthenticated: the library
        # connector's Parameters[] say which properties are required. PopupClient has no
        # connector() (a popup needs none to work), so it is used when the client has one.
        def diagnose(record: AccountConnector) -> Diagnosis:
            library = None
            fetch = getattr(client, "connector", None)
            if callable(fetch) and record.connector_id is not None:
                try:
                    library = fetch(record.connector_id, account_id=account)
                except CyclrError:  # the nested Connector may still list the parameters
                    library = None
            return diagnose_account_connector(record, library, outcome="denied")

        self._flow = OAuthFlow(
            service_url,
            ac_id,
            issue_token=issue_token,
            username=username,
            diagnose=diagnose,
            confirm=lambda: client.account_connector(account, ac_id),
            clock=lambda: self._clock(),
            connector_name=connector_name,
        )
        super().__init__(
            connector_name=connector_name, expected_origin=self._flow.expected_origin, **kwargs
        )
        self._flow.timeout_s, self._flow.closed_grace_s = self.timeout_s, self.closed_grace_s
        self.observe(self._to_flow, names=["connector_name", "timeout_s", "closed_grace_s"])
        # A lambda, not the bound method: tests (and hosts) may replace `send` after init.
        self._router = MessageRouter(lambda msg: self.send(msg), on_error=self._on_internal_error)
        for kind in KINDS:  # every protocol message goes to the flow
            self._router.register(kind, self._on_message)
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
        return self._flow.sign_in_url(target_origin or self.expected_origin)

    # -- wiring: messages -> flow -> traits, messages, on_complete ------------------------------

    def _on_message(self, content: dict[str, Any]) -> Message | None:
        reply, error = self._drive(self._flow.handle(content))
        if error is not None:
            raise RpcError(error)  # the router answers `<kind>:error`
        return reply  # the router answers `<kind>:ok` (or nothing for None)

    def _tick(self) -> None:
        # Called from wait(): the kernel enforces the deadline even if the browser went away.
        self._drive(self._flow.tick())

    def _on_internal_error(self, kind: str, exc: BaseException) -> None:
        self._drive(self._flow.fail(kind, exc))

    def _to_flow(self, change: dict[str, Any]) -> None:
        setattr(self._flow, change["name"], change["new"])

    def _drive(self, step: Step) -> tuple[Message | None, str | None]:
        """Apply ``step`` and the confirmations it asks for; return the reply or the error."""
        reply, error = step.reply, step.error
        self._apply(step)
        while step.confirm:  # shown first: "checking with Cyclr" is on screen meanwhile
            step = self._flow.confirm()
            self._apply(step)
            reply = reply if reply is not None else step.reply
            error = error if error is not None else step.error
        return reply, error

    def _apply(self, step: Step) -> None:
        if step.active:
            self._completion.start()
        with self.hold_sync():  # one update message: the view never shows a mismatched pair
            if step.connector_name is not None:
                self.connector_name = step.connector_name
            if step.status is not None:
                self.status = step.status
            if step.message is not None:
                self.message = step.message
            if step.active is not None:
                self.flow_active = step.active
        for message in step.send:
            self.send(message)
        if step.result is not None:
            failures = self._completion.finish(step.result)
            if failures:
                text = f"{step.result.message} (an on_complete callback failed: {failures[0]})"
                self.message = text


class OAuthPopupPart(PopupState, Part):
    """The OAuth popup inside a composed widget (``js/parts/oauth_popup_view.js``).

    The same API as :class:`OAuthPopup` (``on_complete``, ``wait()``, ``await``, ``result``,
    ``sign_in_url``), its state and messages on the host widget's model.
    """
