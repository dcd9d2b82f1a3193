"""Figures for change and evaluation: comparable LSOAs across editions, and the time of one evaluation.

Run from the project folder: ``python benchmarks/change_evaluation.py``. Prints a table;
not a test.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from placemap.analysis import change, evaluation, evaluation_inputs, lsoa_change
from placemap.data import loaders
from placemap.data.catalogue import get_vintage

N_TREATED, N_BOOT, REPEATS = 50, 1000, 7


def main() -> None:
    t0 = time.perf_counter()
    lookup = lsoa_change.read_lsoa_lookup(loaders.data_path(lsoa_change.LOOKUP_FILE))
    frames = {y: loaders.read_areas(get_vintage(y)) for y in (2015, 2019, 2025)}
    population = frames[2019][lsoa_change.POPULATION_COLUMN]
    lad = lsoa_change.read_lad_regions(loaders.data_path(lsoa_change.REGION_FILE))
    regions21 = lsoa_change.lsoa21_regions(lsoa_change.lsoa11_regions(frames[2015]["lad13_code"], lad), lookup)
    print(f"Loading the three editions and the lookup: {time.perf_counter() - t0:.1f} s\n")

    print("Comparable LSOAs (IMD; the same for every domain: no LSOA lacks a rank)")
    for before, after in ((2019, 2025), (2015, 2025), (2015, 2019)):
        for rule_name in lsoa_change.MERGED_RULES:
            _table, rule = change.compare_editions(
                change.edition_values(frames[before], before, "imd"),
                change.edition_values(frames[after], after, "imd"),
                before,
                after,
                lookup,
                population,
                rule_name,
            )
            c = rule.counts
            print(
                f"  IoD{before} -> IoD{after}, merged = {rule_name:<14}: {rule.n_comparable:,} of {rule.n_areas:,} "
                f"({rule.n_comparable / rule.n_areas:.2%}); U {c['U']:,}, S {c['S']:,}, M {c['M']:,}, X {c['X']:,}"
            )

    t0 = time.perf_counter()
    frame = evaluation.analysis_frame(
        frames, 2019, 2025, "income", lookup, population, regions21[lsoa_change.REGION_CODE]
    )
    print(
        f"\nAnalysis frame IoD2019 -> IoD2025, Income (33,755 LSOAs): {time.perf_counter() - t0:.2f} s (cached per view)"
    )
    treated = tuple(frame.index[frame["la_code"] == "E08000003"][:N_TREATED])  # 50 LSOAs of Manchester
    for label, options in (
        ("3 neighbours", evaluation_inputs.MatchOptions(3)),
        ("3 neighbours, same region, not same LA", evaluation_inputs.MatchOptions(3, True, True)),
        ("10 neighbours", evaluation_inputs.MatchOptions(10)),
    ):
        intervention = evaluation_inputs.Intervention(
            "bench", treated, "income", 2019, 2025, options=options, n_boot=N_BOOT
        )
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            result = evaluation.evaluate(frame, intervention)
            times.append(time.perf_counter() - t0)
        e = result.estimate
        print(
            f"Evaluation, {N_TREATED} treated LSOAs, {N_BOOT:,} bootstrap draws, {label}: "
            f"median {statistics.median(times) * 1000:.0f} ms (min {min(times) * 1000:.0f}, max "
            f"{max(times) * 1000:.0f}; {REPEATS} runs). DiD {e.did:+.2f} points [{e.ci_low:+.2f}, {e.ci_high:+.2f}]"
        )


if __name__ == "__main__":
    main()
