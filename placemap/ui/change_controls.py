"""Controls of the change-over-time and evaluation pages, including their uploaded-data modes. Imports streamlit."""

from __future__ import annotations

import re

import streamlit as st

from placemap.analysis import (
    change,
    evaluation_inputs,
    evaluation_words,
    lsoa_change,
    measure_change_iod,
    pair_change,
    upload_evaluation,
)
from placemap.data.catalogue import DEFAULT_LA
from placemap.data.indicator_picker import SEPARATOR, THEME_LABELS
from placemap.data.measure_catalogue import THEME
from placemap.data.prepare import escape_markdown
from placemap.links import change_links, explorer_links
from placemap.links.params import la_code_named
from placemap.storage import store
from placemap.ui import cache, state, upload_cache
from placemap.ui.page_setup import clicked_point, la_picker, open_store
from placemap.ui.profile_controls import page_note, show_page_notes
from placemap.ui.upload_controls import open_shared_upload, session_areas, session_tables, session_uploads
from placemap.uploads.table import GEOGRAPHY_LABELS, LSOA11, LSOA21

EDITION_PAIRS = ((2019, 2025), (2015, 2019), (2015, 2025))
MEASURE_KEY = "change.iod_measure"


def _pair_label(pair: tuple[int, int]) -> str:
    return f"IoD{pair[0]} → IoD{pair[1]}"


def _keep_domain_of_pair(key: str, notes_key: str, ids: list[str], before: int, after: int, verb: str) -> None:
    # A domain not ranked in both editions falls back to the IMD, saying so on the page.
    if st.session_state.get(key) not in ids:
        old = st.session_state.get(key)
        if old:
            page_note(
                notes_key,
                f"{change.domain_label(old)} is not published in both IoD{before} and IoD{after}; {verb} the IMD.",
            )
        st.session_state[key] = "imd"


def show_notes_for(key: str) -> None:
    """Show a page's fallback notes (invalid link values and the like) as one visible message."""
    show_page_notes(key)


def _clear(key: str):
    return lambda: st.session_state.__setitem__(key, [])


def change_controls(la_options: dict[int, dict[str, str]]) -> change_links.ChangeView:
    """The change page's sidebar: editions, domain, measure, place and area; returns the validated view."""
    if state.W_CH_BEFORE not in st.session_state:
        view, notes = state.read_change_view(la_options)
        st.session_state[state.W_CH_BEFORE] = (view.before, view.after)
        st.session_state[state.W_CH_DOMAIN] = view.domain
        st.session_state[state.W_CH_MEASURE] = view.measure
        st.session_state[state.W_CH_LA] = view.la
        st.session_state[state.W_CH_AREA] = view.area
        st.session_state[state.CH_NOTES] = list(notes)
    clear = _clear(state.CH_NOTES)

    st.sidebar.subheader("Compare")
    if tuple(st.session_state[state.W_CH_BEFORE]) not in EDITION_PAIRS:
        st.session_state[state.W_CH_BEFORE] = EDITION_PAIRS[0]
    before, after = st.sidebar.selectbox(
        "Editions (from → to)", EDITION_PAIRS, format_func=_pair_label, key=state.W_CH_BEFORE, on_change=clear
    )
    domains = change.domains_with_ranks(before, after)
    ids = [d.id for d in domains]
    _keep_domain_of_pair(state.W_CH_DOMAIN, state.CH_NOTES, ids, before, after, "showing")
    domain = st.sidebar.selectbox(
        "Domain (with ranks in both editions)",
        ids,
        format_func=change.domain_label,
        key=state.W_CH_DOMAIN,
        on_change=clear,
    )
    if before == 2015:
        st.sidebar.caption("IoD2015 is bundled with the IMD and its sub-domains only.")
    measure = st.sidebar.radio(
        "Change in", list(change.MEASURES), format_func=change.MEASURES.get, key=state.W_CH_MEASURE
    )

    st.sidebar.subheader("Place")
    geo_year = lsoa_change.geography_year(before, after)
    la, area = _place_picker(
        (state.W_CH_LA, state.W_CH_AREA), state.CH_NOTES, geo_year, la_options[geo_year], None, "Area trend for", clear
    )
    return change_links.ChangeView(before=before, after=after, domain=domain, measure=measure, la=la, area=area)


