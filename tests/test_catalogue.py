"""Every endpoint of ``tests/support/catalogue.py`` exists in both clients and in the sandbox.

One list drives three checks, so an endpoint cannot be added to one side only:

- each row's client method, called on ``CyclrClient`` and on ``AsyncCyclrClient`` against a
  strict mock, sends exactly one request: the row's verb on a path matching the row's template
  (listings: through the DataFrame method and the ``iter_`` twin);
- the same call through both clients against the sandbox, with the ids its seed guarantees,
  gets a 2xx answer (no "route not found", no refusal);
- every row of the surface document's catalogue (#2 to #102) is in the list exactly once.
"""

from __future__ import annotations

import inspect
from typing import Any

import httpx
import pandas as pd
import pytest

from cyclr_widgets import AsyncCyclrClient, CyclrClient, Sandbox
from tests.support.catalogue import CATALOGUE, DUMMY, Endpoint, resolve
from tests.support.client import API, CLIENT_ID, CLIENT_SECRET, SERVICE, FakeCyclr
from tests.support.sandbox import *  # noqa: F403  (the sb fixture)

IDS = [f"{e.n}-{e.verb}-{e.call}" for e in CATALOGUE]


def _reply(row: Endpoint) -> httpx.Response:
    if row.listing:
        return httpx.Response(200, json=[], headers={"Total-Pages": "0", "Total-Records": "0"})
    return httpx.Response(200, json={} if row.reply is None else row.reply)


def _calls(row: Endpoint) -> list[str]:
    return [row.call, f"iter_{row.call}"] if row.listing else [row.call]


def _check_requests(row: Endpoint, fake: FakeCyclr, name: str) -> None:
    sent = fake.calls()
    assert len(sent) == 1, f"{name}: sent {[f'{r.method} {r.url}' for r in sent]}"
    request = sent[0]
    assert request.method == row.verb, name
    assert row.pattern().match(request.url.raw_path.decode().split("?")[0]), (
        f"{name}: {request.method} {request.url.path} does not match {row.path}"
    )
    header = request.headers.get("X-Cyclr-Account")
    partner = row.path.startswith(("/v1.0/accounts", "/v1.0/users"))
    if partner:  # partner level: the account goes in the path (or the body), never the header
        assert header is None or row.n == "14", f"{name}: partner call sent the account header"
    elif row.n not in ("56", "57", "59", "60", "22", "23", "24", "25", "26", "27", "28"):
        assert header == DUMMY["account_id"], f"{name}: no X-Cyclr-Account header"


def _mock_client(fake: FakeCyclr, cls: type) -> Any:
    client = cls(
        CLIENT_ID,
        CLIENT_SECRET,
        api_url=API,
        service_url=SERVICE,
        transport=httpx.MockTransport(fake),
        progress=False,
        max_retries=0,
    )
    return client


@pytest.mark.parametrize("row", CATALOGUE, ids=IDS)
def test_the_sync_client_sends_each_endpoint(row: Endpoint) -> None:
    for name in _calls(row):
        fake = FakeCyclr().add_any(_reply(row))  # one request: a second one fails the test
        with _mock_client(fake, CyclrClient) as client:
            result = getattr(client, name)(*resolve(row.args, DUMMY), **resolve(row.kwargs, DUMMY))
            if name.startswith("iter_"):
                assert list(result) == []
            elif row.listing:
                assert isinstance(result, pd.DataFrame)
        _check_requests(row, fake, f"CyclrClient.{name}")


@pytest.mark.anyio
@pytest.mark.parametrize("row", CATALOGUE, ids=IDS)
async def test_the_async_client_sends_each_endpoint(row: Endpoint) -> None:
    for name in _calls(row):
        fake = FakeCyclr().add_any(_reply(row))  # one request: a second one fails the test
        async with _mock_client(fake, AsyncCyclrClient) as client:
            method = getattr(client, name)
            result = method(*resolve(row.args, DUMMY), **resolve(row.kwargs, DUMMY))
            if name.startswith("iter_"):
                assert [r async for r in result] == []
            else:
                assert inspect.isawaitable(result)
                result = await result
                if row.listing:
                    assert isinstance(result, pd.DataFrame)
        _check_requests(row, fake, f"AsyncCyclrClient.{name}")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_catalogue_covers_the_surface_document_once() -> None:
    numbers = [e.n for e in CATALOGUE]
    expected = {str(n) for n in range(2, 103)}
    assert set(numbers) == expected
    assert len(numbers) == len(expected)
    # A route template appears once per verb (an endpoint is one row).
    keys = [(e.verb, e.path) for e in CATALOGUE]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("row", CATALOGUE, ids=IDS)
def test_the_sandbox_serves_each_endpoint(row: Endpoint, sb: Sandbox) -> None:
    ids = sb.ids
    with CyclrClient.from_env(sb.environ, progress=False) as client:
        for name in _calls(row):
            result = getattr(client, name)(*resolve(row.args, ids), **resolve(row.kwargs, ids))
            if name.startswith("iter_"):
                list(result)


@pytest.mark.anyio
@pytest.mark.parametrize("row", CATALOGUE, ids=IDS)
async def test_the_async_client_reaches_each_endpoint_of_the_sandbox(
    row: Endpoint, sb: Sandbox
) -> None:
    ids = sb.ids
    async with AsyncCyclrClient.from_env(sb.environ, progress=False) as client:
        for name in _calls(row):
            result = getattr(client, name)(*resolve(row.args, ids), **resolve(row.kwargs, ids))
            if name.startswith("iter_"):
                [r async for r in result]
            else:
                await result
