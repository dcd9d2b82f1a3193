"""Draw a choropleth of many small areas as one image, for extents where LSOAs are tiny.

Leaflet builds one layer object per vector polygon, so all of England's 33,755 LSOAs
take about ten seconds to paint however they are encoded. Drawn server-side into a
paletted PNG in Web Mercator (the projection Leaflet stretches an image overlay in),
the same choropleth paints in a few milliseconds; clicks are resolved on the server
from the clicked point. Pillow's polygon fill is used directly: matplotlib (via
geopandas) takes about 6 s for the same image because it builds one patch per polygon.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from PIL import Image, ImageColor, ImageDraw
from pyproj import Transformer

from placemap.analysis.classify import NO_DATA_COLOUR, SUPPRESSED_CLASS, SUPPRESSED_COLOUR, Classification

WEB_MERCATOR = 3857
NO_DATA_HATCH = "#8c8c8c"  # grey stripes over "no data" (contrast 3.4:1 on white)
DEFAULT_WIDTH = 2400  # pixels across the extent: about 250 m a pixel for all of England
_TO_LATLNG = Transformer.from_crs(WEB_MERCATOR, 4326, always_xy=True)


@dataclass(frozen=True)
class RasterChoropleth:
    """A PNG choropleth and the lat/lng bounds Leaflet should stretch it over."""

    png: bytes
    bounds: list[list[float]]  # [[south, west], [north, east]]
    width: int
    height: int

    @property
    def digest(self) -> str:
        return hashlib.sha1(self.png).hexdigest()[:16]


def _hatch(image: Image.Image, index: int, hatch_index: int, spacing: int = 8) -> Image.Image:
    """Paint every ``spacing``-th diagonal of the pixels of palette ``index`` with ``hatch_index``."""
    pixels = np.asarray(image).copy()
    height, width = pixels.shape
    tile = np.add.outer(np.arange(spacing), np.arange(spacing)) % spacing == 0  # one diagonal per tile
    stripes = np.tile(tile, (height // spacing + 1, width // spacing + 1))[:height, :width]
    pixels[(pixels == index) & stripes] = hatch_index
    image.frombytes(pixels.tobytes())  # in place: keeps the mode and the palette
    return image


def draw_window(
    polygons: np.ndarray,
    classification: Classification,
    window: tuple[float, float, float, float],
    width: int,
    height: int,
    which: np.ndarray | None = None,
) -> Image.Image:
    """Paint ``polygons`` (Web Mercator, in the classes' order) into a paletted image of ``window``.

    ``window`` is (west, south, east, north) in metres; parts outside it are clipped by Pillow.
    ``which`` (optional indices into ``polygons``) draws only those areas (the ones in a tile).
    Palette index 0 is transparent; 1..k are the classes; k+1 is "no data"; k+2 its hatching;
    k+3 is "suppressed (small numbers)", its own grey. "No data" is striped with its hatching, so it
    stays distinct from the lightest class at any zoom (a measure or an upload may cover only part
    of the extent); the stripes' spacing divides a tile's 256 pixels, so they meet across tiles. Larger parts are drawn first, so an
    area enclosed by another (a hole in it) is painted on top rather than hidden.
    """
    x0, y0, x1, y1 = window
    which = np.arange(len(polygons)) if which is None else np.asarray(which, dtype=int)
    parts, owner = shapely.get_parts(polygons[which], return_index=True)
    owner = which[owner]
    order = np.argsort(-shapely.area(parts), kind="stable")
    parts, owner = parts[order], owner[order]
    coords, ring = shapely.get_coordinates(shapely.get_exterior_ring(parts), return_index=True)
    pixels = np.column_stack([(coords[:, 0] - x0) / (x1 - x0) * width, (y1 - coords[:, 1]) / (y1 - y0) * height])
    starts = np.flatnonzero(np.diff(ring)) + 1
    palette = [
        (0, 0, 0),
        *(ImageColor.getrgb(c) for c in classification.palette),
        ImageColor.getrgb(NO_DATA_COLOUR),
        ImageColor.getrgb(NO_DATA_HATCH),
        ImageColor.getrgb(SUPPRESSED_COLOUR),
    ]
    no_data_index = len(palette) - 3
    fill = np.where(classification.classes >= 0, classification.classes + 1, no_data_index)
    fill = np.where(classification.classes == SUPPRESSED_CLASS, len(palette) - 1, fill)
    image = Image.new("P", (width, height), 0)
    image.putpalette([v for rgb in palette for v in rgb])
    draw = ImageDraw.Draw(image)
    if len(parts):
        for part, points in enumerate(np.split(pixels, starts)):
            draw.polygon(points.ravel().tolist(), fill=int(fill[owner[part]]))
    return _hatch(image, no_data_index, no_data_index + 1)


def render_choropleth(
    geometry: gpd.GeoSeries, classification: Classification, width: int = DEFAULT_WIDTH
) -> RasterChoropleth:
    """Render areas coloured by ``classification`` into a paletted, transparent PNG.

    Parameters
    ----------
    geometry : the areas' polygons in Web Mercator (EPSG:3857), same order as the classes
    classification : from ``classify.classify_values``; class -1 is drawn as "no data",
        white with grey diagonal stripes (``NO_DATA_HATCH``)
    width : image width in pixels; the height follows the extent's aspect ratio

    Larger parts are drawn first, so an area enclosed by another (a hole in it) is
    painted on top rather than hidden.
    """
    if geometry.crs is None or geometry.crs.to_epsg() != WEB_MERCATOR:
        raise ValueError("render_choropleth needs geometry in Web Mercator (EPSG:3857)")
    x0, y0, x1, y1 = geometry.total_bounds
    height = max(1, round(width * (y1 - y0) / (x1 - x0)))
    image = draw_window(geometry.values, classification, (x0, y0, x1, y1), width, height)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=0, optimize=False, compress_level=6)
    west, south = _TO_LATLNG.transform(x0, y0)
    east, north = _TO_LATLNG.transform(x1, y1)
    return RasterChoropleth(buffer.getvalue(), [[south, west], [north, east]], width, height)
