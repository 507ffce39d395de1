"""Suite-wide rules.

Under ``CI=true`` a test marked ``browser`` or ``kernel`` must run: a skip there means a broken
install step (no chromium, no playwright, no kernel), so it is reported as a failure, not hidden.
"""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
MUST_RUN_IN_CI = ("browser", "kernel")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and any(item.get_closest_marker(m) for m in MUST_RUN_IN_CI):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must run this test: {reason}"
