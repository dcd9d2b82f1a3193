"""Hot spots: LISA clusters and Getis-Ord Gi* of a domain or any indicator over a place's LSOAs (esda, libpysal)."""

import numpy as np
import streamlit as st

from placemap.analysis import hotspots, systems
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION
from placemap.data.indicator_picker import direction_line
from placemap.render import legends, maps
from placemap.ui import cache, downloads, map_panel, state, systems_cache, systems_controls

P = state.W_HOT
view, vintage, place, place_md, data = systems_controls.page_context(systems_controls.hotspot_controls)
analysed = hotspots.indicator_for(view.domain, data.catalogue)  # a domain stands for its national rank
areas = prepare.areas_in(data.national, view.las)
domain_label = systems.short_label(analysed)
raw_values = areas[analysed.column(view.year)].to_numpy(dtype=float)
n_no_value = int(np.isnan(raw_values).sum())

systems_controls.page_heading(
    P,
    f"Hot spots: {place_md}",
    [vintage.source, f"{len(areas):,} LSOAs", prepare.escape_markdown(domain_label)],
    "Where do deprived LSOAs cluster, and where does a deprived LSOA sit among better-off neighbours? "
    "Local statistics compare each LSOA with its neighbours and test the pattern against random shuffles.",
    data.source_lines([analysed.id]),
)
state.write_page_view(view.to_params(), state.HOT_LAST)
if systems.broadcast(analysed):
    st.warning(f"{prepare.escape_markdown(analysed.label)} {hotspots.BROADCAST_NOTE}", icon=":material/warning:")

try:
    with st.spinner(
        f"Computing {hotspots.METHODS[view.method]} with {view.permutations:,} permutations… The first run after "
        "the server starts also compiles esda's permutation code, which takes about half a minute."
    ):
        classification, payload, cutoff = systems_cache.load_hotspot_map(
            data, view.las, analysed.id, view.method, view.permutations, view.alpha, view.fdr
        )
        stats = systems_cache.load_hotspots(data, view.las, analysed.id, view.method, view.permutations)
except ValueError as error:
    st.warning(str(error), icon=":material/warning:")
    if n_no_value:
        st.info(
            f"The data has a value for {len(areas) - n_no_value:,} of the {len(areas):,} LSOAs of {place_md}.",
            icon=":material/info:",
        )
    st.stop()

table = hotspots.class_table(view.method)
layers = cache.load_place_layers(view.year, view.las)
col_map, col_side = st.columns([3, 2], gap="medium")
with col_map:
    map_panel.show_place_style_map(layers, maps.edition_attribution(vintage), payload, P + "map")
    st.caption(f"Hover an area for its class and pseudo p-value. {BOUNDARY_ATTRIBUTION}")
with col_side:
    significance = (
        f"FDR-controlled at {view.alpha:g} (p ≤ {cutoff:.4f})" if view.fdr else f"p ≤ {view.alpha:g} for each LSOA"
    )
    islands = classification.n_missing - n_no_value
    st.html(
        maps.LEGEND_CSS
        + legends.category_legend_html(
            hotspots.METHODS[view.method],
            f"{domain_label} · {vintage.label} · {significance}",
            [(colour, label, count) for (label, colour), count in zip(table, classification.counts, strict=True)],
            missing=(
                f"Not tested ({classification.n_missing:,}): {n_no_value:,} with no value in the data, "
                f"{islands:,} with no neighbour in the place"
                if n_no_value
                else f"{hotspots.NOT_TESTED_LABEL} ({classification.n_missing:,})"
            ),
        )
    )
    significant = sum(classification.counts[:-1])
    parts = [
        f"{count:,} {label.split(':')[0].lower()}"
        for (label, _), count in zip(table[:-1], classification.counts[:-1], strict=True)
    ]
    st.markdown(
        f"**{significant:,} of {int(stats.tested.sum()):,}** tested LSOAs are significant ({significance}): "
        f"{', '.join(parts)}."
    )
    if stats.global_i is not None:
        st.markdown(
            f"Global Moran's I for {prepare.escape_markdown(domain_label)}: **{stats.global_i:.2f}** "
            f"(pseudo p = {stats.global_p:.3f}); above 0 means similar LSOAs sit next to each other."
        )
    if n_no_value:
        st.info(
            f"{n_no_value:,} of the {len(areas):,} LSOAs have no value in the data (no data, or suppressed) and were "
            "left out of the statistics (as if they were not there: their neighbours are computed without them); "
            "they are white with a dashed outline on the map.",
            icon=":material/info:",
        )
    if stats.n_islands:
        st.info(
            f"{stats.n_islands:,} LSOA(s) have no neighbour in the place (islands) and were left out of the "
            "statistics; they are white with a dashed outline on the map.",
            icon=":material/info:",
        )

statistic_name = "Local Moran's I" if view.method == "lisa" else "Getis-Ord Gi* (each LSOA counted with its neighbours)"
variable = (
    f"national rank on {prepare.escape_markdown(domain_label)}"
    if analysed.official
    else f"rank on {prepare.escape_markdown(domain_label)} among England's LSOAs that have a value "
    f"({prepare.escape_markdown(direction_line(analysed))})"
)
st.markdown(
    f"""
**How this is computed.** The variable is each LSOA's {variable},
as a need percentile (100 = most deprived in England). Neighbours are LSOAs of the place that share an edge or a
corner (queen contiguity, libpysal), so LSOAs on the place's edge have fewer neighbours. {statistic_name}
comes from esda with {view.permutations:,} conditional permutations and seed {hotspots.SEED}; the pseudo p-value
says how often a random arrangement was as extreme. Testing hundreds of LSOAs at once finds some patterns by
chance: the FDR option (esda.fdr, Benjamini-Hochberg) guards against that.
"""
)

st.header("The data beneath the map", anchor=False)
frame = hotspots.hotspot_table(areas, classification.classes, stats, raw_values, data.name(analysed.id))
st.dataframe(frame, hide_index=True, width="stretch")
downloads.table_download(
    frame,
    [
        f"{hotspots.METHODS[view.method]}: {domain_label}, LSOAs of {place}",
        f"{view.permutations} permutations, seed {hotspots.SEED}, {significance}",
        vintage.citation,
        *data.source_lines([analysed.id]),
        *([f"{n_no_value} LSOAs with no value in the data were left out."] if n_no_value else []),
        systems.LICENCE,
    ],
    f"placemap_hotspots_{view.method}_{'_'.join(view.las)}_{view.year}",
    P + "download",
    "Download this table (CSV)",
)
