"""Systems view: two indicators against each other, linked to a bivariate map; the domains' correlations."""

import streamlit as st

from placemap.analysis import systems
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, IOD_ATTRIBUTION, get_domain
from placemap.data.lookups import RUC_RULE_2019
from placemap.links import systems_links
from placemap.render import charts, charts_systems, export, legends, maps
from placemap.render.colour import BIVARIATE_PALETTE, BIVARIATE_PALETTE_NAME
from placemap.ui import cache, chart_cache, downloads, map_panel, state, systems_cache, systems_controls

P = state.W_SYS
view, vintage, place, place_md, data = systems_controls.page_context(systems_controls.systems_controls)
x_ind, y_ind = data.get(view.x), data.get(view.y)
sources = data.source_lines([view.x, view.y])  # the indicators that are not the edition's own columns
areas = prepare.areas_in(data.national, view.las)
x_md, y_md = prepare.escape_markdown(systems.short_label(x_ind)), prepare.escape_markdown(systems.short_label(y_ind))
context = systems_cache.load_area_context(view.year)

systems_controls.page_heading(
    P,
    f"Systems view: {place_md}",
    [vintage.source, f"{len(areas):,} LSOAs", vintage.la_label],
    "Education, health, work and income are parts of one system. See how two indicators move together "
    "across the LSOAs of the place, where both are high on one map, and how all the domains relate.",
    sources,
)
if systems.broadcast_warning(x_ind, y_ind):
    st.warning(prepare.escape_markdown(systems.broadcast_warning(x_ind, y_ind)), icon=":material/warning:")

# ------------------------------------------------------------------ linked scatter
st.header(f"{x_md} against {y_md}", anchor=False)
frame = systems.scatter_frame(areas, context, view.year, x_ind, y_ind, view.colour)
if frame.empty:
    st.warning(
        f"No LSOA of {place_md} has a value on both indicators: the data does not cover this place. "
        "Choose another place, or another indicator.",
        icon=":material/warning:",
    )
colour_title = systems.colour_options(view.year, len(view.las))[view.colour]
domain, colours = systems.colour_scale(frame, view.colour)
chart = chart_cache.lazy(
    charts_systems.scatter_chart, frame, x_ind, y_ind, colour_title, domain, colours, selected_code=view.area
)
both_note = f" with values on both (of {len(areas):,})" if len(frame) < len(areas) else ""
st.caption(
    f"{len(frame):,} LSOAs of {place_md}{both_note}. {vintage.source}; rural-urban class: ONS 2021. OGL v3.0."
    + (" Other data: as its source says (above)." if sources else "")
)
col_chart, col_key = st.columns([4, 1], gap="small")
with col_chart:
    event = chart_cache.show(
        chart,
        width="stretch",
        on_select="rerun",
        key=P + "scatter",
        alt=f"Scatter plot of {x_ind.label} against {y_ind.label} for the LSOAs of {place}",
    )
with col_key:
    counts = frame["colour"].value_counts()
    st.html(
        maps.LEGEND_CSS
        + legends.category_legend_html(
            colour_title, "", [(c, label, int(counts.get(label, 0))) for label, c in zip(domain, colours, strict=True)]
        )
    )
picked = systems.codes_in_selection(event.selection if event else None, frame)
st.caption(
    "Drag a rectangle, or click points (shift-click for more), to select LSOAs: they are outlined on the map "
    "below and listed under it. Double-click the chart to clear. The magenta ring is the LSOA chosen in the sidebar."
    + (f" {RUC_RULE_2019}" if view.colour == systems.COLOUR_RUC and view.year == 2019 else "")
)

footer = [f"Source: {vintage.source}.", *sources, IOD_ATTRIBUTION]
scatter_export = chart_cache.lazy(  # built when a download is clicked
    lambda: charts.framed(
        charts_systems.for_export(chart.build()),
        title=f"{x_ind.label} against {y_ind.label}",
        subtitle=f"{len(frame):,} LSOAs of {place}",
        footer=footer,
    )
)
downloads.chart_downloads(
    scatter_export,
    export.safe_filename("placemap", "scatter", *view.las, view.year),
    P + "scatter.export",
    name="Scatter",
)

# ------------------------------------------------------------------ bivariate map
st.header(f"Both at once: {x_md} × {y_md}", anchor=False)
result, payload = systems_cache.load_bivariate(data, view.las, view.x, view.y, view.thirds)
if view.thirds == "england" and systems.rank_rule(x_ind, y_ind):
    st.caption(prepare.escape_markdown(systems.rank_rule(x_ind, y_ind)))
