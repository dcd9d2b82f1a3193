"""Place plan: a partnership's shared outcomes for a place, their baselines, targets and progress."""

from dataclasses import replace

import streamlit as st

from placemap.community import plan_contributions as contrib
from placemap.community import roles
from placemap.community.plans import Outcome, Plan, PlanError, draft_outcomes
from placemap.data.prepare import escape_markdown as esc
from placemap.links.plan_links import PLAN, parse_plan_id, plan_link
from placemap.render import plan_page
from placemap.storage import community, plans, store
from placemap.ui import access, page_setup
from placemap.ui import plan_controls as pc
from placemap.ui.upload_controls import session_catalogue

st.title("Place plan", anchor=False)
st.markdown(
    "A partnership's shared outcomes for a place: what it has agreed to change, measured the same way by "
    "everyone, from a baseline towards a target, with who is working on each."
)
db, db_error = page_setup.open_store()
actor = access.current_actor()
may_save = roles.can(actor.role, "save_plan")
catalogue = session_catalogue()
share_id, notes = parse_plan_id(st.query_params)
for note in notes:
    st.warning(note)
if db is None:
    st.error(f"Plans are unavailable: {esc(db_error)}", icon=":material/database:")
    st.stop()

register, saved_interventions = [], {}
try:
    register = community.list_initiatives(db)
    saved_interventions = {i.share_id: i.name for i in db.list_interventions()}
    listed = plans.list_plans(db)
except store.StoreError as exc:
    st.error(esc(str(exc)))
    st.stop()

if listed:
    options = {p.share_id: p.name for p in listed}
    picked = st.sidebar.selectbox(
        "Open a saved plan",
        [None, *options],
        index=([None, *options].index(share_id) if share_id in options else 0),
        format_func=lambda s: "—" if s is None else options[s],
        key="plan.open",
    )
    if picked and picked != share_id:
        st.query_params[PLAN] = picked
        st.rerun()

plan = None
if share_id:
    try:
        plan = plans.get_plan(db, share_id)
    except (store.StoreError, PlanError) as exc:
        st.error(esc(str(exc)))
    if plan is None and not notes:
        st.warning("No saved plan has this link: it may have been deleted.")

if plan is None:
    st.header("Write a new plan", anchor=False)
    if not may_save:
        st.info(access.refusal(actor, "save_plan"))
    else:
        place = pc.place_chooser()
        with st.form("plan.new"):
            name = st.text_input("Plan name", max_chars=200, key="plan.new.name")
            aim = st.text_area("Shared aim", max_chars=1500, key="plan.new.aim")
            listed = contrib.register_partners(register)
            if listed:
                partners = st.multiselect("Partners (from the register)", listed, key="plan.new.partners")
            else:
                partners = []
                st.caption("No partners are in the register yet: type them below, or add them on Initiatives.")
            others = st.text_area("Other partners (one per line)", key="plan.new.others")
            if st.form_submit_button("Save the plan", type="primary"):
                extra = [line.strip() for line in others.splitlines() if line.strip()]
                try:
                    made = plans.create_plan(db, actor, Plan(name, place, aim, tuple([*partners, *extra])))
                except (PlanError, roles.PermissionDenied, store.StoreError) as exc:
                    st.error(esc(str(exc)))
                else:
                    st.query_params[PLAN] = made.share_id
                    st.rerun()
    st.stop()

# ------------------------------------------------------------------ the plan
version_from = pc.editing_version(plan)
st.header(esc(plan.name), anchor=False)
st.markdown(
    f"**Place:** {esc(pc.place_label(plan.place))} · **Partners:** {esc(', '.join(plan.partners) or 'none yet')}"
)
st.markdown(f"**Shared aim:** {esc(plan.aim or 'not written yet')}")
link = plan_link(plan.share_id)
st.caption(f"Share this plan: `{link}` · version {plan.version}")
if plan.frozen_year:
    st.info(
        f"Frozen to {plan.frozen_year}: the numbers are those the plan was saved with, so a paper's link keeps showing them."
    )

shown = []
for outcome in plan.outcomes:
    data, indicator = pc.outcome_data(outcome, catalogue, plan.frozen_year)
    shown.append(pc.page_outcome(outcome, data, indicator))

st.subheader("Outcomes and progress", anchor=False)
if not plan.outcomes:
    st.caption("No outcomes yet: add one below, or draft them from a workshop's priorities.")
