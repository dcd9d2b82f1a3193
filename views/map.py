"""Map explorer: pick a place and an indicator, see its areas, select one, share the link."""

from functools import partial

import streamlit as st

from placemap.analysis import summary
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, get_vintage
from placemap.data.indicator_picker import direction_line, la_level_note
from placemap.links import explorer_links
from placemap.render import choropleth, export, maps, uploaded_maps
from placemap.ui import (
    cache,
    downloads,
    explorer_controls,
    level_map,
    map_panel,
    page_setup,
    place_finder,
    places,
    profile_controls,
    state,
    upload_controls,
    workshop_controls,
    zoom_tiles,
)

la_options = page_setup.la_options_all()
place_finder.open_place_on_map()  # ?place=TYPE:CODE opens its LA, LAs or region
view = explorer_controls.explorer_controls(la_options)
place_finder.add_map_notes()
vintage = get_vintage(view.year)
options = la_options[view.year]
region_options = cache.load_region_options(view.year)
la_codes = places.place_la_codes(view, options, cache.load_regions(view.year))
place_name = places.place_label(view, options, region_options)
if view.level != explorer_links.LEVEL_LSOA:
    # Wards, MSOAs, LAs, counties, combined authorities or ICBs coloured by a File 10 summary measure.
    level_map.level_page(view, la_codes, place_name)
    st.stop()
shown = explorer_controls.map_indicator(view)
indicator = shown.indicator
choice = choropleth.MapChoice(view.year, la_codes, indicator.id, view.scheme, view.k, view.palette)
mode = maps.drawing_mode(cache.count_lsoas(view.year, la_codes), view.geo)
selected = view.area if mode != maps.MODE_LA else None
scheme_label, scheme_note = choropleth.classes_words(indicator, view.scheme, las=mode == maps.MODE_LA)

areas = prepare.areas_in(cache.load_indicator_areas(view.year, indicator.id, shown.upload)[0], la_codes)
values = areas[indicator.column(view.year)]
st.title(f"{place_name}: {prepare.escape_markdown(indicator.label)}", anchor=False)
st.caption(
    " · ".join(
        filter(
            None,
            [
                vintage.source if indicator.official else f"Source: {prepare.escape_markdown(indicator.source)}",
                f"{len(la_codes):,} LAs" if len(la_codes) > 1 else "",
                f"{len(areas):,} LSOAs"
                if indicator.official
                else f"{values.notna().sum():,} of {len(areas):,} LSOAs have a value",
                vintage.la_label,
                vintage.la_note,
            ],
        )
    )
)
if choropleth.has_national_deciles(indicator):
    in_worst = int((areas[indicator.decile_column(view.year)] == 1).sum())
    st.markdown(
        f"**{in_worst:,} of {len(areas):,}** LSOAs in {prepare.escape_markdown(place_name)} "
        f"({in_worst / len(areas):.0%}) are among England's most deprived 10% on "
        f"*{prepare.escape_markdown(indicator.label.rsplit(':', 1)[0])}* in {vintage.label}."
    )
explorer_controls.show_notes()
for note in (shown.note, la_level_note(indicator), scheme_note):
    if note:
        st.info(prepare.escape_markdown(note), icon=":material/info:")

attribution = maps.edition_attribution(vintage)
if mode == maps.MODE_LA:
    layers = cache.load_la_layers(view.year, la_codes)
    classification, payload, la_table = cache.load_la_classification(choice, shown.upload)
    base = maps.build_base_map(layers["areas"], layers["bounds"], basemap=view.basemap, attribution=attribution)
    dynamic = [maps.build_style_layer(payload)]
    legend_title, la_note = choropleth.la_map_words(indicator)
    geography = f"{len(la_codes):,} local authorities"
else:
    classification, payload = cache.load_classification(*choice, upload=shown.upload)
    if mode == maps.MODE_VECTOR:
        layers = cache.load_place_layers(view.year, la_codes)
        base = maps.place_base_map(layers, attribution, context=len(la_codes) == 1, basemap=view.basemap)
        dynamic = [maps.build_style_layer(payload)]
    else:
        layers = cache.load_la_layers(view.year, la_codes)
        base = maps.build_base_map(
            None, layers["bounds"], la_features=layers["outline"], basemap=view.basemap, attribution=attribution
        )
        url, bounds, version, _ = cache.raster_layer(choice, shown.upload)
        tiles = zoom_tiles.raster_tiles(choice, url, state.W_MAP, shown.upload)
        dynamic = [maps.build_image_layer(url, bounds, version, tiles)]
    legend_title = indicator.label
    geography = f"{len(areas):,} LSOAs"
