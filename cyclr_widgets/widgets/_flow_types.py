"""The OAuth flow's vocabulary: its statuses and texts, what it ends with, what it decides.

``OAuthFlow`` (``_flow.py``) takes the front end's messages and returns a :class:`Step`; a flow
that ends yields an :class:`OAuthResult`. Neither record holds a secret in its repr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..core import Diagnosis

__all__ = ["KINDS", "STATUSES", "TEXT", "Message", "OAuthResult", "Step"]

# fmt: off
STATUSES = ("idle", "opening", "waiting", "verifying", "authenticated", "denied", "cancelled",
            "blocked", "timeout", "error")
KINDS = ("begin", "navigated", "callback", "closed", "poll", "check", "refresh", "cancel",
         "deadline")  # what the front end sends: the protocol table in ARCHITECTURE.md
# fmt: on
TEXT = {
    "opening": "Opening the sign-in window…",
    "signing_in_as": "Signing in as {user}… {then}",
    "blocked": "The browser did not open a pop-up window. Open the sign-in page with the link "
    "below; this widget keeps checking with Cyclr.",
    "waiting": "Waiting for you to sign in to {label} in the pop-up…",
    "verifying": "Sign-in finished; checking with Cyclr…",
    "authenticated": "Connected: {label} is authenticated.",
    "denied": "Sign-in was denied or did not complete: the connector is still not authenticated.",
    # After the sign-in came back, when the diagnosis names the cause (never "denied" then).
    "not_authenticated": "The sign-in finished, but Cyclr did not authenticate {label}. {why}",
    "cancelled": "Sign-in was cancelled.",
    "closed": "The sign-in window was closed before Cyclr confirmed the connection.",
    "closed_wait": "The sign-in window looks closed; still checking with Cyclr (press Cancel if "
    "you closed it).",
    "timeout": "Sign-in timed out after {minutes} min: the connector is still not authenticated.",
    "bad_origin": "The notebook page's origin is not a valid origin; cannot start the sign-in.",
    "bad_flow": "The widget sent an invalid flow id.",
}
Message = dict[str, Any]


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
    diagnosis : Diagnosis or None
        Why the connector is not authenticated, for a flow that ended ``denied`` (the sign-in
        came back, Cyclr still says ``Authenticated: false``): ``diagnosis.reasons`` name the
        missing properties, the missing OAuth app, or a refused sign-in. None otherwise.
    """

    status: str
    authenticated: bool
    account_connector_id: int
    message: str
    diagnosis: Diagnosis | None = field(default=None, compare=False)


@dataclass(frozen=True, repr=False)
class Step:
    """What the host does after one event (None: unchanged, nothing to do).

    A host applies a step in the order of its fields: it shows the state (``status``,
    ``message``, ``connector_name``, ``active``), sends ``send``, completes with ``result``;
    then, if ``confirm``, it calls ``OAuthFlow.confirm()`` and applies that step the same way.
    The request's answer is the ``reply`` or ``error`` of these steps.

    Attributes
    ----------
    status, message : str or None
        Show these (a status from :data:`STATUSES`, a human-readable message).
    connector_name : str or None
        The connector's name, learnt from Cyclr.
    active : bool or None
        True: a flow started (a host's "last result" is now stale); False: it ended.
    send : tuple of dict
        Messages to send to the front end, in order, after the state above (an unprompted
        ``refresh:ok``, ``end``).
    result : OAuthResult or None
        The flow ended with this outcome.
    confirm : bool
        Call :meth:`OAuthFlow.confirm` next (after showing this step) and handle its step too.
    reply : dict or None
        The answer to a request, sent as ``<kind>:ok`` with these fields.
    error : str or None
        The request failed: answer ``<kind>:error`` with this message.
    """

    status: str | None = None
    message: str | None = None
    connector_name: str | None = None
    active: bool | None = None
    send: tuple[Message, ...] = ()
    result: OAuthResult | None = None
    confirm: bool = False
    reply: Message | None = None
    error: str | None = None

    def __repr__(self) -> str:
        # reply and send carry the sign-in URL: only their shape is shown
        shown = ("status", "message", "connector_name", "active", "result", "error")
        fields = {k: getattr(self, k) for k in shown} | {"confirm": self.confirm or None}
        parts = [f"{k}={v!r}" for k, v in fields.items() if v is not None]
        if self.send:
            parts.append(f"send={tuple(m.get('kind') for m in self.send)!r}")
        if self.reply is not None:
            parts.append(f"reply=<{', '.join(sorted(self.reply))}>")
        return f"Step({', '.join(parts)})"
