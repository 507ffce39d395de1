"""``signin_url`` (B1) and ``webhook_url`` (B4): pure, validated, the token URL-encoded."""

from __future__ import annotations

import pytest

from cyclr_widgets import SignInToken, signin_url, webhook_url

SERVICE = "https://acme-h.eu.cyclr.com"


def test_signin_url_encodes_the_token() -> None:
    url = signin_url(SERVICE + "/", "AB+/12=")
    assert url == f"{SERVICE}/account/signinwithtoken?token=AB%2B%2F12%3D"


def test_signin_url_with_a_return_path_and_a_token_record() -> None:
    tok = SignInToken("JWxm_cYOq0m6-P=", None)
    url = signin_url(SERVICE, tok, "/launch")
    assert url == f"{SERVICE}/account/signinwithtoken?token=JWxm_cYOq0m6-P%3D&returnUrl=%2Flaunch"


@pytest.mark.parametrize(
    ("service", "token", "return_url"),
    [
        ("acme-h.cyclr.com", "t", None),
        ("ftp://acme", "t", None),
        (SERVICE, "", None),
        (SERVICE, "  ", None),
        (SERVICE, None, None),
        (SERVICE, "t", "https://evil.example/"),
        (SERVICE, "t", "//evil.example"),
        (SERVICE, "t", "launch"),
        (SERVICE, "t", "/a\\b"),
        (SERVICE, "t", "/a b"),
    ],
)
def test_signin_url_refuses_bad_input(service: str, token: object, return_url: object) -> None:
    with pytest.raises(ValueError):
        signin_url(service, token, return_url)  # type: ignore[arg-type]


def test_webhook_url() -> None:
    assert webhook_url(SERVICE + "/", "abcdefg") == f"{SERVICE}/api/webhook/abcdefg"
    assert webhook_url(SERVICE, "a=b") == f"{SERVICE}/api/webhook/a%3Db"


@pytest.mark.parametrize("identifier", ["", " ", "..", "a/b", "a?b", "a#b", "a b", None, 5])
def test_webhook_url_refuses_bad_identifiers(identifier: object) -> None:
    with pytest.raises(ValueError):
        webhook_url(SERVICE, identifier)  # type: ignore[arg-type]
