"""What one API call is, without doing it: :class:`Operation`, :class:`Listing`, argument checks.

Shared by :mod:`._endpoints` (which builds them) and both clients (which send them).

Secrets stay sealed here: a request body holds ``AuthValue`` leaves (an install's AuthValue, a
secret property's value), so an operation's ``repr`` (and any traceback that prints it) shows
them masked. ``BaseClient._build_request`` reveals them inside the call that hands the body to
httpx, and nowhere else.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from ..core import CyclrError, ValidationError, mask_secrets, sealed_secrets

__all__ = [
    "MAX_ACCOUNT_ID",
    "Listing",
    "Operation",
    "as_list",
    "check_account",
    "check_guid",
    "check_int_id",
    "check_str_id",
    "masked",
    "nothing",
    "segment",
]

T = TypeVar("T")

# Cyclr documents no limit for a partner-chosen account API ID; this one only stops garbage.
MAX_ACCOUNT_ID = 255
_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# Characters that would change the meaning of a URL path (or of an encoded one) around an id.
_PATH_SPECIALS = frozenset("/\\?#%")


def identity(data: Any) -> Any:
    """The answer as Cyclr sent it, secrets included: only for parsers that seal them."""
    return data


def masked(data: Any) -> Any:
    """The answer as Cyclr sent it, every secret-looking field masked (the default parse)."""
    return mask_secrets(data)


def nothing(data: Any) -> None:
    return None


def as_list(data: Any) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise CyclrError(f"expected a JSON array from Cyclr, got {type(data).__name__}")
    return mask_secrets(data)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Operation(Generic[T]):
    """One API call, described without doing it.

    ``json`` is the body; its ``AuthValue`` leaves are the secrets, masked in ``repr``.
    """

    method: str
    path: str
    # By default what Cyclr sent, secrets masked: a getter's dict is shown in notebooks.
    parse: Callable[[Any], T] = field(default=masked, repr=False)  # type: ignore[assignment]
    account: str | None = None  # X-Cyclr-Account; None for partner-level calls
    params: Mapping[str, Any] | None = None
    json: Any = None
    # May this be retried after it possibly reached Cyclr? True for GET/PUT/DELETE.
    idempotent: bool = True
    # For OutcomeUnknownError: how the user can check what happened.
    check: str | None = None

    @property
    def secrets(self) -> tuple[str, ...]:
        """The body's secret strings, for scrubbing them from error texts."""
        return sealed_secrets(self.json)


@dataclass(frozen=True)
class Listing:
    """A paged GET: the operation for any page, plus the DataFrame kind it turns into.

    ``parse`` turns one page's JSON into its list of items (e.g. masking secrets on the way).
    """

    path: str
    kind: str
    account: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    parse: Callable[[Any], list[Any]] = field(default=as_list, repr=False)

    def page(self, page: int, page_size: int) -> Operation[list[Any]]:
        """The operation fetching one page."""
        params = {**{k: v for k, v in self.params.items() if v is not None}}
        params.update(page=page, pageSize=page_size)
        return Operation("GET", self.path, self.parse, account=self.account, params=params)


# -- argument checks -----------------------------------------------------------------------


def _shown(value: object) -> str:
    """``repr(value)``, cut short: a message must stay readable whatever it was given."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _account_problem(text: str) -> str | None:
    if not text:
        return "must be a non-empty string"
    if text in (".", ".."):
        return "cannot be '.' or '..' (a URL dot segment)"
    if len(text) > MAX_ACCOUNT_ID:
        return f"must be at most {MAX_ACCOUNT_ID} characters"
    if not _PATH_SPECIALS.isdisjoint(text):
        return "cannot contain '/', '\\', '?', '#' or '%'"
    if not all(" " <= c <= "~" for c in text):
        # Control characters could split a header; httpx cannot send non-ASCII in one.
        return "must be printable ASCII (it is sent in the X-Cyclr-Account header)"
    return None


def check_account(account_id: object, default: str | None = None, name: str = "account_id") -> str:
    """An account API ID, checked so that it is safe as one URL path segment and as a header.

    Partners choose their own account IDs (a GUID, ``JO-Test-1234567890``, ``snjallgogn.is``),
    so only what would break the URL or the header is refused: empty, ``.`` and ``..``, slash,
    backslash, ``?``, ``#``, ``%``, control or non-ASCII characters, more than
    ``MAX_ACCOUNT_ID`` characters. Surrounding whitespace is dropped.

    Raises
    ------
    ValidationError
        Naming ``name``, before any request is sent.
    """
    value = default if account_id is None else account_id
    if value is None:
        raise ValidationError(
            f"{name} is required: pass it, or give the client a default account_id"
        )
    if not isinstance(value, str):
        raise ValidationError(f"{name} must be a string, got {type(value).__name__}")
    problem = _account_problem(value.strip())
    if problem is not None:
        raise ValidationError(f"{name} {problem}, got {_shown(value)}")
    return value.strip()


def check_guid(name: str, value: object) -> str:
    """A GUID id (cycle, template): ``xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`` or a ``uuid.UUID``.

    Cyclr's cycle and template ids are GUIDs, and a GUID is always a safe path segment. Anything
    else (``"transactions"``, ``".."``) would reach another route, so it is refused.
    """
    if isinstance(value, uuid.UUID):
        return str(value)
    if not isinstance(value, str) or not _GUID.fullmatch(value.strip()):
        raise ValidationError(
            f"{name} must be a GUID such as '0f8fad5b-d9cb-469f-a165-70867728950e', "
            f"got {_shown(value)}"
        )
    return value.strip()


def check_int_id(name: str, value: object) -> int:
    """A positive integer id (account connector, connector, property)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"{name} must be a positive int, got {_shown(value)}")
    return value


def segment(value: str | int) -> str:
    """``value`` as one URL path segment: ``/`` and every other reserved character encoded."""
    return quote(str(value), safe="")


def check_str_id(name: str, value: object) -> str:
    """A non-empty string id that goes into a body, never into a path (``AuthenticationId``)."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{name} must be a non-empty string, got {_shown(value)}")
    return value.strip()
