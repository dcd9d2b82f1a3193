"""Evaluate an intervention: choose its LSOAs, match comparison LSOAs, estimate the difference, save and share."""

from dataclasses import replace

import streamlit as st

from placemap.analysis import change, evaluation_inputs, evaluation_words, lsoa_change
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION
from placemap.links import change_links
from placemap.render import change_charts, uploaded_maps
from placemap.storage import store
from placemap.ui import (
    access,
    cache,
    change_cache,
    change_controls,
    chart_cache,
    downloads,
    map_panel,
    page_setup,
    profile_controls,
    state,
    upload_controls,
)

la_options = page_setup.la_options_all()
db, db_error = page_setup.open_store()

# A link to a saved intervention fills in the form once (later edits are the user's own).
share_id, link_notes = change_links.parse_share_id(st.query_params.to_dict())
st.session_state.setdefault(state.EV_NOTES, []).extend(link_notes)
change_controls.open_shared_intervention(db, share_id)

# The outcome is an indicator pair: a domain between two editions, or two columns of an uploaded LSOA table
# (whose LSOAs fix the editions).
uploaded, outcome_problem = change_controls.evaluation_outcome_controls()
controls = change_controls.evaluation_controls(la_options, uploaded)
before, after, geo_year, outcome = controls["before"], controls["after"], controls["geo_year"], controls["outcome"]
options = controls["la_options"]

st.title("Evaluate an intervention", anchor=False)
st.markdown(
    "Did the LSOAs an intervention covers move differently from **similar LSOAs elsewhere**? Placemap compares "
    "the change of each intervention LSOA with the change of its nearest neighbours on the baseline edition's "
    "domain profile (difference-in-differences), with a seeded bootstrap interval. It describes a difference "
    "between groups; it cannot show what caused it."
)
profile_controls.show_page_notes(state.EV_NOTES)
st.session_state[state.EV_NOTES] = []
if outcome_problem:
    st.info(outcome_problem, icon=":material/info:")
if note := evaluation_words.outcome_note(outcome):
    st.info(note, icon=":material/upload_file:")
if db_error:
    st.warning(
        f"Saving and opening interventions is unavailable: {prepare.escape_markdown(db_error)} Evaluations still run.",
        icon=":material/database:",
    )

st.header("1. The intervention", anchor=False)
name = st.text_input(
    "Name", max_chars=evaluation_inputs.NAME_MAX, key=state.W_EV_NAME, placeholder="e.g. Families First"
)
la = st.selectbox(
    f"Local authority to pick from ({lsoa_change.GEOGRAPHY_LABELS[lsoa_change.common_geography(before, after)]})",
    list(options),
    format_func=options.get,
    key=state.W_EV_LA,
)
areas_all = cache.load_areas(geo_year)
la_areas = prepare.areas_in(areas_all, (la,))
selected = list(st.session_state.get(state.W_EV_CODES) or [])

pick_map, pick_other = st.columns([3, 2], gap="medium")
with pick_map:
    layers = cache.load_place_layers(geo_year, (la,))
    map_panel.show_place_style_map(
        layers,
        "Boundaries: ONS · OGL v3.0",
        change_cache.load_selection_style(geo_year, (la,), tuple(selected)),
        state.W_EV_MAP,
        extra=[uploaded_maps.build_areas_layer(upload_controls.session_areas())],
        context=False,
        height=460,
        returned_objects=["last_clicked"],
        on_change=lambda: change_controls.toggle_code_on_click(geo_year, (la,)),
    )
    st.caption(f"Click an LSOA to add it (blue) or remove it (grey). {BOUNDARY_ATTRIBUTION}")
