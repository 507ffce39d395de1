"""Harness self-test: a minimal inline anywidget in JupyterLab 4 and Notebook 7.

Cheap insurance: if this passes and a product test fails, the failure is the product's, not the
harness's (server start, kernel readiness, cell runs, widget render, popups, comm both ways).
"""

from __future__ import annotations

from typing import Any

import pytest

from harness.jupyter import STEP_MS

pytestmark = pytest.mark.browser

SMOKE_WIDGET = r'''
import json, os
import anywidget, traitlets

class Smoke(anywidget.AnyWidget):
    _esm = """
    function render({ model, el }) {
      const btn = document.createElement('button');
      btn.className = 'smoke-btn';
      btn.textContent = 'open popup';
      const status = document.createElement('span');
      status.className = 'smoke-status';
      status.textContent = 'idle';
      btn.addEventListener('click', () => {
        // Synchronously in the click handler, like the OAuth popup (blocker stays on).
        const w = window.open('about:blank', 'smoke_popup', 'popup,width=400,height=300');
        const ok = !!w && !w.closed;
        if (ok) { w.document.body.innerHTML = '<p id="hello">hello from the opener</p>'; }
        model.set('clicks', model.get('clicks') + 1);
        model.save_changes();
        model.send({ type: 'opened', ok, origin: window.location.origin });
      });
      const onMsg = (msg) => {
        if (msg && msg.type === 'ack') status.textContent = 'ack ' + msg.n;
      };
      model.on('msg:custom', onMsg);
      el.append(btn, status);
      return () => model.off('msg:custom', onMsg);
    }
    export default { render };
    """
    clicks = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.messages = []
        self.on_msg(self._on_msg)

    def _on_msg(self, _w, content, _buffers):
        self.messages.append(content)
        self.send({"type": "ack", "n": len(self.messages)})
        path = os.path.join(os.environ["CYCLR_TEST_RESULTS_DIR"], "{result_name}")
        with open(path, "w") as f:
            json.dump({"messages": self.messages, "clicks": self.clicks}, f)

w = Smoke()
w
'''


@pytest.mark.parametrize("jupyter_server", ["lab", "notebook"], indirect=True)
def test_inline_anywidget_popup_roundtrip(
    jupyter_server: Any, notebook_factory: Any, recorder: Any
) -> None:
    nb = notebook_factory([SMOKE_WIDGET, "print('RESULT', w.clicks, len(w.messages))"])
    page = nb.page
    nb.run(0)
    btn = nb.cell(0).locator(".jp-OutputArea-output .smoke-btn")
    btn.wait_for(timeout=STEP_MS)
    # No iframe: the widget lives in the top-level Jupyter document, so opener links work.
    assert btn.evaluate("e => e.ownerDocument === window.top.document && window === window.top")

    with page.expect_popup() as info:
        btn.click()
    popup = info.value
    assert popup.url == "about:blank"  # opened synchronously, before any URL was known
    assert popup.locator("#hello").inner_text() == "hello from the opener"

    nb.cell(0).locator(".smoke-status").filter(has_text="ack 1").wait_for()
    data = nb.result()
    assert data["messages"][0]["ok"] is True
    assert data["messages"][0]["origin"] == jupyter_server.origin

    nb.run(1)
    assert "RESULT 1 1" in nb.wait_output(1, "RESULT")
    popup.close()
    assert recorder.unexpected_page_errors() == []


def test_popup_blocker_is_on(context: Any) -> None:
    """Playwright disables Chromium's popup blocker by default; the fixture must not."""
    page = context.new_page()
    html = "<script>window.blocked = (window.open('about:blank', 'x') === null);</script>"
    page.route(
        "http://127.0.0.1:9/blocker",
        lambda route: route.fulfill(body=html, content_type="text/html"),
    )
    page.goto("http://127.0.0.1:9/blocker")  # served by the route, never hits the network
    assert page.evaluate("window.blocked") is True
    assert len(context.pages) == 1
