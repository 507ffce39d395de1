"""``AsyncCyclrClient``: the asynchronous twin of ``CyclrClient`` (same methods, awaited).

Only the send path (:mod:`._async_io`) differs: a listing fetches the pages after the first
concurrently (``concurrency`` at a time) once ``Total-Pages`` is known. The methods live in
the ``_async_<area>.py`` mixins, the sources of the sync ones (``scripts/unasync.py``).
"""

from __future__ import annotations

from ._async_accounts import AsyncAccountMethods
from ._async_bundle import AsyncBundleMethods
from ._async_connectors import AsyncConnectorMethods
from ._async_custom import AsyncCustomConnectorMethods
from ._async_cycles import AsyncCycleMethods
from ._async_dod import AsyncDataOnDemandMethods
from ._async_fields import AsyncFieldMethods
from ._async_health import AsyncHealthMethods
from ._async_history import AsyncHistoryMethods
from ._async_launch import AsyncLaunchMethods
from ._async_library import AsyncLibraryMethods
from ._async_mappings import AsyncMappingMethods
from ._async_raw import AsyncRawMethods
from ._async_steps import AsyncStepMethods
from ._async_templates import AsyncTemplateMethods

__all__ = ["AsyncCyclrClient"]


class AsyncCyclrClient(
    AsyncAccountMethods,
    AsyncConnectorMethods,
    AsyncTemplateMethods,
    AsyncCycleMethods,
    AsyncStepMethods,
    AsyncMappingMethods,
    AsyncHistoryMethods,
    AsyncLaunchMethods,
    AsyncLibraryMethods,
    AsyncFieldMethods,
    AsyncDataOnDemandMethods,
    AsyncCustomConnectorMethods,
    AsyncHealthMethods,
    AsyncRawMethods,
    AsyncBundleMethods,  # with its base, AsyncDiagnosisMethods
):
    """Asynchronous client for the Cyclr partner API.

    Takes the same arguments as :class:`CyclrClient`, except that ``transport`` is an
    ``httpx.AsyncBaseTransport`` and ``http_client`` an ``httpx.AsyncClient``. Use
    ``async with`` or ``await client.aclose()``. Its limiter (``concurrency``, ``rate_limit``)
    is shared by all the client's tasks, as the sync client's is by its threads.

    Notes
    -----
    The ``iter_*`` methods are async generators (``async for``) yielding the same records as
    :class:`CyclrClient`'s, in page order: page 1 first, then the pages after it in batches of
    ``concurrency`` fetched at once, each batch yielded once it has arrived. Nothing is fetched
    while the caller holds a record (an async generator cannot keep tasks running between its
    yields without risking a task group closed by another task after a ``break``), so leaving
    the loop early stops the listing at once. A page that fails ends the iteration with its
    error (the first failing page's, in page order); records of earlier batches have been
    yielded by then.
    """