with pick_other:
    wards = la_areas[["ward_code", "ward_name"]].drop_duplicates().sort_values("ward_name")
    ward_names = dict(zip(wards["ward_code"], wards["ward_name"], strict=True))
    chosen_wards = st.multiselect("By ward", list(ward_names), format_func=ward_names.get, key=state.W_EV_WARDS)
    if st.button("Add these wards' LSOAs", disabled=not chosen_wards, key=state.W_EV_ADD_WARDS):
        change_controls.add_codes(list(la_areas.index[la_areas["ward_code"].isin(chosen_wards)]))
        st.rerun()
    pasted = st.text_area("By list of LSOA codes (2011 or 2021)", key=state.W_EV_PASTE, height=90)
    if st.button("Add these codes", disabled=not pasted.strip(), key=state.W_EV_ADD_CODES):
        codes, notes = lsoa_change.translate_codes(
            change_controls.parse_pasted_codes(pasted),
            lsoa_change.common_geography(before, after),
            change_cache.load_lsoa_lookup(),
        )
        change_controls.add_codes(codes)
        st.session_state[state.EV_NOTES] = [prepare.escape_markdown(n) for n in notes]
        st.rerun()
    change_controls.treated_from_uploaded_areas(geo_year, areas_all)
    if st.button("Clear the selection", disabled=not selected, key=state.W_EV_CLEAR):
        st.session_state[state.W_EV_CODES] = []
        st.session_state[state.EV_RULE] = None
        st.rerun()

# Codes from another geography (after switching editions) are translated, with a note.
geo = lsoa_change.common_geography(before, after)
usable, notes = lsoa_change.translate_codes(selected, geo, change_cache.load_lsoa_lookup())
if usable != selected:
    st.session_state[state.W_EV_CODES] = usable
    st.session_state[state.EV_NOTES] = [prepare.escape_markdown(n) for n in notes]
    st.rerun()
labels = {c: f"{areas_all.at[c, 'area_name']} ({c})" for c in usable if c in areas_all.index}
labels.update({c: f"{n} ({c})" for c, n in zip(la_areas.index, la_areas["area_name"], strict=True)})
st.multiselect(
    f"LSOAs in the intervention ({len(usable):,}): type a name or code to add one",
    list(labels),
    format_func=labels.get,
    key=state.W_EV_CODES,
)
selection_rule = change_controls.selection_rule_now(usable)
if selection_rule:
    st.caption(f"How these LSOAs were chosen: {prepare.escape_markdown(selection_rule)}")

current = evaluation_inputs.Intervention(
    name=name.strip(),
    area_codes=tuple(usable),
    domain=controls["domain"],
    before=before,
    after=after,
    measure=controls["measure"],
    options=evaluation_inputs.MatchOptions(
        controls["n_neighbours"], controls["same_region"], controls["exclude_same_la"]
    ),
    seed=controls["seed"],
    n_boot=controls["n_boot"],
    outcome=controls["saved_outcome"],
    selection_rule=selection_rule,
)

st.header("2. What the data show", anchor=False)
result = None
if len(usable) == 0:
    st.info("Choose the intervention's LSOAs above: on the map, by ward, or by a list of codes.")
else:
    try:
        values = change_controls.outcome_values(uploaded, outcome.profile_year)
        result = change_cache.load_evaluation(
            replace(current, name=current.name or "Unnamed intervention", selection_rule=""), values
        )
    except evaluation_inputs.EvaluationError as exc:
        st.warning(prepare.escape_markdown(str(exc)), icon=":material/warning:")

