"""The seeded connector library: Cyclr's own names for well-known connectors, then generated filler.

Each connector gets an icon (a data URI, as Cyclr sends), its auth methods (``Authentication[]``,
the deprecated top-level ``AuthType`` copying the first), parameters, methods and lookup triggers.
Methods are returned apart from the connectors: Cyclr lists them on their own routes.
"""

from __future__ import annotations

import base64
import random
from typing import Any

from ._seed_history import guid

__all__ = ["FIRST_CONNECTOR_ID", "PARTNER_CONNECTOR", "build_library"]

FIRST_CONNECTOR_ID = 2001
#: The partner's own ("native") connector, installed with IsPartnerIntegrationConnector true.
PARTNER_CONNECTOR = "Sandbox Partner App"

OAUTH_CODE = ("OAuth2", "AuthorisationCode", "OAuth 2.0")
APIKEY = ("ApiKey", "Unknown", "API Key")
BASIC = ("Basic", "Unknown", "HTTP Basic")
CLIENT_CREDS = ("OAuth2", "ClientCredentials", "OAuth 2.0 Client Credentials")
OAUTH1 = ("OAuth1", "Unknown", "OAuth 1.0a")
NONE = ("None", "Unknown", "No authentication")
# Filler connectors take their auth kind in turn from this list.
AUTH_KINDS = [OAUTH_CODE, APIKEY, BASIC, CLIENT_CREDS, OAUTH1, NONE]
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
# What each category's connectors hold (method categories, DoD payload keys).
ENTITIES = {
    "CRMs": ["Contacts", "Companies", "Deals"],
    "Marketing": ["Lists", "Members", "Campaigns"],
    "Accounting": ["Invoices", "Customers", "Payments"],
    "E-Commerce": ["Orders", "Products", "Customers"],
    "Helpdesk": ["Tickets", "Users", "Organizations"],
    "Project Management": ["Projects", "Tasks", "Users"],
    "Communication": ["Channels", "Messages", "Users"],
    "File Storage": ["Folders", "Files"],
    "HR": ["Employees", "Departments"],
    "Developer Tools": ["Repositories", "Issues"],
    "Payments": ["Charges", "Customers", "Refunds"],
    "Analytics": ["Reports", "Accounts"],
}
# Cyclr's spellings (name, Version, categories, auth methods, parameter targets, entities).
P = tuple[str, str, str, list[str] | None]  # (label, target, DataType, Values)
SUBDOMAIN: P = ("Subdomain", "subdomain", "Text", None)
SANDBOX: P = ("Use sandbox", "isSandbox", "Boolean", ["true", "false"])
REGION: P = ("Region", "region", "Text", ["us", "eu", "apac"])
SHOP: P = ("Shop name", "shopName", "Text", None)
WELL_KNOWN: list[tuple[str, str | None, list[str], list[tuple[str, str, str]], list[P]]] = [
    ("Salesforce", "v30.0", ["CRMs"], [OAUTH_CODE], [SUBDOMAIN, SANDBOX]),
    ("HubSpot", "v3", ["CRMs", "Marketing"], [OAUTH_CODE, APIKEY], []),
    ("MailChimp", "v3", ["Marketing"], [APIKEY], [REGION]),
    ("Generic Webhook", None, ["Developer Tools"], [NONE], []),
    ("Slack", None, ["Communication"], [OAUTH_CODE], []),
    ("Xero", "2.0", ["Accounting"], [OAUTH_CODE], []),
    ("Shopify", "2023-04", ["E-Commerce"], [APIKEY], [SHOP]),
    ("Zendesk", "2.0", ["Helpdesk"], [OAUTH_CODE], [SUBDOMAIN]),
    ("Pipedrive", "1.0", ["CRMs"], [APIKEY], []),
    ("Access CRM", None, ["CRMs"], [CLIENT_CREDS], []),
    ("QuickBooks Online", "3.0", ["Accounting"], [OAUTH_CODE], [SANDBOX]),
    ("Stripe", "2.0", ["Payments"], [APIKEY], []),
    ("Dropbox", "2.0", ["File Storage"], [OAUTH_CODE], []),
    ("BambooHR", "1.0", ["HR"], [BASIC], [SUBDOMAIN]),
    ("GitHub", "3.0", ["Developer Tools"], [OAUTH_CODE], []),
    ("Google Analytics", "v3", ["Analytics"], [OAUTH_CODE], []),
    ("Magento", "2.0", ["E-Commerce"], [OAUTH1], []),
    ("Freshdesk", "2.0", ["Helpdesk"], [BASIC], [SUBDOMAIN]),
    ("Asana", "1.0", ["Project Management"], [OAUTH_CODE], []),
    ("Trello", "1.0", ["Project Management"], [OAUTH1], []),
    ("Box", "2.0", ["File Storage"], [OAUTH_CODE], []),
    ("Microsoft Dynamics 365 CRM", "9.1", ["CRMs"], [OAUTH_CODE], []),
    (PARTNER_CONNECTOR, "1.0", ["CRMs"], [APIKEY], []),
]
PREFIXES = "Acu Bright Cloud Data Easy Flow Giga Hyper Info Jet Kin Lumen Mega Nimbus Omni Pixel"
PREFIXES += " Quick Rapid Smart Tera Uni Vector Wave Xeno Zen"
SUFFIXES = ["Desk", "Books", "Mail", "Cart", "Sync", "Hub", "Track", "Pay", "Stack", "Base", "Ly"]
PARAMS: list[P] = [SUBDOMAIN, REGION, SANDBOX]
PARAMS += [("API version", "apiVersion", "Text", None), ("Company id", "companyId", "Text", None)]
COLOURS = ["#0b5cad", "#e8590c", "#2b8a3e", "#862e9c", "#c92a2a", "#1864ab", "#5f3dc4", "#087f5b"]
# The first connectors of each auth kind take no required property, so flows need no setup.
FREE_PER_KIND = 5
DRAFTS_FROM = FIRST_CONNECTOR_ID + len(WELL_KNOWN)


