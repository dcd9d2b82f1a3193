"""Server script time of every page: the first run after a start, and reruns (median), in one process.

Runs each page through ``streamlit.testing.v1.AppTest`` (the app's own script, no browser), after a
warm-up run of the map, and times a rerun with nothing changed and a rerun after a widget change
where the page has an obvious one. The figures are the script's own time on the server, the part
of a click that no browser can hide. Also prints the process's resident memory at the end.

Usage: .venv/bin/python benchmarks/page_runs.py [--runs 5] [--profile PAGE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (label, page file, query parameters)
PAGES = [
    ("map, one LA", "views/map.py", {"la": "E08000003"}),
    ("map, all-England LSOAs", "views/map.py", {"region": "england", "geo": "lsoa"}),
    ("map, all-England LAs", "views/map.py", {"region": "england"}),
    ("profile", "views/profile.py", {"la": "E08000003"}),
    ("profile, one LSOA", "views/profile.py", {"area": "E01005189"}),
    ("compare", "views/compare.py", {}),
    ("compare, LSOAs", "views/compare.py", {"cmp": "E01033658,E01005189"}),
    ("systems", "views/systems.py", {"la": "E08000003"}),
    ("priorities", "views/priorities.py", {"la": "E08000003"}),
    ("hot spots", "views/hotspots.py", {"la": "E08000003"}),
    ("change", "views/change.py", {"la": "E08000003"}),
    ("evaluate", "views/evaluate.py", {}),
    ("workshop", "views/workshop.py", {}),
    ("initiatives", "views/initiatives.py", {}),
    ("upload", "views/upload.py", {}),
    ("about", "views/about.py", {}),
]


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory in MB (``"RssAnon"``: the private part, without mapped files' pages)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def time_page(path: str, params: dict, runs: int) -> tuple[float, float]:
    """(first run, median rerun) of one page in seconds, in a fresh AppTest session."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.query_params.update(params)
    at.run()
    at.switch_page(path)
    started = time.perf_counter()
    at.run()
    first = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{path}: {[e.value for e in at.exception]}")
    reruns = []
    for _ in range(runs):
        started = time.perf_counter()
        at.run()
        reruns.append(time.perf_counter() - started)
    return first, statistics.median(reruns)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", help="labels of the pages to time (default: all)")
    args = parser.parse_args()
    print(f"{'page':28} {'first run s':>11} {'rerun s':>8}   resident memory after (private)")
    for label, path, params in PAGES:
        if args.only and label not in args.only:
            continue
        first, rerun = time_page(path, params, args.runs)
        print(f"{label:28} {first:11.2f} {rerun:8.3f}   {rss_mb():5.0f} MB ({rss_mb('RssAnon'):.0f} MB)", flush=True)
    print(f"resident memory at the end: {rss_mb():.0f} MB ({rss_mb('RssAnon'):.0f} MB private)")


if __name__ == "__main__":
    main()
