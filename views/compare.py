"""Compare 2 to 6 LSOAs or local authorities side by side: one chart per domain, and a table."""

import streamlit as st

from placemap.analysis import compare
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, get_vintage
from placemap.render import charts, export
from placemap.ui import (
    cache,
    chart_cache,
    downloads,
    measure_profile,
    page_setup,
    place_compare,
    profile_cache,
    profile_controls,
    state,
)

if place_compare.wants_places():  # ?cmp=ward:…,la:…,icb:…,england: places of any type
    place_compare.show_place_comparison()
    st.stop()
la_options = page_setup.la_options_all()
view = profile_controls.compare_controls(la_options)
vintage = get_vintage(view.year)
areas = cache.load_areas(view.year)
names = la_options[view.year]

st.title("Compare areas", anchor=False)
profile_controls.show_page_notes(state.C_NOTES)
if len(view.codes) < compare.MIN_AREAS:
    st.info(
        f"Choose at least {compare.MIN_AREAS} and up to {compare.MAX_AREAS} areas in the sidebar "
        "(type a name or code to find one).",
        icon=":material/compare_arrows:",
    )
    st.stop()
profile_controls.write_compare_view(view)

if view.kind == "lsoa":
    labels = [compare.area_label(areas.at[c, "area_name"], c) for c in view.codes]
    st.caption(
        f"{len(view.codes)} LSOAs · {vintage.source} ({vintage.lsoa_label}). Each chart shows one domain: every LSOA's "
        "national position, from the most deprived LSOA in England (left) to the least deprived (right)."
    )
else:
    labels = [compare.area_label(names[c], c) for c in view.codes]
    st.caption(
        f"{len(view.codes)} local authorities · {vintage.source} ({vintage.la_label}). Each chart shows one domain: "
        "the share of each authority's LSOAs in each national decile (decile 1 = most deprived 10%)."
    )
rows, table = profile_cache.load_comparison(view.year, view.kind, tuple(view.codes))
links = st.columns(len(view.codes))
for column, c in zip(links, view.codes, strict=True):
    with column:
        area_name = names.get(c) or areas.at[c, "area_name"]
        profile_controls.profile_link(view.year, c, label=f"Profile: {prepare.escape_markdown(area_name)}")

for i, (domain, part) in enumerate(rows.groupby("domain", sort=False)):
    build = charts.compare_lsoa_chart if view.kind == "lsoa" else charts.compare_la_chart
    # The rows are the edition's and the codes' (cached above): the spec is keyed on those, not on the rows.
    chart = chart_cache.lazy(
        build, part, domain=domain, vintage=vintage, cache_key=(view.year, view.kind, tuple(view.codes), domain)
    )
    downloads.chart_beside_downloads(
        chart, export.safe_filename("placemap", "compare", domain, view.year), f"compare.chart.{i}"
    )

st.header("The comparison as a table", anchor=False)
st.dataframe(table, hide_index=True, width="stretch")
downloads.table_download(
    table,
    export.csv_header("Comparison of " + "; ".join(labels), vintage),
    export.safe_filename("placemap", "compare", view.year),
    key="compare.table.csv",
    label="Comparison table as CSV",
)
measure_profile.compare_measures_section(view.year, tuple(view.codes), labels, view.kind)
st.caption(f"Sources: {vintage.citation} {BOUNDARY_ATTRIBUTION}")
