"""Uploaded areas on maps and in tables, and the keys caches of uploads use. Pure: no Streamlit.

An uploaded *indicator* is mapped by the official path (``choropleth``, ``cache.load_classification``
with its table's registry digest), so only what is about uploaded *areas* lives here:

* ``areas_choropleth`` / ``aggregates_table``: official measures aggregated to uploaded areas;
* ``build_areas_layer``: uploaded areas drawn as an outline layer (a feature group, so
  the base map's script does not change), and ``areas_outlines`` for static maps;
* ``upload_key`` / ``areas_key``: small hashable keys of an upload for caches.
"""

from __future__ import annotations

import hashlib

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from placemap.analysis.classify import Classification, classify_values
from placemap.data.catalogue import Indicator
from placemap.render.maps import style_payload
from placemap.uploads.uploaded_boundaries import AREA_ID, AREA_LABEL, AggregateMeasure, UploadedAreas

UPLOADED_COLOUR = "#d95f02"  # orange outlines: apart from every sequential palette and the magenta highlight


def areas_choropleth(
    uploaded: UploadedAreas, aggregates: pd.DataFrame, measure: AggregateMeasure, k: int, palette: str, total: int
) -> tuple[Classification, dict, pd.DataFrame]:
    """Class one aggregated official measure over the uploaded areas (feature order = ``uploaded.areas``)."""
    rows = aggregates.reindex(uploaded.areas.index)
    values = rows[measure.column].to_numpy(dtype=float)
    fmt = measure.value_format
    classification = classify_values(
        values, "quantiles", k, polarity=measure.polarity, palette=palette, value_format=fmt
    )
    payload = style_payload(
        classification,
        values=["No data" if np.isnan(v) else fmt.format(v) for v in values],
        ranks=[""] * len(values),
        deciles=[""] * len(values),
        label=measure.label,
        total=total,
        version=f"areas-{uploaded.id}-{measure.column}-{k}-{palette}",
    )
    table = pd.DataFrame(
        {
            "Area": uploaded.areas[AREA_LABEL].to_numpy(),
            "Id": uploaded.areas[AREA_ID].to_numpy(),
            "Population (weights)": rows["population"].round(0).to_numpy(),
            measure.label: values,
        }
    )
    return classification, payload, table


def aggregates_table(
    uploaded: UploadedAreas, aggregates: pd.DataFrame, measures: list[AggregateMeasure]
) -> pd.DataFrame:
    """Every aggregated measure for every uploaded area (for the CSV download)."""
    rows = aggregates.reindex(uploaded.areas.index)
    table = pd.DataFrame(
        {
            "Area": uploaded.areas[AREA_LABEL].to_numpy(),
            "Id": uploaded.areas[AREA_ID].to_numpy(),
            "Population (weights)": rows["population"].round(0).to_numpy(),
        }
    )
    for m in measures:
        table[m.label] = rows[m.column].to_numpy(dtype=float)
    return table


def build_areas_layer(datasets: list[UploadedAreas]) -> folium.FeatureGroup:
    """Uploaded areas as orange outlines with their (escaped) names on hover; empty without any."""
    group = folium.FeatureGroup(name="Your areas", control=False)
    for dataset in datasets:
        features = dataset.features()
        if not features["features"]:
            continue
        folium.GeoJson(
            features,
            style_function=lambda _f: {
                "color": UPLOADED_COLOUR,
                "weight": 3,
                "opacity": 1,
                "fill": False,
                "dashArray": "8 4",
            },
            tooltip=folium.GeoJsonTooltip(fields=["n"], aliases=["Your area"], labels=True),
        ).add_to(group)
    return group


def content_digest(values: pd.Series, geography: str, indicator: Indicator) -> str:
    """A 16-character hash of an uploaded column and everything that changes its colours.

    Example
    -------
    >>> from placemap.data.catalogue import get_indicator
    >>> s = pd.Series([1.0, 2.0], index=["a", "b"])
    >>> ind = get_indicator("imd_rank")
    >>> content_digest(s, "ward", ind) == content_digest(s.copy(), "ward", ind)
    True
    >>> content_digest(s, "ward", ind) == content_digest(s * 2, "ward", ind)
    False
    """
    digest = hashlib.sha1(f"{geography}|{indicator.id}|{indicator.polarity}|{indicator.value_format}".encode())
    digest.update(pd.util.hash_pandas_object(values.astype(float), index=True).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def areas_outlines(datasets: list) -> gpd.GeoDataFrame | None:
    """All uploaded areas (``UploadedAreas``) as one WGS84 frame with a ``name`` column, or ``None``."""
    frames = [d.areas[["geometry"]].assign(name=d.areas[AREA_LABEL].astype(str)) for d in datasets if len(d.areas)]
    if not frames:
        return None
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), geometry="geometry", crs=4326)


def areas_key(datasets: list) -> tuple[str, ...]:
    """A small hashable key for uploaded areas (ids and a hash of their shapes), for caches."""
    keys = []
    for d in datasets:
        digest = hashlib.sha1(b"".join(d.areas.geometry.to_wkb()))
        keys.append(f"{d.id}:{digest.hexdigest()[:12]}")
    return tuple(keys)


def upload_key(table, indicator: Indicator) -> tuple[str, str, str]:
    """``(dataset id, column, content digest)``: what caches of an uploaded indicator key on."""
    column = indicator.table_column
    return table.id, column, content_digest(table.series(indicator), table.geography, indicator)
