"""The sandbox's settings: default credentials and the run-time switches, with their checks."""

from __future__ import annotations

from typing import Any

__all__ = ["DEFAULT_CLIENT_ID", "DEFAULT_CLIENT_SECRET", "RATES", "SWITCHES", "check_switches"]

DEFAULT_CLIENT_ID = "sbx-client-0001"
#: The default secret is fixed (not random) so notebooks and shell sessions can share one
#: sandbox; it is distinctive so tests can grep output for leaks of it.
DEFAULT_CLIENT_SECRET = "sbx-secret-7c0ffee5-do-not-leak"

#: Run-time switches accepted by ``Sandbox(...)`` and ``Sandbox.configure(...)``, with defaults.
SWITCHES: dict[str, Any] = {
    "latency_ms": 0,
    "error_rate": 0.0,
    "error_status": "mixed",  # what error_rate answers: 500 or 503 at random ("mixed"), or one
    "rate_limit_rate": 0.0,
    "retry_after": 1,
    # A rate limit of this many requests per second per API token (a token bucket of one
    # second's worth on the sandbox clock; a 429 with Retry-After in whole seconds and a
    # {"Message"} body); 0 turns it off. Cyclr documents none: see routes/_faults.py.
    "rate_limit_rps": 0,
    "drop_rate": 0.0,
    "coop": False,
    "token_ttl": 1209599,
    "signin_token_ttl": 300,
    # How the OAuth pages behave where Cyclr's docs leave it open (see routes/_pages.py);
    # the defaults are our best guess at Cyclr.
    "post_target": "opener_or_parent",
    "close_after_post": True,
    "deny_completes": True,
    "require_target_origin": True,
    # IP restrictions (routes/_http.py, routes/_dod.py). Cyclr blocks Data on Demand calls to
    # non-native connectors by default until support allows the caller's IP: dod_ip_allowed
    # False is that default. ip_allowlist_blocks True plays a caller missing from the partner's
    # API allow-list: every API call gets the 403 IP refusal.
    "dod_ip_allowed": False,
    "ip_allowlist_blocks": False,
    # Cycles (see routes/_cycles.py, routes/_templates.py): how long a RunOnce run takes on the
    # sandbox clock (the cycle counts as running, so changes are a 409, until it completes), and
    # whether lists carry connector icons when includeIcons is not given.
    "run_once_seconds": 30,
    "list_icons_default": False,
    # The Console's "Enable inline OAuth connector authentication" (routes/_launch.py): with it
    # ticked a LAUNCH/Marketplace body without InlineOAuth puts no inline flag in the URL, with
    # it unticked "inline=false" ([T]'s truth table; its recorded partner had it ticked).
    "inline_oauth_setting": True,
}
RATES = ("error_rate", "rate_limit_rate", "drop_rate")


def check_switches(switches: dict[str, Any]) -> dict[str, Any]:
    """``switches`` checked (``TypeError`` for an unknown name, ``ValueError`` for a bad value)."""
    unknown = set(switches) - set(SWITCHES)
    if unknown:
        msg = f"unknown sandbox switch(es): {', '.join(sorted(unknown))}"
        raise TypeError(msg)
    for key in RATES:
        if key in switches and not 0.0 <= float(switches[key]) <= 1.0:
            msg = f"{key} must be between 0 and 1, got {switches[key]!r}"
            raise ValueError(msg)
    if switches.get("rate_limit_rps", 0) is None:
        switches["rate_limit_rps"] = 0  # None: off, as 0
    for key in (
        "latency_ms",
        "retry_after",
        "rate_limit_rps",
        "token_ttl",
        "signin_token_ttl",
        "run_once_seconds",
    ):
        if key in switches and switches[key] < 0:
            msg = f"{key} must not be negative, got {switches[key]!r}"
            raise ValueError(msg)
    if "error_status" in switches:
        status = str(switches["error_status"])
        if status not in ("mixed", "500", "503"):
            msg = f"error_status must be 'mixed', 500 or 503, got {switches['error_status']!r}"
            raise ValueError(msg)
        switches["error_status"] = status if status == "mixed" else int(status)
    if switches.get("post_target", "opener") not in ("opener_or_parent", "opener", "parent"):
        msg = "post_target must be 'opener_or_parent', 'opener' or 'parent'"
        raise ValueError(msg)
    return switches
