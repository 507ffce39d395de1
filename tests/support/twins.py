"""Both clients behind one blocking interface, so that each client test runs twice.

``twin`` is a fixture parametrized over ``CyclrClient`` and ``AsyncCyclrClient`` against the
strict mock (``fake``), with a fixed clock (:data:`NOW`) and retries that record their delays
(``twin.sleeps``) instead of sleeping. The async client's coroutines are awaited, and its
``iter_*`` async generators drained, in ``anyio.run``, so a test reads the same for both.
Every ``iter_*`` result is a list on both sides.

``tests/client/conftest.py`` makes the fixtures ``twin`` and ``fake`` available to the client
tests (a module that defines its own ``fake`` gives ``twin`` that one).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any

import anyio
import httpx
import pytest

from cyclr_widgets import AsyncCyclrClient, CyclrClient
from tests.support.client import API, CLIENT_ID, CLIENT_SECRET, SERVICE, FakeCyclr, fake_time

__all__ = ["NOW", "Twin", "fake", "twin"]

#: What "now" is for both clients (their ``clock``): never the wall clock.
NOW = datetime(2030, 6, 15, 12, 30, 0, tzinfo=timezone.utc)


class Twin:
    """A client whose methods block and return plain values, whichever client it wraps."""

    def __init__(self, client: CyclrClient | AsyncCyclrClient) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncCyclrClient)
        self.sleeps: list[float] = []  # the retry delays the fixture's client "slept"

    def __repr__(self) -> str:
        return f"Twin({self.client!r})"

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.client, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            result = attr(*args, **kwargs)
            if inspect.isasyncgen(result):
                return _run(lambda: _drain(result))
            if inspect.isawaitable(result):
                return _run(lambda: _await(result))
            if name.startswith("iter_"):
                return list(result)
            return result

        return call

    def close(self) -> None:
        if isinstance(self.client, AsyncCyclrClient):
            _run(self.client.aclose)
        else:
            self.client.close()


def _run(fn: Callable[[], Any]) -> Any:
    return anyio.run(fn)


async def _drain(gen: Any) -> list[Any]:
    return [item async for item in gen]


async def _await(awaitable: Any) -> Any:
    return await awaitable


@pytest.fixture
def fake() -> FakeCyclr:
    return FakeCyclr()


@pytest.fixture(params=[CyclrClient, AsyncCyclrClient], ids=["sync", "async"])
def twin(request: pytest.FixtureRequest, fake: FakeCyclr) -> Iterator[Twin]:
    cls = request.param
    twin = Twin(
        cls(
            CLIENT_ID,
            CLIENT_SECRET,
            api_url=API,
            service_url=SERVICE,
            transport=httpx.MockTransport(fake),
            progress=False,
            max_retries=2,
            clock=lambda: NOW,
        )
    )
    # Retries and the limiter record their delays instead of sleeping, on a fake clock.
    fake_time(twin.client, twin.sleeps)
    yield twin
    twin.close()
    fake.assert_all_called()
