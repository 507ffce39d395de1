"""Every endpoint of Cyclr's partner API, once: the list the client and the sandbox are held to.

One row per operation of ``cyclr-api-surface.md`` §3 (its ``#`` numbers), naming the HTTP verb,
the path template, the client method that reaches it and the arguments for one call. The
arguments are :class:`Ref` placeholders: the strict-mock tests fill them with made-up values of
the right type (:data:`DUMMY`), the sandbox tests with ids the seed guarantees (``Sandbox.ids``).
So a new endpoint cannot be added to one side only: ``tests/test_catalogue.py`` calls every row
through both clients against a strict mock (the verb and path must match, nothing else may be
sent) and through the client against the sandbox (the route must exist and answer 2xx).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CATALOGUE", "DUMMY", "PAGES", "Endpoint", "Ref", "resolve"]


@dataclass(frozen=True)
class Ref:
    """A value looked up per run: ``DUMMY[key]`` for mocks, ``Sandbox.ids[key]`` for the sandbox."""

    key: str


ACC = Ref("account_id")
SUB = Ref("sub_account_id")
CONN = Ref("first_connector_id")
CNAME = Ref("connector_name")  # a connector with a Version ("MailChimp", "v3")
CVER = Ref("connector_version")
AC = Ref("first_account_connector_id")
PROP = Ref("property_id")  # a property of AC
FIELD_AC = Ref("custom_field_id")  # a custom field of AC
TRIG = Ref("trigger_id")  # a lookup trigger of AC's connector
DOD_AC = Ref("dod_account_connector_id")  # an account connector whose methods can be called
METHOD = Ref("method_uid")  # a method of DOD_AC's connector (MethodUniqueIdentifier)
METHOD_ID = Ref("method_id")  # a method id of CONN
DOD_PARAM = Ref("dod_parameter_id")  # a parameter of METHOD
CUSTOM = Ref("custom_connector_id")
TPL = Ref("template_id")
CYCLE = Ref("cycle_id")  # the troubleshooting cycle: steps, edges, variables, history
STEP = Ref("step_id")  # a method step of CYCLE
EDGE = Ref("edge_id")
VAR = Ref("variable_name")
FIELD = Ref("field_id")  # a field of STEP's field mappings
PARAM = Ref("parameter_id")  # a parameter of STEP
TX = Ref("transaction_id")  # a failed transaction of CYCLE
USER = Ref("username")  # an existing user of ACC
MARKET = Ref("marketplace_id")

#: Made-up values of the right type for the strict-mock tests.
DUMMY: dict[str, Any] = {
    "account_id": "acct-0001",
    "sub_account_id": "acct-0001-sub",
    "first_connector_id": 2001,
    "connector_name": "MailChimp",
    "connector_version": "v3",
    "first_account_connector_id": 50001,
    "property_id": 41,
    "custom_field_id": 77,
    "trigger_id": 5101,
    "dod_account_connector_id": 50002,
    "method_uid": "8f8df8ef-3007-11e7-a033-06abe76375dd",
    "method_id": 116,
    "dod_parameter_id": 400123,
    "custom_connector_id": 9001,
    "template_id": "7ad2265e-2ff0-477b-b913-cae1dfde2ea8",
    "cycle_id": "cf636e9c-13dd-47ea-b0e8-88a5bf7f7b00",
    "step_id": "709b68ba-394e-4339-9550-abd0312e8dd5",
    "edge_id": "2c7f2f0e-5d0c-4e1e-9d59-1f2d7f9f0a11",
    "variable_name": "LastRunDate",
    "field_id": 283792,
    "parameter_id": 16017,
    "transaction_id": "284bc7b4-4321-4c97-aa2f-370f9627d244",
    "username": "jane.doe",
    "marketplace_id": 1234,
}


@dataclass(frozen=True)
class Endpoint:
    """One Cyclr operation and the client call that reaches it."""

    n: str  # the surface document's number ("13", "B1", ...)
    verb: str
    path: str  # the template, ``{name}`` for a path parameter
    call: str  # the client method (``iter_<call>`` too when ``listing``)
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    listing: bool = False  # a paged list: ``call`` gives a DataFrame, ``iter_<call>`` records
    destructive: bool = False  # the sandbox run gets a fresh seed after it
    reply: Any = None  # what the strict mock answers (``None``: ``{}``, or ``[]`` for a list)

    def pattern(self) -> re.Pattern[str]:
        """The path template as a regex (each ``{x}`` one percent-encoded segment)."""
        parts = re.split(r"(\{[^}]+\})", self.path)
        rx = "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts)
        return re.compile(rx + r"\Z")


def resolve(value: Any, ids: dict[str, Any]) -> Any:
    """``value`` with every :class:`Ref` (also inside lists and dicts) looked up in ``ids``."""
    if isinstance(value, Ref):
        return ids[value.key]
    if isinstance(value, (list, tuple)):
        return type(value)(resolve(v, ids) for v in value)
    if isinstance(value, dict):  # a Ref as a key (a parameter id) becomes its string
        return {
            (str(ids[k.key]) if isinstance(k, Ref) else k): resolve(v, ids)
            for k, v in value.items()
        }
    return value


E = Endpoint
LIST: list[Any] = []
PAGES = "paged"  # marker: the mock answers a one-page list

CATALOGUE: list[Endpoint] = [
    # -- accounts, users, sign-in (partner level) ----------------------------------------
    E("2", "GET", "/v1.0/accounts", "accounts", listing=True),
    E("3", "POST", "/v1.0/accounts", "create_account", ("Catalogue Co",), {"id": "catalogue-co"}),
    E("4", "GET", "/v1.0/accounts/{accountId}", "account", (ACC,)),
    E("5", "PUT", "/v1.0/accounts/{accountId}", "update_account", (ACC,), {"description": "x"}),
    E("6", "DELETE", "/v1.0/accounts/{accountId}", "delete_account", (SUB,), destructive=True),
    E("7", "GET", "/v1.0/accounts/{accountId}/subaccounts", "subaccounts", (ACC,), listing=True),
    E("8", "GET", "/v1.0/accounts/{accountId}/usage", "account_usage", (ACC,)),
    E("9", "GET", "/v1.0/accounts/{accountId}/users", "account_users", (ACC,), listing=True),
    E(
        "10",
        "PUT",
        "/v1.0/accounts/{accountId}/users",
        "add_account_user",
        (ACC, "new.user", "Password123!"),
    ),
    E(
        "11",
        "DELETE",
        "/v1.0/accounts/{accountId}/users",
        "remove_account_user",
        (ACC, USER),
        destructive=True,
    ),
    E("12", "PUT", "/v1.0/users", "set_user_password", (USER, "NewPassword123!")),
    E(
        "13",
        "POST",
        "/v1.0/accounts/{accountId}/signintoken",
        "sign_in_token",
        (ACC, USER),
        reply={"Token": "tok=", "ExpiresAtUtc": "2030-01-01T00:00:00Z"},
    ),
    E(
        "14",
        "POST",
        "/v1.0/accounts/tokens",
        "sign_in_token",
        (ACC,),
        {"legacy": True},
        reply={"Token": "tok=", "ExpiresAtUtc": "2030-01-01T00:00:00Z"},
    ),
    E(
        "15",
        "POST",
        "/v1.0/accounts/{accountId}/launch",
        "launch",
        (ACC,),
        reply={
            "AccountId": "a",
            "ExpiresAtUtc": "2030-01-01T00:00:00Z",
            "LaunchUrl": "https://s/x",
            "Token": "t",
        },
    ),
    E(
        "16",
        "POST",
        "/v1.0/users/launch",
        "launch",
        (ACC,),
        {"username": USER, "password": "Password123!"},
        reply={
            "AccountId": "a",
            "ExpiresAtUtc": "2030-01-01T00:00:00Z",
            "LaunchUrl": "https://s/x",
            "Token": "t",
        },
    ),
    E(
        "17",
        "POST",
        "/v1.0/accounts/{accountId}/orbit",
        "orbit",
        (ACC,),
        reply={
            "AccountId": "a",
            "ExpiresAtUtc": "2030-01-01T00:00:00Z",
            "OrbitUrl": "https://s/x",
            "Token": "t",
        },
    ),
    E(
        "18",
        "POST",
        "/v1.0/users/orbit",
        "orbit",
        (ACC,),
        {"username": USER, "password": "Password123!"},
        reply={
            "AccountId": "a",
            "ExpiresAtUtc": "2030-01-01T00:00:00Z",
            "OrbitUrl": "https://s/x",
            "Token": "t",
        },
    ),
    E(
        "19",
        "POST",
        "/v1.0/accounts/{accountId}/marketplace",
        "marketplace",
        (ACC, MARKET),
        reply={
            "AccountId": "a",
            "ExpiresAtUtc": "2030-01-01T00:00:00Z",
            "MarketplaceUrl": "https://s/x",
            "Token": "t",
        },
    ),
    E(
        "20",
        "POST",
        "/v1.0/users/marketplace",
        "marketplace",
        (ACC, MARKET),
        {"username": USER, "password": "Password123!"},
        reply={
            "AccountId": "a",
            "ExpiresAtUtc": "2030-01-01T00:00:00Z",
            "MarketplaceUrl": "https://s/x",
            "Token": "t",
        },
    ),
    # -- the connector library --------------------------------------------------------------
    E("21", "GET", "/v1.0/connectors", "connectors", (ACC,), listing=True),
    E("22", "GET", "/v1.0/connectors/{connectorId}", "connector", (CONN,), {"account_id": ACC}),
    E(
        "23",
        "GET",
        "/v1.0/connectors/{name}",
        "find_connectors",
        (CNAME,),
        {"account_id": ACC},
        reply=LIST,
    ),
    E(
        "24",
        "GET",
        "/v1.0/connectors/{name}/{version}",
        "find_connectors",
        (CNAME, CVER),
        {"account_id": ACC},
        reply=LIST,
    ),
    E(
        "25",
        "GET",
        "/v1.0/connectors/{connectorId}/methods",
        "connector_methods",
        (CONN,),
        {"account_id": ACC},
        listing=True,
    ),
    E(
        "26",
        "GET",
        "/v1.0/connectors/{name}/methods",
        "connector_methods",
        (CNAME,),
        {"account_id": ACC},
        listing=True,
    ),
    E(
        "27",
        "GET",
        "/v1.0/connectors/{name}/{version}/methods",
        "connector_methods",
        (CNAME,),
        {"version": CVER, "account_id": ACC},
        listing=True,
    ),
    E("28", "GET", "/v1.0/methods/{methodId}", "method", (METHOD_ID,), {"account_id": ACC}),
    E(
        "29",
        "POST",
        "/v1.0/connectors/{connectorId}/install",
        "install_connector",
        (ACC, CONN),
        {"name": "Catalogue install"},
        reply={"Id": 1, "Name": "n", "Connector": {"Id": 2}},
    ),
    E(
        "30",
        "POST",
        "/v1.0/connectors/{name}/install",
        "install_connector",
        (ACC, "Slack"),
        {"name": "Catalogue install"},
        reply={"Id": 1, "Name": "n", "Connector": {"Id": 2}},
    ),
    E(
        "31",
        "POST",
        "/v1.0/connectors/{name}/{version}/install",
        "install_connector",
        (ACC, CNAME),
        {"version": CVER, "name": "Catalogue install"},
        reply={"Id": 1, "Name": "n", "Connector": {"Id": 2}},
    ),
    # -- account connectors -----------------------------------------------------------------
    E("32", "GET", "/v1.0/account/connectors", "account_connectors", (ACC,), listing=True),
    E(
        "33",
        "GET",
        "/v1.0/account/connectors/{id}",
        "account_connector",
        (ACC, AC),
        reply={"Id": 1, "Name": "n", "Connector": {"Id": 2}},
    ),
    E(
        "34",
        "PUT",
        "/v1.0/account/connectors/{id}",
        "update_account_connector",
        (ACC, AC),
        {"description": "updated"},
        reply={"Id": 1, "Name": "n", "Connector": {"Id": 2}},
    ),
    E(
        "35",
        "DELETE",
        "/v1.0/account/connectors/{id}",
        "delete_account_connector",
        (ACC, AC),
        destructive=True,
    ),
    E(
        "36",
        "PUT",
        "/v1.0/account/connectors/{id}/deauthenticate",
        "deauthenticate_account_connector",
        (ACC, AC),
        destructive=True,
    ),
    E(
        "37",
        "GET",
        "/v1.0/account/connectors/{id}/properties",
        "account_connector_properties",
        (ACC, AC),
        listing=True,
    ),
    E(
        "38",
        "POST",
        "/v1.0/account/connectors/{id}/properties",
        "add_account_connector_property",
        (ACC, AC, "subdomain", "acme"),
    ),
    E(
        "39",
        "GET",
        "/v1.0/account/connectors/{id}/properties/{propertyId}",
        "account_connector_property",
        (ACC, AC, PROP),
    ),
    E(
        "40",
        "PUT",
        "/v1.0/account/connectors/{id}/properties/{propertyId}",
        "update_account_connector_property",
        (ACC, AC, PROP, "acme-2"),
    ),
    E(
        "41",
        "DELETE",
        "/v1.0/account/connectors/{id}/properties/{propertyId}",
        "delete_account_connector_property",
        (ACC, AC, PROP),
        destructive=True,
    ),
    E(
        "42",
        "GET",
        "/v1.0/account/connectors/{id}/fields",
        "account_connector_fields",
        (ACC, AC),
        listing=True,
    ),
    E(
        "43",
        "POST",
        "/v1.0/account/connectors/{id}/fields",
        "add_account_connector_field",
        (ACC, AC),
        {"ConnectorField": "custom_field_1", "DisplayName": "Custom 1", "DataType": "Text"},
    ),
    E(
        "44",
        "GET",
        "/v1.0/account/connectors/{id}/fields/{fieldId}",
        "account_connector_field",
        (ACC, AC, FIELD_AC),
    ),
    E(
        "45",
        "PUT",
        "/v1.0/account/connectors/{id}/fields/{fieldId}",
        "update_account_connector_field",
        (ACC, AC, FIELD_AC),
        {"DisplayName": "Renamed"},
    ),
    E(
        "46",
        "DELETE",
        "/v1.0/account/connectors/{id}/fields/{fieldId}",
        "delete_account_connector_field",
        (ACC, AC, FIELD_AC),
        destructive=True,
    ),
    E(
        "47",
        "POST",
        "/v1.0/account/connectors/{id}/triggers/{triggerId}",
        "run_trigger",
        (ACC, AC, TRIG),
        reply=LIST,
    ),
    E(
        "48",
        "GET",
        "/v1.0/account/connectors/{id}/methods/{methodIdOrUid}",
        "call_method",
        (ACC, DOD_AC, METHOD),
    ),
    E(
        "49",
        "POST",
        "/v1.0/account/connectors/{id}/methods/{methodIdOrUid}",
        "call_method",
        (ACC, DOD_AC, METHOD),
        {"parameters": {DOD_PARAM: "2"}},
    ),
    E(
        "50",
        "GET",
        "/v1.0/account/connectors/{id}/test/{methodIdOrUid}",
        "test_method",
        (ACC, DOD_AC, METHOD),
    ),
    E(
        "51",
        "POST",
        "/v1.0/account/connectors/{id}/test/{methodIdOrUid}",
        "test_method",
        (ACC, DOD_AC, METHOD),
        {"parameters": {DOD_PARAM: "2"}},
    ),
    E("52", "GET", "/v1.0/account/connectors/custom", "custom_connectors", (ACC,), listing=True),
    E(
        "53",
        "POST",
        "/v1.0/account/connectors/custom",
        "create_custom_connector",
        (ACC, {"Name": "Catalogue Custom", "Description": "made by the catalogue test"}),
    ),
    E("54", "GET", "/v1.0/account/connectors/custom/{id}", "custom_connector", (ACC, CUSTOM)),
    E(
        "55",
        "DELETE",
        "/v1.0/account/connectors/custom/{id}",
        "delete_custom_connector",
        (ACC, CUSTOM),
        destructive=True,
    ),
    # -- templates --------------------------------------------------------------------------
    E("56", "GET", "/v1.0/templates", "templates", listing=True),
    E("57", "GET", "/v1.0/templates/{templateId}", "template", (TPL,)),
    E("58", "POST", "/v1.0/templates/{templateId}/install", "install_template", (ACC, TPL)),
    E("59", "GET", "/v1.0/templates/{templateId}/export", "export_template", (TPL,)),
    E(
        "60",
        "POST",
        "/v1.0/templates/import",
        "import_template",
        ({"Name": "Imported", "Connectors": [], "Steps": []},),
    ),
    # -- cycles -----------------------------------------------------------------------------
    E("61", "GET", "/v1.0/cycles", "cycles", (ACC,), listing=True),
    E("62", "POST", "/v1.0/cycles", "create_cycle", (ACC, "Catalogue cycle")),
    E("63", "GET", "/v1.0/cycles/{cycleId}", "cycle", (ACC, CYCLE)),
    E(
        "64",
        "PUT",
        "/v1.0/cycles/{cycleId}",
        "update_cycle",
        (ACC, CYCLE),
        {"description": "updated"},
    ),
    E("65", "DELETE", "/v1.0/cycles/{cycleId}", "delete_cycle", (ACC, CYCLE), destructive=True),
    E(
        "66",
        "PUT",
        "/v1.0/cycles/{cycleId}/activate",
        "activate_cycle",
        (ACC, CYCLE),
        {"run_once": True},
        destructive=True,
    ),
    E(
        "67",
        "PUT",
        "/v1.0/cycles/{cycleId}/deactivate",
        "deactivate_cycle",
        (ACC, CYCLE),
        destructive=True,
    ),
    E(
        "68",
        "GET",
        "/v1.0/cycles/{cycleId}/prerequisites",
        "cycle_prerequisites",
        (ACC, CYCLE),
        reply=LIST,
    ),
    E("69", "GET", "/v1.0/cycles/upgradeable", "upgradeable_cycles", (ACC,), listing=True),
    E("70", "GET", "/v1.0/cycles/{cycleId}/steps", "cycle_steps", (ACC, CYCLE), listing=True),
    E(
        "71",
        "POST",
        "/v1.0/cycles/{cycleId}/steps",
        "create_cycle_step",
        (ACC, CYCLE),
        {"Name": "Delay", "ActionType": 4},
    ),
    E("72", "GET", "/v1.0/cycles/{cycleId}/steps/{stepId}", "cycle_step", (ACC, CYCLE, STEP)),
    E(
        "73",
        "PUT",
        "/v1.0/cycles/{cycleId}/steps/{stepId}",
        "update_cycle_step",
        (ACC, CYCLE, STEP),
        {"Description": "updated"},
    ),
    E(
        "74",
        "DELETE",
        "/v1.0/cycles/{cycleId}/steps/{stepId}",
        "delete_cycle_step",
        (ACC, CYCLE, STEP),
        destructive=True,
    ),
    E("75", "GET", "/v1.0/cycles/{cycleId}/edges", "cycle_edges", (ACC, CYCLE), listing=True),
    E(
        "76",
        "POST",
        "/v1.0/cycles/{cycleId}/edges",
        "create_cycle_edge",
        (ACC, CYCLE),
        {"HeadStepId": STEP, "TailStepId": STEP},
        destructive=True,
    ),
    E("77", "GET", "/v1.0/cycles/{cycleId}/edges/{edgeId}", "cycle_edge", (ACC, CYCLE, EDGE)),
    E(
        "78",
        "DELETE",
        "/v1.0/cycles/{cycleId}/edges/{edgeId}",
        "delete_cycle_edge",
        (ACC, CYCLE, EDGE),
        destructive=True,
    ),
    E(
        "79",
        "GET",
        "/v1.0/cycles/{cycleId}/variables",
        "cycle_variables",
        (ACC, CYCLE),
        listing=True,
    ),
    E(
        "80",
        "POST",
        "/v1.0/cycles/{cycleId}/variables",
        "create_cycle_variable",
        (ACC, CYCLE),
        {"SystemName": "CatalogueVar", "Value": "1"},
    ),
    E(
        "81",
        "PATCH",
        "/v1.0/cycles/{cycleId}/variables",
        "upsert_cycle_variables",
        (ACC, CYCLE, [{"SystemName": "CatalogueVar2", "Value": "2"}]),
        reply=LIST,
    ),
    E(
        "82",
        "GET",
        "/v1.0/cycles/{cycleId}/variables/{systemName}",
        "cycle_variable",
        (ACC, CYCLE, VAR),
    ),
    E(
        "83",
        "PUT",
        "/v1.0/cycles/{cycleId}/variables/{systemName}",
        "update_cycle_variable",
        (ACC, CYCLE, VAR),
        {"Value": "changed"},
    ),
    E(
        "84",
        "DELETE",
        "/v1.0/cycles/{cycleId}/variables/{systemName}",
        "delete_cycle_variable",
        (ACC, CYCLE, VAR),
        destructive=True,
    ),
    # -- run history ------------------------------------------------------------------------
    E("85", "GET", "/v1.0/cycles/transactions", "transactions", (ACC,), listing=True),
    E(
        "86",
        "GET",
        "/v1.0/cycles/{cycleId}/transactions",
        "transactions",
        (ACC,),
        {"cycle_id": CYCLE},
        listing=True,
    ),
    E(
        "87",
        "GET",
        "/v1.0/cycles/{cycleId}/transactions/{transactionId}",
        "transaction_steps",
        (ACC, CYCLE, TX),
        listing=True,
    ),
    E("88", "GET", "/v1.0/cycles/incidents/error", "incidents", (ACC,), listing=True),
    E("89", "GET", "/v1.0/cycles/incidents/warning", "incidents", (ACC, "warning"), listing=True),
    E(
        "90",
        "GET",
        "/v1.0/cycles/{cycleId}/incidents",
        "incidents",
        (ACC,),
        {"cycle_id": CYCLE},
        listing=True,
    ),
    E(
        "91",
        "DELETE",
        "/v1.0/cycles/{cycleId}/incidents",
        "clear_cycle_incidents",
        (ACC, CYCLE),
        destructive=True,
    ),
    # -- steps: prerequisites, parameters, field mappings -----------------------------------
    E(
        "92",
        "GET",
        "/v1.0/steps/{stepId}/prerequisites",
        "step_prerequisites",
        (ACC, STEP),
        reply=LIST,
    ),
    E(
        "93",
        "GET",
        "/v1.0/steps/{stepId}/fieldsformapping",
        "step_fields_for_mapping",
        (ACC, STEP),
        listing=True,
    ),
    E(
        "94",
        "GET",
        "/v1.0/steps/{stepId}/fieldmappings",
        "step_field_mappings",
        (ACC, STEP),
        listing=True,
    ),
    E(
        "95",
        "GET",
        "/v1.0/steps/{stepId}/fieldmappings/{fieldId}",
        "step_field_mapping",
        (ACC, STEP, FIELD),
    ),
    E(
        "96",
        "PUT",
        "/v1.0/steps/{stepId}/fieldmappings/{fieldId}",
        "set_step_field_mapping",
        (ACC, STEP, FIELD, "StaticValue"),
        {"value": "fixed"},
    ),
    E(
        "97",
        "POST",
        "/v1.0/steps/{stepId}/fieldmappings/{fieldId}",
        "set_step_field_mapping",
        (ACC, STEP, FIELD, "StaticValue"),
        {"value": "fixed", "verb": "POST"},
    ),
    E(
        "98",
        "POST",
        "/v1.0/steps/{stepId}/fieldmappings/lookup",
        "lookup_step_field_mappings",
        (ACC, STEP),
        reply=LIST,
    ),
    E("99", "GET", "/v1.0/steps/{stepId}/parameters", "step_parameters", (ACC, STEP), listing=True),
    E(
        "100",
        "GET",
        "/v1.0/steps/{stepId}/parameters/{parameterId}",
        "step_parameter",
        (ACC, STEP, PARAM),
    ),
    E(
        "101",
        "PUT",
        "/v1.0/steps/{stepId}/parameters/{parameterId}",
        "set_step_parameter",
        (ACC, STEP, PARAM, "StaticValue"),
        {"value": "list-1"},
    ),
    E(
        "102",
        "POST",
        "/v1.0/steps/{stepId}/parameters/{parameterId}/lookup",
        "lookup_step_parameter",
        (ACC, STEP, PARAM),
        reply=LIST,
    ),
]
