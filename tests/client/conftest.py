"""Fixtures for the client tests: ``twin`` and ``api`` (each test runs with both clients), ``fake``.

A module's own fixture of the same name (``test_sync.py``'s ``fake``) wins over these.
"""

from tests.support.mirror import api
from tests.support.twins import fake, twin

__all__ = ["api", "fake", "twin"]
