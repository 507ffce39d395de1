"""Fixtures for the real-browser tests: Jupyter servers, a Playwright chromium, failure artifacts.

The servers and page helpers are in ``harness/jupyter.py``. Every test in this directory gets the
``browser`` marker. Without chromium or playwright the tests are skipped with a reason, except under
``CI=true``, where that is a failure: a broken install step must never hide as a skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from harness.jupyter import (
    FIRST_RENDER_MS,
    REPO_ROOT,
    STEP_MS,
    JupyterServer,
    ServerSpec,
    as_spec,
    cell,
    chromium_executable,
    launch_chromium,
    open_notebook,
    output_text,
    run_cell,
    start_server,
    wait_cell_done,
    wait_json_file,
    wait_output,
    write_notebook,
)

# The test process talks to the sandbox with the real client; an editable install is the normal
# way (scripts/test.sh), this keeps a bare `pytest tests/browser` from a checkout working too.
if str(REPO_ROOT) not in sys.path:
    try:
        import cyclr_widgets  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO_ROOT))

HERE = Path(__file__).resolve().parent
IN_CI = os.environ.get("CI", "").lower() == "true"

# Notebook 7.6 always throws this one page error, with or without our widgets.
BENIGN_PAGE_ERRORS = (re.compile(r"reading 'schema'"),)

_RECORDER_KEY = pytest.StashKey["BrowserRecorder"]()
_SERVER_KEY = pytest.StashKey["JupyterServer"]()


# --- markers ----------------------------------------------------------------------------------


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if _in_this_dir(item):
            item.add_marker(pytest.mark.browser)


# --- skip rule --------------------------------------------------------------------------------


def _missing_browser_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    exe = chromium_executable()
    if not (os.path.isfile(exe) and os.access(exe, os.X_OK)) and not shutil.which(exe):
        return (
            f"Chromium not found at {exe} (apt-get install -y chromium, or set CYCLR_CHROMIUM); "
            "Playwright's own browser download cannot be used here"
        )
    return None


def require_browser() -> None:
    reason = _missing_browser_reason()
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"browser tests cannot run under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


# --- Playwright -------------------------------------------------------------------------------


class _SharedBrowser:
    """One Playwright driver + headless chromium shared by all the browser tests of a session.

    Not a plain session-scoped fixture on purpose: the sync Playwright API runs its asyncio loop
    in a greenlet, and while it is alive every later ``asyncio.run()`` / anyio test in the same
    process fails with "Cannot run the event loop while another loop is running". So it is
    started on first use and stopped as soon as the run leaves this directory (see
    ``pytest_runtest_teardown`` below), and started again if browser tests come back.
    """

    def __init__(self) -> None:
        self._pw: Any = None
        self._browser: Any = None

    def get(self) -> Any:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._pw = sync_playwright().start()
            try:
                self._browser = launch_chromium(self._pw)
            except BaseException:
                self.stop()
                raise
        return self._browser

    def stop(self) -> None:
        browser, pw, self._browser, self._pw = self._browser, self._pw, None, None
        try:
            if browser is not None:
                browser.close()
        finally:
            if pw is not None:
                pw.stop()


_SHARED = _SharedBrowser()


@pytest.fixture
def browser() -> Any:
    """The shared headless chromium (session-wide, popup blocker ON)."""
    require_browser()
    return _SHARED.get()


def _in_this_dir(item: pytest.Item | None) -> bool:
    return item is not None and HERE in Path(str(item.path)).resolve().parents


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    result = yield  # fixtures of `item` are torn down by now (contexts closed)
    if not _in_this_dir(nextitem):
        _SHARED.stop()
    return result


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _SHARED.stop()  # e.g. after a Ctrl-C or -x stop in the middle of the browser tests


@dataclass
class BrowserRecorder:
    """Collects every page of a context (popups included), console messages and page errors."""

    artifact_dir: Path
    pages: list[Any] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    t0: float = field(default_factory=time.monotonic)

    def _stamp(self) -> str:
        return f"{time.monotonic() - self.t0:7.2f}s"

    def add_page(self, page: Any) -> None:
        idx = len(self.pages)
        self.pages.append(page)
        self.console.append(f"{self._stamp()} [page {idx}] opened {page.url}")
        page.on(
            "console",
            lambda m: self.console.append(f"{self._stamp()} [page {idx}] {m.type}: {m.text}"),
        )
        page.on("pageerror", lambda e: self._page_error(idx, e))
        page.on(
            "framenavigated",
            lambda f: (
                f == page.main_frame
                and self.console.append(f"{self._stamp()} [page {idx}] navigated {_redact(f.url)}")
            ),
        )
        page.on("close", lambda _p: self.console.append(f"{self._stamp()} [page {idx}] closed"))

    def _page_error(self, idx: int, err: Any) -> None:
        text = f"{err}"
        self.page_errors.append(text)
        self.console.append(f"{self._stamp()} [page {idx}] PAGEERROR: {text}")

    def unexpected_page_errors(self) -> list[str]:
        return [e for e in self.page_errors if not any(p.search(e) for p in BENIGN_PAGE_ERRORS)]

    def dump(self, extra_logs: Mapping[str, str] | None = None) -> Path:
        self.artifact_dir.mkdir(parents=True, exist_ok=True)
        for i, page in enumerate(self.pages):
            if page.is_closed():
                continue
            try:
                page.screenshot(path=str(self.artifact_dir / f"page{i}.png"), timeout=5_000)
            except Exception as exc:  # a crashed page must not hide the original failure
                self.console.append(f"[page {i}] screenshot failed: {exc}")
        (self.artifact_dir / "console.log").write_text("\n".join(self.console) + "\n")
        for name, text in (extra_logs or {}).items():
            (self.artifact_dir / name).write_text(text)
        return self.artifact_dir


def _redact(url: str) -> str:
    # Sign-in tokens are single-use secrets; keep them out of logs even in a test run.
    return re.sub(r"(token=)[^&]+", r"\1***", url)


@pytest.fixture
def recorder(request: pytest.FixtureRequest, tmp_path: Path) -> BrowserRecorder:
    rec = BrowserRecorder(artifact_dir=tmp_path / "browser-artifacts")
    request.node.stash[_RECORDER_KEY] = rec
    return rec


@pytest.fixture
def context(browser: Any, recorder: BrowserRecorder) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(STEP_MS)  # a hang guard: waits end on readiness
    ctx.on("page", recorder.add_page)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: Any) -> Any:
    # context.on("page") sees this page too, so the recorder has it as page 0.
    return context.new_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    rep = yield
    if rep.when in ("setup", "call") and rep.failed:
        rec = item.stash.get(_RECORDER_KEY, None)
        server = item.stash.get(_SERVER_KEY, None)
        if rec is not None:
            logs = {f"jupyter-{server.app}.log": server.log_text()} if server else {}
            # Runs before fixture teardown: the pages (and popups) are still open.
            path = rec.dump(logs)
            rep.sections.append(("browser artifacts", f"screenshots and console log: {path}"))
            sys.stderr.write(f"\nbrowser artifacts for {item.nodeid}: {path}\n")
    return rep


# --- Jupyter ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Any]:
    """A sandbox with the default seed for this test module (override for another one).

    A module whose notebooks reach it overrides ``kernel_env`` to return ``sandbox.environ``.
    """
    from cyclr_widgets import Sandbox

    sb = Sandbox().start()
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture(scope="module")
def kernel_env() -> dict[str, str]:
    """Extra environment for the Jupyter server, inherited by its kernels.

    Override in a test module (e.g. to return ``sandbox.environ``, the CYCLR_* variables) so that
    ``CyclrClient.from_env()`` in the notebook reaches the sandbox started by the test process.
    """
    return {}


@pytest.fixture(scope="module")
def jupyter_server(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    kernel_env: dict[str, str],
) -> Iterator[JupyterServer]:
    """A Jupyter server per front end per module (indirect parameter: "lab", "notebook" or a
    :class:`ServerSpec`). Tests get fresh notebooks and kernels through ``notebook_factory``."""
    require_browser()  # no point starting Jupyter for a test that will be skipped
    spec = as_spec(getattr(request, "param", None))
    workdir = tmp_path_factory.mktemp(f"jupyter-{spec.id}")
    results = workdir / "results"
    results.mkdir()
    env = {**kernel_env, "CYCLR_TEST_RESULTS_DIR": str(results)}
    server = start_server(spec, workdir, extra_env=env)
    try:
        yield server
    finally:
        server.stop()


@dataclass
class NotebookSession:
    """One notebook opened in a page, with the helpers the tests use."""

    page: Any
    server: JupyterServer
    name: str
    path: Path
    result_path: Path

    def cell(self, i: int) -> Any:
        return cell(self.page, i)

    def run(self, i: int, wait: bool = True, timeout_ms: int = STEP_MS) -> None:
        run_cell(self.page, i, wait=wait, timeout_ms=timeout_ms)

    def wait_done(self, i: int, timeout_ms: int = STEP_MS) -> str:
        return wait_cell_done(self.page, i, timeout_ms=timeout_ms)

    def output(self, i: int) -> str:
        return output_text(self.page, i)

    def wait_output(self, i: int, pattern: str, timeout_ms: int = STEP_MS) -> str:
        return wait_output(self.page, i, pattern, timeout_ms=timeout_ms)

    def result(
        self, timeout: float = STEP_MS / 1000, predicate: Callable[[Any], bool] | None = None
    ) -> Any:
        """The JSON the kernel wrote to ``$CYCLR_TEST_RESULTS_DIR/<notebook>.json``."""
        return wait_json_file(self.result_path, timeout=timeout, predicate=predicate)

    def read_ipynb(self) -> dict[str, Any]:
        return json.loads(self.path.read_text())


@pytest.fixture
def notebook_factory(
    request: pytest.FixtureRequest, jupyter_server: JupyterServer, page: Any
) -> Iterator[Callable[..., NotebookSession]]:
    """Write a fresh notebook, open it in ``page`` and wait for its kernel.

    The kernel code finds its result file as
    ``os.path.join(os.environ["CYCLR_TEST_RESULTS_DIR"], RESULT_NAME)``; ``{result_name}`` in the
    cell sources is replaced by that file name.
    """
    request.node.stash[_SERVER_KEY] = jupyter_server
    opened: list[str] = []
    base = re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name)[:60]

    def make(cells: Sequence[str], name: str | None = None, open_: bool = True) -> NotebookSession:
        nb_name = f"{name or base}_{len(opened)}.ipynb"
        result_name = nb_name.replace(".ipynb", ".json")
        sources = [c.replace("{result_name}", result_name) for c in cells]
        path = write_notebook(jupyter_server.root_dir / nb_name, sources)
        results_dir = Path(jupyter_server.env["CYCLR_TEST_RESULTS_DIR"])
        (results_dir / result_name).unlink(missing_ok=True)
        opened.append(nb_name)
        if open_:
            open_notebook(page, jupyter_server, nb_name, workspace=nb_name.replace(".ipynb", ""))
        return NotebookSession(page, jupyter_server, nb_name, path, results_dir / result_name)

    yield make
    # Fresh kernel per test: stop this test's kernels so the module-scoped server stays lean.
    for nb_name in opened:
        jupyter_server.shutdown_sessions(nb_name)


__all__ = ["FIRST_RENDER_MS", "BrowserRecorder", "NotebookSession", "ServerSpec"]


# -- Cyclr fixtures shared by the test modules (each module starts its own `sandbox`) --------


@pytest.fixture
def signin_urls(context: Any) -> list[str]:
    """Every sign-in URL (service domain, with its single-use token) the browser requested."""
    seen: list[str] = []

    def on_request(req: Any) -> None:
        if "updateaccountconnectoroauth" in req.url:
            seen.append(req.url)

    context.on("request", on_request)
    return seen


@pytest.fixture(scope="module")
def client(sandbox: Any) -> Iterator[Any]:
    from cyclr_widgets import CyclrClient

    c = CyclrClient.from_env(sandbox.environ)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def oauth_ac(request: pytest.FixtureRequest, sandbox: Any, client: Any) -> int:
    """A fresh, unauthenticated OAuth2 (authorisation code) account connector per test."""
    connector_id = sandbox.ids["oauth2_code_connector_ids"][0]
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    ac = client.install_connector(
        sandbox.account_id, connector_id, name=f"{module} {request.node.name}"[:60]
    )
    assert ac.authenticated is False
    return int(ac.id)


# --- marimo -------------------------------------------------------------------------------------


@pytest.fixture
def serve_marimo(tmp_path: Path, sandbox: Any, recorder: Any) -> Iterator[Callable[..., Any]]:
    """Start ``marimo <mode>`` on an app (cells, or an existing file) with the sandbox's env.

    ``harness.marimo_flow.marimo_servers``: every server is stopped after the test.
    """
    from harness.marimo_flow import marimo_servers

    with marimo_servers(tmp_path, sandbox, recorder) as start:
        yield start
