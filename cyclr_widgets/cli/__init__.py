"""The ``cyclr-widgets`` command (``cyclr-widgets sandbox …``, ``cyclr-widgets lab …``).

- ``_main.py``: the argument parser and :func:`main` (the console script's entry point);
- ``_lab.py``: ``cyclr-widgets lab``, JupyterLab on the tutorials wired to a local sandbox;
- ``_procs.py``: stopping a child process and every process it started (the lab launcher, and
  the test and benchmark harness that drives Jupyter).

The command may import every other part of the package; nothing else imports it.
"""

from __future__ import annotations

from ._main import build_parser, main

__all__ = ["build_parser", "main"]