def evaluation_controls(la_options: dict[int, dict[str, str]], uploaded: tuple | None = None) -> dict:
    """The evaluation page's sidebar (editions, domain, measure, matching); returns the chosen values.

    ``outcome`` is the indicator pair evaluated (``evaluation_words.Outcome``) and ``saved_outcome``
    what an intervention saves of an uploaded one. ``uploaded`` (a table and two of its columns):
    the editions are set by the upload's LSOAs, so the edition, domain and measure pickers are not shown.
    """
    saved_outcome = upload_evaluation.outcome_for(*uploaded) if uploaded else None
    fixed_pair = upload_evaluation.PAIRS[saved_outcome.geography] if saved_outcome else None
    st.session_state.setdefault(state.W_EV_BEFORE, EDITION_PAIRS[0])
    st.session_state.setdefault(state.W_EV_K, 3)
    st.session_state.setdefault(state.W_EV_BOOT, evaluation_inputs.DEFAULT_BOOT)
    st.session_state.setdefault(state.W_EV_SEED, evaluation_inputs.DEFAULT_SEED)
    if fixed_pair is not None:
        before, after = fixed_pair
        domain, measure = "imd", lsoa_change.POSITION
    else:
        st.sidebar.subheader("What to compare")
        if tuple(st.session_state[state.W_EV_BEFORE]) not in EDITION_PAIRS:
            st.session_state[state.W_EV_BEFORE] = EDITION_PAIRS[0]
        before, after = st.sidebar.selectbox(
            "Editions: before → after the intervention", EDITION_PAIRS, format_func=_pair_label, key=state.W_EV_BEFORE
        )
        ids = [d.id for d in change.domains_with_ranks(before, after)]
        _keep_domain_of_pair(state.W_EV_DOMAIN, state.EV_NOTES, ids, before, after, "using")
        domain = st.sidebar.selectbox(
            "Domain the intervention aims at", ids, format_func=change.domain_label, key=state.W_EV_DOMAIN
        )
        measure = st.sidebar.radio(
            "Measure", list(change.MEASURES), format_func=change.MEASURES.get, key=state.W_EV_MEASURE
        )
    st.sidebar.subheader("Comparison group")
    k = st.sidebar.slider(
        "Comparison LSOAs per intervention LSOA",
        evaluation_inputs.MIN_NEIGHBOURS,
        evaluation_inputs.MAX_NEIGHBOURS,
        key=state.W_EV_K,
        help="Nearest neighbours on the baseline edition's domain profile, chosen with replacement.",
    )
    same_region = st.sidebar.checkbox("Only from the same region", key=state.W_EV_REGION)
    exclude_la = st.sidebar.checkbox("Not from the same local authority", key=state.W_EV_EXCLUDE_LA)
    with st.sidebar.expander("Bootstrap"):
        n_boot = st.number_input(
            "Bootstrap draws", evaluation_inputs.MIN_BOOT, evaluation_inputs.MAX_BOOT, step=100, key=state.W_EV_BOOT
        )
        seed = st.number_input("Seed (same seed, same interval)", 0, 2**31 - 1, step=1, key=state.W_EV_SEED)
    geo_year = lsoa_change.geography_year(before, after)
    options = la_options[geo_year]
    if st.session_state.get(state.W_EV_LA) not in options:
        st.session_state[state.W_EV_LA] = DEFAULT_LA if DEFAULT_LA in options else next(iter(options))
    return {
        "before": before,
        "after": after,
        "domain": domain,
        "measure": measure,
        "n_neighbours": int(k),
        "same_region": bool(same_region),
        "exclude_same_la": bool(exclude_la),
        "n_boot": int(n_boot),
        "seed": int(seed),
        "geo_year": geo_year,
        "la_options": options,
        "saved_outcome": saved_outcome,
        "outcome": evaluation_words.uploaded_outcome(
            *uploaded[1:], upload_evaluation.outcome_year(saved_outcome.geography)
        )
        if uploaded
        else evaluation_words.official_outcome(domain, before, after, measure),
    }


