#!/usr/bin/env bash
# Install what the tests need and run all of them: lint, unit, AppTest, real data, browser.
# Installs Debian's chromium, poppler-utils, PostgreSQL and nginx (apt) and axe-core and leaflet-draw (npm) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # poppler-utils: pdftoppm/pdftotext check the PDF reports in the tests
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null
fi
# PostgreSQL server binaries for the database round-trip test (tests/test_store.py).
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
# nginx for the scale-out test (tests/e2e/test_scale_out.py runs deploy/nginx.conf on loopback).
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi
[ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/leaflet-draw/dist/leaflet.draw.js ] || npm install --no-audit --no-fund --silent
.venv/bin/python -m placemap.render.assets >/dev/null
.venv/bin/ruff check .
.venv/bin/ruff format --check .
bash scripts/audit.sh  # pip-audit of the pinned requirements (policy: SECURITY.md)
# Two workers (pytest-xdist): the suite runs in about half the time on a 2-core machine.
exec .venv/bin/python -m pytest -n 2 "$@"
