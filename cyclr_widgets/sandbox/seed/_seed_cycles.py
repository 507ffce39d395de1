"""What cycles are made of: steps, edges, mappings, variables; and the troubleshooting cycles.

Template steps and every cycle's steps come from step specs (``_seed_steps.py``); the
troubleshooting cycles and their history from ``_seed_troubleshoot.py``.

Runs after the generated history, on an rng of its own, so the generated cycles, transactions
and incidents stay what they were; it only adds to them (steps for every cycle, the step an
incident names, ``SplitType`` on transactions) and appends the troubleshooting rows.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from ._seed_history import EPOCH, guid, iso
from ._seed_steps import generic_specs, instantiate
from ._seed_troubleshoot import blocked_specs, history, troubleshooting_specs

__all__ = ["build_cycles_extra"]

Rows = list[dict[str, Any]]


def _find(connectors: Rows, name: str, fallback: int) -> dict[str, Any]:
    for c in connectors:
        if c["Name"].lower() == name.lower() and c.get("Status", "Approved") == "Approved":
            return c
    return connectors[fallback]


def _template_specs(rng: random.Random, tpl: dict[str, Any], by_id: dict[int, Any]) -> None:
    conns = [by_id[c["Id"]] for c in tpl["Connectors"]]
    specs, edges = generic_specs(rng, conns)
    tpl["_Steps"], tpl["_Edges"], tpl["_Variables"] = specs, [list(e) for e in edges], []
    tpl.setdefault("_Release", 1)
    tpl.setdefault("_Published", True)
    for c in tpl["Connectors"]:
        c["StepCount"] = sum(1 for s in specs if s["ConnectorId"] == c["Id"])


def _install(acs: Rows, acc: str, conn: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The account's authenticated install of ``conn``, made when there is none."""
    for row in acs:
        if row["AccountId"] == acc and row["ConnectorId"] == conn["Id"] and row["Authenticated"]:
            return row
    # A copy of an existing row keeps every column the store expects.
    row = dict(acs[0])
    row.update(
        Id=max(r["Id"] for r in acs) + 1,
        AccountId=acc,
        ConnectorId=conn["Id"],
        Name=conn["Name"],
        Description=None,
        AuthenticationId=conn["Authentication"][0]["Id"],
        AuthValue=f'{{"AccessToken": "seed-at-{rng.getrandbits(64):x}"}}',
        Authenticated=True,
    )
    acs.append(row)
    return row


def _variables(cycle_id: str) -> Rows:
    return [
        {
            "CycleId": cycle_id,
            "DisplayName": "Last run date",
            "SystemName": "LastRunDate",
            "Value": "2024-02-01T00:00:00Z",
            "MappingType": "StaticValue",
            "ValueType": "DateTime",
            "UserConfigurable": False,
            "Description": "When the trigger last looked for new contacts.",
        },
        {
            "CycleId": cycle_id,
            "DisplayName": "Subscriber tag",
            "SystemName": "SubscriberTag",
            "Value": "crm-sync",
            "MappingType": "StaticValue",
            "ValueType": "Text",
            "UserConfigurable": True,
            "Description": "The tag new subscribers get.",
        },
    ]