if result is not None:
    e = result.estimate
    unit = outcome.after.unit
    st.caption(evaluation_words.data_note(outcome, before, after))
    m1, m2, m3 = st.columns(3)
    m1.metric("Intervention LSOAs: mean change", f"{e.treated_change:+.2f} {unit}")
    m2.metric("Matched comparison: mean change", f"{e.comparison_change:+.2f} {unit}")
    m3.metric(
        "Difference-in-differences", f"{e.did:+.2f} {unit}", help=f"95% interval {e.ci_low:+.2f} to {e.ci_high:+.2f}"
    )
    for sentence in evaluation_words.summary_sentences(result, outcome):
        st.markdown(sentence)

    chart_col, table_col = st.columns([3, 2], gap="medium")
    labels = evaluation_words.chart_labels(outcome, controls["measure"])
    with chart_col:
        chart_cache.show(
            chart_cache.lazy(change_charts.before_after_chart, result.groups, **labels),
            width="stretch",
        )
    with table_col:
        st.markdown("The chart as a table")
        st.dataframe(result.groups.drop(columns=["Year"]), hide_index=True, width="stretch")

    st.subheader("Balance of the two groups at baseline", anchor=False)
    st.markdown(
        f"Matched on IoD{outcome.profile_year}'s domain profile: "
        f"{controls['n_neighbours']} nearest LSOA(s) per intervention LSOA, "
        f"chosen with replacement from {result.matches.n_candidates:,} LSOAs outside the intervention"
        f"{', in the same region' if controls['same_region'] else ''}"
        f"{', outside its local authority' if controls['exclude_same_la'] else ''}. A standardised difference near "
        "zero (under 0.1) means the groups looked alike before."
    )
    st.dataframe(result.balance, hide_index=True, width="stretch")

    st.subheader("Read with care", anchor=False)
    for caveat in evaluation_words.caveats(result, outcome):
        st.markdown(f"- {caveat}")
    if result.matches.dropped:
        st.markdown("Left out of the estimate:")
        st.dataframe(
            [{"LSOA code": c, "Why": why} for c, why in result.matches.dropped.items()],
            hide_index=True,
            width="stretch",
        )

    with st.expander(f"Matched pairs ({len(result.pairs):,} rows)"):
        st.dataframe(result.pairs, hide_index=True, width="stretch")
        downloads.table_download(
            result.pairs,
            [
                f"Intervention: {name.strip() or 'Unnamed intervention'}",
                outcome.csv_lines()[0],
                f"Difference-in-differences {e.did:+.3f} {unit}, 95% bootstrap interval {e.ci_low:+.3f} to "
                f"{e.ci_high:+.3f} ({e.n_boot} draws, seed {e.seed})",
                *([f"How the LSOAs were chosen: {selection_rule}"] if selection_rule else []),
                *outcome.csv_lines()[1:],
            ],
            "placemap_evaluation_pairs",
            "eval.pairs_csv",
            "Download the matched pairs (CSV)",
        )

st.header("3. Save and share", anchor=False)
saved_now = st.session_state.get(state.EV_SAVED)
loaded = st.session_state.get(state.EV_LOADED)
if saved_now == current and loaded:
    state.write_params({change_links.INTERVENTION: loaded})
    st.success(
        f"This intervention is saved. Share it with the link `?intervention={loaded}` on this page "
        "(the address bar holds it now).",
        icon=":material/link:",
    )
else:
    state.write_params({})
actor = access.current_actor()
save_refusal = access.refusal(actor, "save_intervention")
if db is not None and save_refusal:
    st.caption(f"Saving an intervention: {prepare.escape_markdown(save_refusal)}")
if db is not None:
    if not save_refusal and st.button(
        "Save this intervention", type="primary", disabled=not usable or saved_now == current, key=state.W_EV_SAVE
    ):
        try:
            new_id = db.save_intervention(current.validate(), by=actor.label)
        except evaluation_inputs.EvaluationError as exc:
            st.warning(prepare.escape_markdown(str(exc)))
        except store.StoreError as exc:
            st.error(prepare.escape_markdown(str(exc)))
        else:
            st.session_state[state.EV_SAVED] = current
            st.session_state[state.EV_LOADED] = new_id
            st.rerun()
    try:
        saved_list = db.list_interventions()
    except store.StoreError as exc:
        st.error(prepare.escape_markdown(str(exc)))
        saved_list = []
    st.subheader(f"Saved interventions ({len(saved_list):,})", anchor=False)
    if saved_list:
        st.dataframe(
            [
                {
                    "Name": s.name,
                    "Domain": change.domain_label(s.domain) if s.domain else "",
                    "Editions": s.outcome_label or f"IoD{s.before_year} → IoD{s.after_year}",
                    "LSOAs": s.n_areas,
                    "Saved (UTC)": f"{s.created_at:%Y-%m-%d %H:%M}",
                    "Open": f"/evaluate?intervention={s.share_id}",
                }
                for s in saved_list
            ],
            hide_index=True,
            width="stretch",
            column_config={"Open": st.column_config.LinkColumn("Open", display_text="Open")},
        )
    else:
        st.caption("Nothing saved yet.")
    st.caption(f"Saved in {prepare.escape_markdown(db.where)}.")
