"""Prepare frames for maps and tables: select, escape, simplify, serialise.

Pure functions on pandas/geopandas objects; no file I/O and no Streamlit.
"""

from __future__ import annotations

import html
import json

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from placemap.data.catalogue import Indicator
from placemap.data.loaders import AREA_CODE, AREA_NAME, LA_CODE, LA_NAME, WARD_CODE, WARD_NAME

# An area without a value says why: withheld by its publisher (small numbers) is not "no data".
SUPPRESSED_TEXT = "Suppressed (small numbers)"
NO_DATA_TEXT = "No data"
# Characters that are live inside a JavaScript template literal: folium writes a marker's tooltip
# text into one (`...`) in the map's script, where "${" runs code and "`" or "\" end or break it.
_TEMPLATE_LITERAL = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def escape_text(value: object) -> str:
    """Escape a user or data string for HTML and for the JavaScript template literals of folium's tooltips.

    ``<script>`` becomes ``&lt;script&gt;``; the backtick, ``$`` and backslash become character
    references, which a browser shows as the same characters.

    Example
    -------
    >>> escape_text("<b>${alert(1)}</b>`")
    '&lt;b&gt;&#36;{alert(1)}&lt;/b&gt;&#96;'
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return html.escape(str(value), quote=True).translate(_TEMPLATE_LITERAL)


_MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>~$:"


def escape_markdown(value: object) -> str:
    """Escape text for Streamlit markdown so it shows literally (no links, images or HTML).

    Example
    -------
    >>> escape_markdown("![x](http://e.vil/a.png)")
    '\\\\!\\\\[x\\\\]\\\\(http\\\\://e\\\\.vil/a\\\\.png\\\\)'
    """
    text = "" if value is None else str(value)
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def script_safe_json(obj: object) -> str:
    """Serialise ``obj`` as JSON that is safe to embed inside an HTML ``<script>``.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes, so a string such as
    ``</script>`` in the data cannot end the script element.
    """
    text = json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def areas_in(frame: pd.DataFrame, la_codes: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Rows of ``frame`` whose LA is one of ``la_codes``, sorted by area code."""
    return frame[frame[LA_CODE].isin(list(la_codes))].sort_index()


