"""Build the service-domain URL that authenticates an account connector in the browser.

Pure functions, stdlib only. The page is
``{service}/connectorauth/updateaccountconnectoroauth?id=&token=&targetOrigin=[&callbackMessage=]``
(docs §5.1). Every value is percent-encoded: sign-in tokens contain ``=``, ``+`` and ``/``.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import quote, urlsplit

__all__ = ["is_origin", "normalize_service_url", "oauth_url", "origin_of"]

OAUTH_PATH = "/connectorauth/updateaccountconnectoroauth"


class _HasToken(Protocol):
    token: str


def _split(value: str) -> tuple[str, str, str] | None:
    """(scheme, netloc, rest) of an absolute URL with a host, else None."""
    if not isinstance(value, str) or value != value.strip() or not value:
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises ValueError on a bad port
    except ValueError:
        return None
    if not parts.scheme or not parts.netloc or not parts.hostname or "@" in parts.netloc:
        return None
    if not value.lower().startswith(f"{parts.scheme}://"):
        return None  # e.g. "https:/host": urlsplit is lenient, browsers are not
    rest = value[len(parts.scheme) + 3 + len(parts.netloc) :]
    return parts.scheme.lower(), parts.netloc, rest


def is_origin(value: str) -> bool:
    """Whether ``value`` is a serialised origin: ``scheme://host[:port]`` and nothing else.

    Any scheme is accepted (a notebook in VS Code runs in a ``vscode-webview://`` origin);
    ``*`` and ``null`` are not origins.
    """
    split = _split(value)
    return split is not None and split[2] == ""


def origin_of(url: str) -> str:
    """The origin (``scheme://host[:port]``) of an absolute URL.

    Raises
    ------
    ValueError
        If ``url`` is not an absolute URL with a host.
    """
    split = _split(url)
    if split is None:
        raise ValueError(f"not an absolute URL: {url!r}")
    return f"{split[0]}://{split[1].lower()}"


def normalize_service_url(service_url: str) -> str:
    """Check an http(s) service URL and drop its trailing slash."""
    split = _split(service_url) if isinstance(service_url, str) else None
    if split is None or split[0] not in ("http", "https") or "?" in split[2] or "#" in split[2]:
        raise ValueError(
            f"service_url must be an http(s) URL such as 'https://acme-h.eu.cyclr.com', "
            f"got {service_url!r}"
        )
    return service_url.rstrip("/")


def oauth_url(
    service_url: str,
    account_connector_id: int,
    token: str | _HasToken,
    target_origin: str,
    callback_message: str | None = None,
) -> str:
    """Build the URL of Cyclr's OAuth page for one account connector.

    Parameters
    ----------
    service_url
        The partner's service domain, e.g. ``https://acme-h.eu.cyclr.com`` (``client.service_url``).
    account_connector_id
        The account connector's integer ``Id``.
    token
        A one-time sign-in token (``SignInToken`` or its ``.token``); single use, 5 minutes.
    target_origin
        With ``callback_message``: the origin of the window that listens for the message
        (``https://notebook.example``); an http(s) URL is accepted too, browsers use its origin.
        Without it: the http(s) URL Cyclr redirects to when done.
    callback_message
        The text Cyclr's last page posts to the opener; ``None`` for a redirect instead.

    Returns
    -------
    str
        The URL, every query value percent-encoded.

    Raises
    ------
    ValueError
        On a bad service URL, id, token, target origin or callback message.

    Examples
    --------
    >>> oauth_url("https://acme-h.cyclr.com", 54321, "ABCD12340000000000000=", "https://a.example", "done")
    'https://acme-h.cyclr.com/connectorauth/updateaccountconnectoroauth?id=54321&token=ABCD12340000000000000%3D&targetOrigin=https%3A%2F%2Fa.example&callbackMessage=done'
    """  # noqa: E501
    base = normalize_service_url(service_url)
    if isinstance(account_connector_id, bool) or not isinstance(account_connector_id, int):
        raise ValueError(
            f"account_connector_id must be an int (the account connector's Id), "
            f"got {type(account_connector_id).__name__}"
        )
    if account_connector_id <= 0:
        raise ValueError("account_connector_id must be a positive int")
    raw = token if isinstance(token, str) else getattr(token, "token", None)  # a SignInToken
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("token must be a non-empty sign-in token")
    split = _split(target_origin) if isinstance(target_origin, str) else None
    is_web = split is not None and split[0] in ("http", "https")
    if callback_message is None:
        # Cyclr redirects the browser here, so it must be a web URL.
        if not is_web:
            raise ValueError(
                f"target_origin must be an http(s) URL to redirect to when no callback_message "
                f"is given, got {target_origin!r}"
            )
    elif split is None or not (is_web or split[2] == ""):
        raise ValueError(
            f"target_origin must be an origin such as 'https://notebook.example' (or an http(s) "
            f"URL), got {target_origin!r}"
        )
    if callback_message is not None and not isinstance(callback_message, str):
        raise ValueError("callback_message must be a string or None")
    params = [
        ("id", str(account_connector_id)),
        ("token", raw),
        ("targetOrigin", target_origin),
    ]
    if callback_message is not None:
        params.append(("callbackMessage", callback_message))
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in params)
    return f"{base}{OAUTH_PATH}?{query}"
