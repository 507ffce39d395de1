#!/usr/bin/env bash
# The README's main command: JupyterLab on the tutorials (notebooks/), wired to the embedded
# Cyclr sandbox. Needs Python 3.10+ and Node.js with npm (to bundle the widgets' JavaScript):
# creates .venv (or $CYCLR_VENV) and installs the package with its notebook extras on first use. Ctrl-C stops JupyterLab, its kernels and the sandbox.
#
# Extra arguments go to `cyclr-widgets lab`, e.g. `bash scripts/demo.sh --port 8899 --no-browser`.
# CYCLR_DEMO_SKIP_INSTALL=1 skips the pip step (the environment is known to be ready).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${CYCLR_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" - <<'PY' || { echo "cyclr-widgets needs Python 3.10 or newer (set PYTHON=...)" >&2; exit 2; }
import sys
sys.exit(sys.version_info < (3, 10))
PY
  echo "Creating the virtual environment in $VENV..."
  "$PYTHON" -m venv "$VENV"
fi

# Install once per pyproject.toml version: a second run starts at once and works offline
# (an editable re-install would rebuild through pip's isolated build env, which needs an index).
STAMP="$VENV/.cyclr-demo-installed"
WANT="$(cksum < pyproject.toml)"
if [ "${CYCLR_DEMO_SKIP_INSTALL:-}" != "1" ] && [ "$(cat "$STAMP" 2>/dev/null || true)" != "$WANT" ]; then
  echo "Installing cyclr-widgets and JupyterLab into $VENV (first run only)..."
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[notebooks]'
  echo "$WANT" > "$STAMP"
fi

# The widgets' ES modules are bundled by esbuild (js/ -> cyclr_widgets/static/); rebuilt when a
# source is newer than the bundle.
BUNDLE=cyclr_widgets/static/oauth_popup.js
if [ ! -f "$BUNDLE" ] || [ -n "$(find js package-lock.json -newer "$BUNDLE" -print -quit)" ]; then
  command -v npm >/dev/null 2>&1 || { echo "Node.js and npm are needed to build the widgets' JavaScript" >&2; exit 2; }
  echo "Building the widgets' JavaScript (npm ci && npm run build)..."
  npm ci --no-audit --no-fund --loglevel=error
  npm run -s build
fi

# exec: Ctrl-C goes straight to the launcher, which stops everything it started and exits 0.
# (`cyclr-widgets lab` and `python -m cyclr_widgets lab` run the same code; the latter also works
# from a checkout whose package is not installed, e.g. with CYCLR_DEMO_SKIP_INSTALL=1.)
if [ -x "$VENV/bin/cyclr-widgets" ]; then
  exec "$VENV/bin/cyclr-widgets" lab "$@"
fi
exec "$VENV/bin/python" -m cyclr_widgets lab "$@"
