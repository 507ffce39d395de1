"""MkDocs hook (``mkdocs.yml``): the pages that are not files in ``docs/``.

- the tutorials, as ``tutorials/<name>.ipynb`` (below);
- ``reference/columns.md``: every listing's fixed DataFrame columns and their dtypes, written
  from ``cyclr_widgets/frames/_schemas.py`` at build time, so it cannot fall behind the code.

``scripts/build_docs.py`` executes ``notebooks/0*.ipynb`` against a fresh sandbox into
``build/docs/tutorials/`` and runs MkDocs with ``CYCLR_DOCS_TUTORIALS`` pointing there. Without
it (``mkdocs serve``) the hook takes that folder when a build left it, else the notebooks as
committed (no outputs), and says so: a preview never needs a sandbox or a kernel.

The notebooks stay out of ``docs/`` so that the committed tree holds one copy of each, and no
executed copy (with its outputs) can be committed by accident.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
TUTORIALS = ("01_quickstart.ipynb", "02_explore_an_account.ipynb", "03_bring_your_own_oauth.ipynb")
EXECUTED = ROOT / "build" / "docs" / "tutorials"
log = logging.getLogger("mkdocs.hooks.tutorials")


def tutorial_dir() -> Path:
    """A folder named ``tutorials`` holding the notebooks to show: executed ones if any."""
    chosen = os.environ.get("CYCLR_DOCS_TUTORIALS")
    if chosen:
        return Path(chosen)
    if all((EXECUTED / name).is_file() for name in TUTORIALS):
        return EXECUTED
    # info, not warning: `mkdocs serve --strict` must still work before the first build.
    log.info("tutorials shown without outputs: run `python scripts/build_docs.py` to execute them")
    folder = ROOT / "build" / "docs" / "unexecuted" / "tutorials"
    folder.mkdir(parents=True, exist_ok=True)
    for name in TUTORIALS:
        shutil.copy(ROOT / "notebooks" / name, folder / name)
    return folder


# Before mkdocs-jupyter's own on_files, which turns .ipynb files into pages.
@event_priority(100)
def on_files(files: Files, config: Any) -> Files:
    """Add each tutorial notebook as a documentation file under ``tutorials/``."""
    folder = tutorial_dir()
    if folder.name != "tutorials":
        raise ValueError(f"CYCLR_DOCS_TUTORIALS must name a folder called tutorials: {folder}")
    for name in TUTORIALS:
        # A File rooted at the folder's parent, not File.generated(): mkdocs-jupyter wraps the
        # file and recomputes abs_src_path from src_dir, which a generated file does not have.
        files.append(
            File(
                f"tutorials/{name}",
                src_dir=str(folder.parent),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
            )
        )
    files.append(File.generated(config, "reference/columns.md", content=columns_page()))
    return files


def columns_page() -> str:
    """The Markdown of ``reference/columns.md``: empty DataFrames of the code, described."""
    import sys

    sys.path.insert(0, str(ROOT))  # this checkout's package, whatever is installed
    from cyclr_widgets import frames

    lines = [
        "# DataFrame columns",
        "",
        "Generated from the code (`cyclr_widgets.frames`) when the site is built: each listing's",
        "DataFrame has these columns first, with these dtypes, even when it is empty; every other",
        "field Cyclr sends follows them (see [DataFrames and records](../dataframes.md)).",
        "`frames.columns(kind)` returns the same names. `Icon` columns come only with",
        "`include_icons=True`.",
        "",
    ]
    for kind in frames.SCHEMAS:
        empty = frames.to_frame(kind, [], include_icons=True)
        lines += [f"## `{kind}`", "", "| column | dtype |", "|---|---|"]
        lines += [f"| `{name}` | `{dtype}` |" for name, dtype in empty.dtypes.items()]
        lines.append("")
    return "\n".join(lines)