dynamic.append(maps.build_highlight_layer(cache.area_features(view.year, selected) if selected else None))
session_areas = upload_controls.session_areas()
dynamic.append(uploaded_maps.build_areas_layer(session_areas))  # uploaded areas, outlined

col_map, col_side = st.columns([3, 2], gap="medium")
with col_map:
    returned = ["last_clicked", "zoom", "bounds"] if mode == maps.MODE_RASTER else ["last_clicked"]
    on_click = partial(explorer_controls.handle_map_click, view.year, la_codes, view.geo)
    map_panel.show_map(base, state.W_MAP, dynamic, height=620, returned_objects=returned, on_change=on_click)
    st.caption(
        {
            maps.MODE_LA: "Click a local authority to open its LSOAs. ",
            maps.MODE_RASTER: "LSOAs are drawn as one image at this extent: click any point to select its LSOA. ",
            maps.MODE_VECTOR: "Click an area (or hover for its values) to see its profile. ",
        }[mode]
        + BOUNDARY_ATTRIBUTION
    )
    if len(la_codes) == 1 and mode != maps.MODE_LA:
        # Static PNG/SVG and offline HTML exports of this LA's map (the same breaks and colours).
        downloads.map_downloads(
            view.year,
            la_codes[0],
            view.indicator,
            view.scheme,
            view.k,
            view.palette,
            selected,
            "map.export",
            uploaded=shown.uploaded,
            uploaded_areas=session_areas,
        )

with col_side:
    st.html(
        maps.LEGEND_CSS
        + maps.legend_html(
            legend_title,
            f"{vintage.label} · {geography} in {place_name} · {scheme_label}",
            classification,
            direction="" if mode == maps.MODE_LA and not choropleth.la_valued(indicator) else direction_line(indicator),
        )
    )
    if mode == maps.MODE_LA:
        st.caption(la_note)
    elif selected:
        row = areas.loc[selected]
        st.header(row["area_name"], anchor=False)
        st.markdown(
            f"{prepare.escape_markdown(selected)} · Ward: {prepare.escape_markdown(row['ward_name'])}"
            f" · {prepare.escape_markdown(row['la_name'])}"
        )
        profile_controls.profile_link(view.year, selected)
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
                "LA median rank": st.column_config.NumberColumn(format="%d", help=f"Middle LSOA of {row['la_name']}"),
            },
        )
        st.caption(
            f"Rank 1 = most deprived of {vintage.n_lsoas:,} LSOAs in England; England's middle rank is "
            f"{(vintage.n_lsoas + 1) // 2:,}. A rank below the LA median means more deprived than "
            f"most of {row['la_name']}."
        )
        workshop_controls.who_is_working_here(selected, row["ward_code"])
    else:
        st.caption("No area selected. Click the map, or choose one under Place in the sidebar.")

state.write_view(explorer_links.View(**{**view.__dict__, "area": selected}))

st.header("The data beneath the map", anchor=False)
if mode == maps.MODE_LA:
    table = (
        la_table.reset_index()
        .rename(
            columns={
                "la_code": "LA code",
                "la_name": "Local authority",
                "lsoas": "LSOAs",
                "in_most_deprived_10": "LSOAs in England's most deprived 10%",
                "share": "Share",
                "value": indicator.label,
            }
        )
        .sort_values("Share", ascending=False)
    )
    st.caption(f"Geography: local authorities. {la_note}")
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={"Share": st.column_config.NumberColumn(format="percent")},
    )
    title = f"{legend_title}, local authorities of {place_name}"
else:
    table = prepare.indicator_table(areas, indicator, view.year)
    st.caption(f"Geography: LSOAs ({vintage.lsoa_label}), sorted from the most deprived.")
    shown_rows = table if len(table) <= 5_000 else table.head(1_000)
    if len(shown_rows) < len(table):
        st.caption(f"Showing the 1,000 most deprived of {len(table):,} LSOAs; the download has them all.")
    st.dataframe(shown_rows, hide_index=True, width="stretch")
    title = f"{indicator.label}, LSOAs of {place_name}"
st.download_button(
    "Download this table (CSV)",
    lambda: export.to_safe_csv(table, [title, *choropleth.citation_lines(indicator, vintage)]),  # written when clicked
    file_name=f"placemap_{'_'.join(la_codes) if len(la_codes) <= 3 else place_name.replace(' ', '_')}_{indicator.id}_{view.year}.csv",
    mime="text/csv",
    icon=":material/download:",
)
