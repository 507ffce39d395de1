"""The import rules between the parts of the package: the diagram in ARCHITECTURE.md, enforced.

Which imports count: every ``import`` statement anywhere in a module under ``cyclr_widgets/``:
at module level, inside functions (deferred for import speed, still a dependency at run time),
and under ``if TYPE_CHECKING:`` (a dependency of the annotations: the coupling a reader sees is
the same). Imports by name at run time (``importlib.import_module("...")``) are not seen: the
package façade's lazy table is mirrored by its ``TYPE_CHECKING`` block (and checked by
``test_public_api.py``), and the façade may import every part anyway.

The parts: ``core`` (cyclr_widgets/core/), ``client``, ``frames`` (frames/), ``widgets``,
``sandbox``, ``cli`` (cli/ and __main__.py), ``version`` (_version.py) and ``facade`` (the
package's __init__.py). An arrow ``a -> b`` below means "a may import b".

Also checked here: the widgets' JavaScript talks only to its model, and ARCHITECTURE.md names
every module.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG_DIR = ROOT / "cyclr_widgets"
PKG = "cyclr_widgets"

PARTS = ("core", "client", "frames", "widgets", "sandbox", "cli", "version", "facade")
# a -> the parts it may import (besides itself). Each arrow is used today, except those in
# OPTIONAL: test_every_arrow_is_used keeps the rules (and the diagram drawn from them) honest.
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "frames": frozenset({"core"}),
    # The listings build their DataFrames through frames (imported inside the call, so that
    # importing the client does not import pandas).
    "client": frozenset({"core", "frames", "version"}),
    # The widgets take any object with the client's surface (core.WidgetClient, a Protocol),
    # never the client's modules: tests drive them with fakes. They get records and build their
    # public DataFrames (``browser.connectors_df``...) through frames, as the client does.
    "widgets": frozenset({"core", "frames"}),
    # The sandbox shares no code with the client: the two agree only through HTTP and JSON.
    "sandbox": frozenset({"version"}),
    "cli": frozenset(PARTS),
    "version": frozenset(),
    # frames is a public module of its own (``cyclr_widgets.frames``), not in the façade.
    "facade": frozenset({"core", "client", "widgets", "sandbox", "version"}),
}
OPTIONAL = {("sandbox", "version")} | {("cli", p) for p in PARTS}
# Inside the sandbox: seed <- store <- routes <- the Sandbox class (sandbox/__init__.py).
SANDBOX_ALLOWED: dict[str, frozenset[str]] = {
    "seed": frozenset(),
    "store": frozenset({"seed"}),
    "routes": frozenset({"store", "seed"}),
    "_server": frozenset(),
    "_switches": frozenset(),
    "": frozenset({"seed", "store", "routes", "_server", "_switches"}),
}
# Third-party packages: core uses the standard library (and idna, for browser-exact origins);
# the sandbox Starlette and uvicorn; the client never a widget or web-server stack.
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}
THIRD_PARTY_ONLY = {"core": STDLIB | {"idna"}, "sandbox": STDLIB | {"starlette", "uvicorn"}}
THIRD_PARTY_NEVER = {
    "client": frozenset(
        {
            "anywidget",
            "ipywidgets",
            "traitlets",
            "IPython",
            "jupyter_ui_poll",
            "starlette",
            "uvicorn",
        }
    ),
}


# -- reading the imports ---------------------------------------------------------------------


def module_name(path: Path, pkg_dir: Path = PKG_DIR) -> str:
    parts = path.relative_to(pkg_dir.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def package_modules(pkg_dir: Path = PKG_DIR) -> dict[str, Path]:
    return {module_name(p, pkg_dir): p for p in sorted(pkg_dir.rglob("*.py"))}


def imports_in(source: str, module: str, is_package: bool, known: Iterable[str]) -> set[str]:
    """Every module ``source`` imports, wherever the statement is; relative imports resolved.

    ``from x import y`` counts as importing ``x.y`` when that is a module of the package, and
    as importing ``x`` otherwise.
    """
    known = set(known)
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in known else base)
    return found


def import_graph(pkg_dir: Path = PKG_DIR) -> dict[str, set[str]]:
    modules = package_modules(pkg_dir)
    return {
        name: imports_in(path.read_text(), name, path.name == "__init__.py", modules)
        for name, path in modules.items()
    }


# -- the rules -------------------------------------------------------------------------------


def part_of(module: str) -> str | None:
    """The part a module of the package belongs to (``None`` outside the package)."""
    if module == PKG:
        return "facade"
    if not module.startswith(PKG + "."):
        return None
    head = module.split(".")[1]
    if head == "__main__":
        return "cli"
    if head == "_version":
        return "version"
    return head if head in PARTS else None


def sandbox_area(module: str) -> str:
    """``seed``, ``store``, ``routes``, ``_server``, ``_switches`` or ``""`` (the Sandbox class)."""
    rest = module.split(".")[2:]
    return rest[0] if rest else ""


def twin_kind(module: str) -> str | None:
    """``sync`` or ``async`` for the client's twinned modules (``_sync*.py``, ``_async*.py``)."""
    leaf = module.rsplit(".", 1)[-1]
    if not module.startswith(f"{PKG}.client."):
        return None
    return "sync" if leaf.startswith("_sync") else "async" if leaf.startswith("_async") else None


