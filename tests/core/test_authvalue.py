from __future__ import annotations

import base64
import json
import pickle
from datetime import datetime, timedelta, timezone

import pytest

from cyclr_widgets import AuthValue


def test_api_key() -> None:
    value = AuthValue.api_key("k-123")
    assert value.reveal() == "k-123"
    assert value.kind == "api_key"


def test_basic_matches_documented_example() -> None:
    assert AuthValue.basic("username", "password").reveal() == "dXNlcm5hbWU6cGFzc3dvcmQ="


def test_basic_utf8_and_colon_in_password() -> None:
    value = AuthValue.basic("jörg", "p:ss")
    assert base64.b64decode(value.reveal()).decode() == "jörg:p:ss"
    with pytest.raises(ValueError, match="':'"):
        AuthValue.basic("a:b", "pw")


def test_oauth_tokens_json() -> None:
    expires = datetime(2021, 10, 1, 2, 0, tzinfo=timezone(timedelta(hours=2)))
    value = AuthValue.oauth_tokens("at", "rt", expires, "2022-10-01T00:00:00Z")
    assert json.loads(value.reveal()) == {
        "AccessToken": "at",
        "RefreshToken": "rt",
        "Expires": "2021-10-01T00:00:00Z",
        "RefreshExpires": "2022-10-01T00:00:00Z",
    }


def test_oauth_tokens_minimal_and_checks() -> None:
    assert json.loads(AuthValue.oauth_tokens("at").reveal()) == {"AccessToken": "at"}
    with pytest.raises(ValueError, match="timezone"):
        AuthValue.oauth_tokens("at", expires=datetime(2021, 1, 1))
    with pytest.raises(ValueError):
        AuthValue.oauth_tokens("")


def test_empty() -> None:
    assert AuthValue.empty().reveal() == "{}"


@pytest.mark.parametrize(
    "value",
    [
        AuthValue.api_key("k-123-secret"),
        AuthValue.basic("user", "hunter2-secret"),
        AuthValue.oauth_tokens("at-secret", "rt-secret"),
        AuthValue("raw-secret"),
    ],
)
def test_repr_and_str_mask(value: AuthValue) -> None:
    for text in (repr(value), str(value), f"{value}", f"{[value]}"):
        assert "secret" not in text and "***" in text
        assert value.reveal() not in text


def test_equality_hash_and_pickle() -> None:
    assert AuthValue.api_key("a") == AuthValue("a")
    assert AuthValue.api_key("a") != AuthValue("b")
    assert len({AuthValue("a"), AuthValue("a")}) == 1
    assert pickle.loads(pickle.dumps(AuthValue.api_key("a"))).reveal() == "a"


def test_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        AuthValue(123)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        AuthValue.api_key("")
