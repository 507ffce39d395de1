"""Tests of cyclr_widgets/core/: errors, AuthValue, the OAuth URL."""
