"""Table benchmark: ConnectorBrowser in real JupyterLab + chromium, 1,000 and 5,000 connectors.

For each size, against a sandbox (own process, 50 ms latency, ``connectors=N``):

- **cell to visible**: from Shift+Enter on ``ConnectorBrowser(client, account)`` to the table
  visible and searchable in the page (rows drawn, the count label showing every row, the search
  box present). The page clock stamps it (a MutationObserver installed before the run); the
  kernel's own share (listing + DataFrame + widget build) is stamped in the cell. Median of
  ``RUNS`` cells (each a fresh widget; the client and its token are made in a setup cell, as a
  user's notebook does).
- **keystroke to filtered table**: real key presses in the search box; each is timed in the
  page from ``keydown`` to the frame after the table was redrawn (search runs in the browser;
  the kernel hears the query once typing pauses). Median and max over the keystrokes.
- **saved state per connector**: the notebook saved by JupyterLab with widget-state saving on;
  the bytes of ``metadata.widgets`` divided by the connectors (earlier runs' widgets are closed,
  so it holds one browser). The kernel-side
  ``ipywidgets.embed.dependency_state`` of one browser is printed next to it.

Run: ``.venv/bin/python bench/bench_table.py`` (about 2 minutes).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _browser import chromium, client_values, fill, jp, jupyter_lab
from _common import SandboxInfo, load_note, sandbox_process

LATENCY_MS = 50
SIZES = (1000, 5000)
RUNS = 3
QUERY_KEYS = [*"sales", *["Backspace"] * 5, *"mail"]

SETUP_CELL = """\
import json, os, time
from ipywidgets.embed import dependency_state
from cyclr_widgets import CyclrClient, ConnectorBrowser

client = CyclrClient(client_id=__ID__, client_secret=__SECRET__, api_url=__API__,
                     service_url=__SERVICE__, progress=False)
client.accounts(limit=1)  # the token, fetched once per notebook like a user's setup cell
RESULTS = {}
RUN = 0

def close_tree(w):
    # Close a widget and every widget its traits hold (children, sub-widgets).
    import ipywidgets
    for name in w.keys:
        v = getattr(w, name, None)
        for x in v if isinstance(v, (list, tuple)) else [v]:
            if isinstance(x, ipywidgets.Widget) and x is not w:
                close_tree(x)
    w.close()

def record(key, value):
    RESULTS[key] = value
    with open(__RESULTS__, "w") as f:
        json.dump(RESULTS, f)
"""
# Re-run RUNS times; the previous browser's widgets are closed first, so the saved state holds
# exactly one browser (closing is cheap and happens before the clock starts in the kernel).
BROWSER_CELL = """\
if "b" in globals():
    close_tree(b)
