"""CyclrClient's record listings (``iter_*``): a strict fake Cyclr, then the sandbox.

Mirrored by test_iter_async.py. What the sync iterators promise (CyclrClient, Notes): records as
Cyclr sent them (secrets masked as in the DataFrames), in page order, each page as soon as every
page before it has arrived; page 2..N fetched ahead on ``concurrency`` threads, at most
``2 * concurrency`` pages ahead; leaving the loop cancels the pages not started.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pandas as pd
import pytest

from cyclr_widgets import CyclrClient, NotFoundError, ValidationError
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


@pytest.fixture
def fake() -> FakeCyclr:
    return FakeCyclr()


@pytest.fixture
def client(fake: FakeCyclr):
    c = CyclrClient(
        CLIENT_ID, CLIENT_SECRET, api_url=API, transport=httpx.MockTransport(fake), progress=False
    )
    yield c
    c.close()
    fake.assert_all_called()


def page_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("cyclr-page")]


def wait_until(condition: Callable[[], bool]) -> None:
    """Wait for a state another thread reaches (a hang guard only: no timing is asserted)."""
    stop = threading.Event()
    for _ in range(int(HANG / 0.005)):
        if condition():
            return
        stop.wait(0.005)
    raise AssertionError("never reached")


# -- every listing -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "frame", "args", "kwargs", "path", "items"), LISTINGS)
def test_records_as_cyclr_sent_them_and_the_frame_built_from_them(
    client: CyclrClient, fake: FakeCyclr, name, frame, args, kwargs, path, items
) -> None:
    client.page_size = 2
    fake.add("GET", path, *[page_handler(items)] * (2 * -(-len(items) // 2)))
    records = getattr(client, name)(*args, **kwargs)
    assert not isinstance(records, list)  # an iterator: pages are read as they are consumed
    records = list(records)
    assert records == [masked(i) for i in items]
    assert not any(s in repr(records) for s in SECRETS)
    df = getattr(client, frame)(*args, **kwargs)
    pd.testing.assert_frame_equal(df, to_frame(frame, records))  # the kind is the frame's name
    first = fake.calls()[0].url.params
    for key, value in kwargs.items():
        if key != "cycle_id":
            assert first[key] == value
    assert first["pageSize"] == "2"


def test_bad_input_fails_at_the_call_before_any_request(
    client: CyclrClient, fake: FakeCyclr
) -> None:
    with pytest.raises(ValidationError):
        client.iter_cycles("a/b")
    with pytest.raises(ValueError):
        client.iter_accounts(limit=-1)
    with pytest.raises(ValidationError):
        client.iter_account_connector_properties(ACCOUNT, 0)
    assert fake.requests == []


def test_limit_stops_the_paging(client: CyclrClient, fake: FakeCyclr) -> None:
    client.page_size = 2
    items = [connector_item(i) for i in range(1, 11)]
    fake.add("GET", "/v1.0/connectors", *[page_handler(items)] * 2)
    assert [r["Id"] for r in client.iter_connectors(ACCOUNT, limit=3)] == [1, 2, 3]
    assert len(fake.calls()) == 2


def test_without_total_pages_one_page_after_the_other(client: CyclrClient, fake: FakeCyclr) -> None:
    client.page_size = 2
    items = [connector_item(i) for i in range(1, 6)]
    fake.add("GET", "/v1.0/connectors", *[page_handler(items, total_pages=False)] * 3)
    it = client.iter_connectors(ACCOUNT)
    assert [next(it)["Id"], next(it)["Id"]] == [1, 2]
    assert len(fake.calls()) == 1  # page 2 is asked for only when page 1 is used up
    assert [r["Id"] for r in it] == [3, 4, 5]


def test_an_error_comes_after_the_records_of_the_pages_before_it(
    client: CyclrClient, fake: FakeCyclr
) -> None:
    client.page_size = 1
    items = [connector_item(i) for i in range(1, 4)]

    def by_page(request: httpx.Request) -> httpx.Response:
        if request.url.params["page"] == "3":
            return error_response(404, "gone")
        return page_handler(items)(request)

    fake.add("GET", "/v1.0/connectors", *[by_page] * 3)
    seen = []
    with pytest.raises(NotFoundError):
        for record in client.iter_connectors(ACCOUNT):
            seen.append(record["Id"])
    assert seen == [1, 2]
    assert page_threads() == []


# -- page order, streaming and stopping early (a transport that counts) -----------------------


class Counting:
    """Cyclr's paging over ``n`` connectors; counts the pages asked for; some pages gated."""

    def __init__(self, n: int, gated: Callable[[int], bool] = lambda page: False) -> None:
        self.serve = page_handler([connector_item(i) for i in range(1, n + 1)])
        self.gated = gated
        self.gate = threading.Event()
        self.lock = threading.Lock()
        self.pages: list[int] = []  # in the order requested
        self.done: list[int] = []  # in the order answered

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return json_response({"access_token": "t", "expires_in": 3600})
        page = int(request.url.params["page"])
        with self.lock:
            self.pages.append(page)
        if self.gated(page):
            assert self.gate.wait(HANG), "the gate was never opened"
        response = self.serve(request)
        with self.lock:
            self.done.append(page)
        return response


