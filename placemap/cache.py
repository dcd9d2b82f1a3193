"""Cached loads and derived payloads, keyed on small hashable arguments.

National tables and boundaries are loaded once per server process and shared
by every session (``st.cache_resource``: callers must treat them as read-only).
Per-view results (a place's GeoJSON, an indicator's colours) are small and are
cached with ``st.cache_data`` on (edition, LA codes, indicator, scheme, ...).
No cached function takes a GeoDataFrame as an argument.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from placemap import loaders, prepare
from placemap.catalogue import get_indicator, get_vintage
from placemap.classify import Classification, classify_values
from placemap.loaders import AREA_CODE, LA_CODE, LA_NAME, WARD_NAME
from placemap.maps import style_payload


def _dir() -> str:
    return str(loaders.DATA_DIR)


@st.cache_resource(show_spinner="Loading the Indices of Deprivation…")
def load_areas(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """All of England's LSOAs for one edition: names, wards, LAs and every indicator."""
    return loaders.read_areas(get_vintage(year), data_dir or _dir())


@st.cache_resource(show_spinner="Loading boundaries…")
def load_geometry(year: int, data_dir: str | None = None) -> gpd.GeoDataFrame:
    """All of England's LSOA boundaries for one edition's geography."""
    path = loaders.data_path(get_vintage(year).boundary_file, data_dir or _dir())
    return loaders.read_area_boundaries(path)


@st.cache_resource(show_spinner="Loading local authority boundaries…")
def load_las(year: int, data_dir: str | None = None) -> gpd.GeoDataFrame:
    """Local authority boundaries for one edition's LA geography."""
    path = loaders.data_path(get_vintage(year).la_file, data_dir or _dir())
    return loaders.read_la_boundaries(path)


@st.cache_data
def load_la_options(year: int, data_dir: str | None = None) -> dict[str, str]:
    """LA code -> name for every LA with LSOAs in the edition, sorted by name."""
    areas = load_areas(year, data_dir)
    pairs = areas[[LA_CODE, LA_NAME]].drop_duplicates().sort_values(LA_NAME)
    return dict(zip(pairs[LA_CODE], pairs[LA_NAME], strict=True))


@st.cache_data
def load_area_options(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> dict[str, str]:
    """Area code -> "name (code)" for the LSOAs of the chosen LAs, sorted by name."""
    areas = prepare.areas_in(load_areas(year, data_dir), la_codes).sort_values(loaders.AREA_NAME)
    return {c: f"{n} ({c})" for c, n in zip(areas[AREA_CODE], areas[loaders.AREA_NAME], strict=True)}


def place_geometry(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> gpd.GeoDataFrame:
    """The LSOA boundaries of the chosen LAs, in area-code order (the map's feature order)."""
    geometry = load_geometry(year, data_dir)
    return prepare.areas_in(geometry, la_codes)


@st.cache_data(max_entries=32, show_spinner="Preparing the map…")
def load_place_layers(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> dict:
    """GeoJSON for a place: LSOAs, LA outline, ward outlines, neighbouring LAs, and bounds."""
    areas = place_geometry(year, la_codes, data_dir)
    las = load_las(year, data_dir)
    return {
        "areas": prepare.area_features(areas),
        # Dissolved from the LSOAs so the outline follows their edges exactly (the
        # official generalised LA layers are coarser than the LSOAs).
        "la": prepare.outline_features(prepare.la_outlines(areas), LA_NAME),
        "wards": prepare.outline_features(prepare.ward_outlines(areas), WARD_NAME),
        "context": prepare.outline_features(prepare.neighbouring_las(las, la_codes), LA_NAME),
        "bounds": prepare.bounds_of(areas),
        "codes": list(areas[AREA_CODE]),
    }


@st.cache_data(max_entries=256)
def load_classification(
    year: int,
    la_codes: tuple[str, ...],
    indicator_id: str,
    scheme: str,
    k: int,
    palette: str,
    data_dir: str | None = None,
) -> tuple[Classification, dict]:
    """Classify an indicator over a place; return the classification and the map's style payload."""
    vintage = get_vintage(year)
    indicator = get_indicator(indicator_id)
    national = load_areas(year, data_dir)
    areas = prepare.areas_in(national, la_codes)
    column = indicator.column(year)
    bins = prepare.national_decile_bins(national, indicator, year) if scheme == "national_deciles" else None
    classification = classify_values(
        areas[column].to_numpy(dtype=float),
        scheme,
        k,
        polarity=indicator.polarity,
        palette=palette,
        value_format=indicator.value_format,
        national_bins=bins,
        measure_is_decile=indicator.measure == "decile",
    )
    ranks = areas[indicator.rank_columns[year]]
    deciles = areas[indicator.decile_columns[year]]
    payload = style_payload(
        classification,
        values=[indicator.format(v) for v in areas[column]],
        ranks=["" if pd.isna(r) else f"{int(r):,}" for r in ranks],
        deciles=["" if pd.isna(d) else str(int(d)) for d in deciles],
        label=indicator.label,
        total=vintage.n_lsoas,
        version=f"{year}-{indicator_id}-{scheme}-{k}-{palette}",
    )
    return classification, payload


def area_at(year: int, la_codes: tuple[str, ...], lat: float, lng: float, data_dir: str | None = None) -> str | None:
    """Code of the chosen LAs' LSOA at a clicked point, or ``None`` outside them."""
    return prepare.find_area_at(place_geometry(year, la_codes, data_dir), lat, lng)


def area_features(year: int, code: str, data_dir: str | None = None) -> dict:
    """GeoJSON of one area (for the selection highlight)."""
    geometry = load_geometry(year, data_dir)
    one = geometry.loc[[code]]
    return prepare.feature_collection(one.geometry, [{"c": prepare.escape_text(code)}])
