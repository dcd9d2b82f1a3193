"""Cached loads and derived payloads, keyed on small hashable arguments.

National tables and boundaries are loaded once per server process and shared
by every session (``st.cache_resource``: callers must treat them as read-only).
Per-view results (a place's GeoJSON, an indicator's colours) are small and are
cached with ``st.cache_data`` on (edition, LA codes, indicator, scheme, ...).
No cached function takes a GeoDataFrame as an argument.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from placemap.analysis import hotspots, priority, systems
from placemap.analysis.classify import Classification
from placemap.data import loaders, lookups, prepare
from placemap.data.catalogue import get_indicator, get_vintage
from placemap.data.loaders import AREA_CODE, LA_CODE, LA_NAME
from placemap.render import choropleth, raster
from placemap.render.assets import STATIC_DIR
from placemap.render.maps import style_payload


def _dir() -> str:
    return str(loaders.DATA_DIR)


def load_areas(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """All of England's LSOAs for one edition: names, wards, LAs and every indicator.

    Registered indicators (``CATALOGUE.register``) are joined in as columns named by id,
    with their national rank and decile (``values.with_registered``).
    """
    from placemap.data.catalogue import CATALOGUE

    return _load_areas(year, data_dir, CATALOGUE.version)


@st.cache_resource(show_spinner="Loading the Indices of Deprivation…", max_entries=8)
def _load_areas(year: int, data_dir: str | None, catalogue_version: int) -> pd.DataFrame:
    from placemap.data.values import with_registered

    return with_registered(loaders.read_areas(get_vintage(year), data_dir or _dir()), year)


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
    """GeoJSON for a place at LSOA level: LSOAs, LA outline, wards, neighbouring LAs, bounds."""
    return choropleth.lsoa_layers(place_geometry(year, la_codes, data_dir), load_las(year, data_dir), la_codes)


@st.cache_data(max_entries=256)
def load_classification(
    year: int, la_codes: tuple[str, ...], indicator_id: str, scheme: str, k: int, palette: str,
    data_dir: str | None = None,
) -> tuple[Classification, dict]:  # fmt: skip
    """Classify an indicator over a place's LSOAs; the classification and the map's style payload."""
    return choropleth.lsoa_classification(
        load_areas(year, data_dir), la_codes, get_indicator(indicator_id), get_vintage(year), scheme, k, palette
    )


def area_at(year: int, la_codes: tuple[str, ...], lat: float, lng: float, data_dir: str | None = None) -> str | None:
    """Code of the chosen LAs' LSOA at a clicked point, or ``None`` outside them.

    Searches England's spatial index (built once per process) and then checks the LA,
    so a click costs the same for one LA as for all of England.
    """
    geometry = load_geometry(year, data_dir)
    code = prepare.find_area_at(geometry, lat, lng)
    if code is None or geometry.at[code, LA_CODE] not in la_codes:
        return None
    return code


def la_at(year: int, la_codes: tuple[str, ...], lat: float, lng: float, data_dir: str | None = None) -> str | None:
    """Code of the chosen LA at a clicked point (via its LSOAs), or ``None``."""
    geometry = load_geometry(year, data_dir)
    code = prepare.find_area_at(geometry, lat, lng)
    if code is None:
        return None
    la = geometry.at[code, LA_CODE]
    return la if la in la_codes else None


@st.cache_resource
def load_regions(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """LA -> region for the edition's LA geography."""
    return loaders.read_la_regions(year, data_dir or _dir())


@st.cache_data
def load_region_options(year: int, data_dir: str | None = None) -> dict[str, str]:
    """Region code -> name, in code order."""
    regions = load_regions(year, data_dir)
    pairs = regions[["region_code", "region_name"]].drop_duplicates().sort_values("region_code")
    return dict(zip(pairs["region_code"], pairs["region_name"], strict=True))


@st.cache_resource(show_spinner="Projecting boundaries…")
def load_projected_geometry(year: int, data_dir: str | None = None) -> gpd.GeoSeries:
    """England's LSOA polygons in Web Mercator, for server-rendered images (once per process)."""
    return load_geometry(year, data_dir).geometry.to_crs(raster.WEB_MERCATOR)


