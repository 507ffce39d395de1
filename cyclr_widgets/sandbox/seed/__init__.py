"""The sandbox's deterministic data: accounts, connectors, installs, cycles and their history.

Pure functions of a seed (no I/O): ``_seed.py`` builds the accounts, the connector library and
what is installed; ``_seed_connectors.py`` the connector library (names, icons, auth, methods,
triggers); ``_seed_extras.py`` users, custom fields and custom connectors; ``_seed_history.py``
the cycles' transactions and incidents. The store loads
the result; ``POST /accounts`` builds its record with the same :func:`new_account`.
"""

from __future__ import annotations

from ._seed import FIXED, build_seed, new_account
from ._seed_extras import MARKETPLACE_IDS
from ._seed_history import EPOCH, iso

__all__ = ["EPOCH", "FIXED", "MARKETPLACE_IDS", "build_seed", "iso", "new_account"]
