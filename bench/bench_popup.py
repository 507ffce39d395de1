"""Popup relay benchmark: provider page's ``postMessage`` -> Python ``on_complete`` -> page status.

Real JupyterLab + kernel + headless chromium + the sandbox (own process). ``FLOWS`` OAuth flows,
each on a fresh unauthenticated OAuth2 (authorisation code) account connector installed by this
script's own client. Per flow:

1. the popup cell is (re-)run; a click on ``.cyclr-oauth-connect`` opens the popup, the script
   clicks ``#allow`` on the provider's consent page; the completion page posts the callback
   message to the notebook window;
2. the notebook page stamps the arrival of that ``message`` event (a capturing listener added by
   ``add_init_script``, so it runs before the widget's own listener): ``t_msg``;
3. the kernel's ``on_complete`` callback stamps ``time.time()`` into a file: ``t_py``;
4. a MutationObserver stamps ``.cyclr-oauth-status[data-status=authenticated]``: ``t_page``.

Page stamps are ``performance.timeOrigin + performance.now()`` (epoch ms, the same wall clock as
the kernel's ``time.time()`` on this machine). The message's *arrival* is the start: the
completion page is cross-origin, so its ``postMessage`` call cannot be hooked; arrival follows
the call by one IPC hop inside chromium (well under 1 ms). Relay = ``t_py - t_msg`` and
``t_page - t_msg``; they include the kernel's confirming ``GET`` of the account connector (one
API round trip; the sandbox adds ``--latency-ms``, default 0 because the target is stated "on
loopback").

Run: ``.venv/bin/python bench/bench_popup.py [--flows 20] [--latency-ms 0]`` (about 1-2 min).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _browser import chromium, client_values, fill, jp, jupyter_lab
from _common import SandboxInfo, load_note, percentile, sandbox_process

from cyclr_widgets import CyclrClient

# A seeded OAuth2 authorisation-code connector ("Trello") with only optional properties: 2013
# ("Google Analytics") has required ones, so its sign-in ends "failed" until they are set.
CONNECTOR_ID = 2019

SETUP_CELL = """\
import json, time
from cyclr_widgets import CyclrClient, OAuthPopup

client = CyclrClient(client_id=__ID__, client_secret=__SECRET__, api_url=__API__,
                     service_url=__SERVICE__, progress=False)
client.accounts(limit=1)  # the token, fetched once like a user's setup cell
DONE = {}

def stamp(flow, result):
    DONE[flow] = {"t": time.time(), "status": result.status}
    with open(__RESULTS__, "w") as f:
        json.dump(DONE, f)
"""
POPUP_CELL = """\
_flow, _ac = json.load(open(__FLOW_FILE__))
popup = OAuthPopup(client, __ACCOUNT__, _ac)
popup.on_complete(lambda result, flow=_flow: stamp(flow, result))
popup
"""

# On every page of the context, before any page script: stamp callback messages on arrival.
INIT_SCRIPT = """
window.__msgAt = null;
window.addEventListener('message', (e) => {
  if (window.__msgAt === null && typeof e.data === 'string'
      && e.data.startsWith('cyclr-widgets:')) {
    window.__msgAt = performance.timeOrigin + performance.now();
  }
}, true);
"""
# Before each flow: reset the stamps and watch for the new widget's status to flip.
WATCH_STATUS = """() => {
  window.__msgAt = null;
  window.__authAt = null;
  const old = new Set(document.querySelectorAll('.cyclr-oauth-status'));
  const mo = new MutationObserver(() => {
    for (const el of document.querySelectorAll(
        '.cyclr-oauth-status[data-status="authenticated"]')) {
      if (!old.has(el)) {
        window.__authAt = performance.timeOrigin + performance.now();
        mo.disconnect();
        return;
      }
    }
  });
  mo.observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['data-status']});
}"""



def oauth2_method(client: CyclrClient, account_id: str) -> str:
    """The id of the connector's OAuth2 authentication method."""
    methods = client.connector(CONNECTOR_ID, account_id=account_id)["Authentication"]
    return next(str(m["Id"]) for m in methods if m.get("AuthType") == "OAuth2")


