#!/usr/bin/env bash
# The whole test suite: the JavaScript build (npm ci, esbuild) and type check (tsc), ruff,
# mypy, the JavaScript unit tests (node --test), the version matrix
# (scripts/matrix.sh: the fast suite on Python 3.10 with every dependency at its floor and on
# Python 3.13 with the newest releases; wait()/await in a real kernel on ipykernel 6.29, 7.0 and
# the newest 7.x), then pytest on the main environment, real-browser and real-kernel tests
# included. Creates/updates the virtual environment in .venv (or $CYCLR_VENV) itself.
# Extra arguments go to the main pytest run, e.g. `CYCLR_MATRIX=0 bash scripts/test.sh -k sandbox`
# (CYCLR_MATRIX=0 skips the matrix). The exit status is non-zero if the matrix or pytest failed;
# the last line printed says which.
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

# The widgets' ES modules are bundled by esbuild (js/<widget>.js + js/parts/ ->
# cyclr_widgets/static/, which every install of this checkout, the matrix's included, reads).
command -v npm >/dev/null 2>&1 || { echo "Node.js and npm are needed to build the widgets' JavaScript" >&2; exit 2; }
echo "== npm ci && npm run build"
npm ci --no-audit --no-fund --loglevel=error
npm run -s build
echo "== tsc --checkJs (jsconfig.json)"
npx --no-install tsc -p jsconfig.json --noEmit
echo "== ruff"
"$VENV/bin/ruff" check .
echo "== mypy"
"$VENV/bin/mypy"
echo "== node --test (js/)"
node --test js/*.test.mjs
# The matrix's two fast-suite legs (one core, CPU-bound) run beside the main pytest run (whose
# browser and kernel tests mostly wait on servers): together they take about as long as the
# longer of the two, not their sum. Their output goes to a log printed afterwards, so the two
# runs' lines never interleave. The kernel legs run after, alone: they must not race a busy
# neighbour (scripts/matrix.sh).
matrix_rc=0
matrix_pid=
MATRIX_LOG="$(mktemp "${TMPDIR:-/tmp}/cyclr-matrix.XXXXXX")"
trap 'rm -f "$MATRIX_LOG"; [ -z "$matrix_pid" ] || kill "$matrix_pid" 2>/dev/null || true' EXIT
if [ "${CYCLR_MATRIX:-1}" != 0 ]; then
  echo "== version matrix, fast legs (scripts/matrix.sh lowest newest), beside pytest: log printed after it"
  PYTHON="$PYTHON" bash scripts/matrix.sh lowest newest >"$MATRIX_LOG" 2>&1 &
  matrix_pid=$!
fi
echo
echo "== pytest (the whole suite, $("$VENV/bin/python" -c 'import platform; print("Python", platform.python_version())') in $VENV)"
rc=0
"$VENV/bin/python" -m pytest "$@" || rc=$?
if [ -n "$matrix_pid" ]; then
  wait "$matrix_pid" || matrix_rc=$?
  matrix_pid=
  echo
  echo "== version matrix, fast legs (run beside pytest)"
  cat "$MATRIX_LOG"
  echo "== version matrix, kernel legs (scripts/matrix.sh kernel-6.29 kernel-7.0 kernel-7.x)"
  PYTHON="$PYTHON" bash scripts/matrix.sh kernel-6.29 kernel-7.0 kernel-7.x || matrix_rc=$?
fi
if [ "$matrix_rc" -ne 0 ]; then
  echo "FAILED: the version matrix (see 'matrix summary' above), whatever pytest said" >&2
  [ "$rc" -ne 0 ] || rc=$matrix_rc
elif [ "$rc" -ne 0 ]; then
  echo "FAILED: pytest (see its summary above); the version matrix passed" >&2
else
  echo "OK: pytest and the version matrix passed"
fi
exit "$rc"
