"""What the measures behind the indices add: indicators per edition, load time and memory.

Prints figures; not a test. ``.venv/bin/python benchmarks/measures_cost.py``
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from placemap.data import loaders
    from placemap.data.catalogue import CATALOGUE, INDICATORS, get_vintage
    from placemap.data.values import with_registered

    for year in (2025, 2019, 2015):
        official = sum(1 for i in INDICATORS if year in i.columns)
        print(f"IoD{year}: {official} official indicators, {len(CATALOGUE.for_edition(year)) - official} measures")
    areas = {
        y: loaders.read_iod_table(loaders.data_path(get_vintage(y).iod_file), get_vintage(y)) for y in (2025, 2019)
    }
    areas = {
        y: a.set_index(loaders.AREA_CODE, drop=False) if loaders.AREA_CODE in a.columns else a for y, a in areas.items()
    }
    from placemap.data.measure_catalogue import measure_table

    before = _rss_mb()
    start = time.perf_counter()
    for year in (2025, 2021, 2019, 2011):
        t = time.perf_counter()
        table = measure_table(year)
        print(f"  read measures {year}: {time.perf_counter() - t:.2f} s, {table.values.shape[1]} measures")
    read = time.perf_counter() - start
    for year in (2025, 2019):
        t = time.perf_counter()
        joined = with_registered(areas[year], year)
        print(
            f"  joined and ranked on IoD{year}'s LSOAs: {time.perf_counter() - t:.2f} s, +{joined.shape[1] - areas[year].shape[1]} columns"
        )
    total = time.perf_counter() - start
    print(f"Load time added: {read:.2f} s reading, {total:.2f} s with joins and ranks (once per process)")
    print(f"Memory added: {_rss_mb() - before:.0f} MB resident (tables, joined columns, ranks)")


if __name__ == "__main__":
    main()
