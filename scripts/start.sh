#!/usr/bin/env bash
# Install what the app needs (into .venv) and start it on the bundled data.
# Usage: bash scripts/start.sh [extra streamlit arguments, e.g. --server.port 8502]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt
# Leaflet.draw (the Draw an area page's tools) comes from npm, pinned in package-lock.json; without
# npm every other page works and the drawing page says what is missing.
if [ ! -f node_modules/leaflet-draw/dist/leaflet.draw.js ] && command -v npm >/dev/null 2>&1; then
  npm install --omit=dev --no-audit --no-fund --silent
fi
.venv/bin/python -m placemap.render.assets >/dev/null   # Leaflet and Leaflet.draw served by the app: no CDN needed
.venv/bin/python scripts/build_cache.py   # derived tables on disk (first time ~15 s): later starts read them
# `streamlit run app.py "$@"`, with the app's modules imported before the first person is served.
exec .venv/bin/python -m placemap.ui.serve "$@"