def icon(name: str, colour: str) -> str:
    """A small square SVG with the connector's initials, as a base64 data URI."""
    initials = "".join(w[0] for w in name.split() if w[:1].isalnum())[:2].upper() or "?"
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{colour}"/>'
        '<text x="32" y="41" font-family="Arial,Helvetica,sans-serif" font-size="24" '
        f'font-weight="bold" fill="#ffffff" text-anchor="middle">{initials}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _param(pid: int, p: P, *, required: bool, sensitive: bool = False) -> dict[str, Any]:
    label, target, dtype, values = p
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


class _Ids:
    """Running counters for method, method parameter, field and trigger ids."""

    def __init__(self) -> None:
        self.method, self.param, self.field = 100, 400_000, 500_000

    def next(self, kind: str) -> int:
        value: int = getattr(self, kind) + 1
        setattr(self, kind, value)
        return value


def _methods(
    rng: random.Random, ids: _Ids, conn: dict[str, Any], entities: list[str]
) -> list[dict[str, Any]]:
    out = []
    for entity in entities:
        slug, one = entity.lower(), entity[:-1] if entity.endswith("s") else entity
        for verb, name, endpoint in (
            ("GET", f"List {entity}", f"/{slug}"),
            ("GET", f"Get {one}", f"/{slug}/{{id}}"),
            ("POST", f"Create {one}", f"/{slug}"),
            ("PUT", f"Update {one}", f"/{slug}/{{id}}"),
        ):
            params = []
            if "{id}" in endpoint:
                params.append(("Id", "id", "MergeField", "Text", False))
            if name.startswith("List"):
                params.append(("Page size", "count", "QueryString", "Integer", True))
            fields = []
            if verb in ("POST", "PUT"):
                fields = [("Name", "name", "Text"), ("Email", "email", "Text")]
            out.append(
                {
                    "Id": ids.next("method"),
                    "ConnectorId": conn["Id"],
                    "Name": name,
                    "Description": f"{name} in {conn['Name']}.",
                    "EndPoint": endpoint,
                    "MethodUniqueIdentifier": guid(rng),
                    "Category": entity,
                    "MethodType": verb,
                    "Parameters": [
                        {
                            "Id": ids.next("param"),
                            "Name": label,
                            "TargetName": target,
                            "TargetType": ttype,
                            "DataType": dtype,
                            "IsOptional": optional,
                            "Values": [],
                        }
                        for label, target, ttype, dtype, optional in params
                    ],
                    # Not in Cyclr's method listing docs; the sandbox lists a method's request
                    # fields here so Data on Demand "Fields" ids can be checked (our choice).
                    "Fields": [
                        {"Id": ids.next("field"), "Name": label, "Field": key, "DataType": dtype}
                        for label, key, dtype in fields
                    ],
                }
            )
    return out


