"""Import benchmark: what ``import cyclr_widgets`` costs on top of its dependencies.

Each figure is the median of several fresh interpreters, the cases interleaved so a noisy moment
hits all alike. The difference of two ~750 ms medians is noisy (a few ms either way on a shared
2-core box), so the "full" case is also attributed with ``python -X importtime``: the cumulative
time of everything first imported by the ``from cyclr_widgets import ...`` line after the
dependencies are loaded (our modules plus anything of theirs that the dependencies had not
already pulled in). Reported:
- deps: ``import pandas, httpx, ipywidgets, anywidget``
- package: deps + ``import cyclr_widgets`` (the lazy façade)
- full: deps + ``from cyclr_widgets import CyclrClient, AsyncCyclrClient, OAuthPopup, …``
  (every client and widget module really loaded; the sandbox's web stack stays unloaded until used)
- full-sync: the same without ``AsyncCyclrClient`` (what a widget notebook loads)

Run: ``.venv/bin/python bench/bench_import.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

from _common import load_note

DEPS = "import pandas, httpx, ipywidgets, anywidget"
CASES = {
    "deps": DEPS,
    "package": DEPS + "; import cyclr_widgets",
    "full": DEPS + "; from cyclr_widgets import CyclrClient, AsyncCyclrClient, OAuthPopup, "
    "ConnectorBrowser, AccountExplorer",
    # What a notebook using the widgets needs: no async client (so no asyncio/anyio).
    "full-sync": DEPS + "; from cyclr_widgets import CyclrClient, OAuthPopup, ConnectorBrowser, "
    "AccountExplorer",
}
RUNS = 15


def sample(code: str) -> float:
    """Seconds one fresh interpreter spends running ``code`` (start-up excluded)."""
    timer = f"import time; _t = time.perf_counter(); {code}; print(time.perf_counter() - _t)"
    out = subprocess.run([sys.executable, "-c", timer], check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def attributed(case: str, runs: int = 5) -> tuple[float, list[tuple[str, float]]]:
    """Median ms (over ``runs``) that ``-X importtime`` charges to ``case``'s import after the
    deps, and the top-level modules of the median run with their cumulative ms."""
    ours = CASES[case].split("; ", 1)[1]
    code = f"{DEPS}; import sys; sys.stderr.write('@@MARK@@\\n'); {ours}"
    samples = []
    for _ in range(runs):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            check=True,
            capture_output=True,
            text=True,
        ).stderr
        top: list[tuple[str, float]] = []
        for line in err.split("@@MARK@@", 1)[1].splitlines():
            parts = line.split("|")
            if len(parts) != 3 or not line.startswith("import time:"):
                continue
            name = parts[2]
            if name.startswith(" ") and not name.startswith("  "):  # top level, not nested
                top.append((name.strip(), int(parts[1]) / 1000))
        samples.append((sum(ms for _, ms in top), top))
    samples.sort(key=lambda s: s[0])
    return samples[len(samples) // 2]


def main() -> None:
    # Interleave the cases so that a noisy moment hits all of them alike.
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(RUNS):
        for name, code in CASES.items():
            samples[name].append(sample(code))
    med = {name: statistics.median(v) for name, v in samples.items()}
    # Noise only ever adds time, so the minimum is the better estimate on a busy machine.
    low = {name: min(v) for name, v in samples.items()}
    print(f"{RUNS} fresh interpreters per case: median (min)")
    for name in CASES:
        print(f"  {name:<8} {med[name] * 1000:7.1f} ms ({low[name] * 1000:.1f} ms)")
    for case in ("package", "full", "full-sync"):
        print(
            f"own cost, {case:<10} {(med[case] - med['deps']) * 1000:6.1f} ms "
            f"(min-based {(low[case] - low['deps']) * 1000:.1f} ms)  (target < 50 ms)"
        )
    print(load_note())
    for case in ("package", "full", "full-sync"):
        total, top = attributed(case)
        print(
            f"-X importtime, {case} after the deps (median of 5): {total:6.1f} ms  "
            + ", ".join(f"{name} {ms:.1f}" for name, ms in sorted(top, key=lambda t: -t[1]))
        )


if __name__ == "__main__":
    main()
