#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole test suite, offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check app tests benchmarks
# The floors of the house and no import cycles (contracts in pyproject.toml).
.venv/bin/lint-imports
set +e
# The tests run in a pytest-xdist worker per core (at most 4: each holds its own Qt
# application and starts its own Chromium and node), a whole file to a worker (--dist
# loadfile: a file's module fixtures are made once). WAYMARK_TEST_WORKERS=0: one process.
.venv/bin/python -m pytest -q -p no:cacheprovider -n "${WAYMARK_TEST_WORKERS:-auto}" \
  --maxprocesses=4 --dist loadfile "$@"
rc=$?
set -e
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure" >&2
  exit 1
fi
exit "$rc"
