"""Change over time: a change map between two editions, who moved in or out of the most deprived, area trends."""

import streamlit as st

from placemap.analysis import change, change_classes, la_change, lsoa_change, pair_change
from placemap.data import prepare
from placemap.data.catalogue import IOD_ATTRIBUTION, get_vintage
from placemap.links import change_links
from placemap.render import change_charts, export
from placemap.ui import (
    cache,
    change_cache,
    change_controls,
    chart_cache,
    downloads,
    page_setup,
    pair_change_panel,
    profile_controls,
    state,
)


def _show_pair_notes() -> None:
    profile_controls.show_page_notes(state.CH_UP_NOTES)
    st.session_state[state.CH_UP_NOTES] = []


def _show_pair_change(view: change_links.UploadChangeView) -> None:
    """Change between two indicators of one concept: map, legend, table, CSV, before/after chart."""
    la_name = la_options[view.year].get(view.la, view.la)
    if view.problem:
        st.title("Change in your data", anchor=False)
        _show_pair_notes()
        st.info(view.problem, icon=":material/info:")
        state.write_params({change_links.UP_DATASET: view.dataset})
        return
    national = cache.load_areas(view.year)
    areas = prepare.areas_in(national, (view.la,))
    subject = pair_change_panel.pair_change_for(view, areas)
    result, before, after = subject.result, subject.result.before, subject.result.after
    st.title(subject.title, anchor=False)
    st.caption(subject.source_line)
    _show_pair_notes()
    state.write_params(view.to_params())
    if subject.error:
        st.warning(subject.error, icon=":material/warning:")
        return
    for caution in subject.cautions:
        st.warning(prepare.escape_markdown(caution), icon=":material/warning:")
    if result.frame is None:
        st.warning(prepare.escape_markdown(result.note), icon=":material/warning:")
        return
    edges = change_classes.change_edges(result.frame[pair_change.CHANGE].to_numpy(), view.little)
    classification = pair_change.classify_pair_change(result, edges)
    b_label, a_label = prepare.escape_markdown(before.label), prepare.escape_markdown(after.label)
    st.markdown(f"**{b_label} → {a_label}** in {prepare.escape_markdown(la_name)}")
    with st.container(border=True):
        st.markdown("**How the two are compared**")
        for sentence in pair_change.method_sentences(result, edges):
            st.markdown(sentence)
        st.markdown(
            f"Shown on {get_vintage(view.year).label}'s "
            f"{lsoa_change.GEOGRAPHY_LABELS[lsoa_change.geography(view.year)]}. {prepare.escape_markdown(result.note)}"
        )
    st.markdown(pair_change.summary_sentence(result, areas, edges, la_name))

    pair_change_panel.change_map(
        view.year,
        view.la,
        view.area,
        subject.attribution,
        pair_change.map_payload(result, classification, edges, get_vintage(view.year).n_lsoas),
        state.W_CH_UMAP,
        change_classes.change_legend_html(
            f"Change in {before.label} → {after.label}",
            f"{subject.name} · {la_name}",
            classification,
            pair_change.NO_DATA_LABEL,
            pair_change.ENDS,
        ),
        "",
    )

    st.header("The data beneath the map", anchor=False)
    downloads.table_with_download(
        pair_change.change_table(result, areas, edges),
        pair_change.csv_header(result, la_name),
        export.safe_filename("placemap_change", view.la, after.id),
        "change.pair_csv",
        "Download this table (CSV)",
    )
    if subject.not_compared:
        with st.expander("Measures whose definition changed (not compared)"):
            st.markdown(
                "\n".join(
                    f"- **{prepare.escape_markdown(t)}**: {prepare.escape_markdown(w)}" for t, w in subject.not_compared
                )
            )

    st.header("Before and after", anchor=False)
    place = f"{national.at[view.area, 'area_name']} ({view.area})" if view.area else la_name
    slope = pair_change.slope_frame(result, areas, la_name, view.area)
    if slope.empty:
        st.info("No area here has a value in both.")
        return
    unit = f" ({after.unit.strip()})" if after.unit.strip() else ""
    csv_source = pair_change.csv_header(result, la_name)[2]
    chart_cache.show(
        chart_cache.lazy(
            change_charts.before_after_chart,
            slope,
            f"{place}: {before.label} → {after.label}",
            f"{after.label}{unit}",
            source=csv_source,
            x_title="",
            note="The place's mean over the areas with both values, and the chosen LSOA.",
        ),
        width="stretch",
    )
    wide = slope.pivot_table(index="Group", columns="Year", values="Mean", sort=False).reset_index()
    wide.columns = ["Area", f"Before: {before.label}", f"After: {after.label}"]
    st.dataframe(wide, hide_index=True, width="stretch")


la_options = page_setup.la_options_all()
pair_view = change_controls.pair_change_controls(la_options)
if pair_view is not None:
    _show_pair_change(pair_view)
    st.stop()
view = change_controls.change_controls(la_options)
geo_year = lsoa_change.geography_year(view.before, view.after)
la_codes = (view.la,)
la_name = la_options[geo_year][view.la]
domain_name = change.domain_label(view.domain)

table, rule = change_cache.load_change(view.before, view.after, view.domain)
national = cache.load_areas(geo_year)
areas = prepare.areas_in(national, la_codes)
classification, payload = change_cache.load_change_style(view.before, view.after, view.domain, view.measure, la_codes)

