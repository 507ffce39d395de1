"""OAuthPopup: authenticate one Cyclr account connector from a notebook.

The browser half (``js/oauth_popup.js``) opens a blank popup synchronously in the click, asks
the kernel for the sign-in URL by custom message, and relays Cyclr's ``callbackMessage``. This
half owns the truth, in an ``OAuthFlow`` (``_flow.py``): it mints the single-use sign-in token,
checks each event against the current flow, and confirms with ``GET /account/connectors/{id}``
(the message only says the flow ended). The widget declares the traits and wires messages ->
flow -> traits, messages and ``on_complete``. Protocol: the "OAuthPopup protocol" table in
ARCHITECTURE.md.

The URL and the token travel only in custom-message replies, which are never saved into the
notebook; synced traits, outputs, logs and reprs never hold them.
"""

from __future__ import annotations

import anywidget

from ._esm import esm_path
from ._flow_types import STATUSES, OAuthResult
from ._popup_state import PopupState

__all__ = ["STATUSES", "OAuthPopup", "OAuthResult"]


class OAuthPopup(PopupState, anywidget.AnyWidget):  # type: ignore[misc]
    """A "Connect" button that runs Cyclr's OAuth sign-in for one account connector.

    Parameters
    ----------
    client : CyclrClient
        A sync client with ``service_url`` set (the partner's service domain).
    account_id : str
        The Cyclr account (its API id).
    account_connector_id : int
        The installed account connector to authenticate.
    connector_name : str, optional
        Shown in messages; filled from Cyclr on the first check otherwise.
    username : str, optional
        The user of the account the sign-in token is made for. By default (None) the client
        picks an existing user of the account, so no user is added to it; name one only when
        that user should exist (Cyclr creates a named user that does not). The popup says
        which user it signs in as (``message``), never the token.
    **kwargs
        Trait values, e.g. ``timeout_s=300``.

    Examples
    --------
    >>> popup = OAuthPopup(client, account_id, 12345)  # doctest: +SKIP
    >>> popup.on_complete(lambda result: print(result.status))  # doctest: +SKIP
    >>> result = popup.wait(timeout=600)  # doctest: +SKIP
    """

    _esm = esm_path("oauth_popup.js")
    _css = esm_path("oauth_popup.css")
