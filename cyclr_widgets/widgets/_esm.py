"""Locate the widgets' ES modules in a wheel or in a source checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["esm_path"]

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def esm_path(name: str) -> Path:
    """Return the path of the ES module ``name`` for anywidget's ``_esm``.

    The wheel carries the modules as ``cyclr_widgets/static/<name>`` (pyproject's
    ``force-include``); an editable or source install reads them straight from the repository's
    ``js/`` folder, so there is no build step and edits show up on the next widget.

    Parameters
    ----------
    name : str
        File name of the module, e.g. ``"oauth_popup.js"``.

    Returns
    -------
    pathlib.Path
        The packaged file when it exists, else ``<repo>/js/<name>``.

    Raises
    ------
    FileNotFoundError
        If the module is in neither place (a broken install); failing at import time is clearer
        than a widget that silently renders nothing.
    """
    packaged = _PACKAGE_DIR / "static" / name
    if packaged.is_file():
        return packaged
    source = _PACKAGE_DIR.parent / "js" / name
    if source.is_file():
        return source
    msg = f"The widget module {name!r} is missing: looked in {packaged} and {source}."
    raise FileNotFoundError(msg)
