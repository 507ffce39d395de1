"""``await popup`` in a real IPython kernel, the test acting as the front end.

``wait()`` in a real kernel is in ``test_kernel_wait.py``.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from tests.support.kernel import drive, has_error, kernel, new_widget

__all__ = ["kernel"]  # the fixture, imported for pytest

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.skipif(sys.platform == "win32", reason="loopback kernel test"),
]


@pytest.mark.needs_ipykernel(
    ">=7.4",
    reason="only ipykernel 7.4+ handles comm messages while a cell awaits (7.4 needs Python 3.11+)",
)
def test_await_in_the_same_cell(kernel: Any) -> None:
    model_id = new_widget(kernel)
    seen = drive(
        kernel,
        model_id,
        'print("WAITING", flush=True); r = await w; print("RESULT", r.status); print("DONE")',
        until=lambda seen: "DONE" in seen or has_error(seen),
    )
    assert "RESULT authenticated" in seen and "DONE" in seen, seen
