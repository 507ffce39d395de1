"""The install form: a schema built from a connector row, and the part that holds its state.

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

__all__ = ["InstallForm", "InstallRequest", "install_schema", "parse_install"]

_CLIENT_PROPS = ("ClientId", "ClientSecret")
_OAUTH_HELP = "Only for a per-account OAuth app; leave empty to use the partner's app."


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
            out.append(_field(name, label, ftype, required=required, secret=True, help=_OAUTH_HELP))
        return out
    return []


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


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
    auths = [a for a in _list(row.get("Authentication")) if isinstance(a, dict)]
    if not auths:  # older shape: only the top-level AuthType
        auths = [{"Id": None, "AuthType": row.get("AuthType") or "None"}]
    options = []
    for a in auths:
        kind = str(a.get("AuthType") or "None")
        options.append({
            "id": None if a.get("Id") is None else str(a["Id"]),
            "label": str(a.get("AuthName") or kind),
            "kind": kind,
            "oauth2_type": str(a.get("OAuth2Type") or row.get("OAuth2Type") or ""),
            "fields": _auth_fields(kind, client_props),
        })  # fmt: skip
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
    if any(o["kind"] in ("OAuth1", "OAuth2") for o in options):
        note = "OAuth connectors: after installing, sign in with the Connect button below."
    return {
        "connector_id": row.get("Id"),
        "connector_name": str(row.get("Name") or ""),
        "auth": options,
        "fields": fields,
        "note": note,
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

    @property
    def needs_oauth(self) -> bool:
        """Whether the user must still sign in through the OAuth popup after the install."""
        return self.auth_kind in ("OAuth1", "OAuth2") and self.auth_value is None


def parse_install(schema: Mapping[str, Any], content: Mapping[str, Any]) -> InstallRequest:
    """Check a form submission against its schema and build the :class:`InstallRequest`.

    Raises
    ------
    RpcError
        With a message for the user: a stale form, a missing required field, bad credentials.
    """
    if schema.get("connector_id") is None or content.get("connector_id") != schema["connector_id"]:
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
    )


def _secret_names(schema: Mapping[str, Any]) -> set[str]:
    fields = [f for a in schema.get("auth") or [] for f in a["fields"]] + schema.get("fields", [])
    return {f["name"] for f in fields if f.get("secret") or f.get("kind") == "password"}


class InstallForm(Part):
    """The install form of ``ConnectorBrowser`` (a part; ``js/parts/install_form.js``).

    Register what an install does with :meth:`on_submit`; the form shows the outcome.
    """

    schema = t.Dict(help="The fields to show (see install_schema); no typed values.").tag(sync=True)
    busy = t.Bool(False, help="True while an install runs; the button is disabled.").tag(sync=True)
    status_message = t.Unicode("", help="The outcome shown under the button.").tag(sync=True)
    status_state = t.Unicode("", help="'', 'busy', 'ok' or 'error'.").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._handler: Callable[[InstallRequest], str] | None = None
        self._router = MessageRouter(lambda msg: self.send(msg), on_error=self._on_internal_error)
        self._router.register("install", self._on_install)
        self.on_msg(self._router)

    def on_submit(self, handler: Callable[[InstallRequest], str]) -> None:
        """Set the install action: ``handler(request)`` returns the success message."""
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
        self.busy = True
        self.show("busy", f"Installing {request.name}…")
        try:
            message = self._handler(request)
        except CyclrError as exc:
            self.show("error", scrub(f"Cyclr refused the install: {exc.message}", secrets))
            raise RpcError(self.status_message) from None
        finally:
            self.busy = False
            del secrets, request
        self.show("ok", message)
        return {"message": message}

    def _on_internal_error(self, _kind: str, exc: BaseException) -> None:
        self.busy = False
        self.show("error", f"The install failed unexpectedly ({type(exc).__name__}).")
