"""What one API call is, without doing it: :class:`Operation`, :class:`Listing`, argument checks.

Shared by :mod:`._endpoints` (which builds them) and both clients (which send them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from ._exceptions import CyclrError, ValidationError

__all__ = [
    "Listing",
    "Operation",
    "as_list",
    "check_account",
    "check_int_id",
    "check_str_id",
    "nothing",
]

T = TypeVar("T")


def identity(data: Any) -> Any:
    return data


def nothing(data: Any) -> None:
    return None


@dataclass(frozen=True)
class Operation(Generic[T]):
    """One API call, described without doing it."""

    method: str
    path: str
    parse: Callable[[Any], T] = field(default=identity, repr=False)  # type: ignore[assignment]
    account: str | None = None  # X-Cyclr-Account; None for partner-level calls
    params: Mapping[str, Any] | None = None
    json: Any = None
    # May this be retried after it possibly reached Cyclr? True for GET/PUT/DELETE.
    idempotent: bool = True
    # For OutcomeUnknownError: how the user can check what happened.
    check: str | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class Listing:
    """A paged GET: the operation for any page, plus the DataFrame kind it turns into."""

    path: str
    kind: str
    account: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)

    def page(self, page: int, page_size: int) -> Operation[list[Any]]:
        """The operation fetching one page."""
        params = {**{k: v for k, v in self.params.items() if v is not None}}
        params.update(page=page, pageSize=page_size)
        return Operation("GET", self.path, as_list, account=self.account, params=params)


def as_list(data: Any) -> list[Any]:
    if data is None:
        return []
    if not isinstance(data, list):
        raise CyclrError(f"expected a JSON array from Cyclr, got {type(data).__name__}")
    return data


# -- argument checks -----------------------------------------------------------------------


def check_account(account_id: object, default: str | None = None) -> str:
    """An account API ID: a non-empty string (GUID or partner-chosen), else ``ValidationError``."""
    value = default if account_id is None else account_id
    if value is None:
        raise ValidationError(
            "account_id is required: pass it, or give the client a default account_id"
        )
    if not isinstance(value, str) or not value.strip() or any(ord(c) < 32 for c in value):
        raise ValidationError(f"account_id must be a non-empty string, got {value!r}")
    return value.strip()


def check_int_id(name: str, value: object) -> int:
    """A positive integer id (account connector, connector, property)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValidationError(f"{name} must be a positive int, got {value!r}")
    return value


def check_str_id(name: str, value: object) -> str:
    """A non-empty string id (template, cycle: GUIDs)."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{name} must be a non-empty string, got {value!r}")
    return value.strip()
