"""Write the sync client's method mixins from their async sources (httpcore's unasync approach).

Each ``cyclr_widgets/client/_async_<area>.py`` is the source of ``_sync_<area>.py``: the same
methods with ``async``, ``await`` and the async spellings taken out. With ~100 operations,
hand-kept twins would drift; one source cannot. ``_async_io.py`` and ``_async_fanout.py`` are
left out: the send paths and the health scan's fan-out are hand-written twins (threads against
anyio tasks). The generated files are committed (they are read and imported like any module) and
``tests/client/test_unasync.py`` fails when one is stale.

Usage: ``python scripts/unasync.py`` rewrites the sync files; ``--check`` only reports.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENT = ROOT / "cyclr_widgets" / "client"

# An async listing hands its records on; the sync twin returns the iterator itself, so its
# arguments are checked when it is called (a generator would check them on the first next()).
ITERATE = re.compile(
    r"async with aclosing\((?P<expr>.+?)\) as records:\n"
    r"(?P<indent>[ ]+)async for record in records:\n"
    r"(?P=indent)[ ]+yield record\n",
    re.DOTALL,
)
# Token rewrites, in order (words only, so names that merely contain them are kept).
TOKENS = [
    (r" \(``async for``\)", ""),
    (r"~\._async\.", "~._sync."),
    (r"\bAsyncIO\b", "SyncIO"),
    (r"\b_async_io\b", "_sync_io"),
    (r"\b_async_(\w+)", r"_sync_\1"),
    (r"\bAsyncCyclrClient\b", "CyclrClient"),
    (r"\bAsync(\w+Methods)\b", r"\1"),
    (r"\bAsyncIterator\b", "Iterator"),
    (r"\baclosing\b", "closing"),
    (r"\basync def\b", "def"),
    (r"\basync (for|with)\b", r"\1"),
    (r"\bawait ", ""),
]
# Twins written by hand: a thread pool and an anyio task group share no spelling.
HAND_WRITTEN = {"_async_io.py", "_async_fanout.py"}
HEADER = "# Generated from {source} by scripts/unasync.py: edit the async source, then rerun.\n"


def unasync(text: str, source: str) -> str:
    """The sync twin of one async module's text."""
    text = ITERATE.sub(lambda m: f"return {m['expr']}\n", text)
    for pattern, repl in TOKENS:
        text = re.sub(pattern, repl, text)
    # The source's own "its twin is" line points at the generated file; point it back.
    text = text.replace(
        f"its twin is :mod:`.{Path(source).stem.replace('_async_', '_sync_')}`",
        f"its twin (source) is :mod:`.{Path(source).stem}`",
    )
    if "closing(" not in text:
        text = re.sub(r"from contextlib import closing\n", "", text)
    return HEADER.format(source=source) + _format(text)


def _format(text: str) -> str:
    # Renamed imports sort differently, and removing "async "/"await " shortens lines: let ruff
    # (the project's linter and formatter) sort and re-join them as it would by hand.
    found = Path(sys.executable).with_name("ruff")
    ruff = str(found) if found.exists() else "ruff"
    for args in (["check", "--select", "I", "--fix", "--quiet"], ["format", "--quiet"]):
        text = subprocess.run(
            [ruff, *args, "--stdin-filename", "cyclr_widgets/client/_generated.py", "-"],
            input=text,
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
    return text


def pairs() -> list[tuple[Path, Path]]:
    """Every (async source, sync target) pair."""
    return [
        (src, src.with_name(src.name.replace("_async_", "_sync_", 1)))
        for src in sorted(CLIENT.glob("_async_*.py"))
        if src.name not in HAND_WRITTEN
    ]


def main(argv: list[str]) -> int:
    """Rewrite (or with ``--check`` only list) the stale sync files; 1 if ``--check`` found any."""
    check = "--check" in argv
    stale = []
    for src, dst in pairs():
        want = unasync(src.read_text(encoding="utf-8"), src.name)
        have = dst.read_text(encoding="utf-8") if dst.exists() else ""
        if want != have:
            stale.append(dst.name)
            if not check:
                dst.write_text(want, encoding="utf-8")
    if check and stale:
        print(f"stale (run python scripts/unasync.py): {', '.join(stale)}")
        return 1
    for name in stale:
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
