"""OAuthPopup's kernel side with the real CyclrClient against the loopback sandbox.

The browser is played with plain HTTP: the URL from ``begin:ok`` goes through the sandbox's
service-domain page, the fake provider's consent form and the completion page, whose script
literal is the message the page would post to the opener.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import parse_qsl

import httpx
import pytest

from cyclr_widgets.client import CyclrClient
from cyclr_widgets.sandbox import Sandbox
from cyclr_widgets.widgets.oauth_popup import OAuthPopup
from tests.support.oauth_popup import NOTEBOOK, Player
from tests.support.sandbox import _session_sandbox, clock, run_flow, sb, script_values  # noqa: F401


@pytest.fixture
def client(sb: Sandbox) -> Iterator[CyclrClient]:  # noqa: F811
    with CyclrClient.from_env(sb.environ) as c:
        yield c


def browse(sb: Sandbox, url: str, decision: str = "allow") -> str:  # noqa: F811
    """Follow the sign-in URL like a browser; return the completion page's posted message."""
    path, _, query = url.partition("?")
    assert path == sb.service_url + "/connectorauth/updateaccountconnectoroauth"
    page = run_flow(sb, dict(parse_qsl(query)), decision)
    message, target = script_values(page.text)
    assert target == NOTEBOOK
    return str(message)


@pytest.mark.parametrize(("decision", "status"), [("allow", "authenticated"), ("deny", "denied")])
def test_flow_against_the_sandbox(
    sb: Sandbox,  # noqa: F811
    client: CyclrClient,
    decision: str,
    status: str,
) -> None:
    ac_id = sb.ids["oauth_account_connector_id"]
    sb.configure(deny_completes=True)  # the deny path also posts the message, as Cyclr may
    w = OAuthPopup(client, sb.account_id, ac_id)
    fe = Player(w)
    reply = fe.begin()
    assert reply["kind"] == "begin:ok" and reply["expected_origin"] == sb.service_url
    fe("navigated")
    posted = browse(sb, reply["url"], decision)
    assert posted == reply["callback_message"]
    fe("callback", data=posted)
    assert w.status == status
    assert w.result is not None and w.result.authenticated is (status == "authenticated")
    state = json.dumps(w.get_state())
    assert reply["url"] not in state and posted.split(":")[2] not in state


def test_sign_in_token_is_single_use_and_refresh_gives_a_working_one(
    sb: Sandbox,  # noqa: F811
    client: CyclrClient,
) -> None:
    w = OAuthPopup(client, sb.account_id, sb.ids["oauth_account_connector_id"])
    fe = Player(w)
    reply = fe.begin(blocked=True)
    browse(sb, reply["url"], "deny")  # the user opened the link once and gave up
    # spent: the link must be renewed (the timeout only guards against a hang)
    assert httpx.get(reply["url"], timeout=60).status_code == 403
    fe("refresh")
    fresh = fe.sent[-1]
    assert fresh["kind"] == "refresh:ok" and fresh["url"] != reply["url"]
    assert browse(sb, fresh["url"]) == reply["callback_message"]
    fe("poll")  # a blocked flow may see no message at all: polling finds the result
    assert w.status == "authenticated"


def test_api_error_from_cyclr_is_shown(sb: Sandbox, client: CyclrClient) -> None:  # noqa: F811
    w = OAuthPopup(client, "00000000-0000-0000-0000-000000000000", 1)
    fe = Player(w)
    reply = fe.begin()
    assert reply["kind"] == "begin:error" and w.status == "error"
    assert w.message == reply["message"] and w.message
