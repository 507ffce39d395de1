"""The façade: sorted __all__, every name resolves, the client layer imports without pandas."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import cyclr_widgets

CLIENT_LAYER = {
    "AccessDeniedError",
    "AccountConnector",
    "AuthMethod",
    "IPRestrictionError",
    "LaunchLink",
    "signin_url",
    "webhook_url",
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


def test_every_module_declares_all() -> None:
    # Every module but the version and the `python -m` entry point; the subpackages' __init__s
    # re-export what their private modules declare.
    root = Path(cyclr_widgets.__file__).parent
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts in (("_version",), ("__main__",)):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        module = ".".join(("cyclr_widgets", *parts))
        mod = importlib.import_module(module)
        assert len(set(mod.__all__)) == len(mod.__all__), module
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
