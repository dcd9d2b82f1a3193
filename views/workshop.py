"""Community workshop: one shared screen, a story in five steps, notes on the map, dot-voting and scores."""

import streamlit as st
from streamlit_folium import st_folium

from placemap.community import notes, roles, workshop
from placemap.data import prepare
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, DEFAULT_LA, get_indicator
from placemap.render import maps, workshop_charts
from placemap.storage import community, store
from placemap.ui import (
    access,
    cache,
    change_controls,
    chart_cache,
    client,
    page_setup,
    state,
    workshop_cache,
    workshop_controls,
)

YEAR = workshop.STORY_YEAR
LIVE_SECONDS = 2  # how often every screen asks whether the notes or votes changed
la_options = cache.load_la_options(YEAR)

# The link seeds the session once; later the controls own the view and the URL follows them.
if state.WS_LOADED not in st.session_state:
    link, link_notes = workshop.parse_workshop_view(st.query_params.to_dict(), set(la_options))
    st.session_state[state.WS_LOADED] = link
    st.session_state[state.W_WS_STEP] = link.step
    st.session_state[state.W_WS_BIG] = link.big_screen
    st.session_state[state.WS_NOTES] = link_notes
link = st.session_state[state.WS_LOADED]

db, db_error = page_setup.open_store()
ws = None
if db is not None and link.workshop:
    try:
        ws = community.get_workshop(db, link.workshop)
    except store.StoreError as exc:
        db_error = str(exc)
    if ws is None and not db_error:
        st.session_state[state.WS_NOTES].append("No workshop has that link id; start a new one below.")
la = link.la or (ws.la_code if ws else DEFAULT_LA)
la_name = la_options.get(la, la)
big = bool(st.session_state.get(state.W_WS_BIG))
if big:
    workshop_controls.apply_workshop_style()
st.html(notes.NOTES_CSS + maps.LEGEND_CSS)
font = 22 if big else 13


def _go(delta: int) -> None:
    st.session_state[state.W_WS_STEP] = min(len(workshop.STEPS), max(1, st.session_state[state.W_WS_STEP] + delta))


step = int(st.session_state.get(state.W_WS_STEP) or 1)
state.write_params(workshop.WorkshopView(big, step, ws.share_id if ws else None, la).to_params())

title, blurb = workshop.STEPS[step - 1]
st.title(f"{step}. {title}: {la_name}", anchor=False)
st.markdown(blurb)
change_controls.show_notes_for(state.WS_NOTES)
if db_error:
    st.error(
        f"Saving is unavailable, so notes, votes and scores cannot be collected: {prepare.escape_markdown(db_error)} "
        "The story's maps and charts still work.",
        icon=":material/database:",
    )
elif ws is None:
    st.info("No workshop is open: the story works, but to collect notes, votes and scores start one.")

nav_back, nav_steps, nav_next = st.columns([1, 5, 1], vertical_alignment="center")
nav_back.button("◀ Back", on_click=_go, args=(-1,), disabled=step == 1, width="stretch", key="ws.back")
nav_next.button(
    "Next ▶",
    on_click=_go,
    args=(1,),
    disabled=step == len(workshop.STEPS),
    width="stretch",
    type="primary",
    key="ws.next",
)
nav_steps.caption(
    " → ".join(f"**{i}\\. {t}**" if i == step else f"{i}\\. {t}" for i, (t, _) in enumerate(workshop.STEPS, start=1))
)

layers = cache.load_place_layers(YEAR, (la,))
areas = prepare.areas_in(cache.load_areas(YEAR), (la,))
participant = workshop_controls.participant_id()
actor = access.current_actor()


def _base_map():
    return maps.build_base_map(
        layers["areas"],
        layers["bounds"],
        la_features=layers["la"],
        ward_features=layers["wards"],
        attribution="IoD2025, MHCLG · Boundaries: ONS · OGL v3.0",
    )


def _live_version() -> tuple | None:
    """What this workshop's screens show live (notes, priorities, votes), as a cheap fingerprint."""
    if db is None or ws is None:
        return None
    try:
        return community.live_version(db, ws)
    except store.StoreError:
        return None  # the parts that read the database say so themselves


def _drawn() -> None:
    """Record what this screen is about to draw (taken before reading, so a change in between is caught)."""
    st.session_state[state.WS_DRAWN] = _live_version()