def outcome_values(uploaded: tuple | None, year: int) -> tuple | None:
    """An uploaded outcome's two columns on edition ``year``'s LSOAs (``None`` for an IoD domain).

    Raises ``EvaluationError`` saying why the columns cannot be an outcome.
    """
    if not uploaded:
        return None
    values = upload_evaluation.joined_outcome(*uploaded, cache.load_areas(year))
    if isinstance(values, str):
        raise evaluation_inputs.EvaluationError(values)
    return values


def seed_saved_intervention(intervention, geo_la_of) -> None:
    """Put a saved intervention's definition into the evaluation page's widgets (before they are drawn).

    ``geo_la_of`` maps the first area code to the LA to show on the map (or ``None``).
    """
    st.session_state[state.W_EV_BEFORE] = (intervention.before, intervention.after)
    st.session_state[state.W_EV_DOMAIN] = intervention.domain
    st.session_state[state.W_EV_MEASURE] = intervention.measure
    st.session_state[state.W_EV_NAME] = intervention.name
    st.session_state[state.W_EV_CODES] = list(intervention.area_codes)
    st.session_state[state.W_EV_K] = intervention.options.n_neighbours
    st.session_state[state.W_EV_REGION] = intervention.options.same_region
    st.session_state[state.W_EV_EXCLUDE_LA] = intervention.options.exclude_same_la
    st.session_state[state.W_EV_BOOT] = intervention.n_boot
    st.session_state[state.W_EV_SEED] = intervention.seed
    la = geo_la_of(intervention.area_codes[0]) if intervention.area_codes else None
    if la:
        st.session_state[state.W_EV_LA] = la
    seed_saved_outcome(intervention)


def add_codes(codes: list[str]) -> None:
    """Add area codes to the intervention's selection (keeping order, no repeats)."""
    current = list(st.session_state.get(state.W_EV_CODES) or [])
    st.session_state[state.W_EV_CODES] = list(dict.fromkeys([*current, *codes]))


def toggle_code_on_click(year: int, la_codes: tuple[str, ...]) -> None:
    """``st_folium`` callback on the evaluation map: a click adds or removes the LSOA under it."""
    point = clicked_point(state.W_EV_MAP)
    if point is None:
        return
    lat, lng = point
    code = cache.area_at(year, la_codes, lat, lng)
    if not code:
        return
    current = list(st.session_state.get(state.W_EV_CODES) or [])
    st.session_state[state.W_EV_CODES] = [c for c in current if c != code] if code in current else [*current, code]


def parse_pasted_codes(text: str) -> list[str]:
    """Area codes typed or pasted in any layout (commas, spaces, new lines), upper-cased, no repeats.

    Example
    -------
    >>> parse_pasted_codes("e01012662, E01012663\\nE01012662")
    ['E01012662', 'E01012663']
    """
    return list(dict.fromkeys(t.upper() for t in re.split(r"[\s,;]+", text or "") if t))


def open_shared_intervention(db, share_id: str | None) -> None:
    """Fill the evaluation form from a ``?intervention=<id>`` link, once per id, with a note either way.

    ``db`` is the open store (or ``None`` when the database is unavailable).
    """
    if not share_id or st.session_state.get(state.EV_LOADED) == share_id:
        return
    st.session_state[state.EV_LOADED] = share_id
    saved, problem = None, "The saved intervention cannot be opened because the database is unavailable (see below)."
    if db is not None:
        try:
            saved = db.get_intervention(share_id)
            problem = f"No saved intervention has the link id {escape_markdown(share_id)}; starting a new one."
        except store.StoreError as exc:
            problem = escape_markdown(str(exc))
    if saved is None:
        page_note(state.EV_NOTES, problem)
        return
    i = saved.intervention
    areas = cache.load_areas(lsoa_change.geography_year(i.before, i.after))
    seed_saved_intervention(i, lambda code: areas["la_code"].get(code) if code in areas.index else None)
    st.session_state[state.EV_SAVED] = i
    page_note(
        state.EV_NOTES,
        f"Opened the saved intervention **{escape_markdown(i.name)}** (saved {saved.created_at:%d %B %Y, %H:%M} UTC).",
    )


