"""``twin.request()``: the escape hatch, with the client's auth, retries, errors and masking."""

from __future__ import annotations

import httpx
import pytest

from cyclr_widgets import NotFoundError, OutcomeUnknownError, ValidationError
from tests.support.client import (
    ACCOUNT,
    API,
    BEARER_PREFIX,
    FakeCyclr,
    body,
    error_response,
    json_response,
)
from tests.support.twins import Twin


def test_get_with_query_and_account_header(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/future/things", json_response([{"Id": 1}]))
    got = twin.request("get", "/v1.0/future/things", account=ACCOUNT, params={"a": 1, "b": None})
    assert got == [{"Id": 1}]
    sent = fake.calls()[0]
    assert sent.url.host == httpx.URL(API).host
    assert dict(sent.url.params) == {"a": "1"}
    assert sent.headers["X-Cyclr-Account"] == ACCOUNT
    assert sent.headers["Authorization"].startswith(f"Bearer {BEARER_PREFIX}")


def test_partner_level_post_and_an_empty_answer(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/accounts/x/newthing", httpx.Response(200))
    assert twin.request("POST", "/v1.0/accounts/x/newthing", json={"Name": "n"}) is None
    sent = fake.calls()[0]
    assert "X-Cyclr-Account" not in sent.headers and body(sent) == {"Name": "n"}


def test_idempotent_verbs_are_retried_others_are_not(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("PUT", "/v1.0/x", error_response(503, "busy"), json_response({"ok": True}))
    fake.add("PATCH", "/v1.0/x", error_response(503, "busy"))
    assert twin.request("PUT", "/v1.0/x", json={}) == {"ok": True}
    with pytest.raises(OutcomeUnknownError):
        twin.request("PATCH", "/v1.0/x", json={})
    assert [r.method for r in fake.calls()] == ["PUT", "PUT", "PATCH"]


def test_typed_errors_and_masked_body_secrets(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/y", error_response(404, "no such thing for key raw-api-key-77"))
    with pytest.raises(NotFoundError) as info:
        twin.request("POST", "/v1.0/y", json={"Name": "n", "ApiKey": "raw-api-key-77"})
    text = str(info.value) + repr(info.value) + info.value.message
    assert "raw-api-key-77" not in text and "***" in text
    assert body(fake.calls()[0])["ApiKey"] == "raw-api-key-77"  # sent as given


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "https://evil.example/v1.0/accounts"),
        ("GET", "//evil.example/v1.0/accounts"),
        ("GET", "v1.0/accounts"),
        ("GET", "/v1.0/\\evil"),
        ("GET", "/v1.0/accounts?page=2"),
        ("GET", "/v1.0/../oauth/token"),
        ("GET", "/v1.0/a b"),
        ("GET", 42),
        ("TRACE", "/v1.0/accounts"),
        ("", "/v1.0/accounts"),
    ],
)
def test_bad_paths_and_verbs_are_refused_before_sending(
    twin: Twin, fake: FakeCyclr, method: str, path: str
) -> None:
    with pytest.raises(ValidationError):
        twin.request(method, path)
    assert fake.calls() == []
    assert fake.tokens_issued == 0  # not even a token was fetched


def test_bad_account_and_params_are_refused(twin: Twin, fake: FakeCyclr) -> None:
    with pytest.raises(ValidationError):
        twin.request("GET", "/v1.0/x", account="a/b")
    with pytest.raises(ValidationError):
        twin.request("GET", "/v1.0/x", params=[("a", 1)])  # type: ignore[arg-type]
    assert fake.calls() == []
