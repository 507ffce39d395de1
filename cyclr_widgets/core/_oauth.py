"""Build the service-domain URLs a browser opens: OAuth page, token sign-in, inbound webhooks.

Pure functions (stdlib, plus ``idna``, which httpx depends on). The page is
``{service}/connectorauth/updateaccountconnectoroauth?id=&token=&targetOrigin=[&callbackMessage=]``
as Cyclr documents it; :func:`signin_url` and :func:`webhook_url` build the other two documented
service-domain URLs (surface doc §4.6, §11.4). Every value is percent-encoded: sign-in tokens
contain ``=``, ``+`` and ``/``. Each URL with a token in it is a secret (it signs a browser in).

:func:`origin_of` serialises an origin exactly as a browser does (the WHATWG URL standard), so
that it can be compared with ``MessageEvent.origin``.
"""

from __future__ import annotations

import ipaddress
from typing import Protocol
from urllib.parse import quote, unquote_to_bytes, urlsplit

import idna

__all__ = [
    "is_origin",
    "normalize_service_url",
    "oauth_url",
    "origin_of",
    "signin_url",
    "webhook_url",
]

OAUTH_PATH = "/connectorauth/updateaccountconnectoroauth"
SIGNIN_PATH = "/account/signinwithtoken"
WEBHOOK_PATH = "/api/webhook/"


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
    """The origin (``scheme://host[:port]``) of an absolute URL, serialised as browsers do.

    For http, https, ws and wss (WHATWG "special" schemes) this is what ``new URL(url).origin``
    gives, so it matches ``event.origin`` of a ``postMessage``: scheme and host lowercase, the
    default port (80, 443) dropped and leading zeros of a port removed, an IDN host in punycode
    (UTS #46, non-transitional, as browsers map it), IPv4 hosts in dotted decimal and IPv6 hosts
    compressed in brackets. Other schemes (``vscode-webview://``) keep their host as written,
    lowercased.

    Raises
    ------
    ValueError
        If ``url`` is not an absolute URL with a host, or a browser would refuse its host or
        port.

    Examples
    --------
    >>> origin_of("https://Bücher.example:443/x?y")
    'https://xn--bcher-kva.example'
    """
    split = _split(url)
    if split is None:
        raise ValueError(f"not an absolute URL: {url!r}")
    scheme, netloc, _ = split
    host, port = _host_and_port(netloc)
    if scheme in _DEFAULT_PORTS:
        host = _special_host(host)
        if port == _DEFAULT_PORTS[scheme]:
            port = None
    else:
        host = host.lower()
    return f"{scheme}://{host}" + ("" if port is None else f":{port}")


# -- the WHATWG host and port serialisation behind origin_of ---------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
# Forbidden domain code points (WHATWG URL §3.5): they end a host or mean something else.
_FORBIDDEN = frozenset(" #%/:<>?@[\\]^|\x7f") | frozenset(map(chr, range(0x21)))


def _host_and_port(netloc: str) -> tuple[str, int | None]:
    """Split ``host[:port]``; the port as a number (``"0443"`` is 443), ``None`` when empty."""
    if netloc.startswith("["):
        end = netloc.find("]")
        if end < 0:
            raise ValueError(f"unclosed IPv6 address in {netloc!r}")
        host, rest = netloc[: end + 1], netloc[end + 1 :]
    else:
        host, colon, port = netloc.partition(":")
        rest = colon + port
    if rest and not rest.startswith(":"):
        raise ValueError(f"bad host in {netloc!r}")
    digits = rest[1:]
    if not digits:
        return host, None  # "https://host:" has no port, like "https://host"
    if not (digits.isascii() and digits.isdigit()) or int(digits) > 65535:
        raise ValueError(f"bad port in {netloc!r}")
    return host, int(digits)


def _special_host(host: str) -> str:
    """An http(s)/ws(s) host as a browser serialises it."""
    if host.startswith("["):
        return f"[{_ipv6(host[1:-1])}]"
    try:
        text = unquote_to_bytes(host).decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"the host of {host!r} is not UTF-8 once percent-decoded") from None
    domain = _domain_to_ascii(text)
    if not domain or not _FORBIDDEN.isdisjoint(domain):
        raise ValueError(f"a browser refuses the host {host!r}")
    return _ipv4(domain) if _ends_in_number(domain) else domain


def _domain_to_ascii(domain: str) -> str:
    """UTS #46 ToASCII as the URL standard calls it (non-transitional, no STD3 rules)."""
    try:
        mapped = idna.uts46_remap(domain, std3_rules=False, transitional=False)
        labels = [_label_to_ascii(label) for label in mapped.split(".")]
    except idna.IDNAError as exc:  # also a UnicodeError: a ValueError
        raise ValueError(f"a browser refuses the host {domain!r} ({exc})") from None
    return ".".join(labels)


def _label_to_ascii(label: str) -> str:
    if label.isascii():
        return label
    # The checks UTS #46 makes with CheckBidi and CheckJoiners on (CheckHyphens is off).
    idna.check_initial_combiner(label)
    idna.check_bidi(label)
    for pos, char in enumerate(label):
        if char in "\u200c\u200d" and not idna.valid_contextj(label, pos):
            raise idna.IDNAError(f"a joiner out of context at position {pos}")
    return "xn--" + label.encode("punycode").decode("ascii")


