"""Every record listing of the clients, for the mirrored iterator tests (test_iter_*.py)."""

from __future__ import annotations

from typing import Any

from tests.support.client import ACCOUNT, account_connector_item, connector_item

CYCLE = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
AC = 54321

# (iter_ method, DataFrame method, args, kwargs, path, items)
LISTINGS: list[tuple[str, str, tuple[Any, ...], dict[str, Any], str, list[dict[str, Any]]]] = [
    ("iter_accounts", "accounts", (), {}, "/v1.0/accounts", [{"Id": "a1"}, {"Id": "a2"}]),
    (
        "iter_connectors",
        "connectors",
        (ACCOUNT,),
        {"query": "crm", "category": "CRMs"},
        "/v1.0/connectors",
        [connector_item(1), connector_item(2), connector_item(3)],
    ),
    (
        "iter_account_connectors",
        "account_connectors",
        (ACCOUNT,),
        {},
        "/v1.0/account/connectors",
        [account_connector_item(1), account_connector_item(2, AuthValue=None)],
    ),
    (
        "iter_account_connector_properties",
        "account_connector_properties",
        (ACCOUNT, AC),
        {},
        f"/v1.0/account/connectors/{AC}/properties",
        [
            {"Id": 1, "Name": "Subdomain", "Value": "acme", "AccountConnectorId": AC},
            {"Id": 2, "Name": "ApiToken", "Value": "tok-SECRET", "AccountConnectorId": AC},
        ],
    ),
    ("iter_templates", "templates", (), {}, "/v1.0/templates", [{"Id": CYCLE, "Name": "T"}]),
    ("iter_cycles", "cycles", (ACCOUNT,), {}, "/v1.0/cycles", [{"Id": CYCLE, "Name": "C"}]),
    (
        "iter_transactions",
        "transactions",
        (ACCOUNT,),
        {"status": "Completed", "after": "2024-01-01"},
        "/v1.0/cycles/transactions",
        [{"Id": "t1", "CycleId": CYCLE, "Status": "Completed"}],
    ),
    (
        "iter_incidents",
        "incidents",
        (ACCOUNT, "warning"),
        {"cycle_id": CYCLE},
        f"/v1.0/cycles/{CYCLE}/incidents",
        [{"CycleId": CYCLE, "IncidentLevel": "Warning", "ShortMessage": "slow"}],
    ),
]
SECRETS = ("super-secret-auth-value", "prop-secret-xyz", "tok-SECRET")


def masked(item: dict[str, Any]) -> dict[str, Any]:
    """What the client yields for ``item``: the same dict, secrets masked as frames mask them."""
    out = dict(item)
    if out.get("AuthValue") is not None:
        out["AuthValue"] = "***"
    if "Properties" in out:
        out["Properties"] = [
            {**p, "Value": "***"} if p["Name"] == "ClientSecret" else p for p in out["Properties"]
        ]
    if out.get("Name") == "ApiToken":
        out["Value"] = "***"
    return out
