"""tests/conftest.py's rule: under CI=true a kernel/browser test may not skip, except for the one
skip it makes itself, ``needs_ipykernel``, for a kernel version known not to support the test.

Runs pytest on a small suite with that conftest, seeing a fake ipykernel 7.0.1.
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent

SUITE = """
import pytest

pytestmark = pytest.mark.kernel

@pytest.mark.needs_ipykernel(">=7.4", reason="same-cell await")
def test_unsupported():
    raise AssertionError("must not run on ipykernel 7.0.1")

@pytest.mark.needs_ipykernel(">=7.0", reason="supported here")
def test_supported_then_skips():
    pytest.skip("no kernel could start")

@pytest.mark.needs_ipykernel(">=7.4", reason="same-cell await")
@pytest.mark.skipif(True, reason="another cause")
def test_unsupported_and_skipped_for_another_cause():
    pass

def test_plain_skip():
    pytest.skip("no kernel could start")

@pytest.mark.needs_ipykernel(">=7.0", reason="supported here")
def test_supported():
    pass
"""

INI = """[pytest]
markers =
    kernel: k
    browser: b
    needs_ipykernel(spec, reason): n
"""


def outcomes(tmp_path: Path, ci: str) -> dict[str, str]:
    """Run the suite with CI=``ci``; return each test's outcome: passed, failed or skipped."""
    (tmp_path / "conftest.py").write_text((HERE / "conftest.py").read_text())
    (tmp_path / "pytest.ini").write_text(INI)
    (tmp_path / "test_suite.py").write_text(SUITE)
    fake = tmp_path / "site" / "ipykernel-7.0.1.dist-info"  # what importlib.metadata finds first
    fake.mkdir(parents=True)
    (fake / "METADATA").write_text("Metadata-Version: 2.1\nName: ipykernel\nVersion: 7.0.1\n")
    env = {**os.environ, "CI": ci, "PYTHONPATH": str(tmp_path / "site")}
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--junitxml=out.xml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    found = {}
    for case in ET.parse(tmp_path / "out.xml").iter("testcase"):
        kinds = {child.tag for child in case} & {"failure", "error", "skipped"}
        found[case.get("name", "")] = {"failure": "failed", "error": "failed"}.get(
            min(kinds, default=""), "skipped" if kinds else "passed"
        )
    return found


def test_under_ci_only_the_version_skip_is_allowed(tmp_path: Path) -> None:
    assert outcomes(tmp_path, "true") == {
        "test_unsupported": "skipped",  # needs_ipykernel, not met: a known-unsupported combination
        "test_supported_then_skips": "failed",  # met, yet skipped: a broken install
        "test_unsupported_and_skipped_for_another_cause": "failed",  # another skip: no pass
        "test_plain_skip": "failed",
        "test_supported": "passed",
    }


def test_outside_ci_skips_are_skips(tmp_path: Path) -> None:
    got = outcomes(tmp_path, "")
    assert got == {
        "test_unsupported": "skipped",
        "test_supported_then_skips": "skipped",
        "test_unsupported_and_skipped_for_another_cause": "skipped",
        "test_plain_skip": "skipped",
        "test_supported": "passed",
    }