@st.fragment(run_every=LIVE_SECONDS)
def _live_watch() -> None:
    """Every ``LIVE_SECONDS``: redraw the page only if the notes or votes changed since it was drawn.

    The check is three small queries and sends nothing to the browser, so twenty idle screens cost
    the server almost nothing; redrawing the map every tick instead (its script travels each time)
    cost a sixth of a core per open screen (benchmarks/load.py).
    """
    version = _live_version()
    if version is not None and version != st.session_state.get(state.WS_DRAWN):
        st.rerun()


def _read_notes(include_hidden: bool = False) -> list:
    if db is None or ws is None:
        return []
    try:
        return community.list_notes(db, ws, include_hidden=include_hidden)
    except store.StoreError as exc:
        st.error(f"The notes cannot be read: {prepare.escape_markdown(str(exc))}")
        return []


def _note_form() -> None:
    pin = st.session_state.get(state.WS_PIN)
    if ws is None or db is None:
        st.caption("Notes can be added once a workshop is open and the database is available.")
        return
    if pin:
        where = f"the LSOA {pin['area']}" if pin.get("area") else "a point outside the place's LSOAs"
        st.markdown(f"**Pinned:** {prepare.escape_markdown(where)}")
    else:
        st.markdown("**Click the map** to choose where your note goes.")
    if st.session_state.get(state.W_WS_SUBMIT):
        st.session_state[state.WS_SAVED_TEXT] = None  # a new submit: whatever it holds is a new note
    elif st.session_state.get(state.WS_SAVED_TEXT) is not None and (
        st.session_state.get(state.W_WS_TEXT) == st.session_state[state.WS_SAVED_TEXT]
    ):
        st.session_state[state.W_WS_TEXT] = ""
    with st.form("ws.note_form", clear_on_submit=False, border=True):
        st.radio(
            "Kind of note",
            list(notes.CATEGORIES),
            format_func=notes.CATEGORIES.get,
            key=state.W_WS_CATEGORY,
            horizontal=True,
        )
        st.text_area(f"Your note (up to {notes.TEXT_MAX} characters)", max_chars=notes.TEXT_MAX, key=state.W_WS_TEXT)
        st.text_input("First name (optional)", max_chars=notes.NAME_MAX, key=state.W_WS_NAME)
        st.radio("Pin it to", list(notes.PINS), format_func=notes.PINS.get, key=state.W_WS_PIN_KIND, horizontal=True)
        submitted = st.form_submit_button("Add my note", type="primary", key=state.W_WS_SUBMIT)
    if submitted:
        pin = st.session_state.get(state.WS_PIN) or {}
        try:
            note = notes.validate_note(
                st.session_state[state.W_WS_CATEGORY],
                st.session_state[state.W_WS_TEXT],
                st.session_state[state.W_WS_NAME],
                st.session_state[state.W_WS_PIN_KIND],
                pin.get("lat"),
                pin.get("lng"),
                pin.get("area"),
            )
        except notes.NoteError as exc:
            st.warning(f"Your note was not saved yet: {exc}", icon=":material/edit_note:")
            return
        if note.pinned_to == notes.PIN_AREA and note.area_code in areas.index:
            point = cache.load_geometry(YEAR).geometry[note.area_code].representative_point()
            note = notes.NoteInput(
                note.category,
                note.text,
                note.first_name,
                note.pinned_to,
                round(point.y, 6),
                round(point.x, 6),
                note.area_code,
            )
        refusal = client.refusal("note")
        if refusal:
            st.warning(f"Your note was not saved yet: {refusal}", icon=":material/hourglass_top:")
            return
        try:
            community.add_note(db, ws, note, by=actor.label)
        except store.StoreError as exc:
            reason = prepare.escape_markdown(str(exc).rstrip("."))
            st.error(f"Your note was NOT saved: {reason}. Please keep it and try again.")
            return
        st.session_state[state.WS_SAVED_TEXT] = st.session_state[state.W_WS_TEXT]
        st.session_state[state.WS_PIN] = None
        st.toast("Your note is on the map. Thank you!")
        page_setup.rerun_fragment()


