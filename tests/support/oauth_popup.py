"""Shared fakes for the OAuthPopup tests: a duck-typed client and a front-end player."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from cyclr_widgets.core import AccountConnector, SignInToken
from cyclr_widgets.widgets.oauth_popup import OAuthPopup

SERVICE = "http://127.0.0.1:51235"
NOTEBOOK = "http://127.0.0.1:8888"
ACCOUNT = "acc-1234"
AC_ID = 42


class FakeClient:
    """The part of CyclrClient the widget uses, with scripted answers and errors."""

    def __init__(self, service_url: str | None = SERVICE) -> None:
        self.service_url = service_url
        self.authenticated = False
        self.tokens: list[str] = []
        self.token_errors: list[Exception] = []
        self.connector_errors: list[Exception] = []
        self.token_ttl = timedelta(minutes=5)
        self.calls: list[tuple[Any, ...]] = []

    def sign_in_token(self, account_id: str, username: str | None = None) -> SignInToken:
        self.calls.append(("sign_in_token", account_id, username))
        if self.token_errors:
            raise self.token_errors.pop(0)
        # '+', '/' and '=' as in real tokens: the URL must encode them
        token = f"SECRET+tok/{len(self.tokens)}=="
        self.tokens.append(token)
        return SignInToken(token=token, expires_at=datetime.now(timezone.utc) + self.token_ttl)

    def account_connector(self, account_id: str, ac_id: int) -> AccountConnector:
        self.calls.append(("account_connector", account_id, ac_id))
        if self.connector_errors:
            raise self.connector_errors.pop(0)
        return AccountConnector(id=ac_id, name="Salesforce", authenticated=self.authenticated)

    def count(self, name: str) -> int:
        return sum(1 for call in self.calls if call[0] == name)


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Player:
    """Plays the browser: sends custom messages into the widget and records its replies."""

    def __init__(self, widget: OAuthPopup) -> None:
        self.w = widget
        self.sent: list[dict[str, Any]] = []
        widget.send = lambda content, buffers=None: self.sent.append(content)  # type: ignore[method-assign]
        self.flow = "flow-1"

    def __call__(self, kind: str, **fields: Any) -> None:
        self.w._handle_custom_msg({"kind": kind, "flow": self.flow, **fields}, [])

    def begin(self, flow: str = "flow-1", origin: str = NOTEBOOK, blocked: bool = False) -> dict:
        self.flow = flow
        self("begin", origin=origin, blocked=blocked)
        return self.sent[-1]

    def last(self, kind: str) -> dict[str, Any] | None:
        return next((m for m in reversed(self.sent) if m["kind"] == kind), None)

    def kinds(self) -> list[str]:
        return [m["kind"] for m in self.sent]


def make(client: FakeClient | None = None, **kwargs: Any) -> tuple[OAuthPopup, Player, FakeClient]:
    client = client or FakeClient()
    widget = OAuthPopup(client, ACCOUNT, AC_ID, **kwargs)
    return widget, Player(widget), client