def _open_linked_upload(dataset_id: str, notes_key: str) -> None:
    """Open a saved upload named by a link into the session, moving its notes to ``notes_key``.

    "No saved dataset has that id" is left out: the caller says plainly that the data is not here.
    """
    db, _problem = open_store()
    open_shared_upload(db, dataset_id)
    for note in st.session_state.pop(state.UP_NOTES, []):
        if not note.startswith("No saved dataset has the link id"):
            page_note(notes_key, note)


def _seed_pair_change() -> None:
    link, notes = change_links.parse_upload_change_link(st.query_params.to_dict())
    for note in notes:
        page_note(state.CH_UP_NOTES, note)
    st.session_state[state.W_CH_SOURCE] = change_links.CH_SOURCE_IOD
    params = st.query_params.to_dict()
    if params.get(explorer_links.LA):
        st.session_state[state.W_CH_ULA] = params[explorer_links.LA]
    if params.get(explorer_links.AREA):
        st.session_state[state.W_CH_UAREA] = str(params[explorer_links.AREA]).upper()
    if link.measure is not None:
        st.session_state[state.W_CH_SOURCE] = change_links.CH_SOURCE_MEASURE
        st.session_state[MEASURE_KEY] = link.measure
    if link.dataset is None:
        return
    if link.dataset not in session_uploads():
        _open_linked_upload(link.dataset, state.CH_UP_NOTES)
    table = next((t for t in session_tables() if t.id == link.dataset), None)
    if table is None:
        page_note(
            state.CH_UP_NOTES,
            f"The link's uploaded data ({escape_markdown(link.dataset)}) is not in this session: uploads stay in the "
            "browser session that made them unless they are saved. Upload it again on the Bring your own data page; "
            "showing the Indices of Deprivation meanwhile.",
        )
        return
    st.session_state[state.W_CH_SOURCE] = change_links.CH_SOURCE_UPLOAD
    st.session_state[state.W_CH_TABLE] = table.id
    n = len(table.specs)
    for key, position, default, word in (
        (state.W_CH_UBEFORE, link.before, 0, "first"),
        (state.W_CH_UAFTER, link.after, n - 1, "last"),
    ):
        if position is not None and position >= n:
            page_note(state.CH_UP_NOTES, f"Your data has {n} column(s), not {position + 1}; using the {word}.")
            position = None
        st.session_state[key] = default if position is None else position


def _place_picker(keys: tuple[str, str], notes_key: str, year: int, options: dict, whole, label: str, clear=None):
    """The sidebar's local authority (a code or name) and LSOA of it (``whole``: the whole LA), falling back with a note."""
    la_key, area_key = keys
    current = st.session_state.get(la_key)
    if current not in options:
        named = la_code_named(str(current or ""), options)
        la = named or next((c for c in (st.session_state.get(state.W_CH_LA), DEFAULT_LA) if c in options), None)
        la = la or next(iter(options))
        if current and not named:
            on = lsoa_change.GEOGRAPHY_LABELS[lsoa_change.geography(year)]
            page_note(
                notes_key,
                f'"{escape_markdown(str(current)[:40])}" is not a local authority on {on}; showing {options[la]}.',
            )
        st.session_state[la_key], st.session_state[area_key] = la, whole
    la = la_picker(
        la_key, options, on_change=lambda: (clear and clear(), st.session_state.__setitem__(area_key, whole))
    )
    area_options = cache.load_area_options(year, (la,))
    if st.session_state.get(area_key) not in area_options and st.session_state.get(area_key) != whole:
        if st.session_state.get(area_key):
            page_note(notes_key, f"That LSOA is not in {options[la]} on these LSOAs; showing the whole LA.")
        st.session_state[area_key] = whole
    area = st.sidebar.selectbox(
        f"{label} (an LSOA, or the whole LA)",
        [whole, *area_options],
        format_func=lambda c: f"The whole of {options[la]}" if c == whole else area_options[c],
        key=area_key,
    )
    return la, area


