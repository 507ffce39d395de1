"""``CyclrClient``: the synchronous Cyclr API client (``AsyncCyclrClient`` is its twin).

Every method builds an operation in :mod:`._endpoints` (arguments checked, nothing sent yet) and
hands it to the send path in :mod:`._sync_io`; listings come back as DataFrames. The methods are
grouped by area in mixins (``_sync_<area>.py``), each written by ``scripts/unasync.py`` from its
async source (``_async_<area>.py``), so the two clients have the same methods and signatures
(``tests/test_twins.py`` checks it, ``tests/client/test_unasync.py`` that no file is stale).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._settings import REGIONS
from ._sync_accounts import AccountMethods
from ._sync_bundle import BundleMethods
from ._sync_connectors import ConnectorMethods
from ._sync_custom import CustomConnectorMethods
from ._sync_cycles import CycleMethods
from ._sync_dod import DataOnDemandMethods
from ._sync_fields import FieldMethods
from ._sync_health import HealthMethods
from ._sync_history import HistoryMethods
from ._sync_launch import LaunchMethods
from ._sync_library import LibraryMethods
from ._sync_mappings import MappingMethods
from ._sync_raw import RawMethods
from ._sync_steps import StepMethods
from ._sync_templates import TemplateMethods

if TYPE_CHECKING:  # pragma: no cover
    from ..core import WidgetClient

__all__ = ["REGIONS", "CyclrClient"]


class CyclrClient(
    AccountMethods,
    ConnectorMethods,
    TemplateMethods,
    CycleMethods,
    StepMethods,
    MappingMethods,
    HistoryMethods,
    LaunchMethods,
    LibraryMethods,
    FieldMethods,
    DataOnDemandMethods,
    CustomConnectorMethods,
    HealthMethods,
    RawMethods,
    BundleMethods,  # with its base, DiagnosisMethods
):
    """Synchronous client for the Cyclr partner API.

    Every argument is checked here: a wrong type raises ``TypeError``, a bad value
    ``ValidationError`` (a ``ValueError``), each naming the argument.

    Parameters
    ----------
    client_id, client_secret
        OAuth client credentials (Console > Settings > OAuth Client Credentials). The secret
        may be given as an ``AuthValue``; a string is sealed into one at once.
    api_url
        The API domain, e.g. ``https://api.eu.cyclr.com``; wins over ``region``.
    region
        One of ``REGIONS`` (``us``, ``us2``, ``uk``, ``eu``, ``apac``); default ``us``.
    service_url
        The partner service domain (OAuth pages), e.g. ``https://acme-h.eu.cyclr.com``.
    account_id
        Default account API ID for account-level calls.
    token_scope_account
        Request an account-restricted token (``scope=account:{id}``).
    timeout
        Seconds (> 0) that each request, the token request included, may spend on each network
        step (connect, send, wait for an answer, get a pooled connection); or an
        ``httpx.Timeout`` with all four set. ``None`` (no timeout) is refused: a server that
        accepts the connection and never answers would block the call for ever.
    max_retries, backoff_cap
        Retries of idempotent requests (an int >= 0) and the ceiling of the backoff in seconds.
    page_size, concurrency
        Items per page, and requests in flight at once (ints >= 1). ``concurrency`` is the cap
        of the client's one limiter: every request of the client (pages of all its listings,
        single calls, on any thread) counts against it, and one listing fetches up to that many
        pages at once once the page count is known. Default 8.
    rate_limit
        Requests per second for the whole client: a number (a ceiling: on a 429 the client
        slows below it and grows back), ``"auto"`` (the default: no budget until Cyclr first
        answers 429, then learned: additive increase while Cyclr answers, multiplicative
        decrease on each 429) or ``None`` (no budget: the cap alone). Whatever the setting, a
        ``Retry-After`` (on a 429 or 503) holds every request of the client until its instant.
        Waiting requests are served first come, first served.
    progress
        Progress bars for multi-page listings: ``None`` = only in a Jupyter kernel.
    transport, http_client
        An ``httpx`` transport (tests: ``httpx.MockTransport``) or a ready ``httpx.Client``
        (not closed by this client); not both.
    clock
        What "now" is, for the default window of ``incidents()``: a callable returning epoch
        seconds (as ``Sandbox(clock=...)`` takes) or an aware ``datetime``; default the system
        clock.

    Notes
    -----
    Ids are checked before anything is sent. Account API IDs are the partner's own strings:
    any printable ASCII up to 255 characters except slash, backslash, ``?``, ``#``, ``%``,
    ``.`` and ``..``.
    Cycle, template, step, edge and transaction ids are Cyclr GUIDs (a string or a
    ``uuid.UUID``); field and parameter ids positive ints. Every id goes into
    the URL percent-encoded as one path segment.

    Each listing comes two ways: a DataFrame (``connectors()``, ``accounts()``, ...) and the
    records it is built from (``iter_connectors()``, ``iter_accounts()``, ...), dicts exactly as
    Cyclr sent them with secrets masked as in the DataFrames. The records are yielded in page
    order as soon as every page before theirs has arrived: page 1 first, then pages 2..N on
    ``concurrency`` threads, at most ``2 * concurrency`` pages ahead of the one being read.
    Leaving the loop early (``break``, or ``close()`` on the iterator) cancels the pages not
    started and waits for those in flight. A page that fails ends the iteration with its error,
    raised after the records of the pages before it.
    """


if TYPE_CHECKING:  # pragma: no cover

    def _serves_the_widgets(client: CyclrClient) -> WidgetClient:
        # mypy proves here that CyclrClient has every method the widgets call, with compatible
        # signatures (core.WidgetClient); tests/core/test_client_protocol.py shows it would say
        # so if not.
        return client
