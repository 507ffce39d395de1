"""``wait()`` in a real IPython kernel: it blocks its cell yet still handles widget messages.

What no in-process test can check: which pump works depends on how the installed ipykernel reads
its shell channel (ipykernel 6 reads it on the main thread, 7.x on a shell-channel thread, and
7.0 kept ``do_one_iteration`` although nothing passes through it any more). ``scripts/matrix.sh``
runs this file on ipykernel 6.29, 7.0 and the newest 7.x; the main suite on whatever it has.
"""

from __future__ import annotations

import importlib.metadata
import sys
from typing import Any

import pytest

from tests.support.kernel import KERNEL_WAIT_S, drive, has_error, kernel, new_widget, run

__all__ = ["kernel"]  # the fixture, imported for pytest

pytestmark = [
    pytest.mark.kernel,
    pytest.mark.skipif(sys.platform == "win32", reason="loopback kernel test"),
]


def test_the_kernel_runs_this_environment(kernel: Any) -> None:
    # The ipykernel under test is this environment's, not some other python3 kernelspec's.
    out = run(kernel, "import sys, ipykernel; print(sys.prefix); print(ipykernel.__version__)")
    assert out.split() == [sys.prefix, importlib.metadata.version("ipykernel")]


def test_wait_handles_widget_messages_and_the_queued_cell_runs_after(kernel: Any) -> None:
    model_id = new_widget(kernel)
    seen = drive(
        kernel,
        model_id,
        f'print("WAITING", flush=True); r = w.wait(timeout={KERNEL_WAIT_S}); '
        'print("RESULT", r.status)',
        then='print("NEXT")',
        until=lambda seen: "NEXT" in seen or has_error(seen),
    )
    assert not has_error(seen), seen
    assert "begin:ok" in seen and "end" in seen, seen
    assert seen.index("RESULT authenticated") < seen.index("NEXT"), seen  # the queued cell: after


NO_PUMP = """
import contextlib
from cyclr_widgets.widgets import _rpc
_real_ui_events = _rpc._ui_events
_rpc._ui_events = lambda: contextlib.nullcontext(lambda n: None)  # polls that read nothing
"""


def test_wait_fails_clearly_where_no_pump_works_and_loses_nothing(kernel: Any) -> None:
    # Stands in for a kernel that changed again (as 7.0 did): the pump handles nothing. wait()
    # must say so instead of hanging, and the queued messages must still be handled afterwards.
    model_id = new_widget(kernel)
    run(kernel, NO_PUMP)
    try:
        seen = drive(
            kernel,
            model_id,
            f'print("WAITING", flush=True); w.wait(timeout={KERNEL_WAIT_S})',
            then='print("NEXT")',
            until=lambda seen: "NEXT" in seen and "begin:ok" in seen,
            poll=False,  # nothing more is sent while the kernel answers the cells (see drive)
        )
    finally:
        run(kernel, "_rpc._ui_events = _real_ui_events")
    errors = [s for s in seen if s.startswith("ERROR")]
    assert len(errors) == 1 and errors[0].startswith("ERROR RuntimeError"), seen
    assert "on_complete" in errors[0] and "await" in errors[0], errors
    assert "did not finish" not in errors[0]  # found out, not timed out
    # After the cell, the kernel itself handled the queued begin and ran the queued cell.
    assert seen.index(errors[0]) < seen.index("begin:ok"), seen
    assert "NEXT" in seen, seen
