"""Cached results of the systems view, priority finder and hot spots. Imports streamlit.

Results on any catalogue indicator are cached on the indicators' table of the edition
(``systems.EditionIndicators``) by its ``key``, never by hashing the table itself, so an
upload is cached exactly like an official indicator (by what the table holds).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from placemap.analysis import hotspots, priority, systems
from placemap.analysis.classify import Classification
from placemap.data import lookups, prepare
from placemap.data.catalogue import get_vintage
from placemap.ui.cache import default_data_dir, load_areas, load_geometry, load_place_layers, place_geometry

_BY_KEY = {systems.EditionIndicators: lambda data: data.key}


@st.cache_resource(max_entries=32, show_spinner=False)
def load_edition_indicators(
    year: int, catalogue_version, digests: tuple[str, ...], _tables: list
) -> systems.EditionIndicators:
    """Every catalogue indicator on edition ``year`` with the uploaded ``_tables`` (named by ``digests``) joined in.

    Read-only and shared: sessions with the same uploads (by content digest) share one table.
    """
    from placemap.data.catalogue import CATALOGUE

    datasets = {ind.id: t.name for t in _tables for ind in t.indicators()}
    catalogue = CATALOGUE.with_uploads(_tables)
    return systems.edition_indicators(catalogue, year, load_areas(year), datasets, (catalogue_version, digests))


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


@st.cache_data(max_entries=32, show_spinner=False, hash_funcs=_BY_KEY)
def load_composite_with(
    data: systems.EditionIndicators, weights: tuple[float, ...], component: tuple[str, float]
) -> pd.DataFrame:
    """The composite index with one more component (id, weight), where it has a value (``composite_with_component``)."""
    indicator_id, weight = component
    return priority.composite_with_component(
        data.national,
        data.year,
        dict(zip(priority.SEVEN_DOMAINS, weights, strict=True)),
        data.get(indicator_id),
        weight,
        transformed=load_transformed_domains(data.year),
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
    in_place = priority.in_place(national, la_codes)
    order = np.argsort(national.index.to_numpy()[in_place], kind="stable")
    shares = priority.rank_stability(
        load_transformed_domains(year, data_dir),
        priority.weight_vector(fractions),
        in_place,
        reference=reference,
        spread=spread / 100,
    )
    return shares[order]


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=_BY_KEY)
def load_overlap(
    data: systems.EditionIndicators,
    la_codes: tuple[str, ...],
    domains: tuple[str, ...],
    pct: int,
    at_least: int,
    conditions: tuple[tuple[str, str, float], ...] = (),
):
    """The overlap finder's answer for a place (``priority.Overlap``), conditions on other indicators included."""
    extra = priority.condition_columns(
        data.national, data.year, la_codes, [priority.Condition(*c) for c in conditions], data.get
    )
    population = load_area_context(data.year)["population"]
    return priority.overlap(data.national, data.year, la_codes, domains, pct, at_least, population, extra=extra)


def overlap_map(
    data: systems.EditionIndicators, la_codes: tuple[str, ...], result: priority.Overlap
) -> tuple[Classification, dict]:
    """Classes and style payload of the overlap map of ``result`` (``load_overlap``)."""
    codes = load_place_layers(data.year, la_codes)["codes"]
    label = "Conditions met" if result.extra else f"Domains in England's most deprived {result.pct:g}%"
    rule = f"{','.join(result.domains)}-{result.pct:g}-{result.at_least}-{';'.join(result.extra)}"
    return priority.overlap_map(
        result, codes, label, get_vintage(data.year).n_lsoas, f"{data.year}-overlap-{rule}{data.tag}"
    )


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=_BY_KEY)
def load_composite_map(
    data: systems.EditionIndicators,
    la_codes: tuple[str, ...],
    weights: tuple[float, ...],
    component: tuple[str, float] | None = None,
) -> tuple[Classification, dict]:
    """Classes and style payload of the composite index map: national deciles, or among the LSOAs with a component."""
    codes = load_place_layers(data.year, la_codes)["codes"]
    version = f"{data.year}-composite-{','.join(f'{w:g}' for w in weights)}-{component}{data.tag}"
    n = get_vintage(data.year).n_lsoas
    if component is None:
        composite = load_composite(data.year, weights).loc[codes]
        return priority.composite_map(composite, "Composite index at the chosen weights", n, version)
    composite = load_composite_with(data, weights, component).loc[codes]
    label = f"Composite index with {data.get(component[0]).label}"
    return priority.composite_map(composite, label, n, version, imd_rank="IMD rank among these LSOAs")


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=_BY_KEY)
def load_hotspots(
    data: systems.EditionIndicators, la_codes: tuple[str, ...], indicator_id: str, method: str, permutations: int
):
    """esda's local statistics (``hotspots.LocalStatistics``) for a place, in area-code order.

    The variable is the indicator's need percentile among England's LSOAs with a value.
    """
    indicator = data.get(indicator_id)
    geometry = place_geometry(data.year, la_codes)
    need = hotspots.need_percentile_among(
        data.national[indicator.column(data.year)].to_numpy(dtype=float), indicator.polarity
    )
    place_need = need[data.national.index.get_indexer(geometry.index)]
    return hotspots.local_statistics(place_need, geometry.geometry, method, permutations=permutations)


def areas_features(year: int, codes: tuple[str, ...], data_dir: str | None = None) -> dict:
    """GeoJSON of several areas (the highlight of LSOAs selected in a chart)."""
    geometry = load_geometry(year, data_dir)
    some = geometry.loc[[c for c in codes if c in geometry.index]]
    return prepare.feature_collection(some.geometry, [{"c": prepare.escape_text(c)} for c in some.index])


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=_BY_KEY)
def load_bivariate(
    data: systems.EditionIndicators, la_codes: tuple[str, ...], x_id: str, y_id: str, reference: str
) -> tuple[systems.Bivariate, dict]:
    """The 3x3 bivariate classes of a place and the map's style payload."""
    areas = prepare.areas_in(data.national, la_codes)
    version = f"{data.year}-bivariate-{x_id}-{y_id}-{reference}{data.tag}"
    x, y, n = data.get(x_id), data.get(y_id), get_vintage(data.year).n_lsoas
    return systems.bivariate_map(areas, data.national, data.year, x, y, reference, n, version)


@st.cache_data(max_entries=64, show_spinner=False, hash_funcs=_BY_KEY)
def load_hotspot_map(
    data: systems.EditionIndicators,
    la_codes: tuple[str, ...],
    indicator_id: str,
    method: str,
    permutations: int,
    alpha: float,
    use_fdr: bool,
) -> tuple[Classification, dict, float]:
    """Classes, style payload and the p-value cut-off used, of the hot-spot map (tooltips quote each value)."""
    stats = load_hotspots(data, la_codes, indicator_id, method, permutations)
    indicator = data.get(indicator_id)
    areas = data.national.loc[load_place_layers(data.year, la_codes)["codes"]]
    return hotspots.hotspot_map(
        stats,
        alpha,
        use_fdr,
        label=f"{systems.short_label(indicator)}: {hotspots.METHODS[method]}",
        total=get_vintage(data.year).n_lsoas,
        version=f"{data.year}-{method}-{indicator_id}-{permutations}-{alpha:g}-{int(use_fdr)}{data.tag}",
        values=areas[indicator.column(data.year)].to_numpy(dtype=float),
        indicator=indicator,
        ranks=[f"{r:,.0f}" if r == r else "" for r in areas[indicator.rank_column(data.year)]],
        deciles=[f"{d:.0f}" if d == d else "" for d in areas[indicator.decile_column(data.year)]],
    )
