"""``CyclrClient`` and ``AsyncCyclrClient`` are twins: the same public methods, the same signatures.

Compared for every public method: the parameter names, kinds, defaults and annotations, and the
return annotation. The async twin's methods are coroutine functions (except ``from_env``, a
constructor), the sync one's are not; ``close``/``aclose`` and ``__enter__``/``__aenter__`` are
the one pair named differently. Annotations are compared as written (the modules use
``from __future__ import annotations``), modulo the async spellings ``AsyncIterator``,
``AsyncGenerator``, ``AsyncIterable`` and ``Awaitable[X]``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

from cyclr_widgets import AsyncCyclrClient, CyclrClient

# sync name -> async name, where they differ
RENAMED = {"close": "aclose", "__enter__": "__aenter__", "__exit__": "__aexit__"}
NOT_COROUTINES = {"from_env", "now"}  # a constructor, and the clock (no I/O)


def _public(cls: type) -> dict[str, Any]:
    names = [
        n
        for n in dir(cls)
        if not n.startswith("_") or n in ("__enter__", "__aenter__", "__exit__", "__aexit__")
    ]
    return {n: getattr(cls, n) for n in names if callable(getattr(cls, n))}


def _normalize(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    text = re.sub(r"\bAsync(Iterator|Generator|Iterable)\b", r"\1", text)
    return re.sub(r"\bAwaitable\[(.*)\]$", r"\1", text)


def _shape(fn: Any) -> list[tuple[Any, ...]]:
    sig = inspect.signature(fn)
    params = [
        (p.name, p.kind, p.default, _normalize(p.annotation)) for p in sig.parameters.values()
    ]
    return [*params, ("->", _normalize(sig.return_annotation))]


def _is_async(fn: Any) -> bool:
    return inspect.iscoroutinefunction(fn) or inspect.isasyncgenfunction(fn)


def twin_problems(sync_cls: type, async_cls: type) -> list[str]:
    """What differs between the public surfaces of ``sync_cls`` and ``async_cls``."""
    sync, async_ = _public(sync_cls), _public(async_cls)
    problems = []
    expected = {RENAMED.get(n, n) for n in sync}
    for name in sorted(expected - set(async_)):
        problems.append(f"{async_cls.__name__} lacks {name}")
    for name in sorted(set(async_) - expected):
        problems.append(f"{sync_cls.__name__} lacks the twin of {name}")
    for name, fn in sorted(sync.items()):
        twin = async_.get(RENAMED.get(name, name))
        if twin is None:
            continue
        if _shape(fn) != _shape(twin):
            problems.append(
                f"{name}: {inspect.signature(fn)} != {inspect.signature(twin)} (async twin)"
            )
        if name not in NOT_COROUTINES:
            if _is_async(fn):
                problems.append(f"{sync_cls.__name__}.{name} is async")
            if not _is_async(twin):
                problems.append(f"{async_cls.__name__}.{name} is not async")
    return problems


def test_the_clients_are_twins() -> None:
    assert twin_problems(CyclrClient, AsyncCyclrClient) == []
    assert len(_public(CyclrClient)) > 30  # the comparison really saw the methods


# -- the check catches drift (fake classes) ---------------------------------------------------


class _Sync:
    def close(self) -> None:
        pass

    def listing(self, account_id: str | None = None, *, limit: int | None = None) -> int:
        return 0

    def items(self) -> Iterator[int]:
        yield 1


class _Async:
    async def aclose(self) -> None:
        pass

    async def listing(self, account_id: str | None = None, *, limit: int | None = None) -> int:
        return 0

    async def items(self) -> AsyncIterator[int]:
        yield 1


class _DriftedSync(_Sync):
    def only_sync(self) -> None:
        pass

    def renamed_param(self, account: str) -> None:
        pass

    def other_default(self, level: str = "error") -> None:
        pass

    def other_kind(self, *, flag: bool = False) -> None:
        pass

    def other_annotation(self, n: int) -> None:
        pass

    def not_awaited(self) -> None:
        pass


class _DriftedAsync(_Async):
    async def only_async(self) -> None:
        pass

    async def renamed_param(self, account_id: str) -> None:
        pass

    async def other_default(self, level: str = "warning") -> None:
        pass

    async def other_kind(self, flag: bool = False) -> None:
        pass

    async def other_annotation(self, n: str) -> None:
        pass

    def not_awaited(self) -> None:  # forgot the async
        pass


def test_twin_check_passes_true_twins() -> None:
    # close/aclose, a coroutine per method, an async generator for an iterator
    assert twin_problems(_Sync, _Async) == []


def test_twin_check_reports_every_drift() -> None:
    problems = twin_problems(_DriftedSync, _DriftedAsync)
    assert problems[:2] == [
        "_DriftedAsync lacks only_sync",
        "_DriftedSync lacks the twin of only_async",
    ]
    assert "_DriftedAsync.not_awaited is not async" in problems
    drifted = {p.split(":")[0] for p in problems[2:] if not p.startswith("_Drifted")}
    assert drifted == {"renamed_param", "other_default", "other_kind", "other_annotation"}
    assert len(problems) == 7
