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
- ``_cycles.py``: templates, cycles, transactions and incidents.
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
    cycle_prerequisites,
    deactivate_cycle,
    get_cycle,
    install_template,
    list_cycles,
    list_incidents,
    list_templates,
    list_transactions,
)

__all__ = [
    "Listing",
    "Operation",
    "Properties",
    "activate_cycle",
    "add_property",
    "check_account",
    "check_guid",
    "check_int_id",
    "check_str_id",
    "create_account",
    "cycle_prerequisites",
    "deactivate_cycle",
    "deauthenticate_account_connector",
    "delete_account",
    "delete_account_connector",
    "delete_property",
    "get_account",
    "get_account_connector",
    "get_connector",
    "get_cycle",
    "install_connector",
    "install_template",
    "list_account_connectors",
    "list_accounts",
    "list_connectors",
    "list_cycles",
    "list_incidents",
    "list_properties",
    "list_templates",
    "list_transactions",
    "seal_auth_value",
    "seal_properties",
    "seal_property_value",
    "seal_secret",
    "sign_in_token",
    "update_account",
    "update_account_connector",
    "update_property",
]
