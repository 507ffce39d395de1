"""Bad-input corpus: every sandbox route, fed bad input, answers a 4xx with a message and changes
nothing.

The routes come from the three Starlette apps' routing tables at collection time, so a new route
is covered at once: it gets the generic cases (path tricks, methods, auth, size cap) and the
defaults below; if it behaves otherwise, the test fails until the route is described here.
Every case carries exactly one defect. Requests that are legitimately valid are left out on
purpose (they are named where it is not obvious). After each route's cases, a dump of every
SQLite table must equal the dump from before them, so no rejected request wrote anything.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, urlencode

import httpx
import pytest
from starlette.routing import Route

from cyclr_widgets.sandbox import Sandbox
from cyclr_widgets.sandbox.routes._api import build_api_app
from cyclr_widgets.sandbox.routes._http import Ctx
from cyclr_widgets.sandbox.routes._pages import build_provider_app, build_service_app
from cyclr_widgets.sandbox.routes._validate import MAX_BODY_BYTES
from cyclr_widgets.sandbox.store import Store
from tests.support.sandbox import get_token

from . import bad_input_cycles

Key = tuple[str, str]  # (method, path template)


@dataclass(frozen=True)
class RouteInfo:
    origin: str  # "api", "service" or "provider"
    method: str
    path: str  # the template, e.g. /v1.0/accounts/{account_id}
    params: tuple[str, ...]

    @property
    def key(self) -> Key:
        return (self.method, self.path)


def _routes() -> list[RouteInfo]:
    # Building an app only reads the route list; the context is not used until a request.
    dummy = Ctx(cast(Store, None), "", "", {}, stats={})
    builders = {"api": build_api_app, "service": build_service_app, "provider": build_provider_app}
    out = []
    for origin, build in builders.items():
        for route in build(dummy).routes:
            assert isinstance(route, Route), f"walk {route!r} too"  # e.g. a Mount
            for method in sorted((route.methods or set()) - {"HEAD"}):
                params = tuple(route.param_convertors)
                out.append(RouteInfo(origin, method, route.path_format, params))
    return out


ROUTES = _routes()

# -- what the corpus must know about routes (defaults: API routes need X-Cyclr-Account; POST and
# -- PUT take a required JSON object) ----------------------------------------------------------

ACC, AC = "/v1.0/accounts/{account_id}", "/v1.0/account/connectors/{ac_id}"
CYC, TPL = "/v1.0/cycles/{cycle_id}", "/v1.0/templates/{template_id}"
# X-Cyclr-Account is not needed on these, so a wrong one is not a defect.
PARTNER_LEVEL: set[Key] = {("GET", "/v1.0/accounts"), ("POST", "/v1.0/accounts")}
PARTNER_LEVEL |= {("GET", ACC), ("PUT", ACC), ("DELETE", ACC), ("GET", ACC + "/subaccounts")}
PARTNER_LEVEL |= {("POST", ACC + "/signintoken"), ("GET", "/v1.0/templates"), ("GET", TPL)}
PARTNER_LEVEL |= {("GET", "/v1.0/connectors/{key}"), ("GET", "/v1.0/connectors/{key}/{version}")}
# No body or null means {} on these, so those are valid requests.
OPTIONAL_BODY: set[Key] = {("POST", ACC + "/signintoken"), ("PUT", AC + "/deauthenticate")}
OPTIONAL_BODY |= {
    ("POST", TPL + "/install"),
    ("PUT", CYC + "/activate"),
    ("PUT", CYC + "/deactivate"),
}
# The sandbox-side rows #2-#55 of the catalogue (issue #11).
DOD = "/v1.0/account/connectors/{dod_id}"
PARTNER_LEVEL |= {("GET", ACC + "/usage"), ("PUT", "/v1.0/users")}
PARTNER_LEVEL |= {(m, ACC + "/users") for m in ("GET", "PUT", "DELETE")}
PARTNER_LEVEL |= {("POST", ACC + "/" + k) for k in ("launch", "orbit", "marketplace")}
PARTNER_LEVEL |= {("POST", "/v1.0/users/" + k) for k in ("launch", "orbit", "marketplace")}
PARTNER_LEVEL |= {("GET", "/v1.0/connectors/{key}/methods"), ("GET", "/v1.0/methods/{method_id}")}
PARTNER_LEVEL |= {("GET", "/v1.0/connectors/{key}/{version}/methods")}
OPTIONAL_BODY |= {("POST", ACC + "/launch"), ("POST", ACC + "/orbit")}
OPTIONAL_BODY |= {("POST", AC + "/triggers/{trigger_id}")}
OPTIONAL_BODY |= {("POST", DOD + "/methods/{method}"), ("POST", DOD + "/test/{method}")}
# A new API ID in the path is valid here (LAUNCH and Marketplace create the account), so only
# path ids no account could have are defects.
NEW_ID_OK: set[Key] = {("POST", ACC + "/launch"), ("POST", ACC + "/marketplace")}
BAD_NEW_IDS = ["a%2Fb", "%2F", ".", "..", "%2e%2e", "..%2F..", "%00", "a%0Ab", "%20", "a%3Fb%23c"]
BAD_NEW_IDS += ["x" * 5000]
NO_BODY: set[Key] = {("POST", "/v1.0/accounts/tokens")}  # Cyclr's old call takes no body
FORM_BODY: set[Key] = {("POST", "/oauth/token"), ("POST", "/oauth/authorize")}

S, B = "str", "bool"
ACCOUNT = dict.fromkeys(["Name", "Description", "Timezone", "AuditInfo", "TaskAuditInfo"], S)
ACCOUNT |= {"TransactionErrorWebhookUrl": S, "TransactionErrorWebhookEnabled": B}
ACCOUNT |= {"TransactionErrorWebhookIncludeWarnings": B}
AC_TEXT = {"Name": S, "Description": S, "AuthValue": S}
# A valid body and the fields the route reads: each field case swaps one field of the valid
# body for a bad value, so that field is the only reason to refuse the request.
FIELDS: dict[Key, tuple[dict[str, Any], dict[str, str]]] = {
    ("POST", "/v1.0/accounts"): ({"Name": "c"}, {**ACCOUNT, "Id": "id", "ParentAccountId": S}),
    ("PUT", ACC): ({"Name": "c"}, ACCOUNT),
    ("POST", ACC + "/signintoken"): ({}, {"Username": S}),
    ("POST", "/v1.0/connectors/{key}/install"): (
        {},
        {**AC_TEXT, "AuthenticationId": S, "Properties": "props"},
    ),
    ("PUT", AC): ({}, AC_TEXT),
    # ClientId: allowed on any OAuth connector, and not yet set on the seeded one.
    ("POST", AC + "/properties"): ({"Name": "ClientId", "Value": "v"}, {"Name": S, "Value": S}),
    ("PUT", AC + "/properties/{prop_id}"): ({}, {"Value": S}),
    ("PUT", CYC): ({}, {"Name": S, "Description": S}),
    ("PUT", CYC + "/activate"): ({}, {"Interval": "interval", "RunOnce": B, "StartTime": S}),
}
USER = {"UserName": S, "Password": S}
# LAUNCH's options also bind "true"/"false" strings, as Cyclr does ([T] sends "Start": "false").
F = "flag"
LAUNCH = {"AccountName": S, "AccountDescription": S, "CompleteParameter": S, "Start": F}
LAUNCH |= {"RunOnce": F, "InlineOAuth": F, "Wizard": F, "Tags": "tags"}
USER_LAUNCH = {"AccountId": S, "Username": S, "Password": S, "Start": F}
CUSTOM_FIELD = {"ConnectorField": S, "DisplayName": S, "DataType": S, "EntityIdentifier": B}
MAIN_USER = {"AccountId": "acme-corp-0001", "Username": "jane.doe", "Password": "Password123!"}
FIELDS |= {
    ("PUT", ACC + "/users"): ({"UserName": "new.user", "Password": "Password1"}, USER),
    ("PUT", "/v1.0/users"): ({"UserName": "jane.doe", "Password": "Password1"}, USER),
    ("POST", ACC + "/launch"): ({}, LAUNCH),
    ("POST", ACC + "/marketplace"): ({"MarketplaceId": 1234}, {**LAUNCH, "MarketplaceId": "mid"}),
    ("POST", "/v1.0/users/launch"): (MAIN_USER, USER_LAUNCH),
    ("POST", "/v1.0/users/marketplace"): ({**MAIN_USER, "MarketplaceId": 1234}, USER_LAUNCH),
    ("POST", "/v1.0/connectors/{key}/{version}/install"): (
        {},
        {**AC_TEXT, "AuthenticationId": S, "Properties": "props"},
    ),
    ("POST", AC + "/fields"): ({"ConnectorField": "new_field"}, CUSTOM_FIELD),
    ("PUT", AC + "/fields/{cf_id}"): ({}, CUSTOM_FIELD),
    ("POST", "/v1.0/account/connectors/custom"): (
        {"Name": "c"},
        {"Name": S, "Description": S, "Version": S, "AuthType": S},
    ),
    ("POST", DOD + "/methods/{method}"): ({}, {"Parameters": "inputs", "Fields": "inputs"}),
    ("POST", DOD + "/test/{method}"): ({}, {"Parameters": "inputs", "Fields": "inputs"}),
}
ORDER_NOPE = [{"orderBy": "Nope"}]
QUERY_DEFECTS: dict[Key, list[dict[str, str]]] = {
    ("GET", "/v1.0/account/connectors"): ORDER_NOPE,
    ("GET", AC + "/properties"): ORDER_NOPE,
    ("GET", AC + "/fields"): ORDER_NOPE,
    ("GET", "/v1.0/account/connectors/custom"): ORDER_NOPE,
    ("GET", "/v1.0/connectors/{key}/methods"): ORDER_NOPE,
    ("GET", "/v1.0/connectors/{key}/{version}/methods"): ORDER_NOPE,
    ("GET", "/v1.0/accounts"): [{"orderBy": "Nope"}],
    ("GET", "/v1.0/connectors"): [{"orderBy": "Nope"}, {"includeCustomConnectors": "maybe"}],
    ("PUT", CYC + "/deactivate"): [{"finishQueuedTransactions": "maybe"}],
}

# The cycle-side routes' notes (templates, cycles, steps, history) live in bad_input_cycles.py.
PARTNER_LEVEL |= bad_input_cycles.PARTNER_LEVEL
OPTIONAL_BODY |= bad_input_cycles.OPTIONAL_BODY
FIELDS |= bad_input_cycles.FIELDS
QUERY_DEFECTS |= bad_input_cycles.QUERY_DEFECTS

# -- the corpus ------------------------------------------------------------------------------

HUGE = "x" * 300_000  # under the body cap, over every field limit
BAD_VALUES: dict[str, list[Any]] = {
    S: [5, 1.5, True, [], {}, ["x"], HUGE, "a\ud800b"],
    "id": ["", "  ", "a/b", "a\\b", "a?b", "a#b", "a\x00b", "a\tb", "x" * 101, 5, HUGE],
    B: [1, "true", [], {}],
    "flag": [1, "maybe", "", [], {}],
    "interval": [[], {}, [15], "15", 15.5, 7, -1, 10**30, True],
    "props": ["x", 5, {}, [5], [[]], [{"Name": 5}], [{"Value": "v"}], [{"Name": "Nope"}]],
}
BAD_VALUES["tags"] = ["x", 5, {}, [5], [""], [None]]
BAD_VALUES["mid"] = [None, "x", 1.5, True, [], {}, "-1", 99, "12345678901"]
BAD_VALUES["inputs"] = ["x", 5, [], {"abc": "v"}, {"1": "v"}, {"-1": "v"}, {"400001": {}}]
BAD_VALUES["props"] += [[{"Name": "ClientId", "Value": 5}], [{"Name": "ClientId", "Value": HUGE}]]
MALFORMED = [b"{", b"}", b"[1,]", b"\x00", b"NaN", b"\xff\xfe\xfd", b"{'Name': 'x'}"]
MALFORMED += [b'{"Name": "x",}', b'{"Name" "x"}', b'{"Name": "unterminated}', b'{"X": NaN}']
MALFORMED += [b'{"X": -Infinity}', b'{"X": 1' + b"0" * 5000 + b"}"]  # past the int digit limit
DEEP = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    b'{"X": ' + b"[" * 300 + b"]" * 300 + b"}",  # parses, but deeper than MaxDepth
]
WRONG_TOP = [b"[]", b"[{}]", b'"text"', b"42", b"-1.5", b"true"]
EMPTY = [b"", b"   ", b"null"]  # only a defect where the body is required
SURROGATES = [b'{"\\ud800": 1}', b'{"X": "\\udc00"}', b'{"X": ["ok", {"Y": "\\ud800"}]}']
SURROGATES += [b'{"X": "\xed\xa0\x80"}']  # raw CESU-8 bytes
# Path segments, already percent-encoded as they go on the wire (sent as the raw request target,
# so httpx does not normalise them). Empty segments are left out: "/v1.0/accounts/" is the list.
NIL_GUID = "00000000-0000-4000-8000-000000000000"  # well formed, exists nowhere
PATH_TRICKS = ["a%2Fb", "%2F", ".", "..", "%2e%2e", "..%2F..", "%00", "a%0Ab", "%ff%fe"]
PATH_TRICKS += ["%ED%A0%80", "%E2%80%AE", "%F0%9F%98%80", "caf%C3%A9", "%C2%B2", "%20", "%25"]
PATH_TRICKS += ["-1", "0", "99999999999999999999", "1e3"]
PATH_TRICKS += ["a%3Fb%23c", NIL_GUID, "x" * 5000]
SUFFIX_TRICKS = ["/%2e%2e", "/.", "/x%2Fy", "%00", ";x", "/" + "x" * 5000, "/%F0%9F%98%80"]
BAD_PAGING = [
    *({"page": v} for v in ["0", "-1", "abc", "99999999999999999999", "1.5", "1e3", "\uff11"]),
    *({"pageSize": v} for v in ["0", "-1", "abc", "99999999999999999999", " 5"]),
]
# Left out on purpose: pageSize=10000 is clamped to MAX_PAGE_SIZE (a 200, like other silent
# clamps in Cyclr); sortOrderAsc=junk means ascending; page past the end is a 200 with [].
TOO_BIG = b"x" * (MAX_BODY_BYTES + 1)


@dataclass
class Case:
    label: str
    path: str  # raw request target path
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, Any] | None = None  # None: the route's valid headers
    body: bytes | Iterator[bytes] | None = None
    method: str | None = None  # None: the route's method


@dataclass
class World:
    sb: Sandbox
    db: Path
    http: httpx.Client
    partner: str
    scoped: str  # an API token restricted to the main account
    ids: dict[str, str]  # valid path parameters
    others: dict[str, str]  # ids that exist but belong to another owner
    page: dict[str, str]  # valid OAuth page parameters (an unspent sign-in token)
    spent: str
    other_signin: str  # an unspent sign-in token of another account


def _dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    db = tmp_path_factory.mktemp("bad-input") / "sandbox.db"
    faults_off = {"latency_ms": 0, "error_rate": 0.0, "rate_limit_rate": 0.0, "drop_rate": 0.0}
    faults_off["signin_token_ttl"] = 3600  # the valid sign-in token must outlive a slow run
    # The client's timeout only guards against hangs: a shared CI machine can be slow.
    with Sandbox(db=str(db), **faults_off) as sb, httpx.Client(timeout=60) as http:
        partner, main = get_token(sb), sb.account_id
        scoped = get_token(sb, scope=f"account:{main}")
        api = {"Authorization": f"Bearer {partner}", "X-Cyclr-Account": main}
        ac = sb.ids["oauth_authenticated_account_connector_id"]
        props = http.get(f"{sb.api_url}/v1.0/account/connectors/{ac}/properties", headers=api)
        assert "ClientId" not in {p["Name"] for p in props.json()}
        library = http.get(f"{sb.api_url}/v1.0/connectors?pageSize=500", headers=api).json()
        conn = next(  # installable by name, with a version, and OAuth (so ClientId is allowed)
            c
            for c in library
            if c["Status"] == "Approved" and c["Version"] and c["AuthType"] == "OAuth2"
        )
        mine = http.get(f"{sb.api_url}/v1.0/account/connectors?pageSize=500", headers=api).json()
        other_prop = next(p["Id"] for a in mine if a["Id"] != ac for p in a["Properties"])
        ready = next(  # a paused cycle that may be activated, so only the defect can stop it
            c
            for c in sb.ids["paused_cycle_ids"]
            if http.get(f"{sb.api_url}/v1.0/cycles/{c}/prerequisites", headers=api).json() == []
        )

        def signin(account: str) -> str:
            r = http.post(f"{sb.api_url}/v1.0/accounts/{account}/signintoken", headers=api)
            return str(r.json()["Token"])

        field = http.post(
            f"{sb.api_url}/v1.0/account/connectors/{ac}/fields",
            headers=api,
            json={"ConnectorField": "bad_input_field"},
        )
        assert field.status_code == 200, field.text
        other_trigger = next(
            c["Triggers"][0]["TriggerId"]
            for c in library
            if c["Triggers"] and c["Id"] != sb.ids["first_connector_id"]
        )
        spent = signin(main)
        bad_input_cycles.update_fields(sb)
        used = http.get(f"{sb.service_url}/account/signinwithtoken", params={"token": spent})
        assert used.status_code == 200
        yield World(
            sb=sb,
            db=db,
            http=http,
            partner=partner,
            scoped=scoped,
            ids={
                "account_id": main,
                "key": quote(conn["Name"], safe=""),
                "version": quote(conn["Version"], safe=""),
                "ac_id": str(ac),
                "prop_id": str(props.json()[0]["Id"]),
                "template_id": sb.ids["template_ids"][0],
                "cycle_id": ready,
                "level": "error",
                "method_id": str(sb.ids["method_id"]),
                "cf_id": str(field.json()["Id"]),
                "trigger_id": str(sb.ids["trigger_id"]),  # the AC above is Salesforce too
                "dod_id": str(sb.ids["dod_account_connector_id"]),
                "method": sb.ids["method_uid"],
                "custom_id": str(sb.ids["custom_connector_id"]),
                **bad_input_cycles.world_ids(sb),
            },
            others={
                "ac_id": str(sb.ids["other_oauth_account_connector_id"]),
                "dod_id": str(sb.ids["other_oauth_account_connector_id"]),
                "cf_id": str(sb.ids["custom_field_id"]),  # on another account connector
                "trigger_id": str(other_trigger),
                "method": str(sb.ids["method_id"]),  # a method of another connector
                "custom_id": str(sb.ids["other_custom_connector_id"]),
                "prop_id": str(other_prop),  # exists, on another account connector
            },
            page={
                "id": str(sb.ids["oauth_account_connector_id"]),
                "token": signin(main),
                "targetOrigin": "http://127.0.0.1:8888",
                "callbackMessage": "m",
            },
            spent=spent,
            other_signin=signin(sb.ids["other_account_id"]),
        )


# -- cases -----------------------------------------------------------------------------------


def _fill(info: RouteInfo, ids: dict[str, str], **override: str) -> str:
    missing = [p for p in info.params if p not in ids]
    assert not missing, f"give the corpus a valid seeded value for {missing} ({info.path})"
    return info.path.format(**{p: override.get(p, ids[p]) for p in info.params})


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _chunked() -> Iterator[bytes]:  # no Content-Length: the cap must count while reading
    yield b'{"Name": "'
    for _ in range(MAX_BODY_BYTES // 65_536 + 1):
        yield b"n" * 65_536
    yield b'"}'


def _generic(info: RouteInfo, w: World) -> Iterator[Case]:
    path = _fill(info, w.ids)
    for param in info.params:
        tricks = PATH_TRICKS + ([w.others[param]] if param in w.others else [])
        if info.key in NEW_ID_OK and param == "account_id":
            tricks = BAD_NEW_IDS
        for trick in tricks:
            yield Case(f"{{{param}}}={_short(trick)}", _fill(info, w.ids, **{param: trick}))
    for suffix in SUFFIX_TRICKS:
        yield Case(f"suffix {_short(suffix)}", path + suffix)
    same_path = {r.method for r in ROUTES if (r.origin, r.path) == (info.origin, info.path)}
    for method in ["PATCH", *sorted({"GET", "POST", "PUT", "DELETE"} - same_path)]:
        yield Case(f"method {method}", path, method=method)
    yield Case("body over the cap", path, body=TOO_BIG)


def _auth(info: RouteInfo, w: World) -> Iterator[Case]:
    path, main, other = _fill(info, w.ids), w.ids["account_id"], w.sb.ids["other_account_id"]
    basic = base64.b64encode(f"{w.sb.client_id}:{w.sb.client_secret}".encode()).decode()
    schemes: list[str | bytes | None] = [None, "Bearer", "Bearer garbage", f"Bearer {w.partner}x"]
    schemes += [f"Token {w.partner}", f"Basic {basic}", b"Bearer \xff\xfe"]
    for value in schemes:
        auth = {} if value is None else {"Authorization": value}
        yield Case(f"auth {_short(value)}", path, headers={**auth, "X-Cyclr-Account": main})
    # A token restricted to the main account refuses another account, on every route.
    scoped = f"Bearer {w.scoped}"
    yield Case(
        "scoped, other header", path, headers={"Authorization": scoped, "X-Cyclr-Account": other}
    )
    if "account_id" in info.params:
        yield Case(
            "scoped, other in path",
            _fill(info, w.ids, account_id=other),
            headers={"Authorization": scoped, "X-Cyclr-Account": main},
        )
    if info.key in PARTNER_LEVEL:
        return
    bearer = {"Authorization": f"Bearer {w.partner}"}
    for acc in [None, "", "no-such-account", "x" * 5000, b"\xff\xfe", NIL_GUID]:
        header = {} if acc is None else {"X-Cyclr-Account": acc}
        yield Case(f"X-Cyclr-Account {_short(acc)}", path, headers={**bearer, **header})


def _json_bodies(info: RouteInfo, w: World) -> Iterator[Case]:
    if info.method not in ("POST", "PUT") or info.key in NO_BODY | FORM_BODY:
        return
    path = _fill(info, w.ids)
    bodies = [*MALFORMED, *DEEP, *WRONG_TOP, *SURROGATES]
    bodies += [] if info.key in OPTIONAL_BODY else EMPTY
    for body in bodies:
        yield Case(f"body {_short(body)}", path, body=body)
    yield Case("chunked body over the cap", path, body=_chunked())
    base, fields = FIELDS.get(info.key, ({}, {}))
    for name, kind in fields.items():
        for bad in BAD_VALUES[kind]:
            yield Case(f"{name}={_short(bad)}", path, body=json.dumps({**base, name: bad}).encode())


def _queries(info: RouteInfo, w: World) -> Iterator[Case]:
    path = _fill(info, w.ids)
    for query in QUERY_DEFECTS.get(info.key, []):
        yield Case(f"query {query}", path, query=query)
    if info.method == "GET":
        probe = _send(w, info, Case("valid", path))
        assert probe.status_code == 200, ("the valid request must work", probe.text[:200])
        if "Total-Pages" in probe.headers:  # a paged list
            for query in BAD_PAGING:
                yield Case(f"paging {query}", path, query=query)


def _forms(info: RouteInfo, w: World) -> Iterator[Case]:
    callback = w.sb.service_url + "/connector/callback"
    if info.key == ("POST", "/oauth/token"):
        good = {
            "grant_type": "client_credentials",
            "client_id": w.sb.client_id,
            "client_secret": w.sb.client_secret,
        }
        yield Case("credentials in the query only", info.path, query=good)
        defects: list[dict[str, str | None]] = [{"grant_type": None}, {"grant_type": "password"}]
        defects += [{"client_id": "x"}, {"client_secret": None}, {"client_secret": ""}]
        defects += [{"client_secret": w.sb.client_secret + "x"}, {"scope": "everything"}]
        defects += [{"scope": f"account:{a}"} for a in ["", "no-such-account", "x" * 5000]]
        raws = [urlencode(good).encode() + b"&scope=account%3A%ED%A0%80"]
    else:  # the provider's consent form
        good = {"state": "s", "redirect_uri": callback, "decision": "allow"}
        defects = [{"state": None}, {"state": ""}, {"redirect_uri": None}]
        bad_uris = ["http://127.0.0.1:1/steal", callback + "?x=1", callback.upper()]
        defects += [{"redirect_uri": uri} for uri in bad_uris]
        raws = []
    for change in defects:
        form = {k: v for k, v in {**good, **change}.items() if v is not None}
        yield Case(f"form {_short(change)}", info.path, body=urlencode(form).encode())
    for raw in [*raws, b"", b"\xff\xfe", b"%", b"&&=&", json.dumps(good).encode()]:
        yield Case(f"form body {_short(raw)}", info.path, body=raw)
    yield Case("chunked body over the cap", info.path, body=_chunked())


def _page_queries(info: RouteInfo, w: World) -> list[dict[str, str | None]]:
    if info.path.endswith("/updateaccountconnectoroauth"):
        ac = w.page["id"]
        bad_targets = ["", "http://[", "https://[::1", "http://", "http://:80", "http://a:99999"]
        bad_targets += ["javascript:alert(1)", "ftp://a", "/relative", "x" * 5000]
        return [
            *({**w.page, "token": t} for t in [None, "", "garbage", "\ufffd", "x" * 5000]),
            {**w.page, "token": w.spent},
            {**w.page, "token": w.other_signin},
            *({**w.page, "id": i} for i in [None, "", "abc", "-1", "0", "1e3", " " + ac]),
            {**w.page, "id": "99999999999999999999"},
            {**w.page, "id": w.others["ac_id"]},
            {**w.page, "id": str(w.sb.ids["apikey_account_connector_id"])},  # not OAuth
            *({**w.page, "targetOrigin": t} for t in [None, *bad_targets]),
            {**w.page, "targetOrigin": "*", "callbackMessage": None},  # "*" needs a message
        ]
    if info.path == "/connector/callback":
        return [{}, {"state": "nope"}, {"state": "nope", "code": "c"}, {"code": "c"}]
    if info.path == "/account/signinwithtoken":
        return [{}, {"token": ""}, {"token": "garbage"}, {"token": w.spent}, {"token": "x" * 5000}]
    if info.key == ("GET", "/oauth/authorize"):
        callback = w.sb.service_url + "/connector/callback"
        return [
            {},
            {"state": "s"},
            {"redirect_uri": callback},
            {"state": "", "redirect_uri": callback},
            {"state": "s", "redirect_uri": "http://127.0.0.1:1/steal"},
        ]
    return []


def _cases(info: RouteInfo, w: World) -> Iterator[Case]:
    yield from _generic(info, w)
    if info.key in FORM_BODY:
        yield from _forms(info, w)
    elif info.origin == "api":
        yield from _auth(info, w)
        yield from _json_bodies(info, w)
        yield from _queries(info, w)
    for query in _page_queries(info, w):
        kept = {k: v for k, v in query.items() if v is not None}
        yield Case(f"query {_short(query)}", info.path, query=kept)


# -- sending and judging ---------------------------------------------------------------------


def _send(w: World, info: RouteInfo, case: Case) -> httpx.Response:
    origin = {"api": w.sb.api_url, "service": w.sb.service_url, "provider": w.sb.provider_url}
    headers = case.headers
    if headers is None:
        main = w.ids["account_id"]
        api = {"Authorization": f"Bearer {w.partner}", "X-Cyclr-Account": main}
        headers = api if info.origin == "api" else {}
    if case.body is not None:
        kind = "x-www-form-urlencoded" if info.key in FORM_BODY else "json"
        headers = {**headers, "Content-Type": f"application/{kind}"}
    target = case.path + ("?" + urlencode(case.query) if case.query else "")
    return w.http.request(
        case.method or info.method,
        origin[info.origin] + "/",
        headers=headers,
        content=case.body,
        # The raw request target: httpx would otherwise resolve "." and ".." segments.
        extensions={"target": target.encode("ascii")},
    )


def _problem(info: RouteInfo, case: Case, r: httpx.Response) -> str | None:
    where = f"{case.method or info.method} {case.path[:70]} [{case.label}]"
    if not 400 <= r.status_code < 500:
        return f"{where}: {r.status_code} {r.text[:150]!r}"
    if info.origin != "api":
        html = r.headers.get("content-type", "").startswith("text/html")
        return None if html and 'id="error"' in r.text else f"{where}: not an error page"
    try:
        data = r.json()
    except ValueError:
        return f"{where}: not JSON: {r.text[:150]!r}"
    # /oauth/token answers RFC 6749's {"error": ...} for its own checks (see _api.token).
    keys = ("Message", "error") if info.key == ("POST", "/oauth/token") else ("Message",)
    if isinstance(data, dict) and any(isinstance(data.get(k), str) and data[k] for k in keys):
        return None
    return f"{where}: no message: {r.text[:150]!r}"


def test_route_notes_name_real_routes() -> None:
    keys = {r.key for r in ROUTES}
    for notes in (PARTNER_LEVEL, OPTIONAL_BODY, NO_BODY, FORM_BODY, FIELDS, QUERY_DEFECTS):
        assert set(notes) <= keys, set(notes) - keys


@pytest.mark.parametrize("info", ROUTES, ids=lambda i: f"{i.origin}:{i.method}:{i.path}")
def test_route_refuses_bad_input(world: World, info: RouteInfo) -> None:
    before = _dump(world.db)
    problems, count = [], 0
    for case in _cases(info, world):
        count += 1
        problem = _problem(info, case, _send(world, info, case))
        if problem:
            problems.append(problem)
    assert not problems, f"{len(problems)} of {count} cases:\n" + "\n".join(problems[:25])
    after = _dump(world.db)
    changed = [t for t in before if before[t] != after.get(t)]
    assert not changed, f"rejected requests changed {changed}"
    assert world.sb.stats["unhandled_errors"] == 0  # nothing reached the catch-all