def run_flows(
    browser: Any, server: jp.JupyterServer, sb: SandboxInfo, flows: int
) -> list[dict[str, float]]:
    """Run ``flows`` OAuth flows in one notebook; return the stamps of each."""
    results = server.root_dir / "popup_results.json"
    flow_file = server.root_dir / "popup_flow.json"
    path = jp.write_notebook(
        server.root_dir / "popup.ipynb",
        [
            fill(SETUP_CELL, **client_values(sb), RESULTS=str(results)),
            fill(POPUP_CELL, FLOW_FILE=str(flow_file), ACCOUNT=sb.account_id),
        ],
    )
    client = CyclrClient(
        client_id=sb.client_id, client_secret=sb.client_secret, api_url=sb.api_url, progress=False
    )
    auth_id = oauth2_method(client, sb.account_id)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(INIT_SCRIPT)
    page = context.new_page()
    out: list[dict[str, float]] = []
    try:
        jp.open_notebook(page, server, path.name)
        jp.run_cell(page, 0, timeout_ms=60_000)
        run_id = int(time.time())
        for flow in range(flows):
            ac = client.install_connector(
                sb.account_id,
                CONNECTOR_ID,
                name=f"bench popup {run_id} {flow}",
                authentication_id=auth_id,
            )
            assert not ac.authenticated
            flow_file.write_text(json.dumps([flow, int(ac.id)]))
            page.evaluate(WATCH_STATUS)
            jp.run_cell(page, 1, timeout_ms=60_000)
            button = jp.cell(page, 1).locator(".cyclr-oauth-connect")
            button.wait_for(timeout=60_000)
            with page.expect_popup() as info:
                button.click()
            popup = info.value
            popup.locator("#allow").wait_for(timeout=30_000)
            jp.cell(page, 1).locator('.cyclr-oauth-status[data-status="waiting"]').wait_for(
                timeout=30_000
            )
            popup.locator("#allow").click()
            page.wait_for_function("() => window.__authAt !== null", polling=20, timeout=30_000)
            done = jp.wait_json_file(results, predicate=lambda d, f=flow: str(f) in d)[str(flow)]
            assert done["status"] == "authenticated", done
            assert client.account_connector(sb.account_id, int(ac.id)).authenticated
            msg_at, auth_at = page.evaluate("() => [window.__msgAt, window.__authAt]")
            assert msg_at is not None, "the callback message never reached the notebook page"
            out.append({"py": done["t"] * 1000 - msg_at, "page": auth_at - msg_at})
            if not popup.is_closed():
                popup.close()
    except Exception:
        shot = Path(tempfile.gettempdir()) / "bench_popup_failure.png"
        page.screenshot(path=str(shot))
        print(f"failed after {len(out)} flows; screenshot {shot}")
        raise
    finally:
        context.close()
        client.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, default=20)
    parser.add_argument("--latency-ms", type=float, default=0)
    args = parser.parse_args()
    with (
        chromium() as browser,
        sandbox_process(latency_ms=args.latency_ms) as sb,
        jupyter_lab() as server,
    ):
        stamps = run_flows(browser, server, sb, args.flows)
    py = [s["py"] for s in stamps]
    page = [s["page"] for s in stamps]
    print(
        f"JupyterLab + chromium (headless), {len(stamps)} flows, sandbox latency "
        f"{args.latency_ms:g} ms"
    )
    print(f"{'relay':<42}{'median':>9}{'p95':>9}{'min':>8}{'max':>8}")
    for label, values in (
        ("postMessage arrival -> on_complete (kernel)", py),
        ("postMessage arrival -> status authenticated", page),
    ):
        print(
            f"{label:<42}{statistics.median(values):>6.0f} ms{percentile(values, 95):>6.0f} ms"
            f"{min(values):>5.0f} ms{max(values):>5.0f} ms"
        )
    print(load_note())
    print("target: relay < 100 ms median on loopback")


if __name__ == "__main__":
    main()
