"""Figures for the systems view and priority finder. Not a test; prints a table.

    python benchmarks/systems_figures.py [--repeat 5]

* rank stability, 1,000 seeded random weightings around the official IMD weights:
  Birmingham (E08000025) against England's top decile, Birmingham against its own
  top decile, and all of England;
* LISA (esda.Moran_Local, 999 permutations) and Gi* on Birmingham's LSOAs with queen
  contiguity: the first call in a process (which includes numba compiling esda's
  permutation code) and warm calls.

Times are wall-clock medians over ``--repeat`` runs (the first LISA call is timed once).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from placemap.analysis import hotspots, priority
from placemap.data import loaders, prepare
from placemap.data.catalogue import get_vintage

BIRMINGHAM = "E08000025"


def _time(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--year", type=int, default=2025, choices=(2025, 2019))
    args = parser.parse_args()
    year = args.year
    print(f"IoD{year}, {os.cpu_count()} CPU(s), Python {sys.version.split()[0]}")

    national = loaders.read_areas(get_vintage(year))
    geometry = prepare.areas_in(
        loaders.read_area_boundaries(loaders.data_path(get_vintage(year).boundary_file)), (BIRMINGHAM,)
    )
    fractions, _ = priority.normalise_weights(priority.OFFICIAL_WEIGHTS)
    weights = priority.weight_vector(fractions)
    transformed = priority.transformed_domains(national, year)
    in_birmingham = (national["la_code"] == BIRMINGHAM).to_numpy()
    rows = []

    t, shares = _time(lambda: priority.rank_stability(transformed, weights, in_birmingham), args.repeat)
    always = int((shares == 1).sum())
    rows.append(
        (f"Rank stability, Birmingham ({in_birmingham.sum()} LSOAs) vs England's top 10%", t, f"{always} always in")
    )
    t, shares = _time(
        lambda: priority.rank_stability(transformed, weights, in_birmingham, reference="place"), args.repeat
    )
    rows.append(("Rank stability, Birmingham vs its own top 10%", t, f"{int((shares == 1).sum())} always in"))
    t, shares = _time(lambda: priority.rank_stability(transformed, weights), args.repeat)
    rows.append(
        (f"Rank stability, all England ({len(national):,} LSOAs)", t, f"{int((shares == 1).sum()):,} always in")
    )
    t, _ = _time(lambda: priority.composite_index(national, year, priority.OFFICIAL_WEIGHTS), args.repeat)
    rows.append(("Composite index, all England (one weighting)", t, ""))

    values = hotspots.need_percentile(national.loc[geometry.index, "IMD_rank"].to_numpy(), len(national))
    start = time.perf_counter()
    stats = hotspots.local_statistics(values, geometry.geometry, "lisa")
    rows.append(("LISA, Birmingham, first call in the process (numba compiles)", time.perf_counter() - start, ""))
    t, stats = _time(lambda: hotspots.local_statistics(values, geometry.geometry, "lisa"), args.repeat)
    significant = int((hotspots.hotspot_classes(stats, 0.05) < 4).sum())
    rows.append(
        (f"LISA, Birmingham ({len(geometry)} LSOAs, 999 permutations), warm", t, f"{significant} significant at 0.05")
    )
    start = time.perf_counter()
    hotspots.local_statistics(values, geometry.geometry, "gi")
    rows.append(("Gi*, Birmingham, first call in the process", time.perf_counter() - start, ""))
    t, _ = _time(lambda: hotspots.local_statistics(values, geometry.geometry, "gi"), args.repeat)
    rows.append(("Gi*, Birmingham, warm", t, ""))

    width = max(len(r[0]) for r in rows)
    for label, seconds, note in rows:
        print(f"{label:<{width}}  {seconds:8.3f} s  {note}")


if __name__ == "__main__":
    main()
