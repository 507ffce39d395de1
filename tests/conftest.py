"""Suite-wide rules.

Under ``CI=true`` a test marked ``browser`` or ``kernel`` must run: a skip there means a broken
install step (no chromium, no playwright, no kernel), so it is reported as a failure, not hidden.
The one exception is a test marked ``needs_ipykernel(spec, reason=...)`` on a kernel outside
``spec``: a combination known not to work (e.g. same-cell ``await`` before ipykernel 7.4), which
the version matrix (``scripts/matrix.sh``) installs on purpose. That skip is decided here, from
the installed version, and only that skip is let through.
"""

from __future__ import annotations

import os
import sys
from importlib import metadata

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
MUST_RUN_IN_CI = ("browser", "kernel")
UNSUPPORTED = "unsupported combination"
_UNSUPPORTED_KEY = pytest.StashKey[str]()


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def pytest_report_header(config: pytest.Config) -> str:
    kernel = _version("ipykernel") or "not installed"
    return f"ipykernel {kernel}, Python {sys.version.split()[0]}"


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker("needs_ipykernel")
    if marker is None:
        return
    from packaging.specifiers import SpecifierSet

    spec = SpecifierSet(marker.args[0])
    have = _version("ipykernel")
    if have is None:
        return  # no kernel at all is a broken install: the test itself fails on it
    if not spec.contains(have, prereleases=True):
        reason = f"{UNSUPPORTED}: ipykernel {have}, needs {spec}: {marker.kwargs['reason']}"
        item.stash[_UNSUPPORTED_KEY] = reason
        pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if not (IN_CI and report.skipped and any(item.get_closest_marker(m) for m in MUST_RUN_IN_CI)):
        return
    reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
    if item.stash.get(_UNSUPPORTED_KEY, None) is not None and report.when == "setup":
        return  # the needs_ipykernel skip above, for a combination known not to work
    report.outcome = "failed"
    report.longrepr = f"skipped under CI=true, which must run this test: {reason}"
