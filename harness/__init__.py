"""Code shared by the test suite (``tests/``) and the benchmarks (``bench/``).

Neither imports the other: what both need lives here, at the top of the repository and outside
the wheel (it needs test tools, such as nbformat, Playwright and psutil, that the package does
not depend on). pytest finds it because ``tests/`` is a package whose parent, the repository
root, pytest puts on ``sys.path``; the bench scripts add the root themselves (``bench/_common.py``).

- ``clock.py``: :class:`FakeClock`, a settable clock for the sandbox (expiry without sleeping);
- ``resilience.py``: the resilience scenario (the client against a faulty sandbox);
- ``jupyter.py``: Jupyter servers and a Playwright chromium for the browser tests and benchmarks;
- ``marimo.py``: ``marimo run``/``marimo edit`` servers and page helpers (marimo browser tests).
"""
