"""Tests of cyclr_widgets/widgets/: the widgets in process, in a real kernel, on the sandbox."""
