"""Tests of cyclr_widgets/cli/."""
