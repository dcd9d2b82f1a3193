"""Cached profiles, similar areas, LA summaries, reports and map exports. Imports streamlit."""

from __future__ import annotations

from typing import NamedTuple

import geopandas as gpd
import pandas as pd
import streamlit as st

from placemap.analysis import profile, similar
from placemap.analysis.classify import (
    Classification,
)
from placemap.data import (
    la_summaries,
    loaders,
    prepare,
)
from placemap.data.catalogue import VINTAGES, get_indicator, get_vintage
from placemap.data.loaders import LA_CODE, LA_NAME
from placemap.render import choropleth, class_maps, export, maps
from placemap.ui.cache import (
    area_features,
    default_data_dir,
    load_areas,
    load_classification,
    load_geometry,
    load_indicator_areas,
    load_la_options,
    load_las,
    load_place_layers,
    place_geometry,
)

IMD_DECILE = "imd_decile"


SIMILAR_COLOUR = "#ffd84d"  # yellow markers: distinct from the magenta "this area" for colour-blind readers


@st.cache_resource(show_spinner="Loading the ONS LSOA 2011 to 2021 lookup…")
def load_lsoa_lookup_raw(data_dir: str | None = None) -> pd.DataFrame:
    """The ONS LSOA (2011) -> LSOA (2021) lookup as published (read-only, shared)."""
    return loaders.read_lsoa_lookup(data_dir or default_data_dir())


