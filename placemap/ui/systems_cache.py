"""Cached results of the systems view, priority finder and hot spots. Imports streamlit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from placemap.analysis import hotspots, priority, systems
from placemap.analysis.classify import (
    Classification,
)
from placemap.data import (
    lookups,
    prepare,
)
from placemap.data.catalogue import get_indicator, get_vintage
from placemap.data.loaders import LA_CODE
from placemap.render import class_maps
from placemap.ui.cache import default_data_dir, load_areas, load_geometry, load_place_layers, place_geometry


@st.cache_resource(show_spinner="Loading populations and rural-urban classes…")
def load_area_context(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """Population and rural-urban class of every LSOA of an edition (read-only, shared)."""
    return lookups.read_area_context(year, data_dir or default_data_dir())


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
    version = f"{year}-bivariate-{x_id}-{y_id}-{reference}"
    return systems.bivariate_map(areas, national, year, x_id, y_id, reference, get_vintage(year).n_lsoas, version)


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
    label = f"Domains in England's most deprived {pct}%"
    version = f"{year}-overlap-{','.join(domains)}-{pct}-{at_least}"
    return priority.overlap_map(result, codes, label, get_vintage(year).n_lsoas, version)


@st.cache_data(max_entries=64, show_spinner=False)
def load_composite_map(
    year: int, la_codes: tuple[str, ...], weights: tuple[float, ...], data_dir: str | None = None
) -> tuple[Classification, dict]:
    """Classes and style payload of the composite index map (national deciles at ``weights``)."""
    codes = load_place_layers(year, la_codes, data_dir)["codes"]
    composite = load_composite(year, weights, data_dir).loc[codes]
    version = f"{year}-composite-{','.join(f'{w:g}' for w in weights)}"
    return priority.composite_map(
        composite, "Composite index at the chosen weights", get_vintage(year).n_lsoas, version
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
    return class_maps.stability_map(
        load_stability(year, la_codes, weights, spread, reference, data_dir),
        get_vintage(year).n_lsoas,
        f"{year}-stability-{','.join(f'{w:g}' for w in weights)}-{spread}-{reference}",
    )


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
    national = load_areas(year, data_dir)
    indicator = get_indicator(f"{domain}_rank")
    areas = national.loc[load_place_layers(year, la_codes, data_dir)["codes"]]
    return hotspots.hotspot_map(
        stats,
        alpha,
        use_fdr,
        label=hotspots.METHODS[method],
        total=get_vintage(year).n_lsoas,
        version=f"{year}-{method}-{domain}-{permutations}-{alpha:g}-{int(use_fdr)}",
        ranks=[f"{int(r):,}" for r in areas[indicator.column(year)]],
        deciles=[str(int(d)) for d in areas[indicator.decile_column(year)]],
    )