@st.fragment
def map_and_notes(side: str) -> None:
    """The map with the notes layer, and beside it the note form or the step's table (redrawn on change)."""
    _drawn()
    shown = _read_notes()
    if side == "overlap":
        classification, payload = workshop_cache.load_overlap_style(YEAR, la)
    else:
        classification, payload = cache.load_classification(
            YEAR, (la,), "imd_decile", "national_deciles", 10, "viridis"
        )
    pin = st.session_state.get(state.WS_PIN)
    layer = notes.build_notes_layer(shown)
    if pin:
        import folium

        folium.CircleMarker(
            [pin["lat"], pin["lng"]], radius=14, color="#e6007e", weight=4, fill=False, interactive=False
        ).add_to(layer)
    map_col, side_col = st.columns([3, 2] if not big else [5, 3], gap="medium")
    with map_col:
        st_folium(
            _base_map(),
            key=state.W_WS_MAP,
            height=760 if big else 560,
            use_container_width=True,
            returned_objects=["last_clicked"],
            feature_group_to_add=[maps.build_style_layer(payload), layer],
            on_change=lambda: workshop_controls.pin_from_click(YEAR, (la,)),
        )
        st.caption(
            "Dots are people's notes: green + strength, orange ! concern, blue ? idea. Hover a dot to read it. "
            + BOUNDARY_ATTRIBUTION
        )
    with side_col:
        if side == "overlap":
            st.html(maps.legend_html("Domains in England's most deprived 20%", f"{la_name}, IoD2025", classification))
            st.dataframe(workshop.overlap_table(areas), hide_index=True, width="stretch")
        else:
            if side == "place":
                in_worst = int((areas[get_indicator("imd_decile").decile_column(YEAR)] == 1).sum())
                st.markdown(
                    f"**{in_worst:,} of {len(areas):,}** neighbourhoods (LSOAs) in {prepare.escape_markdown(la_name)} "
                    "are among England's most deprived 10% (IMD 2025)."
                )
                st.html(maps.legend_html("IMD decile", "IoD2025 · national deciles", classification))
            _note_form()
            if side == "told":
                st.subheader(f"Notes ({len(shown)})", anchor=False)
                st.html(notes.notes_html(shown))


if step == 1:
    map_and_notes("place")
elif step == 2:
    table = workshop.england_comparison(cache.load_areas(YEAR), la)
    page_setup.chart_beside_table(
        chart_cache.lazy(workshop_charts.comparison_bar, table, la_name, font),
        table,
        {
            "Share here": st.column_config.NumberColumn(format="percent"),
            "Share in England": st.column_config.NumberColumn(format="percent"),
        },
    )
elif step == 3:
    map_and_notes("overlap")
elif step == 4:
    map_and_notes("told")
    st.header("How do we rate our place? (Place Standard)", anchor=False)
    st.caption("1 = a lot of room for improvement, 7 = very little room for improvement. Skip any theme.")
    area_options = cache.load_area_options(YEAR, (la,))
    if ws is not None and db is not None:
        with st.form("ws.score_form"):
            place = st.selectbox(
                "Which place are you scoring?",
                [workshop.WHOLE_PLACE, *area_options],
                format_func=lambda p: workshop.place_label(p, la_name, area_options),
                key=state.W_WS_SCORE_PLACE,
            )
            cols = st.columns(2)
            given = {}
            for i, (theme, label) in enumerate(workshop.THEMES.items()):
                given[theme] = cols[i % 2].select_slider(
                    label, ["Skip", 1, 2, 3, 4, 5, 6, 7], value="Skip", key=f"ws.score.{theme}"
                )
            if st.form_submit_button("Save my scores", type="primary"):
                chosen = {t: v for t, v in given.items() if v != "Skip"}
                try:
                    workshop.validate_scores(chosen)  # a mistake does not use up the limit below
                    refusal = client.refusal("score")
                    if refusal:
                        raise workshop.WorkshopError(refusal)
                    n = community.save_scores(db, ws, participant, place, chosen)
                except workshop.WorkshopError as exc:
                    st.warning(f"Your scores were not saved: {exc}")
                except store.StoreError as exc:
                    st.error(f"Your scores were NOT saved: {prepare.escape_markdown(str(exc))}")
                else:
                    st.success(f"Saved your {n} score{'s' if n != 1 else ''}.")
    raw_scores = None
    if ws is not None and db is not None:
        try:
            raw_scores = community.list_scores(db, ws)
        except store.StoreError as exc:
            st.error(f"The scores cannot be read: {prepare.escape_markdown(str(exc))}")
    if raw_scores is not None and len(raw_scores):
        table = workshop.score_table(raw_scores)
        places = list(dict.fromkeys(table["place"]))
        shown_place = st.selectbox(
            "Compass for",
            places,
            key="ws.compass_place",
            format_func=lambda p: workshop.place_label(p, la_name, area_options),
        )
        chart_col, table_col = st.columns([3, 2], gap="medium")
        label = workshop.place_label(shown_place, la_name, area_options)
        with chart_col:
            chart_cache.show(chart_cache.lazy(workshop_charts.compass_chart, table, shown_place, label, font))
        with table_col:
            st.markdown("The compass as a table")
            st.dataframe(
                table[table["place"] == shown_place].drop(columns=["place", "theme"]),
                hide_index=True,
                width="stretch",
                column_config={"Mean": st.column_config.NumberColumn(format="%.1f")},
            )
    else:
        st.caption("No scores yet.")
