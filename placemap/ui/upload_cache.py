"""Cached checks, overlays and maps of uploaded data, keyed on content (never on a DataFrame). Imports streamlit."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from placemap.data import loaders
from placemap.data.catalogue import get_indicator, get_vintage
from placemap.data.loaders import AREA_CODE, LA_CODE, LA_NAME
from placemap.render import choropleth, export, maps
from placemap.ui.cache import (
    area_features,
    load_areas,
    load_classification,
    load_geometry,
    load_indicator_areas,
    load_la_options,
    load_place_layers,
    place_geometry,
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


@st.cache_data(max_entries=16, show_spinner="Drawing the map…")
def load_upload_static_map(
    year: int,
    la_code: str,
    indicator_id: str,
    scheme: str,
    k: int,
    palette: str,
    fmt: str,
    area: str | None,
    upload_key: tuple[str, ...],
    areas_key: tuple[str, ...],
    _table=None,
    _indicator=None,
    _areas: tuple = (),
    data_dir: str | None = None,
) -> bytes:
    """One LA's map as the explorer shows it with this session's uploads, as PNG/SVG/PDF or (``fmt="html"``) HTML.

    The uploaded indicator ``_indicator`` of ``_table`` (when given) is drawn by the official
    path (``cache.load_classification`` with the table's registry digest), with its title,
    source and licence; uploaded areas ``_areas`` are outlined. Cached on ``upload_key`` /
    ``areas_key`` (``uploaded_maps.upload_key`` / ``areas_key``); the uploads are not hashed.
    """
    from placemap.render import staticmap, uploaded_maps  # matplotlib: imported when a figure is saved
    from placemap.uploads.registry import dataset_digest

    vintage, codes = get_vintage(year), (la_code,)
    try:
        upload = dataset_digest(_table) if _table is not None else ""
        _, indicator, _ = load_indicator_areas(year, _indicator.id if upload else indicator_id, upload, data_dir)
    except ValueError:  # an upload that cannot be shown on this edition: the official indicator, as on the map
        upload, indicator = "", get_indicator(indicator_id)
    classification, payload = load_classification(year, codes, indicator.id, scheme, k, palette, data_dir, upload)
    lsoas = place_geometry(year, codes, data_dir)
    la_name = load_la_options(year, data_dir).get(la_code, la_code)
    scheme_label = choropleth.classes_words(indicator, scheme)[0]
    titles = choropleth.map_titles(vintage, indicator, la_name, len(lsoas), scheme_label)
    if fmt == "html":
        layers = load_place_layers(year, codes, data_dir)
        base = maps.place_base_map(layers, maps.edition_attribution(vintage), context=False)
        highlight = maps.build_highlight_layer(area_features(year, area, data_dir) if area else None)
        page = maps.render_map_html(
            base, [maps.build_style_layer(payload), highlight, uploaded_maps.build_areas_layer(list(_areas))]
        )
        panel = maps.export_panel_html(titles, classification)
        return export.standalone_map_html(page, title=titles["title"], panel_html=panel)
    highlight = lsoas.loc[[area]] if area and area in lsoas.index else None
    name = load_areas(year, data_dir).at[area, loaders.AREA_NAME] if highlight is not None else ""
    figure = staticmap.map_figure(
        lsoas,
        classification,
        highlight=highlight,
        highlight_label=f"{name} ({area})",
        outlines=uploaded_maps.areas_outlines(list(_areas)),
        **titles,
    )
    return export.figure_bytes(figure, fmt, title=titles["title"])


def load_upload_map_html(
    year: int, la_code: str, indicator_id: str, scheme: str, k: int, palette: str, area, *keys, **uploads
) -> bytes:
    """``load_upload_static_map`` as one offline HTML file (Leaflet inlined), with legend, source and uploaded areas."""
    return load_upload_static_map(year, la_code, indicator_id, scheme, k, palette, "html", area, *keys, **uploads)


@st.cache_data(max_entries=32, show_spinner="Overlaying your areas on the LSOAs…")
def load_upload_overlay(year: int, dataset_id: str, geojson: str, data_dir: str | None = None) -> pd.DataFrame:
    """``uploaded_boundaries.overlay_weights`` of uploaded areas on an edition's LSOAs (``geojson`` keys the cache)."""
    import json

    from placemap.uploads import uploaded_boundaries as ub

    areas = gpd.GeoDataFrame.from_features(json.loads(geojson)["features"], crs=4326)
    areas = areas.set_index(ub.AREA_ID, drop=False)
    return ub.overlay_weights(areas, load_bng_geometry(year, data_dir), load_lsoa_population(year, data_dir))
