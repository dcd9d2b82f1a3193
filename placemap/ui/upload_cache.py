"""Cached checks, overlays and maps of uploaded data, keyed on content (never on a DataFrame). Imports streamlit."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from placemap.analysis.classify import (
    Classification,
)
from placemap.data import (
    loaders,
    prepare,
)
from placemap.data.catalogue import get_vintage
from placemap.data.loaders import AREA_CODE, LA_CODE, LA_NAME
from placemap.render import export, maps, raster
from placemap.render.image_store import GENERATED_DIR, write_generated
from placemap.ui.cache import (
    area_features,
    load_areas,
    load_classification,
    load_geometry,
    load_la_options,
    load_place_layers,
    load_projected_geometry,
    place_geometry,
)
from placemap.ui.change_cache import load_lsoa_lookup, load_lsoa_regions, mid2015_population
from placemap.ui.profile_cache import map_geometry_and_classes, map_titles


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


@st.cache_data(max_entries=32, show_spinner="Drawing the wards…")
def load_ward_geometry(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> gpd.GeoDataFrame:
    """The place's wards dissolved from its LSOAs (``prepare.ward_outlines``), sorted by ward code."""
    return prepare.ward_outlines(place_geometry(year, la_codes, data_dir))


@st.cache_data(max_entries=32, show_spinner="Drawing your data…")
def load_upload_raster(
    year: int,
    la_codes: tuple[str, ...],
    dataset_id: str,
    column: str,
    digest: str,
    scheme: str,
    k: int,
    palette: str,
    _table=None,
    _indicator=None,
    data_dir: str | None = None,
    out_dir: str | None = None,
) -> tuple[str, list[list[float]], str, int]:
    """The image of an uploaded LSOA or ward indicator over a large place (like ``load_raster``).

    Cached on ``(dataset_id, column, digest)`` (see ``uploaded_maps.upload_key``); ``_table``
    and ``_indicator`` (the ``UploadedTable`` and its ``Indicator``) are not hashed.
    "No data" is white with grey stripes. Returns (url, bounds, version, bytes).
    """
    from placemap.render import uploaded_maps

    areas = prepare.areas_in(load_areas(year, data_dir), la_codes)
    classification = uploaded_maps.lsoa_classes(_table, _indicator, year, areas, scheme, k, palette)
    if classification is None:
        raise ValueError(f"{_indicator.label} cannot be drawn on the LSOAs of IoD{year}")
    image = raster.render_choropleth(
        load_projected_geometry(year, data_dir).loc[areas.index], classification, hatch_no_data=True
    )
    version = f"{_indicator.id}-{digest}-{scheme}-{k}-{palette}"
    return write_generated(image, out_dir), image.bounds, version, len(image.png)


def upload_raster_layer(
    year: int, la_codes: tuple[str, ...], table, indicator, scheme: str, k: int, palette: str
) -> tuple[str, list[list[float]], str, int]:
    """``load_upload_raster`` for an uploaded indicator, re-rendering if its image was pruned from disk."""
    from placemap.render import uploaded_maps

    key = uploaded_maps.upload_key(table, indicator)
    result = load_upload_raster(year, la_codes, *key, scheme, k, palette, table, indicator)
    if not (GENERATED_DIR / Path(result[0]).name).exists():
        load_upload_raster.clear()
        result = load_upload_raster(year, la_codes, *key, scheme, k, palette, table, indicator)
    return result


def _export_parts(
    year: int,
    la_code: str,
    indicator_id: str,
    scheme: str,
    k: int,
    palette: str,
    table,
    indicator,
    data_dir: str | None,
) -> tuple[gpd.GeoDataFrame, Classification, dict, list]:
    """Geometry, classification, titles and style layers of one LA's map as the explorer shows it.

    With an uploaded indicator the explorer can colour (LSOA or ward), its classes and
    titles; otherwise (none, or an LA upload on LSOAs) the official indicator's.
    """
    from placemap.render import uploaded_maps

    if table is not None:
        vintage = get_vintage(year)
        areas = prepare.areas_in(load_areas(year, data_dir), (la_code,))
        la_names = load_la_options(year, data_dir)
        wards = lambda: load_ward_geometry(year, (la_code,), data_dir)  # noqa: E731
        overlay = uploaded_maps.explorer_overlay(
            table,
            indicator,
            maps.MODE_VECTOR,
            year,
            areas,
            [],
            la_names,
            scheme,
            k,
            palette,
            vintage.n_lsoas,
            load_wards=wards,
        )
        if overlay.classification is not None:
            if overlay.layer is not None:
                geometry = uploaded_maps.ward_geometry_in_order(
                    wards(), pd.Index(overlay.table["Ward code"]).sort_values()
                )
            else:
                geometry = place_geometry(year, (la_code,), data_dir)
            titles = uploaded_maps.export_titles(
                indicator, table.source, la_names.get(la_code, la_code), vintage, overlay.geography, scheme
            )
            layers = [maps.build_style_layer(overlay.payload)] + ([overlay.layer] if overlay.layer is not None else [])
            return geometry, overlay.classification, titles, layers
    geometry, classification = map_geometry_and_classes(year, la_code, indicator_id, scheme, k, palette, data_dir)
    _, payload = load_classification(year, (la_code,), indicator_id, scheme, k, palette, data_dir)
    return (
        geometry,
        classification,
        map_titles(year, la_code, indicator_id, scheme, data_dir),
        [maps.build_style_layer(payload)],
    )


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
    """``load_static_map`` with this session's uploads: the uploaded indicator shown, uploaded areas outlined.

    Cached on ``upload_key`` / ``areas_key`` (``uploaded_maps.upload_key`` / ``areas_key``);
    ``_table``, ``_indicator`` and ``_areas`` are the uploads themselves, not hashed.
    """
    from placemap.render import staticmap, uploaded_maps  # matplotlib: imported when a figure is saved

    geometry, classification, titles, _ = _export_parts(
        year, la_code, indicator_id, scheme, k, palette, _table, _indicator, data_dir
    )
    lsoas = place_geometry(year, (la_code,), data_dir)
    highlight = lsoas.loc[[area]] if area and area in lsoas.index else None
    name = load_areas(year, data_dir).at[area, loaders.AREA_NAME] if highlight is not None else ""
    figure = staticmap.map_figure(
        geometry,
        classification,
        highlight=highlight,
        highlight_label=f"{name} ({area})",
        outlines=uploaded_maps.areas_outlines(list(_areas)),
        **titles,
    )
    return export.figure_bytes(figure, fmt, title=titles["title"])


