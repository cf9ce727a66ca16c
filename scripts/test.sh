#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole test suite, offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
.venv/bin/python -m ruff check app tests benchmarks
# The floors of the house and no import cycles (contracts in pyproject.toml).
.venv/bin/lint-imports
# The tests' files (every tmp_path, the documents they commit to) go in a folder in RAM
# when /dev/shm has room: a durable commit's fsync costs ~6 ms on this disk and nothing
# there, and the suite commits thousands of times (the stateful test 53 s -> 14 s). The
# code is the same; a kill -9 does not need the fsync (the page cache outlives the
# process), and the tests that fill a disk mount their own tmpfs or set RLIMIT_FSIZE.
if [ -z "${WAYMARK_TEST_TMPDIR:-}" ] && [ -d /dev/shm ] && \
   [ "$(df -Pk /dev/shm | awk 'NR==2 {print $4}')" -gt 4194304 ]; then
  WAYMARK_TEST_TMPDIR=$(mktemp -d /dev/shm/waymark-tests.XXXXXX)
  trap 'rm -rf "$WAYMARK_TEST_TMPDIR"' EXIT
fi
if [ -n "${WAYMARK_TEST_TMPDIR:-}" ]; then
  export TMPDIR="$WAYMARK_TEST_TMPDIR"
fi
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