layers = cache.load_place_layers(view.year, view.las)
col_map, col_side = st.columns([3, 2], gap="medium")
with col_map:
    outlined = tuple(dict.fromkeys([*picked, *([view.area] if view.area else [])]))
    highlight = maps.build_highlight_layer(systems_cache.areas_features(view.year, outlined) if outlined else None)
    map_panel.show_place_style_map(
        layers,
        maps.edition_attribution(vintage),
        payload,
        P + "map",
        extra=[highlight],
        returned_objects=["last_clicked"],
        on_change=lambda: systems_controls.handle_page_map_click(P + "map", P + "area", view.year, view.las),
    )
    st.caption(f"Click an area to select it (it gets a magenta ring in the scatter). {BOUNDARY_ATTRIBUTION}")
with col_side:
    st.html(
        maps.LEGEND_CSS
        + legends.BIVARIATE_CSS
        + legends.bivariate_legend_html(
            f"{systems.short_label(x_ind)} × {systems.short_label(y_ind)}",
            systems.short_label(x_ind),
            systems.short_label(y_ind),
            BIVARIATE_PALETTE,
            result.counts,
            result.classification.n_missing,
            subtitle=f"{systems.THIRDS[view.thirds]} · {vintage.label} · {BIVARIATE_PALETTE_NAME}, colour-blind safe",
        )
    )
    both = systems.both_most_deprived(areas, result)
    st.markdown(
        f"**{len(both):,} of {len(areas):,}** LSOAs are in the most deprived third on both "
        f"*{x_md}* and *{y_md}* (the darkest square)."
    )

state.write_page_view(systems_links.SystemsView(**{**view.__dict__}).to_params(), state.SYS_LAST)

if picked:
    st.subheader(f"Selected in the chart: {len(picked):,} LSOAs", anchor=False)
    chosen = frame[frame["code"].isin(picked)].rename(
        columns={
            "code": "LSOA code",
            "name": "LSOA name",
            "ward": "Ward",
            "la": "Local authority",
            "x": x_ind.label,
            "y": y_ind.label,
            "colour": colour_title,
        }
    )
    st.dataframe(chosen, hide_index=True, width="stretch")

with st.expander("The data beneath the chart and map (table)"):
    table = systems.bivariate_table(areas, view.year, x_ind, y_ind, result)
    st.dataframe(table, hide_index=True, width="stretch")
    downloads.table_download(
        table,
        [f"{x_ind.label} and {y_ind.label}, LSOAs of {place}", vintage.citation, *sources, systems.LICENCE],
        f"placemap_systems_{'_'.join(view.las)}_{view.year}",
        P + "download",
        "Download this table (CSV)",
    )

# ------------------------------------------------------------------ correlation matrix
st.header("How the domains move together", anchor=False)
extra, matrix_notes = systems.matrix_indicators(data, areas, [view.x, view.y, *data.brought])
matrix = systems.correlation_matrix(areas, view.year, extra=extra)
in_matrix = [indicator.id for indicator in extra.values()]
col_chart, col_text = st.columns([3, 2], gap="medium")
with col_chart:
    st.caption(f"Spearman's rho of national ranks among the LSOAs of {place_md}. {vintage.source}.")
    if extra:
        st.caption(
            "Indicators beside the domains (the axes' measures, your data) are included by their national rank "
            "(among England's LSOAs with a value), so a positive rho still means *more deprived on both*, each pair "
            "over the LSOAs that have both values."
        )
    chart_cache.show(
        chart_cache.lazy(charts_systems.correlation_heatmap, matrix),
        width="stretch",
        alt=f"Correlation matrix of the IMD and its seven domains among the LSOAs of {place}",
    )
with col_text:
    st.warning(systems.CORRELATION_NOTE, icon=":material/lightbulb:")
    if systems.broadcast_warning(*extra.values()):
        st.warning(prepare.escape_markdown(systems.broadcast_warning(*extra.values())), icon=":material/warning:")
    for note in matrix_notes:
        st.caption(prepare.escape_markdown(note))
    st.markdown("The most closely linked domains here (the IMD left out, as it is made of them):")
    pairs = systems.strongest_pairs(matrix, exclude=[get_domain("imd").label])
    for a, b, rho in pairs.itertuples(index=False):
        st.markdown(
            f"- {prepare.escape_markdown(a)} and {prepare.escape_markdown(b)}: "
            f"{systems.describe_rho(rho)} (rho = {rho:.2f})"
        )
    st.caption(
        f"Spearman's rank correlation over the {len(areas):,} LSOAs of {place_md}: 1 = always in the same order, "
        "0 = unrelated, −1 = opposite order."
    )
with st.expander("The correlation matrix as a table"):
    st.dataframe(matrix.round(2), width="stretch")
    downloads.table_download(
        matrix.round(3).rename_axis("Spearman's rho").reset_index(),
        [
            f"Spearman's rho among the LSOAs of {place}",
            vintage.citation,
            *data.source_lines(in_matrix),
            systems.CORRELATION_NOTE,
            systems.LICENCE,
        ],
        f"placemap_correlations_{'_'.join(view.las)}_{view.year}",
        P + "download.matrix",
        "Download the correlation matrix (CSV)",
    )