for item in shown:
    with st.container(border=True):
        st.markdown(f"#### {esc(item.name)}")
        st.markdown(f"{pc.status_badge(item.status)} **{item.status.value.capitalize()}**. {esc(item.reason)}")
        st.caption(
            f"{esc(item.indicator)} · baseline {esc(item.baseline)} · latest {esc(item.latest)} · target {esc(item.target)} · lead: {esc(item.lead or 'nobody yet')}"
        )
        for note in item.notes:
            st.caption(esc(note))
        table = plan_page.trajectory_frame(item).rename(
            columns={"year": "Year", "value": "Value", "edition": "Edition", "kind": "What"}
        )
        page_setup.chart_beside_table(plan_page.trajectory_chart(item), table)

st.subheader("Who contributes to what", anchor=False)
matrix = contrib.contribution_matrix(plan, register, saved_interventions)
st.dataframe(matrix, hide_index=True, width="stretch")
unworked = contrib.unworked_outcomes(plan)
if unworked:
    st.warning("Nobody is working on: " + esc(", ".join(unworked)) + ".")
lsoas, why = pc.place_lsoas(plan.place)
if lsoas is not None:
    from placemap.ui import cache

    areas = cache.load_areas(2025)
    ward_of = dict(zip(areas.index, areas["ward_code"], strict=True))
    gaps = contrib.uncovered_high_need(lsoas.lsoa21, areas["IMD_decile"], dict(areas["area_name"]), register, ward_of)
    if len(gaps):
        st.warning(
            f"{len(gaps)} of the place's LSOAs are in England's most deprived 10% (IMD, IoD2025) and no initiative in the register covers them:"
        )
        st.dataframe(gaps, hide_index=True)
    else:
        st.caption(
            "Every LSOA of the place in England's most deprived 10% (IMD, IoD2025) is covered by an initiative, or there are none."
        )

st.subheader("Plan on a page", anchor=False)
page = pc.plan_page(plan, shown, link)
cols = st.columns(3)
stem = f"placemap_plan_{plan.share_id}"
cols[0].download_button(
    "Plan on a page (PDF)", plan_page.plan_pdf(page), f"{stem}.pdf", "application/pdf", key="plan.pdf"
)
cols[1].download_button("Plan on a page (PNG)", plan_page.plan_png(page), f"{stem}.png", "image/png", key="plan.png")
cols[2].download_button("Outcomes (CSV)", plan_page.plan_csv(page), f"{stem}.csv", "text/csv", key="plan.csv")


def _save(changed: Plan, done: str) -> None:
    try:
        saved = plans.save_plan(db, actor, replace(changed, version=version_from))
    except plans.PlanConflict as exc:
        pc.set_editing_version(exc.current)
        st.session_state["plan.message"] = ("warning", str(exc))
    except (PlanError, roles.PermissionDenied, store.StoreError) as exc:
        st.session_state["plan.message"] = ("error", str(exc))
    else:
        pc.set_editing_version(saved)
        st.session_state["plan.message"] = ("success", done)
    st.rerun()


message = st.session_state.pop("plan.message", None)
if message:
    getattr(st, message[0])(esc(message[1]))

st.subheader("Edit the plan", anchor=False)
if not may_save:
    st.info(access.refusal(actor, "save_plan"))
