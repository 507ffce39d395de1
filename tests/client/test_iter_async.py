"""AsyncCyclrClient's record listings (``iter_*``): a mirror of test_iter_sync.py.

What the async iterators promise (AsyncCyclrClient, Notes): the same records as the sync ones, in
page order; page 1 first, then batches of ``concurrency`` pages fetched at once, each yielded once
it has arrived; nothing is fetched while the caller holds a record, so a ``break`` stops at once
and leaves no task behind.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import anyio
import httpx
import pandas as pd
import pytest

from cyclr_widgets import AsyncCyclrClient, NotFoundError, ValidationError
from cyclr_widgets.client._paging import Progress
from cyclr_widgets.frames import to_frame
from cyclr_widgets.sandbox import Sandbox
from tests.support.client import (
    ACCOUNT,
    API,
    CLIENT_ID,
    CLIENT_SECRET,
    HANG,
    FakeCyclr,
    connector_item,
    error_response,
    json_response,
    page_handler,
)
from tests.support.listings import LISTINGS, SECRETS, masked
from tests.support.sandbox import *  # noqa: F403

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def fake() -> FakeCyclr:
    return FakeCyclr()


@pytest.fixture
async def client(fake: FakeCyclr):
    c = AsyncCyclrClient(
        CLIENT_ID, CLIENT_SECRET, api_url=API, transport=httpx.MockTransport(fake), progress=False
    )
    yield c
    await c.aclose()
    fake.assert_all_called()


async def take(agen: Any, n: int) -> list[Any]:
    return [await agen.__anext__() for _ in range(n)]


# -- every listing -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "frame", "args", "kwargs", "path", "items"), LISTINGS)
async def test_records_as_cyclr_sent_them_and_the_frame_built_from_them(
    client: AsyncCyclrClient, fake: FakeCyclr, name, frame, args, kwargs, path, items
) -> None:
    client.page_size = 2
    fake.add("GET", path, *[page_handler(items)] * (2 * -(-len(items) // 2)))
    records = [r async for r in getattr(client, name)(*args, **kwargs)]
    assert records == [masked(i) for i in items]
    assert not any(s in repr(records) for s in SECRETS)
    df = await getattr(client, frame)(*args, **kwargs)
    pd.testing.assert_frame_equal(df, to_frame(frame, records))  # the kind is the frame's name
    first = fake.calls()[0].url.params
    for key, value in kwargs.items():
        if key != "cycle_id":
            assert first[key] == value
    assert first["pageSize"] == "2"


async def test_bad_input_fails_at_the_first_step_before_any_request(
    client: AsyncCyclrClient, fake: FakeCyclr
) -> None:
    # An async generator starts at its first step: the checks run there, before any request.
    with pytest.raises(ValidationError):
        await client.iter_cycles("a/b").__anext__()
    with pytest.raises(ValueError):
        await client.iter_accounts(limit=-1).__anext__()
    with pytest.raises(ValidationError):
        await client.iter_account_connector_properties(ACCOUNT, 0).__anext__()
    assert fake.requests == []


async def test_limit_stops_the_paging(client: AsyncCyclrClient, fake: FakeCyclr) -> None:
    client.page_size = 2
    items = [connector_item(i) for i in range(1, 11)]
    fake.add("GET", "/v1.0/connectors", *[page_handler(items)] * 2)
    assert [r["Id"] async for r in client.iter_connectors(ACCOUNT, limit=3)] == [1, 2, 3]
    assert len(fake.calls()) == 2


async def test_without_total_pages_one_page_after_the_other(
    client: AsyncCyclrClient, fake: FakeCyclr
) -> None:
    client.page_size = 2
    items = [connector_item(i) for i in range(1, 6)]
    fake.add("GET", "/v1.0/connectors", *[page_handler(items, total_pages=False)] * 3)
    it = client.iter_connectors(ACCOUNT)
    assert [r["Id"] for r in await take(it, 2)] == [1, 2]
    assert len(fake.calls()) == 1  # page 2 is asked for only when page 1 is used up
    assert [r["Id"] async for r in it] == [3, 4, 5]


async def test_an_error_comes_after_the_records_of_the_batches_before_it(
    client: AsyncCyclrClient, fake: FakeCyclr
) -> None:
    client.page_size, client.concurrency = 1, 2
    items = [connector_item(i) for i in range(1, 6)]

    def by_page(request: httpx.Request) -> httpx.Response:
        if request.url.params["page"] == "5":
            return error_response(404, "gone")
        return page_handler(items)(request)

    fake.add("GET", "/v1.0/connectors", *[by_page] * 5)
    seen = []
    with pytest.raises(NotFoundError):
        async for record in client.iter_connectors(ACCOUNT):
            seen.append(record["Id"])
    assert seen == [1, 2, 3]  # page 1, then the batch of pages 2-3; pages 4-5 failed together


# -- page order, batches and stopping early (a transport that counts) --------------------------


class Counting:
    """Cyclr's paging over ``n`` connectors; counts the pages asked for; page 2 may wait."""

    def __init__(self, n: int, slow_page_2: bool = False) -> None:
        self.serve = page_handler([connector_item(i) for i in range(1, n + 1)])
        self.slow_page_2 = slow_page_2
        self.others = anyio.Event()
        self.pages: list[int] = []  # in the order requested
        self.done: list[int] = []  # in the order answered

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return json_response({"access_token": "t", "expires_in": 3600})
        page = int(request.url.params["page"])
        self.pages.append(page)
        if page == 2 and self.slow_page_2:
            with anyio.fail_after(HANG):
                await self.others.wait()  # answered after the rest of its batch
        await anyio.sleep(0)
        self.done.append(page)
        if self.slow_page_2 and {3, 4} <= set(self.done):
            self.others.set()
        return self.serve(request)


