"""Sync and async mirrored: one test body drives ``CyclrClient`` and ``AsyncCyclrClient`` alike.

The ``api`` fixture is parametrized over both clients (so each test using it runs twice), each
on the strict :class:`~tests.support.client.FakeCyclr` (the ``fake`` fixture), with no sleeping
between retries and a fixed clock (:data:`NOW`). ``api("method", *args)`` calls the method and,
for the async client, awaits it in a fresh event loop (``anyio.run``); an ``iter_*`` listing
comes back as a list of its records either way.

``tests/client/conftest.py`` makes the fixtures available to the client tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import anyio
import httpx
import pytest

from cyclr_widgets import AsyncCyclrClient, CyclrClient
from tests.support.client import API, CLIENT_ID, CLIENT_SECRET, SERVICE, FakeCyclr

__all__ = ["NOW", "Mirror", "api", "fake"]

#: What "now" is for both clients (their ``clock``): never the wall clock.
NOW = datetime(2030, 6, 15, 12, 30, 0, tzinfo=timezone.utc)


class Mirror:
    """One client, called the same way whether it is sync or async."""

    def __init__(self, client: CyclrClient | AsyncCyclrClient) -> None:
        self.client = client
        self.is_async = isinstance(client, AsyncCyclrClient)
        self.sleeps: list[float] = []

    def __call__(self, method_name: str, /, *args: Any, **kwargs: Any) -> Any:
        name = method_name
        method = getattr(self.client, name)
        if not self.is_async:
            result = method(*args, **kwargs)
            return list(result) if name.startswith("iter_") else result

        async def run() -> Any:
            result = method(*args, **kwargs)
            if name.startswith("iter_"):
                return [record async for record in result]
            return await result

        return anyio.run(run)

    def close(self) -> None:
        if isinstance(self.client, AsyncCyclrClient):
            anyio.run(self.client.aclose)
        else:
            self.client.close()


@pytest.fixture
def fake() -> FakeCyclr:
    """The strict mock both clients of a test talk to."""
    return FakeCyclr()


@pytest.fixture(params=[CyclrClient, AsyncCyclrClient], ids=["sync", "async"])
def api(request: pytest.FixtureRequest, fake: FakeCyclr) -> Iterator[Mirror]:
    """Each client in turn on ``fake``, retries not sleeping, clock at :data:`NOW`."""
    client = request.param(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        service_url=SERVICE,
        transport=httpx.MockTransport(fake),
        progress=False,
        max_retries=2,
        clock=lambda: NOW,
    )
    mirror = Mirror(client)

    if mirror.is_async:

        async def sleep(seconds: float) -> None:
            mirror.sleeps.append(seconds)

        client._sleep = sleep  # type: ignore[method-assign]
    else:

        def sync_sleep(seconds: float) -> None:
            mirror.sleeps.append(seconds)

        client._sleep = sync_sleep  # type: ignore[method-assign]
    yield mirror
    mirror.close()
