#!/usr/bin/env bash
# Re-measure the whole performance-goal table of docs/performance.md in one run, one benchmark
# after another on a quiet machine (nothing else running), and keep every script's output.
# Usage: bash benchmarks/goals.sh [out_dir]   (about 12 minutes on a 2-core machine)
set -uo pipefail  # a benchmark that fails is reported, and the others still run
cd "$(dirname "$0")/.."
OUT=${1:-benchmarks/results/goals}
mkdir -p "$OUT"
PY=.venv/bin/python
run() {  # name, then the command: output to the console and to $OUT/name.txt
  local name=$1; shift
  echo "== $name: $*" | tee "$OUT/$name.txt"
  local started=$SECONDS
  "$@" 2>&1 | grep -v "missing ScriptRunContext" | tee -a "$OUT/$name.txt"
  echo "== $name exit status ${PIPESTATUS[0]}" | tee -a "$OUT/$name.txt"
  echo "== $name took $((SECONDS - started)) s" | tee -a "$OUT/$name.txt"
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$OUT/machine.txt"
nproc | tee -a "$OUT/machine.txt"
# The derived tables on disk, as scripts/start.sh makes them before a server starts.
run build_cache $PY scripts/build_cache.py
# Server script per rerun on every page, and memory after each (no browser).
run page_runs $PY benchmarks/page_runs.py --runs 3
# The map against explore() per extent, then the live app: cold start, the floor, warm navigation, memory.
run map_speed $PY benchmarks/map_speed.py --app --runs 3 --out "$OUT"
# Every zoom: tiles per band and a view over Manchester.
run zoom_tiles env PYTHONPATH=. $PY benchmarks/zoom_tiles.py
# Many people: N = 1, 5, 20 real browsers; the server's own time per run apart from the browsers'.
run load $PY benchmarks/load.py --sessions 1 5 20 --seconds 45 --ramp 15 --out "$OUT"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/machine.txt"
