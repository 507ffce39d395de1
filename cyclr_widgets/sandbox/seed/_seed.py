"""Deterministic seed data that looks like a real Cyclr partner.

Everything here is derived from one ``random.Random(seed)``, so the same seed always gives the
same ids, names and states; tests may rely on the ids listed in :data:`FIXED`.
"""

from __future__ import annotations

import base64
import json
import random
from datetime import timedelta
from typing import Any

from ._seed_history import EPOCH, build_history, guid, iso

__all__ = ["FIXED", "build_seed", "iso", "new_account"]

#: Ids that do not depend on the ``accounts``/``connectors`` sizes (tests may rely on them).
FIXED: dict[str, Any] = {
    "account_id": "acme-corp-0001",  # partner-chosen API ID, 50+ connectors installed
    "other_account_id": "globex-0002",  # a second account (for wrong-account tests)
    "empty_account_id": "initech-0003",  # no connectors, no cycles
    "sub_account_id": "acme-emea-0004",  # a sub-account of account_id
    "first_connector_id": 2001,
    "first_account_connector_id": 50001,
}

ICON = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
CATEGORIES = [
    "CRMs",
    "Marketing",
    "Accounting",
    "E-Commerce",
    "Helpdesk",
    "Project Management",
    "Communication",
    "File Storage",
    "HR",
    "Developer Tools",
    "Payments",
    "Analytics",
]
# (AuthType, OAuth2Type, AuthName); the order decides which connector gets which type.
AUTH_KINDS = [
    ("OAuth2", "AuthorisationCode", "OAuth 2.0"),
    ("ApiKey", "Unknown", "API Key"),
    ("Basic", "Unknown", "HTTP Basic"),
    ("OAuth2", "ClientCredentials", "OAuth 2.0 Client Credentials"),
    ("OAuth1", "Unknown", "OAuth 1.0a"),
    ("None", "Unknown", "No authentication"),
]
WELL_KNOWN = [
    "Salesforce",
    "HubSpot",
    "Mailchimp",
    "Access CRM",
    "Xero",
    "Shopify",
    "Zendesk",
    "Slack",
    "Dropbox",
    "BambooHR",
    "GitHub",
    "Stripe",
    "Google Analytics",
    "Pipedrive",
    "QuickBooks Online",
    "Magento",
    "Freshdesk",
    "Asana",
    "Trello",
    "Box",
]
PREFIXES = [
    "Acu",
    "Bright",
    "Cloud",
    "Data",
    "Easy",
    "Flow",
    "Giga",
    "Hyper",
    "Info",
    "Jet",
    "Kin",
    "Lumen",
    "Mega",
    "Nimbus",
    "Omni",
    "Pixel",
    "Quick",
    "Rapid",
    "Smart",
    "Tera",
    "Uni",
    "Vector",
    "Wave",
    "Xeno",
    "Zen",
]
SUFFIXES = ["Desk", "Books", "Mail", "Cart", "Sync", "Hub", "Track", "Pay", "Stack", "Base", "Ly"]
PARAMS = [
    ("Subdomain", "subdomain", "Text", None),
    ("Region", "region", "Text", ["us", "eu", "apac"]),
    ("Use sandbox", "isSandbox", "Boolean", ["true", "false"]),
    ("API version", "apiVersion", "Text", None),
    ("Company id", "companyId", "Text", None),
]


def _connector(rng: random.Random, cid: int, name: str, kind_index: int) -> dict[str, Any]:
    auth_type, oauth2_type, auth_name = AUTH_KINDS[kind_index % len(AUTH_KINDS)]
    auths = [
        {
            "Id": guid(rng),
            "AuthName": auth_name,
            "AuthDescription": None,
            "AuthType": auth_type,
            "OAuth2Type": oauth2_type,
            "AuthScheme": None,
        }
    ]
    if auth_type == "OAuth2" and oauth2_type == "AuthorisationCode" and cid % 4 == 1:
        # Some OAuth2 connectors also take an API key, like real multi-method connectors.
        auths.append(
            {
                "Id": guid(rng),
                "AuthName": "API Key",
                "AuthDescription": None,
                "AuthType": "ApiKey",
                "OAuth2Type": "Unknown",
                "AuthScheme": None,
            }
        )
    params: list[dict[str, Any]] = []
    pid = cid * 10
    if oauth2_type == "ClientCredentials":
        for label in ("ClientId", "ClientSecret"):
            pid += 1
            params.append(
                _param(
                    pid,
                    label,
                    label,
                    "Text",
                    None,
                    required=True,
                    sensitive=label == "ClientSecret",
                )
            )
    for label, target, dtype, values in rng.sample(PARAMS, rng.randint(0, 3)):
        pid += 1
        # About one parameter in three is a required account-connector property; the first
        # connectors of each OAuth kind stay free of them so that browser flows need no setup.
        required = cid >= FIXED["first_connector_id"] + 12 and rng.random() < 0.35
        params.append(_param(pid, label, target, dtype, values, required=required))
    if rng.random() < 0.2:
        pid += 1
        params.append(
            {
                **_param(pid, "Record type", "recordType", "Text", None, required=False),
                "TargetType": "Header",
                "IsAccountConnectorProperty": False,
            }
        )
    cats = sorted(rng.sample(CATEGORIES, rng.choice((1, 1, 2))))
    return {
        "Id": cid,
        "Name": name,
        "Description": f"Connect to {name} to sync {cats[0].lower()} data.",
        "Status": "Draft" if cid % 97 == 0 else "Approved",
        "Version": "v3" if name == "Mailchimp" else rng.choice(["1.0", "1.1", "2.0", None]),
        "Icon": ICON if rng.random() < 0.8 else None,
        "AuthDescription": None,
        "AuthType": auth_type,
        "OAuth2Type": oauth2_type,
        "AuthScheme": None,
        "Categories": cats,
        "Parameters": params,
        "Authentication": auths,
        "Triggers": [{"TriggerId": f"{cid}-{n}"} for n in range(rng.randint(0, 2))],
    }


