"""``docs/client-api.md`` lists every public method of the client and is not stale."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

from cyclr_widgets import CyclrClient

ROOT = Path(__file__).resolve().parents[1]


def test_the_generated_reference_is_current_and_complete() -> None:
    spec = importlib.util.spec_from_file_location(
        "api_reference", ROOT / "scripts/api_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "docs" / "client-api.md").read_text(encoding="utf-8")
    assert text == module.render(), "stale: run python scripts/api_reference.py"
    public = [n for n, _ in inspect.getmembers(CyclrClient, callable) if not n.startswith("_")]
    assert len(public) > 30
    for name in public:
        assert f"- `{name}(" in text, name
    assert "docs/client-api.md" in (ROOT / "README.md").read_text(encoding="utf-8")
