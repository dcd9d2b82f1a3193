"""Change over time: a change map between two editions, who moved in or out of the most deprived, area trends."""

import streamlit as st
from streamlit_folium import st_folium

from placemap import cache, change, change_charts, export, maps, prepare, state, widgets
from placemap.catalogue import BOUNDARY_ATTRIBUTION, IOD_ATTRIBUTION, get_vintage

la_options = widgets.la_options_all()
view = widgets.change_controls(la_options)
geo_year = change.geography_year(view.before, view.after)
la_codes = (view.la,)
la_name = la_options[geo_year][view.la]
domain_name = change.domain_label(view.domain)
column = "decile_change" if view.measure == change.DECILE else "position_change"

table, rule = cache.load_change(view.before, view.after, view.domain)
national = cache.load_areas(geo_year)
areas = prepare.areas_in(national, la_codes)
layers = cache.load_place_layers(geo_year, la_codes)
classification, payload = cache.load_change_style(view.before, view.after, view.domain, view.measure, la_codes)

st.title(f"{la_name}: change in {domain_name}, IoD{view.before} → IoD{view.after}", anchor=False)
st.caption(
    f"{get_vintage(geo_year).lsoa_label} · {len(areas):,} LSOAs · {get_vintage(geo_year).la_label}. "
    "Change is relative to the rest of England: ranks and deciles, never scores."
)
widgets.show_notes_for(state.CH_NOTES)
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

col_map, col_side = st.columns([3, 2], gap="medium")
with col_map:
    base = maps.build_base_map(
        layers["areas"],
        layers["bounds"],
        la_features=layers["la"],
        ward_features=layers["wards"],
        context_features=layers["context"],
        attribution=f"IoD{view.before} and IoD{view.after}, MHCLG · Boundaries: ONS · OGL v3.0",
    )
    highlight = maps.build_highlight_layer(cache.area_features(geo_year, view.area) if view.area else None)
    st_folium(
        base,
        key=state.W_CH_MAP,
        height=580,
        use_container_width=True,
        returned_objects=[],
        feature_group_to_add=[maps.build_style_layer(payload), highlight],
    )
    st.caption(f"Hover an area for its change. The table below is the same information as text. {BOUNDARY_ATTRIBUTION}")
with col_side:
    st.html(
        maps.LEGEND_CSS
        + change.change_legend_html(
            f"Change in {domain_name}",
            f"{change.MEASURES[view.measure]}, IoD{view.before} → IoD{view.after}",
            classification,
        )
    )
    st.caption(
        "Positive = moved away from the most deprived end of England's ranking (relatively less deprived). "
        "Colours: ColorBrewer RdBu (colour-blind safe) with a grey centre for little or no change."
    )

st.header("The data beneath the map", anchor=False)
text_table = change.change_table(table, areas)
st.dataframe(text_table, hide_index=True, width="stretch")
st.download_button(
    "Download this table (CSV)",
    export.to_safe_csv(
        text_table,
        [
            f"Change in {domain_name}, IoD{view.before} to IoD{view.after}, LSOAs of {la_name}",
            "Rank position = rank / number of LSOAs in England (0 = most deprived end); change in percentage points",
            f"English Indices of Deprivation {view.before} and {view.after}, MHCLG. {IOD_ATTRIBUTION}",
            "Licence: Open Government Licence v3.0",
        ],
    ),
    file_name=f"placemap_change_{view.la}_{view.domain}_{view.before}_{view.after}.csv",
    mime="text/csv",
    icon=":material/download:",
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
    c_in, c_out = st.columns(2)
    with c_in:
        st.markdown(f"Into the most deprived {share} ({len(local_into):,})")
        if len(local_into):
            st.dataframe(change.moved_table(table, local_into, national), hide_index=True, width="stretch")
        else:
            st.caption("None in this local authority.")
    with c_out:
        st.markdown(f"Out of the most deprived {share} ({len(local_out):,})")
        if len(local_out):
            st.dataframe(change.moved_table(table, local_out, national), hide_index=True, width="stretch")
        else:
            st.caption("None in this local authority.")

st.header("Area trend across the three editions", anchor=False)
positions = cache.load_positions(rule.geography)
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
    st.altair_chart(change_charts.slope_chart(trend, place), width="stretch")
    st.markdown(
        "Each line is a domain's national rank position in each edition (rank ÷ number of LSOAs, 0 = the most "
        f"deprived end of England). Values are shown on {change.GEOGRAPHY_LABELS[rule.geography]} with the same rule as the "
        "map; IoD2015 is bundled with the IMD and its sub-domains only, so the seven domains start in 2019."
    )
    wide = trend.pivot_table(index="domain_label", columns="edition", values="position", sort=False).reset_index()
    wide.columns = ["Domain", *[f"{c}: rank position (%)" for c in wide.columns[1:]]]
    for c in wide.columns[1:]:
        wide[c] = [f"{v:.1f}" if v == v else "not published" for v in wide[c]]
    st.dataframe(wide, hide_index=True, width="stretch")

if not view.area:
    st.subheader(f"Official summary measures for {la_name}", anchor=False)
    st.dataframe(change.la_summary_table(view.la, cache.load_summaries()), hide_index=True, width="stretch")
    st.caption(
        "MHCLG's local authority summaries of the IMD (rank among England's LAs in brackets, 1 = most deprived). "
        "IoD2015's are a re-aggregation to 2021 LAs (not official) with score, proportion and extent only. "
        "LA boundaries changed between editions, so an LA code may be missing from one. Average scores are not "
        "comparable between editions."
    )

state.write_params(view.to_params())
