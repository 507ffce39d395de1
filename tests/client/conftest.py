"""Fixtures for the client tests: ``twin`` (each test runs with both clients) and ``fake``."""

from tests.support.twins import fake, twin

__all__ = ["fake", "twin"]
