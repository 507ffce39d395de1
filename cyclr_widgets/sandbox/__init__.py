"""A local Cyclr: the API, the service-domain pages and a fake OAuth provider on loopback.

>>> from cyclr_widgets import Sandbox
>>> with Sandbox() as sb:                     # doctest: +SKIP
...     sb.api_url, sb.service_url, sb.account_id

The sandbox imports only the standard library, Starlette and uvicorn: it shares no code with
the client, so the two agree only through HTTP and JSON, as the client and Cyclr do.

Its parts: this module (the :class:`Sandbox` class), ``_switches.py`` (defaults and fault
switches), ``_server.py`` (uvicorn on loopback in a background thread), ``routes/`` (the
Starlette apps of the three origins), ``store/`` (the SQLite state) and ``seed/`` (the
deterministic data).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from ._server import ServerThread, bind
from ._switches import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, SWITCHES, check_switches
from .routes import (
    FAULT_COUNTERS,
    Ctx,
    Faults,
    NoSniff,
    build_api_app,
    build_provider_app,
    build_service_app,
)
from .store import Store

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "SWITCHES", "Sandbox"]


class Sandbox:
    """A Cyclr stand-in served on three loopback origins from a background thread.

    Parameters
    ----------
    port, service_port, provider_port
        Ports of the API, the service domain and the fake provider; ``None`` picks free ports.
    db
        SQLite file that keeps the state across restarts; ``None`` keeps it in memory. A file
        that already holds a sandbox is used as is (not re-seeded).
    latency_ms, error_rate, rate_limit_rate, retry_after, drop_rate
        Fault injection on the API origin (``/oauth/token`` included): added latency, the share
        of 500/503 answers, the share of 429 answers and their ``Retry-After`` seconds, and the
        share of connections closed without an answer (half of the dropped installs commit).
    coop
        Send ``Cross-Origin-Opener-Policy: same-origin`` on the provider's pages.
    token_ttl, signin_token_ttl
        Lifetimes in seconds of API tokens (Cyclr: 14 days - 1 s) and sign-in tokens (5 min).
    accounts, connectors
        Sizes of the seed (defaults 8 accounts and 320 connectors), e.g. for benchmarks.
    seed
        Seed of the deterministic data and of the fault dice.
    clock
        ``() -> float`` epoch seconds used for every expiry (default ``time.time``); tests pass
        a fake clock to expire tokens without sleeping.
    client_id, client_secret
        The credentials ``/oauth/token`` accepts (default :data:`DEFAULT_CLIENT_SECRET`).
    **switches
        ``error_status`` (``"mixed"``, ``500`` or ``503``: what ``error_rate`` answers), and the
        page behaviour switches ``post_target``, ``close_after_post``, ``deny_completes``,
        ``require_target_origin`` (see ``cyclr_widgets/sandbox/routes/_pages.py``); the IP
        switches ``dod_ip_allowed`` (default ``False``: Data on Demand calls to non-native
        connectors are refused with a 403, as Cyclr does until support allows the caller's IP)
        and ``ip_allowlist_blocks`` (``True``: every API call gets that 403, as for a caller
        missing from the partner's API allow-list);
        ``rate_limit_rps`` (requests per second per API token, a token bucket holding one
        second's worth on ``clock``; beyond it a 429 with ``Retry-After`` in whole seconds and a
        ``{"Message"}`` body; 0 or None, the default, is off);
        and the cycle switches ``run_once_seconds`` (how long a RunOnce run lasts on ``clock``; 30)
        and ``list_icons_default`` (whether lists carry icons without ``includeIcons``; False);
        ``inline_oauth_setting`` (the Console's "Enable inline OAuth connector
        authentication": whether a LAUNCH or Marketplace body without ``InlineOAuth`` leaves
        the ``inline`` flag out of the URL (True, the default) or writes ``inline=false``).
    """

    def __init__(
        self,
        port: int | None = None,
        service_port: int | None = None,
        provider_port: int | None = None,
        db: str | None = None,
        latency_ms: float = 0,
        error_rate: float = 0.0,
        rate_limit_rate: float = 0.0,
        retry_after: int = 1,
        drop_rate: float = 0.0,
        coop: bool = False,
        token_ttl: int = 1209599,
        signin_token_ttl: int = 300,
        accounts: int | None = None,
        connectors: int | None = None,
        seed: int = 20240102,
        clock: Callable[[], float] | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        **switches: Any,
    ) -> None:
        self._ports = (port, service_port, provider_port)
        self._db, self._seed, self._sizes, self._clock = db, seed, (accounts, connectors), clock
        self._client_id, self._client_secret = client_id, client_secret
        faults = {
            "latency_ms": latency_ms,
            "error_rate": error_rate,
            "rate_limit_rate": rate_limit_rate,
            "retry_after": retry_after,
            "drop_rate": drop_rate,
            "coop": coop,
            "token_ttl": token_ttl,
            "signin_token_ttl": signin_token_ttl,
        }
        self._switches = {**SWITCHES, **check_switches({**faults, **switches})}
        # unhandled_errors counts the catch-all's 500s on any origin (bugs; see routes/_guard.py).
        self._stats: dict[str, int] = {
            "requests": 0,
            "unhandled_errors": 0,
            **dict.fromkeys(FAULT_COUNTERS, 0),
        }
        self._ctx: Ctx | None = None
        self._server: ServerThread | None = None
        self._lock = threading.Lock()

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Seed the store (unless ``db`` holds one), bind the ports and serve; returns ``self``."""
        with self._lock:
            if self._server is not None:
                return self
            store = Store(
                self._db,
                seed=self._seed,
                accounts=self._sizes[0],
                connectors=self._sizes[1],
                clock=self._clock,
            )
            socks = []
            try:
                for p in self._ports:
                    socks.append(bind(p))
            except OSError:
                for s in socks:
                    s.close()
                store.close()
                raise
            urls = {
                name: "http://127.0.0.1:%d" % s.getsockname()[1]  # noqa: UP031
                for name, s in zip(("api", "service", "provider"), socks, strict=True)
            }
            # The switches and stats dicts are shared, so configure() takes effect at once.
            ctx = Ctx(
                store, self._client_id, self._client_secret, self._switches, urls, self._stats
            )
            api = NoSniff(Faults(build_api_app(ctx), ctx, self._seed))
            apps = [
                (api, socks[0]),
                (build_service_app(ctx), socks[1]),
                (build_provider_app(ctx), socks[2]),
            ]
            server = ServerThread(apps)  # type: ignore[arg-type]
            try:
                server.start()
            except BaseException:
                store.close()
                raise
            self._ctx, self._server = ctx, server
        return self

    def stop(self) -> None:
        """Stop serving and close the store (a file ``db`` keeps its state)."""
        with self._lock:
            server, ctx, self._server, self._ctx = self._server, self._ctx, None, None
        if server is not None:
            server.stop()
        if ctx is not None:
            ctx.store.close()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        """Whether the servers are up."""
        return self._server is not None

    def _need(self) -> Ctx:
        if self._ctx is None:
            msg = "the sandbox is not running; call start() or use it as a context manager"
            raise RuntimeError(msg)
        return self._ctx

    # -- what clients need -------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """Base URL of the API origin (``/oauth/token``, ``/v1.0/...``), no trailing slash."""
        return self._need().urls["api"]

    @property
    def service_url(self) -> str:
        """Base URL of the partner service domain (the OAuth page), no trailing slash."""
        return self._need().urls["service"]

    @property
    def provider_url(self) -> str:
        """Base URL of the fake third-party OAuth provider, no trailing slash."""
        return self._need().urls["provider"]

    @property
    def client_id(self) -> str:
        """The client id ``/oauth/token`` accepts."""
        return self._client_id

    @property
    def client_secret(self) -> str:
        """The client secret ``/oauth/token`` accepts (never shown by ``repr``)."""
        return self._client_secret

    @property
    def account_id(self) -> str:
        """API ID of the seeded account with 50+ installed connectors."""
        return str(self.ids["account_id"])

    @property
    def ids(self) -> dict[str, Any]:
        """Seeded ids tests may rely on (accounts, connectors per auth type, cycles, ...)."""
        return json.loads(json.dumps(self._need().store.ids))  # type: ignore[no-any-return]

    @property
    def environ(self) -> dict[str, str]:
        """Environment variables for ``CyclrClient.from_env``, the seeded account as default.

        ``CYCLR_SANDBOX=1`` tells a notebook started with them (``cyclr-widgets lab``) that it
        talks to this sandbox, so it may play the customer's browser against the fake provider.
        """
        return {
            "CYCLR_SANDBOX": "1",
            "CYCLR_ACCOUNT_ID": self.account_id,
            "CYCLR_CLIENT_ID": self.client_id,
            "CYCLR_CLIENT_SECRET": self.client_secret,
            "CYCLR_API_URL": self.api_url,
            "CYCLR_SERVICE_URL": self.service_url,
        }

    # -- run-time control ------------------------------------------------------------------------

    @property
    def switches(self) -> dict[str, Any]:
        """A copy of the current switches."""
        return dict(self._switches)

    def configure(self, **switches: Any) -> None:
        """Change fault and page switches at run time (e.g. ``sb.configure(coop=True)``)."""
        self._switches.update(check_switches(switches))

    @property
    def stats(self) -> dict[str, int]:
        """Requests seen by the API origin, each fault injected and unhandled errors (a copy)."""
        return dict(self._stats)

    @property
    def faults_injected(self) -> dict[str, int]:
        """Only the fault counters of :attr:`stats`."""
        return {k: self._stats[k] for k in FAULT_COUNTERS}

    def reset_stats(self) -> None:
        """Zero the counters of :attr:`stats`."""
        for key in self._stats:
            self._stats[key] = 0

    def reset(self) -> None:
        """Restore the seed (issued API tokens stay valid)."""
        self._need().store.reset()

    def account_connector_state(self, account_id: str, ac_id: int) -> dict[str, Any]:
        """Read an account connector straight from the store (a test-control hook).

        Returns ``Authenticated``, ``HasAuthValue`` and, when the stored value holds OAuth
        tokens, ``AccessToken``/``RefreshToken`` (so tests can check they never leak).
        Raises ``KeyError`` for an unknown id or one of another account.
        """
        row = self._need().store.ac_row(account_id, int(ac_id))
        if row is None:
            raise KeyError(f"no account connector {ac_id} in account {account_id!r}")
        tokens: dict[str, Any] = {}
        try:
            parsed = json.loads(row["auth_value"] or "")
            if isinstance(parsed, dict):
                tokens = parsed
        except ValueError:
            pass
        return {
            "Id": row["id"],
            "Authenticated": bool(row["authenticated"]),
            "HasAuthValue": bool(row["auth_value"]),
            "AccessToken": tokens.get("AccessToken"),
            "RefreshToken": tokens.get("RefreshToken"),
        }

    def __repr__(self) -> str:
        if self._ctx is None:
            return f"<Sandbox stopped client_id={self._client_id!r}>"
        return (
            f"<Sandbox api_url={self.api_url!r} service_url={self.service_url!r} "
            f"client_id={self._client_id!r} account_id={self.account_id!r}>"
        )
