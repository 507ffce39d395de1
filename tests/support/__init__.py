"""Helpers shared by the tests (no tests here); code shared with bench/ lives in ``harness/``.

- ``client.py``: ``FakeCyclr``, a strict fake of Cyclr's API served through
  ``httpx.MockTransport``, a loopback server that stalls, and the client tests' constants;
- ``listings.py``: every record listing of the clients (``iter_*``, its DataFrame twin, a path,
  items) and the masking expected of them, for the mirrored iterator tests;
- ``sandbox.py``: the shared-sandbox fixtures (``sb``, ``api``, ``clock``; star-import them) and
  helpers that drive the sandbox over plain HTTP (tokens, sign-in, the OAuth pages);
- ``oauth_popup.py``: a duck-typed client and a front-end player for the ``OAuthPopup`` tests.
- ``notebooks.py``: ``execute``, a notebook run top to bottom with nbclient (hang guards only).
"""
