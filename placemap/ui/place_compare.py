"""Places of different types side by side on the compare page (``cmp=ward:E05015188,la:E06000009,
icb:E54000048,england``): their File 10 summary measures per index, a chart per measure and the
table, then the measures behind the indices (and the session's own data) over their LSOAs. Imports streamlit."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from placemap.analysis import place_profile as pp
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, VINTAGES, get_vintage
from placemap.data.place_search import resolve_extra
from placemap.data.place_types import PLACE_TYPES, Place
from placemap.links import place_links, profile_links
from placemap.render import export, place_charts
from placemap.ui import chart_cache, downloads, measure_profile, place_cache

MAX_PLACES = 6
CHART_MEASURES = ["Extent", "Average rank", "Proportion of LSOAs in most deprived 10%", "Local concentration"]


def wants_places() -> bool:
    """Whether the compare link names places of any type (``TYPE:CODE`` or ``england``)."""
    return place_links.is_place_list(st.query_params.get(profile_links.COMPARE))


def _measures(year: int, item: Place | str) -> tuple[str, pd.DataFrame, pd.Series | None] | str:
    """(label, measures per index, the share of each LSOA counted; ``None`` for England) of one compared
    place, or a note saying why it is left out."""
    inputs = place_cache.load_summary_inputs(year)
    if item == place_links.ENGLAND:
        return "England", pp.summarise_weighted(inputs, pd.Series(1.0, index=inputs.index), year), None
    place = item
    if PLACE_TYPES[place.type].from_lookup:
        if not place_cache.place_exists(year, place):
            return f"{PLACE_TYPES[place.type].label.capitalize()} {place.code} is not in IoD{year}'s geography."
        name, _label = place_cache.place_name(year, place)
        every = place_cache.load_place_summaries(year, place.type)
        lookup = place_cache.load_place_lookup(year)
        weights = pd.Series(1.0, index=lookup.index[lookup[f"{place.type}_code"] == place.code])
        return f"{name} ({PLACE_TYPES[place.type].label})", every.xs(place.code, level="place"), weights
    extra = resolve_extra(year, place)
    if extra is None:
        return f"The {PLACE_TYPES[place.type].label} {place.code} is not open in this session."
    label = f"{extra.name} ({PLACE_TYPES[place.type].label})"
    return label, pp.summarise_weighted(inputs, extra.weights, year), extra.weights


def show_place_comparison() -> None:
    """The whole comparison of places (the page stops after it)."""
    notes: list[str] = []
    params = st.query_params.to_dict()
    year, _ = place_links.year_param(params, notes, [v.year for v in VINTAGES])
    vintage = get_vintage(year)
    items, more = place_links.parse_place_list(params.get(profile_links.COMPARE), MAX_PLACES)
    notes += more
    columns: dict[str, pd.DataFrame] = {}
    hrefs: dict[str, str] = {}
    lsoas: dict[str, pd.Series] = {}
    for item in items:
        found = _measures(year, item)
        if isinstance(found, str):
            notes.append(found)
            continue
        label, measures, weights = found
        columns[label] = measures
        if weights is not None:
            lsoas[label] = weights
        if isinstance(item, Place):
            hrefs[label] = place_links.place_href(year, item)

    st.title("Compare places", anchor=False)
    if notes:
        st.info("\n".join(f"- {prepare.escape_markdown(n)}" for n in dict.fromkeys(notes)), icon=":material/info:")
    if len(columns) < 2:
        st.info(
            "Name at least two places in the link, e.g. `?cmp=ward:E05015188,la:E06000009,icb:E54000048,england` "
            "(find a place's link with *Find a place* in the sidebar).",
            icon=":material/compare_arrows:",
        )
        return
    st.caption(
        f"{len(columns)} places · {vintage.source}. Each place's summary measures are made from its LSOAs by MHCLG's "
        "File 10 method, so places of different types (a ward, its LA, its ICB, England) compare on the same scale."
    )
    for label, href in hrefs.items():
        st.markdown(f"- [{prepare.escape_markdown(label)}]({href})")
    table = pp.comparison_table(columns)
    from placemap.analysis.place_summaries import WEIGHTS_NOTE

    for i, measure in enumerate(CHART_MEASURES):
        chart = chart_cache.lazy(
            place_charts.measure_chart,
            table,
            measure,
            subtitle=f"{vintage.label} · File 10 method",
            footer=[vintage.source, WEIGHTS_NOTE[year][:120]],
        )
        downloads.chart_beside_downloads(
            chart, export.safe_filename("placemap", "places", measure, year), f"compare.place.{i}"
        )
    st.header("The comparison as a table", anchor=False)
    st.dataframe(table, hide_index=True, width="stretch")
    downloads.table_download(
        table,
        export.csv_header("Comparison of " + "; ".join(columns), vintage, WEIGHTS_NOTE[year]),
        export.safe_filename("placemap", "compare", "places", year),
        key="compare.places.csv",
        label="Comparison table as CSV",
    )
    measure_profile.compare_places_measures_section(year, lsoas)
    st.caption(f"{prepare.escape_markdown(WEIGHTS_NOTE[year])} Sources: {vintage.citation} {BOUNDARY_ATTRIBUTION}")
