"""``cyclr-widgets sandbox --rate-limit N``: the flag reaches the sandbox's switch."""

from __future__ import annotations

from typing import Any

import pytest

from cyclr_widgets.cli import _main, build_parser


def test_rate_limit_flag_parses() -> None:
    args = build_parser().parse_args(["sandbox", "--rate-limit", "50"])
    assert args.rate_limit_rps == 50.0
    assert build_parser().parse_args(["sandbox"]).rate_limit_rps is None  # off by default


def served(monkeypatch: pytest.MonkeyPatch, *argv: str) -> Any:
    seen: dict[str, Any] = {}

    def serve(sb: Any, as_json: bool, stop: Any) -> int:
        seen["sb"] = sb  # built and checked, never started
        return 0

    monkeypatch.setattr(_main, "_serve", serve)
    assert _main.main(["sandbox", *argv]) == 0
    return seen["sb"]


def test_rate_limit_reaches_the_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    assert served(monkeypatch, "--rate-limit", "50").switches["rate_limit_rps"] == 50.0
    assert served(monkeypatch).switches["rate_limit_rps"] == 0


def test_bad_rate_limit_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main.main(["sandbox", "--rate-limit", "-3"]) == 1
    assert "rate_limit_rps" in capsys.readouterr().err
