"""Cached loads and derived payloads, keyed on small hashable arguments.

National tables and boundaries are loaded once per server process and shared
by every session (``st.cache_resource``: callers must treat them as read-only).
Per-view results (a place's GeoJSON, an indicator's colours) are small and are
cached with ``st.cache_data`` on (edition, LA codes, indicator, scheme, ...).
No cached function takes a GeoDataFrame as an argument.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import streamlit as st

from placemap import hotspots, loaders, lookups, prepare, priority, systems
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
            deciles=[str(int(d)) for d in areas[indicator.decile_columns[year]]],
        ),
        hotspots.significance_cutoff(stats, alpha, use_fdr),
    )
