"""Priority finder: where needs overlap, a composite index with live weights, and how stable it is."""

import pandas as pd
import streamlit as st

from placemap.analysis import priority
from placemap.analysis import systems_upload as su
from placemap.data import lookups, prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, get_domain, get_indicator, get_vintage
from placemap.links import systems_links
from placemap.render import charts_systems, export, maps
from placemap.ui import cache, chart_cache, map_panel, page_setup, state, systems_cache, systems_controls

P = state.W_PRI
la_options = page_setup.la_options_all()
view = systems_controls.priority_controls(la_options)
vintage = get_vintage(view.year)
place = systems_controls.place_name(la_options, view.year, view.las)
place_md = prepare.escape_markdown(place)  # for markdown; HTML builders escape for themselves
uploads = systems_controls.session_system_uploads(view.year)  # this session's uploaded indicators on this edition
national = uploads.augment(cache.load_areas(view.year))
areas = prepare.areas_in(national, view.las)
weights_by_domain = dict(zip(priority.SEVEN_DOMAINS, view.weights, strict=True))
conditions = [su.Condition(*c) for c in view.conditions]
# A condition is an uploaded indicator or a measure behind the indices (a catalogue indicator).
cond = {c.indicator_id: uploads.indicators.get(c.indicator_id) or get_indicator(c.indicator_id) for c in conditions}
cond_labels = {i: uploads.options().get(i) or ind.label for i, ind in cond.items()}
cond_sources = uploads.source_lines(list(cond)) + [
    f"{ind.label}: {ind.source}." for i, ind in cond.items() if i not in uploads.indicators
]
used_uploads = [c.indicator_id for c in conditions if c.indicator_id in uploads.indicators] + (
    [view.component[0]] if view.component else []
)
in_place = su.in_place_mask(national, view.las)
extra = [
    (
        su.describe_condition(c, cond[c.indicator_id]),
        su.condition_hits(national[c.indicator_id].to_numpy(dtype=float), cond[c.indicator_id].polarity, c, in_place),
    )
    for c in conditions
]

st.title(f"Priority finder: {place_md}", anchor=False)
st.caption(" · ".join([vintage.source, f"{len(areas):,} LSOAs", vintage.la_label]))
st.markdown(
    "Agree where to focus: find the LSOAs where several needs overlap, build your own index from the seven "
    "domains, and see which LSOAs stay a priority whatever the weights."
)
systems_controls.show_prefixed_notes(P)
for indicator_id in dict.fromkeys(used_uploads):
    st.info(prepare.escape_markdown(uploads.source_line(indicator_id)), icon=":material/upload_file:")

try:
    _, weight_note = priority.normalise_weights(weights_by_domain)
    weights_ok = True
except ValueError as error:
    weight_note, weights_ok = str(error), False

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

composite_upload = None  # the composite with an uploaded component, where it is defined (or a message)
if view.component and weights_ok:
    indicator_id, upload_weight = view.component
    try:
        composite_upload = su.composite_with_upload(
            national,
            view.year,
            weights_by_domain,
            national[indicator_id],
            uploads.indicators[indicator_id].polarity,
            upload_weight,
            transformed=systems_cache.load_transformed_domains(view.year),
        )
    except ValueError as error:
        composite_upload = str(error)

if show == "overlap" and conditions:
    result_for_map = priority.overlap(
        national,
        view.year,
        view.las,
        view.domains,
        view.pct,
        view.at_least,
        population=systems_cache.load_area_context(view.year)["population"],
        extra=extra,
    )
    codes = cache.load_place_layers(view.year, view.las)["codes"]
    legend_title = "Conditions met (domains, measures and your data)"
    version = f"{view.year}-overlap-{view.to_params()}"
    classification, payload = priority.overlap_map(result_for_map, codes, legend_title, vintage.n_lsoas, version)
elif show == "overlap":
    classification, payload = systems_cache.load_overlap_map(view.year, view.las, view.domains, view.pct, view.at_least)
    legend_title = f"Domains in England's most deprived {view.pct}%"
elif show == "composite" and isinstance(composite_upload, pd.DataFrame):
    codes = cache.load_place_layers(view.year, view.las)["codes"]
    classification, payload = priority.composite_map(
        composite_upload.loc[codes],
        "Composite index with your data",
        vintage.n_lsoas,
        f"{view.year}-composite-upload-{view.to_params()}",
        imd_rank="IMD rank among these LSOAs",
    )
    legend_title = "Composite index with your data: decile among the LSOAs with a value"
elif show == "composite":
    classification, payload = systems_cache.load_composite_map(view.year, view.las, view.weights)
    legend_title = "Composite index at the chosen weights: national decile"
