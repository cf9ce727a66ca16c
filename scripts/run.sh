#!/usr/bin/env bash
# Set up (scripts/setup.sh) and start Waymark on the sample map (or on the file given).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/waymark "$@"
