"""The sandbox's deterministic data: accounts, connectors, installs, cycles and their history.

Pure functions of a seed (no I/O): ``_seed.py`` builds the accounts, the connector library and
what is installed; ``_seed_connectors.py`` the connector library (names, icons, auth, methods,
triggers); ``_seed_extras.py`` users, custom fields and custom connectors; ``_seed_history.py``
the cycles' transactions and incidents; ``_seed_cycles.py`` every cycle's steps and the
troubleshooting cycles (``_seed_troubleshoot.py``), from step specs (``_seed_steps.py``) with
request/response dumps (``_seed_dumps.py``). ``_seed_dates.py`` makes it recent on the
sandbox's clock, and the store loads the result; ``POST /accounts``
builds its record with the same :func:`new_account`, and the template install instantiates
steps with the same :func:`instantiate`.
"""

from __future__ import annotations

from ._seed import FIXED, build_seed, new_account
from ._seed_dates import move_dates
from ._seed_dumps import scrub, synth_records
from ._seed_extras import MARKETPLACE_IDS
from ._seed_history import EPOCH, iso
from ._seed_steps import ACTION_TYPES, STEP_DATA, instantiate

__all__ = [
    "ACTION_TYPES",
    "EPOCH",
    "FIXED",
    "MARKETPLACE_IDS",
    "STEP_DATA",
    "build_seed",
    "instantiate",
    "iso",
    "move_dates",
    "new_account",
    "scrub",
    "synth_records",
]
