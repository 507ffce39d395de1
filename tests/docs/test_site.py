"""The documentation site: built with no warning, complete, and holding no secret.

``scripts/build_docs.py`` runs once for the module (the tutorials executed against a sandbox of
its own, ``mkdocs build --strict``, its grep for every secret that sandbox used); the tests read
what it built. The grep itself is tested on planted secrets, without MkDocs.
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD_GUARD_S = 600  # bounds a hang only; the build takes well under a minute


def _build_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_docs", ROOT / "scripts/build_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pytest.importorskip("mkdocs", reason="the `docs` extra is not installed")
    tmp = tmp_path_factory.mktemp("docs")
    site, work = tmp / "site", tmp / "work"
    proc = subprocess.run(
        [sys.executable, "scripts/build_docs.py", "--site", str(site), "--work", str(work)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_GUARD_S,
    )
    return {
        "proc": proc,
        "site": site,
        "report": json.loads((work / "report.json").read_text()),
        "log": (work / "mkdocs.log").read_text(),
    }


def page(built: dict[str, Any], path: str) -> str:
    return (built["site"] / path / "index.html").read_text(encoding="utf-8")


@pytest.mark.kernel
def test_the_build_succeeds_quietly_with_no_warning(built: dict[str, Any]) -> None:
    proc, report = built["proc"], built["report"]
    assert proc.returncode == 0, proc.stderr
    assert report["ok"] and report["mkdocs_status"] == 0 and report["mkdocs_warnings"] == 0
    assert "WARNING" not in built["log"]
    # Quiet: one line of result, nothing on stderr (no kernel log lines, no Material banner).
    assert proc.stderr == ""
    assert proc.stdout.count("\n") == 1 and "no warning" in proc.stdout
    assert "MkDocs 2.0" not in built["log"] and "end of life" not in built["log"]


@pytest.mark.kernel
def test_the_pages_exist(built: dict[str, Any]) -> None:
    for path in (
        "",
        "getting-started",
        "client",
        "client-api",
        "dataframes",
        "widgets",
        "front-ends",
        "sandbox",
        "secrets",
        "troubleshooting",
        "tutorials/01_quickstart",
        "tutorials/02_explore_an_account",
        "tutorials/03_bring_your_own_oauth",
        "reference/client",
        "reference/async-client",
        "reference/errors",
        "reference/records",
        "reference/widgets",
        "reference/frames",
        "reference/sandbox",
        "reference/columns",
    ):
        assert (built["site"] / path / "index.html").is_file(), path
    assert (built["site"] / "search" / "search_index.json").is_file()


@pytest.mark.kernel
def test_the_api_reference_is_generated_from_the_docstrings(built: dict[str, Any]) -> None:
    from cyclr_widgets import CyclrClient

    client = page(built, "reference/client")
    public = [
        n for n in dir(CyclrClient) if not n.startswith("_") and callable(getattr(CyclrClient, n))
    ]
    assert len(public) > 30
    for name in public:
        assert f'id="cyclr_widgets.client.CyclrClient.{name}"' in client, name
    assert "Synchronous client for the Cyclr partner API." in client
    assert 'id="cyclr_widgets.client.AsyncCyclrClient.iter_connectors"' in page(
        built, "reference/async-client"
    )
    expected = {
        "reference/errors": [
            "CyclrError",
            "AuthenticationError",
            "AccessDeniedError",
            "IPRestrictionError",
            "ValidationError",
            "NotFoundError",
            "ConflictError",
            "RateLimitError",
            "ServerError",
            "TransportError",
            "OutcomeUnknownError",
        ],
        "reference/records": [
            "AuthValue",
            "AccountConnector",
            "AuthMethod",
            "SignInToken",
            "LaunchLink",
            "oauth_url",
            "signin_url",
            "webhook_url",
        ],
        "reference/widgets": [
            "OAuthPopup",
            "OAuthResult",
            "ConnectorBrowser",
            "AccountExplorer",
            "DataTable",
        ],
        "reference/sandbox": ["Sandbox"],
        "reference/frames": ["to_frame", "columns"],
    }
    for path, names in expected.items():
        text = page(built, path)
        for name in names:
            assert re.search(rf'id="[\w.]*\b{name}"', text), (path, name)
    assert "def wait" not in page(built, "reference/widgets")  # signatures, not source
    assert "wait(" in page(built, "reference/widgets")
    # The columns page is written from the code's schemas at build time.
    columns = page(built, "reference/columns")
    assert "<code>account_connectors</code>" in columns and "datetime64[ns, UTC]" in columns
    # The generated method list (scripts/api_reference.py) is a page of the site too.
    assert "install_connector(" in page(built, "client-api")


@pytest.mark.kernel
def test_the_tutorials_are_rendered_with_their_outputs(built: dict[str, Any]) -> None:
    quick = page(built, "tutorials/01_quickstart")
    assert '<table border="1" class="dataframe">' in quick  # a DataFrame, executed
    assert "acme-corp-0001" in quick and "authenticated: True" in quick
    assert "Interactive widget" in quick and "<code>OAuthPopup</code>" in quick
    assert "page/s]" not in quick  # the listings' progress bars are left out
    explore = page(built, "tutorials/02_explore_an_account")
    assert "Authorization: REDACTED" in explore and "is already a list member" in explore
    assert "data:image/png;base64," in explore  # the matplotlib chart
    own = page(built, "tutorials/03_bring_your_own_oauth")
    # Its own app's credentials went in, and came back masked.
    assert "own app" in own and "| authenticated: True" in own and "***" in own
    # The redirect flow ran too: the build's sandbox says CYCLR_SANDBOX=1, so the tutorial
    # played the customer's browser against the fake provider.
    assert "Cyclr sent the browser to: http://127.0.0.1:9/connected" in own
    for text in (quick, explore, own):
        assert "Traceback" not in text and "output_error" not in text


@pytest.mark.kernel
def test_no_secret_of_the_builds_sandbox_is_in_the_site(built: dict[str, Any]) -> None:
    report = built["report"]
    checked = report["secrets_checked"]
    # The grep had something to look for: what the tutorials made the sandbox issue.
    assert checked["client secret"] == 2 and checked["API token"] >= 3
    assert checked["sign-in token"] >= 1 and checked["AuthValue"] > 20
    assert checked["user password"] >= 1
    assert report["leaks"] == [] and report["output_leaks"] == []
    assert report["files_checked"] > 50
    # And independently of the build's own grep: the seed's credential shapes, and the default
    # sandbox secret, appear nowhere.
    from cyclr_widgets.sandbox import DEFAULT_CLIENT_SECRET

    pattern = re.compile(
        rb"sk_live_[0-9a-f]{8}|seed-[ar]t-[0-9a-f]{4}|" + DEFAULT_CLIENT_SECRET.encode()
    )
    hits = [p for p in built["site"].rglob("*") if p.is_file() and pattern.search(p.read_bytes())]
    assert hits == []


@pytest.mark.kernel
def test_the_site_fetches_nothing_from_the_internet(built: dict[str, Any]) -> None:
    # No fonts, scripts or stylesheets from a CDN (Material's `font: false`; no widget manager).
    external = re.compile(
        r'<(?:script|img|iframe)[^>]+src="https?://|<link[^>]+href="https?://[^"]+"[^>]*stylesheet'
        r'|<link[^>]+stylesheet[^>]+href="https?://|fonts\.googleapis|unpkg\.com|jsdelivr'
    )
    for path in built["site"].rglob("*.html"):
        assert not external.search(path.read_text(encoding="utf-8")), path


# -- the grep itself (no MkDocs, no kernel) ------------------------------------------------------


def test_the_grep_finds_every_written_form_of_a_secret(tmp_path: Path) -> None:
    build_docs = _build_docs()
    secret = 'tok+en/with&odd="chars"'
    (tmp_path / "a.html").write_text(f"<p>{html.escape(secret)}</p>")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.js").write_text(f'fetch("/x?t={quote(secret, safe="")}")')
    (tmp_path / "sub" / "c.json").write_text(json.dumps({"v": secret}))
    (tmp_path / "sub" / "d.txt").write_bytes(b"raw " + secret.encode())
    (tmp_path / "clean.html").write_text("nothing here")
    hits = build_docs.leaks(tmp_path, {"API token": {secret}, "other": {"absent-value"}})
    assert hits == [
        ("a.html", "API token"),
        ("sub/b.js", "API token"),
        ("sub/c.json", "API token"),
        ("sub/d.txt", "API token"),
    ]
    assert build_docs.leaks(tmp_path, {"API token": {"absent-value"}}) == []


def test_the_secrets_of_a_sandbox_are_listed(tmp_path: Path) -> None:
    from cyclr_widgets import CyclrClient, Sandbox

    build_docs = _build_docs()
    db = tmp_path / "sb.sqlite"
    with Sandbox(db=str(db), client_secret="docs-test-secret-123") as sb:
        client = CyclrClient.from_env(sb.environ)
        token = client.sign_in_token(sb.account_id)
        client.close()
    found = build_docs.sandbox_secrets(db, "docs-test-secret-123")
    assert "docs-test-secret-123" in found["client secret"]
    assert token.token in found["sign-in token"]
    assert len(found["API token"]) == 1
    assert found["user password"] and found["AuthValue"]
    # OAuth values are split into their tokens, Basic values into their password too.
    assert any(v.startswith("seed-at-") for v in found["AuthValue"])
    assert any(v.startswith("sk_live_") for v in found["AuthValue"])