def _ipv4_number(part: str) -> int | None:
    """One part of a WHATWG IPv4 address (decimal, ``0x`` hex or leading-``0`` octal)."""
    radix = 10
    if part[:2] in ("0x", "0X"):
        part, radix = part[2:], 16
    elif len(part) > 1 and part.startswith("0"):
        part, radix = part[1:], 8
    if not part:
        return 0
    digits = "0123456789abcdef"[:radix]
    if not all(c in digits for c in part.lower()):
        return None
    return int(part, radix)


def _ends_in_number(domain: str) -> bool:
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    return bool(last) and (last.isdigit() or _ipv4_number(last) is not None)


def _ipv4(domain: str) -> str:
    """The dotted-decimal form of a WHATWG IPv4 host (``0x7f.1`` is ``127.0.0.1``)."""
    parts = domain.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    numbers = [_ipv4_number(part) if part else None for part in parts]
    if len(numbers) > 4 or any(n is None for n in numbers):
        raise ValueError(f"a browser refuses the IPv4 address {domain!r}")
    values = [n for n in numbers if n is not None]
    if any(n > 255 for n in values[:-1]) or values[-1] >= 256 ** (5 - len(values)):
        raise ValueError(f"a browser refuses the IPv4 address {domain!r}")
    address = values[-1] + sum(n << (8 * (3 - i)) for i, n in enumerate(values[:-1]))
    return str(ipaddress.IPv4Address(address))


def _ipv6(text: str) -> str:
    """An IPv6 address compressed as browsers write it (first longest run of 2+ zero pieces)."""
    if "%" in text:
        raise ValueError(f"a browser refuses the zone id in [{text}]")
    try:
        value = int(ipaddress.IPv6Address(text))
    except ValueError:
        raise ValueError(f"not an IPv6 address: [{text}]") from None
    pieces = [(value >> (16 * (7 - i))) & 0xFFFF for i in range(8)]
    start, length = -1, 1  # a lone zero piece is not compressed
    i = 0
    while i < 8:
        end = i
        while end < 8 and pieces[end] == 0:
            end += 1
        if end - i > length:
            start, length = i, end - i
        i = max(end, i + 1)
    hexes = [f"{piece:x}" for piece in pieces]
    if start < 0:
        return ":".join(hexes)
    return ":".join(hexes[:start]) + "::" + ":".join(hexes[start + length :])


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
    raw = _token_text(token)
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


def _token_text(token: str | _HasToken) -> str:
    raw = token if isinstance(token, str) else getattr(token, "token", None)  # a SignInToken
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("token must be a non-empty sign-in token")
    return raw


def signin_url(service_url: str, token: str | _HasToken, return_url: str | None = None) -> str:
    """The URL that signs a browser into the account with a sign-in token (iframe embedding).

    ``{service}/account/signinwithtoken?token=...[&returnUrl=...]``. The result carries the
    token: it is a secret (single use, 5 minutes), so do not log or share it.

    Parameters
    ----------
    service_url
        The partner's service domain (``client.service_url``).
    token
        A ``SignInToken`` from ``client.sign_in_token(...)`` or its ``.token``.
    return_url
        Where Cyclr goes once signed in: a path on the service domain such as ``/launch`` or
        ``/orbit`` (a relative path starting with ``/``, never another host).

    Raises
    ------
    ValueError
        On a bad service URL, an empty token, or a ``return_url`` that is not a local path.

    Examples
    --------
    >>> signin_url("https://acme-h.cyclr.com", "AB+/12=", "/launch")
    'https://acme-h.cyclr.com/account/signinwithtoken?token=AB%2B%2F12%3D&returnUrl=%2Flaunch'
    """
    base = normalize_service_url(service_url)
    query = f"token={quote(_token_text(token), safe='')}"
    if return_url is not None:
        # A path on the service domain only: "//host" or "https://..." would be an open redirect.
        if (
            not isinstance(return_url, str)
            or not return_url.startswith("/")
            or return_url.startswith("//")
            or "\\" in return_url
            or not all(" " < c <= "~" for c in return_url)
        ):
            raise ValueError(
                f"return_url must be a path on the service domain such as '/launch', "
                f"got {return_url!r}"
            )
        query += f"&returnUrl={quote(return_url, safe='')}"
    return f"{base}{SIGNIN_PATH}?{query}"


def webhook_url(service_url: str, identifier: str) -> str:
    """The URL a third party posts to for an inbound webhook step: ``{service}/api/webhook/{id}``.

    The identifier is the step's webhook id (the last segment of the URL LAUNCH and Marketplace
    return). Anyone with the URL can start the cycle, so treat it as a secret.

    Raises
    ------
    ValueError
        On a bad service URL or an identifier that is empty or not one URL segment.

    Examples
    --------
    >>> webhook_url("https://acme-h.cyclr.com/", "abcdefg")
    'https://acme-h.cyclr.com/api/webhook/abcdefg'
    """
    base = normalize_service_url(service_url)
    if (
        not isinstance(identifier, str)
        or not identifier.strip()
        or identifier in (".", "..")
        or not all(" " < c <= "~" for c in identifier)
        or any(c in identifier for c in "/\\?#")
    ):
        raise ValueError(
            f"identifier must be a webhook id (one URL segment such as 'abcdefg'), "
            f"got {identifier!r}"
        )
    return f"{base}{WEBHOOK_PATH}{quote(identifier, safe='')}"
