#!/usr/bin/env bash
# The version matrix: the Pythons and dependency versions that pyproject.toml claims, tested.
#
#   lowest      Python 3.10 (the oldest supported), every direct dependency at its declared floor
#               (uv --resolution lowest-direct, with each floor pinned): the fast suite
#   newest      Python 3.13 (the newest supported), the newest releases: the fast suite, with
#               the `parquet` extra too (pyarrow: the support bundle's Parquet files are tested
#               here; the main job leaves pyarrow out, as most installs do)
#   kernel-6.29 Python 3.11, the newest releases except ipykernel 6.29.x  \
#   kernel-7.0  ... except ipykernel 7.0.x                                 > wait() and await in a
#   kernel-7.x  ... with the newest ipykernel 7.x                         /  real kernel
#
# The fast suite is `pytest -m "not browser and not kernel"`: no browser, no kernel, so each
# leg installs only the `test-fast` extra. Every leg has its own venv in .venvs/ (made with uv,
# whose cache makes a re-run's install a few seconds). Legs run one after the other: the
# machine has two cores and the kernel tests must not race a busy neighbour.
#
# Usage: bash scripts/matrix.sh [LEG...]   (default: all legs; exit status non-zero if any fails)
# Pythons are looked up on PATH and in pyenv; override with CYCLR_PY310=/path/to/python3.10 etc.
# scripts/test.sh runs this before the main suite (CYCLR_MATRIX=0 skips it there).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

VENVS=.venvs
TOOLS="$VENVS/tools"
FAST=(-m "not browser and not kernel"
      # Holds only kernel tests, and under CI=true imports JupyterLab at collection (not installed
      # in these legs: only `test-fast` is).
      --ignore=tests/notebooks/test_demo_launcher.py)
KERNEL_TESTS=(tests/widgets/test_kernel_wait.py tests/widgets/test_oauth_popup_kernel.py)
export UV_PYTHON_DOWNLOADS=never  # only registries are reachable: use the Pythons on the machine

mkdir -p "$VENVS"
[ -f "$VENVS/.gitignore" ] || printf '# Made by scripts/matrix.sh\n*\n' >"$VENVS/.gitignore"

# uv, plus what reading pyproject.toml's floors needs, in a small venv of their own.
if [ ! -x "$TOOLS/bin/uv" ]; then
  echo "== matrix: installing uv into $TOOLS"
  if ! { [ -x "$TOOLS/bin/python" ] || "${PYTHON:-python3}" -m venv "$TOOLS"; } ||
     ! "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check \
         'uv>=0.13,<1' 'packaging>=23' "tomli>=2; python_version<'3.11'"; then
    echo "matrix: could not install uv" >&2
    exit 2
  fi
fi
UV="$TOOLS/bin/uv"