def counting_client(transport: Counting, concurrency: int = 2) -> AsyncCyclrClient:
    return AsyncCyclrClient(
        "id",
        "secret",
        api_url=API,
        transport=httpx.MockTransport(transport),
        page_size=1,
        concurrency=concurrency,
        progress=False,
    )


async def test_pages_are_yielded_in_page_order_whatever_the_arrival_order() -> None:
    pages = Counting(7, slow_page_2=True)
    async with counting_client(pages, concurrency=3) as c:
        assert [r["Id"] async for r in c.iter_connectors(ACCOUNT)] == list(range(1, 8))
    assert pages.done[:4] == [1, 3, 4, 2]  # the batch of pages 2-4 arrived out of order


async def test_a_batch_is_fetched_only_when_the_records_before_it_are_used_up() -> None:
    pages = Counting(10)
    async with counting_client(pages, concurrency=3) as c:
        it = c.iter_connectors(ACCOUNT)
        assert [r["Id"] for r in await take(it, 1)] == [1]
        assert pages.pages == [1]
        assert [r["Id"] for r in await take(it, 1)] == [2]
        assert sorted(pages.pages) == [1, 2, 3, 4]  # one batch of `concurrency` pages
        assert [r["Id"] for r in await take(it, 2)] == [3, 4]
        assert len(pages.pages) == 4
        await it.aclose()
        assert len(pages.pages) == 4


async def test_breaking_out_stops_at_once_and_closes_cleanly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    closed: list[str] = []
    close = Progress.close
    monkeypatch.setattr(Progress, "close", lambda bar: (closed.append(bar._desc), close(bar)))
    loop = asyncio.get_running_loop()
    problems: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: problems.append(context))
    pages = Counting(50)
    try:
        async with counting_client(pages) as c:
            async for record in c.iter_connectors(ACCOUNT):
                assert record["Id"] == 1
                break  # the generator is dropped here; asyncio closes it in a task of its own
            gc.collect()
            for _ in range(10):
                await anyio.sleep(0)  # let that task run
            assert pages.pages == [1]  # nothing after the page being read
            assert closed == ["connectors"]  # its `finally` ran, in asyncio's finalizer task
            agen = c.iter_connectors(ACCOUNT)
            async for record in agen:
                if record["Id"] == 3:
                    break
            assert sorted(pages.pages) == [1, 1, 2, 3]  # page 1, then the batch of pages 2-3
            await agen.aclose()
            assert agen.ag_frame is None and closed == ["connectors"] * 2
    finally:
        loop.set_exception_handler(previous)
    assert problems == []


# -- against the sandbox ---------------------------------------------------------------------


@pytest.fixture
async def sandbox_client(sb: Sandbox):
    async with AsyncCyclrClient.from_env(
        sb.environ, page_size=7, concurrency=3, progress=False
    ) as c:
        yield c


async def test_sandbox_every_listing_matches_its_frame(
    sb: Sandbox, sandbox_client: AsyncCyclrClient
) -> None:
    c, account = sandbox_client, sb.account_id
    ac_id = int((await c.iter_account_connectors(account).__anext__())["Id"])
    for name, frame, args in [
        ("iter_accounts", "accounts", ()),
        ("iter_connectors", "connectors", (account,)),
        ("iter_account_connectors", "account_connectors", (account,)),
        ("iter_account_connector_properties", "account_connector_properties", (account, ac_id)),
        ("iter_templates", "templates", ()),
        ("iter_cycles", "cycles", (account,)),
        ("iter_transactions", "transactions", (account,)),
        ("iter_incidents", "incidents", (account, "error")),
    ]:
        records = [r async for r in getattr(c, name)(*args)]
        assert all(isinstance(r, dict) for r in records), name
        pd.testing.assert_frame_equal(await getattr(c, frame)(*args), to_frame(frame, records))
    library = [r async for r in c.iter_connectors(account)]
    assert len(library) > 7 * 3  # several pages, several batches
    assert len({r["Id"] for r in library}) == len(library)
    assert all("Icon" in r for r in library)  # as Cyclr sent them: the icons too
    installed = [r async for r in c.iter_account_connectors(account)]
    assert all(r["AuthValue"] in (None, "***") for r in installed)


async def test_sandbox_break_stops_the_requests(
    sb: Sandbox, sandbox_client: AsyncCyclrClient
) -> None:
    c = sandbox_client
    pages = -(-len([r async for r in c.iter_connectors(sb.account_id)]) // 7)
    sb.reset_stats()
    async for _record in c.iter_connectors(sb.account_id):
        break
    assert sb.stats["requests"] == 1 < pages