st.title(f"{la_name}: change in {domain_name}, IoD{view.before} → IoD{view.after}", anchor=False)
st.caption(
    f"{get_vintage(geo_year).lsoa_label} · {len(areas):,} LSOAs · {get_vintage(geo_year).la_label}. "
    "Change is relative to the rest of England: ranks and deciles, never scores."
)
profile_controls.show_page_notes(state.CH_NOTES)
_show_pair_notes()
with st.container(border=True):
    st.markdown("**How areas are compared**")
    for sentence in rule.sentences():
        st.markdown(sentence)

s = change.la_change_summary(table, areas.index)
st.markdown(
    f"In {prepare.escape_markdown(la_name)}, **{s['n_comparable']:,} of {s['n_areas']:,}** LSOAs are comparable. "
    f"Rank position: **{s['n_less_deprived']:,}** moved {change.LITTLE_CHANGE_POINTS:g} points or more away from the "
    f"most deprived end, **{s['n_more_deprived']:,}** moved {change.LITTLE_CHANGE_POINTS:g} points or more towards "
    f"it, {s['n_little_change']:,} changed little. LSOAs in England's most deprived 10%: "
    f"**{s['decile1_before']:,}** in IoD{view.before}, **{s['decile1_after']:,}** in IoD{view.after}."
)

pair_change_panel.change_map(
    geo_year,
    view.la,
    view.area,
    f"IoD{view.before} and IoD{view.after}, MHCLG",
    payload,
    state.W_CH_MAP,
    change_classes.change_legend_html(
        f"Change in {domain_name}",
        f"{change.MEASURES[view.measure]}, IoD{view.before} → IoD{view.after}",
        classification,
    ),
    "Positive = moved away from the most deprived end of England's ranking (relatively less deprived). ",
)

st.header("The data beneath the map", anchor=False)
downloads.table_with_download(
    change.change_table(table, areas),
    [
        f"Change in {domain_name}, IoD{view.before} to IoD{view.after}, LSOAs of {la_name}",
        "Rank position = rank / number of LSOAs in England (0 = most deprived end); change in percentage points",
        f"English Indices of Deprivation {view.before} and {view.after}, MHCLG. {IOD_ATTRIBUTION}",
        "Licence: Open Government Licence v3.0",
    ],
    f"placemap_change_{view.la}_{view.domain}_{view.before}_{view.after}",
    "change.csv",
    "Download this table (CSV)",
)

st.header("Moved into or out of the most deprived", anchor=False)
for worst, share in ((1, "10%"), (2, "20%")):
    into, out_of = change.moved(table, worst)
    local_into = into.intersection(areas.index)
    local_out = out_of.intersection(areas.index)
    st.subheader(f"England's most deprived {share} on {domain_name}", anchor=False)
    st.markdown(
        f"England: **{len(into):,}** LSOAs moved into the most deprived {share} and **{len(out_of):,}** moved out "
        f"of it. {prepare.escape_markdown(la_name)}: **{len(local_into):,}** in, **{len(local_out):,}** out."
    )
    for column, direction, moved in zip(st.columns(2), ("Into", "Out of"), (local_into, local_out), strict=True):
        with column:
            st.markdown(f"{direction} the most deprived {share} ({len(moved):,})")
            if len(moved):
                st.dataframe(change.moved_table(table, moved, national), hide_index=True, width="stretch")
            else:
                st.caption("None in this local authority.")

st.header("Area trend across the three editions", anchor=False)
positions = change_cache.load_positions(rule.geography)
if view.area:
    place = f"{national.at[view.area, 'area_name']} ({view.area})"
    trend_codes = [view.area]
else:
    place = f"{la_name} (mean of its {len(areas):,} LSOAs)"
    trend_codes = list(areas.index)
trend = change.trend_long(positions, trend_codes)
headline = {d.id for d in change.headline_domains(2025)} | {"imd"}
show_sub = st.toggle("Include sub-domains", key=state.W_CH_SUBDOMAINS)
if not show_sub:
    trend = trend[trend["domain"].isin(headline)]
if trend.empty:
    st.info("No edition has comparable values for this area.")
else:
    chart_cache.show(chart_cache.lazy(change_charts.slope_chart, trend, place), width="stretch")
    st.markdown(
        "Each line is a domain's national rank position in each edition (rank ÷ number of LSOAs, 0 = the most "
        f"deprived end of England). Values are shown on {lsoa_change.GEOGRAPHY_LABELS[rule.geography]} with the same rule as the "
        "map; IoD2015 is bundled with the IMD and its sub-domains only, so the seven domains start in 2019."
    )
    wide = trend.pivot_table(index="domain_label", columns="edition", values="position", sort=False).reset_index()
    wide.columns = ["Domain", *[f"{c}: rank position (%)" for c in wide.columns[1:]]]
    for c in wide.columns[1:]:
        wide[c] = [f"{v:.1f}" if v == v else "not published" for v in wide[c]]
    st.dataframe(wide, hide_index=True, width="stretch")

if not view.area:
    st.subheader(f"Official summary measures for {la_name}", anchor=False)
    st.dataframe(la_change.la_summary_table(view.la, change_cache.load_summaries()), hide_index=True, width="stretch")
    st.caption(
        "MHCLG's local authority summaries of the IMD (rank among England's LAs in brackets, 1 = most deprived). "
        "IoD2015's are a re-aggregation to 2021 LAs (not official) with score, proportion and extent only. "
        "LA boundaries changed between editions, so an LA code may be missing from one. Average scores are not "
        "comparable between editions."
    )

st.caption(
    "The measures behind the indices, IoD2019 → IoD2025: choose *A measure behind the indices* under "
    "**Show change in** for a measure whose definition did not change, mapped on the 2021 LSOAs."
)

state.write_params(view.to_params())
