"""Cached change-over-time and evaluation results, and the database connection. Imports streamlit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from placemap.analysis.classify import (
    Classification,
)
from placemap.data import (
    loaders,
    prepare,
)
from placemap.data.catalogue import VINTAGES, get_vintage
from placemap.render.maps import style_payload
from placemap.ui.cache import default_data_dir, load_areas


@st.cache_resource(show_spinner="Loading the LSOA 2011→2021 lookup…")
def load_lsoa_lookup(data_dir: str | None = None) -> pd.DataFrame:
    """The ONS LSOA (2011) → LSOA (2021) lookup with change codes U/S/M/X."""
    from placemap.analysis import lsoa_change

    return lsoa_change.read_lsoa_lookup(loaders.data_path(lsoa_change.LOOKUP_FILE, data_dir or default_data_dir()))


@st.cache_resource
def load_lsoa_regions(geography: str, data_dir: str | None = None) -> pd.Series:
    """Region code of every LSOA of ``geography`` (``"lsoa11"`` or ``"lsoa21"``)."""
    from placemap.analysis import lsoa_change

    lad_regions = lsoa_change.read_lad_regions(
        loaders.data_path(lsoa_change.REGION_FILE, data_dir or default_data_dir())
    )
    regions11 = lsoa_change.lsoa11_regions(load_areas(2015, data_dir)["lad13_code"], lad_regions)
    if geography == "lsoa11":
        return regions11[lsoa_change.REGION_CODE]
    return lsoa_change.lsoa21_regions(regions11, load_lsoa_lookup(data_dir))[lsoa_change.REGION_CODE]


def mid2015_population(data_dir: str | None) -> pd.Series:
    from placemap.analysis import lsoa_change

    return load_areas(2019, data_dir)[lsoa_change.POPULATION_COLUMN]


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
        mid2015_population(data_dir),
        merged_rule,
    )


@st.cache_data(max_entries=128)
def load_change_style(
    before: int, after: int, domain_id: str, measure: str, la_codes: tuple[str, ...], data_dir: str | None = None
) -> tuple[Classification, dict]:
    """Diverging classes of a place's changes and the map's style payload (feature order = area code)."""
    from placemap.analysis import change, change_classes, lsoa_change

    table, _rule = load_change(before, after, domain_id, data_dir=data_dir)
    geo_year = lsoa_change.geography_year(before, after)
    areas = prepare.areas_in(load_areas(geo_year, data_dir), la_codes)
    rows = table.reindex(areas.index)
    column = "decile_change" if measure == lsoa_change.DECILE else "position_change"
    classification = change_classes.classify_change(rows[column].to_numpy(dtype=float), measure)

    def _pair(a: float, b: float, fmt: str) -> str:
        return "" if pd.isna(a) or pd.isna(b) else f"{fmt.format(a)} → {fmt.format(b)}"

    payload = style_payload(
        classification,
        values=[change_classes.format_change(v, measure) for v in rows[column]],
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
    from placemap.analysis import change, lsoa_change

    lookup, population = load_lsoa_lookup(data_dir), mid2015_population(data_dir)
    out = {}
    for v in VINTAGES:
        areas = load_areas(v.year, data_dir)
        positions = pd.DataFrame(
            {
                d.id: change.edition_values(areas, v.year, d.id)[lsoa_change.POSITION]
                for d in change.domains_with_ranks(v.year)
            }
        )
        carried = lsoa_change.values_on(positions, v.year, geography, lookup, population)
        out[v.year] = carried.drop(columns=[lsoa_change.CHANGE_CODE])
    return out


@st.cache_resource(max_entries=24, show_spinner="Preparing the comparison…")
def load_analysis_frame(before: int, after: int, domain_id: str, data_dir: str | None = None) -> pd.DataFrame:
    """Every LSOA with outcome before/after, baseline profile, LA and region (for evaluations)."""
    from placemap.analysis import evaluation, lsoa_change

    return evaluation.analysis_frame(
        {before: load_areas(before, data_dir), after: load_areas(after, data_dir)},
        before,
        after,
        domain_id,
        load_lsoa_lookup(data_dir),
        mid2015_population(data_dir),
        load_lsoa_regions(lsoa_change.common_geography(before, after), data_dir),
    )


@st.cache_resource(max_entries=8, show_spinner="Preparing the comparison…")
def load_profile_frame(year: int, domain_id: str, data_dir: str | None = None) -> pd.DataFrame:
    """Every LSOA of edition ``year`` with its domain profile, LA and region (to match on, for an uploaded outcome)."""
    from placemap.analysis import lsoa_change, upload_evaluation

    regions = load_lsoa_regions(lsoa_change.geography(year), data_dir)
    return upload_evaluation.profile_frame(load_areas(year, data_dir), year, domain_id, regions)


@st.cache_data(max_entries=64, show_spinner="Matching comparison areas and bootstrapping…")
def load_evaluation(intervention, values: tuple[pd.Series, pd.Series] | None = None, data_dir: str | None = None):
    """Run an evaluation (matching, difference-in-differences, bootstrap); raises ``EvaluationError``.

    ``values`` (an uploaded outcome): the "before" and "after" values on the LSOAs of the
    intervention's profile edition; otherwise the outcome is the domain between its editions.
    """
    from placemap.analysis import evaluation, upload_evaluation

    i = intervention
    if values is None:
        return evaluation.evaluate(load_analysis_frame(i.before, i.after, i.domain, data_dir), i)
    profile = load_profile_frame(upload_evaluation.outcome_year(i.outcome.geography), i.domain, data_dir)
    return evaluation.evaluate(upload_evaluation.outcome_frame(profile, *values), i)


@st.cache_data
def load_summaries(data_dir: str | None = None) -> dict[int, pd.DataFrame]:
    """Each edition's official LA summary table, indexed by LA code."""

    return {v.year: loaders.read_la_summaries(v, data_dir or default_data_dir()) for v in VINTAGES}


@st.cache_data(max_entries=64)
def load_selection_style(
    year: int, la_codes: tuple[str, ...], selected: tuple[str, ...], data_dir: str | None = None
) -> dict:
    """Style payload for the evaluation map: the intervention's LSOAs in blue, the rest grey."""
    import hashlib

    from placemap.analysis import evaluation_words

    areas = prepare.areas_in(load_areas(year, data_dir), la_codes)
    classification = evaluation_words.selection_classification(list(areas.index), set(selected))
    chosen = set(selected)
    return style_payload(
        classification,
        values=["In the intervention" if c in chosen else "Not chosen (click to add)" for c in areas.index],
        label="Intervention",
        total=get_vintage(year).n_lsoas,
        version=f"selection-{year}-{hashlib.sha1(','.join(sorted(chosen)).encode()).hexdigest()[:10]}",
    )
