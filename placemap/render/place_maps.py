"""Maps of places of any type: LSOAs dissolved into wards, MSOAs, LAs, counties, combined
authorities or ICBs (once per type), a place's LSOAs beneath its outline, and places coloured by a
File 10 summary measure. Pure: no Streamlit; builders never read files.

Example
-------
>>> from shapely.geometry import box
>>> lsoas = gpd.GeoDataFrame({"area_code": ["a", "b", "c"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1),
...     box(5, 5, 6, 6)], crs="EPSG:4326").set_index("area_code", drop=False)
>>> lookup = pd.DataFrame({"ward_code": ["W1", "W1", "W2"], "ward_name": ["One", "One", "Two"]}, index=["a", "b", "c"])
>>> shapes = dissolve_places(lsoas, lookup, "ward")
>>> shapes["name"].tolist(), [round(a, 1) for a in shapes.geometry.area]
(['One', 'Two'], [2.0, 1.0])
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from placemap.analysis.classify import Classification, classify_values
from placemap.analysis.place_summaries import MEASURE_LABELS
from placemap.data import prepare
from placemap.render.maps import style_payload

# The place types the map explorer can draw as areas ("Show areas as"), smallest first.
MAP_LEVELS = {
    "lsoa": "LSOAs (small areas)",
    "ward": "Wards",
    "msoa": "MSOAs (neighbourhoods)",
    "la": "Local authorities",
    "utla": "Counties and unitary authorities",
    "cauth": "Combined authorities (2023)",
    "icb": "Integrated care boards",
}
LEVEL_MEASURES = ["extent", "average_rank", "proportion", "local_concentration", "average_score"]
LEVEL_FORMATS = {
    "average_rank": "{:,.0f}",
    "average_score": "{:,.2f}",
    "proportion": "{:.0%}",
    "extent": "{:.0%}",
    "local_concentration": "{:,.0f}",
}
SIMPLIFY_DEGREES = 0.0002  # about 15 m: invisible at the zooms a map of places is read at


def dissolve_places(lsoas: gpd.GeoDataFrame, lookup: pd.DataFrame, kind: str) -> gpd.GeoDataFrame:
    """One polygon per place of a type, dissolved from its LSOAs (a coverage union), indexed by code.

    Columns ``name`` and ``geometry``; LSOAs with no place of the type (outside every combined
    authority) are left out. The LSOAs tile England, so their coverage union is exact and fast.
    """
    codes = lookup[f"{kind}_code"].reindex(lsoas.index)
    frame = gpd.GeoDataFrame({"code": codes.to_numpy()}, geometry=lsoas.geometry.to_numpy(), crs=lsoas.crs)
    frame = frame.dropna(subset=["code"])
    order = np.argsort(frame["code"].to_numpy(), kind="stable")
    codes = frame["code"].to_numpy()[order]
    polygons = frame.geometry.to_numpy()[order]
    unique, starts = np.unique(codes, return_index=True)
    ends = [*starts[1:], len(codes)]
    merged = [_union(polygons[a:b]) for a, b in zip(starts, ends, strict=True)]
    shapes = gpd.GeoDataFrame(geometry=merged, index=pd.Index(unique, name="code"), crs=lsoas.crs)
    names = lookup.dropna(subset=[f"{kind}_code"]).groupby(f"{kind}_code")[f"{kind}_name"].first()
    shapes.insert(0, "name", names.reindex(shapes.index).to_numpy())
    return shapes.sort_index()


def _union(polygons) -> shapely.Geometry:
    # A coverage union is exact and fast for LSOAs that tile; where the published boundaries are not
    # noded exactly (a few places), the ordinary union does the same job more slowly.
    try:
        merged = shapely.coverage_union_all(polygons)
    except shapely.errors.GEOSException:
        merged = shapely.union_all(polygons)
    return shapely.make_valid(merged)


def place_features(shapes: gpd.GeoDataFrame, where: pd.Series | None = None) -> dict:
    """GeoJSON of places for ``ChoroplethGeometry``: feature ``i`` is the place's position in ``shapes``.

    ``where`` (code -> text) fills the tooltip's second line (e.g. the parent place).
    """
    simplified = shapes.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
    where = pd.Series("", index=shapes.index) if where is None else where.reindex(shapes.index).fillna("")
    properties = [
        {"i": i, "c": prepare.escape_text(code), "n": prepare.escape_text(name), "w": prepare.escape_text(w)}
        for i, (code, name, w) in enumerate(zip(shapes.index, shapes["name"], where, strict=True))
    ]
    return prepare.feature_collection(simplified, properties)


def place_classification(
    values: pd.Series,
    measure: str,
    index_label: str,
    scheme: str,
    k: int,
    palette: str,
    version: str,
) -> tuple[Classification, dict]:
    """Class places on one summary measure (higher = more deprived for every File 10 measure).

    ``values`` are in the map's feature order. The national-deciles scheme has no meaning for
    places, so it becomes quantiles.
    """
    scheme = "quantiles" if scheme == "national_deciles" else scheme
    fmt = LEVEL_FORMATS[measure]
    array = values.to_numpy(dtype=float)
    classification = classify_values(array, scheme, k, polarity="high_is_deprived", palette=palette, value_format=fmt)
    payload = style_payload(
        classification,
        values=["" if np.isnan(v) else fmt.format(v) for v in array],
        label=f"{index_label}: {MEASURE_LABELS[measure].lower()}",
        version=version,
    )
    return classification, payload


def lsoa_outlines(lsoas: gpd.GeoDataFrame) -> dict:
    """The outlines of a place's LSOAs (drawn beneath a selected place), each with its escaped name."""
    return prepare.outline_features(lsoas, "area_name")
