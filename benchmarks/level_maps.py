"""Figures for maps at any level: places drawn, time to build them (cold, one process) and the map's size.

Run from the project folder: ``python benchmarks/level_maps.py``. Prints a table; not a test.
The first row also pays for reading the LSOAs, the lookups and the File 10 summaries.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
logging.getLogger("streamlit").setLevel(logging.ERROR)

from placemap.render import level_layers, maps  # noqa: E402
from placemap.ui import level_map, place_cache  # noqa: E402

YEAR = 2025
BLACKPOOL = ("E06000009",)


def main() -> None:
    every_la = tuple(sorted(place_cache.load_place_lookup(YEAR)["la_code"].unique()))
    cases = [
        ("ward", BLACKPOOL, "Blackpool"),
        ("msoa", BLACKPOOL, "Blackpool"),
        ("ward", every_la, "England"),
        ("msoa", every_la, "England"),
        ("la", level_map.ENGLAND_EXTENT, "England"),
        ("utla", level_map.ENGLAND_EXTENT, "England"),
        ("cauth", level_map.ENGLAND_EXTENT, "England"),
        ("icb", level_map.ENGLAND_EXTENT, "England"),
    ]
    print(f"{'level':6} {'extent':10} {'places':>7} {'build s':>8} {'map MB':>7} {'style kB':>9}")
    for level, extent, where in cases:
        start = time.perf_counter()
        places = level_map.load_level_places(YEAR, level, extent)
        _, payload, _ = level_map.load_level_style(
            YEAR, level, extent, "imd", "average_rank", "quantiles", 7, "viridis"
        )
        seconds = time.perf_counter() - start
        base = maps.build_base_map(places["features"], places["bounds"])
        if places["lsoas"] is not None:
            level_layers.zoomed_lsoa_layer(places["lsoas"]).add_to(base)
        html = maps.render_map_html(base, [maps.build_style_layer(payload)])
        print(
            f"{level:6} {where:10} {len(places['codes']):>7,} {seconds:>8.2f} {len(html) / 1e6:>7.2f} "
            f"{len(json.dumps(payload)) / 1e3:>9.0f}"
        )


if __name__ == "__main__":
    main()
