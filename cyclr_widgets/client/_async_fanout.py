"""The health scan's fan-out for ``AsyncCyclrClient``: many accounts at once in anyio tasks.

Hand-written, like :mod:`._async_io` (``scripts/unasync.py`` leaves it out), and the twin of
:mod:`._sync_fanout`; the methods calling it (:mod:`._async_health`) are the unasync source.
"""

from __future__ import annotations

import math
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

import anyio
from anyio.streams.memory import MemoryObjectSendStream

from ..core import CyclrError
from ._async_io import AsyncIO
from ._health import HealthScan, Tally

__all__ = ["AsyncFanOutMethods"]

Row = dict[str, Any]


class _Source:
    """An account list or the accounts listing (an async generator), read one at a time."""

    def __init__(self, source: Any) -> None:
        self._list = iter(source) if isinstance(source, list) else None
        self._gen = None if isinstance(source, list) else source

    async def next(self) -> Row | None:
        if self._list is not None:
            return next(self._list, None)
        try:
            return await self._gen.__anext__()  # type: ignore[union-attr, no-any-return]
        except StopAsyncIteration:
            return None


class AsyncFanOutMethods(AsyncIO):
    """Runs a :class:`~._health.HealthScan`: accounts and their listings as anyio tasks."""

    async def _health_part(self, scan: HealthScan, tally: Tally, part: str) -> None:
        raise NotImplementedError  # pragma: no cover - the health mixin provides it

    async def _fan_out(self, scan: HealthScan, source: Any, emit: Callable[[Row], Any]) -> None:
        """Scan every account of ``source``, calling ``emit`` with each row as it completes.

        ``emit`` runs in the calling task (never in a worker task), so a callback that raises
        (``KeyboardInterrupt`` included) ends the scan in the caller's hands. A stop cancels
        the accounts in flight; their rows are dropped, the ones emitted are the caller's.
        """
        if not isinstance(source, list):
            async with aclosing(source):
                await self._fan_out_from(scan, _Source(source), emit)
        else:
            await self._fan_out_from(scan, _Source(source), emit)

    async def _fan_out_from(
        self, scan: HealthScan, source: _Source, emit: Callable[[Row], Any]
    ) -> None:
        failures: list[CyclrError] = []
        raised: list[BaseException] = []
        send, receive = anyio.create_memory_object_stream[Row](math.inf)
        async with anyio.create_task_group() as group:
            group.start_soon(self._feed, scan, source, send, failures)
            async with receive:
                async for row in receive:
                    if scan.stop_now():
                        break
                    try:
                        emit(row)
                    except BaseException as exc:  # e.g. KeyboardInterrupt: raised below, as is
                        raised.append(exc)  # (inside the group, anyio would wrap it in a group)
                        break
            group.cancel_scope.cancel()  # a stop: drop the accounts in flight (else a no-op)
        if raised:
            raise raised[0]
        if failures:
            raise failures[0]

    async def _feed(
        self,
        scan: HealthScan,
        source: _Source,
        send: MemoryObjectSendStream[Row],
        failures: list[CyclrError],
    ) -> None:
        # Starts accounts while fewer than `concurrency` are in flight; one limiter caps the
        # requests of all their listings at `concurrency` too (the sync pool's thread count).
        limiter = anyio.CapacityLimiter(scan.concurrency)
        wake = [anyio.Event()]  # set (and replaced) whenever an account completes

        async def account_task(tally: Tally) -> None:
            results: dict[str, BaseException | None] = {}

            async def part_task(part: str) -> None:
                async with limiter:
                    try:
                        await self._health_part(scan, tally, part)
                    except CyclrError as exc:  # the row says so; other errors are bugs
                        results[part] = exc
                        return
                results[part] = None

            async with anyio.create_task_group() as parts:
                for part in scan.parts:
                    parts.start_soon(part_task, part)
            row = None
            for part in scan.parts:
                row = scan.finish(tally, part, results[part])
            assert row is not None
            send.send_nowait(row)
            wake[0].set()
            wake[0] = anyio.Event()

        async with send, anyio.create_task_group() as accounts:
            while not scan.stop_now():
                if scan.in_flight >= scan.concurrency:
                    await wake[0].wait()
                    continue
                account = scan.next_found()
                if account is None:
                    try:
                        account = await source.next()
                    except CyclrError as exc:  # the accounts listing: end after those in flight
                        failures.append(exc)
                        break
                    if account is not None and not scan.is_new(account):
                        continue
                if account is None:
                    if not scan.in_flight:
                        break
                    await wake[0].wait()  # an account in flight may still find sub-accounts
                    continue
                accounts.start_soon(account_task, scan.begin(account))

    async def _fan_out_rows(self, scan: HealthScan, source: Any) -> AsyncGenerator[Row, None]:
        """Each account's row, a round of ``4 x concurrency`` accounts at a time.

        No task runs between the yields (an async generator cannot keep a task group open
        across them safely: whichever task finalizes it after a ``break`` would close it), so
        the accounts run in rounds and each round's rows are yielded once it is over.
        """
        reader = _Source(source)
        size = 4 * scan.concurrency
        try:
            while not scan.stopped:
                chunk: list[Row] = []
                failure: CyclrError | None = None
                try:
                    while len(chunk) < size and (account := await reader.next()) is not None:
                        chunk.append(account)
                except CyclrError as exc:
                    failure = exc
                if not chunk and not scan.has_found():
                    if failure is not None:
                        raise failure
                    return
                rows: list[Row] = []
                await self._fan_out(scan, chunk, rows.append)
                for row in rows:
                    yield row
                if failure is not None:
                    raise failure
        finally:
            if not isinstance(source, list):
                await source.aclose()
