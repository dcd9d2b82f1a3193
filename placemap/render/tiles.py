"""Map tiles of a large view's choropleth, drawn for the part of the map in view as people zoom in.

Below ``TILE_MIN_ZOOM`` the view's one image (``raster.render_choropleth``, 2400 px across the
extent) is sharp enough; from there on the page draws the standard Web Mercator tiles
(256 px, ``z/x/y`` as Leaflet numbers them) that cover the map's bounds at its zoom, once per
classification, and the map's tile layer shows them over the image. Pure: no Streamlit, no files.
"""

from __future__ import annotations

import io
import math

import numpy as np
import shapely
from PIL import Image

from placemap.analysis.classify import Classification
from placemap.render import raster

TILE_SIZE = 256
TILE_MIN_ZOOM = 9  # below this the view's 2400 px image has a pixel or more per screen pixel
TILE_MAX_ZOOM = 13  # tiles are drawn up to this zoom; Leaflet stretches them beyond it
MAX_TILES = 80  # tiles drawn for one view at most (a 1,600 x 1,000 px map with a tile's margin)
ORIGIN = 20037508.342789244  # half the Web Mercator world's width, in metres


def tile_zoom(map_zoom: float | None) -> int | None:
    """The zoom whose tiles a map at ``map_zoom`` shows, or ``None`` when the image is enough.

    Example
    -------
    >>> tile_zoom(6), tile_zoom(8.75), tile_zoom(9.4), tile_zoom(12), tile_zoom(17)
    (None, 9, 9, 12, 13)
    """
    if map_zoom is None or not math.isfinite(map_zoom):
        return None
    rounded = math.floor(map_zoom + 0.5)  # as Leaflet rounds (Math.round), not to even
    return None if rounded < TILE_MIN_ZOOM else min(rounded, TILE_MAX_ZOOM)


def parse_viewport(value) -> tuple[float | None, tuple[float, float, float, float] | None]:
    """The zoom and (south, west, north, east) bounds in a map's returned value (``st_folium``), or ``None``s.

    The value comes from the browser: anything malformed or not finite is no viewport.

    Example
    -------
    >>> corners = {"_southWest": {"lat": 53.4, "lng": -2.3}, "_northEast": {"lat": 53.5, "lng": -2.1}}
    >>> parse_viewport({"zoom": 12, "bounds": corners})
    (12.0, (53.4, -2.3, 53.5, -2.1))
    >>> parse_viewport({"zoom": "x", "bounds": corners}), parse_viewport(None)
    ((None, None), (None, None))
    """
    if not isinstance(value, dict):
        return None, None
    try:
        zoom = float(value.get("zoom"))
        corners = value.get("bounds") or {}
        sw, ne = corners["_southWest"], corners["_northEast"]
        bounds = tuple(float(v) for v in (sw["lat"], sw["lng"], ne["lat"], ne["lng"]))
    except (KeyError, TypeError, ValueError):
        return None, None
    if not all(math.isfinite(v) for v in (zoom, *bounds)):
        return None, None
    return zoom, bounds


def pixels_per_degree(zoom: float) -> float:
    """Pixels per degree of longitude of a Web Mercator map at ``zoom`` (256 px tiles).

    Example
    -------
    >>> round(pixels_per_degree(12))
    2913
    """
    return TILE_SIZE * 2**zoom / 360


def to_mercator(lat: float, lng: float) -> tuple[float, float]:
    """Web Mercator metres (x, y) of a point (latitude clamped to the projection's limit)."""
    lat = max(min(lat, 85.0511), -85.0511)
    return ORIGIN * lng / 180, ORIGIN / math.pi * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def tile_at(x: float, y: float, zoom: int) -> tuple[int, int]:
    """The tile (column, row) holding a Web Mercator point at ``zoom``."""
    n = 2**zoom
    column = int((x + ORIGIN) / (2 * ORIGIN) * n)
    row = int((ORIGIN - y) / (2 * ORIGIN) * n)
    return min(max(column, 0), n - 1), min(max(row, 0), n - 1)


def tile_window(zoom: int, column: int, row: int) -> tuple[float, float, float, float]:
    """(west, south, east, north) in Web Mercator metres of one tile.

    Example
    -------
    >>> [round(v) for v in tile_window(1, 1, 0)]
    [0, 0, 20037508, 20037508]
    """
    size = 2 * ORIGIN / 2**zoom
    west, north = -ORIGIN + column * size, ORIGIN - row * size
    return west, north - size, west + size, north


def tiles_in_view(
    bounds: tuple[float, float, float, float], zoom: int, extent: tuple[float, float, float, float], margin: int = 1
) -> list[tuple[int, int]]:
    """The tiles at ``zoom`` covering a map view (plus ``margin`` tiles around it) inside ``extent``.

    ``bounds`` is the view's (south, west, north, east) in degrees, ``extent`` the place's
    (west, south, east, north) in Web Mercator metres. Empty when the view needs more than
    ``MAX_TILES`` (a map far larger than the page's; its image serves).
    """
    south, west, north, east = bounds
    left, top = tile_at(*to_mercator(north, west), zoom)
    right, bottom = tile_at(*to_mercator(south, east), zoom)
    e_left, e_top = tile_at(extent[0], extent[3], zoom)
    e_right, e_bottom = tile_at(extent[2], extent[1], zoom)
    columns = range(max(left - margin, e_left), min(right + margin, e_right) + 1)
    rows = range(max(top - margin, e_top), min(bottom + margin, e_bottom) + 1)
    if len(columns) * len(rows) > MAX_TILES:
        return []
    return [(c, r) for r in rows for c in columns]


def render_tiles(
    polygons: np.ndarray,
    tree: shapely.STRtree,
    classification: Classification,
    zoom: int,
    tiles: list[tuple[int, int]],
) -> dict[tuple[int, int], bytes]:
    """Draw ``tiles`` of the choropleth as transparent paletted PNGs, keyed by (column, row).

    ``polygons`` are the view's areas in Web Mercator in the classification's order, ``tree``
    their ``shapely.STRtree``. The tiles' block is drawn as one image and cut up, so each
    area crossing a tile edge is drawn once.
    """
    if not tiles:
        return {}
    c0, c1 = min(c for c, _ in tiles), max(c for c, _ in tiles)
    r0, r1 = min(r for _, r in tiles), max(r for _, r in tiles)
    west, _, _, north = tile_window(zoom, c0, r0)
    _, south, east, _ = tile_window(zoom, c1, r1)
    which = tree.query(shapely.box(west, south, east, north))
    width, height = (c1 - c0 + 1) * TILE_SIZE, (r1 - r0 + 1) * TILE_SIZE
    block = raster.draw_window(polygons, classification, (west, south, east, north), width, height, which=which)
    out = {}
    for column, row in tiles:
        left, top = (column - c0) * TILE_SIZE, (row - r0) * TILE_SIZE
        tile: Image.Image = block.crop((left, top, left + TILE_SIZE, top + TILE_SIZE))
        buffer = io.BytesIO()
        tile.save(buffer, format="PNG", transparency=0, optimize=False, compress_level=6)
        out[(column, row)] = buffer.getvalue()
    return out
