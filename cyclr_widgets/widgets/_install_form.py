"""The install form: a schema built from a connector row, and the part that holds its state.

The same form sets the credentials of an installed connector (``credentials_schema``: its
ApiKey/Basic methods only, no name or properties; ``AccountExplorer`` uses it). The auth methods
always come from the connector's ``Authentication[]``; the deprecated top-level ``AuthType`` is
read only when a record has no ``Authentication[]`` at all.

Credentials never become traits (synced values, passwords included, are saved into
the .ipynb). The form's inputs live only in the browser; on submit JS sends them once by custom
message (``{"kind": "install", ...}``, never persisted) and clears the secret inputs. Python turns
them into an :class:`InstallRequest` for the duration of one ``install_connector`` call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import traitlets as t

from ..core import AuthValue, CyclrError, scrub
from ._parts import Part
from ._rpc import MessageRouter, RpcError

__all__ = [
    "CREDENTIAL_KINDS",
    "OAUTH_KINDS",
    "InstallForm",
    "InstallRequest",
    "auth_entries",
    "auth_kinds",
    "credentials_schema",
    "install_schema",
    "parse_install",
]

OAUTH_KINDS = ("OAuth1", "OAuth2")
#: The methods whose credentials are an ``AuthValue`` typed into a form (OAuth signs in instead).
CREDENTIAL_KINDS = ("ApiKey", "Basic")
_CLIENT_PROPS = ("ClientId", "ClientSecret")
_OAUTH_HELP = "Only for a per-account OAuth app; leave empty to use the partner's app."
# When the connector declares the property required there is no partner app to fall back on.
_OAUTH_HELP_REQUIRED = "This connector signs in with the customer's own OAuth app: it needs this."


def _field(name: str, label: str, kind: str = "text", **extra: Any) -> dict[str, Any]:
    return {"name": name, "label": label, "kind": kind, "required": False, **extra}


def _auth_fields(kind: str, client_props: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    if kind == "ApiKey":
        return [_field("api_key", "API key", "password", required=True, secret=True)]
    if kind == "Basic":
        return [
            _field("username", "Username", required=True, secret=True),
            _field("password", "Password", "password", required=True, secret=True),
        ]
    if kind == "OAuth2":
        # Cyclr reads per-account app credentials from properties named exactly ClientId and
        # ClientSecret; they are required only when the connector says so.
        out = []
        for name, target, label, ftype in (
            ("client_id", "ClientId", "Client ID", "text"),
            ("client_secret", "ClientSecret", "Client secret", "password"),
        ):
            param = client_props.get(target, {})
            required = bool(param) and not param.get("IsOptional", True)
            help_text = _OAUTH_HELP_REQUIRED if required else _OAUTH_HELP
            out.append(_field(name, label, ftype, required=required, secret=True, help=help_text))
        return out
    return []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def auth_entries(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A connector's auth methods: its ``Authentication[]`` entries.

    Only when it has none, one entry made from the deprecated top-level ``AuthType`` (``Id`` None).
    """
    auths = [a for a in _list(record.get("Authentication")) if isinstance(a, dict)]
    return auths or [{"Id": None, "AuthType": record.get("AuthType") or "None"}]


def auth_kinds(record: Mapping[str, Any]) -> list[str]:
    """The distinct ``AuthType`` of each auth method of a connector record, in Cyclr's order."""
    return list(dict.fromkeys(str(a.get("AuthType") or "None") for a in auth_entries(record)))


def _option(
    a: Mapping[str, Any], row: Mapping[str, Any], client_props: Mapping[str, Any]
) -> dict[str, Any]:
    kind = str(a.get("AuthType") or "None")
    return {
        "id": None if a.get("Id") is None else str(a["Id"]),
        "label": str(a.get("AuthName") or kind),
        "kind": kind,
        "oauth2_type": str(a.get("OAuth2Type") or row.get("OAuth2Type") or ""),
        "fields": _auth_fields(kind, client_props),
    }


