"""The wheel ships the widgets' ES modules, and a wheel install loads them from the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = ("oauth_popup.js", "connector_table.js")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: hatchling comes with the test extras, so this works offline and fast.
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True,
    )
    (found,) = out.glob("cyclr_widgets-*.whl")
    return found


def test_wheel_contains_the_es_modules_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "cyclr_widgets/py.typed" in names
        for name in MODULES:
            assert zf.read(f"cyclr_widgets/static/{name}") == (ROOT / "js" / name).read_bytes()
        # Tests, notebooks and the JS unit tests stay out of the wheel.
        assert not [n for n in names if n.startswith(("tests/", "notebooks/")) or ".test." in n]


def test_installed_wheel_loads_the_packaged_modules(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(tmp_path)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from cyclr_widgets.widgets._esm import esm_path;"
        "print(*(esm_path(n) for n in sys.argv[2:]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path), *MODULES],
        check=True, capture_output=True, text=True, cwd=tmp_path,
    ).stdout.split()
    assert out == [str(tmp_path / "cyclr_widgets" / "static" / n) for n in MODULES]
