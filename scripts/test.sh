#!/usr/bin/env bash
# The whole test suite: ruff, the JavaScript unit tests (node --test) and pytest, real-browser
# tests included. Creates/updates the virtual environment in .venv (or $CYCLR_VENV) itself.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k sandbox`.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${CYCLR_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

"$PYTHON" - <<'PY' || { echo "cyclr-widgets needs Python 3.10 or newer (set PYTHON=...)" >&2; exit 2; }
import sys
sys.exit(sys.version_info < (3, 10))
PY
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]'

# Browser tests drive Debian's chromium (Playwright's own browser download cannot work offline).
CHROMIUM="${CYCLR_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Browser tests need Chromium at $CHROMIUM. Install it with: sudo apt-get install -y chromium" >&2
    echo "(or point CYCLR_CHROMIUM at a Chromium binary). Without it the browser tests are skipped," >&2
    echo "except under CI=true, where they fail." >&2
  fi
fi

echo "== ruff"
"$VENV/bin/ruff" check .
echo "== mypy"
"$VENV/bin/mypy"
if command -v node >/dev/null 2>&1; then
  echo "== node --test (js/)"
  node --test js/*.test.mjs
elif [ "${CI:-}" = "true" ]; then
  echo "node is required for the JavaScript unit tests" >&2; exit 2
else
  echo "node not found: skipping the JavaScript unit tests" >&2
fi
echo "== pytest"
exec "$VENV/bin/python" -m pytest "$@"