def _pair_sources(tables: list) -> dict[str, str]:
    sources = {
        change_links.CH_SOURCE_IOD: "The Indices of Deprivation (between editions)",
        change_links.CH_SOURCE_MEASURE: "A measure behind the indices (IoD2019 → IoD2025)",
    }
    if tables:
        sources[change_links.CH_SOURCE_UPLOAD] = "Your data (two columns of an uploaded table)"
    return sources


def _table_columns(tables: list, keys: tuple[str, str, str], labels: tuple[str, str]) -> tuple:
    """An uploaded table and the positions of two of its columns picked in the sidebar (``None`` for one column)."""
    table_key, *column_keys = keys
    by_id = {t.id: t for t in tables}
    if st.session_state.get(table_key) not in by_id:
        st.session_state[table_key] = next(iter(pair_change.tables_with_pairs(tables) or tables)).id
    table = by_id[
        st.sidebar.selectbox(
            "Uploaded table",
            list(by_id),
            key=table_key,
            format_func=lambda i: f"{by_id[i].name} ({len(by_id[i].specs)} column{'s' * (len(by_id[i].specs) != 1)})",
        )
    ]
    st.sidebar.caption(f"On {GEOGRAPHY_LABELS[table.geography]}.")
    n = len(table.specs)
    if n < 2:
        return table, None, None
    names = [ind.label for ind in table.indicators()]
    positions = []
    for key, default, label in zip(column_keys, (0, n - 1), labels, strict=True):
        if st.session_state.get(key) not in range(n):
            st.session_state[key] = default
        positions.append(int(st.sidebar.selectbox(label, list(range(n)), format_func=names.__getitem__, key=key)))
    return table, *positions


def _measure_choice() -> str:
    measures = {m.id: m for m in measure_change_iod.comparable_measures()}
    if st.session_state.get(MEASURE_KEY) not in measures:
        st.session_state[MEASURE_KEY] = next(iter(measures))
    return st.sidebar.selectbox(
        "Measure (only those whose definition did not change)",
        list(measures),
        format_func=lambda i: f"{THEME_LABELS[THEME[measures[i].theme]]}{SEPARATOR}{measures[i].label}",
        key=MEASURE_KEY,
    )


def pair_change_controls(la_options: dict[int, dict[str, str]]) -> change_links.UploadChangeView | None:
    """The change page's sidebar for change between two indicators; ``None`` when it shows the indices' ranks.

    Two editions of a measure behind the indices, or (when this session holds uploaded
    indicators, or a link names one) two columns of an uploaded table. The view's
    ``problem`` is set (and nothing else matters) when the chosen table has one column.
    """
    if state.W_CH_SOURCE not in st.session_state:
        _seed_pair_change()
    tables = session_tables()
    sources = _pair_sources(tables)
    if st.session_state.get(state.W_CH_SOURCE) not in sources:
        st.session_state[state.W_CH_SOURCE] = change_links.CH_SOURCE_IOD
    st.sidebar.subheader("Show change in")
    source = st.sidebar.radio(
        "Show change in", list(sources), format_func=sources.get, key=state.W_CH_SOURCE, label_visibility="collapsed"
    )
    if source == change_links.CH_SOURCE_IOD:
        return None
    if source == change_links.CH_SOURCE_MEASURE:
        (measure, before, after), year, dataset = (_measure_choice(), 0, 1), 2025, None
    else:
        keys = (state.W_CH_TABLE, state.W_CH_UBEFORE, state.W_CH_UAFTER)
        table, *columns = _table_columns(tables, keys, ("Before (the earlier column)", "After (the later column)"))
        if columns[0] is None:
            return change_links.UploadChangeView(dataset=table.id, problem=pair_change.ONE_COLUMN_NOTE)
        (measure, before, after), dataset = (None, *columns), table.id
        codes_by_year = {
            y: set(cache.load_areas(y)["ward_code" if table.geography == "ward" else "la_code"]) for y in (2025, 2019)
        }
        year = pair_change.edition_year(table, codes_by_year)
    little = st.sidebar.number_input(
        "Little change: less than (in the data's units)",
        min_value=0.0,
        value=None,
        step=None,
        format="%g",
        key=state.W_CH_LITTLE,
        placeholder="a round number from the data",
        help="Changes smaller than this either way are grey. Leave empty for a round number set from the spread of the changes.",
    )

    st.sidebar.subheader("Place")
    # "" is the whole LA (a None value would show as "no choice")
    keys = (state.W_CH_ULA, state.W_CH_UAREA)
    la, area = _place_picker(keys, state.CH_UP_NOTES, year, la_options[year], "", "Before and after for")
    return change_links.UploadChangeView(
        dataset=dataset,
        before=before,
        after=after,
        la=la,
        area=area or None,
        little=None if little is None else float(little),
        year=year,
        measure=measure,
    )