elif step == 5:

    @st.fragment
    def priorities() -> None:
        """Dot-voting: the listed priorities, this person's votes left, and the live results."""
        _drawn()
        if ws is None or db is None:
            st.caption("Dot-voting needs an open workshop and the database.")
            return
        try:
            listed = community.list_priorities(db, ws)
            counts = community.vote_counts(db, ws)
            mine = community.vote_counts(db, ws, participant)
        except store.StoreError as exc:
            st.error(prepare.escape_markdown(str(exc)))
            return
        left = ws.votes_per_person - sum(mine.values())
        st.markdown(
            f"You have **{left} of {ws.votes_per_person}** votes left. Put several on one priority if you like."
        )
        if not listed:
            st.caption("The facilitator has not listed any priorities yet.")
            return
        for pid, label in listed:
            row = st.columns([6, 1, 1], vertical_alignment="center")
            row[0].markdown(f"{prepare.escape_markdown(label)} · your votes: **{mine.get(pid, 0)}**")
            if row[1].button("+ Vote", key=f"ws.vote.{pid}", disabled=left <= 0, width="stretch"):
                if refusal := client.refusal("vote"):
                    st.warning(f"Your vote was not saved: {refusal}")
                else:
                    try:
                        community.cast_vote(db, ws, participant, pid)
                    except (workshop.WorkshopError, store.StoreError) as exc:
                        st.warning(f"Your vote was not saved: {prepare.escape_markdown(str(exc))}")
                    st.rerun(scope="fragment")
            if row[2].button("− Undo", key=f"ws.unvote.{pid}", disabled=not mine.get(pid), width="stretch"):
                if refusal := client.refusal("vote"):
                    st.warning(f"Your vote was not taken back: {refusal}")
                else:
                    try:
                        community.withdraw_vote(db, ws, participant, pid)
                    except store.StoreError as exc:
                        st.warning(f"Your vote was not taken back: {prepare.escape_markdown(str(exc))}")
                    else:
                        st.rerun(scope="fragment")
        table = workshop.vote_table(listed, counts)
        page_setup.chart_beside_table(
            chart_cache.lazy(workshop_charts.votes_bar, table, font),
            table,
            {"Share of votes": st.column_config.NumberColumn(format="percent")},
        )

    priorities()
if step != 2:  # the steps that show notes or votes follow what others add
    _live_watch()

# --------------------------------------------------------------------------- facilitator and set-up


def _moderate(action) -> None:
    """Run a facilitator's hide, show or delete; a database failure is said in words and nothing changes."""
    try:
        action()
    except (workshop.ModerationError, store.StoreError) as exc:
        st.error(f"That was not done: {prepare.escape_markdown(str(exc))}")
    else:
        st.rerun()


