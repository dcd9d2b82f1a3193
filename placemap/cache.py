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


# --- Area profiles, comparisons and reports ---------------------------------------------------------
# Imported here, not at the top, to keep this section self-contained.
import numpy as np  # noqa: E402

from placemap import export, la_summaries, maps, profile, report, similar, staticmap  # noqa: E402
from placemap.catalogue import BOUNDARY_ATTRIBUTION, OGL, VINTAGES  # noqa: E402
from placemap.classify import SCHEMES  # noqa: E402

IMD_DECILE = "imd_decile"
SIMILAR_COLOUR = "#ffd84d"  # yellow markers: distinct from the magenta "this area" for colour-blind readers


@st.cache_resource(show_spinner="Loading the ONS LSOA 2011 to 2021 lookup…")
def load_lsoa_lookup(data_dir: str | None = None) -> pd.DataFrame:
    """The ONS LSOA (2011) -> LSOA (2021) lookup (read-only, shared)."""
    return loaders.read_lsoa_lookup(data_dir or _dir())


@st.cache_resource
def load_la_summaries(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """The edition's LA summary table, indexed by LA code (read-only, shared)."""
    return loaders.read_la_summaries(get_vintage(year), data_dir or _dir())


@st.cache_resource(show_spinner="Comparing domain profiles across England…")
def load_positions(year: int, kind: str, data_dir: str | None = None) -> pd.DataFrame:
    """Domain profiles (national positions 0..1) of every LSOA (``kind="lsoa"``) or LA (``"la"``)."""
    vintage = get_vintage(year)
    areas = load_areas(year, data_dir)
    if kind == profile.LA:
        return similar.la_positions(areas, year, vintage.n_lsoas)
    return similar.lsoa_positions(areas, year, vintage.n_lsoas)


@st.cache_data(max_entries=256)
def load_similar(year: int, code: str, n: int = similar.DEFAULT_N, data_dir: str | None = None) -> pd.DataFrame:
    """The ``n`` areas most similar to an LSOA or LA, described for people (see ``placemap.similar``)."""
    kind = profile.area_kind(code)
    neighbours = similar.nearest(load_positions(year, kind, data_dir), code, n)
    if kind == profile.LA:
        return similar.describe_las(neighbours, load_la_options(year, data_dir))
    imd = get_indicator(IMD_DECILE).column(year)
    return similar.describe_lsoas(neighbours, load_areas(year, data_dir), imd)


@st.cache_data(max_entries=64)
def load_history(year: int, code: str, data_dir: str | None = None) -> pd.DataFrame:
    """An LSOA's IMD decile in every edition (``profile.vintage_history``)."""
    tables = {v.year: load_areas(v.year, data_dir) for v in VINTAGES}
    return profile.vintage_history(code, year, tables, load_lsoa_lookup(data_dir), list(VINTAGES))


def map_geometry_and_classes(
    year: int, la_code: str, indicator_id: str = IMD_DECILE, scheme: str = "national_deciles", k: int = 10,
    palette: str = "viridis", data_dir: str | None = None,
) -> tuple[gpd.GeoDataFrame, Classification]:  # fmt: skip
    """The LA's LSOA boundaries and the *same* classification the interactive map uses."""
    classification, _ = load_classification(year, (la_code,), indicator_id, scheme, k, palette, data_dir)
    return place_geometry(year, (la_code,), data_dir), classification


@st.cache_data(max_entries=16, show_spinner="Composing the PDF report…")
def load_report_pdf(year: int, code: str, link: str = "", data_dir: str | None = None) -> bytes:
    """The profile report of an LSOA or LA as PDF bytes (``placemap.report``)."""
    vintage = get_vintage(year)
    areas = load_areas(year, data_dir)
    kind = profile.area_kind(code)
    la_code = code if kind == profile.LA else str(areas.loc[code, LA_CODE])
    geometry, classification = map_geometry_and_classes(year, la_code, data_dir=data_dir)
    if kind == profile.LA:
        summaries = load_la_summaries(year, data_dir)
        content = report.la_report(
            areas, code, vintage, geometry=geometry, classification=classification,
            official=la_summaries.la_summary_table(summaries, code, year), n_las=la_summaries.la_count(summaries),
            similar_areas=load_similar(year, code, data_dir=data_dir),
            similarity_note=similar.similarity_note(year, profile.LA), link=link,
        )  # fmt: skip
    else:
        content = report.lsoa_report(
            areas, code, vintage, geometry=geometry, classification=classification,
            history=load_history(year, code, data_dir), similar_areas=load_similar(year, code, data_dir=data_dir),
            similarity_note=similar.similarity_note(year, profile.LSOA), link=link,
        )  # fmt: skip
    return report.build_report_pdf(content)


def _map_titles(year: int, la_code: str, indicator_id: str, scheme: str, data_dir: str | None) -> dict:
    vintage = get_vintage(year)
    indicator = get_indicator(indicator_id)
    la_name = load_la_options(year, data_dir).get(la_code, la_code)
    n = int((load_areas(year, data_dir)[LA_CODE] == la_code).sum())
    return {
        "title": f"{la_name}: {indicator.label}",
        "subtitle": f"{vintage.label} · {n:,} LSOAs ({vintage.lsoa_label}) · {SCHEMES[scheme]}",
        "legend_title": indicator.label,
        "source_lines": [vintage.citation, BOUNDARY_ATTRIBUTION, f"Licence: {OGL}. Made with Placemap."],
    }


@st.cache_data(max_entries=32, show_spinner="Drawing the map…")
def load_static_map(
    year: int, la_code: str, indicator_id: str, scheme: str, k: int, palette: str, fmt: str,
    area: str | None = None, data_dir: str | None = None,
) -> bytes:  # fmt: skip
    """The choropleth as PNG, SVG or PDF, drawn from the interactive map's own classification."""
    geometry, classification = map_geometry_and_classes(year, la_code, indicator_id, scheme, k, palette, data_dir)
    titles = _map_titles(year, la_code, indicator_id, scheme, data_dir)
    highlight = geometry.loc[[area]] if area and area in geometry.index else None
    name = load_areas(year, data_dir).at[area, loaders.AREA_NAME] if highlight is not None else ""
    figure = staticmap.map_figure(
        geometry, classification, highlight=highlight, highlight_label=f"{name} ({area})", **titles
    )
    return export.figure_bytes(figure, fmt, title=titles["title"])


@st.cache_data(max_entries=16, show_spinner="Saving the interactive map…")
def load_map_html(
    year: int, la_code: str, indicator_id: str, scheme: str, k: int, palette: str,
    area: str | None = None, data_dir: str | None = None,
) -> bytes:  # fmt: skip
    """The interactive map as one HTML file that works offline (Leaflet inlined), with legend and source."""
    layers = load_place_layers(year, (la_code,), data_dir)
    classification, payload = load_classification(year, (la_code,), indicator_id, scheme, k, palette, data_dir)
    titles = _map_titles(year, la_code, indicator_id, scheme, data_dir)
    base = maps.build_base_map(
        layers["areas"], layers["bounds"], la_features=layers["la"], ward_features=layers["wards"],
        attribution=f"{get_vintage(year).label}, MHCLG · Boundaries: ONS · OGL v3.0",
    )  # fmt: skip
    highlight = maps.build_highlight_layer(area_features(year, area, data_dir) if area else None)
    page = maps.render_map_html(base, [maps.build_style_layer(payload), highlight])
    panel = (
        f"<h1>{prepare.escape_text(titles['title'])}</h1>"
        + maps.legend_html(titles["legend_title"], titles["subtitle"], classification)
        + "".join(f'<div class="pm-source">{prepare.escape_text(line)}</div>' for line in titles["source_lines"])
    )
    return export.standalone_map_html(page, title=titles["title"], panel_html=panel)


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
    values = ["This area"] + [
        f"No. {i} most similar (distance {d:.3f}{e})" for i, (d, e) in enumerate(zip(distances, extra, strict=True), 1)
    ]
    classes = np.array([1] + [0] * len(codes))
    palette = [SIMILAR_COLOUR, maps.HIGHLIGHT_COLOUR]
    classification = Classification(
        classes=classes,
        colours=[palette[c] for c in classes],
        palette=palette,
        labels=["Similar area", "This area"],
        bins=[0.0, 1.0],
        counts=[len(codes), 1],
        n_missing=0,
        scheme="similar",
    )
    payload = maps.style_payload(
        classification, values=values, ranks=[""] * len(values), deciles=[""] * len(values),
        label="Similarity", total=len(values), version=f"similar-{year}-{code}",
    )  # fmt: skip
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
