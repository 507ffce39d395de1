"""Build the documentation site, with the tutorials executed, and prove it holds no secret.

1. Start a :class:`~cyclr_widgets.Sandbox` of its own (a random client secret, its state in an
   SQLite file so that every credential it issued can be listed afterwards).
2. Execute ``notebooks/0*.ipynb`` against it with nbclient (the kernels get the sandbox's
   ``CYCLR_*`` variables, as ``cyclr-widgets lab`` gives them), into ``<work>/tutorials/``.
3. ``mkdocs build --strict`` (a warning is an error) into ``site/``; mkdocs-jupyter renders the
   executed notebooks as they are (``execute: false`` in ``mkdocs.yml``).
4. Grep every built file for every secret that sandbox used: its client secret, the API tokens
   and sign-in tokens it issued, the users' passwords, every stored ``AuthValue`` (API keys,
   Basic credentials, OAuth tokens) and secret-looking properties. Credentials the tutorials
   type in their own code (``AuthValue.api_key("demo-api-key-123")``) are shown as code on
   purpose: those must be absent from every *output* of the executed notebooks instead.

Why nbclient here rather than mkdocs-jupyter's ``execute: true``: the build needs the sandbox's
state after the run (to list what it issued), one place that fails on an error in a cell, and
a ``mkdocs serve`` that re-renders in a second without a sandbox or a kernel.

Usage: ``python scripts/build_docs.py [--site DIR] [--work DIR]``. Exit status 0 when the site
was built without a warning and no secret was found; the summary goes to
``<work>/report.json`` (counts only, never a secret).
"""

from __future__ import annotations

import argparse
import base64
import html
import json
import os
import re
import secrets
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ("01_quickstart.ipynb", "02_explore_an_account.ipynb", "03_bring_your_own_oauth.ipynb")
HANG_GUARD_S = 180  # bounds a hung cell or kernel start only; a run takes seconds
# Shorter strings could match ordinary text by chance; every issued credential is far longer.
MIN_SECRET_LEN = 6
SECRET_NAME = re.compile(r"(?i)secret|password|token|api_?key|authvalue")


# -- the secrets a sandbox used -----------------------------------------------------------------


def sandbox_secrets(db_path: Path, client_secret: str) -> dict[str, set[str]]:
    """Every credential in a stopped sandbox's SQLite file, by kind (the values themselves).

    The default client secret of every other sandbox counts too: a page showing it would teach
    readers to paste secrets into documents.
    """
    from cyclr_widgets.sandbox import DEFAULT_CLIENT_SECRET

    found: dict[str, set[str]] = {"client secret": {client_secret, DEFAULT_CLIENT_SECRET}}
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = {
            "API token": "SELECT token FROM api_tokens",
            "sign-in token": "SELECT token FROM signin_tokens",
            "user password": "SELECT password FROM users",
            "OAuth state": "SELECT state FROM oauth_states",
            "provider code": "SELECT code FROM provider_codes",
        }
        for kind, sql in rows.items():
            found[kind] = {r[0] for r in db.execute(sql) if r[0]}
        found["AuthValue"] = set()
        for (value,) in db.execute("SELECT auth_value FROM account_connectors"):
            found["AuthValue"] |= _auth_value_parts(value)
        found["secret property"] = {
            value
            for name, value in db.execute("SELECT name, value FROM properties")
            if value and SECRET_NAME.search(name or "")
        }
    finally:
        db.close()
    return {kind: {v for v in values if len(v) >= MIN_SECRET_LEN} for kind, values in found.items()}


def _auth_value_parts(value: str | None) -> set[str]:
    """The value and what it holds: OAuth tokens of a JSON value, a Basic value's password."""
    if not value:
        return set()
    parts = {value}
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        parts |= {str(v) for k, v in parsed.items() if SECRET_NAME.search(k) and v}
    else:
        try:
            user_pass = base64.b64decode(value, validate=True).decode()
        except ValueError:
            user_pass = ""
        if ":" in user_pass:
            parts |= {user_pass, user_pass.split(":", 1)[1]}
    return parts


