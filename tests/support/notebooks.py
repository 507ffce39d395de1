"""Running a notebook top to bottom in a real kernel (nbclient), as a reader's "Run all" does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbclient import NotebookClient

# Both bounds only catch hangs: a cell or a kernel start on a busy shared CI machine may take
# long (nbclient's default start-up bound is 60 s).
HANG_GUARD_S = 180


def execute(nb: Any, cwd: Path) -> None:
    """Run every cell of ``nb`` (an nbformat notebook, filled in place) with ``cwd`` as its folder.

    The kernel inherits this process's environment. A cell that raises fails the call
    (``nbclient.exceptions.CellExecutionError``).
    """
    NotebookClient(
        nb,
        timeout=HANG_GUARD_S,
        startup_timeout=HANG_GUARD_S,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    ).execute()
