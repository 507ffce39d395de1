"""Sub-accounts, usage, users and sign-in tokens that create no stray users: both clients."""

from __future__ import annotations

import traceback

import pandas as pd
import pytest

from cyclr_widgets import AuthValue, SignInToken, ValidationError
from tests.support.client import ACCOUNT, SIGN_IN, FakeCyclr, body, json_response, page_handler
from tests.support.twins import Twin

PASSWORD = "Pa55word-never-shown"
BASE = f"/v1.0/accounts/{ACCOUNT}"


def test_subaccounts_are_a_partner_level_listing(twin: Twin, fake: FakeCyclr) -> None:
    subs = [{"Id": "child-1", "Name": "Child", "CreatedDate": "2024-01-02T03:04:05Z"}]
    fake.add("GET", f"{BASE}/subaccounts", page_handler(subs), page_handler(subs))
    frame = twin.subaccounts(ACCOUNT)
    assert isinstance(frame, pd.DataFrame) and list(frame["Id"]) == ["child-1"]
    assert twin.iter_subaccounts(ACCOUNT) == subs
    for request in fake.calls():
        assert "X-Cyclr-Account" not in request.headers
        assert request.url.params["page"] == "1"


def test_account_usage(twin: Twin, fake: FakeCyclr) -> None:
    usage = {"Id": ACCOUNT, "TasksUsed": 12, "StartTime": "2024-01-01T00:00:00Z"}
    fake.add("GET", f"{BASE}/usage", json_response(usage))
    assert twin.account_usage(ACCOUNT) == usage


def test_account_users_listing(twin: Twin, fake: FakeCyclr) -> None:
    users = [{"Id": "u1", "UserName": "jane.doe"}]
    fake.add("GET", f"{BASE}/users", page_handler(users), page_handler(users))
    assert list(twin.account_users(ACCOUNT)["UserName"]) == ["jane.doe"]
    assert twin.iter_account_users(ACCOUNT) == users


def test_add_remove_user_and_set_password(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("PUT", f"{BASE}/users", json_response({}))
    fake.add("DELETE", f"{BASE}/users", json_response({}))
    fake.add("PUT", "/v1.0/users", json_response({}))
    twin.add_account_user(ACCOUNT, "new.user", PASSWORD)
    twin.remove_account_user(ACCOUNT, "new.user")
    twin.set_user_password("new.user", AuthValue(PASSWORD))
    add, remove, password = fake.calls()
    assert (add.method, body(add)) == ("PUT", {"UserName": "new.user", "Password": PASSWORD})
    assert (remove.method, body(remove)) == ("DELETE", {"UserName": "new.user"})
    assert body(password) == {"UserName": "new.user", "Password": PASSWORD}
    assert all("X-Cyclr-Account" not in r.headers for r in fake.calls())


@pytest.mark.parametrize(
    ("method", "args"),
    [
        ("add_account_user", (ACCOUNT, "", PASSWORD)),
        ("add_account_user", (ACCOUNT, "u", "")),
        ("add_account_user", (ACCOUNT, "u", 1234)),
        ("add_account_user", ("a/b", "u", PASSWORD)),
        ("remove_account_user", (ACCOUNT, "  ")),
        ("set_user_password", ("u", None)),
        ("set_user_password", ("x" * 300, PASSWORD)),
    ],
)
def test_bad_user_input_is_refused_before_sending(
    twin: Twin, fake: FakeCyclr, method: str, args: tuple[object, ...]
) -> None:
    with pytest.raises(ValidationError):
        getattr(twin, method)(*args)
    assert fake.calls() == []


def test_a_refused_password_never_shows(twin: Twin, fake: FakeCyclr) -> None:
    echo = f"Password {PASSWORD} is too weak"
    fake.add("PUT", f"{BASE}/users", json_response({"Message": echo}, status=400))
    with pytest.raises(ValidationError) as info:
        twin.add_account_user(ACCOUNT, "u", PASSWORD)
    err = info.value
    text = str(err) + repr(err) + "".join(traceback.format_exception(err))
    assert PASSWORD not in text and "***" in err.message


# -- sign-in tokens: no stray users ----------------------------------------------------------


def test_sign_in_token_uses_an_existing_user_by_default(twin: Twin, fake: FakeCyclr) -> None:
    users = [{"Id": "2", "UserName": "zoe"}, {"Id": "1", "UserName": "anna"}]
    fake.add("GET", f"{BASE}/users", page_handler(users))
    fake.add("POST", f"{BASE}/signintoken", json_response(SIGN_IN))
    tok = twin.sign_in_token(ACCOUNT)
    assert isinstance(tok, SignInToken) and tok.username == "anna"  # the first by name
    assert body(fake.calls("POST")[0]) == {"Username": "anna"}
    assert "username='anna'" in repr(tok) and SIGN_IN["Token"] not in repr(tok) + str(tok)


def test_sign_in_token_refuses_to_create_a_user_silently(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("GET", f"{BASE}/users", page_handler([]))
    with pytest.raises(ValidationError, match=r"has no users.*username=.*Nothing was created"):
        twin.sign_in_token(ACCOUNT)
    assert [r.method for r in fake.calls()] == ["GET"]


def test_sign_in_token_for_a_named_user_asks_nothing_else(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", f"{BASE}/signintoken", json_response(SIGN_IN))
    tok = twin.sign_in_token(ACCOUNT, "jane.doe")
    assert tok.username == "jane.doe" and len(fake.calls()) == 1


def test_legacy_sign_in_token_lists_no_users(twin: Twin, fake: FakeCyclr) -> None:
    fake.add("POST", "/v1.0/accounts/tokens", json_response(SIGN_IN))
    tok = twin.sign_in_token(ACCOUNT, legacy=True)
    assert tok.username is None and fake.calls()[0].headers["X-Cyclr-Account"] == ACCOUNT
