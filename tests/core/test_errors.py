from __future__ import annotations

import pickle

import pytest

import cyclr_widgets
from cyclr_widgets import (
    AuthenticationError,
    ConflictError,
    CyclrError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    TransportError,
    ValidationError,
)
from cyclr_widgets.core import error_for_status, message_from_body, scrub


def test_tree() -> None:
    for cls in (
        AuthenticationError,
        ConflictError,
        NotFoundError,
        RateLimitError,
        ServerError,
        TransportError,
        ValidationError,
    ):
        assert issubclass(cls, CyclrError)
    assert issubclass(OutcomeUnknownError, TransportError)
    assert issubclass(ValidationError, ValueError)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (401, AuthenticationError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, CyclrError),
    ],
)
def test_status_mapping(status: int, cls: type[CyclrError]) -> None:
    err = error_for_status(status, b'{"Message": "nope"}', method="GET", path="/v1.0/x")
    assert type(err) is cls
    assert (err.status_code, err.message, err.method, err.path) == (
        status,
        "nope",
        "GET",
        "/v1.0/x",
    )
    assert str(err) == f"GET /v1.0/x returned {status}: nope"


def test_rate_limit_carries_retry_after() -> None:
    err = error_for_status(429, b"", method="GET", path="/p", reason="Too Many", retry_after=3.0)
    assert isinstance(err, RateLimitError) and err.retry_after == 3.0
    assert err.message == "Too Many"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b'{"Message": "Connector 5 is a draft and cannot be installed."}',
            "Connector 5 is a draft and cannot be installed.",
        ),
        (
            b'{"Message": "The request is invalid.", "ModelState": {"Name": ["Name is required"]}}',
            "The request is invalid. Name: Name is required",
        ),
        (b'{"error": "invalid_client"}', "invalid_client"),
        (b'"plain json string"', "plain json string"),
        (b"plain text", "plain text"),
        (b"<html>gateway</html>", "fallback"),
        (b"", "fallback"),
        (b"{}", "fallback"),
    ],
)
def test_message_from_body(body: bytes, expected: str) -> None:
    assert message_from_body(body, "fallback") == expected


def test_scrub() -> None:
    assert scrub("token abcdef and abcdef", ["abcdef", None, ""]) == "token *** and ***"
    assert scrub("a b", ["a"]) == "a b"  # too short to be a secret


def test_repr_and_pickle() -> None:
    err = OutcomeUnknownError("maybe", check="client.x()", method="POST", path="/p")
    assert "OutcomeUnknownError(message='maybe'" in repr(err)
    assert str(err) == "POST /p failed: maybe"
    assert CyclrError("plain").__str__() == "plain"
    copy = pickle.loads(pickle.dumps(NotFoundError("x", status_code=404, method="GET", path="/p")))
    assert isinstance(copy, NotFoundError)


def test_exported_from_package() -> None:
    assert cyclr_widgets.CyclrError is CyclrError
    assert cyclr_widgets.OutcomeUnknownError is OutcomeUnknownError
