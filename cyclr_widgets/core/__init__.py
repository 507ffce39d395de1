"""The data types the client and the widgets share: errors, records, ``AuthValue``, OAuth URLs.

Imports only the standard library (and ``idna``, for the browser-exact origins of ``_oauth``),
so every other part of the package may import it and it imports none of them.

- ``_exceptions.py``: the ``CyclrError`` tree and the status -> error mapping;
- ``_models.py``: frozen records (``SignInToken``, ``AccountConnector``, ``AuthMethod``) and
  property masking;
- ``_masking.py``: ``mask_secrets()``, secrets masked by name at any depth and in HTTP dumps;
- ``_links.py``: ``LaunchLink``, the LAUNCH / ORBIT / Marketplace reply (a secret URL);
- ``_authvalue.py``: ``AuthValue``, the sealed credentials string;
- ``_oauth.py``: ``oauth_url()``, ``signin_url()``, ``webhook_url()`` and the origin helpers;
- ``_diagnosis.py``: ``diagnose_account_connector()``, why an account connector is not
  authenticated (``Diagnosis``, ``Reason``);
- ``_incidents.py``: ``group_incidents()``, a cycle's incidents by step and message;
  ``parse_window()``;
- ``_client_protocol.py``: ``WidgetClient`` and its parts, the client surface the widgets use.
"""

from __future__ import annotations

from ._authvalue import AuthValue, reveal_all, sealed_secrets
from ._client_protocol import BrowserClient, ExplorerClient, PopupClient, WidgetClient
from ._diagnosis import (
    OAUTH_APP_PROPERTIES,
    Diagnosis,
    Reason,
    diagnose_account_connector,
    missing_properties,
    token_times,
)
from ._exceptions import (
    AccessDeniedError,
    AuthenticationError,
    ConflictError,
    CyclrError,
    IPRestrictionError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    TransportError,
    ValidationError,
    error_for_status,
    message_from_body,
    scrub,
)
from ._incidents import INCIDENT_GROUP_FIELDS, group_incidents, incident_time, parse_window
from ._links import LaunchLink
from ._masking import MASK, is_secret_field, mask_secrets, scrub_dump
from ._models import (
    AccountConnector,
    AccountConnectorProperty,
    AuthMethod,
    SignInToken,
    auth_methods,
    is_sensitive_name,
    mask_account_connector,
    mask_properties,
    parse_datetime,
)
from ._oauth import (
    is_origin,
    normalize_service_url,
    oauth_url,
    origin_of,
    signin_url,
    webhook_url,
)

__all__ = [
    "INCIDENT_GROUP_FIELDS",
    "MASK",
    "OAUTH_APP_PROPERTIES",
    "AccessDeniedError",
    "AccountConnector",
    "AccountConnectorProperty",
    "AuthMethod",
    "AuthValue",
    "AuthenticationError",
    "BrowserClient",
    "ConflictError",
    "CyclrError",
    "Diagnosis",
    "ExplorerClient",
    "IPRestrictionError",
    "LaunchLink",
    "NotFoundError",
    "OutcomeUnknownError",
    "PopupClient",
    "RateLimitError",
    "Reason",
    "ServerError",
    "SignInToken",
    "TransportError",
    "ValidationError",
    "WidgetClient",
    "auth_methods",
    "diagnose_account_connector",
    "error_for_status",
    "group_incidents",
    "incident_time",
    "is_origin",
    "is_secret_field",
    "is_sensitive_name",
    "mask_account_connector",
    "mask_properties",
    "mask_secrets",
    "message_from_body",
    "missing_properties",
    "normalize_service_url",
    "oauth_url",
    "origin_of",
    "parse_datetime",
    "parse_window",
    "reveal_all",
    "scrub",
    "scrub_dump",
    "sealed_secrets",
    "signin_url",
    "token_times",
    "webhook_url",
]
