"""Sign-in token rules and the service-domain OAuth page flow, driven with an HTTP client."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from cyclr_widgets.sandbox.routes._pages import js_literal
from tests.support.sandbox import *  # noqa: F403
from tests.support.sandbox import HTTP, oauth_params, run_flow, script_values, signin

PAGE = "/connectorauth/updateaccountconnectoroauth"


def _open(sb: Sandbox, params: dict[str, object]) -> httpx.Response:
    return HTTP.get(sb.service_url + PAGE, params=params)


def _authed(api: httpx.Client, ac: int) -> bool:
    return bool(api.get(f"/v1.0/account/connectors/{ac}").json()["Authenticated"])


def test_allow_with_callback_message(sb: Sandbox, api: httpx.Client) -> None:
    ac = sb.ids["oauth_account_connector_id"]
    assert not _authed(api, ac)
    msg, origin = "cyclr-nb:f1:abc", "http://127.0.0.1:8888"
    r = run_flow(sb, oauth_params(ac, signin(api, sb.account_id), origin, msg))
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert script_values(r.text) == (msg, origin)
    assert "window.opener || parent" in r.text and "postMessage(message, targetOrigin)" in r.text
    assert "window.close()" in r.text
    assert _authed(api, ac)
    state = sb.account_connector_state(sb.account_id, ac)
    assert state["Authenticated"] and state["HasAuthValue"]
    assert state["AccessToken"] and state["RefreshToken"] and state["AccessToken"] not in r.text


def test_provider_tokens_are_random(sb: Sandbox, api: httpx.Client) -> None:
    ac = sb.ids["oauth_account_connector_id"]
    run_flow(sb, oauth_params(ac, signin(api, sb.account_id)))
    first = sb.account_connector_state(sb.account_id, ac)["AccessToken"]
    run_flow(sb, oauth_params(ac, signin(api, sb.account_id)))
    assert sb.account_connector_state(sb.account_id, ac)["AccessToken"] != first


def test_allow_without_callback_message_redirects(sb: Sandbox, api: httpx.Client) -> None:
    ac = sb.ids["oauth1_account_connector_id"]
    target = "http://127.0.0.1:8888/done?x=1"
    r = run_flow(sb, oauth_params(ac, signin(api, sb.account_id), target, None))
    assert r.status_code == 302 and r.headers["location"] == target
    assert _authed(api, ac)


def test_deny_completes_unauthenticated(sb: Sandbox, api: httpx.Client) -> None:
    ac = sb.ids["oauth_account_connector_id"]
    r = run_flow(sb, oauth_params(ac, signin(api, sb.account_id), message="m-1"), decision="deny")
    assert r.status_code == 200 and script_values(r.text)[0] == "m-1"
    assert 'data-outcome="denied"' in r.text
    assert not _authed(api, ac)
    r = run_flow(
        sb, oauth_params(ac, signin(api, sb.account_id), "http://127.0.0.1:1/x", None), "deny"
    )
    assert r.status_code == 302 and r.headers["location"] == "http://127.0.0.1:1/x"
    assert not sb.account_connector_state(sb.account_id, ac)["HasAuthValue"]


def test_deny_error_page_switch(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(deny_completes=False)
    ac = sb.ids["oauth_account_connector_id"]
    r = run_flow(sb, oauth_params(ac, signin(api, sb.account_id)), decision="deny")
    assert r.status_code == 400 and "postMessage" not in r.text


@pytest.mark.parametrize(
    ("mode", "snippet"), [("opener", "mode === 'opener'"), ("parent", "'parent'")]
)
def test_post_target_switch(sb: Sandbox, api: httpx.Client, mode: str, snippet: str) -> None:
    sb.configure(post_target=mode, close_after_post=False)
    r = run_flow(sb, oauth_params(sb.ids["oauth_account_connector_id"], signin(api, sb.account_id)))
    assert f'var mode = "{mode}";' in r.text and snippet in r.text
    assert "if (false)" in r.text  # close_after_post=False


def test_injection_is_escaped(sb: Sandbox, api: httpx.Client) -> None:
    evil = '</script><script>alert(1)</script>"\u2028'
    ac = sb.ids["oauth_account_connector_id"]
    r = run_flow(sb, oauth_params(ac, signin(api, sb.account_id), "http://127.0.0.1:8888", evil))
    assert "</script><script>" not in r.text and "alert(1)</script>" not in r.text
    assert script_values(r.text)[0] == evil
    assert js_literal("<&>") == '"\\u003c\\u0026\\u003e"'


@pytest.mark.parametrize("target", ["javascript:alert(1)", "not a url", "/relative"])
def test_bad_target_origin_is_rejected(sb: Sandbox, api: httpx.Client, target: str) -> None:
    r = _open(
        sb,
        oauth_params(
            sb.ids["oauth_account_connector_id"], signin(api, sb.account_id), target, None
        ),
    )
    assert r.status_code == 400 and "javascript:" not in r.headers.get("location", "")


def test_target_origin_required_switch(sb: Sandbox, api: httpx.Client) -> None:
    ac = sb.ids["oauth_account_connector_id"]
    assert _open(sb, oauth_params(ac, signin(api, sb.account_id), None, "m")).status_code == 400
    sb.configure(require_target_origin=False)
    r = run_flow(sb, oauth_params(ac, signin(api, sb.account_id), None, None))
    assert r.status_code == 200 and "close this window" in r.text


# -- sign-in token rules -------------------------------------------------------------------------


def test_signin_token_single_use(sb: Sandbox, api: httpx.Client) -> None:
    params = oauth_params(sb.ids["oauth_account_connector_id"], signin(api, sb.account_id))
    assert _open(sb, params).status_code == 302
    r = _open(sb, params)
    assert r.status_code == 403 and "403 - Forbidden: Access is denied." in r.text


def test_signin_token_expiry(sb: Sandbox, api: httpx.Client, clock) -> None:
    token = signin(api, sb.account_id)
    clock.advance(301)
    assert _open(sb, oauth_params(sb.ids["oauth_account_connector_id"], token)).status_code == 403


def test_signin_token_ttl_switch(sb: Sandbox, api: httpx.Client, clock) -> None:
    sb.configure(signin_token_ttl=10)
    token = signin(api, sb.account_id)
    clock.advance(11)
    assert _open(sb, oauth_params(sb.ids["oauth_account_connector_id"], token)).status_code == 403
    fresh = signin(api, sb.account_id)
    clock.advance(9)
    assert _open(sb, oauth_params(sb.ids["oauth_account_connector_id"], fresh)).status_code == 302


def test_signin_token_wrong_account_and_bad_ids(sb: Sandbox, api: httpx.Client) -> None:
    other_ac = sb.ids["other_oauth_account_connector_id"]
    assert _open(sb, oauth_params(other_ac, signin(api, sb.account_id))).status_code == 403
    for bad in ("abc", "999999", ""):
        assert _open(sb, oauth_params(bad, signin(api, sb.account_id))).status_code == 403  # type: ignore[arg-type]
    assert _open(sb, {"id": other_ac}).status_code == 403
    assert _open(sb, oauth_params(other_ac, "made-up")).status_code == 403


def test_old_token_endpoint_works_on_the_page(sb: Sandbox, api: httpx.Client) -> None:
    token = api.post("/v1.0/accounts/tokens").json()["Token"]
    assert _open(sb, oauth_params(sb.ids["oauth_account_connector_id"], token)).status_code == 302


def test_non_oauth_connector_is_400(sb: Sandbox, api: httpx.Client) -> None:
    r = _open(sb, oauth_params(sb.ids["apikey_account_connector_id"], signin(api, sb.account_id)))
    assert r.status_code == 400


def test_signinwithtoken_page(sb: Sandbox, api: httpx.Client) -> None:
    token = signin(api, sb.account_id)
    assert (
        HTTP.get(sb.service_url + "/account/signinwithtoken", params={"token": token}).status_code
        == 200
    )
    assert (
        HTTP.get(sb.service_url + "/account/signinwithtoken", params={"token": token}).status_code
        == 403
    )


# -- provider and callback edge cases ------------------------------------------------------------


def test_coop_header_on_provider_only(sb: Sandbox, api: httpx.Client) -> None:
    ac = sb.ids["oauth_account_connector_id"]
    r = _open(sb, oauth_params(ac, signin(api, sb.account_id)))
    assert "cross-origin-opener-policy" not in HTTP.get(r.headers["location"]).headers
    sb.configure(coop=True)
    r = _open(sb, oauth_params(ac, signin(api, sb.account_id)))
    consent = HTTP.get(r.headers["location"])
    assert consent.headers["cross-origin-opener-policy"] == "same-origin"
    assert "cross-origin-opener-policy" not in r.headers
    assert run_flow(sb, oauth_params(ac, signin(api, sb.account_id))).status_code == 200
    assert _authed(api, ac)


def test_callback_rejects_unknown_state_and_code(sb: Sandbox, api: httpx.Client) -> None:
    cb = sb.service_url + "/connector/callback"
    assert HTTP.get(cb, params={"state": "nope", "code": "x"}).status_code == 400
    r = _open(sb, oauth_params(sb.ids["oauth_account_connector_id"], signin(api, sb.account_id)))
    state = httpx.URL(r.headers["location"]).params["state"]
    assert HTTP.get(cb, params={"state": state, "code": "forged"}).status_code == 400
    assert HTTP.get(cb, params={"state": state, "code": "forged"}).status_code == 400  # state spent
    assert not _authed(api, sb.ids["oauth_account_connector_id"])


def test_provider_rejects_foreign_redirect(sb: Sandbox) -> None:
    r = HTTP.get(
        sb.provider_url + "/oauth/authorize",
        params={"state": "s", "redirect_uri": "http://127.0.0.1:1/steal"},
    )
    assert r.status_code == 400
    r = HTTP.post(
        sb.provider_url + "/oauth/authorize",
        data={"state": "s", "redirect_uri": "http://127.0.0.1:1/steal", "decision": "allow"},
    )
    assert r.status_code == 400
