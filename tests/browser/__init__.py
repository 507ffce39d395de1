"""Real-browser tests: JupyterLab 4 and Notebook 7 driven by Playwright (marked `browser`)."""