def variants(secret: str) -> set[str]:
    """The ways a secret can be written into a page: as is, HTML-escaped, URL- and JSON-encoded."""
    return {secret, html.escape(secret), quote(secret, safe=""), json.dumps(secret)[1:-1]}


def leaks(root: Path, found: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """``(file, kind)`` for every file under ``root`` holding a secret; never the secret."""
    needles = [
        (kind, v.encode()) for kind, values in found.items() for s in values for v in variants(s)
    ]
    hits = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for kind in sorted({kind for kind, needle in needles if needle in data}):
            hits.append((path.relative_to(root).as_posix(), kind))
    return hits


# -- the tutorials ------------------------------------------------------------------------------


def execute_tutorials(env: Mapping[str, str], out_dir: Path, scratch: Path) -> dict[str, float]:
    """Run each tutorial top to bottom into ``out_dir``; return the seconds each took."""
    out_dir.mkdir(parents=True, exist_ok=True)
    timings = {}
    # The kernels' own log lines (e.g. ipykernel's note on TCP without encryption, on loopback
    # here) go to a file, so that the build prints only its result.
    with (scratch / "kernels.log").open("w") as kernel_log:
        for name in TUTORIALS:
            started = time.monotonic()
            _execute(ROOT / "notebooks" / name, out_dir / name, env, scratch, kernel_log)
            timings[name] = round(time.monotonic() - started, 1)
    return timings


def _execute(
    source: Path, target: Path, env: Mapping[str, str], scratch: Path, kernel_log: IO[str]
) -> None:
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(source, as_version=4)
    # An error in a cell raises here (allow_errors is off): the build fails, naming it.
    NotebookClient(
        nb,
        timeout=HANG_GUARD_S,
        startup_timeout=HANG_GUARD_S,
        kernel_name="python3",
        # The widget state would make the page load a widget manager from a CDN, and a widget
        # does nothing on a static page anyway: each view is described by a note instead.
        store_widget_state=False,
        resources={"metadata": {"path": str(scratch)}},
    ).execute(env=dict(env), stderr=kernel_log)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [_describe_widget(o) for o in cell.outputs if not _progress_bar(o)]
    nbformat.write(nb, target)


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NAME = re.compile(r"\b(OAuthPopup|ConnectorBrowser|AccountExplorer|DataTable)\b")
# The links are relative to a tutorial's page (tutorials/<name>/index.html).
WIDGET_NOTE = (
    '<div class="admonition note"><p class="admonition-title">Interactive widget</p>'
    "<p>The <code>{name}</code> widget shows here when the notebook runs in JupyterLab, "
    'Notebook 7, VS Code, Colab or marimo: see <a href="../../widgets/">Widgets</a> and '
    '<a href="../../front-ends/">Front ends</a>. A static page has no kernel for it to talk '
    "to.</p></div>"
)


def _progress_bar(output: Any) -> bool:
    """Whether an output is a listing's progress bar (a tqdm widget with ``unit="page"``).

    Those bars are made with ``leave=False``: in a live notebook they vanish when the listing
    is done, so the page leaves them out too (their text form would show them stuck at 0 %).
    ``TQDM_DISABLE`` cannot do it: tqdm's notebook bar passes ``disable`` explicitly.
    """
    data = output.get("data", {})
    return WIDGET_VIEW in data and "page/s]" in str(data.get("text/plain", ""))


def _describe_widget(output: Any) -> Any:
    """A widget view (empty on a static page) becomes a note naming the widget."""
    data = output.get("data", {})
    if WIDGET_VIEW in data:
        match = WIDGET_NAME.search(str(data.get("text/plain", "")))
        name = match.group(1) if match else "widget"
        output["data"] = {"text/html": WIDGET_NOTE.format(name=name), "text/plain": f"[{name}]"}
    return output


def typed_in_tutorials(found: Mapping[str, Iterable[str]]) -> set[str]:
    """Secrets that a tutorial's own code types in (shown as code on purpose)."""
    sources = "\n".join(
        "".join(cell["source"])
        for name in TUTORIALS
        for cell in json.loads((ROOT / "notebooks" / name).read_text())["cells"]
        if cell["cell_type"] == "code"
    )
    return {s for values in found.values() for s in values if s in sources}


def output_leaks(out_dir: Path, typed: Iterable[str]) -> list[str]:
    """Tutorials with an output holding one of ``typed``."""
    bad = []
    for name in TUTORIALS:
        cells = json.loads((out_dir / name).read_text())["cells"]
        text = json.dumps([c.get("outputs", []) for c in cells])
        if any(v in text for s in typed for v in variants(s)):
            bad.append(name)
    return bad


# -- mkdocs -------------------------------------------------------------------------------------


def mkdocs_build(site: Path, tutorials: Path) -> tuple[int, str]:
    """``mkdocs build --strict`` into ``site``; return its exit status and its log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CYCLR_")}
    # Material for MkDocs 9.7+ prints a banner about its end of life and MkDocs 2.0 to stderr
    # on every run (material/templates/__init__.py); this variable is its documented switch.
    # It is not a logging warning, so --strict would pass anyway: this keeps the log quiet.
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["CYCLR_DOCS_TUTORIALS"] = str(tutorials)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean", "--site-dir", str(site)]
    proc = subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=HANG_GUARD_S
    )
    return proc.returncode, proc.stdout + proc.stderr


def main(argv: list[str] | None = None) -> int:
    """Build the site; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="output folder")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "docs", help="scratch")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # this checkout's package, whatever is installed
    from cyclr_widgets import Sandbox

    work: Path = args.work.resolve()
    site: Path = args.site.resolve()
    tutorials = work / "tutorials"
    (work / "scratch").mkdir(parents=True, exist_ok=True)
    db = work / "sandbox.sqlite"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    report: dict[str, object] = {}
    started = time.monotonic()

    # A secret of its own, so that nothing can hold it by chance (the default one is in the
    # package's source, and so in the API reference's signatures).
    client_secret = "docs-" + secrets.token_urlsafe(24)
    sandbox = Sandbox(db=str(db), client_secret=client_secret).start()
    try:
        env = {**os.environ, **sandbox.environ, "PYTHONPATH": str(ROOT)}
        report["tutorial_seconds"] = execute_tutorials(env, tutorials, work / "scratch")
    finally:
        sandbox.stop()
    found = sandbox_secrets(db, client_secret)
    typed = typed_in_tutorials(found)
    shown_as_code = {kind: values - typed for kind, values in found.items()}

    status, log = mkdocs_build(site, tutorials)
    (work / "mkdocs.log").write_text(log)
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    report.update(
        mkdocs_status=status,
        mkdocs_warnings=len(warnings),
        secrets_checked={kind: len(values) for kind, values in shown_as_code.items()},
        typed_by_tutorials=len(typed),
    )
    failures = []
    if status != 0 or warnings:
        failures.append(f"mkdocs build --strict failed (status {status}):\n{log}")
    else:
        hits = leaks(site, shown_as_code)
        report["files_checked"] = sum(1 for p in site.rglob("*") if p.is_file())
        report["leaks"] = [f"{kind} in {path}" for path, kind in hits]
        failures += [f"a {kind} of the build's sandbox is in {path}" for path, kind in hits]
    bad_outputs = output_leaks(tutorials, typed)
    report["output_leaks"] = bad_outputs
    failures += [f"an output of {name} shows a credential its code typed" for name in bad_outputs]
    report["seconds"] = round(time.monotonic() - started, 1)
    report["ok"] = not failures
    (work / "report.json").write_text(json.dumps(report, indent=2))
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    n = sum(report["secrets_checked"].values())  # type: ignore[union-attr]
    print(
        f"Built {site} in {report['seconds']} s: tutorials executed against the sandbox, "
        f"no warning, none of its {n} secrets in {report['files_checked']} files."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
