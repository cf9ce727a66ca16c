#!/usr/bin/env bash
# Build the one-folder bundle with PyInstaller and smoke-test it: the bundle must start
# offscreen, create and open the sample map, and export a PDF. A broken bundle fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
"$PY" -m pip install -q "pyinstaller>=6.10,<7"
"$PY" -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
  packaging/waymark.spec
BIN=dist/waymark/waymark
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
"$BIN" --version
"$BIN" new "$work/sample.cjm" --template sample
"$BIN" info "$work/sample.cjm"
"$BIN" export "$work/sample.cjm" -o "$work/sample.pdf" --paper A2
"$BIN" export "$work/sample.cjm" -o "$work/sample.png" --paper A4 --dpi 72
head -c 5 "$work/sample.pdf" | grep -q '%PDF-' || { echo "bundle smoke test: no PDF" >&2; exit 1; }
# Help > User Guide opens these files (PyInstaller 6 keeps data under _internal/)
[ -f dist/waymark/_internal/docs/guide/README.md ] || { echo "bundle smoke test: no user guide" >&2; exit 1; }
# The editor itself: start it offscreen on the sample map; it reports what it shows and quits.
shown=$(WAYMARK_SMOKE_SECONDS=1 timeout 120 "$BIN" "$work/sample.cjm" 2>/dev/null)
echo "$shown"
echo "$shown" | grep -q "shows 56 cards" || { echo "bundle smoke test: the editor did not show the map" >&2; exit 1; }
echo "bundle OK: $(du -sh dist/waymark | cut -f1) in dist/waymark"
