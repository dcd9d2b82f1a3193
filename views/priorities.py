"""Priority finder: where needs overlap, a composite index with live weights, and how stable it is."""

import streamlit as st

from placemap.analysis import priority, systems
from placemap.data import lookups, prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, get_domain
from placemap.links import systems_links
from placemap.render import charts_systems, class_maps, maps
from placemap.ui import cache, chart_cache, downloads, map_panel, state, systems_cache, systems_controls

P = state.W_PRI
view, vintage, place, place_md, data = systems_controls.page_context(systems_controls.priority_controls)
areas = prepare.areas_in(data.national, view.las)
weights_by_domain = dict(zip(priority.SEVEN_DOMAINS, view.weights, strict=True))
conditions = [priority.Condition(*c) for c in view.conditions]  # any indicator that is not a domain
used = [c.indicator_id for c in conditions] + ([view.component[0]] if view.component else [])

systems_controls.page_heading(
    P,
    f"Priority finder: {place_md}",
    [vintage.source, f"{len(areas):,} LSOAs", vintage.la_label],
    "Agree where to focus: find the LSOAs where several needs overlap, build your own index from the seven "
    "domains, and see which LSOAs stay a priority whatever the weights.",
    data.source_lines(used),
)

try:
    _, weight_note = priority.normalise_weights(weights_by_domain)
    weights_ok = True
except ValueError as error:
    weight_note, weights_ok = str(error), False

component, component_error = None, None  # the composite's extra component (id, weight), or why it cannot be used
if view.component and weights_ok:
    try:
        composite_with = systems_cache.load_composite_with(data, view.weights, view.component)
        component = view.component
    except ValueError as error:
        component_error = str(error)

# Share of random weightings in which each LSOA is in the top decile (the map and the last section).
shares = systems_cache.load_stability(view.year, view.las, view.weights, view.spread, view.top) if weights_ok else None

# ------------------------------------------------------------------ the map
show = view.show
if show != "overlap" and not weights_ok:
    st.error(f"{weight_note} The map shows the overlap finder until a weight is above zero.")
    show = "overlap"
if show == "overlap" and not view.domains and not conditions:
    st.info(
        "Choose at least one domain under **Where needs overlap** in the sidebar, or another map under "
        "**The map shows**.",
        icon=":material/info:",
    )
    show = None

result = (
    systems_cache.load_overlap(data, view.las, view.domains, view.pct, view.at_least, view.conditions)
    if view.domains or conditions
    else None
)
if show == "overlap":
    classification, payload = systems_cache.overlap_map(data, view.las, result)
    legend_title = "Conditions met" if conditions else f"Domains in England's most deprived {view.pct}%"
elif show == "composite":
    classification, payload = systems_cache.load_composite_map(data, view.las, view.weights, component)
    legend_title = (
        f"Composite index with {data.get(component[0]).label}: decile among the LSOAs with a value"
        if component
        else "Composite index at the chosen weights: national decile"
    )
elif show == "stability":
    version = f"{view.year}-stability-{','.join(f'{w:g}' for w in view.weights)}-{view.spread}-{view.top}"
    classification, payload = class_maps.stability_map(shares, vintage.n_lsoas, version)
    legend_title = f"How often in {systems_links.STABILITY_REFERENCES[view.top]}"

if show:
    layers = cache.load_place_layers(view.year, view.las)
    col_map, col_side = st.columns([3, 2], gap="medium")
    with col_map:
        st.subheader(systems_links.PRIORITY_MAPS[show], anchor=False)
        map_panel.show_place_style_map(layers, maps.edition_attribution(vintage), payload, P + "map")
        st.caption(f"Hover an area for its values. Switch the map under *The map shows*. {BOUNDARY_ATTRIBUTION}")
    with col_side:
        st.html(
            maps.LEGEND_CSS
            + maps.legend_html(legend_title, f"{vintage.label} · {len(areas):,} LSOAs in {place}", classification)
        )

state.write_page_view(view.to_params(), state.PRI_LAST)