def counting_client(transport: Counting, concurrency: int = 2) -> CyclrClient:
    return CyclrClient(
        "id",
        "secret",
        api_url=API,
        transport=httpx.MockTransport(transport),
        page_size=1,
        concurrency=concurrency,
        progress=False,
    )


def test_pages_are_yielded_in_page_order_whatever_the_arrival_order() -> None:
    pages = Counting(6, gated=lambda page: page == 2)  # page 2 answers last
    with counting_client(pages, concurrency=3) as c:
        it = c.iter_connectors(ACCOUNT)
        assert next(it)["Id"] == 1
        wait_until(lambda: len(pages.done) == 5)  # all but page 2, held back
        assert 2 not in pages.done
        pages.gate.set()
        assert [r["Id"] for r in it] == [2, 3, 4, 5, 6]
    assert pages.done[0] == 1 and pages.done.index(2) > pages.done.index(3)


def test_records_come_as_soon_as_the_pages_before_them_are_in() -> None:
    pages = Counting(6, gated=lambda page: page >= 4)
    with counting_client(pages) as c:
        it = c.iter_connectors(ACCOUNT)
        # Pages 1-3 are yielded while pages 4 and 5 are still on their way.
        assert [next(it)["Id"] for _ in range(3)] == [1, 2, 3]
        assert 4 not in pages.done
        pages.gate.set()
        assert [r["Id"] for r in it] == [4, 5, 6]


def test_breaking_out_stops_the_paging_and_leaves_no_thread() -> None:
    pages = Counting(50)
    with counting_client(pages, concurrency=2) as c:
        for record in c.iter_connectors(ACCOUNT):
            assert record["Id"] == 1
            break
        # Page 1, then at most 2 x concurrency pages requested ahead; the rest never.
        assert len(pages.pages) <= 1 + 2 * 2
        assert page_threads() == []  # the pool is shut down before the loop is left
        asked = len(pages.pages)
        list(c.iter_connectors(ACCOUNT, limit=1))
        assert len(pages.pages) == asked + 1  # and nothing of the first listing came later


def test_closing_in_the_middle_cancels_the_pages_not_started() -> None:
    pages = Counting(50, gated=lambda page: page >= 6)
    with counting_client(pages, concurrency=2) as c:
        it = c.iter_connectors(ACCOUNT)
        assert [next(it)["Id"] for _ in range(5)] == [1, 2, 3, 4, 5]
        # Pages 6 and 7 are in flight (held at the gate) before the close starts: on a loaded
        # machine the pool may not have started them yet, and close() would rightly cancel them.
        wait_until(lambda: len(pages.pages) >= 7)
        closer = threading.Thread(target=it.close)
        closer.start()  # waits for the two pages in flight (6 and 7), cancels the others
        pages.gate.set()
        closer.join(HANG)
        assert not closer.is_alive()
        assert sorted(pages.pages) == list(range(1, len(pages.pages) + 1))
        assert len(pages.pages) <= 5 + 2 * 2
        assert page_threads() == []
        with pytest.raises(StopIteration):
            next(it)


# -- against the sandbox ---------------------------------------------------------------------


@pytest.fixture
def sandbox_client(sb: Sandbox):
    with CyclrClient.from_env(sb.environ, page_size=7, concurrency=3, progress=False) as c:
        yield c


def test_sandbox_every_listing_matches_its_frame(sb: Sandbox, sandbox_client: CyclrClient) -> None:
    c, account = sandbox_client, sb.account_id
    ac_id = int(next(iter(c.iter_account_connectors(account)))["Id"])
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
        records = list(getattr(c, name)(*args))
        assert all(isinstance(r, dict) for r in records), name
        pd.testing.assert_frame_equal(getattr(c, frame)(*args), to_frame(frame, records))
    library = list(c.iter_connectors(account))
    assert len(library) > 7 * 3  # several pages, several batches
    assert len({r["Id"] for r in library}) == len(library)
    assert all("Icon" in r for r in library)  # as Cyclr sent them: the icons too
    installed = list(c.iter_account_connectors(account))
    assert all(r["AuthValue"] in (None, "***") for r in installed)


def test_sandbox_break_stops_the_requests(sb: Sandbox, sandbox_client: CyclrClient) -> None:
    c = sandbox_client
    pages = -(-len(list(c.iter_connectors(sb.account_id))) // 7)
    sb.reset_stats()
    for _record in c.iter_connectors(sb.account_id):
        break
    assert 1 <= sb.stats["requests"] <= 1 + 2 * 3 < pages
