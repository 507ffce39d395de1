"""The troubleshooting cycle: a Salesforce > MailChimp cycle whose "Add Subscriber" step fails.

It is what a support engineer meets in a real account: a trigger, a lookup and a method step
with field mappings (static, value list, step data, one unmapped), a parameter with a lookup
trigger, variables, and a history of runs whose failures leave error incidents that point at
the failing transaction and step, with the step's request and response dumps. A second cycle
lacks a required field and parameter mapping, so its prerequisites show codes 40 and 41.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ._seed_dumps import detail, step_record
from ._seed_history import EPOCH, iso
from ._seed_steps import STEP_DATA, descriptor, mapped, method

__all__ = ["blocked_specs", "history", "troubleshooting_specs"]

Spec = dict[str, Any]
Rows = list[dict[str, Any]]
LIST_ID, EMAIL_FIELD = 16017, 283792  # the ids of D-param's and D-steps' examples
LISTS = [
    {"Name": "Newsletter", "Value": "list-1"},
    {"Name": "Customers", "Value": "list-2"},
    {"Name": "Trial users", "Value": "list-3"},
]
MC_STATUS = ["subscribed", "unsubscribed", "cleaned", "pending", "transactional"]
MC_URL = "https://us6.api.mailchimp.com/3.0/lists/list-1/members"
SF_URL = "https://acme.my.salesforce.com/services/data/v58.0"


def _list_param(rng: random.Random, mc: dict[str, Any], mapped_value: bool) -> dict[str, Any]:
    param = descriptor(
        LIST_ID,
        "List ID",
        "Undefined",
        optional=False,
        values=[],
        description="Select a List.",
        trigger="Lookup List",
    )
    param["Triggers"] = [
        {
            "MethodId": mc["Id"] * 100 + 9,
            "Name": "Lookup List",
            "HumanReadableKey": "name",
            "IdentifierKey": "id",
            "SubTriggers": [],
            "EntityId": rng.randint(1000, 9999),
            "TriggerId": f"{mc['Id']}-lists",
        }
    ]
    value = LISTS[0] if mapped_value else None
    return {
        "Parameter": param,
        "IsEntityIdentifier": False,
        # A value picked from the lookup is stored as a static value with its trigger
        # value and display name beside it (Q21: which field Cyclr reads is undocumented).
        "MappingType": "StaticValue" if value else None,
        "Value": value and value["Value"],
        "TriggerValue": value and value["Value"],
        "TriggerValueDisplayName": value and value["Name"],
        "Lookup": LISTS,
    }


def _add_subscriber(rng: random.Random, mc: dict[str, Any], key: str, *, ready: bool) -> Spec:
    base = mc["Id"] * 100 + 50
    email = descriptor(EMAIL_FIELD, "email_address", optional=False, order=1)
    email["Description"] = "Email address for a subscriber."
    status = descriptor(base + 2, "status", optional=False, values=MC_STATUS, order=2)
    fields = [
        mapped(email, STEP_DATA, source=("s1", 2)) if ready else mapped(email),
        mapped(status, "ValueList", "subscribed"),
        mapped(descriptor(base + 3, "merge_fields.FNAME", order=3), STEP_DATA, source=("s1", 3)),
        mapped(descriptor(base + 4, "merge_fields.LNAME", order=4)),
        mapped(descriptor(base + 5, "merge_fields.COMPANY", order=5), STEP_DATA, source=("s2", 7)),
        mapped(descriptor(base + 6, "tags", order=6), "StaticValue", "crm-sync"),
    ]
    if not ready:
        fields[4] = mapped(fields[4]["Field"])
    return {
        "Key": key,
        "Name": "MailChimp: Add Subscriber",
        "Description": "Adds the new contact to the newsletter list.",
        "ActionType": "Action",
        "IsTrigger": False,
        "ConnectorId": mc["Id"],
        "Method": method(rng, mc["Id"] * 10 + 1, "Add Subscriber", "POST"),
        "Fields": fields,
        "Parameters": [_list_param(rng, mc, ready)],
        "Outputs": [
            descriptor(base + 7, "id"),
            descriptor(base + 8, "unique_email_id", order=2),
            descriptor(base + 9, "status", order=3),
        ],
    }


def _contacts_trigger(rng: random.Random, conn: dict[str, Any]) -> Spec:
    names = ["Id", "Email", "FirstName", "LastName", "AccountId", "CreatedDate"]
    return {
        "Key": "s1",
        "Name": f"{conn['Name']}: Get New Contacts",
        "Description": None,
        "ActionType": "Action",
        "IsTrigger": True,
        "ConnectorId": conn["Id"],
        "Method": method(rng, conn["Id"] * 10 + 2, "Get New Contacts", "GET"),
        "Fields": [],
        "Parameters": [],
        # Output ids 1..6: small and fixed, so the mappings above can name them.
        "Outputs": [descriptor(i + 1, n, order=i + 1) for i, n in enumerate(names)],
    }


def troubleshooting_specs(
    rng: random.Random, sf: dict[str, Any], mc: dict[str, Any]
) -> tuple[list[Spec], list[tuple[str, str]]]:
    """Salesforce: Get New Contacts -> Salesforce: Get Account -> MailChimp: Add Subscriber."""
    account = {
        "Key": "s2",
        "Name": f"{sf['Name']}: Get Account",
        "Description": None,
        "ActionType": "Action",
        "IsTrigger": False,
        "ConnectorId": sf["Id"],
        "Method": method(rng, sf["Id"] * 10 + 3, "Get Account", "GET"),
        "Fields": [
            mapped(
                descriptor(sf["Id"] * 100 + 41, "Id", optional=False), STEP_DATA, source=("s1", 5)
            )
        ],
        "Parameters": [],
        "Outputs": [descriptor(7, "Name"), descriptor(8, "Industry", order=2)],
    }
    specs = [_contacts_trigger(rng, sf), account, _add_subscriber(rng, mc, "s3", ready=True)]
    for i, s in enumerate(specs):
        s["DisplayPositionLeft"], s["DisplayPositionTop"] = 100 + 260 * i, 140
    return specs, [("s1", "s2"), ("s2", "s3")]


def blocked_specs(
    rng: random.Random, hs: dict[str, Any], mc: dict[str, Any]
) -> tuple[list[Spec], list[tuple[str, str]]]:
    """HubSpot -> MailChimp with the list and the email left unmapped (codes 40 and 41)."""
    specs = [_contacts_trigger(rng, hs), _add_subscriber(rng, mc, "s2", ready=False)]
    for i, s in enumerate(specs):
        s["DisplayPositionLeft"], s["DisplayPositionTop"] = 100 + 260 * i, 140
    return specs, [("s1", "s2")]


# -- the history: which run failed how ---------------------------------------------------------

#: (transaction status, what the MailChimp step answered): Cyclr's Message vocabulary (D-txerr).
RUNS = [
    ("Completed", None),
    ("Completed", None),
    ("Errored", "exists"),
    ("Completed", None),
    ("CompletedWithWarnings", "empty"),
    ("Completed", None),
    ("Errored", "invalid"),
    ("Completed", None),
    ("Completed", None),
    ("Errored", "exists"),
]
FAILURES = {
    "exists": (
        "400 Bad Request",
        {
            "type": "https://mailchimp.com/developer/marketing/docs/errors/",
            "title": "Member Exists",
            "status": 400,
            "detail": "{email} is already a list member. Use PUT to insert or update.",
        },
    ),
    "invalid": (
        "400 Bad Request",
        {
            "title": "Invalid Resource",
            "status": 400,
            "detail": "The resource submitted could not be validated.",
            "errors": [{"field": "email_address", "message": "This value should be valid."}],
        },
    ),
}


def history(cyc: dict[str, Any], steps: Rows, new_id: Callable[[], str]) -> tuple[Rows, Rows, Rows]:
    """The cycle's transactions, their step records and the incidents they left."""
    transactions: Rows = []
    records: Rows = []
    incidents: Rows = []
    t0 = EPOCH + timedelta(days=41, hours=2)
    trigger, lookup, add = steps
    for k, (state, failure) in enumerate(RUNS):
        tx_id = new_id()
        started = t0 + timedelta(minutes=15 * k)
        email = f"contact{k}@example.com"
        contacts = {"records": [{"Id": f"003{k:05d}", "Email": email, "AccountId": "001A"}]}
        recs = [
            step_record(
                tx_id,
                trigger,
                "Completed",
                started,
                0.8,
                ("GET", f"{SF_URL}/query?q=SELECT+Id,Email+FROM+Contact", None, "200 OK", contacts),
            ),
            step_record(
                tx_id,
                lookup,
                "Completed",
                started + timedelta(seconds=1),
                0.4,
                ("GET", f"{SF_URL}/sobjects/Account/001A", None, "200 OK", {"Name": "Acme"}),
            ),
        ]
        body: dict[str, Any] = {
            "email_address": email,
            "status": "subscribed",
            "tags": ["crm-sync"],
        }
        message = None
        reply: Any
        if failure in FAILURES:
            status_line, reply = FAILURES[failure]
            # MailChimp names the address it refused: the one this run sent.
            reply = {
                k: v.replace("{email}", email) if isinstance(v, str) else v
                for k, v in reply.items()
            }
            message = "Failed to call the method"
        else:
            status_line, reply = "200 OK", {"id": f"m{k:04d}", "status": "subscribed"}
            if failure == "empty":
                message = "Required source is empty"
                body["merge_fields"] = {"FNAME": ""}
        step_status = "Errored" if failure in FAILURES else "Completed"
        recs.append(
            step_record(
                tx_id,
                add,
                step_status,
                started + timedelta(seconds=2),
                0.6,
                ("POST", MC_URL, body, status_line, reply),
                message,
            )
        )
        transactions.append(
            {
                "Id": tx_id,
                "AccountId": cyc["AccountId"],
                "CycleId": cyc["Id"],
                "CycleName": cyc["Name"],
                "Status": state,
                "StartedOnUtc": iso(started),
                "CompletedOnUtc": iso(started + timedelta(seconds=3)),
                "TasksUsed": 3,
                "SplitType": "Unsplit",
                "ParentTransactionId": None,
            }
        )
        records.extend(recs)
        if message:
            level = "Error" if failure in FAILURES else "Warning"
            incidents.append(
                {
                    "Id": new_id(),
                    "AccountId": cyc["AccountId"],
                    "CycleId": cyc["Id"],
                    "CycleName": cyc["Name"],
                    "IncidentLevel": level,
                    "ShortMessage": message,
                    "FullMessage": detail(status_line, reply, "POST", MC_URL),
                    "StepId": add["Id"],
                    "StepName": add["Name"],
                    "TransactionId": tx_id,
                    "CreatedOnUtc": iso(started + timedelta(seconds=3)),
                }
            )
    # One run's collection was split into two child transactions (collection splitting).
    parent = transactions[3]
    for n in range(2):
        child = dict(parent, Id=new_id(), SplitType="Split", ParentTransactionId=parent["Id"])
        child["TasksUsed"] = 1 + n
        transactions.append(child)
    cyc["TasksUsed"] = sum(t["TasksUsed"] for t in transactions)
    return transactions, records, incidents
