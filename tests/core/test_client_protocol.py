"""The typed seam between the widgets and the client: mypy holds both sides to the Protocols.

``cyclr_widgets.core.WidgetClient`` (and its parts ``PopupClient``, ``BrowserClient``,
``ExplorerClient``) declare what the widgets call. ``client/_sync.py`` makes mypy prove that
``CyclrClient`` satisfies it; here mypy is run on small files to show that it would report a client
missing a method or with an incompatible one, that ``CyclrClient`` passes, and that the fakes the
widget tests drive the widgets with conform too (structurally: none inherits from a Protocol).
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest

from cyclr_widgets.core import BrowserClient, ExplorerClient, PopupClient, WidgetClient

api = pytest.importorskip("mypy.api")

ROOT = Path(__file__).resolve().parents[2]

CONFORMS = """
from cyclr_widgets.client import CyclrClient
from cyclr_widgets.core import BrowserClient, ExplorerClient, PopupClient, WidgetClient
from cyclr_widgets.widgets import AccountExplorer, ConnectorBrowser, OAuthPopup
from tests.support.oauth_popup import FakeClient as PopupFake
from tests.support.explorer import FakeClient as ExplorerFake
from tests.widgets.test_connector_browser import FakeClient as BrowserFake


def real(client: CyclrClient) -> WidgetClient:
    return client


def fakes(p: PopupFake, b: BrowserFake, e: ExplorerFake) -> None:
    popup: PopupClient = p
    browser: BrowserClient = b
    explorer: ExplorerClient = e
    OAuthPopup(p, "acct", 1)
    ConnectorBrowser(b, "acct")
    AccountExplorer(e, "acct")
"""

VIOLATIONS = '''
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cyclr_widgets.core import AccountConnector, AuthValue, SignInToken
from cyclr_widgets.widgets import AccountExplorer


class NoCycles:
    """Every method AccountExplorer calls but iter_cycles."""

    service_url: str | None = None

    def sign_in_token(self, account_id: str, username: str | None = "u") -> SignInToken:
        raise NotImplementedError

    def account_connector(self, account_id: str, ac_id: int) -> AccountConnector:
        raise NotImplementedError

    def iter_accounts(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        return iter([])

    def iter_account_connectors(self, account_id: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        return iter([])

    def iter_incidents(
        self, account_id: str, level: str = "error", **kwargs: Any
    ) -> Iterator[dict[str, Any]]:
        return iter([])

    def connector(self, connector_id: int, *, account_id: str) -> dict[str, Any]:
        return {}

    def update_account_connector(
        self, account_id: str, ac_id: int, *, auth_value: AuthValue | None = None
    ) -> AccountConnector:
        raise NotImplementedError

    def account(self, account_id: str) -> dict[str, Any]:
        return {}

    def iter_transactions(self, account_id: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
        return iter([])

    def iter_transaction_steps(self, a: str, c: str, t: str, **kw: Any) -> Iterator[dict[str, Any]]:
        return iter([])

    def iter_step_field_mappings(self, a: str, s: str, **kw: Any) -> Iterator[dict[str, Any]]:
        return iter([])

    def iter_step_parameters(self, a: str, s: str, **kw: Any) -> Iterator[dict[str, Any]]:
        return iter([])

    def iter_cycle_variables(self, a: str, c: str, **kw: Any) -> Iterator[dict[str, Any]]:
        return iter([])

    def cycle_prerequisites(self, account_id: str, cycle_id: str) -> list[dict[str, Any]]:
        return []

    def activate_cycle(self, a: str, c: str, *, run_once: bool | None = None) -> None: ...

    def deactivate_cycle(self, account_id: str, cycle_id: str) -> None: ...

    def clear_cycle_incidents(self, account_id: str, cycle_id: str) -> None: ...

    def support_bundle(self, account_id: str, path: str | Path, **kw: Any) -> Path:
        return Path(path)

    def deauthenticate_account_connector(self, a: str, ac_id: int) -> str | None:
        return None

    def iter_account_connector_properties(
        self, a: str, ac_id: int, **kw: Any
    ) -> Iterator[dict[str, Any]]:
        return iter([])

    def add_account_connector_property(
        self, a: str, ac_id: int, name: str, value: AuthValue | str
    ) -> dict[str, Any]:
        return {}

    def update_account_connector_property(
        self, a: str, ac_id: int, pid: int, value: AuthValue | str, *, name: str | None = None
    ) -> dict[str, Any]:
        return {}

    def iter_account_health(
        self, accounts: Any, *, window: str = "24h", should_stop: Any = None
    ) -> Iterator[dict[str, Any]]:
        return iter([])


class CyclesAsFrame(NoCycles):
    """iter_cycles returns something else than records."""

    def iter_cycles(self, account_id: str, **kwargs: Any) -> list[str]:
        return []


class NoProgress(NoCycles):
    """iter_cycles does not take the progress= the widget passes."""

    def iter_cycles(self, account_id: str) -> Iterator[dict[str, Any]]:
        return iter([])


AccountExplorer(NoCycles())  # line 107
AccountExplorer(CyclesAsFrame())  # line 108
AccountExplorer(NoProgress())  # line 109
'''


@pytest.fixture(scope="module")
def mypy_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """One mypy run over both files: ``{file name: [its error and note lines]}``."""
    tmp = tmp_path_factory.mktemp("protocol")
    files = {"conforms.py": CONFORMS, "violations.py": VIOLATIONS}
    for name, text in files.items():
        (tmp / name).write_text(textwrap.dedent(text).lstrip())
    args = [
        *(str(tmp / name) for name in files),
        "--config-file", str(ROOT / "pyproject.toml"),
        "--follow-imports", "silent",  # errors in the imported test modules are not the point
        "--cache-dir", str(tmp / ".mypy_cache"),
        "--no-error-summary",
        "--show-error-codes",
    ]  # fmt: skip
    cwd = os.getcwd()
    os.chdir(ROOT)  # so that `cyclr_widgets` and `tests` resolve to this checkout
    try:
        stdout, stderr, _status = api.run(args)
    finally:
        os.chdir(cwd)
    assert stderr == "", stderr
    report: dict[str, list[str]] = {name: [] for name in files}
    for line in stdout.splitlines():
        name = Path(line.split(":", 1)[0]).name
        if name in report:
            report[name].append(line)
    return report


def test_cyclr_client_and_the_test_fakes_satisfy_the_protocols(
    mypy_report: dict[str, list[str]],
) -> None:
    assert mypy_report["conforms.py"] == []  # not an error, not even a note


def test_mypy_reports_a_client_missing_a_method_or_with_an_incompatible_one(
    mypy_report: dict[str, list[str]],
) -> None:
    report = mypy_report["violations.py"]
    errors = [line for line in report if ": error:" in line]
    lines = {int(m.group(1)) for e in errors if (m := re.search(r"\.py:(\d+):", e))}
    assert lines == {107, 108, 109}, report
    assert all("[arg-type]" in e and '"ExplorerClient"' in e for e in errors), report
    text = "\n".join(report)
    assert '"NoCycles" is missing following "ExplorerClient" protocol member' in text
    assert text.count("def iter_cycles(") == 4  # expected vs got, for each of the two conflicts
    assert "-> list[str]" in text and "def iter_cycles(self, account_id: str) ->" in text


def test_the_protocols_nest() -> None:
    # WidgetClient is everything; the widgets each ask only for their part.
    for part in (PopupClient, BrowserClient, ExplorerClient):
        assert part in WidgetClient.__mro__
    assert PopupClient in BrowserClient.__mro__ and PopupClient in ExplorerClient.__mro__
