"""Time to draw an uploaded LSOA indicator for all of England as the map's image (33,755 LSOAs 2021).

Warm: boundaries loaded and projected to Web Mercator once (as in a running server), then
five renders of the image (join, classify, draw, PNG) by the official path (``cache.load_raster``
with the upload's registry digest) with the caching bypassed, the same
for a built-in indicator for comparison, and a cached repeat (same upload, scheme, palette).

Run: PYTHONPATH=. .venv/bin/python benchmarks/upload_raster_speed.py
"""

from __future__ import annotations

import tempfile
import time

import numpy as np
import pandas as pd

from placemap.data import loaders, prepare
from placemap.data.catalogue import get_vintage
from placemap.render.choropleth import MapChoice
from placemap.ui import cache
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable


def main() -> None:
    year = 2025
    areas = loaders.read_areas(get_vintage(year))
    las = tuple(sorted(areas["la_code"].unique()))
    rng = np.random.default_rng(8)
    codes = areas.index[rng.random(len(areas)) < 0.9]  # 90 % of LSOAs have a value, the rest "no data"
    values = pd.DataFrame({"v": rng.uniform(0, 100, len(codes))}, index=pd.Index(codes, name="area_code"))
    table = UploadedTable("bench", "Benchmark", "synthetic", "lsoa21", values, [ColumnSpec("v", "Survey score")])
    indicator_id, upload = table.indicators()[0].id, UPLOADS.put(table)
    out = tempfile.mkdtemp(prefix="placemap-bench-")
    cache.load_projected_geometry(year)  # warm: loaded once per server process
    place = prepare.areas_in(cache.load_areas(year), las)
    print(f"{len(place):,} LSOAs, {len(codes):,} with a value")
    times = []
    for _ in range(5):
        cache.load_raster.clear()
        cache.load_classification.clear()
        start = time.perf_counter()
        url, _, _, size = cache.load_raster(
            MapChoice(year, las, indicator_id, "quantiles", 10, "viridis"), upload, out_dir=out
        )
        times.append(time.perf_counter() - start)
    print(f"render (join, classify, draw, PNG): median {np.median(times):.2f} s, best {min(times):.2f} s (5 runs)")
    print(f"PNG: {size / 1e6:.2f} MB ({url.rsplit('/', 1)[1]})")
    builtin = []
    for _ in range(5):
        cache.load_raster.clear()
        start = time.perf_counter()
        cache.load_raster(MapChoice(year, las, "imd_rank", "quantiles", 10, "viridis"), out_dir=out)
        builtin.append(time.perf_counter() - start)
    print(f"same image of a built-in indicator (IMD rank): median {np.median(builtin):.2f} s (5 runs, same machine)")
    start = time.perf_counter()
    cache.load_raster(MapChoice(year, las, indicator_id, "quantiles", 10, "viridis"), upload, out_dir=out)
    print(f"cached repeat: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
