"""CyclrClient against a strict fake Cyclr (httpx.MockTransport).

Mirrored line by line in test_async.py (regenerate with scripts in the header there).
"""

from __future__ import annotations

import httpx
import pandas as pd
import pytest

from cyclr_widgets import (
    AccessDeniedError,
    AccountConnector,
    AuthenticationError,
    AuthValue,
    ConflictError,
    CyclrClient,
    CyclrError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    SignInToken,
    TransportError,
    ValidationError,
)
from tests.support.client import (
    ACCOUNT,
    API,
    CLIENT_ID,
    CLIENT_SECRET,
    SERVICE,
    SIGN_IN,
    FakeCyclr,
    account_connector_item,
    body,
    connector_item,
    error_response,
    fake_time,
    json_response,
    page_handler,
)

AC_PATH = "/v1.0/account/connectors/54321"
# Cycle and template ids are GUIDs in Cyclr (and the client refuses anything else).
CYCLE = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
TEMPLATE = "7c9e6679-7425-40de-944b-e07fc1f90ae7"


@pytest.fixture
def fake() -> FakeCyclr:
    return FakeCyclr()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(fake: FakeCyclr, sleeps: list[float]):
    c = CyclrClient(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        service_url=SERVICE,
        transport=httpx.MockTransport(fake),
        progress=False,
    )

    fake_time(c, sleeps)  # the retries' and the limiter's waits, on a fake clock
    c._retry.random = lambda: 0.5  # deterministic jitter
    yield c
    c.close()
    fake.assert_all_called()


# -- construction ----------------------------------------------------------------------------


def test_regions_and_api_url() -> None:
    assert CyclrClient("a", "b").api_url == "https://api.cyclr.com"
    assert CyclrClient("a", "b", region="EU").api_url == "https://api.eu.cyclr.com"
    assert CyclrClient("a", "b", region="apac").api_url == "https://api.apac.cyclr.com"
    assert CyclrClient("a", "b", region="eu", api_url="https://x.test/").api_url == "https://x.test"
    with pytest.raises(ValidationError, match="unknown region"):
        CyclrClient("a", "b", region="mars")
    with pytest.raises(ValidationError, match="client_secret"):
        CyclrClient("a", "")


def test_from_env() -> None:
    env = {
        "CYCLR_CLIENT_ID": "id",
        "CYCLR_CLIENT_SECRET": "secret",
        "CYCLR_API_URL": "https://api.eu.cyclr.com",
        "CYCLR_SERVICE_URL": "https://acme-h.eu.cyclr.com/",
    }
    c = CyclrClient.from_env(env, page_size=10)
    assert c.api_url == "https://api.eu.cyclr.com"
    assert c.service_url == "https://acme-h.eu.cyclr.com"
    assert c.page_size == 10
    with pytest.raises(ValidationError, match="CYCLR_CLIENT_SECRET"):
        CyclrClient.from_env({"CYCLR_CLIENT_ID": "id"})


# -- auth ------------------------------------------------------------------------------------