def build_cycles_extra(
    connectors: Rows,
    acs: Rows,
    templates: Rows,
    cycles: Rows,
    transactions: Rows,
    incidents: Rows,
    main: str,
    ids: dict[str, Any],
) -> dict[str, Rows]:
    """Add steps to every template and cycle and the troubleshooting cycles; return new rows."""
    rng = random.Random(f"cycles:{templates[0]['Id'] if templates else main}")

    def new_id() -> str:
        return guid(rng)

    by_id = {c["Id"]: c for c in connectors}
    ac_by_id = {r["Id"]: r for r in acs}
    for tpl in templates:
        _template_specs(rng, tpl, by_id)
    steps: Rows = []
    edges: Rows = []
    fields: Rows = []
    last_step: dict[str, dict[str, Any]] = {}
    for cyc in cycles:
        used = [ac_by_id[a] for a in cyc["AccountConnectorIds"]]
        conn_ac = {u["ConnectorId"]: u["Id"] for u in used}
        specs, pairs = generic_specs(rng, [by_id[u["ConnectorId"]] for u in used])
        s, e, f = instantiate(specs, pairs, cyc["Id"], conn_ac.get, new_id)
        steps += s
        edges += e
        fields += f
        last_step[cyc["Id"]] = s[-1]
        cyc.setdefault("_TemplateRelease", 1)
    # Two of the main account's cycles run an older release of their template: upgradeable.
    tpl_by_id = {t["Id"]: t for t in templates}
    for cyc in [c for c in cycles if c["AccountId"] == main][:2]:
        tpl_by_id[cyc["TemplateId"]]["_Release"] = 2
    for inc in incidents:  # the generated incidents name a step of their cycle
        step = last_step[inc["CycleId"]]
        inc["StepId"], inc["StepName"] = step["Id"], step["Name"]
    for tx in transactions:
        tx.setdefault("SplitType", "Unsplit")
        tx.setdefault("ParentTransactionId", None)

    sf = _find(connectors, "Salesforce", 0)
    mc = _find(connectors, "MailChimp", 2)
    hs = _find(connectors, "HubSpot", 1)
    sf_ac, mc_ac, hs_ac = (_install(acs, main, c, rng) for c in (sf, mc, hs))
    conn_ac = {sf["Id"]: sf_ac["Id"], mc["Id"]: mc_ac["Id"], hs["Id"]: hs_ac["Id"]}
    specs, pairs = troubleshooting_specs(rng, sf, mc)
    tpl = {
        "Id": new_id(),
        "Name": f"{sf['Name']} > {mc['Name']}: new contacts",
        "Description": "Adds every new Salesforce contact to a MailChimp list.",
        "Connectors": [
            {
                "Id": c["Id"],
                "Name": c["Name"],
                "Version": c["Version"],
                "StepCount": sum(1 for s in specs if s["ConnectorId"] == c["Id"]),
                "Icon": c["Icon"],
            }
            for c in (sf, mc)
        ],
        "Tags": ["crm", "marketing"],
        "_Steps": specs,
        "_Edges": [list(p) for p in pairs],
        "_Variables": _variables("")[:1],
        "_Release": 1,
        "_Published": True,
    }
    templates.append(tpl)
    made: list[dict[str, Any]] = []
    for name, (sp, pr), acs_used, created in [
        (tpl["Name"], (specs, pairs), [sf_ac, mc_ac], 40),
        (
            f"{hs['Name']} > {mc['Name']}: sync lists",
            blocked_specs(rng, hs, mc),
            [hs_ac, mc_ac],
            42,
        ),
    ]:
        cyc = {
            "Id": new_id(),
            "AccountId": main,
            "Name": name,
            "Description": "Troubleshooting example: a failing Add Subscriber step.",
            "TemplateId": tpl["Id"],
            "CreatedOnUtc": iso(EPOCH + timedelta(days=created, hours=8)),
            "Status": "Paused",
            "TasksUsed": 0,
            "Interval": 15,
            "AccountConnectorIds": [a["Id"] for a in acs_used],
            "Tags": ["crm", "marketing"],
            "_TemplateRelease": 1,
        }
        s, e, f = instantiate(sp, pr, cyc["Id"], conn_ac.get, new_id)
        cycles.append(cyc)
        steps += s
        edges += e
        fields += f
        made.append({"cycle": cyc, "steps": s, "edges": e})
    main_cyc, main_steps = made[0]["cycle"], made[0]["steps"]
    txs, records, incs = history(main_cyc, main_steps, new_id)
    transactions += txs
    incidents += incs
    failed = [t for t in txs if t["Status"] == "Errored"]
    folder = {"Id": new_id(), "Name": "Imported templates"}
    ids.update(
        template_id=tpl["Id"],
        cycle_id=main_cyc["Id"],
        step_id=main_steps[2]["Id"],
        trigger_step_id=main_steps[0]["Id"],
        edge_id=made[0]["edges"][0]["Id"],
        variable_name="LastRunDate",
        field_id=283792,
        parameter_id=16017,
        transaction_id=failed[-1]["Id"],
        blocked_cycle_id=made[1]["cycle"]["Id"],
        blocked_step_id=made[1]["steps"][1]["Id"],
        template_folder_id=folder["Id"],
        upgradeable_cycle_ids=[c["Id"] for c in cycles if c["AccountId"] == main][:2],
    )
    return {
        "steps": steps,
        "edges": edges,
        "variables": _variables(main_cyc["Id"]),
        "step_fields": fields,
        "tx_steps": records,
        "template_folders": [folder],
    }