def violations(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """Every import in ``graph`` (module -> what it imports) that breaks a rule above."""
    found = []
    for module, imported in sorted(graph.items()):
        src = part_of(module)
        if src is None:
            continue
        for target in sorted(imported):
            dst = part_of(target)
            if dst is None and target.split(".")[0] != PKG:
                top = target.split(".")[0]
                only = THIRD_PARTY_ONLY.get(src)
                if (only is not None and top not in only) or top in THIRD_PARTY_NEVER.get(src, ()):
                    found.append(f"{module} imports {target} (third-party, not for {src})")
                continue
            if dst is None:
                found.append(f"{module} imports {target}, which is in no part")
            elif dst != src and dst not in ALLOWED[src]:
                found.append(f"{module} imports {target}: {src} -> {dst} is not allowed")
            elif src == dst == "sandbox":
                a, b = sandbox_area(module), sandbox_area(target)
                if a != b and b not in SANDBOX_ALLOWED[a]:
                    found.append(f"{module} imports {target}: sandbox {a or 'Sandbox'} -> {b}")
            elif src == dst == "client":
                a, b = twin_kind(module), twin_kind(target)
                if a and b and a != b:
                    found.append(f"{module} imports {target}: the {a} twin imports the {b} one")
    return found


def part_edges(graph: Mapping[str, Iterable[str]]) -> set[tuple[str, str]]:
    edges = set()
    for module, imported in graph.items():
        for target in imported:
            src, dst = part_of(module), part_of(target)
            if src and dst and src != dst:
                edges.add((src, dst))
    return edges


# -- the package obeys them ------------------------------------------------------------------


def test_the_package_follows_the_import_rules() -> None:
    assert violations(import_graph()) == []


def test_every_arrow_is_used() -> None:
    # An allowed arrow nobody uses any more is a rule (and a diagram) to update.
    drawn = {(a, b) for a, targets in ALLOWED.items() for b in targets if a != b}
    unused = drawn - part_edges(import_graph()) - OPTIONAL
    assert unused == set()


def test_every_module_belongs_to_a_part() -> None:
    assert [m for m in package_modules() if part_of(m) is None] == []


# Inside the widgets: the popup's flow knows no widget and no kernel (its tests need neither);
# the helpers for messages, callbacks and waiting use no widget stack.
WIDGETS = f"{PKG}.widgets"
PURE_FLOW = frozenset({f"{WIDGETS}._flow", f"{WIDGETS}._flow_state", f"{WIDGETS}._flow_types"})
NO_WIDGET_STACK = frozenset(
    f"{WIDGETS}.{m}" for m in ("_rpc", "_dispatch", "_completion", "_kernel_wait", "_handoff")
)
WIDGET_STACK = frozenset({"anywidget", "ipywidgets", "traitlets"})


def widget_helper_problems(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """Imports of the flow (beyond the stdlib and core) and of the helpers (a widget stack)."""
    found = []
    for module, imported in sorted(graph.items()):
        for target in sorted(imported):
            top = target.split(".")[0]
            if module in PURE_FLOW:
                ok = top in STDLIB or part_of(target) == "core" or target in PURE_FLOW
            elif module in NO_WIDGET_STACK:
                ok = top not in WIDGET_STACK and (
                    part_of(target) != "widgets" or target in NO_WIDGET_STACK
                )
            else:
                continue
            if not ok:
                found.append(f"{module} imports {target}")
    return found


def test_the_flow_is_pure_and_the_helpers_use_no_widget_stack() -> None:
    assert widget_helper_problems(import_graph()) == []


def test_widget_helper_check_catches() -> None:
    fake = {
        f"{WIDGETS}._flow": {"re", f"{PKG}.core", f"{WIDGETS}._flow_types", "IPython", "traitlets"},
        f"{WIDGETS}._flow_types": {"dataclasses", f"{WIDGETS}._rpc"},
        f"{WIDGETS}._completion": {"asyncio", f"{WIDGETS}._kernel_wait", "anywidget", "zmq"},
        f"{WIDGETS}._rpc": {"logging", f"{WIDGETS}.oauth_popup"},
        f"{WIDGETS}.oauth_popup": {"anywidget", f"{WIDGETS}._flow"},
    }
    assert widget_helper_problems(fake) == [
        f"{WIDGETS}._completion imports anywidget",
        f"{WIDGETS}._flow imports IPython",
        f"{WIDGETS}._flow imports traitlets",
        f"{WIDGETS}._flow_types imports {WIDGETS}._rpc",
        f"{WIDGETS}._rpc imports {WIDGETS}.oauth_popup",
    ]


# -- the checker catches what it should (a fake package) --------------------------------------


def test_checker_reports_each_kind_of_violation() -> None:
    fake = {
        "cyclr_widgets.core._models": {"cyclr_widgets.client._sync", "datetime"},
        "cyclr_widgets.core._oauth": {"httpx"},
        "cyclr_widgets.frames": {"cyclr_widgets.widgets"},
        "cyclr_widgets.widgets.oauth_popup": {"cyclr_widgets.client"},
        "cyclr_widgets.sandbox.routes._api": {"cyclr_widgets.core._exceptions", "pandas"},
        "cyclr_widgets.sandbox.seed._seed": {"cyclr_widgets.sandbox.store"},
        "cyclr_widgets.client._sync_io": {"cyclr_widgets.client._async_io"},
        "cyclr_widgets.client._base": {"ipywidgets", "cyclr_widgets.cli"},
        "cyclr_widgets._version": {"cyclr_widgets.core"},
    }
    found = violations(fake)
    assert found == [
        "cyclr_widgets._version imports cyclr_widgets.core: version -> core is not allowed",
        "cyclr_widgets.client._base imports cyclr_widgets.cli: client -> cli is not allowed",
        "cyclr_widgets.client._base imports ipywidgets (third-party, not for client)",
        "cyclr_widgets.client._sync_io imports cyclr_widgets.client._async_io: "
        "the sync twin imports the async one",
        "cyclr_widgets.core._models imports cyclr_widgets.client._sync: "
        "core -> client is not allowed",
        "cyclr_widgets.core._oauth imports httpx (third-party, not for core)",
        "cyclr_widgets.frames imports cyclr_widgets.widgets: frames -> widgets is not allowed",
        "cyclr_widgets.sandbox.routes._api imports cyclr_widgets.core._exceptions: "
        "sandbox -> core is not allowed",
        "cyclr_widgets.sandbox.routes._api imports pandas (third-party, not for sandbox)",
        "cyclr_widgets.sandbox.seed._seed imports cyclr_widgets.sandbox.store: "
        "sandbox seed -> store",
        "cyclr_widgets.widgets.oauth_popup imports cyclr_widgets.client: "
        "widgets -> client is not allowed",
    ]


def test_checker_accepts_the_allowed_arrows() -> None:
    fake = {
        "cyclr_widgets": {"cyclr_widgets.client", "cyclr_widgets.sandbox", "importlib"},
        "cyclr_widgets.cli._main": {"cyclr_widgets.sandbox", "cyclr_widgets.client._sync"},
        "cyclr_widgets.client._base": {"cyclr_widgets.frames", "cyclr_widgets._version"},
        "cyclr_widgets.client._sync": {"cyclr_widgets.client._sync_io", "httpx"},
        "cyclr_widgets.core._oauth": {"idna", "ipaddress"},
        "cyclr_widgets.sandbox.routes._api": {"cyclr_widgets.sandbox.seed", "starlette.routing"},
        "cyclr_widgets.widgets.oauth_popup": {"cyclr_widgets.core", "anywidget"},
    }
    assert violations(fake) == []


def test_every_kind_of_import_statement_is_seen() -> None:
    source = """
from __future__ import annotations
import json
from typing import TYPE_CHECKING
from .. import frames
from ..core import CyclrError
from . import _endpoints as ops
if TYPE_CHECKING:
    import pandas as pd
    from ..widgets.oauth_popup import OAuthPopup
def later():
    from ...elsewhere import thing
    import cyclr_widgets.sandbox
"""
    known = {"cyclr_widgets.frames", "cyclr_widgets.client._endpoints"}
    found = imports_in(source, "cyclr_widgets.client._base", False, known)
    assert found == {
        "__future__",
        "json",
        "typing",
        "cyclr_widgets.frames",
        "cyclr_widgets.core",
        "cyclr_widgets.client._endpoints",
        "pandas",
        "cyclr_widgets.widgets.oauth_popup",
        "elsewhere",
        "cyclr_widgets.sandbox",
    }
    # In a package's __init__, "." is the package itself.
    assert imports_in("from ._api import x", "cyclr_widgets.sandbox.routes", True, ()) == {
        "cyclr_widgets.sandbox.routes._api"
    }


# -- the JavaScript talks only to its model --------------------------------------------------

JS_FORBIDDEN = {
    "fetch(": re.compile(r"\bfetch\s*\("),
    "XMLHttpRequest": re.compile(r"XMLHttpRequest"),
    "WebSocket": re.compile(r"WebSocket"),
    "an absolute http(s) URL": re.compile(r"https?://", re.IGNORECASE),
}


def js_problems(name: str, text: str) -> list[str]:
    return [f"{name}: {what}" for what, pattern in JS_FORBIDDEN.items() if pattern.search(text)]


def js_sources() -> list[Path]:
    """The entry modules and their parts (what esbuild bundles), not the *.test.mjs."""
    return sorted([*(ROOT / "js").glob("*.js"), *(ROOT / "js" / "parts").glob("*.js")])


def test_widget_js_makes_no_network_calls() -> None:
    modules = js_sources()
    entries = [p.name for p in modules if p.parent.name == "js"]
    assert entries == [
        "account_explorer.js",
        "connector_browser.js",
        "connector_table.js",
        "oauth_popup.js",
    ]
    assert [problem for p in modules for problem in js_problems(p.name, p.read_text())] == []


@pytest.mark.parametrize(
    "snippet",
    [
        "await fetch(url)",
        "new XMLHttpRequest()",
        "new WebSocket(u)",
        "const api = 'https://api.cyclr.com';",
    ],
)
def test_js_check_catches(snippet: str) -> None:
    assert js_problems("x.js", f"export default {{ render() {{ {snippet} }} }};\n")


# -- ARCHITECTURE.md names every module ---------------------------------------------------------


def test_architecture_names_every_module() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text()
    missing = [
        str(path.relative_to(PKG_DIR))
        for path in sorted(PKG_DIR.rglob("*.py"))
        if f"`{path.relative_to(PKG_DIR).as_posix()}`" not in text
    ]
    assert missing == []


# -- the house rule on module size ----------------------------------------------------------------

MAX_LINES = 400
# The seed is mostly data tables.
TOO_LONG_FOR_NOW = {"sandbox/seed/_seed.py"}


def test_no_module_over_400_lines() -> None:
    long = {
        path.relative_to(PKG_DIR).as_posix(): n
        for path in PKG_DIR.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert {k: v for k, v in long.items() if k not in TOO_LONG_FOR_NOW} == {}


def test_no_js_module_over_400_lines() -> None:
    long = {p.name: n for p in js_sources() if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert long == {}