def install_schema(row: Mapping[str, Any]) -> dict[str, Any]:
    """The form schema for one connector row (labels and kinds only, no values that are secret).

    Parameters
    ----------
    row : mapping
        A connector record, as ``client.iter_connectors(...)`` yields it: ``Id``, ``Name``,
        ``AuthType``, ``OAuth2Type``, ``Authentication`` (list of dicts) and ``Parameters``
        (list of dicts).

    Returns
    -------
    dict
        ``{"connector_id", "connector_name", "auth": [{id, label, kind, oauth2_type, fields}],
        "fields": [...], "note"}``; each field is ``{name, label, kind, required, secret?,
        options?, value?, help?}`` with kind ``text``, ``password`` or ``select``.
    """
    params = [p for p in _list(row.get("Parameters")) if isinstance(p, dict)]
    acct = [p for p in params if p.get("IsAccountConnectorProperty") and p.get("TargetName")]
    client_props = {p["TargetName"]: p for p in acct if p["TargetName"] in _CLIENT_PROPS}
    options = [_option(a, row, client_props) for a in auth_entries(row)]
    fields = [_field("name", "Name", required=True, value=str(row.get("Name") or ""))]
    for p in acct:
        target = str(p["TargetName"])
        if target in client_props:
            continue  # shown with the OAuth fields
        values = [str(v) for v in _list(p.get("Values"))]
        sensitive = bool(p.get("IsSensitive"))
        ftype = "select" if values else ("password" if sensitive else "text")
        fields.append(_field(
            f"prop:{target}", str(p.get("Name") or target), ftype,
            required=not p.get("IsOptional", False), secret=sensitive,
            options=values, help=str(p.get("Description") or ""),
        ))  # fmt: skip
    note = ""
    if any(o["kind"] in OAUTH_KINDS for o in options):
        note = "OAuth connectors: after installing, sign in with the Connect button below."
    return {
        "connector_id": row.get("Id"),
        "connector_name": str(row.get("Name") or ""),
        "auth": options,
        "fields": fields,
        "note": note,
    }


def credentials_schema(
    connector: Mapping[str, Any],
    account_connector_id: int,
    name: str,
    authentication_id: str | None = None,
) -> dict[str, Any]:
    """The form schema that sets an installed connector's credentials, or ``{}`` if it takes none.

    Parameters
    ----------
    connector : mapping
        The library record of the connector (with ``Authentication[]``; see :func:`auth_entries`).
    account_connector_id : int
        The installed connector whose ``AuthValue`` the form sets.
    name : str
        Its name, for the title.
    authentication_id : str, optional
        The method it was installed with (the account connector's ``AuthenticationId``): offered
        first, so the form opens on it.

    Returns
    -------
    dict
        As :func:`install_schema`, with only the ApiKey and Basic methods, no common fields, and
        ``mode`` ``"credentials"``, ``account_connector_id``, ``title``, ``submit_label`` and
        ``busy_label`` for the front end.
    """
    options = [
        _option(a, connector, {})
        for a in auth_entries(connector)
        if str(a.get("AuthType")) in CREDENTIAL_KINDS
    ]
    if not options:
        return {}
    options.sort(key=lambda o: o["id"] is None or o["id"] != authentication_id)  # stable
    return {
        "mode": "credentials",
        "connector_id": connector.get("Id"),
        "account_connector_id": account_connector_id,
        "connector_name": name,
        "title": f"Credentials for {name}",
        "submit_label": "Save credentials",
        "busy_label": "Saving…",
        "auth": options,
        "fields": [],
        "note": "",
    }


@dataclass(frozen=True)
class InstallRequest:
    """Arguments for ``client.install_connector``, parsed from one form submission.

    ``auth_value`` masks itself; ``properties`` may hold secrets and is left out of the repr.
    """

    connector_id: Any
    name: str
    auth_kind: str
    authentication_id: str | None
    auth_value: AuthValue | None
    properties: dict[str, str] = field(default_factory=dict, repr=False)
    account_connector_id: int | None = None  # set in "credentials" mode: whose AuthValue

    @property
    def needs_oauth(self) -> bool:
        """Whether the user must still sign in through the OAuth popup after the install.

        Decided by the method the user chose (``auth_kind``), never by the connector's other
        methods or its deprecated top-level ``AuthType``.
        """
        return self.auth_kind in OAUTH_KINDS and self.auth_value is None


def parse_install(schema: Mapping[str, Any], content: Mapping[str, Any]) -> InstallRequest:
    """Check a form submission against its schema and build the :class:`InstallRequest`.

    Raises
    ------
    RpcError
        With a message for the user: a stale form, a missing required field, bad credentials.
    """
    stale = (
        schema.get("connector_id") is None or content.get("connector_id") != schema["connector_id"]
    )
    ac_id = schema.get("account_connector_id")
    if stale or (ac_id is not None and content.get("account_connector_id") != ac_id):
        raise RpcError("The form is out of date; select the connector again.")
    options = schema.get("auth") or []
    auth = next((a for a in options if a["id"] == content.get("authentication_id")), None)
    auth = auth or (options[0] if options else {"id": None, "kind": "None", "fields": []})
    fields = [*auth["fields"], *schema.get("fields", [])]
    raw = content.get("fields")
    raw = raw if isinstance(raw, dict) else {}
    values = {f["name"]: str(raw.get(f["name"]) or "").strip() for f in fields}
    missing = [f["label"] for f in fields if f.get("required") and not values[f["name"]]]
    if missing:
        raise RpcError(f"Please fill in: {', '.join(missing)}.")
    props = {k[5:]: v for k, v in values.items() if k.startswith("prop:") and v}
    kind = auth["kind"]
    auth_value: AuthValue | None = None
    try:
        if kind == "ApiKey":
            auth_value = AuthValue.api_key(values["api_key"])
        elif kind == "Basic":
            auth_value = AuthValue.basic(values["username"], values["password"])
    except (TypeError, ValueError) as exc:
        raise RpcError(str(exc)) from None
    if kind == "OAuth2":
        for name, target in (("client_id", "ClientId"), ("client_secret", "ClientSecret")):
            if values.get(name):
                props[target] = values[name]
        # With its own app credentials a client-credentials connector needs no popup: "{}"
        # tells Cyclr to fetch the tokens itself.
        if auth.get("oauth2_type") == "ClientCredentials" and "ClientId" in props:
            auth_value = AuthValue.empty()
    return InstallRequest(
        connector_id=schema["connector_id"],
        name=values.get("name") or str(schema.get("connector_name") or ""),
        auth_kind=kind,
        authentication_id=auth["id"],
        auth_value=auth_value,
        properties=props,
        account_connector_id=ac_id,
    )


