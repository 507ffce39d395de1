"""Tests of cyclr_widgets/client/: both clients against a strict fake Cyclr and the sandbox."""
