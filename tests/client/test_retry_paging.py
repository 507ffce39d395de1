"""The sans-I/O pieces both clients share: retry decisions and the pager."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from cyclr_widgets.client._paging import Pager, Progress, in_notebook, total_pages
from cyclr_widgets.client._retry import RetryPolicy, parse_retry_after, sent_for_sure_not


def test_parse_retry_after() -> None:
    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({"retry-after": " 1.5 "}) == 1.5
    assert parse_retry_after({"retry-after": "-3"}) == 0.0
    assert parse_retry_after({}) is None
    assert parse_retry_after({"retry-after": "soon"}) is None
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after({"retry-after": date}, now=1_000_000) == pytest.approx(30.0)


def test_backoff_is_capped_exponential_with_full_jitter() -> None:
    policy = RetryPolicy(max_retries=10, backoff_base=0.5, backoff_cap=4.0, random=lambda: 1.0)
    assert [policy.backoff(n) for n in range(6)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    policy.random = lambda: 0.25
    assert policy.backoff(2) == 0.5


def test_delay_honours_retry_after_and_limits() -> None:
    policy = RetryPolicy(max_retries=2, max_retry_after=60, random=lambda: 0.0)
    assert policy.delay(0, 12.0) == 12.0
    assert policy.delay(0, 61.0) is None  # too long to block a notebook cell
    assert policy.delay(1, None) == 0.0
    assert policy.delay(2, None) is None  # out of retries
    assert RetryPolicy(max_retries=0).delay(0, None) is None
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)


def test_sent_for_sure_not() -> None:
    api = httpx.Request("POST", "https://api.x/v1.0/connectors/1/install")
    token = httpx.Request("POST", "https://api.x/oauth/token")
    assert sent_for_sure_not(httpx.ConnectError("refused", request=api))
    assert sent_for_sure_not(httpx.ConnectTimeout("slow", request=api))
    assert sent_for_sure_not(httpx.PoolTimeout("pool", request=api))
    assert not sent_for_sure_not(httpx.ReadError("reset", request=api))
    assert not sent_for_sure_not(httpx.WriteTimeout("half", request=api))
    assert not sent_for_sure_not(httpx.RemoteProtocolError("eof", request=api))
    assert sent_for_sure_not(httpx.ReadError("reset", request=token))


def test_total_pages_header() -> None:
    assert total_pages(httpx.Headers({"Total-Pages": "3"})) == 3
    assert total_pages(httpx.Headers({"Total-Pages": "x"})) is None
    assert total_pages(httpx.Headers({"Total-Pages": "-1"})) is None
    assert total_pages(httpx.Headers()) is None


def test_pager_with_total_pages() -> None:
    pager = Pager(2)
    pager.feed(1, [1, 2], {"total-pages": "3"})
    assert pager.remaining() == [2, 3]
    pager.feed(3, [5], {})
    pager.feed(2, [3, 4], {})
    assert pager.items() == [1, 2, 3, 4, 5]


def test_pager_single_page_and_zero_pages() -> None:
    for header in ("1", "0"):
        pager = Pager(50)
        pager.feed(1, [], {"total-pages": header})
        assert pager.remaining() == [] and pager.done


def test_pager_without_header() -> None:
    pager = Pager(2)
    pager.feed(1, [1, 2], {})
    assert pager.remaining() is None and pager.next_page() == 2
    pager.feed(2, [3], {})
    assert pager.done and pager.next_page() is None
    assert pager.items() == [1, 2, 3]


def test_pager_limit() -> None:
    pager = Pager(50, limit=5)
    assert pager.page_size == 5  # do not fetch 50 rows to keep 5
    pager = Pager(2, limit=3)
    pager.feed(1, [1, 2], {"total-pages": "10"})
    assert pager.remaining() == [2]
    pager.feed(2, [3, 4], {})
    assert pager.items() == [1, 2, 3]
    assert Pager(2, limit=0).done
    with pytest.raises(ValueError):
        Pager(0)
    with pytest.raises(ValueError):
        Pager(2, limit=-1)


def test_progress_auto_is_off_outside_notebooks(capsys: pytest.CaptureFixture[str]) -> None:
    assert not in_notebook()
    bar = Progress(None, "x")
    bar.start(3)
    bar.update()
    bar.close()
    assert capsys.readouterr().err == ""
    bar = Progress(True, "things")
    bar.start(2)
    bar.update()
    bar.close()
    bar.close()  # idempotent
    assert "things" in capsys.readouterr().err
