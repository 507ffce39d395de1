"""``LaunchLink``: the reply of LAUNCH, ORBIT and Marketplace, a browser link that is a secret.

Cyclr answers each with ``{AccountId, ExpiresAtUtc, <Kind>Url, Token}``; the URL signs the
browser in with the token (single use, 5 minutes), so both stay out of reprs and tracebacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._models import MASK, has_expired, parse_datetime

__all__ = ["LaunchLink"]


_LINK_URLS = {"launch": "LaunchUrl", "orbit": "OrbitUrl", "marketplace": "MarketplaceUrl"}


@dataclass(frozen=True)
class LaunchLink:
    """A LAUNCH, ORBIT or Marketplace link: open ``url`` in a browser (single use, 5 minutes).

    The URL carries a sign-in token, so it is a secret: ``repr()`` and ``str()`` mask it and the
    token; read ``.url`` to open it.

    Attributes
    ----------
    kind
        ``launch``, ``orbit`` or ``marketplace``.
    account_id
        Cyclr's ``AccountId`` in the reply (the account's internal id or API ID).
    url
        ``LaunchUrl``, ``OrbitUrl`` or ``MarketplaceUrl``: a secret.
    token
        The sign-in token inside it: a secret.
    expires_at
        When both stop working, as an aware UTC datetime.
    raw
        The reply as Cyclr sent it, its URL and token masked.
    """

    kind: str
    account_id: str | None
    url: str = field(repr=False)
    token: str = field(repr=False)
    expires_at: datetime | None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_api(cls, kind: str, data: Mapping[str, Any]) -> LaunchLink:
        """Build from Cyclr's ``{AccountId, ExpiresAtUtc, <Kind>Url, Token}``."""
        url_field = _LINK_URLS[kind]
        url = data.get(url_field)
        if not isinstance(url, str) or not url:
            raise ValueError(f"Cyclr's answer has no {url_field}")
        raw = {k: MASK if k in (url_field, "Token") and v else v for k, v in data.items()}
        return cls(
            kind=kind,
            account_id=_account(data.get("AccountId")),
            url=url,
            token=str(data.get("Token") or ""),
            expires_at=parse_datetime(data.get("ExpiresAtUtc")),
            raw=raw,
        )

    def expired(self, now: datetime | None = None) -> bool:
        """Whether the link has expired at ``now`` (default: the current time)."""
        return has_expired(self.expires_at, now)

    def __repr__(self) -> str:
        expires = self.expires_at.isoformat() if self.expires_at else None
        return (
            f"LaunchLink(kind={self.kind!r}, account_id={self.account_id!r}, url='{MASK}', "
            f"token='{MASK}', expires_at={expires!r})"
        )

    __str__ = __repr__


def _account(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
