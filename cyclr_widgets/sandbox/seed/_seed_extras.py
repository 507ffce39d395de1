"""Seeded users, account connector custom fields and custom connectors."""

from __future__ import annotations

import random
from typing import Any

from ._seed_connectors import icon
from ._seed_history import guid

__all__ = ["MARKETPLACE_IDS", "USER_PASSWORD", "build_extras"]

#: The password of every seeded user (``/v1.0/users/launch`` and friends check it).
USER_PASSWORD = "Password123!"
#: Marketplaces the partner has (Cyclr's ids are integers; e.g. 1234 in its docs).
MARKETPLACE_IDS = [1234, 1235]
FIRST_NAMES = ["jane", "john", "amy", "raj", "li", "omar", "sara", "tom", "ana", "kim"]
LAST_NAMES = ["doe", "smith", "lee", "patel", "chen", "haddad", "berg", "novak", "silva", "park"]
CUSTOM_CONNECTORS = [
    ("Acme Internal API", "The partner's in-house REST API.", "ApiKey"),
    ("Acme Legacy ERP", "SOAP bridge to the old ERP.", "Basic"),
]


def _custom_connector(cid: int, acc: str, name: str, desc: str, auth: str) -> dict[str, Any]:
    return {
        "Id": cid,
        "AccountId": acc,
        "Name": name,
        "Description": desc,
        "Status": "Approved",
        "Version": "1.0",
        "Icon": icon(name, "#495057"),
        "AuthDescription": None,
        "AuthType": auth,
        "OAuth2Type": "Unknown",
        "AuthScheme": None,
        "Categories": ["Custom"],
        "Parameters": [],
        "IsCustom": True,
    }


def build_extras(
    xrng: random.Random,
    accounts: list[dict[str, Any]],
    acs: list[dict[str, Any]],
    methods: list[dict[str, Any]],
    main: str,
    first_ac: int,
) -> dict[str, Any]:
    """Users for every account, a custom field on ``first_ac``, custom connectors in ``main``."""
    users: list[dict[str, Any]] = []
    for n, acc in enumerate(accounts):
        names = ["jane.doe", "john.smith"] if acc["Id"] == main else []
        while len(names) < (2 if names else 1 + n % 2):
            cand = f"{xrng.choice(FIRST_NAMES)}.{xrng.choice(LAST_NAMES)}"
            names += [cand] if cand not in names else []
        users += [
            {"AccountId": acc["Id"], "Id": guid(xrng), "UserName": u, "Password": USER_PASSWORD}
            for u in names
        ]
    ac = next(a for a in acs if a["Id"] == first_ac)
    method = next(m for m in methods if m["ConnectorId"] == ac["ConnectorId"])
    fields = [
        {
            "Id": 7001,
            "AccountConnectorId": first_ac,
            "ConnectorField": "Industry__c",
            "SystemField": "Industry",
            "DisplayName": "Industry",
            "Description": "The customer's industry.",
            "DataType": "Text",
            "MethodUniqueIdentifier": method["MethodUniqueIdentifier"],
            "DataTypeFormat": None,
            "EntityIdentifier": False,
            "ForRequestFormat": None,
        }
    ]
    other = next(a for a in acs if a["AccountId"] != main)
    fields.append({**fields[0], "Id": 7002, "AccountConnectorId": other["Id"]})
    customs = [
        _custom_connector(9001 + n, main, name, desc, auth)
        for n, (name, desc, auth) in enumerate(CUSTOM_CONNECTORS)
    ]
    other_acc = next(a["Id"] for a in accounts if a["Id"] != main)
    customs.append(_custom_connector(9003, other_acc, "Globex Tools", "In-house tools.", "None"))
    return {
        "users": users,
        "custom_fields": fields,
        "custom_connectors": customs,
        "ids": {
            "username": "jane.doe",
            "custom_field_id": 7001,
            "custom_connector_id": 9001,
            "other_custom_connector_id": 9003,
            "marketplace_id": MARKETPLACE_IDS[0],
        },
    }
