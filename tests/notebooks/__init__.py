"""The tutorials run top to bottom, and the demo launcher (`cyclr-widgets lab`)."""
