"""Tests of cyclr_widgets/sandbox/: the local Cyclr over HTTP."""
