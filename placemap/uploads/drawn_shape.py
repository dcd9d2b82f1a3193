"""A shape drawn on the map, as the browser sends it: untrusted GeoJSON checked and repaired (pure, no Streamlit).

The drawing tools (Leaflet.draw) send GeoJSON features back through streamlit-folium; anything
could arrive instead, so ``check_drawing`` treats it like an uploaded file: the size is bounded
before anything is parsed, the geometry is parsed by shapely alone
(``placemap.uploads.geojson_frame``; GDAL never sees it), and then:

* points, lines and circles (Leaflet.draw sends a circle as a point) are left out, with a note;
* an outline that crosses itself is repaired with ``shapely.make_valid``, and the page says so;
* too many points, or an area larger than ``MAX_AREA_KM2``, is refused with a plain message
  (all of England is a place of its own);
* coordinates that are not longitude/latitude, or a shape nowhere near England, are refused.

Several polygons drawn together make one area (a neighbourhood in two parts).

Example
-------
>>> square = {"type": "Feature", "properties": {},
...           "geometry": {"type": "Polygon", "coordinates": [[[-3.05, 53.81], [-3.04, 53.81],
...                        [-3.04, 53.82], [-3.05, 53.82], [-3.05, 53.81]]]}}
>>> check = check_drawing([square])
>>> check.ok, round(check.area_km2, 2)
(True, 0.73)
>>> check_drawing({"type": "Feature", "geometry": {"type": "Point", "coordinates": [-3, 53]}}).messages[0].text[:30]
'Only areas can be used: you dr'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from placemap.uploads.geojson_frame import geojson_frame
from placemap.uploads.table import ERROR, INFO, WARNING, Message

MAX_DRAWINGS = 20  # shapes in one drawing
MAX_VERTICES = 5_000  # a hand-drawn neighbourhood has tens; a pasted outline may have thousands
MAX_DRAWING_CHARS = 1_000_000  # the drawing as JSON, checked before it is parsed
# Northumberland, England's largest district, is about 5,000 km²; counties, ICBs and regions
# are places of their own, so a larger drawing is refused rather than overlaid at length.
MAX_AREA_KM2 = 6_000.0
MIN_AREA_M2 = 1.0  # a "polygon" smaller than a square metre is a slip of the mouse
ENGLAND_BOUNDS = (-6.5, 49.8, 2.0, 55.9)  # lon/lat box around England (with a margin)
BNG = 27700
_POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass
class DrawnShape:
    """What ``check_drawing`` found: ``shape`` (WGS84 polygon or multipolygon) when ``ok``."""

    messages: list[Message] = field(default_factory=list)
    shape: BaseGeometry | None = None
    repaired: bool = False
    area_km2: float = 0.0
    n_vertices: int = 0

    @property
    def ok(self) -> bool:
        return self.shape is not None and not any(m.level == ERROR for m in self.messages)

    def add(self, level: str, text: str) -> None:
        self.messages.append(Message(level, text))

    def refuse(self, text: str) -> DrawnShape:
        self.add(ERROR, text)
        self.shape = None
        return self


def _as_document(drawing: object) -> dict | None:
    # streamlit-folium sends a Feature (``last_active_drawing``) or a list of them (``all_drawings``).
    if isinstance(drawing, list):
        return {"type": "FeatureCollection", "features": drawing}
    if isinstance(drawing, dict):
        return drawing
    return None


def polygonal_part(geometry: BaseGeometry | None) -> BaseGeometry | None:
    """The polygons in ``geometry`` (a repair or a clip can leave lines and points too); ``None`` if none.

    >>> polygonal_part(shapely.GeometryCollection([shapely.box(0, 0, 1, 1), shapely.LineString([(0, 0), (2, 2)])])).geom_type
    'Polygon'
    """
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in _POLYGONAL:
        return geometry
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in _POLYGONAL]
        return shapely.union_all(parts) if parts else None
    return None


def drawing_size(drawing: object) -> int | None:
    """The drawing's length as JSON (``None`` when it is not JSON at all, or nested too deeply).

    >>> drawing_size({"type": "Feature"}), drawing_size({"x": float("nan")})
    (18, None)
    """
    try:
        return len(json.dumps(drawing, allow_nan=False, separators=(",", ":")))
    except (TypeError, ValueError, RecursionError):
        return None


def check_drawing(drawing: object) -> DrawnShape:
    """Check and repair a drawing sent by the browser; never raises for bad input.

    Parameters
    ----------
    drawing : a GeoJSON Feature, FeatureCollection or geometry (as a dict), or a list of Features

    Returns
    -------
    DrawnShape with plain-words messages; ``shape`` is the drawn area in WGS84 when ``ok``.
    """
    check = DrawnShape()
    size = drawing_size(drawing)
    document = _as_document(drawing)
    if size is None or document is None:
        return check.refuse("The drawing could not be read. Draw the area again with the polygon tool.")
    if size > MAX_DRAWING_CHARS:
        return check.refuse(
            f"The drawing is too detailed to use ({size / 1e6:.1f} MB; the limit is {MAX_DRAWING_CHARS / 1e6:.0f} MB). "
            "Draw a simpler outline."
        )
    if isinstance(document.get("features"), list) and len(document["features"]) > MAX_DRAWINGS:
        return check.refuse(f"The drawing has more than {MAX_DRAWINGS} shapes. Delete some and keep the area you mean.")
    frame, _notes = geojson_frame(document, MAX_DRAWINGS)
    if frame is None:
        # ``notes`` speak of a boundary file; a drawing gets its own words.
        return check.refuse("The drawing could not be read (its outline is malformed). Draw the area again.")
    if len(frame) == 0:
        return check.refuse("Nothing is drawn yet. Use the polygon or rectangle tool on the map.")
    geometry = frame.geometry.values
    vertices = int(shapely.get_num_coordinates(geometry).sum())
    check.n_vertices = vertices
    if vertices > MAX_VERTICES:
        return check.refuse(
            f"The outline has {vertices:,} points; Placemap takes up to {MAX_VERTICES:,}. Draw a simpler outline."
        )
    coordinates = shapely.get_coordinates(geometry)
    lon_lat = np.isfinite(coordinates).all() and (np.abs(coordinates) <= (180, 90)).all()
    if not lon_lat:
        return check.refuse("The drawing's coordinates are not longitudes and latitudes. Draw the area again.")
    invalid = ~shapely.is_valid(geometry)
    if invalid.any():
        geometry = np.where(invalid, shapely.make_valid(geometry), geometry)
    parts = [polygonal_part(g) for g in geometry]
    polygons = [g for g in parts if g is not None]
    if not polygons:
        return check.refuse(
            "Only areas can be used: you drew a point, line or circle. Draw an outline with the polygon "
            "or rectangle tool instead."
        )
    if len(polygons) < len(parts):
        check.add(INFO, f"{len(parts) - len(polygons)} point(s), line(s) or circle(s) were left out: only areas count.")
    shape = shapely.union_all(polygons)
    if not shape.is_valid:
        shape = polygonal_part(shapely.make_valid(shape))
    if shape is None or shape.is_empty:
        return check.refuse("The outline encloses no area (its edges fold back onto each other). Draw it again.")
    if invalid.any():
        check.repaired = True
        check.add(
            WARNING,
            "The outline crossed itself, so it was repaired: where edges crossed, the shape is split into "
            "the loops they make. Check the outline on the map below.",
        )
    west, south, east, north = shape.bounds
    ew, es, ee, en = ENGLAND_BOUNDS
    if east < ew or west > ee or north < es or south > en:
        return check.refuse(
            f"The area lies outside England (around longitude {(west + east) / 2:.2f}, latitude "
            f"{(south + north) / 2:.2f}). Placemap's data covers England only."
        )
    area_m2 = float(gpd.GeoSeries([shape], crs=4326).to_crs(BNG).area.iloc[0])
    check.area_km2 = area_m2 / 1e6
    if area_m2 < MIN_AREA_M2:
        return check.refuse("The area is too small to use (under a square metre). Draw it again, larger.")
    if check.area_km2 > MAX_AREA_KM2:
        return check.refuse(
            f"The area is {check.area_km2:,.0f} km²; Placemap takes drawn areas up to {MAX_AREA_KM2:,.0f} km² "
            "(about the size of Northumberland, England's largest district). For a larger place choose its "
            "county, combined authority, ICB or region instead."
        )
    check.shape = shape
    return check