@st.cache_data(max_entries=16, show_spinner="Saving the interactive map…")
def load_upload_map_html(
    year: int,
    la_code: str,
    indicator_id: str,
    scheme: str,
    k: int,
    palette: str,
    area: str | None,
    upload_key: tuple[str, ...],
    areas_key: tuple[str, ...],
    _table=None,
    _indicator=None,
    _areas: tuple = (),
    data_dir: str | None = None,
) -> bytes:
    """``load_map_html`` with this session's uploads (the uploaded indicator, wards and uploaded areas)."""
    from placemap.render import uploaded_maps

    _, classification, titles, layers = _export_parts(
        year, la_code, indicator_id, scheme, k, palette, _table, _indicator, data_dir
    )
    place = load_place_layers(year, (la_code,), data_dir)
    base = maps.build_base_map(
        place["areas"],
        place["bounds"],
        la_features=place["la"],
        ward_features=place["wards"],
        attribution=f"{get_vintage(year).label}, MHCLG · Boundaries: ONS · OGL v3.0",
    )
    layers += [
        maps.build_highlight_layer(area_features(year, area, data_dir) if area else None),
        uploaded_maps.build_areas_layer(list(_areas)),
    ]
    page = maps.render_map_html(base, layers)
    panel = (
        f"<h1>{prepare.escape_text(titles['title'])}</h1>"
        + maps.legend_html(titles["legend_title"], titles["subtitle"], classification)
        + "".join(f'<div class="pm-source">{prepare.escape_text(line)}</div>' for line in titles["source_lines"])
    )
    return export.standalone_map_html(page, title=titles["title"], panel_html=panel)


@st.cache_resource(max_entries=8, show_spinner="Preparing the comparison…")
def load_upload_profile(year: int, domain_id: str, data_dir: str | None = None) -> pd.DataFrame:
    """Every LSOA of edition ``year`` with its domain profile, LA and region (to match on, for an uploaded outcome)."""
    from placemap.analysis import lsoa_change, upload_evaluation

    regions = load_lsoa_regions(lsoa_change.geography(year), data_dir)
    return upload_evaluation.profile_frame(load_areas(year, data_dir), year, domain_id, regions)


@st.cache_data(max_entries=32, show_spinner="Overlaying your areas on the LSOAs…")
def load_upload_overlay(year: int, dataset_id: str, geojson: str, data_dir: str | None = None) -> pd.DataFrame:
    """``uploaded_boundaries.overlay_weights`` of uploaded areas on an edition's LSOAs (``geojson`` keys the cache)."""
    import json

    from placemap.uploads import uploaded_boundaries as ub

    areas = gpd.GeoDataFrame.from_features(json.loads(geojson)["features"], crs=4326)
    areas = areas.set_index(ub.AREA_ID, drop=False)
    return ub.overlay_weights(areas, load_bng_geometry(year, data_dir), load_lsoa_population(year, data_dir))


@st.cache_data(max_entries=32, show_spinner="Matching comparison areas and bootstrapping…")
def load_upload_evaluation(
    intervention, before: pd.Series, after: pd.Series, profile_year: int, data_dir: str | None = None
):
    """``evaluation.evaluate`` with an uploaded outcome (``before``/``after`` on the profile year's LSOAs)."""
    from placemap.analysis import evaluation, upload_evaluation

    profile = load_upload_profile(profile_year, intervention.domain, data_dir)
    return evaluation.evaluate(upload_evaluation.outcome_frame(profile, before, after), intervention)