@st.cache_data(max_entries=32, show_spinner="Preparing the map…")
def load_la_layers(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> dict:
    """GeoJSON of the chosen LAs as polygons (for the LA summary map and outlines), and bounds."""
    return choropleth.la_layers(load_las(year, data_dir), la_codes)


@st.cache_data(max_entries=128)
def load_la_classification(
    year: int, la_codes: tuple[str, ...], indicator_id: str, scheme: str, k: int, palette: str,
    data_dir: str | None = None,
) -> tuple[Classification, dict, pd.DataFrame]:  # fmt: skip
    """Classify the LA summary (share of LSOAs in the most deprived 10%) over the chosen LAs."""
    codes = tuple(load_la_layers(year, la_codes, data_dir)["codes"])
    return choropleth.la_classification(
        load_areas(year, data_dir), codes, get_indicator(indicator_id), get_vintage(year), scheme, k, palette
    )


GENERATED_DIR = STATIC_DIR / "generated"
GENERATED_KEEP = 200  # newest images kept on disk (a few hundred KB each)


def _prune(folder: Path, keep: int = GENERATED_KEEP) -> None:
    files = sorted(folder.glob("choropleth-*.png"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def raster_layer(
    year: int, la_codes: tuple[str, ...], indicator_id: str, scheme: str, k: int, palette: str
) -> tuple[str, list[list[float]], str, int]:
    """``load_raster``, re-rendering if its image was pruned from disk since it was cached."""
    result = load_raster(year, la_codes, indicator_id, scheme, k, palette)
    if not (GENERATED_DIR / Path(result[0]).name).exists():
        load_raster.clear()
        result = load_raster(year, la_codes, indicator_id, scheme, k, palette)
    return result


GENERATED_URL = "/app/static/generated"


@st.cache_data(max_entries=64, show_spinner="Drawing the map…")
def load_raster(
    year: int,
    la_codes: tuple[str, ...],
    indicator_id: str,
    scheme: str,
    k: int,
    palette: str,
    data_dir: str | None = None,
    out_dir: str | None = None,
) -> tuple[str, list[list[float]], str, int]:
    """Render the LSOA choropleth of a large place to a PNG served by the app.

    Returns (url, bounds, version, bytes). The file name is the image's hash, so a
    browser can cache it and a repeated view costs nothing.
    """
    classification, _ = load_classification(year, la_codes, indicator_id, scheme, k, palette, data_dir)
    projected = load_projected_geometry(year, data_dir)
    codes = place_geometry(year, la_codes, data_dir).index
    image = raster.render_choropleth(projected.loc[codes], classification)
    version = f"{year}-{indicator_id}-{scheme}-{k}-{palette}"
    return _write_generated(image, out_dir), image.bounds, version, len(image.png)


def area_features(year: int, code: str, data_dir: str | None = None) -> dict:
    """GeoJSON of one area (for the selection highlight)."""
    geometry = load_geometry(year, data_dir)
    one = geometry.loc[[code]]
    return prepare.feature_collection(one.geometry, [{"c": prepare.escape_text(code)}])


@st.cache_data(max_entries=256)
def count_lsoas(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> int:
    """Number of LSOAs in the chosen LAs."""
    return int(load_areas(year, data_dir)[LA_CODE].isin(la_codes).sum())


def area_in_place(year: int, la_codes: tuple[str, ...], code: str, data_dir: str | None = None) -> bool:
    """Whether ``code`` is an LSOA of the chosen LAs in this edition."""
    areas = load_areas(year, data_dir)
    return code in areas.index and areas.at[code, LA_CODE] in la_codes


# --- Change over time and evaluation (issue 6) -------------------------------------------
# National tables are shared read-only (cache_resource); per-view results are cache_data.
# Modules are imported inside the functions to keep this section self-contained.


@st.cache_resource(show_spinner="Loading the LSOA 2011→2021 lookup…")
def load_lsoa_lookup(data_dir: str | None = None) -> pd.DataFrame:
    """The ONS LSOA (2011) → LSOA (2021) lookup with change codes U/S/M/X."""
    from placemap.analysis import change

    return change.read_lsoa_lookup(loaders.data_path(change.LOOKUP_FILE, data_dir or _dir()))


@st.cache_resource
def load_lsoa_regions(geography: str, data_dir: str | None = None) -> pd.Series:
    """Region code of every LSOA of ``geography`` (``"lsoa11"`` or ``"lsoa21"``)."""
    from placemap.analysis import change

    lad_regions = change.read_lad_regions(loaders.data_path(change.REGION_FILE, data_dir or _dir()))
    regions11 = change.lsoa11_regions(load_areas(2015, data_dir)["lad13_code"], lad_regions)
    if geography == "lsoa11":
        return regions11[change.REGION_CODE]
    return change.lsoa21_regions(regions11, load_lsoa_lookup(data_dir))[change.REGION_CODE]


def _population(data_dir: str | None) -> pd.Series:
    from placemap.analysis import change

    return load_areas(2019, data_dir)[change.POPULATION_COLUMN]


@st.cache_resource(max_entries=48, show_spinner="Comparing the editions…")
def load_change(before: int, after: int, domain_id: str, merged_rule: str = "weighted", data_dir: str | None = None):
    """Change of one domain between two editions for every LSOA, and the rule's counts."""
    from placemap.analysis import change

    return change.compare_editions(
        change.edition_values(load_areas(before, data_dir), before, domain_id),
        change.edition_values(load_areas(after, data_dir), after, domain_id),
        before,
        after,
        load_lsoa_lookup(data_dir),
        _population(data_dir),
        merged_rule,
    )


@st.cache_data(max_entries=128)
def load_change_style(
    before: int, after: int, domain_id: str, measure: str, la_codes: tuple[str, ...], data_dir: str | None = None
) -> tuple[Classification, dict]:
    """Diverging classes of a place's changes and the map's style payload (feature order = area code)."""
    from placemap.analysis import change

    table, _rule = load_change(before, after, domain_id, data_dir=data_dir)
    geo_year = change.geography_year(before, after)
    areas = prepare.areas_in(load_areas(geo_year, data_dir), la_codes)
    rows = table.reindex(areas.index)
    column = "decile_change" if measure == change.DECILE else "position_change"
    classification = change.classify_change(rows[column].to_numpy(dtype=float), measure)

    def _pair(a: float, b: float, fmt: str) -> str:
        return "" if pd.isna(a) or pd.isna(b) else f"{fmt.format(a)} → {fmt.format(b)}"

    payload = style_payload(
        classification,
        values=[change.format_change(v, measure) for v in rows[column]],
        ranks=[
            _pair(a * 100, b * 100, "{:.1f}%")
            for a, b in zip(rows["position_before"], rows["position_after"], strict=True)
        ],
        deciles=[_pair(a, b, "{:.0f}") for a, b in zip(rows["decile_before"], rows["decile_after"], strict=True)],
        label=f"{change.domain_label(domain_id)}: change IoD{before} → IoD{after}",
        total=get_vintage(geo_year).n_lsoas,
        version=f"change-{before}-{after}-{domain_id}-{measure}",
    )
    return classification, payload


@st.cache_resource(max_entries=8, show_spinner="Carrying every edition onto one set of LSOAs…")
def load_positions(geography: str, data_dir: str | None = None) -> dict[int, pd.DataFrame]:
    """Rank positions of every domain with ranks, per edition, on ``geography`` (for trends)."""
    from placemap.analysis import change
    from placemap.data.catalogue import VINTAGES

    lookup, population = load_lsoa_lookup(data_dir), _population(data_dir)
    out = {}
    for v in VINTAGES:
        areas = load_areas(v.year, data_dir)
        positions = pd.DataFrame(
            {
                d.id: change.edition_values(areas, v.year, d.id)[change.POSITION]
                for d in change.domains_with_ranks(v.year)
            }
        )
        carried = change.values_on(positions, v.year, geography, lookup, population)
        out[v.year] = carried.drop(columns=[change.CHANGE_CODE])
    return out


@st.cache_resource(max_entries=24, show_spinner="Preparing the comparison…")
def load_analysis_frame(before: int, after: int, domain_id: str, data_dir: str | None = None) -> pd.DataFrame:
    """Every LSOA with outcome before/after, baseline profile, LA and region (for evaluations)."""
    from placemap.analysis import change, evaluation

    return evaluation.analysis_frame(
        {before: load_areas(before, data_dir), after: load_areas(after, data_dir)},
        before,
        after,
        domain_id,
        load_lsoa_lookup(data_dir),
        _population(data_dir),
        load_lsoa_regions(change.common_geography(before, after), data_dir),
    )


@st.cache_data(max_entries=64, show_spinner="Matching comparison areas and bootstrapping…")
def load_evaluation(
    name: str,
    area_codes: tuple[str, ...],
    domain_id: str,
    before: int,
    after: int,
    measure: str,
    n_neighbours: int,
    same_region: bool,
    exclude_same_la: bool,
    seed: int,
    n_boot: int,
    data_dir: str | None = None,
):
    """Run an evaluation (matching, difference-in-differences, bootstrap); raises ``EvaluationError``."""
    from placemap.analysis import evaluation

    intervention = evaluation.Intervention(
        name=name,
        area_codes=area_codes,
        domain=domain_id,
        before=before,
        after=after,
        measure=measure,
        options=evaluation.MatchOptions(n_neighbours, same_region, exclude_same_la),
        seed=seed,
        n_boot=n_boot,
    )
    return evaluation.evaluate(load_analysis_frame(before, after, domain_id, data_dir), intervention)


@st.cache_resource(show_spinner="Opening the database…")
def load_store(url: str):
    """The app's database for ``url``, migrated to the newest schema (once per process).

    Raises ``store.StoreError`` (not cached, so a later run tries again).
    """
    from placemap.storage import store

    return store.open_store(url)


@st.cache_data
def load_summaries(data_dir: str | None = None) -> dict[int, pd.DataFrame]:
    """Each edition's official LA summary table, indexed by LA code."""
    from placemap.data.catalogue import VINTAGES

    return {v.year: loaders.read_la_summaries(v, data_dir or _dir()) for v in VINTAGES}


@st.cache_data(max_entries=64)
def load_selection_style(
    year: int, la_codes: tuple[str, ...], selected: tuple[str, ...], data_dir: str | None = None
) -> dict:
    """Style payload for the evaluation map: the intervention's LSOAs in blue, the rest grey."""
    import hashlib

    from placemap.analysis import evaluation

    areas = prepare.areas_in(load_areas(year, data_dir), la_codes)
    classification = evaluation.selection_classification(list(areas.index), set(selected))
    chosen = set(selected)
    return style_payload(
        classification,
        values=["In the intervention" if c in chosen else "Not chosen (click to add)" for c in areas.index],
        ranks=[""] * len(areas),
        deciles=[""] * len(areas),
        label="Intervention",
        total=get_vintage(year).n_lsoas,
        version=f"selection-{year}-{hashlib.sha1(','.join(sorted(chosen)).encode()).hexdigest()[:10]}",
    )


# --- Area profiles, comparisons and reports ---------------------------------------------------------
# Imported here, not at the top, to keep this section self-contained.

from placemap.analysis import profile, similar  # noqa: E402
from placemap.analysis.classify import SCHEMES  # noqa: E402
from placemap.data import la_summaries  # noqa: E402
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, OGL, VINTAGES  # noqa: E402
from placemap.render import export, maps, report, staticmap  # noqa: E402

IMD_DECILE = "imd_decile"
SIMILAR_COLOUR = "#ffd84d"  # yellow markers: distinct from the magenta "this area" for colour-blind readers


@st.cache_resource(show_spinner="Loading the ONS LSOA 2011 to 2021 lookup…")
def load_lsoa_lookup_raw(data_dir: str | None = None) -> pd.DataFrame:
    """The ONS LSOA (2011) -> LSOA (2021) lookup as published (read-only, shared)."""
    return loaders.read_lsoa_lookup(data_dir or _dir())


@st.cache_resource
def load_la_summaries(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """The edition's LA summary table, indexed by LA code (read-only, shared)."""
    return loaders.read_la_summaries(get_vintage(year), data_dir or _dir())


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
    year: int, la_code: str, indicator_id: str = IMD_DECILE, scheme: str = "national_deciles", k: int = 10,
    palette: str = "viridis", data_dir: str | None = None,
) -> tuple[gpd.GeoDataFrame, Classification]:  # fmt: skip
    """The LA's LSOA boundaries and the *same* classification the interactive map uses."""
    classification, _ = load_classification(year, (la_code,), indicator_id, scheme, k, palette, data_dir)
    return place_geometry(year, (la_code,), data_dir), classification


@st.cache_data(max_entries=16, show_spinner="Composing the PDF report…")
def load_report_pdf(
    year: int, code: str, link: str = "", data_dir: str | None = None, *, your_data_key: str = "", _your_data=None
) -> bytes:
    """The profile report of an LSOA or LA as PDF bytes (``placemap.render.report``).

    ``_your_data`` (``upload_profile.YourData``, not hashed) adds the uploaded indicators;
    ``your_data_key`` (``YourData.key()``) keys the cache on them.
    """
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
    if _your_data is not None and (len(_your_data.table) or _your_data.notes):
        from placemap.render import upload_charts

        chart = None
        if kind == profile.LSOA and len(_your_data.spine):
            chart = upload_charts.lsoa_your_data_chart(
                _your_data.spine, _your_data.sources, name=str(areas.loc[code, "area_name"]), code=code,
                la_name=str(areas.loc[code, LA_NAME]), vintage=vintage,
            )  # fmt: skip
        content = report.add_your_data(content, _your_data.table, _your_data.notes, _your_data.sources, chart)
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


# --- Workshops and initiatives (issue 7) -------------------------------------------------


@st.cache_data(max_entries=64)
def load_overlap_style(year: int, la_code: str, data_dir: str | None = None):
    """Classes and the map's style payload for "where needs overlap" (domains in England's most deprived 20%)."""
    from placemap.community import workshop

    areas = prepare.areas_in(load_areas(year, data_dir), (la_code,))
    counts = workshop.overlap_counts(areas, year)
    classification = workshop.overlap_classification(counts)
    n = len(workshop.OVERLAP_DOMAINS)
    payload = style_payload(
        classification,
        values=[f"{c} of {n} domains" for c in counts],
        ranks=[""] * len(areas),
        deciles=[""] * len(areas),
        label="Domains in England's most deprived 20%",
        total=get_vintage(year).n_lsoas,
        version=f"overlap-{year}-{la_code}",
    )
    return classification, payload


@st.cache_data(max_entries=64)
def load_coverage_style(year: int, la_code: str, counts: tuple[int, ...], data_dir: str | None = None):
    """Classes and style payload of the initiatives layer: how many initiatives cover each LSOA (0, 1, 2, 3+)."""
    import hashlib

    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    from placemap.analysis.classify import Classification

    areas = prepare.areas_in(load_areas(year, data_dir), (la_code,))
    classes = np.minimum(np.asarray(counts, dtype=int), 3)
    cmap = colormaps["cividis"]
    palette = [to_hex(cmap(1 - i / 3)) for i in range(4)]
    classification = Classification(
        classes=classes, colours=[palette[c] for c in classes], palette=palette,
        labels=["No initiative", "1 initiative", "2 initiatives", "3 or more initiatives"], bins=[0.0, 1.0, 2.0, 3.0],
        counts=[int((classes == i).sum()) for i in range(4)], n_missing=0, scheme="coverage",
    )  # fmt: skip
    payload = style_payload(
        classification,
        values=[f"{c} initiative{'s' if c != 1 else ''}" for c in counts],
        ranks=[""] * len(areas),
        deciles=[""] * len(areas),
        label="Initiatives working here",
        total=get_vintage(year).n_lsoas,
        version=f"coverage-{year}-{la_code}-{hashlib.sha1(str(counts).encode()).hexdigest()[:10]}",
    )
    return classification, payload


# --- Bring your own data (issue 8) -------------------------------------------------------


@st.cache_resource(show_spinner="Loading the area code lists…")
def load_geographies(data_dir: str | None = None):
    """The code lists uploads are matched against: LSOA 2011 and 2021, wards (2019, 2024), LAs (2019, 2024)."""
    from placemap.uploads import upload

    a25, a19 = load_areas(2025, data_dir), load_areas(2019, data_dir)
    wards = {**dict(zip(a19["ward_code"], a19["ward_name"], strict=True)), **dict(zip(a25["ward_code"], a25["ward_name"], strict=True))}  # fmt: skip
    las = {**dict(zip(a19[LA_CODE], a19[LA_NAME], strict=True)), **dict(zip(a25[LA_CODE], a25[LA_NAME], strict=True))}  # fmt: skip
    return upload.Geographies(
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

    population11 = _population(data_dir)
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


# ---------------------------------------------------------------------------------------
# Systems view, priority finder and hot spots (issue 5).


@st.cache_resource(show_spinner="Loading populations and rural-urban classes…")
def load_area_context(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """Population and rural-urban class of every LSOA of an edition (read-only, shared)."""
    return lookups.read_area_context(year, data_dir or _dir())


@st.cache_resource(show_spinner=False)
def load_transformed_domains(year: int, data_dir: str | None = None):
    """England's ``(n, 7)`` exponentially transformed domain scores (read-only, shared)."""
    return priority.transformed_domains(load_areas(year, data_dir), year)


@st.cache_data(max_entries=64, show_spinner=False)
def load_composite(year: int, weights: tuple[float, ...], data_dir: str | None = None) -> pd.DataFrame:
    """The composite index of every LSOA in England at ``weights`` (percent, ``SEVEN_DOMAINS`` order)."""
    return priority.composite_index(
        load_areas(year, data_dir), year, dict(zip(priority.SEVEN_DOMAINS, weights, strict=True))
    )


@st.cache_data(max_entries=64, show_spinner="Trying 1,000 random weightings…")
def load_stability(
    year: int,
    la_codes: tuple[str, ...],
    weights: tuple[float, ...],
    spread: int,
    reference: str,
    data_dir: str | None = None,
):
    """Share of seeded random weightings in which each LSOA of the place is in the top decile of need.

    In the order of ``prepare.areas_in`` (area code order).
    """
    national = load_areas(year, data_dir)
    fractions, _ = priority.normalise_weights(dict(zip(priority.SEVEN_DOMAINS, weights, strict=True)))
    in_place = national[LA_CODE].isin(list(la_codes)).to_numpy()
    order = np.argsort(national.index.to_numpy()[in_place], kind="stable")
    shares = priority.rank_stability(
        load_transformed_domains(year, data_dir),
        priority.weight_vector(fractions),
        in_place,
        reference=reference,
        spread=spread / 100,
    )
    return shares[order]


@st.cache_data(max_entries=64, show_spinner=False)
def load_overlap(
    year: int,
    la_codes: tuple[str, ...],
    domains: tuple[str, ...],
    pct: int,
    at_least: int,
    data_dir: str | None = None,
):
    """The overlap finder's answer for a place (``priority.Overlap``)."""
    context = load_area_context(year, data_dir)
    return priority.overlap(
        load_areas(year, data_dir), year, la_codes, domains, pct, at_least, population=context["population"]
    )


@st.cache_data(max_entries=64, show_spinner=False)
def load_hotspots(
    year: int,
    la_codes: tuple[str, ...],
    domain: str,
    method: str,
    permutations: int,
    data_dir: str | None = None,
):
    """esda's local statistics (``hotspots.LocalStatistics``) for a place, in area-code order."""
    national = load_areas(year, data_dir)
    rank_column = get_indicator(f"{domain}_rank").column(year)
    geometry = place_geometry(year, la_codes, data_dir)
    values = hotspots.need_percentile(national.loc[geometry.index, rank_column].to_numpy(dtype=float), len(national))
    return hotspots.local_statistics(values, geometry.geometry, method, permutations=permutations)


def areas_features(year: int, codes: tuple[str, ...], data_dir: str | None = None) -> dict:
    """GeoJSON of several areas (the highlight of LSOAs selected in a chart)."""
    geometry = load_geometry(year, data_dir)
    some = geometry.loc[[c for c in codes if c in geometry.index]]
    return prepare.feature_collection(some.geometry, [{"c": prepare.escape_text(c)} for c in some.index])


@st.cache_data(max_entries=64, show_spinner=False)
def load_bivariate(
    year: int, la_codes: tuple[str, ...], x_id: str, y_id: str, reference: str, data_dir: str | None = None
) -> tuple[systems.Bivariate, dict]:
    """The 3x3 bivariate classes of a place and the map's style payload."""
    national = load_areas(year, data_dir)
    areas = prepare.areas_in(national, la_codes)
    result = systems.bivariate(areas, national, year, x_id, y_id, reference)
    payload = style_payload(
        result.classification,
        values=systems.bivariate_values(areas, year, x_id, y_id, result),
        ranks=[""] * len(areas),
        deciles=[""] * len(areas),
        label=f"{systems.short_label(get_indicator(x_id))} × {systems.short_label(get_indicator(y_id))}",
        total=get_vintage(year).n_lsoas,
        version=f"{year}-bivariate-{x_id}-{y_id}-{reference}",
    )
    return result, payload


def _payload(classification: Classification, values: list[str], label: str, year: int, version: str, **extra) -> dict:
    n = len(values)
    return style_payload(
        classification,
        values=values,
        ranks=extra.get("ranks", [""] * n),
        deciles=extra.get("deciles", [""] * n),
        label=label,
        total=get_vintage(year).n_lsoas,
        version=version,
    )


@st.cache_data(max_entries=64, show_spinner=False)
def load_overlap_map(
    year: int,
    la_codes: tuple[str, ...],
    domains: tuple[str, ...],
    pct: int,
    at_least: int,
    data_dir: str | None = None,
) -> tuple[Classification, dict]:
    """Classes and style payload of the overlap map."""
    result = load_overlap(year, la_codes, domains, pct, at_least, data_dir)
    codes = load_place_layers(year, la_codes, data_dir)["codes"]
    classification = priority.overlap_classification(result, codes)
    rows = result.table.set_index("area_code").reindex(codes)
    values = [
        f"{int(n)} of {len(domains)}" + (f": {w}" if w else "")
        for n, w in zip(rows["domains_hit"], rows["which"], strict=True)
    ]
    label = f"Domains in England's most deprived {pct}%"
    version = f"{year}-overlap-{','.join(domains)}-{pct}-{at_least}"
    return classification, _payload(classification, values, label, year, version)


@st.cache_data(max_entries=64, show_spinner=False)
def load_composite_map(
    year: int, la_codes: tuple[str, ...], weights: tuple[float, ...], data_dir: str | None = None
) -> tuple[Classification, dict]:
    """Classes and style payload of the composite index map (national deciles at ``weights``)."""
    codes = load_place_layers(year, la_codes, data_dir)["codes"]
    composite = load_composite(year, weights, data_dir).loc[codes]
    classification = priority.composite_classification(composite["decile"].to_numpy())
    values = [
        f"{s:.2f} (official IMD rank {r:,})" for s, r in zip(composite["score"], composite["imd_rank"], strict=True)
    ]
    version = f"{year}-composite-{','.join(f'{w:g}' for w in weights)}"
    return classification, _payload(
        classification,
        values,
        "Composite index at the chosen weights",
        year,
        version,
        ranks=[f"{r:,}" for r in composite["rank"]],
        deciles=[str(d) for d in composite["decile"]],
    )


@st.cache_data(max_entries=64, show_spinner=False)
def load_stability_map(
    year: int,
    la_codes: tuple[str, ...],
    weights: tuple[float, ...],
    spread: int,
    reference: str,
    data_dir: str | None = None,
) -> tuple[Classification, dict]:
    """Classes and style payload of the rank-stability map."""
    shares = load_stability(year, la_codes, weights, spread, reference, data_dir)
    classification = priority.stability_classification(shares)
    values = [f"{s:.0%} of {priority.STABILITY_DRAWS:,} weightings" for s in shares]
    label = "In the most deprived 10%"
    version = f"{year}-stability-{','.join(f'{w:g}' for w in weights)}-{spread}-{reference}"
    return classification, _payload(classification, values, label, year, version)


@st.cache_data(max_entries=64, show_spinner=False)
def load_hotspot_map(
    year: int,
    la_codes: tuple[str, ...],
    domain: str,
    method: str,
    permutations: int,
    alpha: float,
    use_fdr: bool,
    data_dir: str | None = None,
) -> tuple[Classification, dict, float]:
    """Classes, style payload and the p-value cut-off used, of the hot-spot map."""
    stats = load_hotspots(year, la_codes, domain, method, permutations, data_dir)
    classes = hotspots.hotspot_classes(stats, alpha, use_fdr)
    table = hotspots.class_table(method)
    classification = Classification(
        classes=classes,
        colours=[table[c][1] if c >= 0 else "#ffffff" for c in classes],
        palette=[colour for _, colour in table],
        labels=[label for label, _ in table],
        bins=[],
        counts=[int((classes == i).sum()) for i in range(len(table))],
        n_missing=int((classes < 0).sum()),
        scheme=method,
    )
    values = [
        hotspots.NOT_TESTED_LABEL if c < 0 else f"{table[c][0].split(':')[0]} (pseudo p = {p:.3f})"
        for c, p in zip(classes, stats.p_sim, strict=True)
    ]
    national = load_areas(year, data_dir)
    indicator = get_indicator(f"{domain}_rank")
    areas = national.loc[load_place_layers(year, la_codes, data_dir)["codes"]]
    label = hotspots.METHODS[method]
    version = f"{year}-{method}-{domain}-{permutations}-{alpha:g}-{int(use_fdr)}"
    return (
        classification,
        _payload(
            classification,
            values,
            label,
            year,
            version,
            ranks=[f"{int(r):,}" for r in areas[indicator.column(year)]],
            deciles=[str(int(d)) for d in areas[indicator.decile_column(year)]],
        ),
        hotspots.significance_cutoff(stats, alpha, use_fdr),
    )


# ---------------------------------------------------------------------------------------
# Uploaded indicators on the hot-spot page (issue 8). Keyed on the values themselves (not
# the upload's id), so two sessions share a result only when their data is the same.


@st.cache_data(max_entries=16, show_spinner=False)
def load_hotspots_for_values(
    year: int,
    la_codes: tuple[str, ...],
    values: np.ndarray,
    method: str,
    permutations: int,
    data_dir: str | None = None,
):
    """esda's local statistics for a place on given values (one per LSOA of the place, area-code order)."""
    geometry = place_geometry(year, la_codes, data_dir)
    return hotspots.local_statistics(values, geometry.geometry, method, permutations=permutations)


# Uploaded indicators on the map explorer and in its exports (issue 8): wards, images, exports.
# Uploads live in the session, so these key the cache on (dataset id, column, content hash)
# and take the table itself as an unhashed ``_`` argument, never hashing a DataFrame.


@st.cache_data(max_entries=32, show_spinner="Drawing the wards…")
def load_ward_geometry(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> gpd.GeoDataFrame:
    """The place's wards dissolved from its LSOAs (``prepare.ward_outlines``), sorted by ward code."""
    return prepare.ward_outlines(place_geometry(year, la_codes, data_dir))


def _write_generated(image: raster.RasterChoropleth, out_dir: str | None) -> str:
    """Save a rendered image under its hash (once) in the served folder; its URL."""
    target = Path(out_dir) if out_dir else GENERATED_DIR
    target.mkdir(parents=True, exist_ok=True)
    name = f"choropleth-{image.digest}.png"
    if not (target / name).exists():
        (target / name).write_bytes(image.png)
        _prune(target)
    return f"{GENERATED_URL}/{name}"


@st.cache_data(max_entries=32, show_spinner="Drawing your data…")
def load_upload_raster(
    year: int, la_codes: tuple[str, ...], dataset_id: str, column: str, digest: str, scheme: str, k: int,
    palette: str, _table=None, _indicator=None, data_dir: str | None = None, out_dir: str | None = None,
) -> tuple[str, list[list[float]], str, int]:  # fmt: skip
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
    return _write_generated(image, out_dir), image.bounds, version, len(image.png)


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
    year: int, la_code: str, indicator_id: str, scheme: str, k: int, palette: str, table, indicator,
    data_dir: str | None,
) -> tuple[gpd.GeoDataFrame, Classification, dict, list]:  # fmt: skip
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
            table, indicator, maps.MODE_VECTOR, year, areas, [], la_names, scheme, k, palette, vintage.n_lsoas,
            load_wards=wards,
        )  # fmt: skip
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
        _map_titles(year, la_code, indicator_id, scheme, data_dir),
        [maps.build_style_layer(payload)],
    )


@st.cache_data(max_entries=16, show_spinner="Drawing the map…")
def load_upload_static_map(
    year: int, la_code: str, indicator_id: str, scheme: str, k: int, palette: str, fmt: str, area: str | None,
    upload_key: tuple[str, ...], areas_key: tuple[str, ...], _table=None, _indicator=None, _areas: tuple = (),
    data_dir: str | None = None,
) -> bytes:  # fmt: skip
    """``load_static_map`` with this session's uploads: the uploaded indicator shown, uploaded areas outlined.

    Cached on ``upload_key`` / ``areas_key`` (``uploaded_maps.upload_key`` / ``areas_key``);
    ``_table``, ``_indicator`` and ``_areas`` are the uploads themselves, not hashed.
    """
    from placemap.render import uploaded_maps

    geometry, classification, titles, _ = _export_parts(
        year, la_code, indicator_id, scheme, k, palette, _table, _indicator, data_dir
    )
    lsoas = place_geometry(year, (la_code,), data_dir)
    highlight = lsoas.loc[[area]] if area and area in lsoas.index else None
    name = load_areas(year, data_dir).at[area, loaders.AREA_NAME] if highlight is not None else ""
    figure = staticmap.map_figure(
        geometry, classification, highlight=highlight, highlight_label=f"{name} ({area})",
        outlines=uploaded_maps.areas_outlines(list(_areas)), **titles,
    )  # fmt: skip
    return export.figure_bytes(figure, fmt, title=titles["title"])


@st.cache_data(max_entries=16, show_spinner="Saving the interactive map…")
def load_upload_map_html(
    year: int, la_code: str, indicator_id: str, scheme: str, k: int, palette: str, area: str | None,
    upload_key: tuple[str, ...], areas_key: tuple[str, ...], _table=None, _indicator=None, _areas: tuple = (),
    data_dir: str | None = None,
) -> bytes:  # fmt: skip
    """``load_map_html`` with this session's uploads (the uploaded indicator, wards and uploaded areas)."""
    from placemap.render import uploaded_maps

    _, classification, titles, layers = _export_parts(
        year, la_code, indicator_id, scheme, k, palette, _table, _indicator, data_dir
    )
    place = load_place_layers(year, (la_code,), data_dir)
    base = maps.build_base_map(
        place["areas"], place["bounds"], la_features=place["la"], ward_features=place["wards"],
        attribution=f"{get_vintage(year).label}, MHCLG · Boundaries: ONS · OGL v3.0",
    )  # fmt: skip
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


# --- Change and evaluation with uploaded data (issue 8) ----------------------------------


@st.cache_resource(max_entries=8, show_spinner="Preparing the comparison…")
def load_upload_profile(year: int, domain_id: str, data_dir: str | None = None) -> pd.DataFrame:
    """Every LSOA of edition ``year`` with its domain profile, LA and region (to match on, for an uploaded outcome)."""
    from placemap.analysis import change, upload_evaluation

    regions = load_lsoa_regions(change.geography(year), data_dir)
    return upload_evaluation.profile_frame(load_areas(year, data_dir), year, domain_id, regions)


# Bring your own data on the profile page (issue 8).


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
