"""Import benchmark: what ``import cyclr_widgets`` costs on top of its dependencies.

Each figure is the median of several fresh interpreters (``python -X importtime`` is not needed: a
fresh process per sample is the honest measure). Reported:
- deps: ``import pandas, httpx, ipywidgets, anywidget``
- package: deps + ``import cyclr_widgets`` (the lazy façade)
- full: deps + ``from cyclr_widgets import CyclrClient, OAuthPopup, ConnectorBrowser, …``
  (every client and widget module really loaded; the sandbox's web stack stays unloaded until used)

Run: ``.venv/bin/python bench/bench_import.py``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys

DEPS = "import pandas, httpx, ipywidgets, anywidget"
CASES = {
    "deps": DEPS,
    "package": DEPS + "; import cyclr_widgets",
    "full": DEPS + "; from cyclr_widgets import CyclrClient, AsyncCyclrClient, OAuthPopup, "
    "ConnectorBrowser, AccountExplorer",
}
RUNS = 9


def sample(code: str) -> float:
    """Seconds one fresh interpreter spends running ``code`` (start-up excluded)."""
    timer = f"import time; _t = time.perf_counter(); {code}; print(time.perf_counter() - _t)"
    out = subprocess.run([sys.executable, "-c", timer], check=True, capture_output=True, text=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    # Interleave the cases so that a noisy moment hits all of them alike.
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(RUNS):
        for name, code in CASES.items():
            samples[name].append(sample(code))
    med = {name: statistics.median(v) for name, v in samples.items()}
    print(f"median of {RUNS} fresh interpreters")
    for name, seconds in med.items():
        print(f"  {name:<8} {seconds * 1000:7.1f} ms")
    own_pkg = med["package"] - med["deps"]
    own_full = med["full"] - med["deps"]
    print(f"own cost of `import cyclr_widgets`:           {own_pkg * 1000:6.1f} ms")
    print(f"own cost with client + widgets really loaded: {own_full * 1000:6.1f} ms"
          "  (target < 50 ms)")


if __name__ == "__main__":
    main()
