"""Issue #9 (hardening): bad input gets a Cyclr-shaped 4xx, never a 500, and changes nothing.

Each test here failed before the fix; tests/sandbox/test_bad_input.py runs the broad corpus.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from cyclr_widgets.sandbox import Sandbox
from cyclr_widgets.sandbox.routes import _api, _pages
from cyclr_widgets.sandbox.routes._http import MAX_PAGE_SIZE
from tests.support.sandbox import *  # noqa: F403
from tests.support.sandbox import HTTP, oauth_params, signin

PAGE = "/connectorauth/updateaccountconnectoroauth"


def _json_error(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    message = r.json()["Message"]
    assert isinstance(message, str) and message
    return message


def _total(api: httpx.Client, path: str) -> int:
    return int(api.get(path).headers["Total-Records"])


# -- 1. answers that were 500s -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
        # Deeper than ASP.NET's JSON MaxDepth (256) but shallow enough for Python to parse.
        b'{"Name": "deep", "X": ' + b'{"a":' * 300 + b"1" + b"}" * 300 + b"}",
    ],
    ids=["arrays", "objects", "depth-300"],
)
def test_deeply_nested_json_is_a_400(api: httpx.Client, body: bytes) -> None:
    before = _total(api, "/v1.0/accounts")
    _json_error(api.post("/v1.0/accounts", content=body), 400)
    assert _total(api, "/v1.0/accounts") == before


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1.0/accounts", b'{"Name": "\\ud800"}'),
        ("POST", "/v1.0/accounts", b'{"Name": "ok", "Id": "\\udfff"}'),
        ("POST", "/v1.0/accounts/{account}/signintoken", b'{"Username": "a\\ud800b"}'),
        ("PUT", "/v1.0/accounts/{account}", b'{"Description": "\\ud800"}'),
        ("PUT", "/v1.0/account/connectors/{ac}", b'{"Name": "\\ud800"}'),
        ("PUT", "/v1.0/cycles/{cycle}", b'{"Name": "\\ud800"}'),
        ("POST", "/v1.0/accounts", b'{"Name": "ok", "\\ud800": 1}'),
        # Raw surrogate bytes (CESU-8): Python's JSON decoder lets them through as well.
        ("POST", "/v1.0/accounts", b'{"Name": "\xed\xa0\x80"}'),
    ],
)
def test_lone_surrogates_are_a_400(
    api: httpx.Client, sb: Sandbox, method: str, path: str, body: bytes
) -> None:
    path = path.format(
        account=sb.account_id,
        ac=sb.ids["apikey_account_connector_id"],
        cycle=sb.ids["paused_cycle_ids"][0],
    )
    _json_error(api.request(method, path, content=body), 400)


@pytest.mark.parametrize("interval", [[], {}, [15], "15", 15.5, True])
def test_activate_with_a_non_integer_interval_is_a_400(
    api: httpx.Client, sb: Sandbox, interval: object
) -> None:
    cid = sb.ids["paused_cycle_ids"][0]
    r = api.put(f"/v1.0/cycles/{cid}/activate", json={"Interval": interval})
    assert "Interval" in _json_error(r, 400)
    assert api.get(f"/v1.0/cycles/{cid}").json()["Status"] == "Paused"


def _page_is_usable(sb: Sandbox, token: str) -> bool:
    params = oauth_params(sb.ids["oauth_account_connector_id"], token)
    return HTTP.get(sb.service_url + PAGE, params=params).status_code == 302


@pytest.mark.parametrize(
    "change",
    [
        {"targetOrigin": "http://["},
        {"targetOrigin": "https://[::1"},
        {"targetOrigin": "javascript:alert(1)"},
        {"targetOrigin": "*", "callbackMessage": None},
        {"targetOrigin": None},
        {"id": "abc"},
        {"id": "other"},
        {"id": "apikey"},
    ],
    ids=["ipv6", "ipv6-port", "js", "star", "no-target", "id-abc", "id-other", "id-apikey"],
)
def test_rejected_oauth_page_keeps_the_sign_in_token(
    sb: Sandbox, api: httpx.Client, change: dict[str, object]
) -> None:
    token = signin(api, sb.account_id)
    params = oauth_params(sb.ids["oauth_account_connector_id"], token)
    ids = {
        "other": sb.ids["other_oauth_account_connector_id"],
        "apikey": sb.ids["apikey_account_connector_id"],
    }
    for key, value in change.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = ids.get(str(value), value) if key == "id" else value
    r = HTTP.get(sb.service_url + PAGE, params=params)
    assert r.status_code in (400, 403), (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("text/html") and 'id="error"' in r.text
    assert _page_is_usable(sb, token)  # not spent by the rejected request
    assert not _page_is_usable(sb, token)  # and still single use


# -- 2. what the sandbox used to accept ----------------------------------------------------------


@pytest.mark.parametrize(
    "acc_id",
    ["a/b", "   ", "", "a?b", "a#b", "a\\b", "a\x00b", "a\nb", "a\x7fb", " padded", "x" * 101],
    ids=repr,
)
def test_bad_account_ids_are_refused(api: httpx.Client, acc_id: str) -> None:
    before = _total(api, "/v1.0/accounts")
    _json_error(api.post("/v1.0/accounts", json={"Name": "n", "Id": acc_id}), 400)
    assert _total(api, "/v1.0/accounts") == before


def test_id_and_name_limits_are_inclusive(api: httpx.Client) -> None:
    r = api.post("/v1.0/accounts", json={"Name": "n" * 255, "Id": "i" * 100})
    assert r.status_code == 200, r.text
    assert api.get("/v1.0/accounts/" + "i" * 100).json()["Name"] == "n" * 255


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/v1.0/accounts", {"Name": "n" * 256}),
        ("POST", "/v1.0/accounts", {"Name": "n", "Description": "d" * 4001}),
        ("PUT", "/v1.0/accounts/{account}", {"Name": "n" * 256}),
        ("POST", "/v1.0/accounts/{account}/signintoken", {"Username": "u" * 257}),
        ("PUT", "/v1.0/account/connectors/{ac}", {"Name": "n" * 256}),
        ("PUT", "/v1.0/account/connectors/{ac}", {"AuthValue": "k" * 65_537}),
        ("PUT", "/v1.0/cycles/{cycle}", {"Description": "d" * 4001}),
    ],
)
def test_overlong_fields_are_a_400(
    api: httpx.Client, sb: Sandbox, method: str, path: str, body: dict[str, str]
) -> None:
    path = path.format(
        account=sb.account_id,
        ac=sb.ids["apikey_account_connector_id"],
        cycle=sb.ids["paused_cycle_ids"][0],
    )
    _json_error(api.request(method, path, json=body), 400)


def _chunks(size: int) -> Iterator[bytes]:
    yield b'{"Name": "'
    for _ in range(size // 65_536):
        yield b"n" * 65_536
    yield b'"}'


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_bodies_over_the_limit_are_a_413(api: httpx.Client, chunked: bool) -> None:
    before = _total(api, "/v1.0/accounts")
    size = 5 * 1024 * 1024
    content = _chunks(size) if chunked else b"".join(_chunks(size))
    _json_error(api.post("/v1.0/accounts", content=content), 413)
    assert _total(api, "/v1.0/accounts") == before


def test_page_bodies_over_the_limit_are_a_413_page(sb: Sandbox) -> None:
    r = HTTP.post(sb.provider_url + "/oauth/authorize", content=b"state=" + b"s" * 2_000_000)
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")


def test_page_size_over_the_maximum_is_clamped_not_refused(api: httpx.Client) -> None:
    # Deliberately valid (the corpus leaves it out): Cyclr documents no maximum pageSize, and a
    # silent clamp (like its retention hours) keeps clients with a large page_size working.
    r = api.get("/v1.0/connectors", params={"pageSize": 10_000})
    total = int(r.headers["Total-Records"])
    assert r.status_code == 200 and len(r.json()) == min(total, MAX_PAGE_SIZE)


@pytest.mark.parametrize("tag", ["%", "_", "c_m", "%rm", "\\"])
def test_tag_filter_is_literal(api: httpx.Client, tag: str) -> None:
    r = api.get("/v1.0/templates", params={"tag": tag, "pageSize": 100})
    assert r.status_code == 200 and r.json() == []
    assert r.headers["Total-Records"] == "0"


def test_tag_filter_matches_whole_tags_with_case(api: httpx.Client) -> None:
    # Tags are case-sensitive in Cyclr since 2021-08-02 (D-rn); this test used to expect "CRM"
    # to match "crm".
    crm = api.get("/v1.0/templates", params={"tag": "crm", "pageSize": 100}).json()
    assert crm and all("crm" in t["Tags"] for t in crm)
    assert api.get("/v1.0/templates", params={"tag": "CRM"}).json() == []
    assert api.get("/v1.0/templates", params={"tag": "cr"}).json() == []


@pytest.mark.parametrize("status", ["%", "_%", "Complete_", "%Completed"])
def test_status_filter_is_literal(api: httpx.Client, status: str) -> None:
    r = api.get("/v1.0/cycles/transactions", params={"status": status, "pageSize": 500})
    assert r.status_code == 200 and r.json() == []


def test_status_filter_still_matches(api: httpx.Client) -> None:
    done = api.get("/v1.0/cycles/transactions", params={"status": "completed", "pageSize": 500})
    assert done.json() and {t["Status"] for t in done.json()} == {"Completed"}


# -- 3. the catch-all ------------------------------------------------------------------------


@pytest.fixture
def broken_token_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom() -> str:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(_api, "new_token", boom)


@pytest.mark.usefixtures("broken_token_endpoint")
def test_unexpected_errors_are_a_plain_500_logged_on_one_line(
    sb: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    r = HTTP.post(
        sb.api_url + "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": sb.client_id,
            "client_secret": sb.client_secret,
        },
    )
    assert r.status_code == 500 and r.json() == {"Message": "An error has occurred."}
    assert sb.stats["unhandled_errors"] == 1
    # caplog also sees uvicorn.error, so one record means no "Exception in ASGI application".
    errors = [rec for rec in caplog.records if rec.levelno >= logging.ERROR]
    assert len(errors) == 1, [rec.getMessage() for rec in errors]
    line = errors[0].getMessage()
    assert errors[0].name == "cyclr_widgets.sandbox" and errors[0].exc_info is None
    assert "\n" not in line
    assert "POST /oauth/token" in line and "RuntimeError: simulated bug" in line


def test_unexpected_errors_on_the_pages_are_an_html_500(
    sb: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(_pages, "_signin_account", boom)
    r = HTTP.get(sb.service_url + "/account/signinwithtoken", params={"token": "t"})
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "An error has occurred." in r.text and "simulated" not in r.text
    assert sb.stats["unhandled_errors"] == 1


# -- trailing slashes: served like the path without one (ASP.NET Web API), never redirected ------


def _raw_get(api: httpx.Client, target: str) -> httpx.Response:
    # The raw request target: httpx must not normalise the path or re-encode "%2F".
    return api.get(target, extensions={"target": target.encode("ascii")})


def test_trailing_slash_lists_like_no_slash(api: httpx.Client) -> None:
    plain, slashed = api.get("/v1.0/accounts"), api.get("/v1.0/accounts/")
    assert plain.status_code == slashed.status_code == 200
    assert slashed.json() == plain.json() and slashed.json()
    assert slashed.headers["Total-Records"] == plain.headers["Total-Records"]
    # The query string survives the rewrite.
    page = api.get("/v1.0/accounts/", params={"pageSize": 1})
    assert page.status_code == 200 and page.json() == plain.json()[:1]


@pytest.mark.parametrize(
    "path",
    [
        "/v1.0/accounts/{account}",
        "/v1.0/accounts/{account}/subaccounts",
        "/v1.0/account/connectors/{ac}",
        "/v1.0/cycles/{cycle}",
    ],
)
def test_trailing_slash_gets_one_resource(api: httpx.Client, sb: Sandbox, path: str) -> None:
    path = path.format(
        account=sb.account_id,
        ac=sb.ids["apikey_account_connector_id"],
        cycle=sb.ids["paused_cycle_ids"][0],
    )
    plain, slashed = api.get(path), api.get(path + "/")
    assert plain.status_code == 200, plain.text[:300]
    assert slashed.status_code == 200, slashed.text[:300]
    assert slashed.json() == plain.json()
    assert "location" not in slashed.headers


def test_trailing_slash_post_creates(api: httpx.Client, sb: Sandbox) -> None:
    before = _total(api, "/v1.0/accounts")
    r = api.post("/v1.0/accounts/", json={"Name": "slashed"})
    assert r.status_code == 200, r.text[:300]
    created = r.json()
    assert created["Name"] == "slashed"
    assert api.get(f"/v1.0/accounts/{created['Id']}/").json() == created
    assert _total(api, "/v1.0/accounts") == before + 1
    token = api.post(f"/v1.0/accounts/{sb.account_id}/signintoken/", json={"Username": "x"})
    assert token.status_code == 200 and token.json()["Token"]


@pytest.mark.parametrize(
    "target",
    [
        "/v1.0/accounts/%2F",  # an id of "/": decoded, the path ends in "/" too
        "/v1.0/accounts/%2f",
        "/v1.0/accounts%2F",  # a naive strip would make this the list
        "/v1.0/accounts/{account}%2F",  # ... and this the account
        "/v1.0/accounts/{account}%2F/",  # one real slash goes, the encoded one stays
        "/v1.0/accounts//",  # only ONE trailing slash is ignored
    ],
)
def test_encoded_or_extra_slashes_are_not_stripped(
    api: httpx.Client, sb: Sandbox, target: str
) -> None:
    r = _raw_get(api, target.format(account=sb.account_id))
    message = _json_error(r, 404)
    assert "No HTTP resource was found" in message
    assert "location" not in r.headers


def test_root_is_not_rewritten(api: httpx.Client) -> None:
    _json_error(api.get("/"), 404)
