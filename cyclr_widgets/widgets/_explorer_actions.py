"""The explorer's actions: what can be done to a cycle or an account connector, and how.

Each function returns the :class:`~._actions.Action` list an :class:`~._actions.ActionPart` offers
for the selected row; the part asks for confirmation and shows Cyclr's answer. Activating (and
running once) checks ``cycle_prerequisites`` first: unmet prerequisites are shown instead of the
question, since Cyclr would refuse the activation anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..core import AuthValue, CyclrError, ExplorerClient, is_secret_field, is_sensitive_name
from ._actions import Action

__all__ = ["connector_actions", "cycle_actions", "property_names", "secret_name"]


def secret_name(name: str) -> bool:
    """Whether a property called ``name`` holds a secret (its input is a password input)."""
    return is_secret_field(name) or is_sensitive_name(name)


def _prerequisite_text(p: Mapping[str, Any]) -> str:
    """``Unauthenticated connector (AccountConnector 50043)``: Cyclr's reason and its object."""
    reason = str(p.get("Reason") or f"Reason code {p.get('ReasonCode')}")
    what = " ".join(str(p[k]) for k in ("ObjectType", "ObjectId") if p.get(k) is not None)
    return f"{reason} ({what})" if what else reason


def _with_step_details(client: ExplorerClient, account: str, p: Mapping[str, Any]) -> str:
    """A cycle prerequisite's text; a step's (``ObjectType: "Action"``) names what it lacks.

    Cyclr's cycle prerequisites name a step that lacks mappings only by its GUID (surface doc
    §8.4, D-prereq); the step's own prerequisites say which parameter or field. A client
    without ``step_prerequisites``, or a failure asking, leaves the cycle's text alone.
    """
    text = _prerequisite_text(p)
    step_prerequisites = getattr(client, "step_prerequisites", None)
    if p.get("ObjectType") != "Action" or not p.get("ObjectId") or step_prerequisites is None:
        return text
    try:
        details = step_prerequisites(account, str(p["ObjectId"]))
    except CyclrError:
        return text
    parts = [_prerequisite_text(d) for d in details if isinstance(d, Mapping)]
    return f"{text}: {'; '.join(parts)}" if parts else text


def cycle_actions(
    client: ExplorerClient, account: str, row: Mapping[str, Any]
) -> tuple[str, list[Action]]:
    """The subject line and the actions for a cycle row: activate, run once, deactivate, clear."""
    cid = str(row.get("Id") or "")
    name = str(row.get("Name") or cid)
    status = str(row.get("Status") or "")
    active = status == "Active"
    where = f"cycle {name} in account {account}"

    def check() -> list[str]:
        return [
            _with_step_details(client, account, p) for p in client.cycle_prerequisites(account, cid)
        ]

    def activate(_args: dict[str, Any]) -> str:
        client.activate_cycle(account, cid)
        return f"Cycle {name} activated."

    def run_once(_args: dict[str, Any]) -> str:
        client.activate_cycle(account, cid, run_once=True)
        return f"Cycle {name} started for one run."

    def deactivate(_args: dict[str, Any]) -> str:
        client.deactivate_cycle(account, cid)
        return f"Cycle {name} deactivated."

    def clear(_args: dict[str, Any]) -> str:
        client.clear_cycle_incidents(account, cid)
        return f"The incidents of cycle {name} were cleared."

    already = f"{name} is already active." if active else ""
    actions = [
        Action("activate", "Activate", lambda _a: f"Activate {where}?", activate, check,
               enabled=not active, tooltip=already),
        Action("run_once", "Run once", lambda _a: f"Run {where} once?", run_once, check,
               enabled=not active, tooltip=already),
        Action("deactivate", "Deactivate", lambda _a: f"Deactivate {where}?", deactivate,
               enabled=active, tooltip="" if active else f"{name} is not active."),
        Action("clear_incidents", "Clear incidents",
               lambda _a: f"Clear every incident of {where}?", clear),
    ]  # fmt: skip
    return f"Cycle {name} ({status or 'status unknown'})", actions


def property_names(row: Mapping[str, Any], record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The property names the form suggests: the installed ones, then the connector's own.

    ``record`` is the connector's library record (its ``Parameters`` that are account
    connector properties, by ``TargetName``); only names and whether they are secret.
    """
    names: dict[str, bool] = {}
    for p in row.get("Properties") or []:
        if isinstance(p, Mapping) and isinstance(p.get("Name"), str):
            names[p["Name"]] = secret_name(p["Name"])
    for p in record.get("Parameters") or []:
        if isinstance(p, Mapping) and p.get("IsAccountConnectorProperty"):
            target = p.get("TargetName") or p.get("Name")
            if isinstance(target, str) and target not in names:
                names[target] = bool(p.get("IsSensitive")) or secret_name(target)
    return [{"name": n, "secret": s} for n, s in list(names.items())[:50]]


def connector_actions(
    client: ExplorerClient,
    account: str,
    row: Mapping[str, Any],
    *,
    oauth: bool,
    reauthenticate: Callable[[], str],
) -> tuple[str, list[Action]]:
    """The subject line and the actions for an account connector row.

    Re-authenticate (an OAuth connector already authenticated) has no button here: the
    Connect/Re-authenticate button asks through this part, then opens the OAuth popup.
    """
    ac_id = int(str(row.get("Id")))
    name = str(row.get("Name") or ac_id)
    authenticated = bool(row.get("Authenticated"))
    where = f"{name} in account {account}"

    def deauthenticate(_args: dict[str, Any]) -> str:
        answer = client.deauthenticate_account_connector(account, ac_id)
        return str(answer) if answer else f"{name} was deauthenticated."

    def set_property(args: dict[str, Any]) -> str:
        prop, value = str(args.get("name") or "").strip(), args.get("value")
        if not prop:
            raise ValueError("Give the property's name.")
        if not isinstance(value, str) or value == "":
            raise ValueError(f"Give a value for {prop}.")
        # A secret-looking name: the value is sealed (never in a repr, a log or an error).
        sealed: AuthValue | str = AuthValue(value) if secret_name(prop) else value
        del value, args
        existing = [
            p
            for p in client.iter_account_connector_properties(account, ac_id, progress=False)
            if str(p.get("Name") or "").lower() == prop.lower()
        ]
        if existing:
            pid = int(str(existing[0].get("Id")))
            client.update_account_connector_property(account, ac_id, pid, sealed, name=prop)
        else:
            client.add_account_connector_property(account, ac_id, prop, sealed)
        return f"Property {prop} set on {name}."

    state = "authenticated" if authenticated else "not authenticated"
    actions = [
        Action("reauthenticate", "Re-authenticate",
               lambda _a: f"Re-authenticate {where}? Its current sign-in is replaced.",
               lambda _a: reauthenticate(), enabled=oauth and authenticated, shown=False),
        Action("deauthenticate", "Deauthenticate",
               lambda _a: f"Deauthenticate {where}? Cycles using it stop working.",
               deauthenticate, enabled=authenticated,
               tooltip="" if authenticated else f"{name} is not authenticated."),
        Action("set_property", "Set property",
               lambda a: f"Set property {a.get('name') or '?'} of {where}?",
               set_property, form="property"),
    ]  # fmt: skip
    return f"Connector {name} ({state})", actions
