#!/usr/bin/env bash
# Install what a fresh Debian/Ubuntu machine lacks for Waymark, into ./.venv.
# System libraries (Qt's offscreen/xcb needs, poppler for PDF checks) come from apt when
# we can use it (root or sudo); Python packages go into a virtual environment.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt offscreen platform
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libxkbcommon0 libdbus-1-3
  # fc-list: system fonts for characters the shipped fonts do not cover (issue 15)
  fontconfig
  # Qt on X11 / Xvfb (screenshots, running the editor on a virtual screen)
  xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 libxcb-randr0 libxcb-xinerama0 libxkbcommon-x11-0
  # pdftoppm, to look at exported posters
  poppler-utils
  # headless Chromium: exported SVGs are checked as a browser draws them (tests); the room's
  # participant page is driven in it through Selenium (chromium-driver)
  chromium chromium-driver
  # room mode: the join QR code is read back by a real decoder (zbarimg) in the tests
  zbar-tools
)
if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  # Node.js and npm run Mermaid's own parser in the tests (tests/mermaid/): Debian's
  # packages, unless a node is already installed (another build of it brings its own npm).
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

# Mermaid's own parser for the tests (every exported .mmd is read with it): the npm
# packages pinned by tests/mermaid/package-lock.json, into tests/mermaid/node_modules.
if command -v npm >/dev/null 2>&1; then
  stamp=tests/mermaid/node_modules/.waymark-lock
  want=$(sha256sum tests/mermaid/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    npm ci --prefix tests/mermaid --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
fi
