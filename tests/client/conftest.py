"""The mirrored fixtures (``api``, ``fake``) of ``tests/support/mirror.py`` for this directory.

A module's own fixture of the same name (``test_sync.py``'s ``fake``) wins over these.
"""

from tests.support.mirror import api, fake  # noqa: F401  (fixtures, found by name)
