"""The wheel ships the widgets' built ES modules and CSS, and a wheel install loads them from it."""

from __future__ import annotations

import ast
import importlib.metadata
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
WIDGETS = ("oauth_popup", "connector_browser", "account_explorer", "connector_table")
MODULES = tuple(f"{w}.{ext}" for w in WIDGETS for ext in ("js", "css"))
STATIC = ROOT / "cyclr_widgets" / "static"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: hatchling comes with the test extras, so this works offline and fast.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (found,) = out.glob("cyclr_widgets-*.whl")
    return found


def test_wheel_contains_the_built_modules_byte_for_byte(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "cyclr_widgets/py.typed" in names
        for name in MODULES:
            # The bundles esbuild made (gitignored, so only hatch-jupyter-builder's artifacts
            # setting puts them in the wheel), and each widget's CSS copied beside its module.
            assert zf.read(f"cyclr_widgets/static/{name}") == (STATIC / name).read_bytes()
        for name in (f"{w}.js" for w in WIDGETS):
            bundle = zf.read(f"cyclr_widgets/static/{name}").decode()
            assert "import " not in bundle.split("\n", 1)[0] and "./parts/" not in bundle
        # The sources, their parts, tests, notebooks and the JS unit tests stay out of the wheel.
        outside = ("tests/", "notebooks/", "js/")
        assert not [n for n in names if n.startswith(outside) or ".test." in n]


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
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    ).stdout.split()
    assert out == [str(tmp_path / "cyclr_widgets" / "static" / n) for n in MODULES]


# -- what pyproject.toml declares ------------------------------------------------------------------


def _project() -> dict[str, Any]:
    try:
        import tomllib
    except ImportError:  # Python 3.10: tomli comes with pytest there
        import tomli as tomllib
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project


def _requirements(lines: list[str]) -> dict[str, list[Requirement]]:
    found: dict[str, list[Requirement]] = {}
    for line in lines:
        req = Requirement(line)
        found.setdefault(canonicalize_name(req.name), []).append(req)
    return found


def test_every_module_level_import_is_a_declared_dependency() -> None:
    # A package the library imports must be declared, with a floor that is tested, even when
    # something else happens to bring it along (numpy came with pandas, undeclared).
    declared = set(_requirements(_project()["dependencies"]))
    dists = importlib.metadata.packages_distributions()
    missing = set()
    for path in (ROOT / "cyclr_widgets").rglob("*.py"):
        # Module level only: the imports inside functions are the kernel's (IPython, zmq) or
        # optional (psutil).
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "cyclr_widgets":
                    continue
                owners = {canonicalize_name(d) for d in dists.get(top, [top])}
                if not owners & declared:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, f"imported but not in [project] dependencies: {sorted(missing)}"


def test_pandas_floor_skips_the_releases_broken_by_numpy_2() -> None:
    # pandas 2.1.0/2.1.1 accept numpy 2 but were built against numpy 1: importing fails.
    for pandas in _requirements(_project()["dependencies"])["pandas"]:
        assert not pandas.specifier.contains("2.1.1") and not pandas.specifier.contains("2.1.0")


def test_the_fast_test_extra_declares_the_tools_the_tests_run() -> None:
    # The wheel fixture above runs `python -m pip wheel --no-build-isolation`: pip and hatchling
    # must come with the extra (a uv-made environment has no pip of its own).
    extras = _project()["optional-dependencies"]
    assert {"pip", "hatchling"} <= set(_requirements(extras["test-fast"]))
    assert "cyclr-widgets[test-fast]" in extras["test"]
