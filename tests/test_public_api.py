"""The façade: sorted __all__, every name resolves, the client layer imports without pandas."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys

import pytest

import cyclr_widgets

CLIENT_LAYER = {
    "AccountConnector",
    "AsyncCyclrClient",
    "AuthValue",
    "AuthenticationError",
    "ConflictError",
    "CyclrClient",
    "CyclrError",
    "NotFoundError",
    "OutcomeUnknownError",
    "REGIONS",
    "RateLimitError",
    "ServerError",
    "SignInToken",
    "TransportError",
    "ValidationError",
    "oauth_url",
    "__version__",
}


def test_all_is_sorted_and_unique() -> None:
    assert cyclr_widgets.__all__ == sorted(set(cyclr_widgets.__all__))
    assert set(dir(cyclr_widgets)) >= set(cyclr_widgets.__all__)


@pytest.mark.parametrize("name", sorted(CLIENT_LAYER))
def test_client_layer_names_resolve(name: str) -> None:
    assert name in cyclr_widgets.__all__
    value = getattr(cyclr_widgets, name)
    if name not in ("REGIONS", "__version__"):
        assert value.__module__.startswith("cyclr_widgets.")


@pytest.mark.parametrize("name", sorted(set(cyclr_widgets.__all__) - CLIENT_LAYER))
def test_other_names_resolve_once_their_module_exists(name: str) -> None:
    # The widgets and the sandbox are built in parallel: skip while a module is missing or
    # does not define the name yet; strict as soon as the module defines it.
    module = cyclr_widgets._LAZY[name]
    if importlib.util.find_spec(module, "cyclr_widgets") is None:
        pytest.skip(f"{module} does not exist yet")
    mod = importlib.import_module(module, "cyclr_widgets")
    if not hasattr(mod, name):
        pytest.skip(f"{module} does not define {name} yet")
    assert getattr(cyclr_widgets, name) is getattr(mod, name)


def test_unknown_attribute() -> None:
    with pytest.raises(AttributeError):
        cyclr_widgets.does_not_exist  # noqa: B018


def test_private_modules_declare_all() -> None:
    modules = (
        "_exceptions", "_models", "_authvalue", "_oauth", "_auth", "_retry", "_paging",
        "_operation", "_endpoints", "_base", "_sync_io", "_async_io", "_client",
        "_async_client", "frames",
    )  # fmt: skip
    for module in modules:
        mod = importlib.import_module(f"cyclr_widgets.{module}")
        for name in mod.__all__:
            assert hasattr(mod, name), (module, name)


def test_client_import_does_not_import_pandas() -> None:
    code = (
        "import sys, cyclr_widgets\n"
        "from cyclr_widgets import CyclrClient, AsyncCyclrClient, oauth_url, AuthValue\n"
        "assert 'pandas' not in sys.modules, 'pandas imported'\n"
        "assert 'tqdm' not in sys.modules, 'tqdm imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
