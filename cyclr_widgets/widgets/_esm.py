"""Locate the widgets' built ES modules and their stylesheets."""

from __future__ import annotations

from pathlib import Path

__all__ = ["esm_path"]

_PACKAGE_DIR = Path(__file__).resolve().parent.parent

_BUILD_HINT = "build them with `npm ci && npm run build` at the repository root"


def esm_path(name: str) -> Path:
    """Return the path of the built ES module (or stylesheet) ``name`` for anywidget.

    Each widget's entry module (``js/<name>.js``) imports its parts from ``js/parts/``; anywidget
    loads a module from a Blob URL, where relative imports do not resolve, so esbuild bundles
    each entry into one module in ``cyclr_widgets/static/`` (``npm run build``; the wheel build
    runs it through ``hatch-jupyter-builder``; ``scripts/test.sh`` and ``scripts/demo.sh`` run it
    in a checkout). Each widget's stylesheet (``js/<widget>.css``, importing its parts') is
    bundled there too.

    Parameters
    ----------
    name : str
        File name, e.g. ``"oauth_popup.js"`` or ``"oauth_popup.css"``.

    Returns
    -------
    pathlib.Path
        ``cyclr_widgets/static/<name>``.

    Raises
    ------
    FileNotFoundError
        If the file is missing (a checkout that was not built, or a broken install); failing at
        import time is clearer than a widget that silently renders nothing.
    """
    packaged = _PACKAGE_DIR / "static" / name
    if packaged.is_file():
        return packaged
    msg = f"The widget module {name!r} is missing from {packaged.parent}: {_BUILD_HINT}."
    raise FileNotFoundError(msg)
