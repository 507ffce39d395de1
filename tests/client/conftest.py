"""Fixtures for the client tests: ``twin`` (each test runs with both clients) and ``fake``.

A module's own fixture of the same name (``test_sync.py``'s ``fake``) wins over these.
"""

from tests.support.twins import fake, twin

__all__ = ["fake", "twin"]