def test_token_request_and_cache(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/accounts/a1", json_response({"Id": "a1"}), json_response({"Id": "a1"}))
    assert client.account("a1") == {"Id": "a1"}
    assert client.account("a1") == {"Id": "a1"}
    token_request = fake.requests[0]
    assert token_request.url.path == "/oauth/token"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert fake.token_forms == [
        {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    ]
    assert "client_secret" not in str(token_request.url)
    for call in fake.calls():
        assert call.headers["authorization"] == "Bearer bearer-token-1"


def test_restricted_token_scope(fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/accounts/a1", json_response({"Id": "a1"}))
    transport = httpx.MockTransport(fake)
    with CyclrClient(
        CLIENT_ID, CLIENT_SECRET, api_url=API, token_scope_account="a1", transport=transport
    ) as c:
        c.account("a1")
    assert fake.token_forms[0]["scope"] == "account:a1"


def test_token_renewed_before_expiry(client: CyclrClient, fake: FakeCyclr) -> None:
    now = [1000.0]
    client._auth.clock = lambda: now[0]
    fake.expires_in = 3600
    fake.add("GET", "/v1.0/accounts/a1", *[json_response({"Id": "a1"})] * 3)
    client.account("a1")
    now[0] += 3000  # within the lifetime, before the renewal margin
    client.account("a1")
    assert fake.tokens_issued == 1
    now[0] += 300  # 3300 s: inside the last 10% (360 s) -> renew first
    client.account("a1")
    assert fake.tokens_issued == 2
    assert fake.calls()[-1].headers["authorization"] == "Bearer bearer-token-2"


def test_401_renews_token_once_and_retries(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add(
        "GET", "/v1.0/accounts/a1", error_response(401, "expired"), json_response({"Id": "a1"})
    )
    assert client.account("a1") == {"Id": "a1"}
    assert fake.tokens_issued == 2
    first, second = fake.calls()
    assert first.headers["authorization"] == "Bearer bearer-token-1"
    assert second.headers["authorization"] == "Bearer bearer-token-2"


def test_401_twice_raises(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/accounts/a1", error_response(401, "no"), error_response(401, "no"))
    with pytest.raises(AuthenticationError) as info:
        client.account("a1")
    assert info.value.status_code == 401
    assert len(fake.calls()) == 2


def test_bad_credentials(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.on_token(httpx.Response(400, json={"error": "invalid_client"}))
    with pytest.raises(AuthenticationError, match="refused the client credentials") as info:
        client.account("a1")
    assert info.value.path == "/oauth/token"
    assert CLIENT_SECRET not in str(info.value)


def test_token_request_retried(client: CyclrClient, fake: FakeCyclr, sleeps: list[float]) -> None:
    fake.on_token(error_response(503, "busy", {"Retry-After": "2"}))
    fake.add("GET", "/v1.0/accounts/a1", json_response({"Id": "a1"}))
    assert client.account("a1") == {"Id": "a1"}
    assert sleeps == [2.0]


# -- account header ----------------------------------------------------------------------------


def test_account_header_only_on_account_level_calls(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/accounts", page_handler([{"Id": "a1"}]))
    fake.add("POST", "/v1.0/accounts/a1/signintoken", json_response(SIGN_IN))
    fake.add("GET", AC_PATH, json_response(account_connector_item()))
    client.accounts()
    client.sign_in_token("a1", username="nb")
    client.account_connector("a1", 54321)
    partner1, partner2, account_level = fake.calls()
    assert "x-cyclr-account" not in partner1.headers
    assert "x-cyclr-account" not in partner2.headers
    assert account_level.headers["x-cyclr-account"] == "a1"


def test_default_account(fake: FakeCyclr) -> None:
    fake.add("GET", AC_PATH, json_response(account_connector_item()))
    transport = httpx.MockTransport(fake)
    with CyclrClient(
        CLIENT_ID, CLIENT_SECRET, api_url=API, account_id="dflt", transport=transport
    ) as c:
        c.account_connector(None, 54321)
    assert fake.calls()[0].headers["x-cyclr-account"] == "dflt"


# -- endpoints ---------------------------------------------------------------------------------


def test_accounts_crud(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/accounts", json_response({"Id": "new", "Name": "N"}))
    fake.add("PUT", "/v1.0/accounts/new", json_response({"Id": "new", "Name": "M"}))
    fake.add("DELETE", "/v1.0/accounts/new", httpx.Response(200))
    fake.add("GET", "/v1.0/accounts/new", json_response({"Id": "new"}))
    assert client.create_account("N", timezone="Europe/London")["Id"] == "new"
    assert client.update_account("new", name="M", description="x")["Name"] == "M"
    assert client.delete_account("new") is None
    assert client.account("new") == {"Id": "new"}
    create, update, _, _ = fake.calls()
    assert body(create) == {"Name": "N", "Timezone": "Europe/London"}
    assert body(update) == {"Description": "x", "Name": "M"}


def test_connectors_listing(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/connectors", page_handler([connector_item(1), connector_item(2)]))
    df = client.connectors(ACCOUNT, query="CRM", category="CRMs")
    request = fake.calls()[0]
    assert request.headers["x-cyclr-account"] == ACCOUNT
    assert request.url.params["query"] == "CRM"
    assert request.url.params["category"] == "CRMs"
    assert list(df["Id"]) == [1, 2]
    assert "Icon" not in df.columns
    assert df["Categories"][0] == ["CRMs"]


def test_connector_get(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/connectors/7", json_response(connector_item(7)))
    assert client.connector(7, account_id=ACCOUNT)["Id"] == 7


def test_install_connector(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/connectors/2550/install", json_response(account_connector_item()))
    ac = client.install_connector(
        ACCOUNT,
        2550,
        name="My CRM",
        description="desc",
        authentication_id="12abc345-1a2b-123a-1ab2-1234ab5c6d7e",
        auth_value=AuthValue.api_key("k-123"),
        properties={"Subdomain": "acme"},
    )
    assert isinstance(ac, AccountConnector)
    assert ac.id == 54321 and ac.authenticated is True
    assert ac.connector_id == 2550 and ac.auth_type == "OAuth2"
    request = fake.calls()[0]
    assert request.headers["x-cyclr-account"] == ACCOUNT
    assert body(request) == {
        "Name": "My CRM",
        "Description": "desc",
        "AuthenticationId": "12abc345-1a2b-123a-1ab2-1234ab5c6d7e",
        "AuthValue": "k-123",
        "Properties": [{"Name": "Subdomain", "Value": "acme", "Id": 0}],
    }


def test_account_connectors(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/account/connectors", page_handler([account_connector_item()]))
    fake.add("GET", AC_PATH, json_response(account_connector_item()))
    fake.add("PUT", AC_PATH, json_response(account_connector_item(Description="new")))
    fake.add("PUT", AC_PATH + "/deauthenticate", json_response({"Message": "de-authenticated."}))
    fake.add("DELETE", AC_PATH, httpx.Response(200))
    df = client.account_connectors(ACCOUNT)
    assert bool(df["Authenticated"][0]) is True
    assert df["AuthValue"][0] == "***"
    assert client.account_connector(ACCOUNT, 54321).name == "My CRM"
    updated = client.update_account_connector(
        ACCOUNT, 54321, description="new", auth_value=AuthValue.empty()
    )
    assert updated.description == "new"
    assert client.deauthenticate_account_connector(ACCOUNT, 54321) == "de-authenticated."
    assert client.delete_account_connector(ACCOUNT, 54321) is None
    put, deauth = fake.calls("PUT")
    assert body(put) == {"Description": "new", "AuthValue": "{}"}
    assert body(deauth) == {}


def test_find_account_connectors(client: CyclrClient, fake: FakeCyclr) -> None:
    items = [account_connector_item(1, Name="A"), account_connector_item(2, Name="B")]
    fake.add("GET", "/v1.0/account/connectors", page_handler(items))
    found = client.find_account_connectors(ACCOUNT, "B")
    assert [ac.id for ac in found] == [2]


def test_properties(client: CyclrClient, fake: FakeCyclr) -> None:
    base = AC_PATH + "/properties"
    props = account_connector_item()["Properties"]
    fake.add("GET", base, page_handler(props))
    fake.add("POST", base, json_response({"Name": "Region", "Value": "eu", "Id": 43}))
    fake.add("PUT", base + "/43", json_response({"Name": "Region", "Value": "us", "Id": 43}))
    fake.add("DELETE", base + "/43", httpx.Response(200))
    df = client.account_connector_properties(ACCOUNT, 54321)
    assert list(df["Value"]) == ["acme", "***"]
    assert client.add_account_connector_property(ACCOUNT, 54321, "Region", "eu")["Id"] == 43
    assert client.update_account_connector_property(ACCOUNT, 54321, 43, "us")["Value"] == "us"
    assert client.delete_account_connector_property(ACCOUNT, 54321, 43) is None
    assert body(fake.calls("POST")[0]) == {"Name": "Region", "Value": "eu", "Id": 0}
    assert body(fake.calls("PUT")[0]) == {"Id": 43, "Value": "us"}


def test_set_oauth_app_credentials(client: CyclrClient, fake: FakeCyclr) -> None:
    base = AC_PATH + "/properties"
    fake.add("GET", base, page_handler([{"Name": "ClientId", "Value": "old", "Id": 5}]))
    fake.add("PUT", base + "/5", json_response({"Name": "ClientId", "Value": "cid", "Id": 5}))
    fake.add("POST", base, json_response({"Name": "ClientSecret", "Value": "x", "Id": 6}))
    client.set_oauth_app_credentials(ACCOUNT, 54321, "cid", "csecret")
    assert body(fake.calls("PUT")[0]) == {"Id": 5, "Value": "cid", "Name": "ClientId"}
    assert body(fake.calls("POST")[0]) == {"Name": "ClientSecret", "Value": "csecret", "Id": 0}


def test_sign_in_token(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("POST", f"/v1.0/accounts/{ACCOUNT}/signintoken", json_response(SIGN_IN))
    fake.add("POST", "/v1.0/accounts/tokens", json_response(SIGN_IN))
    tok = client.sign_in_token(ACCOUNT, username="nb-user")
    assert isinstance(tok, SignInToken)
    assert tok.token == SIGN_IN["Token"]
    assert tok.expires_at is not None and tok.expires_at.tzinfo is not None
    assert (tok.expires_at.year, tok.expires_at.microsecond) == (2017, 743647)
    legacy = client.sign_in_token(ACCOUNT, legacy=True)
    assert legacy.token == SIGN_IN["Token"]
    new, old = fake.calls()
    assert body(new) == {"Username": "nb-user"} and "x-cyclr-account" not in new.headers
    assert old.content == b"" and old.headers["x-cyclr-account"] == ACCOUNT


def test_templates(client: CyclrClient, fake: FakeCyclr) -> None:
    tpl = {"Id": TEMPLATE, "Name": "Sync", "Connectors": [{"Id": 1, "Icon": "x"}], "Tags": ["a"]}
    fake.add("GET", "/v1.0/templates", page_handler([tpl]))
    fake.add(
        "POST",
        f"/v1.0/templates/{TEMPLATE}/install",
        json_response({"Id": CYCLE, "Status": "Paused"}),
    )
    df = client.templates()
    assert df["Connectors"][0] == [{"Id": 1}]
    assert client.install_template(ACCOUNT, TEMPLATE)["Status"] == "Paused"
    listing, install = fake.calls()
    assert "x-cyclr-account" not in listing.headers
    assert install.headers["x-cyclr-account"] == ACCOUNT and body(install) == {}


def test_cycles(client: CyclrClient, fake: FakeCyclr) -> None:
    cycle = {
        "Id": CYCLE,
        "Name": "C",
        "Status": "Paused",
        "LastSuccessfulRunDate": "0001-01-01T00:00:00",
    }
    fake.add("GET", "/v1.0/cycles", page_handler([cycle]))
    fake.add("GET", f"/v1.0/cycles/{CYCLE}", json_response(cycle))
    fake.add("PUT", f"/v1.0/cycles/{CYCLE}/activate", httpx.Response(200))
    fake.add("PUT", f"/v1.0/cycles/{CYCLE}/deactivate", httpx.Response(200))
    prereq = [
        {"ReasonCode": 20, "Reason": "Unauthenticated connector", "ObjectType": "AccountConnector"}
    ]
    fake.add("GET", f"/v1.0/cycles/{CYCLE}/prerequisites", json_response(prereq))
    df = client.cycles(ACCOUNT)
    assert pd.isna(df["LastSuccessfulRunDate"][0])
    assert client.cycle(ACCOUNT, CYCLE)["Id"] == CYCLE
    assert client.activate_cycle(ACCOUNT, CYCLE, interval=15, run_once=False) is None
    client.deactivate_cycle(ACCOUNT, CYCLE, finish_queued_transactions=True)
    assert client.cycle_prerequisites(ACCOUNT, CYCLE) == prereq
    activate, deactivate = fake.calls("PUT")
    assert body(activate) == {"Interval": 15, "RunOnce": False}
    assert deactivate.url.params["finishQueuedTransactions"] == "true"
    with pytest.raises(ValidationError, match="interval"):
        client.activate_cycle(ACCOUNT, CYCLE, interval=7)


def test_transactions_and_incidents(client: CyclrClient, fake: FakeCyclr) -> None:
    incident = {"CycleId": CYCLE, "IncidentLevel": "Warning", "ShortMessage": "slow"}
    fake.add("GET", "/v1.0/cycles/transactions", page_handler([{"Id": "t", "CycleId": CYCLE}]))
    fake.add("GET", f"/v1.0/cycles/{CYCLE}/transactions", page_handler([]))
    fake.add("GET", "/v1.0/cycles/incidents/warning", page_handler([incident]))
    fake.add("GET", "/v1.0/cycles/incidents/error", page_handler([]))
    assert list(client.transactions(ACCOUNT, status="Completed")["Id"]) == ["t"]
    assert client.transactions(ACCOUNT, cycle_id=CYCLE).empty
    assert list(client.incidents(ACCOUNT, level="warning")["ShortMessage"]) == ["slow"]
    assert client.incidents(ACCOUNT, after="2024-01-01").empty
    assert fake.calls()[0].url.params["status"] == "Completed"
    assert fake.calls()[3].url.params["after"] == "2024-01-01"
    with pytest.raises(ValidationError, match="level"):
        client.incidents(ACCOUNT, level="fatal")


# -- paging ------------------------------------------------------------------------------------


def test_paging_with_total_pages(client: CyclrClient, fake: FakeCyclr) -> None:
    client.page_size = 2
    seen: list[int] = []
    items = [connector_item(i) for i in range(1, 8)]  # 7 items -> 4 pages
    fake.add("GET", "/v1.0/connectors", *[page_handler(items, seen=seen)] * 4)
    df = client.connectors(ACCOUNT)
    assert list(df["Id"]) == list(range(1, 8))  # stable order
    assert sorted(seen) == [1, 2, 3, 4] and seen[0] == 1
    assert {r.url.params["pageSize"] for r in fake.calls()} == {"2"}


def test_paging_without_total_pages_short_page(client: CyclrClient, fake: FakeCyclr) -> None:
    client.page_size = 2
    items = [connector_item(i) for i in range(1, 6)]  # pages of 2, 2, 1
    fake.add("GET", "/v1.0/connectors", *[page_handler(items, total_pages=False)] * 3)
    assert list(client.connectors(ACCOUNT)["Id"]) == [1, 2, 3, 4, 5]


def test_paging_without_total_pages_empty_page(client: CyclrClient, fake: FakeCyclr) -> None:
    client.page_size = 2
    items = [connector_item(i) for i in range(1, 5)]  # pages of 2, 2, then empty
    fake.add("GET", "/v1.0/connectors", *[page_handler(items, total_pages=False)] * 3)
    assert list(client.connectors(ACCOUNT)["Id"]) == [1, 2, 3, 4]


def test_paging_limit(client: CyclrClient, fake: FakeCyclr) -> None:
    client.page_size = 2
    items = [connector_item(i) for i in range(1, 11)]
    fake.add("GET", "/v1.0/connectors", *[page_handler(items)] * 2)
    assert list(client.connectors(ACCOUNT, limit=3)["Id"]) == [1, 2, 3]
    assert len(fake.calls()) == 2


def test_paging_error_in_later_page(client: CyclrClient, fake: FakeCyclr) -> None:
    client.page_size = 1
    items = [connector_item(1), connector_item(2)]
    fake.add("GET", "/v1.0/connectors", page_handler(items), error_response(404, "gone"))
    with pytest.raises(NotFoundError):
        client.connectors(ACCOUNT)


def test_progress_bar_when_forced(
    client: CyclrClient, fake: FakeCyclr, capsys: pytest.CaptureFixture[str]
) -> None:
    client.page_size = 1
    items = [connector_item(1), connector_item(2)]
    fake.add("GET", "/v1.0/connectors", *[page_handler(items)] * 2)
    fake.add("GET", "/v1.0/connectors", *[page_handler(items)] * 2)
    client.connectors(ACCOUNT, progress=True)
    assert "connectors" in capsys.readouterr().err
    client.connectors(ACCOUNT, progress=None)  # auto: not a notebook -> silent
    assert capsys.readouterr().err == ""


# -- retries -----------------------------------------------------------------------------------


def test_get_retries_honour_retry_after(
    client: CyclrClient, fake: FakeCyclr, sleeps: list[float]
) -> None:
    fake.add(
        "GET",
        "/v1.0/accounts/a1",
        error_response(429, "slow down", {"Retry-After": "7"}),
        error_response(503, "busy"),
        httpx.ReadTimeout("timed out"),
        json_response({"Id": "a1"}),
    )
    assert client.account("a1") == {"Id": "a1"}
    # 7 s as asked; then full-jitter backoff 0.5 * 2**n * 0.5
    assert sleeps == [7.0, 0.5, 1.0]


def test_get_gives_up_after_max_retries(
    client: CyclrClient, fake: FakeCyclr, sleeps: list[float]
) -> None:
    fake.add("GET", "/v1.0/accounts/a1", *[error_response(502, "bad gateway")] * 5)
    with pytest.raises(ServerError) as info:
        client.account("a1")
    assert info.value.status_code == 502
    assert len(sleeps) == 4


def test_retry_after_too_long_is_not_waited(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/accounts/a1", error_response(429, "later", {"Retry-After": "3600"}))
    with pytest.raises(RateLimitError) as info:
        client.account("a1")
    assert info.value.retry_after == 3600.0


def test_put_and_delete_are_retried(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("DELETE", AC_PATH, httpx.ConnectError("refused"), httpx.Response(200))
    fake.add(
        "PUT", AC_PATH, error_response(504, "timeout"), json_response(account_connector_item())
    )
    client.delete_account_connector(ACCOUNT, 54321)
    client.update_account_connector(ACCOUNT, 54321, name="x")
    assert len(fake.calls()) == 4


@pytest.mark.parametrize("status", [502, 503, 504])
def test_install_never_retried_on_gateway_error(
    client: CyclrClient, fake: FakeCyclr, sleeps: list[float], status: int
) -> None:
    fake.add("POST", "/v1.0/connectors/2550/install", error_response(status, "gateway"))
    with pytest.raises(OutcomeUnknownError) as info:
        client.install_connector(ACCOUNT, 2550, name="My CRM")
    assert len(fake.calls("POST")) == 1 and sleeps == []
    assert info.value.status_code == status
    assert "find_account_connectors" in str(info.value)
    assert info.value.check == f"client.find_account_connectors({ACCOUNT!r}, name='My CRM')"


def test_install_never_retried_after_sending(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/connectors/2550/install", httpx.ReadError("connection reset"))
    with pytest.raises(OutcomeUnknownError, match="outcome is unknown") as info:
        client.install_connector(ACCOUNT, 2550, name="My CRM")
    assert isinstance(info.value, TransportError)
    assert len(fake.calls("POST")) == 1


def test_install_retried_after_a_429_refusal(
    client: CyclrClient, fake: FakeCyclr, sleeps: list[float]
) -> None:
    # A 429 means Cyclr did not act on the request: sending it again after Retry-After is safe.
    fake.add(
        "POST",
        "/v1.0/connectors/2550/install",
        error_response(429, "slow", {"Retry-After": "1"}),
        json_response(account_connector_item()),
    )
    assert (client.install_connector(ACCOUNT, 2550, name="My CRM")).id == 54321
    assert len(fake.calls("POST")) == 2 and sleeps == [1.0]


def test_install_gives_up_after_429s(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add(
        "POST",
        "/v1.0/connectors/2550/install",
        *[error_response(429, "slow", {"Retry-After": "1"})] * 5,
    )
    with pytest.raises(RateLimitError):
        client.install_connector(ACCOUNT, 2550, name="My CRM")
    assert len(fake.calls("POST")) == 5  # the first try and max_retries=4 retries


def test_install_retried_when_never_sent(
    client: CyclrClient, fake: FakeCyclr, sleeps: list[float]
) -> None:
    fake.add(
        "POST",
        "/v1.0/connectors/2550/install",
        httpx.ConnectError("refused"),
        json_response(account_connector_item()),
    )
    assert client.install_connector(ACCOUNT, 2550, name="My CRM").id == 54321
    assert len(fake.calls("POST")) == 2 and len(sleeps) == 1


def test_install_after_failed_token_request(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.on_token(error_response(503, "busy"))
    fake.add("POST", "/v1.0/connectors/2550/install", json_response(account_connector_item()))
    assert client.install_connector(ACCOUNT, 2550, name="My CRM").id == 54321
    assert len(fake.calls("POST")) == 1


def test_create_account_not_retried(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/accounts", httpx.ReadTimeout("read timeout"))
    with pytest.raises(OutcomeUnknownError, match=r"client\.accounts"):
        client.create_account("N")


def test_transport_error_after_retries(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/accounts/a1", *[httpx.ConnectError("refused")] * 5)
    with pytest.raises(TransportError, match="no response") as info:
        client.account("a1")
    assert not isinstance(info.value, OutcomeUnknownError)
    assert info.value.status_code is None and info.value.path == "/v1.0/accounts/a1"


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, ValidationError),
        (403, AccessDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, ValidationError),
        (500, ServerError),
        (418, CyclrError),
    ],
)
def test_error_classes(client: CyclrClient, fake: FakeCyclr, status: int, cls: type) -> None:
    fake.add("GET", f"/v1.0/cycles/{CYCLE}", error_response(status, f"Cyclr says {status}"))
    with pytest.raises(cls) as info:
        client.cycle(ACCOUNT, CYCLE)
    err = info.value
    assert (err.status_code, err.method, err.path) == (status, "GET", f"/v1.0/cycles/{CYCLE}")
    if status == 403:  # a sentence of ours around Cyclr's message (not always bad credentials)
        assert "(403 Forbidden): Cyclr says 403." in err.message
    else:
        assert err.message == f"Cyclr says {status}"


def test_not_json(client: CyclrClient, fake: FakeCyclr) -> None:
    fake.add("GET", f"/v1.0/cycles/{CYCLE}", httpx.Response(200, text="<html>"))
    with pytest.raises(CyclrError, match="not JSON"):
        client.cycle(ACCOUNT, CYCLE)


# -- bad input never reaches the network ---------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.account_connector("", 1),
        lambda c: c.account_connector(None, 1),  # no default account
        lambda c: c.account_connector(ACCOUNT, "12"),
        lambda c: c.account_connector(ACCOUNT, True),
        lambda c: c.install_connector(ACCOUNT, 0, name="x"),
        lambda c: c.install_connector(ACCOUNT, 1, name=""),
        lambda c: c.cycle(ACCOUNT, ""),
        lambda c: c.connectors(ACCOUNT, limit=-1),
        lambda c: c.update_account_connector(ACCOUNT, 1),
        lambda c: c.create_account("x", colour="red"),
    ],
)
def test_bad_input_fails_before_any_request(client: CyclrClient, fake: FakeCyclr, call) -> None:
    with pytest.raises(ValueError):
        call(client)
    assert fake.requests == []


# -- concurrent pages --------------------------------------------------------------------------


def test_pages_after_the_first_are_fetched_concurrently_and_bounded() -> None:
    import threading
    import time

    lock = threading.Lock()
    state = {"now": 0, "max": 0, "order": []}
    serve = page_handler([connector_item(i) for i in range(1, 11)])

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return json_response({"access_token": "t", "expires_in": 3600})
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
            state["order"].append(int(request.url.params["page"]))
        time.sleep(0.02)
        with lock:
            state["now"] -= 1
        return serve(request)

    transport = httpx.MockTransport(handler)
    with CyclrClient(
        "id", "secret", api_url=API, transport=transport, page_size=1, concurrency=3
    ) as c:
        df = c.connectors(ACCOUNT)
    assert list(df["Id"]) == list(range(1, 11))  # page order, whatever the arrival order
    assert state["order"][0] == 1 and sorted(state["order"]) == list(range(1, 11))
    assert 2 <= state["max"] <= 3


def test_http_client_passed_in_is_used_and_not_closed(fake: FakeCyclr) -> None:
    fake.add("GET", "/v1.0/accounts/a1", json_response({"Id": "a1"}))
    http = httpx.Client(transport=httpx.MockTransport(fake))
    with CyclrClient(CLIENT_ID, CLIENT_SECRET, api_url=API, http_client=http) as c:
        assert c.account("a1") == {"Id": "a1"}
    assert not http.is_closed
    http.close()


def test_an_async_only_transport_is_refused_clearly() -> None:
    class AsyncOnly(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            raise AssertionError("never called")

    with pytest.raises(TypeError, match="sync transport"):
        CyclrClient(client_id="a", client_secret="b", api_url="https://x", transport=AsyncOnly())