def _param(
    pid: int,
    label: str,
    target: str,
    dtype: str,
    values: list[str] | None,
    *,
    required: bool,
    sensitive: bool = False,
) -> dict[str, Any]:
    return {
        "Id": pid,
        "Name": label,
        "Description": f"The {label} for this account.",
        "TargetType": "Script",
        "TargetName": target,
        "IsAccountConnectorProperty": True,
        "IsSensitive": sensitive,
        "IsOptional": not required,
        "DataType": dtype,
        "TriggerName": None,
        "Values": values or [],
    }


def _auth_value(rng: random.Random, c: dict[str, Any]) -> str:
    kind = c["AuthType"]
    if kind == "ApiKey":
        return f"sk_live_{rng.getrandbits(64):016x}"
    if kind == "Basic":
        return base64.b64encode(
            f"user{rng.randint(1, 99)}:pw{rng.getrandbits(32):x}".encode()
        ).decode()
    if kind == "None":
        return ""
    if c["OAuth2Type"] == "ClientCredentials":
        return "{}"
    return json.dumps(
        {
            "AccessToken": f"seed-at-{rng.getrandbits(64):x}",
            "RefreshToken": f"seed-rt-{rng.getrandbits(64):x}",
            "Expires": "2030-01-01T00:00:00Z",
            "RefreshExpires": "2031-01-01T00:00:00Z",
        }
    )


def new_account(
    acc_id: str,
    name: str,
    *,
    created: str,
    parent: str | None = None,
    description: str | None = None,
    timezone: str = "UTC",
    next_bill: str | None = None,
) -> dict[str, Any]:
    """An account record with every field Cyclr returns (the seed and ``POST /accounts``)."""
    return {
        "Id": acc_id,
        "Name": name,
        "Description": description,
        "CreatedDate": created,
        "AuditInfo": None,
        "TaskAuditInfo": None,
        "Timezone": timezone,
        "NextBillDateUtc": next_bill,
        "StepDataSuccessRetentionHours": None,
        "StepDataErroredRetentionHours": None,
        "TransactionErrorWebhookEnabled": False,
        "TransactionErrorWebhookUrl": None,
        "TransactionErrorWebhookIncludeWarnings": False,
        "ParentAccountId": parent,
    }


def _account(
    rng: random.Random, acc_id: str, name: str, n: int, parent: str | None
) -> dict[str, Any]:
    return new_account(
        acc_id,
        name,
        created=iso(EPOCH + timedelta(hours=n * 7 + rng.random())),
        parent=parent,
        description=f"Seeded customer account {n}",
        timezone=rng.choice(["Europe/London", "America/New_York", "Europe/Berlin", "UTC"]),
        next_bill=iso(EPOCH + timedelta(days=400)),
    )