def _secret_names(schema: Mapping[str, Any]) -> set[str]:
    fields = [f for a in schema.get("auth") or [] for f in a["fields"]] + schema.get("fields", [])
    return {f["name"] for f in fields if f.get("secret") or f.get("kind") == "password"}


class InstallForm(Part):
    """The install form of ``ConnectorBrowser`` (a part; ``js/parts/install_form.js``).

    Register what an install does with :meth:`on_submit`; the form shows the outcome. With a
    :func:`credentials_schema` it is ``AccountExplorer``'s credentials form instead (the same
    rules: the typed values come once by custom message and are never kept).
    """

    schema = t.Dict(help="The fields to show (see install_schema); no typed values.").tag(sync=True)
    busy = t.Bool(False, help="True while an install runs; the button is disabled.").tag(sync=True)
    status_message = t.Unicode("", help="The outcome shown under the button.").tag(sync=True)
    status_state = t.Unicode("", help="'', 'busy', 'ok' or 'error'.").tag(sync=True)
    placeholder = t.Unicode(
        "Select a connector above to install it.", help="Shown while there is no schema."
    ).tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handler: Callable[[InstallRequest], str] | None = None
        self._router = MessageRouter(lambda msg: self.send(msg), on_error=self._on_internal_error)
        self._router.register("install", self._on_install)
        self.on_msg(self._router)

    def on_submit(self, handler: Callable[[InstallRequest], str]) -> None:
        """Set the submit action: ``handler(request)`` returns the success message.

        It may raise ``CyclrError`` (Cyclr's message is shown) or ``RpcError`` (its text is).
        """
        self._handler = handler

    def show(self, state: str, message: str) -> None:
        """Show ``message`` with ``state`` ('', 'busy', 'ok' or 'error')."""
        self.status_state, self.status_message = state, message

    def _on_install(self, content: dict[str, Any]) -> dict[str, Any]:
        if self.busy:
            raise RpcError("An install is already running.")
        typed = content.get("fields")
        # Typed secrets, to mask them in any error text shown (a server may quote a bad key).
        secrets = [str(v) for k, v in (typed if isinstance(typed, dict) else {}).items()
                   if k in _secret_names(self.schema) and v]  # fmt: skip
        try:
            request = parse_install(self.schema, content)
        except RpcError as exc:
            self.show("error", scrub(str(exc), secrets))
            raise RpcError(self.status_message) from None
        finally:
            content.pop("fields", None)  # drop our reference to the typed values at once
        if self._handler is None:
            self.show("error", "This form has no install action.")
            raise RpcError(self.status_message)
        credentials = self.schema.get("mode") == "credentials"
        self.busy = True
        busy = "Saving the credentials of" if credentials else "Installing"
        self.show("busy", f"{busy} {request.name}…")
        try:
            message = self._handler(request)
        except CyclrError as exc:
            what = "the credentials" if credentials else "the install"
            self.show("error", scrub(f"Cyclr refused {what}: {exc.message}", secrets))
            raise RpcError(self.status_message) from None
        except RpcError as exc:  # the action's own verdict, e.g. "saved but not authenticated"
            self.show("error", scrub(str(exc), secrets))
            raise RpcError(self.status_message) from None
        finally:
            self.busy = False
            del secrets, request
        self.show("ok", message)
        return {"message": message}

    def _on_internal_error(self, _kind: str, exc: BaseException) -> None:
        self.busy = False
        what = (
            "Saving the credentials" if self.schema.get("mode") == "credentials" else "The install"
        )
        self.show("error", f"{what} failed unexpectedly ({type(exc).__name__}).")