def evaluation_outcome_controls():
    """The evaluation page's "Outcome" choice (only when this session holds uploaded indicators).

    Returns ``(table, before, after)`` for an uploaded outcome, else ``None``; and a plain
    message when "your data" is chosen but no table can be an outcome.
    """
    tables = session_tables()
    if not tables:
        st.session_state[state.W_EV_OUTCOME] = change_links.CH_SOURCE_IOD
        return None, ""
    sources = {
        change_links.CH_SOURCE_IOD: "A domain of the Indices of Deprivation (between editions)",
        change_links.CH_SOURCE_UPLOAD: "Your data (two columns of an uploaded LSOA table)",
    }
    st.session_state.setdefault(state.W_EV_OUTCOME, change_links.CH_SOURCE_IOD)
    st.sidebar.subheader("Outcome")
    source = st.sidebar.radio(
        "Outcome", list(sources), format_func=sources.get, key=state.W_EV_OUTCOME, label_visibility="collapsed"
    )
    if source != change_links.CH_SOURCE_UPLOAD:
        return None, ""
    usable = [t for t in pair_change.tables_with_pairs(tables) if t.geography in (LSOA11, LSOA21)]
    if not usable:
        return None, (
            "None of your uploaded tables can be an outcome: an outcome needs an LSOA table (2011 or 2021 codes) "
            "with two columns. " + pair_change.ONE_COLUMN_NOTE + " The outcome below is the Indices of Deprivation."
        )
    keys = (state.W_EV_OTABLE, state.W_EV_OBEFORE, state.W_EV_OAFTER)
    table, before, after = _table_columns(usable, keys, ("Before the intervention", "After the intervention"))
    indicators = table.indicators()
    error, cautions = pair_change.pair_problems(indicators[before], indicators[after])
    if error:
        return None, error + " The outcome below is the Indices of Deprivation."
    for caution in cautions:
        st.sidebar.warning(escape_markdown(caution))
    return (table, indicators[before], indicators[after]), ""


def seed_saved_outcome(intervention) -> None:
    """Put a saved intervention's uploaded outcome into the widgets, or a plain note when its upload is absent."""
    st.session_state[state.EV_RULE] = (intervention.selection_rule, tuple(intervention.area_codes))
    outcome = intervention.outcome
    if outcome is None:
        st.session_state[state.W_EV_OUTCOME] = change_links.CH_SOURCE_IOD
        return
    found = upload_evaluation.find_outcome(session_tables(), outcome)
    if found is None and outcome.dataset_id not in session_uploads():
        _open_linked_upload(outcome.dataset_id, state.EV_NOTES)  # a saved upload opens from the database
        found = upload_evaluation.find_outcome(session_tables(), outcome)
    if found is None:
        page_note(
            state.EV_NOTES,
            upload_evaluation.NOT_IN_SESSION.format(
                name=escape_markdown(outcome.dataset_name),
                before=escape_markdown(outcome.before_label),
                after=escape_markdown(outcome.after_label),
            ),
        )
        st.session_state[state.W_EV_OUTCOME] = change_links.CH_SOURCE_IOD
        return
    table, before, after = found
    ids = [i.id for i in table.indicators()]
    st.session_state[state.W_EV_OUTCOME] = change_links.CH_SOURCE_UPLOAD
    st.session_state[state.W_EV_OTABLE] = table.id
    st.session_state[state.W_EV_OBEFORE] = ids.index(before.id)
    st.session_state[state.W_EV_OAFTER] = ids.index(after.id)


