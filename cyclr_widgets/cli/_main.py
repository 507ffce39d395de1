"""The ``cyclr-widgets`` command: ``cyclr-widgets sandbox …`` and ``cyclr-widgets lab …``."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..sandbox import Sandbox

__all__ = ["build_parser", "main"]

# argparse dests passed to Sandbox(...) as keyword arguments of the same name.
SANDBOX_OPTIONS = ("port", "service_port", "provider_port", "db", "latency_ms", "error_rate",
                   "error_status", "rate_limit_rate", "rate_limit_rps", "retry_after", "drop_rate",
                   "coop", "token_ttl", "signin_token_ttl", "accounts", "connectors", "seed",
                   "client_id", "client_secret")  # fmt: skip


def _add_sandbox(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sandbox",
        help="serve a local Cyclr (API, service pages, OAuth provider)",
        description="Serve the Cyclr sandbox on 127.0.0.1 until interrupted.",
    )
    p.add_argument("--port", type=int, default=None, help="API port (default: a free port)")
    p.add_argument("--service-port", type=int, default=None, help="service-domain port")
    p.add_argument("--provider-port", type=int, default=None, help="fake OAuth provider port")
    p.add_argument("--db", default=None, metavar="FILE", help="SQLite file kept across restarts")
    p.add_argument(
        "--latency-ms", type=float, default=0, metavar="N", help="added latency per API request"
    )
    p.add_argument(
        "--error-rate", type=float, default=0.0, metavar="P", help="share of 500/503 answers"
    )
    p.add_argument(
        "--error-status",
        choices=("mixed", "500", "503"),
        default="mixed",
        help="what --error-rate answers: 500 or 503 at random (mixed), or only one of them",
    )
    p.add_argument(
        "--rate-limit-rate", type=float, default=0.0, metavar="P", help="share of 429 answers"
    )
    p.add_argument(
        "--rate-limit",
        dest="rate_limit_rps",
        type=float,
        default=None,
        metavar="N",
        help="requests per second per API token; beyond it a 429 with Retry-After (default off)",
    )
    p.add_argument(
        "--retry-after", type=int, default=1, metavar="S", help="Retry-After seconds on 429/503"
    )
    p.add_argument(
        "--drop-rate", type=float, default=0.0, metavar="P", help="share of dropped connections"
    )
    p.add_argument(
        "--coop", action="store_true", help="send COOP: same-origin on the provider page"
    )
    p.add_argument("--token-ttl", type=int, default=1209599, metavar="S", help="API token lifetime")
    p.add_argument(
        "--signin-token-ttl", type=int, default=300, metavar="S", help="sign-in token lifetime"
    )
    p.add_argument("--accounts", type=int, default=None, metavar="N", help="seeded accounts")
    p.add_argument("--connectors", type=int, default=None, metavar="N", help="seeded connectors")
    p.add_argument("--seed", type=int, default=None, help="seed of the generated data")
    p.add_argument("--client-id", default=None, help="accepted client id")
    p.add_argument("--client-secret", default=None, help="accepted client secret")
    p.add_argument("--json", action="store_true", help="print one JSON line instead of text")
    p.set_defaults(func=_run_sandbox)


def _run_sandbox(args: argparse.Namespace) -> int:
    from ..sandbox import Sandbox  # imported here so `cyclr-widgets lab` stays light

    options = {k: v for k, v in vars(args).items() if v is not None and k in SANDBOX_OPTIONS}
    try:
        sb = Sandbox(**options)  # validates the options before anything is bound
    except (ValueError, TypeError) as exc:
        print(f"cyclr-widgets sandbox: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Installed before start(), so an early Ctrl+C still ends in a clean stop; the previous
    # handlers come back afterwards (main() may be called from a test or another program).
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _serve(sb, args.json, stop)
    except OSError as exc:
        print(f"cyclr-widgets sandbox: {exc}", file=sys.stderr)
        return 1
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve(sb: Sandbox, as_json: bool, stop: threading.Event) -> int:
    sb.start()
    try:
        info = {
            "api_url": sb.api_url,
            "service_url": sb.service_url,
            "provider_url": sb.provider_url,
            "client_id": sb.client_id,
            "client_secret": sb.client_secret,
            "account_id": sb.account_id,
        }
        if as_json:
            print(json.dumps(info), flush=True)
        else:
            print("Cyclr sandbox running (Ctrl+C to stop)")
            for key, value in info.items():
                print(f"  {key.replace('_', ' '):<14} {value}")
            print("\nFor CyclrClient.from_env():")
            for key, value in sb.environ.items():
                print(f"  export {key}={value}")
            print(flush=True)
        while not stop.wait(0.5):  # a timed wait keeps the main thread responsive to signals
            pass
    finally:
        sb.stop()
    print("Sandbox stopped.", flush=True)
    return 0


# -- `lab`: the launcher lives in _lab.py (its options, and main(args) -> int) -----------------


def _add_lab(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from . import _lab  # stdlib only at import time: `cyclr-widgets sandbox` stays light

    p = sub.add_parser("lab", help="open the notebooks in JupyterLab against the sandbox")
    _lab.add_arguments(p)
    p.set_defaults(func=_run_lab)


def _run_lab(args: argparse.Namespace) -> int:
    from . import _lab

    return int(_lab.main(args) or 0)


# -- entry point ------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """Build the ``cyclr-widgets`` argument parser."""
    parser = argparse.ArgumentParser(
        prog="cyclr-widgets",
        description="Cyclr in Jupyter: a local sandbox and a JupyterLab launcher.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_sandbox(sub)
    _add_lab(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return 2
    return int(args.func(args))
