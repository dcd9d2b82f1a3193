"""Map explorer: pick a place and an indicator, see its LSOAs, select one, share the link."""

import streamlit as st
from streamlit_folium import st_folium

from placemap import cache, export, maps, prepare, state, summary, widgets
from placemap.catalogue import BOUNDARY_ATTRIBUTION, get_indicator, get_vintage
from placemap.classify import SCHEMES

la_options = widgets.la_options_all()
view = widgets.explorer_controls(la_options)
vintage = get_vintage(view.year)
indicator = get_indicator(view.indicator)
la_codes = (view.la,)
la_name = la_options[view.year][view.la]

areas = prepare.areas_in(cache.load_areas(view.year), la_codes)
layers = cache.load_place_layers(view.year, la_codes)
classification, payload = cache.load_classification(
    view.year, la_codes, view.indicator, view.scheme, view.k, view.palette
)

st.title(f"{la_name}: {indicator.label}", anchor=False)
st.caption(" · ".join(filter(None, [vintage.source, f"{len(areas):,} LSOAs", vintage.la_label, vintage.la_note])))
in_worst, total = summary.la_decile_share(areas, view.la, indicator.decile_columns[view.year], 1)
domain_label = indicator.label.rsplit(":", 1)[0]
st.markdown(
    f"**{in_worst} of {total}** LSOAs in {prepare.escape_markdown(la_name)} ({in_worst / total:.0%}) are among England's "
    f"most deprived 10% on *{domain_label}* in {vintage.label}."
)

col_map, col_side = st.columns([3, 2], gap="medium")
selected = view.area
widgets.show_notes()

with col_map:
    base = maps.build_base_map(
        layers["areas"],
        layers["bounds"],
        la_features=layers["la"],
        ward_features=layers["wards"],
        context_features=layers["context"],
        basemap=view.basemap,
        attribution=f"{vintage.label}, MHCLG · Boundaries: ONS · OGL v3.0",
    )
    highlight = maps.build_highlight_layer(cache.area_features(view.year, selected) if selected else None)
    st_folium(
        base,
        key=state.W_MAP,
        height=620,
        use_container_width=True,
        returned_objects=["last_clicked"],
        feature_group_to_add=[maps.build_style_layer(payload), highlight],
        on_change=lambda: widgets.handle_map_click(view.year, la_codes),
    )
    st.caption(f"Click an area to see its profile. {BOUNDARY_ATTRIBUTION}")
    widgets.map_downloads(view.year, view.la, view.indicator, view.scheme, view.k, view.palette, selected, "map.export")

with col_side:
    st.html(
        maps.LEGEND_CSS
        + maps.legend_html(
            indicator.label,
            f"{vintage.label} · {len(areas):,} LSOAs in {la_name} · {SCHEMES[view.scheme]}",
            classification,
        )
    )
    if selected:
        row = areas.loc[selected]
        st.header(row["area_name"], anchor=False)
        st.markdown(
            f"{prepare.escape_markdown(selected)} · Ward: {prepare.escape_markdown(row['ward_name'])}"
            f" · {prepare.escape_markdown(row['la_name'])}"
        )
        widgets.profile_link(view.year, selected)
        table = summary.area_domain_table(cache.load_areas(view.year), selected, vintage)
        for sentence in summary.area_sentences(table):
            st.markdown(f"- {sentence}")
        st.dataframe(
            table.drop(columns=["In words"]),
            hide_index=True,
            width="stretch",
            column_config={
                "Decile": st.column_config.NumberColumn(format="%d", help="1 = most deprived 10% in England"),
                "Rank": st.column_config.NumberColumn(format="%d", help="1 = most deprived in England"),
                "LA median rank": st.column_config.NumberColumn(format="%d", help=f"Middle LSOA of {la_name}"),
            },
        )
        st.caption(
            f"Rank 1 = most deprived of {vintage.n_lsoas:,} LSOAs in England; England's middle rank is "
            f"{(vintage.n_lsoas + 1) // 2:,}. A rank below the LA median means more deprived than "
            f"most of {la_name}."
        )
    else:
        st.caption("No area selected. Click the map, or choose one under Place in the sidebar.")

state.write_view(state.View(**{**view.__dict__, "area": selected}))

st.header("The data beneath the map", anchor=False)
table = prepare.indicator_table(areas, indicator, view.year)
st.dataframe(table, hide_index=True, width="stretch")
st.download_button(
    "Download this table (CSV)",
    export.to_safe_csv(
        table,
        [
            f"{indicator.label}, LSOAs of {la_name}",
            vintage.citation,
            "Licence: Open Government Licence v3.0",
        ],
    ),
    file_name=f"placemap_{view.la}_{view.indicator}_{view.year}.csv",
    mime="text/csv",
    icon=":material/download:",
)
