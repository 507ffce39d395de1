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

from ._seed_connectors import FIRST_CONNECTOR_ID, PARTNER_CONNECTOR, build_library
from ._seed_extras import build_extras
from ._seed_fleet import build_fleet
from ._seed_history import EPOCH, build_history, guid, iso

__all__ = ["FIXED", "build_seed", "iso", "new_account"]

#: Accounts seeded by this module; beyond them, the fleet (``_seed_fleet.py``).
BASE_ACCOUNTS = 8

#: Ids that do not depend on the ``accounts``/``connectors`` sizes (tests may rely on them).
FIXED: dict[str, Any] = {
    "account_id": "acme-corp-0001",  # partner-chosen API ID, 50+ connectors installed
    "other_account_id": "globex-0002",  # a second account (for wrong-account tests)
    "empty_account_id": "initech-0003",  # no connectors, no cycles
    "sub_account_id": "acme-emea-0004",  # a sub-account of account_id
    "first_connector_id": FIRST_CONNECTOR_ID,  # Salesforce
    "first_account_connector_id": 50001,
    "connector_name": "MailChimp",  # a connector with a Version
    "connector_version": "v3",
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


def _library_extras(
    xrng: random.Random,
    connectors: list[dict[str, Any]],
    methods: list[dict[str, Any]],
    accounts: list[dict[str, Any]],
    acs: list[dict[str, Any]],
    props: list[dict[str, Any]],
    install: Any,
    ids: dict[str, Any],
) -> dict[str, Any]:
    """The partner's native connector, a property on the first install, users and the rest."""
    main, first_ac = FIXED["account_id"], FIXED["first_account_connector_id"]
    # The partner's own connector, installed as native: its methods may be called from any IP.
    partner = next(c for c in connectors if c["Name"] == PARTNER_CONNECTOR)
    native = install(main, partner, True)
    native["IsPartnerIntegrationConnector"] = True
    ids["dod_account_connector_id"] = native["Id"]
    dod_method = next(m for m in methods if m["ConnectorId"] == partner["Id"])  # List Contacts
    ids["method_uid"] = dod_method["MethodUniqueIdentifier"]
    ids["dod_parameter_id"] = dod_method["Parameters"][0]["Id"]  # its "Page size"
    ids["method_id"] = next(
        m["Id"] for m in methods if m["ConnectorId"] == FIXED["first_connector_id"]
    )
    ids["trigger_id"] = connectors[0]["Triggers"][0]["TriggerId"]  # the first connector's
    # An optional property on the first (unauthenticated) install; its "subdomain" stays unset.
    props.append({"AccountConnectorId": first_ac, "Name": "isSandbox", "Value": "false"})
    ids["property_id"] = len(props)  # properties get their ids in insertion order, from 1
    extras = build_extras(xrng, accounts, acs, methods, main, first_ac)
    ids.update(extras.pop("ids"))
    return {"methods": methods, **extras}


def build_seed(seed: int, n_accounts: int | None, n_connectors: int | None) -> dict[str, Any]:
    """Build every seeded row; returns plain lists of dicts (the store writes them)."""
    rng = random.Random(seed)
    # A second stream for what was added later (methods, users, ...), so the first one still
    # draws the same accounts, installs and history as before.
    xrng = random.Random(seed ^ 0x5EED)
    n_connectors = max(n_connectors or 320, 60)
    n_accounts = max(n_accounts or 8, 4)
    # The first eight accounts are seeded as they always were (tests rely on them); any more
    # come from _seed_fleet.py, on their own random stream, after everything else.
    n_base = min(n_accounts, BASE_ACCOUNTS)
    connectors, methods = build_library(rng, xrng, n_connectors)
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
    for n in range(4, n_base):
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
            "IsPartnerIntegrationConnector": False,
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
    extras = _library_extras(xrng, connectors, methods, accounts, acs, props, install, ids)

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
    if n_accounts > n_base:
        # Connectors that need no auth are always authenticated: the fleet draws the others,
        # so an "unauthenticated" account really has a connector to connect.
        authed = [c for c in pool if c["AuthType"] != "None"]
        ac_id = max(r["Id"] for r in acs) + 1  # the troubleshooting cycle installed its own
        fleet = build_fleet(
            random.Random(seed ^ 0xF1EE7),
            n_base,
            n_accounts - n_base,
            authed,
            templates,
            install,
            new_account,
        )
        accounts += fleet["accounts"]
        cycles += fleet["cycles"]
        transactions += fleet["transactions"]
        incidents += fleet["incidents"]
        extras["users"] += fleet["users"]
        ids["fleet"] = fleet["profiles"]
    return {
        "connectors": connectors,
        **extras,  # methods, users, custom fields, custom connectors
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