elif show == "stability":
    classification, payload = systems_cache.load_stability_map(view.year, view.las, view.weights, view.spread, view.top)
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
if view.domains or conditions:
    if conditions:
        result = priority.overlap(
            national,
            view.year,
            view.las,
            view.domains,
            view.pct,
            view.at_least,
            population=systems_cache.load_area_context(view.year)["population"],
            extra=extra,
        )
        names = "; ".join(
            [f"in England's most deprived {view.pct}% on {get_domain(d).label}" for d in view.domains]
            + [label for label, _ in extra]
        )
        rule = f"in need on at least {view.at_least} of {result.n_conditions} conditions ({names})"
    else:
        result = systems_cache.load_overlap(view.year, view.las, view.domains, view.pct, view.at_least)
        names = ", ".join(get_domain(d).label for d in view.domains)
        rule = (
            f"in England's most deprived {view.pct}% on at least {view.at_least} of {len(view.domains)} domains "
            f"({names})"
        )
    # A "worst X% of the place" condition, or data that does not cover England, makes England's count partial.
    partial = any(c.rule == su.RULE_PLACE for c in conditions) or any(
        national[c.indicator_id].isna().any() for c in conditions
    )
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("LSOAs", f"{result.count:,}", help=f"LSOAs of {place_md} {prepare.escape_markdown(rule)}")
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
        f"{prepare.escape_markdown(place)} holds **{result.share_of_england:.1%}** of them."
    )
    st.markdown(
        f"**{result.count:,} of {result.place_lsoas:,}** LSOAs in {prepare.escape_markdown(place)} are "
        f"{prepare.escape_markdown(rule)}, home to about **{result.population:,.0f}** people "
        f"(of {result.place_population:,.0f} in the place).{england}{unknown}"
    )
    for c in conditions:
        missing = int(areas[c.indicator_id].isna().sum())
        if missing:
            st.caption(
                f"{prepare.escape_markdown(cond[c.indicator_id].label)}: {missing:,} of the place's "
                f"{len(areas):,} LSOAs have no value, and count as not meeting that condition."
            )
        if c.rule == su.RULE_PLACE:
            st.caption(
                f"{prepare.escape_markdown(cond[c.indicator_id].label)}: the worst {c.number:g}% is "
                "counted among the place's LSOAs that have a value; tied values count together."
            )
    st.caption(lookups.population_rule(view.year))
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
    for c in conditions:  # the uploaded values themselves, beside the list
        label = cond_labels[c.indicator_id]
        table[label] = national[c.indicator_id].reindex(table["LSOA code"]).to_numpy()
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        "Download the overlap list (CSV)",
        export.to_safe_csv(
            table,
            [
                f"LSOAs of {place} {rule}",
                vintage.citation,
                *cond_sources,
                "Licence: OGL v3.0 (official data); your data: as stated",
            ],
        ),
        file_name=f"placemap_overlap_{'_'.join(view.las)}_{view.year}.csv",
        mime="text/csv",
        icon=":material/download:",
        key=P + "download.overlap",
    )
else:
    st.info(
        "Choose at least one domain (or your data) under **Where needs overlap** in the sidebar.",
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
elif view.component:
    indicator_id, upload_weight = view.component
    label_md = prepare.escape_markdown(uploads.indicators[indicator_id].label)
    if isinstance(composite_upload, str):
        st.error(prepare.escape_markdown(composite_upload))
    else:
        composite = composite_upload.loc[areas.index].dropna(subset=["score"])
        n_defined = int(composite_upload["score"].notna().sum())
        st.info(
            f"**With your data ({label_md}, weight {upload_weight:g}%)** the index is computed only where it has a "
            f"value: **{n_defined:,}** of England's LSOAs, {len(composite):,} of them in {place_md}. Your values are "
            "ranked among those LSOAs and transformed like a domain; the seven domains keep their national scores; "
            "the eight weights are rescaled to 100%. Ranks, deciles and the IMD comparison below are among those "
            f"{n_defined:,} LSOAs, not all of England.",
            icon=":material/upload_file:",
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
            alt=f"IMD rank against the rank with your data for the LSOAs of {place}",
        )
        export_table = (
            frame[["area_code", "area_name", "score", "rank", "decile", "imd_rank", "move"]]
            .assign(**{uploads.options()[indicator_id]: national[indicator_id].reindex(frame.index).to_numpy()})
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
        st.dataframe(export_table, hide_index=True, width="stretch")
        st.download_button(
            "Download the composite index with your data (CSV)",
            export.to_safe_csv(
                export_table,
                [
                    f"Composite index with your data, LSOAs of {place} (ranks among the {n_defined:,} LSOAs with a value)",
                    f"Weights (%): {', '.join(f'{get_domain(d).label} {w:g}' for d, w in weights_by_domain.items())}, "
                    f"your data {upload_weight:g}; rescaled to 100%",
                    vintage.citation,
                    *uploads.source_lines([indicator_id]),
                    "Licence: OGL v3.0 (official data); your data: as stated",
                ],
            ),
            file_name=f"placemap_composite_upload_{'_'.join(view.las)}_{view.year}.csv",
            mime="text/csv",
            icon=":material/download:",
            key=P + "download.composite",
        )
    st.caption("Rank stability (below) uses the seven domains only; your data is not part of it.")
if weights_ok:
    if view.component:
        st.subheader("Without your data: the seven domains at the same weights", anchor=False)
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
    shares = systems_cache.load_stability(view.year, view.las, view.weights, view.spread, view.top)
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