_t0 = time.time()
b = ConnectorBrowser(client, __ACCOUNT__)
RUN += 1
record(f"kernel_{RUN}", [_t0, time.time()])
b
"""
STATE_CELL = """\
record("dependency_state_bytes", len(json.dumps(dependency_state(b, drop_defaults=True))))
"""

# Installed before a run: stamps (page clock, epoch ms) the moment cell `i` shows a new table
# (not one of the previous run's) with rows, a count label that is no longer "Loading…", and
# a search box.
WATCH_VISIBLE = """(i) => {
  window.__visible = null;
  const old = new Set(document.querySelectorAll('.cyclr-table'));
  const done = () => {
    const c = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
    if (!c) return false;
    const t = c.querySelector('.cyclr-table');
    if (!t || old.has(t) || !t.querySelector('.cyclr-table-row')) return false;
    if (!t.querySelector('.cyclr-table-search')) return false;
    const n = t.querySelector('.cyclr-table-count');
    return !!n && /rows/.test(n.textContent);
  };
  const mo = new MutationObserver(() => {
    if (window.__visible === null && done()) {
      window.__visible = performance.timeOrigin + performance.now();
      mo.disconnect();
    }
  });
  mo.observe(document.body, {subtree: true, childList: true, characterData: true});
}"""

# keydown (capture) -> the search's input handler has redrawn (our listener runs after the
# widget's, registered later) -> the next frame (a paint opportunity) -> stamp.
WATCH_KEYS = """(i) => {
  window.__keys = [];
  const c = document.querySelectorAll('.jp-Notebook .jp-Cell')[i];
  const search = c.querySelector('.cyclr-table-search');
  let down = null;
  search.addEventListener('keydown', () => { down = performance.now(); }, true);
  search.addEventListener('input', () => {
    const start = down;
    const count = c.querySelector('.cyclr-table-count').textContent;
    requestAnimationFrame(() => setTimeout(() => {
      window.__keys.push({ms: performance.now() - start, count});
    }, 0));
  });
}"""



def measure(browser: Any, server: jp.JupyterServer, sb: SandboxInfo, n: int) -> dict[str, Any]:
    """Run the notebook for one sandbox size and return the figures."""
    name = f"table_{n}.ipynb"
    results = server.root_dir / f"table_{n}.json"
    cells = [
        fill(SETUP_CELL, **client_values(sb), RESULTS=str(results))
    ]
    cells += [fill(BROWSER_CELL, ACCOUNT=sb.account_id), STATE_CELL]
    path = jp.write_notebook(server.root_dir / name, cells)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        jp.open_notebook(page, server, name)
        jp.run_cell(page, 0, timeout_ms=60_000)
        visible, kernel = [], []
        for i in range(1, RUNS + 1):
            before = jp.prompt_text(page, 1)
            page.evaluate(WATCH_VISIBLE, 1)
            pressed = time.time() * 1000
            jp.run_cell(page, 1, wait=False, timeout_ms=60_000)
            page.wait_for_function("() => window.__visible !== null", polling=50, timeout=120_000)
            visible.append(page.evaluate("() => window.__visible") - pressed)
            jp.wait_cell_done(page, 1, before=before, timeout_ms=60_000)
            k0, k1 = jp.wait_json_file(results, predicate=lambda d, i=i: f"kernel_{i}" in d)[
                f"kernel_{i}"
            ]
            kernel.append((k1 - k0) * 1000)
        # Keystrokes in the last browser's search box.
        page.evaluate(WATCH_KEYS, 1)
        search = jp.cell(page, 1).locator(".cyclr-table-search").first
        search.click()
        for key in QUERY_KEYS:
            page.keyboard.press(key)
            time.sleep(0.25)  # a person types ~4 keys/s; also lets each frame settle
        keys = page.evaluate("() => window.__keys")
        jp.run_cell(page, 2)
        dep_bytes = jp.wait_json_file(results, predicate=lambda d: "dependency_state_bytes" in d)[
            "dependency_state_bytes"
        ]
        jp.save_notebook(page, path)
        saved = json.loads(Path(path).read_text()).get("metadata", {}).get("widgets", {})
        saved_bytes = len(json.dumps(saved))
    except Exception:
        shot = Path(tempfile.gettempdir()) / f"bench_table_{n}_failure.png"
        page.screenshot(path=str(shot))
        print(f"failed; screenshot {shot}; Jupyter log tail:\n{server.log_text()[-2000:]}")
        raise
    finally:
        context.close()
        server.shutdown_sessions(name)
    key_ms = [k["ms"] for k in keys]
    return {
        "visible_ms": statistics.median(visible),
        "kernel_ms": statistics.median(kernel),
        "key_median_ms": statistics.median(key_ms) if key_ms else float("nan"),
        "key_max_ms": max(key_ms) if key_ms else float("nan"),
        "keys": len(key_ms),
        "saved_bytes": saved_bytes,
        "saved_per_connector": saved_bytes / n,
        "dep_per_connector": dep_bytes / n,
        "dep_bytes": dep_bytes,
    }


def main() -> None:
    rows = []
    with chromium() as browser:
        for n in SIZES:
            # Widget-state saving on, as a user who wants outputs to survive a reload sets it.
            with (
                sandbox_process(latency_ms=LATENCY_MS, connectors=n) as sb,
                jupyter_lab(save_widget_state=True) as server,
            ):
                rows.append((n, measure(browser, server, sb, n)))
    print(
        f"JupyterLab + chromium (headless), sandbox latency {LATENCY_MS} ms, median of {RUNS} cells"
    )
    print(
        f"{'connectors':>10}{'to visible':>12}{'kernel part':>13}{'key median':>12}"
        f"{'key max':>9}{'saved B/conn':>14}{'kernel-state B/conn':>21}"
    )
    for n, r in rows:
        print(
            f"{n:>10,}{r['visible_ms']:>9,.0f} ms{r['kernel_ms']:>10,.0f} ms"
            f"{r['key_median_ms']:>9.1f} ms{r['key_max_ms']:>6.1f} ms"
            f"{r['saved_per_connector']:>14.2f}{r['dep_per_connector']:>21.2f}"
        )
    for n, r in rows:
        print(
            f"  {n:,}: {r['keys']} keystrokes timed; saved widget state {r['saved_bytes']:,} B "
            f"(one browser); its kernel-side state {r['dep_bytes']:,} B"
        )
    print(load_note())
    print(
        "targets: < 1 s to visible at 1,000; < 100 ms per keystroke; < 300 B saved state "
        "per connector"
    )


if __name__ == "__main__":
    main()