# ------------------------------------------------------------------ overlap finder
st.header("Where needs overlap", anchor=False)
if result:
    # A "worst X% of the place" condition, or data that does not cover England, makes England's count partial.
    partial = priority.partial_england(data.national, view.year, conditions, data.get)
    rule_md = prepare.escape_markdown(result.rule)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("LSOAs", f"{result.count:,}", help=f"LSOAs of {place_md} {rule_md}")
    c2.metric("Population covered", f"{result.population:,.0f}")
    c3.metric(f"Share of {place_md}'s LSOAs", f"{result.share_of_place:.0%}")
    if partial:
        c4.metric("Share of England's", "—", help="Not comparable: a condition's data does not cover all of England.")
    else:
        c4.metric("Share of England's", f"{result.share_of_england:.1%}", help=f"{result.national_count:,} in England")
    unknown = (
        f" Population is unknown for {result.population_unknown:,} of them (split or redrawn since 2011)."
        if result.population_unknown
        else ""
    )
    england = (
        " England's figures are left out: a condition is relative to the place, or its data (your data, or a "
        "measure with suppressed or missing values) does not cover all of England."
        if partial
        else f" England has {result.national_count:,} such LSOAs ({result.national_population:,.0f} people); "
        f"{place_md} holds **{result.share_of_england:.1%}** of them."
    )
    st.markdown(
        f"**{result.count:,} of {result.place_lsoas:,}** LSOAs in {place_md} are {rule_md}, home to about "
        f"**{result.population:,.0f}** people (of {result.place_population:,.0f} in the place).{england}{unknown}"
    )
    table = result.table.rename(
        columns={
            "area_code": "LSOA code",
            "area_name": "LSOA name",
            "la_name": "Local authority",
            "domains_hit": "Conditions met" if conditions else "Domains in the most deprived %",
            "which": "Which",
            "meets": "Meets the rule",
            "population": "Population",
        }
    )
    for c in conditions:
        indicator = data.get(c.indicator_id)
        label_md = prepare.escape_markdown(indicator.label)
        missing = int(areas[indicator.column(view.year)].isna().sum())
        if missing:
            st.caption(
                f"{label_md}: {missing:,} of the place's {len(areas):,} LSOAs have no value, and count as not "
                "meeting that condition."
            )
        if c.rule == priority.RULE_PLACE:
            st.caption(
                f"{label_md}: the worst {c.number:g}% is counted among the place's LSOAs that have a value; "
                "tied values count together."
            )
        # the condition's values themselves, beside the list
        table[data.name(c.indicator_id)] = (
            data.national[indicator.column(view.year)].reindex(table["LSOA code"]).to_numpy()
        )
    st.caption(lookups.population_rule(view.year))
    downloads.table_with_download(
        table,
        [
            f"LSOAs of {place} {result.rule}",
            vintage.citation,
            *data.source_lines([c.indicator_id for c in conditions]),
            systems.LICENCE,
        ],
        f"placemap_overlap_{'_'.join(view.las)}_{view.year}",
        P + "download.overlap",
        "Download the overlap list (CSV)",
    )
else:
    st.info(
        "Choose at least one domain (or a measure, or your data) under **Where needs overlap** in the sidebar.",
        icon=":material/info:",
    )

# ------------------------------------------------------------------ composite index
st.header("A composite index with your weights", anchor=False)
st.markdown(
    "The index combines the seven domains the way the official IMD does: each domain's national rank is "
    "turned into an exponentially distributed score from 0 to 100 (the IoD technical report's transformation, "
    "which stops one very deprived domain from being cancelled out by another), and the scores are added with "
    "your weights. At the official weights it reproduces the official IMD ranking."
)
if not weights_ok:
    st.error(weight_note)
elif component_error:
    st.error(prepare.escape_markdown(component_error))
if component:
    indicator_id, component_weight = component
    indicator = data.get(indicator_id)
    label_md = prepare.escape_markdown(indicator.label)
    composite = composite_with.loc[areas.index].dropna(subset=["score"])
    n_defined = int(composite_with["score"].notna().sum())
    st.info(
        f"**With {label_md} (weight {component_weight:g}%)** the index is computed only where it has a value: "
        f"**{n_defined:,}** of England's LSOAs, {len(composite):,} of them in {place_md}. Its values are ranked "
        "among those LSOAs and transformed like a domain; the seven domains keep their national scores; the "
        "eight weights are rescaled to 100%. Ranks, deciles and the IMD comparison below are among those "
        f"{n_defined:,} LSOAs, not all of England.",
        icon=":material/dataset:",
    )
    top = int((composite["decile"] == 1).sum())
    official_top = int((composite["imd_decile"] == 1).sum())
    c1, c2 = st.columns(2)
    c1.metric("In the most deprived 10% of those LSOAs", f"{top:,}", delta=f"{top - official_top:+,} vs the IMD")
    c2.metric("Median move in rank", f"{composite['move'].abs().median():,.0f}")
    frame = composite.astype({"rank": int, "imd_rank": int, "move": int}).join(areas[["area_code", "area_name"]])
    chart_cache.show(
        chart_cache.lazy(charts_systems.rank_shift_chart, frame, n_defined),
        width="stretch",
        alt=f"IMD rank against the rank with {indicator.label} for the LSOAs of {place}",
    )
    export_table = (
        frame[["area_code", "area_name", "score", "rank", "decile", "imd_rank", "move"]]
        .assign(**{data.name(indicator_id): areas.loc[frame.index, indicator.column(view.year)].to_numpy()})
        .rename(
            columns={
                "area_code": "LSOA code",
                "area_name": "LSOA name",
                "score": "Score",
                "rank": "Rank",
                "decile": "Decile",
                "imd_rank": "IMD rank (among these LSOAs)",
                "move": "Moved",
            }
        )
    )
    downloads.table_with_download(
        export_table,
        [
            f"Composite index with {indicator.label}, LSOAs of {place} (ranks among the {n_defined:,} LSOAs with a value)",
            f"Weights (%): {', '.join(f'{get_domain(d).label} {w:g}' for d, w in weights_by_domain.items())}, "
            f"{indicator.label} {component_weight:g}; rescaled to 100%",
            vintage.citation,
            *data.source_lines([indicator_id]),
            systems.LICENCE,
        ],
        f"placemap_composite_{indicator_id}_{'_'.join(view.las)}_{view.year}",
        P + "download.composite",
        "Download the composite index with this component (CSV)",
    )
    st.caption(f"Rank stability (below) uses the seven domains only; {label_md} is not part of it.")