def build_seed(seed: int, n_accounts: int | None, n_connectors: int | None) -> dict[str, Any]:
    """Build every seeded row; returns plain lists of dicts (the store writes them)."""
    rng = random.Random(seed)
    n_connectors = max(n_connectors or 320, 60)
    n_accounts = max(n_accounts or 8, 4)
    first = FIXED["first_connector_id"]
    names: list[str] = list(WELL_KNOWN)
    seen = set(names)
    while len(names) < n_connectors:
        cand = rng.choice(PREFIXES) + rng.choice(SUFFIXES)
        if cand in seen:
            cand = f"{cand} {len(names)}"
        seen.add(cand)
        names.append(cand)
    connectors = [_connector(rng, first + i, names[i], i) for i in range(n_connectors)]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for c in connectors:
        if c["Status"] == "Approved":
            by_kind.setdefault(f"{c['AuthType']}/{c['OAuth2Type']}", []).append(c)

    fixed_names = ["Acme Corp", "Globex", "Initech", "Acme EMEA"]
    accounts = [
        _account(rng, acc_id, fixed_names[i], i, FIXED["account_id"] if i == 3 else None)
        for i, acc_id in enumerate(
            FIXED[k]
            for k in ("account_id", "other_account_id", "empty_account_id", "sub_account_id")
        )
    ]
    for n in range(4, n_accounts):
        # Most accounts get GUID API IDs, as Cyclr assigns when no Id is given.
        accounts.append(_account(rng, guid(rng), f"Customer {n:04d}", n, None))

    acs: list[dict[str, Any]] = []
    props: list[dict[str, Any]] = []
    ac_id = FIXED["first_account_connector_id"]
    ids: dict[str, Any] = dict(FIXED)

    def install(acc: str, c: dict[str, Any], authed: bool) -> dict[str, Any]:
        nonlocal ac_id
        row = {
            "Id": ac_id,
            "AccountId": acc,
            "ConnectorId": c["Id"],
            "Name": c["Name"],
            "Description": None,
            "AuthenticationId": c["Authentication"][0]["Id"],
            "AuthValue": _auth_value(rng, c) if authed else None,
            "Authenticated": authed or c["AuthType"] == "None",
        }
        for p in c["Parameters"]:
            if p["IsAccountConnectorProperty"] and (authed or not p["IsOptional"]):
                value = "sandbox-value" if p["DataType"] == "Text" else (p["Values"] or ["x"])[0]
                props.append({"AccountConnectorId": ac_id, "Name": p["TargetName"], "Value": value})
        acs.append(row)
        ac_id += 1
        return row

    main = FIXED["account_id"]
    code = by_kind["OAuth2/AuthorisationCode"]
    ids["oauth2_code_connector_ids"] = [c["Id"] for c in code[:5]]
    ids["oauth2_client_credentials_connector_ids"] = [
        c["Id"] for c in by_kind["OAuth2/ClientCredentials"][:3]
    ]
    ids["apikey_connector_ids"] = [c["Id"] for c in by_kind["ApiKey/Unknown"][:3]]
    ids["basic_connector_ids"] = [c["Id"] for c in by_kind["Basic/Unknown"][:3]]
    ids["oauth1_connector_ids"] = [c["Id"] for c in by_kind["OAuth1/Unknown"][:3]]
    ids["none_connector_ids"] = [c["Id"] for c in by_kind["None/Unknown"][:3]]
    ids["draft_connector_id"] = next(c["Id"] for c in connectors if c["Status"] == "Draft")
    # Main account: the first OAuth2 authorisation-code connector is installed twice, once
    # unauthenticated (the browser flow's target) and once authenticated.
    ids["oauth_account_connector_id"] = install(main, code[0], False)["Id"]
    ids["oauth_authenticated_account_connector_id"] = install(main, code[0], True)["Id"]
    ids["oauth1_account_connector_id"] = install(main, by_kind["OAuth1/Unknown"][0], False)["Id"]
    ids["apikey_account_connector_id"] = install(main, by_kind["ApiKey/Unknown"][0], False)["Id"]
    pool = [c for c in connectors if c["Status"] == "Approved"][6:]
    for c in rng.sample(pool, 52):
        install(main, c, rng.random() < 0.65)
    ids["other_oauth_account_connector_id"] = install(FIXED["other_account_id"], code[1], False)[
        "Id"
    ]
    for acc in accounts[4:] + accounts[3:4]:
        for c in rng.sample(pool, rng.randint(0, 4)):
            install(acc["Id"], c, rng.random() < 0.7)

    templates = []
    for n in range(24):
        used = rng.sample(pool[:120], rng.randint(1, 3))
        templates.append(
            {
                "Id": guid(rng),
                "Name": f"{used[0]['Name']} sync #{n + 1}",
                "Description": "Keeps records in step between systems.",
                "Connectors": [
                    {
                        "Id": c["Id"],
                        "Name": c["Name"],
                        "Version": c["Version"],
                        "StepCount": rng.randint(1, 3),
                        "Icon": c["Icon"],
                    }
                    for c in used
                ],
                "Tags": rng.sample(["crm", "sales", "finance", "support", "ops"], 2),
            }
        )

    cycles, transactions, incidents, extra = build_history(
        rng, accounts, acs, templates, main, connectors, ids
    )
    ids["active_cycle_ids"] = [
        c["Id"] for c in cycles if c["AccountId"] == main and c["Status"] == "Active"
    ]
    ids["paused_cycle_ids"] = [
        c["Id"] for c in cycles if c["AccountId"] == main and c["Status"] == "Paused"
    ]
    ids["template_ids"] = [t["Id"] for t in templates[:3]]
    return {
        "connectors": connectors,
        "accounts": accounts,
        "account_connectors": acs,
        "properties": props,
        "templates": templates,
        "cycles": cycles,
        "transactions": transactions,
        "incidents": incidents,
        "ids": ids,
        **extra,  # steps, edges, variables, step fields, step records, template folders
    }
