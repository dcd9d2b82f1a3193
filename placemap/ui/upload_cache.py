"""Cached checks, overlays and maps of uploaded data, keyed on content (never on a DataFrame). Imports streamlit."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from placemap.data import loaders
from placemap.data.loaders import AREA_CODE, LA_CODE, LA_NAME
from placemap.ui.cache import (
    load_areas,
    load_geometry,
)
from placemap.ui.change_cache import load_lsoa_lookup, mid2015_population


@st.cache_resource(show_spinner="Loading the area code lists…")
def load_geographies(data_dir: str | None = None):
    """The code lists uploads are matched against: LSOA 2011 and 2021, wards (2019, 2024), LAs (2019, 2024)."""
    from placemap.uploads import table

    a25, a19 = load_areas(2025, data_dir), load_areas(2019, data_dir)
    wards = {
        **dict(zip(a19["ward_code"], a19["ward_name"], strict=True)),
        **dict(zip(a25["ward_code"], a25["ward_name"], strict=True)),
    }
    las = {**dict(zip(a19[LA_CODE], a19[LA_NAME], strict=True)), **dict(zip(a25[LA_CODE], a25[LA_NAME], strict=True))}
    return table.Geographies(
        lsoa11=dict(zip(a19[AREA_CODE], a19[loaders.AREA_NAME], strict=True)),
        lsoa21=dict(zip(a25[AREA_CODE], a25[loaders.AREA_NAME], strict=True)),
        ward=wards,
        la=las,
    )


@st.cache_data(max_entries=16, show_spinner="Checking your table…")
def check_uploaded_table(data: bytes, filename: str, geography: str | None = None, data_dir: str | None = None):
    """``upload.check_table`` on uploaded bytes (cached on the bytes, so reruns cost nothing)."""
    from placemap.uploads import upload

    return upload.check_table(data, filename, load_geographies(data_dir), geography=geography)


@st.cache_data(max_entries=16, show_spinner="Reading your boundaries…")
def check_uploaded_boundaries(data: bytes, filename: str, stated_crs: str | None, name_column: str | None):
    """``uploaded_boundaries.check_boundaries`` on uploaded bytes (cached on the bytes)."""
    from placemap.uploads import uploaded_boundaries

    return uploaded_boundaries.check_boundaries(data, filename, stated_crs=stated_crs, name_column=name_column)


@st.cache_resource(show_spinner="Projecting LSOAs to British National Grid…")
def load_bng_geometry(year: int, data_dir: str | None = None) -> gpd.GeoSeries:
    """England's LSOA polygons of an edition in EPSG:27700, for overlays (once per process)."""
    return load_geometry(year, data_dir).geometry.to_crs(27700)


@st.cache_resource
def load_lsoa_population(year: int, data_dir: str | None = None) -> pd.Series:
    """LSOA populations used as overlay weights: mid-2015 (IoD2019) on 2011 LSOAs, carried to 2021 LSOAs for 2025."""
    from placemap.uploads import uploaded_boundaries

    population11 = mid2015_population(data_dir)
    if year != 2025:
        return population11
    return uploaded_boundaries.lsoa21_population(load_lsoa_lookup(data_dir), population11)


@st.cache_data(max_entries=32, show_spinner="Aggregating the indicators to your areas…")
def load_upload_aggregates(year: int, dataset_id: str, geojson: str, data_dir: str | None = None) -> pd.DataFrame:
    """Official measures aggregated to uploaded areas (``geojson`` of the areas keys the cache)."""
    import json

    from placemap.uploads import uploaded_boundaries as ub

    areas = gpd.GeoDataFrame.from_features(json.loads(geojson)["features"], crs=4326)
    areas = areas.set_index(ub.AREA_ID, drop=False)
    weights = ub.overlay_weights(areas, load_bng_geometry(year, data_dir), load_lsoa_population(year, data_dir))
    values = ub.official_values(load_areas(year, data_dir), year)
    return ub.aggregate(weights, values, areas.index)


@st.cache_data(max_entries=32, show_spinner="Overlaying your areas on the LSOAs…")
def load_upload_overlay(year: int, dataset_id: str, geojson: str, data_dir: str | None = None) -> pd.DataFrame:
    """``uploaded_boundaries.overlay_weights`` of uploaded areas on an edition's LSOAs (``geojson`` keys the cache)."""
    import json

    from placemap.uploads import uploaded_boundaries as ub

    areas = gpd.GeoDataFrame.from_features(json.loads(geojson)["features"], crs=4326)
    areas = areas.set_index(ub.AREA_ID, drop=False)
    return ub.overlay_weights(areas, load_bng_geometry(year, data_dir), load_lsoa_population(year, data_dir))
