"""The sans-I/O core: one function per Cyclr call, returning an :class:`Operation`.

An operation says what to send (method, path, query, JSON body, account header), whether a
retry is safe, and how to parse the answer. Arguments are checked here, so bad input fails
before any request: every id that goes into a path is validated and percent-encoded as one
segment. Both clients execute the same operations; only their send paths differ.

The clients call them as ``ops.<name>`` (``from . import _endpoints as ops``); they are grouped
by area:

- ``_accounts.py``: accounts (partner level), their users and sign-in tokens;
- ``_launch.py``: LAUNCH, ORBIT and Marketplace links;
- ``_library.py``: connectors by name and version, their methods;
- ``_connectors.py``: the connector library, installs, installed connectors, their properties,
  and the sealing of secret arguments (``seal_*``);
- ``_fields.py``: an installed connector's custom fields;
- ``_dod.py``: lookup triggers and Data on Demand method calls;
- ``_custom.py``: custom connectors;
- ``_raw.py``: ``client.request()``, the escape hatch;
- ``_templates.py``: templates (list with Cyclr's filters, get, install, export, import);
- ``_cycles.py``: cycles (list, CRUD, activate, deactivate, prerequisites, upgradeable);
- ``_steps.py``: a cycle's steps, edges and variables;
- ``_mappings.py``: one step's prerequisites, field mappings and parameters;
- ``_history.py``: transactions, one transaction's step records, incidents;
- ``_diagnosis.py``: an account connector with its tokens' expiry times (for diagnoses);
- ``_bodies.py``: the snake_case -> PascalCase body tables and query-value helpers they share.
"""

from __future__ import annotations

from .._operation import (
    Listing,
    Operation,
    check_account,
    check_guid,
    check_int_id,
    check_str_id,
)
from ._accounts import (
    account_usage,
    add_account_user,
    check_username,
    create_account,
    delete_account,
    get_account,
    list_account_users,
    list_accounts,
    list_subaccounts,
    remove_account_user,
    seal_password,
    set_user_password,
    sign_in_token,
    update_account,
    user_name,
)
from ._connectors import (
    Properties,
    add_property,
    deauthenticate_account_connector,
    delete_account_connector,
    delete_property,
    get_account_connector,
    get_connector,
    get_property,
    install_connector,
    list_account_connectors,
    list_connectors,
    list_properties,
    seal_auth_value,
    seal_body,
    seal_properties,
    seal_property_value,
    seal_secret,
    update_account_connector,
    update_property,
)
from ._custom import (
    create_custom_connector,
    delete_custom_connector,
    get_custom_connector,
    list_custom_connectors,
)
from ._cycles import (
    activate_cycle,
    create_cycle,
    cycle_prerequisites,
    deactivate_cycle,
    delete_cycle,
    get_cycle,
    list_cycles,
    list_upgradeable_cycles,
    update_cycle,
)
from ._diagnosis import get_account_connector_with_token_times
from ._dod import call_method, run_trigger
from ._fields import add_field, delete_field, get_field, list_fields, update_field
from ._history import (
    INCIDENT_WINDOW,
    clear_cycle_incidents,
    list_incidents,
    list_transaction_steps,
    list_transactions,
)
from ._launch import launch_link
from ._library import find_connectors, get_method, list_connector_methods
from ._mappings import (
    get_step_field_mapping,
    get_step_parameter,
    list_step_field_mappings,
    list_step_fields_for_mapping,
    list_step_parameters,
    lookup_step_field_mappings,
    lookup_step_parameter,
    set_step_field_mapping,
    set_step_parameter,
    step_prerequisites,
)
from ._raw import raw_request
from ._steps import (
    create_cycle_edge,
    create_cycle_step,
    create_cycle_variable,
    delete_cycle_edge,
    delete_cycle_step,
    delete_cycle_variable,
    get_cycle_edge,
    get_cycle_step,
    get_cycle_variable,
    list_cycle_edges,
    list_cycle_steps,
    list_cycle_variables,
    update_cycle_step,
    update_cycle_variable,
    upsert_cycle_variables,
)
from ._templates import (
    export_template,
    get_template,
    import_template,
    install_template,
    list_templates,
)

__all__ = [
    "INCIDENT_WINDOW",
    "Listing",
    "Operation",
    "Properties",
    "account_usage",
    "activate_cycle",
    "add_account_user",
    "add_field",
    "add_property",
    "call_method",
    "check_account",
    "check_guid",
    "check_int_id",
    "check_str_id",
    "check_username",
    "clear_cycle_incidents",
    "create_account",
    "create_custom_connector",
    "create_cycle",
    "create_cycle_edge",
    "create_cycle_step",
    "create_cycle_variable",
    "cycle_prerequisites",
    "deactivate_cycle",
    "deauthenticate_account_connector",
    "delete_account",
    "delete_account_connector",
    "delete_custom_connector",
    "delete_cycle",
    "delete_cycle_edge",
    "delete_cycle_step",
    "delete_cycle_variable",
    "delete_field",
    "delete_property",
    "export_template",
    "find_connectors",
    "get_account",
    "get_account_connector",
    "get_account_connector_with_token_times",
    "get_connector",
    "get_custom_connector",
    "get_cycle",
    "get_cycle_edge",
    "get_cycle_step",
    "get_cycle_variable",
    "get_field",
    "get_method",
    "get_property",
    "get_step_field_mapping",
    "get_step_parameter",
    "get_template",
    "import_template",
    "install_connector",
    "install_template",
    "launch_link",
    "list_account_connectors",
    "list_account_users",
    "list_accounts",
    "list_connector_methods",
    "list_connectors",
    "list_custom_connectors",
    "list_cycle_edges",
    "list_cycle_steps",
    "list_cycle_variables",
    "list_cycles",
    "list_fields",
    "list_incidents",
    "list_properties",
    "list_step_field_mappings",
    "list_step_fields_for_mapping",
    "list_step_parameters",
    "list_subaccounts",
    "list_templates",
    "list_transaction_steps",
    "list_transactions",
    "list_upgradeable_cycles",
    "lookup_step_field_mappings",
    "lookup_step_parameter",
    "raw_request",
    "remove_account_user",
    "run_trigger",
    "seal_auth_value",
    "seal_body",
    "seal_password",
    "seal_properties",
    "seal_property_value",
    "seal_secret",
    "set_step_field_mapping",
    "set_step_parameter",
    "set_user_password",
    "sign_in_token",
    "step_prerequisites",
    "update_account",
    "update_account_connector",
    "update_cycle",
    "update_cycle_step",
    "update_cycle_variable",
    "update_field",
    "update_property",
    "upsert_cycle_variables",
    "user_name",
]