else:
    options = pc.indicator_options(catalogue)
    with st.expander("Add an outcome", expanded=not plan.outcomes):
        with st.form("plan.add", clear_on_submit=True):
            o_name = st.text_input("Outcome", max_chars=200, key="plan.add.name")
            o_ind = st.selectbox("Indicator", list(options), format_func=options.get, key="plan.add.indicator")
            o_base = st.selectbox("Baseline edition or census", pc.BASELINE_CHOICES, key="plan.add.baseline")
            o_target = st.number_input("Target value", value=0.0, format="%.4f", key="plan.add.target")
            o_date = st.date_input("Target date", value=pc.default_target_date(), key="plan.add.date")
            o_lead = st.selectbox("Lead partner", ["", *plan.partners], key="plan.add.lead")
            init_options = {i.share_id: i.name for i in register}
            o_inits = st.multiselect(
                "Contributing initiatives", list(init_options), format_func=init_options.get, key="plan.add.initiatives"
            )
            o_ints = st.multiselect(
                "Evaluated interventions",
                list(saved_interventions),
                format_func=saved_interventions.get,
                key="plan.add.interventions",
            )
            if st.form_submit_button("Add the outcome", type="primary"):
                new = Outcome(
                    o_name,
                    o_ind,
                    plan.place,
                    int(o_base),
                    None,
                    float(o_target),
                    o_date,
                    o_lead,
                    tuple(o_inits),
                    tuple(o_ints),
                )
                _save(
                    replace(plan, outcomes=(*plan.outcomes, pc.refreshed(new, catalogue))), f'Outcome "{o_name}" added.'
                )
    if plan.outcomes:
        with st.expander("Change a target or remove an outcome"):
            with st.form("plan.target"):
                names = [o.name for o in plan.outcomes]
                which = st.selectbox("Outcome", names, key="plan.target.which")
                value = st.number_input("New target value", value=0.0, format="%.4f", key="plan.target.value")
                date = st.date_input("New target date", value=pc.default_target_date(), key="plan.target.date")
                remove = st.checkbox("Remove this outcome instead", key="plan.target.remove")
                if st.form_submit_button("Save"):
                    if remove:
                        kept = tuple(o for o in plan.outcomes if o.name != which)
                        _save(replace(plan, outcomes=kept), f'Outcome "{which}" removed.')
                    else:
                        moved = tuple(
                            replace(o, target_value=float(value), target_date=date, draft=False)
                            if o.name == which
                            else o
                            for o in plan.outcomes
                        )
                        _save(replace(plan, outcomes=moved), f'Target of "{which}" changed.')
    with st.expander("Aim and partners"):
        with st.form("plan.details"):
            aim = st.text_area("Shared aim", value=plan.aim, max_chars=1500, key="plan.details.aim")
            partners = st.text_area(
                "Partners (one per line)", value="\n".join(plan.partners), key="plan.details.partners"
            )
            if st.form_submit_button("Save"):
                _save(
                    replace(plan, aim=aim, partners=tuple(p.strip() for p in partners.splitlines() if p.strip())),
                    "Aim and partners saved.",
                )
    with st.expander("Freeze to an edition"):
        st.caption(
            "A frozen plan keeps showing the numbers it was saved with, so a committee paper's link does not change when new data arrives."
        )
        year = st.selectbox(
            "Edition",
            [None, 2025, 2021, 2019, 2015, 2011],
            format_func=lambda y: "Not frozen" if y is None else str(y),
            index=0,
            key="plan.freeze.year",
        )
        if st.button("Save", key="plan.freeze.save"):
            refreshed = (
                plan
                if plan.frozen_year
                else replace(plan, outcomes=tuple(pc.refreshed(o, catalogue) for o in plan.outcomes))
            )
            _save(replace(refreshed, frozen_year=year), "Frozen." if year else "Unfrozen.")
    with st.expander("Draft outcomes from a workshop's priorities"):
        try:
            workshops = community.list_workshops(db)
        except store.StoreError as exc:
            workshops = []
            st.warning(esc(str(exc)))
        if not workshops:
            st.caption("No workshop has been saved yet.")
        else:
            ws_options = {w.share_id: w for w in workshops}
            ws_id = st.selectbox("Workshop", list(ws_options), format_func=lambda s: ws_options[s].name, key="plan.ws")
            if st.button("Draft outcomes from its agreed priorities", key="plan.ws.draft"):
                ws = ws_options[ws_id]
                drafts = draft_outcomes(
                    community.list_priorities(db, ws),
                    community.vote_counts(db, ws),
                    plan.place,
                    2019,
                    pc.default_target_date(),
                    [o.name for o in plan.outcomes],
                )
                if not drafts:
                    st.info("The workshop has no voted priorities that the plan does not already hold.")
                else:
                    drafted = tuple(
                        replace(d, target_value=d.baseline_value or 0.0)
                        for d in (pc.refreshed(d, catalogue) for d in drafts)
                    )
                    _save(replace(plan, outcomes=(*plan.outcomes, *drafted)), f"{len(drafts)} draft outcome(s) added.")

st.subheader("History", anchor=False)
try:
    st.dataframe(plans.plan_history(db, plan.share_id), hide_index=True, width="stretch")
except store.StoreError as exc:
    st.warning(esc(str(exc)))
