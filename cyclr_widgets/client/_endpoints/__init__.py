"""The sans-I/O core: one function per Cyclr call, returning an :class:`Operation`.

An operation says what to send (method, path, query, JSON body, account header), whether a
retry is safe, and how to parse the answer. Arguments are checked here, so bad input fails
before any request: every id that goes into a path is validated and percent-encoded as one
segment. Both clients execute the same operations; only their send paths differ.

The clients call them as ``ops.<name>`` (``from . import _endpoints as ops``); they are grouped
by area:

- ``_accounts.py``: accounts (partner level) and sign-in tokens;
- ``_connectors.py``: the connector library, installed connectors, their properties, and the
  sealing of secret arguments (``seal_*``);
- ``_templates.py``: templates (list with Cyclr's filters, get, install, export, import);
- ``_cycles.py``: cycles (list, CRUD, activate, deactivate, prerequisites, upgradeable);
- ``_steps.py``: a cycle's steps, edges and variables;
- ``_mappings.py``: one step's prerequisites, field mappings and parameters;
- ``_history.py``: transactions, one transaction's step records, incidents;
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
    create_account,
    delete_account,
    get_account,
    list_accounts,
    sign_in_token,
    update_account,
)
from ._connectors import (
    Properties,
    add_property,
    deauthenticate_account_connector,
    delete_account_connector,
    delete_property,
    get_account_connector,
    get_connector,
    install_connector,
    list_account_connectors,
    list_connectors,
    list_properties,
    seal_auth_value,
    seal_properties,
    seal_property_value,
    seal_secret,
    update_account_connector,
    update_property,
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
from ._history import (
    INCIDENT_WINDOW,
    clear_cycle_incidents,
    list_incidents,
    list_transaction_steps,
    list_transactions,
)
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
    "activate_cycle",
    "add_property",
    "check_account",
    "check_guid",
    "check_int_id",
    "check_str_id",
    "clear_cycle_incidents",
    "create_account",
    "create_cycle",
    "create_cycle_edge",
    "create_cycle_step",
    "create_cycle_variable",
    "cycle_prerequisites",
    "deactivate_cycle",
    "deauthenticate_account_connector",
    "delete_account",
    "delete_account_connector",
    "delete_cycle",
    "delete_cycle_edge",
    "delete_cycle_step",
    "delete_cycle_variable",
    "delete_property",
    "export_template",
    "get_account",
    "get_account_connector",
    "get_connector",
    "get_cycle",
    "get_cycle_edge",
    "get_cycle_step",
    "get_cycle_variable",
    "get_step_field_mapping",
    "get_step_parameter",
    "get_template",
    "import_template",
    "install_connector",
    "install_template",
    "list_account_connectors",
    "list_accounts",
    "list_connectors",
    "list_cycle_edges",
    "list_cycle_steps",
    "list_cycle_variables",
    "list_cycles",
    "list_incidents",
    "list_properties",
    "list_step_field_mappings",
    "list_step_fields_for_mapping",
    "list_step_parameters",
    "list_templates",
    "list_transaction_steps",
    "list_transactions",
    "list_upgradeable_cycles",
    "lookup_step_field_mappings",
    "lookup_step_parameter",
    "seal_auth_value",
    "seal_properties",
    "seal_property_value",
    "seal_secret",
    "set_step_field_mapping",
    "set_step_parameter",
    "sign_in_token",
    "step_prerequisites",
    "update_account",
    "update_account_connector",
    "update_cycle",
    "update_cycle_step",
    "update_cycle_variable",
    "update_property",
    "upsert_cycle_variables",
]