def bounds_of(frame: gpd.GeoDataFrame) -> list[list[float]]:
    """Leaflet bounds ``[[south, west], [north, east]]`` of a frame."""
    west, south, east, north = frame.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def feature_collection(geometry: gpd.GeoSeries, properties: list[dict]) -> dict:
    """A GeoJSON FeatureCollection from geometries and one property dict per feature.

    Coordinates come from GEOS's GeoJSON writer (vectorised), not a Python loop
    over every vertex.
    """
    shapes = shapely.to_geojson(geometry.values)
    features = [
        {"type": "Feature", "geometry": json.loads(s), "properties": p} for s, p in zip(shapes, properties, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def area_features(areas: gpd.GeoDataFrame) -> dict:
    """The LSOA features of a map: geometry plus escaped name, code and ward.

    Feature ``i`` is the position of the area in ``areas``; style arrays sent
    later are indexed the same way.
    """
    properties = [
        {"i": i, "c": escape_text(code), "n": escape_text(name), "w": escape_text(ward)}
        for i, (code, name, ward) in enumerate(zip(areas[AREA_CODE], areas[AREA_NAME], areas[WARD_NAME], strict=True))
    ]
    return feature_collection(areas.geometry, properties)


def outline_features(frame: gpd.GeoDataFrame, name_column: str) -> dict:
    """Features for an outline layer, each with its escaped name as ``n``."""
    properties = [{"n": escape_text(n)} for n in frame[name_column]]
    return feature_collection(frame.geometry, properties)


def ward_outlines(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Approximate ward outlines by dissolving LSOAs by their best-fit ward.

    LSOAs nest in wards only approximately (the ONS lookup is best fit), so these
    outlines follow LSOA edges; they are for orientation, not for official use.
    """
    dissolved = areas[[WARD_CODE, WARD_NAME, "geometry"]].dissolve(by=WARD_CODE, as_index=False)
    return dissolved


def la_outlines(areas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """LA outlines dissolved from their LSOAs (so they line up with the LSOA polygons)."""
    return areas[[LA_CODE, LA_NAME, "geometry"]].dissolve(by=LA_CODE, as_index=False)


def neighbouring_las(las: gpd.GeoDataFrame, la_codes: list[str] | tuple[str, ...]) -> gpd.GeoDataFrame:
    """LAs that touch (or lie within 2 km of) the chosen ones, excluding the chosen ones."""
    chosen = las[las[LA_CODE].isin(list(la_codes))]
    if chosen.empty:
        return las.iloc[0:0]
    area = chosen.to_crs(27700).geometry.union_all().buffer(2000)
    others = las[~las[LA_CODE].isin(list(la_codes))]
    near = others.to_crs(27700).geometry.intersects(area)
    return others[near.values]


def find_area_at(areas: gpd.GeoDataFrame, lat: float, lng: float) -> str | None:
    """Return the code of the area containing the point (lat, lng), or ``None``."""
    point = shapely.Point(lng, lat)
    hits = areas.sindex.query(point, predicate="intersects")
    if len(hits) == 0:
        return None
    return str(areas.iloc[hits[0]][AREA_CODE])


def national_decile_bins(frame: pd.DataFrame, indicator: Indicator, year: int) -> list[float]:
    """England's decile bounds for an indicator: the largest value in each decile, in value order.

    Deciles come from the official decile column of the same domain, so classing
    against these bounds reproduces the published deciles.
    """
    values = frame[indicator.column(year)]
    deciles = frame[indicator.decile_column(year)]
    upper = values.groupby(deciles).max().sort_values()
    return [float(v) for v in upper]


def suppressed_mask(areas: pd.DataFrame, indicator: Indicator, year: int):
    """True where the indicator's value was suppressed (small numbers); ``None`` if it never is."""
    column = indicator.suppressed_column(year) if not indicator.official else None
    if column is None or column not in areas.columns:
        return None
    return areas[column].fillna(False).to_numpy(dtype=bool)


def value_status(areas: pd.DataFrame, indicator: Indicator, year: int) -> pd.Series:
    """Per area: "" where there is a value, "Suppressed (small numbers)" or "No data" where there is none."""
    values = areas[indicator.column(year)]
    mask = suppressed_mask(areas, indicator, year)
    hidden = pd.Series(False if mask is None else mask, index=areas.index)
    return pd.Series(
        np.where(values.notna(), "", np.where(hidden, SUPPRESSED_TEXT, NO_DATA_TEXT)), index=areas.index, dtype=object
    )


def shown_values(areas: pd.DataFrame, indicator: Indicator, year: int) -> list[str]:
    """Each area's value as text, "Suppressed (small numbers)" kept apart from "No data"."""
    status = value_status(areas, indicator, year)
    return [s or indicator.format(v) for v, s in zip(areas[indicator.column(year)], status, strict=True)]


def indicator_table(areas: pd.DataFrame, indicator: Indicator, year: int) -> pd.DataFrame:
    """The text alternative to the map: one row per area with value, national rank and decile.

    An area without a value says why in "Value status": suppressed (small numbers) or no data.
    """
    table = pd.DataFrame(
        {
            "LSOA code": areas[AREA_CODE],
            "LSOA name": areas[AREA_NAME],
            "Ward": areas[WARD_NAME],
            "Local authority": areas[LA_NAME],
            indicator.label: areas[indicator.column(year)],
            "National rank (1 = most deprived)": areas[indicator.rank_column(year)],
            "National decile (1 = most deprived)": areas[indicator.decile_column(year)],
        }
    )
    if not indicator.official:
        table.insert(5, "Value status", value_status(areas, indicator, year).to_numpy())
    return table.sort_values("National rank (1 = most deprived)").reset_index(drop=True)
