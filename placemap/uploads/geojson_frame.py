"""Uploaded GeoJSON to a GeoDataFrame with shapely alone: the file never reaches GDAL (pure, no Streamlit).

Placemap parses the JSON itself (``file_checks.load_json``), so what GDAL would have guessed from
the content is decided here: features come from ``features`` (or the document itself), the CRS
from the old-style ``crs`` member when it names an EPSG code, else longitude/latitude as
RFC 7946 says.
"""

from __future__ import annotations

import json
import re

import geopandas as gpd
import pandas as pd
import shapely.errors
import shapely.geometry

MAX_PROPERTIES = 200  # distinct attribute names read; more are left out
_EPSG = re.compile(r"EPSG(?:/0/|:[\d.]*:|:)(\d{4,6})$", re.IGNORECASE)


def geojson_crs(document: dict) -> int | None:
    """The EPSG code a GeoJSON document states (4326 when it states none), ``None`` when unrecognised.

    Example
    -------
    >>> geojson_crs({"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}})
    27700
    >>> geojson_crs({})
    4326
    """
    member = document.get("crs")
    if member is None:
        return 4326
    properties = member.get("properties") if isinstance(member, dict) else None
    name = str(properties.get("name", "")) if isinstance(properties, dict) else ""
    if name.upper().endswith("CRS84"):
        return 4326
    match = _EPSG.search(name)
    return int(match.group(1)) if match else None


def _cell(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return json.dumps(value)[:200]  # nested objects become text, as GDAL would make them


def geojson_frame(document: dict, max_features: int) -> tuple[gpd.GeoDataFrame | None, list[str]]:
    """The features of a parsed GeoJSON document (at most ``max_features``), with notes.

    Returns ``(frame, notes)``; ``frame`` is ``None`` (and the only note says why) when the
    features are malformed. The frame's CRS is ``None`` when the document names one Placemap
    does not recognise.
    """
    kind = document.get("type")
    if kind == "FeatureCollection":
        features = document.get("features")
    elif kind == "Feature":
        features = [document]
    else:
        features = [{"type": "Feature", "properties": {}, "geometry": document}]
    if not isinstance(features, list):
        return None, ['The GeoJSON\'s "features" is not a list of features. Export the boundaries again as GeoJSON.']
    notes: list[str] = []
    rows, shapes, names = [], [], {}
    try:
        for feature in features[:max_features]:
            geometry = feature.get("geometry")
            shapes.append(shapely.geometry.shape(geometry) if geometry else None)
            properties = feature.get("properties") or {}
            row = {}
            for key, value in properties.items():
                key = str(key)[:80]
                if key == "geometry" or (key not in names and len(names) >= MAX_PROPERTIES):
                    continue
                names.setdefault(key, None)
                row[key] = _cell(value)
            rows.append(row)
    except (AttributeError, TypeError, ValueError, KeyError, IndexError, RecursionError, shapely.errors.ShapelyError):
        return None, [
            "The boundary file could not be read: a feature of the GeoJSON is malformed (its geometry or properties "
            "are not what GeoJSON allows). Export the boundaries again as GeoJSON from your GIS."
        ]
    if len(names) >= MAX_PROPERTIES:
        notes.append(f"Only the first {MAX_PROPERTIES} attribute names were read.")
    crs = geojson_crs(document)
    table = pd.DataFrame(rows, columns=list(names), index=range(len(rows)))
    try:
        frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(shapes, index=table.index), crs=crs)
    except Exception:  # noqa: BLE001 - pyproj raises several kinds for an EPSG code it does not know
        frame = gpd.GeoDataFrame(table, geometry=gpd.GeoSeries(shapes, index=table.index))
    return frame, notes
