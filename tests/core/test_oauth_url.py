from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from cyclr_widgets import SignInToken, oauth_url
from cyclr_widgets.core import is_origin, origin_of

SERVICE = "https://acme-h.eu.cyclr.com"


def test_documented_example_token_is_encoded() -> None:
    url = oauth_url(SERVICE, 54321, "ABCD12340000000000000=", "https://notebook.example", "done")
    assert url == (
        "https://acme-h.eu.cyclr.com/connectorauth/updateaccountconnectoroauth"
        "?id=54321&token=ABCD12340000000000000%3D"
        "&targetOrigin=https%3A%2F%2Fnotebook.example&callbackMessage=done"
    )


def test_every_value_is_encoded_and_round_trips() -> None:
    token = "a+b/c=d&e?f#g h"
    message = "done & dusted=yes/no+maybe"
    url = oauth_url(SERVICE + "/", 7, token, "http://127.0.0.1:8888", message)
    parts = urlsplit(url)
    assert parts.path == "/connectorauth/updateaccountconnectoroauth"
    assert "+" not in parts.query and "/" not in parts.query and " " not in parts.query
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {
        "id": ["7"],
        "token": [token],
        "targetOrigin": ["http://127.0.0.1:8888"],
        "callbackMessage": [message],
    }


def test_without_callback_message_redirect_url() -> None:
    url = oauth_url(SERVICE, 1, "t", "https://app.example/complete?x=1")
    assert "callbackMessage" not in url
    assert parse_qs(urlsplit(url).query)["targetOrigin"] == ["https://app.example/complete?x=1"]


def test_accepts_sign_in_token_record() -> None:
    tok = SignInToken(token="x/y=", expires_at=None)
    assert "token=x%2Fy%3D" in oauth_url(SERVICE, 1, tok, "https://a.example", "done")


def test_non_http_origin_allowed_with_callback_message() -> None:
    url = oauth_url(SERVICE, 1, "t", "vscode-webview://abc123", "done")
    assert "targetOrigin=vscode-webview%3A%2F%2Fabc123" in url


@pytest.mark.parametrize(
    "target",
    [
        "*",
        "null",
        "",
        "notebook.example",
        "/relative",
        "https://",
        " https://a.example",
        "https://u@a.example",
    ],
)
def test_rejects_bad_target_origin(target: str) -> None:
    with pytest.raises(ValueError, match="target_origin"):
        oauth_url(SERVICE, 1, "t", target, "done")


def test_redirect_needs_http_url() -> None:
    with pytest.raises(ValueError, match="redirect"):
        oauth_url(SERVICE, 1, "t", "vscode-webview://abc123")


@pytest.mark.parametrize("ac_id", ["54321", 0, -1, True, 1.0, None])
def test_rejects_bad_account_connector_id(ac_id: object) -> None:
    with pytest.raises(ValueError, match="account_connector_id"):
        oauth_url(SERVICE, ac_id, "t", "https://a.example", "done")  # type: ignore[arg-type]


@pytest.mark.parametrize("service", ["acme-h.cyclr.com", "ftp://acme", "", "https://a.example?x=1"])
def test_rejects_bad_service_url(service: str) -> None:
    with pytest.raises(ValueError, match="service_url"):
        oauth_url(service, 1, "t", "https://a.example", "done")


@pytest.mark.parametrize("token", ["", "   ", None])
def test_rejects_empty_token(token: object) -> None:
    with pytest.raises(ValueError, match="token"):
        oauth_url(SERVICE, 1, token, "https://a.example", "done")  # type: ignore[arg-type]


def test_origin_helpers() -> None:
    assert is_origin("https://a.example:8443")
    assert not is_origin("https://a.example/")
    assert not is_origin("*")
    assert origin_of("HTTPS://A.example:8443/x?y") == "https://a.example:8443"
    with pytest.raises(ValueError):
        origin_of("nope")