@st.cache_resource
def load_la_summaries(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """The edition's LA summary table, indexed by LA code (read-only, shared)."""
    return loaders.read_la_summaries(get_vintage(year), data_dir or default_data_dir())


@st.cache_resource(show_spinner="Comparing domain profiles across England…")
def load_domain_profiles(year: int, kind: str, data_dir: str | None = None) -> pd.DataFrame:
    """Domain profiles (national positions 0..1) of every LSOA (``kind="lsoa"``) or LA (``"la"``)."""
    vintage = get_vintage(year)
    areas = load_areas(year, data_dir)
    if kind == profile.LA:
        return similar.la_positions(areas, year, vintage.n_lsoas)
    return similar.lsoa_positions(areas, year, vintage.n_lsoas)


@st.cache_data(max_entries=256)
def load_similar(year: int, code: str, n: int = similar.DEFAULT_N, data_dir: str | None = None) -> pd.DataFrame:
    """The ``n`` areas most similar to an LSOA or LA, described for people (see ``placemap.analysis.similar``)."""
    kind = profile.area_kind(code)
    neighbours = similar.nearest(load_domain_profiles(year, kind, data_dir), code, n)
    if kind == profile.LA:
        return similar.describe_las(neighbours, load_la_options(year, data_dir))
    imd = get_indicator(IMD_DECILE).column(year)
    return similar.describe_lsoas(neighbours, load_areas(year, data_dir), imd)


@st.cache_data(max_entries=64)
def load_history(year: int, code: str, data_dir: str | None = None) -> pd.DataFrame:
    """An LSOA's IMD decile in every edition (``profile.vintage_history``)."""
    tables = {v.year: load_areas(v.year, data_dir) for v in VINTAGES}
    return profile.vintage_history(code, year, tables, load_lsoa_lookup_raw(data_dir), list(VINTAGES))


def map_geometry_and_classes(
    year: int,
    la_code: str,
    indicator_id: str = IMD_DECILE,
    scheme: str = "national_deciles",
    k: int = 10,
    palette: str = "viridis",
    data_dir: str | None = None,
) -> tuple[gpd.GeoDataFrame, Classification]:
    """The LA's LSOA boundaries and the *same* classification the interactive map uses."""
    classification, _ = load_classification(year, (la_code,), indicator_id, scheme, k, palette, data_dir)
    return place_geometry(year, (la_code,), data_dir), classification


@st.cache_data(max_entries=16, show_spinner="Composing the PDF report…")
def load_report_pdf(
    year: int, code: str, link: str = "", data_dir: str | None = None, *, catalogue_key: str = "", _catalogue=None
) -> bytes:
    """The profile report of an LSOA or LA as PDF bytes (``placemap.render.report``), with its measures.

    ``_catalogue`` (the session's, not hashed) adds the indicators the session brought beside
    the measures; ``catalogue_key`` (``measure_profile.catalogue_key``) keys the cache on them.
    """
    from placemap.render import report  # matplotlib's PDF backend: imported when a report is made
    from placemap.ui import measure_profile

    vintage = get_vintage(year)
    areas = load_areas(year, data_dir)
    kind = profile.area_kind(code)
    la_code = code if kind == profile.LA else str(areas.loc[code, LA_CODE])
    geometry, classification = map_geometry_and_classes(year, la_code, data_dir=data_dir)
    basis = report.ReportBasis(
        areas,
        vintage,
        geometry,
        classification,
        similar_areas=load_similar(year, code, data_dir=data_dir),
        similarity_note=similar.similarity_note(year, kind),
        link=link,
    )
    if kind == profile.LA:
        summaries = load_la_summaries(year, data_dir)
        official = la_summaries.la_summary_table(summaries, code, year)
        content = report.la_report(basis, code, official, la_summaries.la_count(summaries))
        lsoas = tuple(areas.index[areas[LA_CODE] == code])
        content = measure_profile.place_report_section(content, year, lsoas, _catalogue)
    else:
        content = report.lsoa_report(basis, code, load_history(year, code, data_dir))
        content = measure_profile.measure_report_section(content, year, code, _catalogue)
    return report.build_report_pdf(content)


class MapFile(NamedTuple):
    """What an LA's exported map shows: edition, LA, indicator, classification and the area outlined."""

    year: int
    la_code: str
    indicator_id: str
    scheme: str
    k: int
    palette: str
    area: str | None = None


@st.cache_data(max_entries=32, show_spinner="Drawing the map…")
def load_map_file(
    choice: MapFile,
    fmt: str,
    upload_key: tuple[str, ...] = (),
    areas_key: tuple[str, ...] = (),
    _table=None,
    _indicator=None,
    _areas: tuple = (),
    data_dir: str | None = None,
) -> bytes:
    """One LA's map as the explorer shows it, as a file: "png", "svg" or "pdf" (a figure), or "html".

    The HTML is the interactive map as one file that works offline (Leaflet inlined), with its
    legend and source. Any indicator: an upload (``_indicator`` of ``_table``) is drawn by the
    same path (``cache.load_classification`` with the table's registry digest), with its title,
    source and licence; uploaded areas ``_areas`` are outlined. Cached on ``upload_key`` /
    ``areas_key`` (``uploaded_maps.upload_key`` / ``areas_key``); the uploads are not hashed.
    """
    from placemap.render import staticmap, uploaded_maps  # matplotlib: imported when a figure is saved
    from placemap.uploads.registry import dataset_digest

    year, la_code, indicator_id, scheme, k, palette, area = choice
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


@st.cache_resource
def load_england_outline(year: int, data_dir: str | None = None) -> dict:
    """England's outline (the edition's LAs dissolved, simplified to about 500 m): context for national maps."""
    las = load_las(year, data_dir)
    outline = las.geometry.union_all().simplify(0.005)
    return prepare.feature_collection(gpd.GeoSeries([outline], crs=las.crs), [{}])


def _padded(bounds: list[list[float]], fraction: float = 0.15) -> list[list[float]]:
    (south, west), (north, east) = bounds
    dy, dx = (north - south) * fraction + 0.02, (east - west) * fraction + 0.02
    return [[south - dy, west - dx], [north + dy, east + dx]]


@st.cache_data(max_entries=64)
def load_similar_map(year: int, code: str, n: int = similar.DEFAULT_N, data_dir: str | None = None) -> dict:
    """The similar-areas map's data: polygons and their colours, points, LA outlines, England, bounds.

    The area itself is magenta and its similar areas yellow, as polygons (visible when
    zoomed in) and as markers (visible at a national zoom); hovering names them.
    """
    table = load_similar(year, code, n, data_dir)
    codes = [str(c) for c in table["LA code" if "LA code" in table.columns else "LSOA code"]]
    distances = table["Distance"].tolist()
    las = load_las(year, data_dir)
    if profile.area_kind(code) == profile.LA:
        frame = las.loc[[c for c in (code, *codes) if c in las.index]]
        frame = frame.assign(area_code=frame[LA_CODE], area_name=frame[LA_NAME], ward_name="")
        outlines = frame
        extra = [""] * len(codes)
    else:
        frame = load_geometry(year, data_dir).loc[[code, *codes]]
        outlines = las.loc[[c for c in dict.fromkeys(frame[LA_CODE]) if c in las.index]]
        extra = [f"; IMD decile {int(d)}" for d in table["IMD decile"]]
    classification, payload = class_maps.similar_map(
        distances, extra, maps.HIGHLIGHT_COLOUR, SIMILAR_COLOUR, f"similar-{year}-{code}"
    )
    classes = classification.classes
    palette = classification.palette
    points = frame.geometry.representative_point()
    labels = [f"This area: {frame[loaders.AREA_NAME].iloc[0]}"] + [
        f"{i}. {name}" for i, name in enumerate(frame[loaders.AREA_NAME].iloc[1:], start=1)
    ]
    return {
        "features": prepare.area_features(frame),
        "payload": payload,
        "bounds": _padded(prepare.bounds_of(frame)),
        "las": prepare.outline_features(outlines, LA_NAME),
        "england": load_england_outline(year, data_dir),
        "points": [
            {"lat": p.y, "lng": p.x, "label": label, "colour": palette[c], "radius": 8 if c else 6}
            for p, label, c in zip(points, labels, classes, strict=True)
        ],
    }


def load_comparison(year: int, kind: str, codes: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The compare page's long rows (one chart per domain) and its table, for LSOAs or LAs.

    Cached on the edition and the codes, so a rerun does not filter England's LSOAs again.
    """
    from placemap.data.catalogue import CATALOGUE

    return _load_comparison(year, kind, codes, CATALOGUE.version)


@st.cache_data(max_entries=64, show_spinner=False)
def _load_comparison(
    year: int, kind: str, codes: tuple[str, ...], catalogue_version: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    from placemap.analysis import compare

    vintage = get_vintage(year)
    areas = load_areas(year)
    if kind == "lsoa":
        rows = compare.lsoa_rows(areas, list(codes), vintage, subdomains=True)
        return rows, compare.lsoa_table(rows)
    names = load_la_options(year)
    rows = compare.la_counts(areas, list(codes), vintage, names, subdomains=True)
    return rows, compare.la_table(areas, list(codes), vintage, names)


def load_la_key_points(year: int, la_code: str) -> tuple[list[str], pd.DataFrame]:
    """An LA profile's key-point sentences and its LSOAs per national decile and domain.

    Both read every LSOA in England: cached on the edition and the LA, not redone on a rerun.
    """
    from placemap.data.catalogue import CATALOGUE

    return _load_la_key_points(year, la_code, CATALOGUE.version)


@st.cache_data(max_entries=64, show_spinner=False)
def _load_la_key_points(year: int, la_code: str, catalogue_version: int) -> tuple[list[str], pd.DataFrame]:
    vintage = get_vintage(year)
    areas = load_areas(year)
    summaries = load_la_summaries(year)
    official = la_summaries.la_summary_table(summaries, la_code, year)
    sentences = profile.la_sentences(areas, la_code, vintage, official, la_summaries.la_count(summaries))
    return list(sentences), profile.la_decile_counts(areas, la_code, vintage)
