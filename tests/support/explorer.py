"""A fake ``ExplorerClient`` for the AccountExplorer tests: records as the client yields them.

Structural (no Protocol inherited): ``tests/core/test_client_protocol.py`` has mypy check that it
conforms. Every call is recorded in ``calls``; ``fail[name]`` makes a call raise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cyclr_widgets.core import AccountConnector, AuthValue, CyclrError, SignInToken

ACCOUNT = "acme-0001"
ACCOUNTS = [
    {"Id": ACCOUNT, "Name": "Acme Corp", "Description": "Big customer"},
    {"Id": "9f1c-guid", "Name": "Globex", "Description": None},
]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)


def ac(i: int, name: str, auth_type: str, authenticated: bool) -> dict[str, Any]:
    return {
        "Id": i,
        "Name": name,
        "Authenticated": authenticated,
        "AuthValue": "secret-auth-value",
        "Connector": {"Id": 100 + i, "Name": name, "Version": "1.0", "AuthType": auth_type},
    }


CONNECTORS = [
    ac(51, "Salesforce", "OAuth2", False),
    ac(52, "HubSpot", "OAuth2", True),
    ac(53, "Mailchimp", "ApiKey", False),
]


def method(gid: str, kind: str) -> dict[str, Any]:
    return {"Id": gid, "AuthName": f"{kind} auth", "AuthType": kind, "OAuth2Type": "Unknown"}


# The library records (client.connector): the account connectors' records above carry no
# Authentication[], as Cyclr's do not. Salesforce's cannot be read (the AuthType fallback);
# HubSpot offers OAuth and an API key (a dual connector).
LIBRARY = {
    152: {"Id": 152, "Name": "HubSpot", "AuthType": "OAuth2",
          "Authentication": [method("g-oauth", "OAuth2"), method("g-key", "ApiKey")],
          "Parameters": [{"Name": "Client secret", "TargetName": "ClientSecret",
                          "IsAccountConnectorProperty": True, "IsSensitive": True},
                         {"Name": "Portal", "TargetName": "PortalId",
                          "IsAccountConnectorProperty": True, "IsSensitive": False}]},
    153: {"Id": 153, "Name": "Mailchimp", "AuthType": "ApiKey",
          "Authentication": [method("g-mc", "ApiKey")]},
}  # fmt: skip
CYCLES = [
    {
        "Id": "c-1",
        "Name": "Sync leads",
        "Status": "Active",
        "ErrorCount": 3,
        "WarningCount": 1,
        "LastSuccessfulRunDate": "2024-01-02T03:04:05Z",
    },
    {
        "Id": "c-2",
        "Name": "Nightly",
        "Status": "Paused",
        "ErrorCount": 0,
        "WarningCount": 0,
        "LastSuccessfulRunDate": "0001-01-01T00:00:00",
    },
]
INCIDENTS = {
    "error": [
        {
            "CycleId": "c-1",
            "CycleName": "Sync leads",
            "IncidentLevel": "Error",
            "ShortMessage": "401 Unauthorized",
            "StepName": "Get leads",
            "StepId": "s-2",
            "FullMessage": "401 Unauthorized\r\n<html>token expired</html>",
            "TransactionId": "t-1",
        }
    ],
    "warning": [
        {
            "CycleId": "c-1",
            "CycleName": "Sync leads",
            "IncidentLevel": "Warning",
            "ShortMessage": "Slow response",
            "StepName": "Post",
            "FullMessage": "took 30 s",
            "TransactionId": "t-2",
        }
    ],
}
TRANSACTIONS = [
    {"Id": "t-2", "CycleId": "c-1", "CycleName": "Sync leads", "Status": "Completed",
     "StartedOnUtc": "2026-12-01T10:00:00Z", "TasksUsed": 2},
    {"Id": "t-1", "CycleId": "c-1", "CycleName": "Sync leads", "Status": "Errored",
     "StartedOnUtc": "2026-12-01T09:00:00Z", "TasksUsed": 2},
]  # fmt: skip
LEAKED_TOKEN = "leaked-bearer-token-1234"
STEPS = {
    "t-1": [
        {"Id": "r-1", "StepId": "s-1", "StepName": "Trigger", "Status": "Completed",
         "StartedOnUtc": "2026-12-01T09:00:00Z",
         "Request": "GET https://crm.test/leads\r\nAuthorization: REDACTED\r\n",
         "Response": "200 OK\r\n[]"},
        {"Id": "r-2", "StepId": "s-2", "StepName": "Get leads", "Status": "Errored",
         "Message": "Failed to call the method", "StartedOnUtc": "2026-12-01T09:00:01Z",
         # A connector's own auth header Cyclr did not scrub: the widget masks it.
         "Request": "POST https://crm.test/leads?api_key=k123\r\n"
                    f"X-Api-Key: {LEAKED_TOKEN}\r\nContent-Type: application/json\r\n\r\n"
                    '{"email": "a@b.test", "password": "hunter2"}',
         "Response": '401 Unauthorized\r\n{"Message": "token expired"}\r\n\r\n\r\n'
                     "HTTP Request:\r\nPOST https://crm.test/leads\r\nAuthorization: REDACTED"},
    ],
    "t-2": [],
}  # fmt: skip
MAPPINGS = {
    "s-2": [{"Field": {"Id": 7, "Name": "email"}, "MappingType": "StepOutput", "Value": None},
            {"Field": {"Id": 8, "Name": "tag"}, "MappingType": "StaticValue", "Value": "crm"}],
    "s-1": [],
}  # fmt: skip
PARAMETERS = {
    "s-2": [{"Parameter": {"Id": 9, "Name": "List"}, "MappingType": "StaticValue", "Value": "l1"}],
    "s-1": [],
}
# The health scan's rows (client/_health.py's columns): Acme has a broken connector and a failing
# cycle, Globex is healthy. The partner view shows them worst first.
HEALTH = {ACCOUNT: 40, "9f1c-guid": 100}


def health_row(account: Mapping[str, Any], score: int, error: str | None = None) -> dict[str, Any]:
    """A row as ``iter_account_health`` yields it (counts ``None`` for an account in error)."""
    ok = error is None
    bad = 100 - score
    return {
        "Id": account["Id"], "Name": account.get("Name"), "Score": 0 if error else score,
        "Error": error, "Connectors": 3 if ok else None,
        "NotAuthenticated": (bad // 30) if ok else None, "NotAuthenticatedNames": [],
        "CyclesActive": 1 if ok else None, "CyclesPaused": 1 if ok else None,
        "CyclesInError": (bad // 30) if ok else None, "ErrorIncidents": bad % 30 if ok else None,
        "WarningIncidents": 0 if ok else None, "LastSuccessfulRun": "2026-12-01T09:00:00Z",
        "ParentAccountId": None,
    }  # fmt: skip


VARIABLES = {"c-1": [{"SystemName": "LastRun", "DisplayName": "Last run", "Value": "2024"}]}


class FakeClient:
    """A structural ExplorerClient: records as the client yields them, calls recorded."""

    service_url: str | None = "https://acme-h.test.cyclr"

    def __init__(self) -> None:
        self.fail: dict[str, Exception] = {}
        self.calls: list[tuple[str, Any]] = []
        self.connectors = [dict(c) for c in CONNECTORS]
        self.cycles = [dict(c) for c in CYCLES]
        self.updates: list[tuple[str, int, dict[str, Any]]] = []
        self.accept = True  # whether Cyclr calls the saved credentials authenticated
        self.prerequisites: dict[str, list[dict[str, Any]]] = {}
        self.properties: list[dict[str, Any]] = [{"Id": 1, "Name": "PortalId", "Value": "p-1"}]
        self.timezone: str | None = "America/New_York"
        self.history_bounds: list[tuple[Any, Any]] = []
        self.clock_now = NOW
        # The health scan: scores by account (100 when not listed), accounts answering an
        # error, the scans asked for ([ids], window), and a hook run before each row (a test
        # blocks it to hold the scan mid-way).
        self.health = dict(HEALTH)
        self.health_errors: dict[str, str] = {}
        self.health_calls: list[tuple[list[str], str]] = []
        self.health_gate: Callable[[str], None] = lambda account_id: None

    def now(self) -> datetime:
        return self.clock_now

    def _maybe_fail(self, what: str, arg: Any) -> None:
        self.calls.append((what, arg))
        assert what == "accounts" or arg == ACCOUNT
        if what in self.fail:
            raise self.fail[what]

    def iter_accounts(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        assert kwargs.get("progress") is False
        self._maybe_fail("accounts", None)
        return iter(ACCOUNTS)

    def account(self, account_id: str) -> dict[str, Any]:
        self._maybe_fail("account", account_id)
        return {**ACCOUNTS[0], "Timezone": self.timezone}

    def iter_account_connectors(self, account_id: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        self._maybe_fail("account_connectors", account_id)
        return iter(self.connectors)

    def connector(self, connector_id: int, *, account_id: str) -> dict[str, Any]:
        self._maybe_fail("connector", account_id)
        if connector_id not in LIBRARY:
            raise CyclrError("Connector not found.", status_code=404)
        return LIBRARY[connector_id]

    def update_account_connector(
        self, account_id: str, account_connector_id: int, **kwargs: Any
    ) -> AccountConnector:
        self._maybe_fail("update", account_id)
        self.updates.append((account_id, account_connector_id, kwargs))
        row = next(c for c in self.connectors if c["Id"] == account_connector_id)
        row["Authenticated"] = self.accept
        return AccountConnector.from_api(row)

    def iter_cycles(self, account_id: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        self._maybe_fail("cycles", account_id)
        return iter([dict(c) for c in self.cycles])

    def iter_incidents(
        self, account_id: str, level: str = "error", **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        self._maybe_fail(f"incidents:{level}", account_id)
        self.history_bounds.append((kwargs.get("after"), kwargs.get("before")))
        return iter(INCIDENTS[level])

    def iter_transactions(self, account_id: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        self._maybe_fail("transactions", account_id)
        return iter(TRANSACTIONS)

    def iter_transaction_steps(
        self, account_id: str, cycle_id: str, transaction_id: str, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        self._maybe_fail("transaction_steps", account_id)
        if transaction_id not in STEPS:
            raise CyclrError("Transaction not found.", status_code=404)
        return iter(STEPS[transaction_id])

    def iter_step_field_mappings(
        self, account_id: str, step_id: str, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        self._maybe_fail("step_field_mappings", account_id)
        return iter(MAPPINGS.get(step_id, []))

    def iter_step_parameters(
        self, account_id: str, step_id: str, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        self._maybe_fail("step_parameters", account_id)
        return iter(PARAMETERS.get(step_id, []))

    def support_bundle(self, account_id: str, path: str | Path) -> Path:
        self.calls.append(("support_bundle", account_id))
        Path(path).write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
        return Path(path)

    def iter_cycle_variables(
        self, account_id: str, cycle_id: str, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        self._maybe_fail("cycle_variables", account_id)
        return iter(VARIABLES.get(cycle_id, []))

    def cycle_prerequisites(self, account_id: str, cycle_id: str) -> list[dict[str, Any]]:
        self._maybe_fail("cycle_prerequisites", account_id)
        return self.prerequisites.get(cycle_id, [])

    def _cycle(self, cycle_id: str) -> dict[str, Any]:
        return next(c for c in self.cycles if c["Id"] == cycle_id)

    def activate_cycle(
        self, account_id: str, cycle_id: str, *, run_once: bool | None = None
    ) -> None:
        self._maybe_fail("activate_cycle", account_id)
        self.updates.append((account_id, 0, {"activate": cycle_id, "run_once": run_once}))
        self._cycle(cycle_id)["Status"] = "Active"

    def deactivate_cycle(self, account_id: str, cycle_id: str) -> None:
        self._maybe_fail("deactivate_cycle", account_id)
        self.updates.append((account_id, 0, {"deactivate": cycle_id}))
        self._cycle(cycle_id)["Status"] = "Paused"

    def clear_cycle_incidents(self, account_id: str, cycle_id: str) -> None:
        self._maybe_fail("clear_cycle_incidents", account_id)
        self.updates.append((account_id, 0, {"clear": cycle_id}))

    def deauthenticate_account_connector(self, account_id: str, ac_id: int) -> str | None:
        self._maybe_fail("deauthenticate", account_id)
        self.updates.append((account_id, ac_id, {"deauthenticate": True}))
        next(c for c in self.connectors if c["Id"] == ac_id)["Authenticated"] = False
        return None

    def iter_account_connector_properties(
        self, account_id: str, ac_id: int, **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        self._maybe_fail("properties", account_id)
        return iter(self.properties)

    def add_account_connector_property(
        self, account_id: str, ac_id: int, name: str, value: AuthValue | str
    ) -> dict[str, Any]:
        self._maybe_fail("add_property", account_id)
        self.updates.append((account_id, ac_id, {"add": name, "value": value}))
        return {"Id": 2, "Name": name}

    def update_account_connector_property(
        self,
        account_id: str,
        ac_id: int,
        property_id: int,
        value: AuthValue | str,
        *,
        name: str | None = None,
    ) -> dict[str, Any]:
        self._maybe_fail("update_property", account_id)
        self.updates.append((account_id, ac_id, {"update": property_id, "value": value}))
        return {"Id": property_id, "Name": name}

    def iter_account_health(
        self,
        accounts: Sequence[Mapping[str, Any]],
        *,
        window: str = "24h",
        should_stop: Callable[[], bool] | None = None,
    ) -> Iterator[dict[str, Any]]:
        # Not in `calls`: the scan runs on the explorer's thread, beside the other calls.
        self.health_calls.append(([str(a["Id"]) for a in accounts], window))
        if "health" in self.fail:
            raise self.fail["health"]
        for account in accounts:
            if should_stop is not None and should_stop():
                return
            self.health_gate(account["Id"])
            if should_stop is not None and should_stop():
                return  # stopped while this account was in flight: its row is dropped
            score = self.health.get(account["Id"], 100)
            yield health_row(account, score, self.health_errors.get(account["Id"]))

    # The popup's part (the Connect button builds an OAuthPopup; no test signs in here).
    def sign_in_token(self, account_id: str, username: str | None = None) -> SignInToken:
        raise AssertionError("not used by these tests")

    def account_connector(self, account_id: str, ac_id: int) -> AccountConnector:
        raise AssertionError("not used by these tests")
