"""The sync client's mixins are generated from their async sources and must not be stale.

``scripts/unasync.py`` writes each ``_sync_<area>.py`` from ``_async_<area>.py``; an edit to one
side only (or a forgotten rerun) fails here, naming the file.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The generator formats with ruff, a dev tool of the `test` extra (the main job always has it);
# the version-matrix legs install only `test-fast`, and the check is not about versions.
pytestmark = pytest.mark.skipif(
    not (Path(sys.executable).with_name("ruff").exists() or shutil.which("ruff")),
    reason="ruff (the `test` extra) is not installed",
)


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("unasync", ROOT / "scripts" / "unasync.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["unasync"] = module
    spec.loader.exec_module(module)
    return module


def test_every_sync_mixin_is_generated_from_its_async_source() -> None:
    unasync = _script()
    pairs = unasync.pairs()
    assert len(pairs) >= 3  # accounts, connectors, cycles at least
    for src, dst in pairs:
        want = unasync.unasync(src.read_text(encoding="utf-8"), src.name)
        stale = f"{dst.name} is stale: run scripts/unasync.py"
        assert dst.read_text(encoding="utf-8") == want, stale


def test_the_rewrite_rules() -> None:
    unasync = _script()
    source = '''"""Mixin.

A mixin of :class:`~._async.AsyncCyclrClient`; its twin is :mod:`._sync_things`.
"""

from collections.abc import AsyncIterator
from contextlib import aclosing

from ._async_io import AsyncIO


class AsyncThingMethods(AsyncIO):
    async def thing(self) -> int:
        return await self._call(1)

    async def iter_things(self) -> AsyncIterator[int]:
        """Things, one at a time (``async for``)."""
        async with aclosing(self._iterate(2, 3)) as records:
            async for record in records:
                yield record
'''
    out = unasync.unasync(source, "_async_things.py")
    assert out.startswith("# Generated from _async_things.py")
    assert "its twin (source) is :mod:`._async_things`" in out
    assert "~._sync.CyclrClient" in out
    assert "class ThingMethods(SyncIO):" in out
    assert "from ._sync_io import SyncIO" in out
    assert "def thing(self) -> int:\n        return self._call(1)" in out
    # The sync listing returns its iterator (arguments checked at the call, not on next()).
    assert "def iter_things(self) -> Iterator[int]:" in out
    assert "return self._iterate(2, 3)" in out
    assert "Things, one at a time." in out
    for gone in ("async def", "async for", "async with", "await", "aclosing", "AsyncI", "yield"):
        assert gone not in out, gone
