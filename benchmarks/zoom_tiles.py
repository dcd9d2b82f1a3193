"""What the sharper tiles of the all-England LSOA view cost: per zoom band, and per view as people zoom.

Warm (boundaries loaded and projected once, as in a running server): the national image (2400 px),
then every tile of England at zoom 9, 10 and 11 (what pre-drawing a band would cost), then the
tiles one map view needs (1,000 x 620 px, a tile's margin) over Manchester at zoom 10, 12 and 13,
as the page draws them after a zoom. Prints time, tiles, bytes and pixels per degree.

Run: PYTHONPATH=. .venv/bin/python benchmarks/zoom_tiles.py [--bands 9 10 11]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import shapely
from pyproj import Transformer

from placemap.render import raster, tiles
from placemap.ui import cache

MANCHESTER = (53.4808, -2.2426)
TO_LATLNG = Transformer.from_crs(raster.WEB_MERCATOR, 4326, always_xy=True)


def view_bounds(zoom: int, lat: float, lng: float, width: int = 1000, height: int = 620) -> tuple:
    x, y = tiles.to_mercator(lat, lng)
    metres = 2 * tiles.ORIGIN / (tiles.TILE_SIZE * 2**zoom)  # per pixel
    sw = _to_latlng(x - width / 2 * metres, y - height / 2 * metres)
    ne = _to_latlng(x + width / 2 * metres, y + height / 2 * metres)
    return sw[0], sw[1], ne[0], ne[1]


def _to_latlng(x: float, y: float) -> tuple[float, float]:
    lng, lat = TO_LATLNG.transform(x, y)
    return lat, lng


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bands", type=int, nargs="*", default=[9, 10, 11])
    args = parser.parse_args()
    year = 2025
    areas = cache.load_areas(year)
    las = tuple(sorted(areas["la_code"].unique()))
    classification, _ = cache.load_classification(year, las, "imd_score", "quantiles", 10, "viridis")
    projected = cache.load_projected_geometry(year)
    polygons = np.asarray(projected.loc[cache.place_geometry(year, las).index].values)
    tree = shapely.STRtree(polygons)
    extent = tuple(shapely.total_bounds(polygons))
    start = time.perf_counter()
    image = raster.render_choropleth(projected.loc[cache.place_geometry(year, las).index], classification)
    national_ppd = image.width / (image.bounds[1][1] - image.bounds[0][1])
    print(
        f"national image: {time.perf_counter() - start:.2f} s, {len(image.png) / 1e6:.2f} MB, "
        f"{image.width} x {image.height} px, {national_ppd:.0f} px per degree"
    )
    for zoom in args.bands:
        c0, r0 = tiles.tile_at(extent[0], extent[3], zoom)
        c1, r1 = tiles.tile_at(extent[2], extent[1], zoom)
        start, count, drawn, size, step = time.perf_counter(), 0, 0, 0, 8
        for r in range(r0, r1 + 1, step):
            for c in range(c0, c1 + 1, step):
                block = [(x, y) for y in range(r, min(r + step, r1 + 1)) for x in range(c, min(c + step, c1 + 1))]
                wanted = [t for t in block if len(tree.query(shapely.box(*tiles.tile_window(zoom, *t))))]
                out = tiles.render_tiles(polygons, tree, classification, zoom, wanted)
                count += len(block)
                drawn += len(out)
                size += sum(len(p) for p in out.values())
        print(
            f"England at zoom {zoom}: {time.perf_counter() - start:.1f} s, {drawn:,} tiles with LSOAs "
            f"(of {count:,} in the extent), {size / 1e6:.1f} MB, {tiles.pixels_per_degree(zoom):.0f} px per degree "
            f"({tiles.pixels_per_degree(zoom) / national_ppd:.1f}x the image)"
        )
    for zoom in (10, 12, 13):
        wanted = tiles.tiles_in_view(view_bounds(zoom, *MANCHESTER), zoom, extent)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            out = tiles.render_tiles(polygons, tree, classification, zoom, wanted)
            times.append(time.perf_counter() - start)
        print(
            f"Manchester view at zoom {zoom}: {len(wanted)} tiles, median {np.median(times) * 1000:.0f} ms, "
            f"{sum(len(p) for p in out.values()) / 1e3:.0f} KB, {tiles.pixels_per_degree(zoom) / national_ppd:.1f}x "
            "the image's pixels per degree"
        )


if __name__ == "__main__":
    main()
