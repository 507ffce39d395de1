"""OAuthPopup with a real CyclrClient whose Cyclr accepts connections and never answers.

The ``begin`` handler runs in the kernel: a sign-in-token call that stalls must end (bounded by
the client's timeout) in ``begin:error`` and status ``error``, and the next ``begin`` must work.
"""

from __future__ import annotations

from cyclr_widgets import CyclrClient
from cyclr_widgets.widgets.oauth_popup import OAuthPopup
from tests.support.client import CLIENT_ID, CLIENT_SECRET, LoopbackCyclr, run_bounded
from tests.support.oauth_popup import AC_ID, ACCOUNT, Player


def test_stalled_sign_in_token_ends_begin_with_an_error_and_the_widget_recovers() -> None:
    with LoopbackCyclr(stalled=True) as server:
        client = CyclrClient(
            CLIENT_ID,
            CLIENT_SECRET,
            api_url=server.url,
            service_url=server.url,
            timeout=0.5,
            max_retries=0,
        )
        widget = OAuthPopup(client, ACCOUNT, AC_ID, username="support.engineer")
        fe = Player(widget)

        reply = run_bounded(lambda: fe.begin("flow-1"))
        assert reply.get("value") == {
            "kind": "begin:error",
            "flow": "flow-1",
            "message": widget.message,
        }, reply
        assert widget.status == "error" and not widget.flow_active
        assert "no response from Cyclr" in widget.message
        assert "Timeout" in widget.message
        assert CLIENT_SECRET not in widget.message

        server.stalled.clear()  # Cyclr is back
        # A generous timeout from here on (the token request inherits it): the recovery must
        # not race 0.5 s on a loaded machine.
        client.timeout = 30.0
        reply = run_bounded(lambda: fe.begin("flow-2"))
        assert reply.get("value", {}).get("kind") == "begin:ok", reply
        assert widget.status == "opening" and widget.flow_active
        assert server.requests == [
            "POST /oauth/token",
            "POST /oauth/token",
            f"POST /v1.0/accounts/{ACCOUNT}/signintoken",
        ]
        client.close()