def treated_from_uploaded_areas(geo_year: int, areas_all) -> None:
    """Choose the intervention's LSOAs from uploaded areas: the rule, the LSOAs it picks, and an "Add" button."""
    from placemap.uploads import uploaded_boundaries as ub

    datasets = {d.id: d for d in session_areas()}
    if not datasets:
        return
    st.markdown("**From your uploaded areas**")
    if st.session_state.get(state.W_EV_AREAS_SET) not in datasets:
        st.session_state[state.W_EV_AREAS_SET] = next(iter(datasets))
    chosen_set = datasets[
        st.selectbox("Uploaded areas", list(datasets), format_func=lambda i: datasets[i].name, key=state.W_EV_AREAS_SET)
    ]
    names = dict(zip(chosen_set.areas[ub.AREA_ID], chosen_set.areas[ub.AREA_LABEL], strict=True))
    picked = [a for a in (st.session_state.get(state.W_EV_AREAS) or []) if a in names]
    st.session_state[state.W_EV_AREAS] = picked
    picked = st.multiselect(
        "Areas",
        list(names),
        format_func=names.get,
        key=state.W_EV_AREAS,
        placeholder="Choose one or more of your areas",
    )
    percent = st.slider(
        "Share of an LSOA's population inside, at least (%)",
        upload_evaluation.MIN_SHARE_PERCENT,
        upload_evaluation.MAX_SHARE_PERCENT,
        int(upload_evaluation.DEFAULT_SHARE * 100),
        step=5,
        key=state.W_EV_SHARE,
    )
    threshold = percent / 100
    st.caption(
        f"Rule: an LSOA is in the intervention when at least {percent}% of its population lives inside the chosen "
        "area(s), estimated by population-weighted overlay: the LSOA's population times the share of its area "
        "inside (people assumed spread evenly within each LSOA)."
    )
    if not picked:
        return
    geojson = chosen_set.areas[[ub.AREA_ID, ub.AREA_LABEL, "geometry"]].to_json()
    weights = upload_cache.load_upload_overlay(geo_year, chosen_set.id, geojson)
    shares = upload_evaluation.lsoas_in_areas(weights, picked, threshold)
    table = upload_evaluation.chosen_table(shares, areas_all)
    codes = list(shares.loc[shares["included"], "area_code"])
    st.markdown(f"{len(codes):,} of the {len(shares):,} LSOAs that overlap meet the rule:")
    st.dataframe(table, hide_index=True, width="stretch", height=min(36 * (len(table) + 1) + 2, 260))
    if st.button(f"Add these {len(codes):,} LSOAs", disabled=not codes, key=state.W_EV_ADD_AREAS):
        add_codes(codes)
        rule = upload_evaluation.selection_rule(chosen_set.name, [names[a] for a in picked], threshold)
        st.session_state[state.EV_RULE] = (rule, tuple(st.session_state[state.W_EV_CODES]))
        st.rerun()


def selection_rule_now(codes: list[str]) -> str:
    """The rule that chose the current LSOAs from uploaded areas ("" if none), noting later edits by hand."""
    rule, chosen = st.session_state.get(state.EV_RULE) or ("", ())
    if not rule:
        return ""
    return rule if set(chosen) == set(codes) else f"{rule} Then edited by hand."[:1000]