find_python() {  # find_python 3.10 -> prints an interpreter of that version
  local want=$1 var="CYCLR_PY${1//./}" cand
  local -a cands=()
  [ -n "${!var:-}" ] && cands+=("${!var}")
  cands+=("$(command -v "python$want" 2>/dev/null)")
  local -a pyenv=()
  mapfile -t pyenv < <(printf '%s\n' \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$want".*/bin/python"$want" | sort -rV)
  cands+=("${pyenv[@]}" "/usr/bin/python$want" "/usr/local/bin/python$want")
  for cand in "${cands[@]}"; do
    if [ -z "$cand" ] || [ ! -x "$cand" ]; then continue; fi
    if "$cand" -c "import sys; sys.exit(f'{sys.version_info[0]}.{sys.version_info[1]}' != '$want')" \
        2>/dev/null; then
      echo "$cand"
      return 0
    fi
  done
  echo "matrix: no Python $want found; set $var=/path/to/python$want" >&2
  return 1
}

floors() {  # the direct dependencies and the test-fast extra, each pinned to its floor
  "$TOOLS/bin/python" - <<'PY'
import sys

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

project = tomllib.load(open("pyproject.toml", "rb"))["project"]
floors: dict[tuple[str, str], Version] = {}
for line in project["dependencies"] + project["optional-dependencies"]["test-fast"]:
    req = Requirement(line)
    key = (canonicalize_name(req.name), str(req.marker or ""))
    for spec in req.specifier:
        if spec.operator == ">=":  # a package in both lists gets the higher floor
            floors[key] = max(floors.get(key, Version(spec.version)), Version(spec.version))
for (name, marker), version in floors.items():
    print(f"{name}=={version}" + (f"; {marker}" if marker else ""))
PY
}

venv_for() {  # venv_for NAME PYTHON -> a venv of that interpreter in .venvs/NAME
  local dir="$VENVS/$1" py=$2
  if [ -x "$dir/bin/python" ] &&
     [ "$("$dir/bin/python" -c 'import sys; print(sys.version)')" = \
       "$("$py" -c 'import sys; print(sys.version)')" ]; then
    return 0
  fi
  "$UV" venv -q --clear --python "$py" "$dir"
}

show_versions() {
  "$1" - <<'PY'
import platform
from importlib import metadata

names = ["pandas", "numpy", "httpx", "anywidget", "ipywidgets", "traitlets", "starlette",
         "uvicorn", "pytest", "ipykernel"]
have = []
for name in names:
    try:
        have.append(f"{name} {metadata.version(name)}")
    except metadata.PackageNotFoundError:
        pass
print(f"   Python {platform.python_version()}: " + ", ".join(have))
PY
}

declare -a SUMMARY=()
FAILED=()

leg() {  # leg NAME PYTHON-VERSION DESCRIPTION -- UV-INSTALL-ARGS... -- PYTEST-ARGS...
  local name=$1 pyver=$2 desc=$3 py start rc
  shift 4
  local -a install=() tests=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do install+=("$1"); shift; done
  shift
  tests=("$@")
  echo
  echo "================ matrix leg $name: Python $pyver, $desc ================"
  start=$SECONDS
  rc=0
  if ! py=$(find_python "$pyver"); then
    rc=2
  elif ! venv_for "$name" "$py" ||
       ! "$UV" pip install -q --exact --upgrade --python "$VENVS/$name/bin/python" \
           "${install[@]}"; then
    echo "matrix leg $name: installing failed" >&2
    rc=2
  else
    show_versions "$VENVS/$name/bin/python"
    "$VENVS/$name/bin/python" -m pytest -p no:cacheprovider -q "${tests[@]}"
    rc=$?
  fi
  local took=$((SECONDS - start))
  if [ $rc -eq 0 ]; then
    SUMMARY+=("$(printf '  %-12s ok      %4ss  Python %s, %s' "$name" "$took" "$pyver" "$desc")")
  else
    SUMMARY+=("$(printf '  %-12s FAILED  %4ss  Python %s, %s' "$name" "$took" "$pyver" "$desc")")
    FAILED+=("$name")
  fi
}

want() {  # is leg $1 selected on the command line (or are all)?
  [ ${#SELECTED[@]} -eq 0 ] && return 0
  local s
  for s in "${SELECTED[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}
SELECTED=("$@")

if want lowest; then
  floors >"$VENVS/lowest-floors.txt" || { echo "matrix: cannot read the floors" >&2; exit 2; }
  leg lowest 3.10 "every direct dependency at its floor" -- \
    --resolution lowest-direct -c "$VENVS/lowest-floors.txt" -e '.[test-fast]' -- "${FAST[@]}"
fi
want newest && leg newest 3.13 "the newest releases" -- -e '.[test-fast,parquet]' -- "${FAST[@]}"
want kernel-6.29 && leg kernel-6.29 3.11 "ipykernel 6.29.x" -- \
  -e '.[test-fast]' 'ipykernel~=6.29.0' -- "${KERNEL_TESTS[@]}"
want kernel-7.0 && leg kernel-7.0 3.11 "ipykernel 7.0.x" -- \
  -e '.[test-fast]' 'ipykernel~=7.0.0' -- "${KERNEL_TESTS[@]}"
want kernel-7.x && leg kernel-7.x 3.11 "the newest ipykernel 7.x" -- \
  -e '.[test-fast]' 'ipykernel>=7,<8' -- "${KERNEL_TESTS[@]}"

echo
echo "== matrix summary"
printf '%s\n' "${SUMMARY[@]}"
if [ ${#FAILED[@]} -gt 0 ]; then
  echo "matrix: FAILED legs: ${FAILED[*]}" >&2
  exit 1
fi