def _connector(
    rng: random.Random,
    cid: int,
    name: str,
    version: str | None,
    cats: list[str],
    kinds: list[tuple[str, str, str]],
    params_in: list[P],
    required_ok: bool,
) -> dict[str, Any]:
    auths = [
        {
            "Id": guid(rng),
            "AuthName": auth_name,
            "AuthDescription": None,
            "AuthType": auth_type,
            "OAuth2Type": oauth2_type,
            "AuthScheme": "Authorization" if auth_type == "OAuth2" else None,
        }
        for auth_type, oauth2_type, auth_name in kinds
    ]
    params: list[dict[str, Any]] = []
    pid = cid * 10
    if kinds[0] == CLIENT_CREDS:
        for label in ("ClientId", "ClientSecret"):
            pid += 1
            p: P = (label, label, "Text", None)
            params.append(_param(pid, p, required=True, sensitive=label == "ClientSecret"))
    for p in params_in:
        pid += 1
        params.append(_param(pid, p, required=required_ok and rng.random() < 0.35))
    if required_ok and rng.random() < 0.2:
        pid += 1
        header = _param(pid, ("Record type", "recordType", "Text", None), required=False)
        params.append({**header, "TargetType": "HttpHeader", "IsAccountConnectorProperty": False})
    return {
        "Id": cid,
        "Name": name,
        "Description": f"Connect to {name} to sync {cats[0].lower()} data.",
        # Some filler is a draft (never a well-known connector), to test refused installs.
        "Status": "Draft" if cid % 97 == 0 and cid >= DRAFTS_FROM else "Approved",
        "Version": version,
        "Icon": icon(name, COLOURS[cid % len(COLOURS)]),
        "AuthDescription": None,
        # Deprecated top-level copy of the FIRST auth method, as Cyclr keeps it.
        "AuthType": kinds[0][0],
        "OAuth2Type": kinds[0][1],
        "AuthScheme": auths[0]["AuthScheme"],
        "Categories": cats,
        "Parameters": params,
        "Authentication": auths,
        "Triggers": [],
    }


def build_library(
    rng: random.Random, xrng: random.Random, count: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``count`` connectors (the well-known ones first) and all their methods.

    ``rng`` draws the connectors as before; ``xrng`` (a stream of its own) draws the methods and
    triggers, so adding those did not move every other seeded value.
    """
    specs = list(WELL_KNOWN)
    seen = {s[0] for s in specs}
    kind_counts: dict[tuple[str, str, str], int] = {}
    connectors: list[dict[str, Any]] = []
    ids = _Ids()
    methods: list[dict[str, Any]] = []
    for i in range(count):
        cid = FIRST_CONNECTOR_ID + i
        if i < len(specs):
            name, version, cats, kinds, params = specs[i]
            free = True
        else:
            name = rng.choice(PREFIXES.split()) + rng.choice(SUFFIXES)
            if name in seen:
                name = f"{name} {i}"
            seen.add(name)
            kinds = [AUTH_KINDS[i % len(AUTH_KINDS)]]
            if kinds[0] == OAUTH_CODE and cid % 4 == 1:
                kinds = [OAUTH_CODE, APIKEY]  # some OAuth connectors also take an API key
            version = rng.choice(["1.0", "1.1", "2.0", None])
            cats = sorted(rng.sample(CATEGORIES, rng.choice((1, 1, 2))))
            params = rng.sample(PARAMS, rng.randint(0, 3))
            free = kind_counts.get(kinds[0], 0) < FREE_PER_KIND
        kind_counts[kinds[0]] = kind_counts.get(kinds[0], 0) + 1
        conn = _connector(rng, cid, name, version, cats, kinds, params, not free)
        entities = ENTITIES[cats[0]][: 3 if i < len(specs) else xrng.randint(1, 2)]
        if name == "Generic Webhook":
            entities = []
        mine = _methods(xrng, ids, conn, entities)
        methods.extend(mine)
        conn["Triggers"] = [
            {
                "TriggerId": 5101 + i * 4 + n,
                "Name": m["Category"],
                "MethodUniqueIdentifier": m["MethodUniqueIdentifier"],
                "HumanReadableKey": f"[{m['Category'].lower()}].name",
                "IdentifierKey": f"[{m['Category'].lower()}].id",
            }
            for n, m in enumerate(x for x in mine if x["Name"].startswith("List"))
        ][:2]
        connectors.append(conn)
    return connectors, methods