with st.sidebar if not big else st.expander("Facilitator"):
    st.toggle("Big-screen workshop mode", key=state.W_WS_BIG, help="Large type, high contrast, no sidebar.")
    if ws is not None:
        st.markdown(f"Workshop: **{prepare.escape_markdown(ws.name)}** · each person has {ws.votes_per_person} votes.")
        st.caption(
            "Participants join on their phones with this page's link. Each browser session is one "
            "participant (a random id kept for the session; reloading the page starts a new one)."
        )
    create_refusal = access.refusal(actor, "create_workshop")
    if db is not None and ws is None and create_refusal:
        st.caption(f"Starting a workshop: {prepare.escape_markdown(create_refusal)}")
    elif db is not None and ws is None:
        with st.form("ws.new"):
            st.markdown("**Start a workshop**")
            new_la = st.selectbox(
                "Local authority",
                list(la_options),
                format_func=la_options.get,
                index=list(la_options).index(la) if la in la_options else 0,
                key="ws.new_la",
            )
            name = st.text_input("Workshop name", max_chars=workshop.NAME_MAX, key=state.W_WS_NEW_NAME)
            votes = st.number_input(
                "Votes per person",
                workshop.MIN_VOTES,
                workshop.MAX_VOTES,
                workshop.DEFAULT_VOTES,
                key=state.W_WS_NEW_VOTES,
            )
            if st.form_submit_button("Start the workshop", type="primary"):
                try:
                    workshop.validate_workshop(name, int(votes))  # a mistake does not use up the limit below
                    if refusal := client.refusal("workshop"):
                        raise workshop.WorkshopError(refusal)
                    created = community.create_workshop(db, name, new_la, int(votes), by=actor.label)
                except workshop.WorkshopError as exc:
                    st.warning(str(exc))
                except store.StoreError as exc:
                    st.error(f"The workshop was not created: {prepare.escape_markdown(str(exc))}")
                else:
                    st.session_state[state.WS_LOADED] = workshop.WorkshopView(big, 1, created.share_id, new_la)
                    st.session_state[state.W_WS_STEP] = 1
                    st.rerun()
    facilitator = access.moderator_grant()
    if facilitator is not None and ws is not None and db is not None:
        with st.form("ws.priority_form", clear_on_submit=True):
            label = st.text_input(
                "Add a priority for dot-voting", max_chars=workshop.PRIORITY_MAX, key=state.W_WS_PRIORITY
            )
            if st.form_submit_button("Add priority"):
                try:
                    community.add_priority(db, facilitator, ws, label, by=actor.label)
                except (workshop.WorkshopError, workshop.ModerationError, store.StoreError) as exc:
                    st.warning(prepare.escape_markdown(str(exc)))
        everything = _read_notes(include_hidden=True)
        if everything:
            chosen = st.selectbox(
                "Moderate a note",
                [n.id for n in everything],
                key="ws.mod_note",
                format_func=lambda i: next(
                    f"#{n.id} {'(hidden) ' if n.hidden else ''}{n.text[:40]}" for n in everything if n.id == i
                ),
            )
            target = next(n for n in everything if n.id == chosen)
            c1, c2 = st.columns(2)
            if c1.button("Show" if target.hidden else "Hide", key="ws.mod_hide"):
                _moderate(
                    lambda: community.set_note_hidden(db, facilitator, ws, chosen, not target.hidden, by=actor.label)
                )
            if c2.button("Delete", key="ws.mod_delete"):
                _moderate(lambda: community.delete_note(db, facilitator, ws, chosen, by=actor.label))


def _export_tables():
    """The priorities' votes and the raw scores for the exports, or ``None`` (with a message) if unreadable."""
    try:
        listed, counts, raw = (
            community.list_priorities(db, ws),
            community.vote_counts(db, ws),
            community.list_scores(db, ws),
        )
    except store.StoreError as exc:
        st.error(f"The exports cannot be made just now: {prepare.escape_markdown(str(exc))}")
        return None
    return workshop.vote_table(listed, counts), raw


if ws is not None and db is not None and step == 5:
    with st.expander("Export everything from this workshop", expanded=step == 5):
        # Hidden notes were hidden for a reason: only a moderator's export includes them.
        with_hidden = roles.can(actor.role, "export_hidden_notes")
        all_notes = _read_notes(include_hidden=with_hidden)
        if with_hidden:
            st.caption("As a moderator, your notes files include hidden notes (marked hidden).")
        tables = _export_tables()
        if tables is not None:
            vote_tab, raw = tables
            slug = "".join(c if c.isalnum() else "_" for c in ws.name)[:40]
            e1, e2, e3, e4, e5 = st.columns(5)
            e1.download_button("Notes (CSV)", notes.notes_csv(all_notes, ws.name), f"{slug}_notes.csv", "text/csv")
            e2.download_button(
                "Notes (GeoJSON)",
                notes.notes_geojson(all_notes, ws.name),
                f"{slug}_notes.geojson",
                "application/geo+json",
            )
            e3.download_button("Votes (CSV)", workshop.votes_csv(vote_tab, ws.name), f"{slug}_votes.csv", "text/csv")
            e4.download_button("Scores (CSV)", workshop.scores_csv(raw, ws.name), f"{slug}_scores.csv", "text/csv")
            counts = {k: sum(1 for n in all_notes if n.category == k and not n.hidden) for k in notes.CATEGORIES}
            e5.download_button(
                "One-page summary (PNG)",
                workshop.summary_png(ws.name, la_name, counts, vote_tab, workshop.score_table(raw)),
                f"{slug}_summary.png",
                "image/png",
            )

if ws is not None and db is not None:
    access.changes_expander(db, actor, ("workshop", "note", "priority"))
