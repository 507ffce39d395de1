"""OAuthPopup after the sign-in came back and Cyclr still says ``Authenticated: false``: when
the diagnosis knows why (required properties without a value, the customer's OAuth app), the
popup names it instead of "Sign-in was denied". Kernel-free (the protocol played by hand, as
``test_oauth_popup_protocol.py``), then against the sandbox (the browser played with HTTP)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest

from cyclr_widgets.client import CyclrClient
from cyclr_widgets.core import AccountConnector, NotFoundError
from cyclr_widgets.sandbox import Sandbox
from cyclr_widgets.widgets._flow import OAuthFlow
from cyclr_widgets.widgets.oauth_popup import OAuthPopup
from tests.support.oauth_popup import AC_ID, ACCOUNT, NOTEBOOK, FakeClient, Player
from tests.support.sandbox import _session_sandbox, clock, run_flow, sb, script_values  # noqa: F401


def param(target: str, label: str) -> dict[str, Any]:
    return {"Name": label, "TargetName": target, "IsAccountConnectorProperty": True,
            "IsOptional": False}  # fmt: skip


LIBRARY = {"Id": 2550, "Name": "Acme CRM", "Parameters": [param("subdomain", "Sub domain")]}


class DiagnosedClient(FakeClient):
    """Cyclr's answer after a sign-in whose tokens came back but a property is missing."""

    def __init__(self, *, library: bool = True, nested: list[dict] | None = None) -> None:
        super().__init__()
        self.nested = nested or []
        if library:
            self.connector = self._connector  # only some clients have connector()
        self.library_error: Exception | None = None

    def account_connector(self, account_id: str, ac_id: int) -> AccountConnector:
        self.calls.append(("account_connector", account_id, ac_id))
        return AccountConnector.from_api(
            {
                "Id": ac_id,
                "Name": "Acme CRM",
                "Authenticated": False,
                "AuthValue": '{"AccessToken": "at-SECRET"}',
                "Connector": {"Id": 2550, "Name": "Acme CRM", "Parameters": self.nested},
                "Properties": [{"Name": "region", "Value": "eu"}],
            }
        )

    def _connector(self, connector_id: int, *, account_id: str) -> dict[str, Any]:
        self.calls.append(("connector", connector_id, account_id))
        if self.library_error is not None:
            raise self.library_error
        return LIBRARY


def sign_in(client: FakeClient) -> OAuthPopup:
    w = OAuthPopup(client, ACCOUNT, AC_ID)
    fe = Player(w)
    msg = fe.begin()["callback_message"]
    fe("navigated")
    fe("callback", data=msg)
    return w


def test_missing_properties_are_named_not_denied() -> None:
    client = DiagnosedClient()
    w = sign_in(client)
    assert w.status == "denied"  # the status keeps its meaning: not authenticated after signing in
    assert "denied" not in w.message.lower()
    assert w.message.startswith("The sign-in finished, but Cyclr did not authenticate Acme CRM.")
    assert "Required properties have no value: Sub domain (subdomain)." in w.message
    assert w.result is not None and not w.result.authenticated
    assert w.result.diagnosis is not None and w.result.diagnosis.codes == ("missing_properties",)
    assert w.result.message == w.message
    assert client.count("connector") == 1
    assert "SECRET" not in json.dumps(w.get_state()) and "SECRET" not in repr(w.result)


def test_without_connector_the_nested_parameters_are_read() -> None:
    w = sign_in(DiagnosedClient(library=False, nested=[param("subdomain", "Sub domain")]))
    assert "Sub domain (subdomain)" in w.message


def test_a_failing_library_read_falls_back_to_the_nested_connector() -> None:
    client = DiagnosedClient(nested=[param("subdomain", "Sub domain")])
    client.library_error = NotFoundError("Connector not found.", status_code=404)
    assert "Sub domain (subdomain)" in sign_in(client).message


def test_nothing_known_keeps_the_denied_text() -> None:
    w = sign_in(DiagnosedClient(library=False))
    assert w.message.startswith("Sign-in was denied or did not complete")
    assert w.result is not None and w.result.diagnosis is not None
    assert w.result.diagnosis.codes == ("sign_in_refused",)


def test_a_broken_diagnosis_never_breaks_the_flow() -> None:
    def boom(record: AccountConnector) -> None:
        raise RuntimeError("boom")

    flow = OAuthFlow(
        "https://acme-h.test.cyclr",
        AC_ID,
        issue_token=lambda: FakeClient().sign_in_token(ACCOUNT),
        confirm=lambda: AccountConnector(id=AC_ID, name="X", authenticated=False),
        diagnose=boom,
    )
    reply = flow.handle({"kind": "begin", "flow": "f1", "origin": NOTEBOOK}).reply
    assert reply is not None
    step = flow.handle({"kind": "callback", "flow": "f1", "data": reply["callback_message"]})
    assert step.confirm
    done = flow.confirm()
    assert done.status == "denied" and done.message is not None
    assert done.message.startswith("Sign-in was denied")
    assert done.result is not None and done.result.diagnosis is None


# -- against the sandbox: Allow on the provider, a required property missing ---------------------


@pytest.fixture
def client(sb: Sandbox) -> Iterator[CyclrClient]:  # noqa: F811
    with CyclrClient.from_env(sb.environ) as c:
        yield c


def needs_a_property(client: CyclrClient, account_id: str) -> dict[str, Any]:
    """An OAuth 2 authorisation-code connector with a required account connector property."""
    for conn in client.iter_connectors(account_id):
        auth = conn["Authentication"][0]
        required = [
            p for p in conn["Parameters"] if p["IsAccountConnectorProperty"] and not p["IsOptional"]
        ]
        if (
            conn["Status"] == "Approved"
            and required
            and ((auth["AuthType"], auth["OAuth2Type"]) == ("OAuth2", "AuthorisationCode"))
        ):
            return conn
    raise AssertionError("the seed has no such connector")


def test_allow_with_a_missing_property_names_it(sb: Sandbox, client: CyclrClient) -> None:  # noqa: F811
    conn = needs_a_property(client, sb.account_id)
    ac = client.install_connector(sb.account_id, conn["Id"], name="Needs a property")
    w = OAuthPopup(client, sb.account_id, ac.id)
    fe = Player(w)
    reply = fe.begin()
    fe("navigated")
    query = reply["url"].partition("?")[2]
    page = run_flow(sb, dict(parse_qsl(query)), "allow")
    # Allow completes the browser flow (the page still posts the message), but Cyclr keeps
    # the connector unauthenticated: a required property has no value.
    assert 'data-outcome="failed"' in page.text
    posted, _ = script_values(page.text)
    fe("callback", data=posted)
    required = [p for p in conn["Parameters"] if p["IsAccountConnectorProperty"]
                and not p["IsOptional"]]  # fmt: skip
    assert w.status == "denied" and "denied" not in w.message.lower()
    for p in required:
        assert p["TargetName"] in w.message
    assert w.result is not None and w.result.diagnosis is not None
    assert w.result.diagnosis.reasons[0].details["properties"] == [
        p["TargetName"] for p in required
    ]
    assert client.account_connector(sb.account_id, ac.id).authenticated is False