if weights_ok:
    if component:
        st.subheader(f"Without {label_md}: the seven domains at the same weights", anchor=False)
    if weight_note:
        st.warning(weight_note, icon=":material/balance:")
    composite = systems_cache.load_composite(view.year, view.weights).loc[areas.index]
    official_top = int((composite["imd_decile"] == 1).sum())
    new_top = int((composite["decile"] == 1).sum())
    entered = int(((composite["decile"] == 1) & (composite["imd_decile"] != 1)).sum())
    left = int(((composite["decile"] != 1) & (composite["imd_decile"] == 1)).sum())
    c1, c2, c3 = st.columns(3)
    c1.metric("In England's most deprived 10%", f"{new_top:,}", delta=f"{new_top - official_top:+,} vs the IMD")
    c2.metric("Newly in it", f"{entered:,}")
    c3.metric("No longer in it", f"{left:,}")
    st.markdown(
        f"At these weights **{new_top:,}** LSOAs of {prepare.escape_markdown(place)} are in England's most deprived "
        f"10%, against {official_top:,} in the official IMD; {entered:,} enter and {left:,} leave. The median LSOA "
        f"moves {composite['move'].abs().median():,.0f} places in England's ranking."
    )
    frame = composite.join(areas[["area_code", "area_name"]])
    col_chart, col_table = st.columns([3, 2], gap="medium")
    with col_chart:
        st.caption(f"How the LSOAs of {place_md} move in England's ranking. Dashed line: no change. {vintage.source}.")
        chart_cache.show(
            chart_cache.lazy(charts_systems.rank_shift_chart, frame, vintage.n_lsoas),
            width="stretch",
            alt=f"Official IMD rank against the rank at the chosen weights for the LSOAs of {place}",
        )
    with col_table:
        movers = frame.reindex(frame["move"].abs().sort_values(ascending=False).index).head(15)
        if not movers["move"].any():
            st.caption("No LSOA of the place moves at these weights.")
        st.dataframe(
            movers[["area_name", "imd_rank", "rank", "move"]].rename(
                columns={"area_name": "LSOA", "imd_rank": "IMD rank", "rank": "Rank now", "move": "Moved"}
            ),
            hide_index=True,
            width="stretch",
        )
        st.caption("The 15 biggest moves (+ = more deprived at your weights). Rank 1 = most deprived in England.")

    # -------------------------------------------------------------- rank stability
    st.header("Rank stability", anchor=False)
    classes = priority.stability_class(shares)
    counts = {label: int((classes == i).sum()) for i, (label, _, _) in enumerate(priority.STABILITY_CLASSES)}
    st.markdown(
        f"Over {priority.STABILITY_DRAWS:,} random weightings around yours (each weight multiplied by a factor "
        f"between {1 - view.spread / 100:g} and {1 + view.spread / 100:g}, then rescaled; seed "
        f"{priority.STABILITY_SEED}), how often is each LSOA in {systems_links.STABILITY_REFERENCES[view.top]}?"
    )
    st.markdown("\n".join(f"- {label}: **{n:,}** LSOAs" for label, n in counts.items()))
    stable = areas[["area_code", "area_name"]].assign(share=shares).sort_values("share", ascending=False)
    with st.expander("Every LSOA's share of weightings (table)"):
        st.dataframe(
            stable.rename(columns={"area_code": "LSOA code", "area_name": "LSOA name", "share": "Share"}),
            hide_index=True,
            width="stretch",
            column_config={"Share": st.column_config.ProgressColumn(format="percent", min_value=0.0, max_value=1.0)},
        )
