"""Shared pickers with stable keys, seeded from the URL and validated before drawing.

A widget's stored value is checked against its current options *before* the
widget is created, so a stale or hostile value (from a link, or left over after
the edition changed) falls back with a visible note instead of an exception.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from placemap.analysis import hotspots, priority, systems
from placemap.analysis.classify import MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES
from placemap.data.catalogue import (
    DEFAULT_INDICATOR,
    DEFAULT_LA,
    LSOA_DEFAULT_LIMIT,
    VINTAGES,
    domains_for,
    get_domain,
    get_indicator,
    measure_label,
    measures_for,
)
from placemap.data.loaders import AREA_NAME, LA_CODE, DataFileError
from placemap.render import export
from placemap.render.maps import BASEMAPS
from placemap.ui import cache, places, state


def edition_picker(key: str, years, on_change=None, args: tuple = (), help: str | None = None) -> int:
    """The sidebar's edition picker ("IoD2025", ...), shared by every page that has one."""
    return st.sidebar.selectbox(
        "Edition of the Indices of Deprivation",
        list(years),
        format_func=lambda y: f"IoD{y}",
        key=key,
        on_change=on_change,
        args=args,
        help=help,
    )


def la_options_all() -> dict[int, dict[str, str]]:
    """LA code -> name for every edition whose data loads; a broken edition is left out, with a note."""
    options = {}
    for v in VINTAGES:
        try:
            options[v.year] = cache.load_la_options(v.year)
        except DataFileError as problem:
            st.warning(f"{v.label} is unavailable: {problem}", icon=":material/warning:")
    if not options:
        raise DataFileError("no edition of the Indices of Deprivation could be loaded")
    return options


def show_data_problem(problem: Exception) -> None:
    """Explain a missing or corrupt data file in plain words (instead of a traceback)."""
    st.error(
        f"Placemap could not load a data file it needs for this page: {problem}. "
        "Other pages that do not need this file still work. Reinstall the bundled data "
        "(`git checkout -- data/`) or rebuild it with `scripts/build_data.py`.",
        icon=":material/error:",
    )


def _note(text: str) -> None:
    st.session_state.setdefault(state.NOTES, []).append(text)


def clear_notes() -> None:
    """Forget fallback notes once the user changes the view themselves."""
    st.session_state[state.NOTES] = []


def _seed(view: state.View) -> None:
    ind = get_indicator(view.indicator)
    st.session_state[state.W_YEAR] = view.year
    st.session_state[state.W_LA] = view.la
    st.session_state[state.W_PLACE] = view.place
    st.session_state[state.W_LAS] = list(view.las)
    st.session_state[state.W_REGION] = view.region
    if view.place != state.PLACE_LA and view.geo:
        st.session_state[state.W_GEO] = view.geo
    st.session_state[state.W_DOMAIN] = ind.domain
    st.session_state[state.W_MEASURE] = ind.id
    st.session_state[state.W_SCHEME] = view.scheme
    st.session_state[state.W_CLASSES] = view.k
    st.session_state[state.W_PALETTE] = view.palette
    st.session_state[state.W_BASEMAP] = view.basemap
    st.session_state[state.W_AREA] = view.area


def explorer_controls(la_options: dict[int, dict[str, str]]) -> state.View:
    """Draw the map explorer's sidebar controls and return the validated view."""
    if state.W_YEAR not in st.session_state:
        view, notes = state.read_view(la_options, cache.load_region_options(2025))
        _seed(view)
        st.session_state[state.NOTES] = list(notes)

    st.sidebar.subheader("Place")
    if st.session_state.get(state.W_YEAR) not in la_options:
        st.session_state[state.W_YEAR] = next(iter(la_options))
    year = edition_picker(state.W_YEAR, [v.year for v in VINTAGES if v.year in la_options], clear_notes)
    options = la_options[year]
    region_options = cache.load_region_options(year)
    place = st.sidebar.radio(
        "Show", list(state.PLACE_KINDS), format_func=state.PLACE_KINDS.get, key=state.W_PLACE, on_change=_place_changed
    )
    if st.session_state.get(state.W_LA) not in options:
        old = st.session_state.get(state.W_LA)
        if old:
            _note(
                f"{old} is not a local authority in IoD{year}'s geography; showing {options.get(DEFAULT_LA, DEFAULT_LA)}."
            )
        st.session_state[state.W_LA] = DEFAULT_LA if DEFAULT_LA in options else next(iter(options))
        st.session_state[state.W_AREA] = None
    la = st.session_state[state.W_LA]
    las: tuple[str, ...] = ()
    region = None
    if place == state.PLACE_LA:
        la = st.sidebar.selectbox(
            "Local authority (type to search)", list(options), format_func=options.get, key=state.W_LA,
            on_change=_la_changed,
        )  # fmt: skip
    elif place == state.PLACE_LAS:
        kept = [c for c in st.session_state.get(state.W_LAS) or [] if c in options]
        st.session_state[state.W_LAS] = kept or [la]
        las = tuple(
            st.sidebar.multiselect(
                "Local authorities (type to add)", list(options), format_func=options.get, key=state.W_LAS,
                max_selections=state.MAX_LAS, on_change=_la_changed,
            )
        ) or (la,)  # fmt: skip
    elif place == state.PLACE_REGION:
        if st.session_state.get(state.W_REGION) not in region_options:
            st.session_state[state.W_REGION] = next(iter(region_options))
        region = st.sidebar.selectbox(
            "Region", list(region_options), format_func=region_options.get, key=state.W_REGION, on_change=_la_changed
        )

    regions = cache.load_regions(year)
    probe = state.View(year=year, la=la, place=place, las=las, region=region)
    la_codes = places.place_la_codes(probe, options, regions)
    n_lsoas = cache.count_lsoas(year, la_codes)
    geo = state.GEO_LSOA
    if place != state.PLACE_LA:
        if st.session_state.get(state.W_GEO) not in state.GEOGRAPHIES:
            st.session_state[state.W_GEO] = state.GEO_LA if n_lsoas > LSOA_DEFAULT_LIMIT else state.GEO_LSOA
        geo = st.sidebar.radio(
            "Draw", list(state.GEOGRAPHIES), format_func=state.GEOGRAPHIES.get, key=state.W_GEO, on_change=clear_notes,
            help="Local authorities: the share of each LA's LSOAs in England's most deprived 10%.",
        )  # fmt: skip
    area = None
    if geo == state.GEO_LSOA and n_lsoas <= AREA_LIST_LIMIT:
        # Before the map in the tab order: the keyboard route to selecting an area.
        area = area_picker(cache.load_area_options(year, la_codes), places.place_label(probe, options, region_options))
    elif geo == state.GEO_LSOA:
        area = _valid_area(year, la_codes)
        st.sidebar.caption(f"{n_lsoas:,} LSOAs: click the map to select one, or pick one local authority to list them.")

    st.sidebar.subheader("Indicator")
    domains = domains_for(year)
    domain_ids = [d.id for d in domains]
    previous = st.session_state.get(state.W_MEASURE) or DEFAULT_INDICATOR
    if st.session_state.get(state.W_DOMAIN) not in domain_ids:
        _note(f"{get_domain(st.session_state[state.W_DOMAIN]).label} is not published in IoD{year}; showing the IMD.")
        st.session_state[state.W_DOMAIN] = "imd"
    domain = st.sidebar.selectbox(
        "Domain",
        domain_ids,
        format_func=lambda d: get_domain(d).label,
        key=state.W_DOMAIN,
        on_change=clear_notes,
    )
    measures = measures_for(year, domain)
    measure_ids = [m.id for m in measures]
    if st.session_state.get(state.W_MEASURE) not in measure_ids:
        kind = get_indicator(previous).measure
        same_kind = [m.id for m in measures if m.measure == kind and m.subdomain is None]
        st.session_state[state.W_MEASURE] = same_kind[0] if same_kind else measure_ids[0]
        if get_indicator(previous).domain == domain:
            _note(
                f"{get_indicator(previous).label} is not published in IoD{year}; showing {get_indicator(st.session_state[state.W_MEASURE]).label}."
            )
    indicator = st.sidebar.selectbox(
        "Measure",
        measure_ids,
        format_func=lambda i: measure_label(get_indicator(i)),
        key=state.W_MEASURE,
        on_change=clear_notes,
    )

    st.sidebar.subheader("Colours")
    scheme = st.sidebar.selectbox("Classification", list(SCHEMES), format_func=SCHEMES.get, key=state.W_SCHEME)
    if scheme == "national_deciles":
        # Not a disabled slider: disabled controls are hard to read (and skipped by screen readers).
        st.sidebar.caption("National deciles always use England's ten deciles.")
        k = 10
    else:
        k = st.sidebar.slider("Number of classes", MIN_CLASSES, MAX_CLASSES, key=state.W_CLASSES)
    palette = st.sidebar.selectbox(
        "Palette (colour-blind safe)",
        list(PALETTES),
        format_func=lambda p: PALETTES[p][0],
        key=state.W_PALETTE,
    )
    basemap = st.sidebar.radio("Basemap", list(BASEMAPS), format_func=BASEMAPS.get, key=state.W_BASEMAP)
    return state.View(
        year=year,
        la=la,
        place=place,
        las=las,
        region=region,
        geo=geo,
        indicator=indicator,
        scheme=scheme,
        k=k,
        palette=palette,
        area=area,
        basemap=basemap,
    )


AREA_LIST_LIMIT = 5_000  # longer lists are slow to send and to scroll; pick an LA instead


def _la_changed() -> None:
    clear_notes()
    st.session_state[state.W_AREA] = None


def _place_changed() -> None:
    _la_changed()
    st.session_state.pop(state.W_GEO, None)  # re-choose the default geography for the new place


def _valid_area(year: int, la_codes: tuple[str, ...]) -> str | None:
    code = st.session_state.get(state.W_AREA)
    if code and cache.area_in_place(year, la_codes, code):
        return code
    if code:
        _note(f"{code} is not an LSOA of this place in IoD{year}; no area is selected.")
    st.session_state[state.W_AREA] = None
    return None


def area_picker(area_options: dict[str, str], la_name: str) -> str | None:
    """The keyboard route to selecting an area: a searchable list of the place's LSOAs."""
    current = st.session_state.get(state.W_AREA)
    if current and current not in area_options:
        _note(f"{current} is not an LSOA of {la_name} in this edition; no area is selected.")
        st.session_state[state.W_AREA] = None
    return st.sidebar.selectbox(
        "Area: an LSOA (type a name or code, or click the map)",
        [None, *area_options],
        format_func=lambda c: "—" if c is None else area_options[c],
        key=state.W_AREA,
    )


def clicked_point(map_key: str) -> tuple[float, float] | None:
    """The point last clicked on the ``st_folium`` map stored under ``map_key``, or ``None`` (no click, or junk)."""
    value = st.session_state.get(map_key) or {}
    clicked = value.get("last_clicked") if isinstance(value, dict) else None
    if not clicked:
        return None
    try:
        return float(clicked["lat"]), float(clicked["lng"])
    except (KeyError, TypeError, ValueError):
        return None


def handle_map_click(year: int, la_codes: tuple[str, ...], geo: str = state.GEO_LSOA) -> None:
    """``st_folium`` callback: turn a clicked point into the selected area (runs before the page).

    On the local-authority summary map a click opens that LA at LSOA level instead.
    """
    point = clicked_point(state.W_MAP)
    if point is None:
        return
    lat, lng = point
    if geo == state.GEO_LA:
        la = cache.la_at(year, la_codes, lat, lng)
        if la:
            st.session_state[state.W_PLACE] = state.PLACE_LA
            st.session_state[state.W_LA] = la
            st.session_state[state.W_AREA] = None
            st.session_state.pop(state.W_GEO, None)
            clear_notes()
        return
    code = cache.area_at(year, la_codes, lat, lng)
    if code:
        st.session_state[state.W_AREA] = code
        clear_notes()


def show_notes() -> None:
    """Show the fallback notes (invalid link values and the like) as one visible message."""
    notes = st.session_state.get(state.NOTES) or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


HOUSE_CSS = """
<style>
/* Streamlit's captions are light grey (contrast 3.9:1); darken them to pass WCAG AA 4.5:1. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4a4a4a !important; opacity: 1 !important; }
[data-testid="stSidebar"] [data-testid="stCaptionContainer"] p { color: #454545 !important; }
</style>
"""


def apply_house_style() -> None:
    """Inject the app-wide CSS (readable captions)."""
    st.html(HOUSE_CSS)


# --- Change over time and evaluation (issue 6) -------------------------------------------
# Modules are imported inside the functions to keep this section self-contained.

EDITION_PAIRS = ((2019, 2025), (2015, 2019), (2015, 2025))


def _pair_label(pair: tuple[int, int]) -> str:
    return f"IoD{pair[0]} → IoD{pair[1]}"


def _note_to(key: str, text: str) -> None:
    st.session_state.setdefault(key, []).append(text)


def show_notes_for(key: str) -> None:
    """Show a page's fallback notes (invalid link values and the like) as one visible message."""
    notes = st.session_state.get(key) or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


def _clear(key: str):
    return lambda: st.session_state.__setitem__(key, [])


def change_controls(la_options: dict[int, dict[str, str]]) -> state.ChangeView:
    """The change page's sidebar: editions, domain, measure, place and area; returns the validated view."""
    from placemap.analysis import change

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
    if st.session_state.get(state.W_CH_DOMAIN) not in ids:
        old = st.session_state.get(state.W_CH_DOMAIN)
        if old:
            _note_to(
                state.CH_NOTES,
                f"{change.domain_label(old)} is not published in both IoD{before} and IoD{after}; showing the IMD.",
            )
        st.session_state[state.W_CH_DOMAIN] = "imd"
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
    geo_year = change.geography_year(before, after)
    options = la_options[geo_year]
    if st.session_state.get(state.W_CH_LA) not in options:
        old = st.session_state.get(state.W_CH_LA)
        fallback = DEFAULT_LA if DEFAULT_LA in options else next(iter(options))
        if old:
            _note_to(
                state.CH_NOTES,
                f"{old} is not a local authority on the LSOAs of this comparison; showing {options[fallback]}.",
            )
        st.session_state[state.W_CH_LA] = fallback
        st.session_state[state.W_CH_AREA] = None
    la = st.sidebar.selectbox(
        "Local authority (type to search)",
        list(options),
        format_func=options.get,
        key=state.W_CH_LA,
        on_change=lambda: (clear(), st.session_state.__setitem__(state.W_CH_AREA, None)),
    )
    area_options = cache.load_area_options(geo_year, (la,))
    current = st.session_state.get(state.W_CH_AREA)
    if current and current not in area_options:
        _note_to(state.CH_NOTES, f"{current} is not an LSOA of {options[la]} on these LSOAs; showing the whole LA.")
        st.session_state[state.W_CH_AREA] = None
    area = st.sidebar.selectbox(
        "Area trend for (an LSOA, or the whole LA)",
        [None, *area_options],
        format_func=lambda c: f"The whole of {options[la]}" if c is None else area_options[c],
        key=state.W_CH_AREA,
    )
    return state.ChangeView(before=before, after=after, domain=domain, measure=measure, la=la, area=area)


def evaluation_controls(la_options: dict[int, dict[str, str]], fixed_pair: tuple[int, int] | None = None) -> dict:
    """The evaluation page's sidebar (editions, domain, measure, matching); returns the chosen values.

    ``fixed_pair`` (an uploaded outcome, issue 8): the editions are set by the upload's LSOAs,
    so the edition, domain and measure pickers are not shown.
    """
    from placemap.analysis import change, evaluation

    st.session_state.setdefault(state.W_EV_BEFORE, EDITION_PAIRS[0])
    st.session_state.setdefault(state.W_EV_K, 3)
    st.session_state.setdefault(state.W_EV_BOOT, evaluation.DEFAULT_BOOT)
    st.session_state.setdefault(state.W_EV_SEED, evaluation.DEFAULT_SEED)
    if fixed_pair is not None:
        before, after = fixed_pair
        domain, measure = "imd", change.POSITION
    else:
        st.sidebar.subheader("What to compare")
        if tuple(st.session_state[state.W_EV_BEFORE]) not in EDITION_PAIRS:
            st.session_state[state.W_EV_BEFORE] = EDITION_PAIRS[0]
        before, after = st.sidebar.selectbox(
            "Editions: before → after the intervention", EDITION_PAIRS, format_func=_pair_label, key=state.W_EV_BEFORE
        )
        ids = [d.id for d in change.domains_with_ranks(before, after)]
        if st.session_state.get(state.W_EV_DOMAIN) not in ids:
            old = st.session_state.get(state.W_EV_DOMAIN)
            if old:
                _note_to(
                    state.EV_NOTES,
                    f"{change.domain_label(old)} is not published in both IoD{before} and IoD{after}; using the IMD.",
                )
            st.session_state[state.W_EV_DOMAIN] = "imd"
        domain = st.sidebar.selectbox(
            "Domain the intervention aims at", ids, format_func=change.domain_label, key=state.W_EV_DOMAIN
        )
        measure = st.sidebar.radio(
            "Measure", list(change.MEASURES), format_func=change.MEASURES.get, key=state.W_EV_MEASURE
        )
    st.sidebar.subheader("Comparison group")
    k = st.sidebar.slider(
        "Comparison LSOAs per intervention LSOA",
        evaluation.MIN_NEIGHBOURS,
        evaluation.MAX_NEIGHBOURS,
        key=state.W_EV_K,
        help="Nearest neighbours on the baseline edition's domain profile, chosen with replacement.",
    )
    same_region = st.sidebar.checkbox("Only from the same region", key=state.W_EV_REGION)
    exclude_la = st.sidebar.checkbox("Not from the same local authority", key=state.W_EV_EXCLUDE_LA)
    with st.sidebar.expander("Bootstrap"):
        n_boot = st.number_input(
            "Bootstrap draws", evaluation.MIN_BOOT, evaluation.MAX_BOOT, step=100, key=state.W_EV_BOOT
        )
        seed = st.number_input("Seed (same seed, same interval)", 0, 2**31 - 1, step=1, key=state.W_EV_SEED)
    geo_year = change.geography_year(before, after)
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
    }


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


def open_store():
    """The app's database and ``None``, or ``None`` and a plain message saying why it is unavailable."""
    from placemap.storage import store

    try:
        return cache.load_store(store.database_url()), None
    except store.StoreError as exc:
        return None, str(exc)


def parse_pasted_codes(text: str) -> list[str]:
    """Area codes typed or pasted in any layout (commas, spaces, new lines), upper-cased, no repeats.

    Example
    -------
    >>> parse_pasted_codes("e01012662, E01012663\\nE01012662")
    ['E01012662', 'E01012663']
    """
    import re

    return list(dict.fromkeys(t.upper() for t in re.split(r"[\s,;]+", text or "") if t))


def open_shared_intervention(db, share_id: str | None) -> None:
    """Fill the evaluation form from a ``?intervention=<id>`` link, once per id, with a note either way.

    ``db`` is the open store (or ``None`` when the database is unavailable).
    """
    from placemap.analysis import change
    from placemap.data.prepare import escape_markdown
    from placemap.storage import store

    if not share_id or st.session_state.get(state.EV_LOADED) == share_id:
        return
    st.session_state[state.EV_LOADED] = share_id
    notes = st.session_state.setdefault(state.EV_NOTES, [])
    if db is None:
        notes.append("The saved intervention cannot be opened because the database is unavailable (see below).")
        return
    try:
        saved = db.get_intervention(share_id)
    except store.StoreError as exc:
        notes.append(escape_markdown(str(exc)))
        return
    if saved is None:
        notes.append(f"No saved intervention has the link id {escape_markdown(share_id)}; starting a new one.")
        return
    i = saved.intervention
    areas = cache.load_areas(change.geography_year(i.before, i.after))
    seed_saved_intervention(i, lambda code: areas["la_code"].get(code) if code in areas.index else None)
    st.session_state[state.EV_SAVED] = i
    notes.append(
        f"Opened the saved intervention **{escape_markdown(i.name)}** (saved {saved.created_at:%d %B %Y, %H:%M} UTC)."
    )


# --- Area profiles, comparisons and exports --------------------------------------------------------


def area_la(year: int, code: str) -> str | None:
    """The LA of an LSOA in an edition's geography, or ``None`` if the edition has no such LSOA."""
    areas = cache.load_areas(year)
    return str(areas.at[code, LA_CODE]) if code in areas.index else None


def _page_note(key: str, text: str) -> None:
    st.session_state.setdefault(key, []).append(text)


def show_page_notes(key: str) -> None:
    """Show a page's fallback notes (bad link values and the like) as one visible message."""
    notes = st.session_state.get(key) or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


def _url_params(keys: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items() if k in keys}


def _profile_from_last_map_view() -> state.ProfileView:
    last = st.session_state.get(state.LAST_VIEW)
    if not last:
        return state.ProfileView()
    view = state.view_from_dict(last)
    return state.ProfileView(year=view.year, la=view.la, area=view.area)


def profile_controls(la_options: dict[int, dict[str, str]]) -> state.ProfileView:
    """The profile page's sidebar: edition, LA and (optionally) an LSOA; seeded from the link.

    A link (``?area=E01...``, ``?la=E08...``, ``&v=2019``) seeds the pickers whenever it
    differs from the one the page last wrote; without one, the page opens on the map
    explorer's last place and area.
    """
    params = _url_params(state.PROFILE_KEYS)
    fresh = state.W_P_YEAR not in st.session_state
    if fresh or (params and params != st.session_state.get(state.P_SYNCED)):
        if params:
            view, notes = state.parse_profile(params, la_options, area_la)
        else:
            view, notes = _profile_from_last_map_view(), []
        st.session_state[state.W_P_YEAR] = view.year
        st.session_state[state.W_P_LA] = view.la
        st.session_state[state.W_P_AREA] = view.area
        st.session_state[state.P_NOTES] = notes

    def clear() -> None:
        st.session_state[state.P_NOTES] = []

    st.sidebar.subheader("Profile of")
    year = edition_picker(state.W_P_YEAR, [v.year for v in VINTAGES], clear)
    options = la_options[year]
    if st.session_state.get(state.W_P_LA) not in options:
        old = st.session_state.get(state.W_P_LA)
        if old:
            _page_note(state.P_NOTES, f"{old} is not a local authority of IoD{year}'s geography; showing Blackpool.")
        st.session_state[state.W_P_LA] = DEFAULT_LA
        st.session_state[state.W_P_AREA] = None
    la = st.sidebar.selectbox(
        "Local authority (type to search)",
        list(options),
        format_func=options.get,
        key=state.W_P_LA,
        on_change=lambda: (clear(), st.session_state.update({state.W_P_AREA: None})),
    )
    area_options = cache.load_area_options(year, (la,))
    current = st.session_state.get(state.W_P_AREA)
    if current and current not in area_options:
        _page_note(
            state.P_NOTES, f"{current} is not an LSOA of {options[la]} in IoD{year}; showing the local authority."
        )
        st.session_state[state.W_P_AREA] = None
    area = st.sidebar.selectbox(
        "LSOA (optional: type a name or code)",
        [None, *area_options],
        format_func=lambda c: f"— the whole of {options[la]} —" if c is None else area_options[c],
        key=state.W_P_AREA,
        on_change=clear,
    )
    return state.ProfileView(year=year, la=la, area=area)


def write_profile_view(view: state.ProfileView) -> None:
    """Mirror the profile view into the URL so the page is a shareable link."""
    params = view.to_params()
    st.session_state[state.P_SYNCED] = params
    if _url_params(state.PROFILE_KEYS) != params or set(st.query_params.to_dict()) - set(params):
        st.query_params.from_dict(params)


def compare_controls(la_options: dict[int, dict[str, str]]) -> state.CompareView:
    """The compare page's sidebar: edition, LSOAs or LAs, and 2 to 6 areas; seeded from the link."""
    params = _url_params(state.COMPARE_KEYS)
    fresh = state.W_C_YEAR not in st.session_state
    if fresh or (params and params != st.session_state.get(state.C_SYNCED)):
        view, notes = state.parse_compare(params, la_options, area_la)
        st.session_state[state.W_C_YEAR] = view.year
        st.session_state[state.W_C_KIND] = view.kind
        st.session_state[state.W_C_LAS] = list(view.codes) if view.kind == "la" else list(state.DEFAULT_COMPARE)
        st.session_state[state.W_C_LSOAS] = list(view.codes) if view.kind == "lsoa" else []
        first_la = area_la(view.year, view.codes[0]) if view.kind == "lsoa" else view.codes[0]
        st.session_state[state.W_C_FROM] = first_la or DEFAULT_LA
        st.session_state[state.C_NOTES] = notes

    def clear() -> None:
        st.session_state[state.C_NOTES] = []

    st.sidebar.subheader("Compare")
    year = edition_picker(state.W_C_YEAR, [v.year for v in VINTAGES], clear)
    kind = st.sidebar.radio(
        "Areas to compare",
        ["la", "lsoa"],
        format_func={"la": "Local authorities", "lsoa": "LSOAs"}.get,
        key=state.W_C_KIND,
        on_change=clear,
    )
    options = la_options[year]
    if kind == "la":
        chosen = [c for c in st.session_state.get(state.W_C_LAS, []) if c in options]
        if len(chosen) != len(st.session_state.get(state.W_C_LAS, [])):
            _page_note(state.C_NOTES, f"Some local authorities are not in IoD{year}'s geography and were left out.")
        st.session_state[state.W_C_LAS] = chosen[: state.MAX_COMPARE]
        codes = st.sidebar.multiselect(
            f"Local authorities (2 to {state.MAX_COMPARE}; type to search)",
            list(options),
            format_func=options.get,
            max_selections=state.MAX_COMPARE,
            key=state.W_C_LAS,
            on_change=clear,
        )
    else:
        names = cache.load_areas(year)[AREA_NAME]
        chosen = [c for c in st.session_state.get(state.W_C_LSOAS, []) if c in names.index]
        if len(chosen) != len(st.session_state.get(state.W_C_LSOAS, [])):
            _page_note(state.C_NOTES, f"Some LSOAs are not in IoD{year}'s geography and were left out.")
        st.session_state[state.W_C_LSOAS] = chosen[: state.MAX_COMPARE]
        if st.session_state.get(state.W_C_FROM) not in options:
            st.session_state[state.W_C_FROM] = DEFAULT_LA
        from_la = st.sidebar.selectbox(
            "Pick LSOAs from (type to search)", list(options), format_func=options.get, key=state.W_C_FROM
        )
        choices = list(dict.fromkeys(chosen + list(cache.load_area_options(year, (from_la,)))))
        codes = st.sidebar.multiselect(
            f"LSOAs (2 to {state.MAX_COMPARE}; type a name or code)",
            choices,
            format_func=lambda c: f"{names[c]} ({c})",
            max_selections=state.MAX_COMPARE,
            key=state.W_C_LSOAS,
            on_change=clear,
        )
    return state.CompareView(year=year, kind=kind, codes=tuple(codes))


def write_compare_view(view: state.CompareView) -> None:
    """Mirror the compare view into the URL so the page is a shareable link."""
    params = view.to_params()
    st.session_state[state.C_SYNCED] = params
    if _url_params(state.COMPARE_KEYS) != params or set(st.query_params.to_dict()) - set(params):
        st.query_params.from_dict(params)


def chart_downloads(chart: alt.TopLevelMixin, stem: str, key: str, name: str = "Chart", stacked: bool = False) -> None:
    """PNG (300 ppi) and SVG download buttons for a chart, side by side or ``stacked``; rendered when clicked.

    ``name`` starts the buttons' labels ("Spine chart as SVG"), so each button says what it saves.
    """
    buttons = (
        (f"{name} as PNG (print, 300 ppi)", lambda: export.chart_png(chart), "png", "image/png"),
        (f"{name} as SVG", lambda: export.chart_svg(chart), "svg", "image/svg+xml"),
    )
    places = [st.container(), st.container()] if stacked else st.columns(2)
    for place, (label, make, ext, mime) in zip(places, buttons, strict=True):
        with place:
            st.download_button(
                label,
                data=make,
                file_name=f"{stem}.{ext}",
                mime=mime,
                key=f"{key}.{ext}",
                on_click="ignore",
                icon=":material/image:",
            )


def table_download(frame: pd.DataFrame, header: list[str], stem: str, key: str, label: str = "Table as CSV") -> None:
    """A formula-safe CSV download of a table, opening with comment lines naming source and edition.

    Give each table's button its own ``label`` ("Ranks and deciles as CSV") when a page has several.
    """
    st.download_button(
        label,
        data=export.to_safe_csv(frame, header),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def map_downloads(
    year: int, la_code: str, indicator_id: str, scheme: str, k: int, palette: str, area: str | None, key: str,
    uploaded: tuple | None = None, uploaded_areas: list | None = None,
) -> None:  # fmt: skip
    """Static map (PNG, SVG) and offline interactive map (HTML) downloads of a choropleth.

    ``uploaded`` (``(UploadedTable, Indicator)``, the map's "Your data" choice) and
    ``uploaded_areas`` (this session's ``UploadedAreas``) put what the map shows on the
    exports: the uploaded indicator's colours, title and source, and the areas' outlines.
    """
    from placemap.render import uploaded_maps

    args = (year, la_code, indicator_id, scheme, k, palette)
    if uploaded or uploaded_areas:
        keys = (uploaded_maps.upload_key(*uploaded) if uploaded else (), uploaded_maps.areas_key(uploaded_areas or []))
        extra = {"_table": uploaded[0] if uploaded else None, "_indicator": uploaded[1] if uploaded else None,
                 "_areas": tuple(uploaded_areas or ())}  # fmt: skip

        def static(fmt: str) -> bytes:
            return cache.load_upload_static_map(*args, fmt, area, *keys, **extra)

        def html() -> bytes:
            return cache.load_upload_map_html(*args, area, *keys, **extra)
    else:

        def static(fmt: str) -> bytes:
            return cache.load_static_map(*args, fmt, area)

        def html() -> bytes:
            return cache.load_map_html(*args, area)

    stem = export.safe_filename("placemap", la_code, uploaded[1].id if uploaded else indicator_id, year, scheme, "map")
    columns = st.columns(3)
    for column, fmt, label, mime in (
        (columns[0], "png", "Map as PNG", "image/png"),
        (columns[1], "svg", "Map as SVG", "image/svg+xml"),
    ):
        with column:
            st.download_button(
                label,
                data=lambda fmt=fmt: static(fmt),
                file_name=f"{stem}.{fmt}",
                mime=mime,
                key=f"{key}.{fmt}",
                on_click="ignore",
                icon=":material/map:",
            )
    with columns[2]:
        st.download_button(
            "Interactive map (HTML)",
            data=html,
            file_name=f"{stem}.html",
            mime="text/html",
            key=f"{key}.html",
            on_click="ignore",
            icon=":material/public:",
            help="One file with Leaflet inside: it opens in a browser with no internet.",
        )


def report_download(year: int, code: str, name: str, key: str, your_data=None) -> None:
    """The one-click PDF profile report (composed when clicked), with the uploaded indicators if given."""
    extra = {"your_data_key": your_data.key(), "_your_data": your_data} if your_data is not None else {}
    st.download_button(
        "Download the profile report (PDF)",
        data=lambda: cache.load_report_pdf(year, code, state.profile_href(year, code), **extra),
        file_name=f"{export.safe_filename('placemap', name, code, year, 'profile')}.pdf",
        mime="application/pdf",
        key=key,
        on_click="ignore",
        type="primary",
        icon=":material/picture_as_pdf:",
    )


def profile_link(year: int, code: str, label: str = "Open profile") -> None:
    """A link to the profile page of an LSOA or LA (used in the map's side panel)."""
    key = state.AREA if state.LSOA_CODE_PATTERN.match(code) else state.LA
    st.page_link(
        "views/profile.py", label=label, icon=":material/article:", query_params={state.YEAR: str(year), key: code}
    )


def run_through_app() -> None:
    """Make a deep link to this page run through ``app.py`` on a freshly started server.

    With a ``pages/`` folder beside ``app.py``, Streamlit runs a linked page file on
    its own (its legacy page discovery) until ``app.py`` has called ``st.navigation``
    once in the server's life; the page would then lack the app's page config,
    navigation and Leaflet assets. Turning the legacy mode off and rerunning sends
    the request through ``app.py``, which opens the same page with the same link.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


# --- Workshops and initiatives (issue 7) -------------------------------------------------

WORKSHOP_CSS = """
<style>
/* Big-screen workshop mode: large type, high contrast, no developer chrome, map fills the width. */
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], #MainMenu, footer { display: none !important; }
html, body, [data-testid="stAppViewContainer"] { background: #ffffff !important; color: #000000 !important; }
[data-testid="stMain"] .block-container { padding: 1rem 2rem !important; max-width: 100% !important; }
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] label, [data-testid="stMain"] input,
[data-testid="stMain"] textarea, [data-testid="stMain"] button, .pm-notes, [data-testid="stMain"] td,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { font-size: 26px !important; color: #000000 !important; line-height: 1.35; }
[data-testid="stMain"] h1 { font-size: 52px !important; } [data-testid="stMain"] h2 { font-size: 40px !important; }
[data-testid="stMain"] h3 { font-size: 32px !important; }
[data-testid="stMain"] button { min-height: 3.2rem; border-width: 3px !important; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 22px !important; color: #111111 !important; }
/* Primary buttons are filled with the theme's dark purple (#3b1f6b): their labels stay white (contrast 12:1). */
[data-testid="stMain"] [data-testid^="stBaseButton-primary"],
[data-testid="stMain"] [data-testid^="stBaseButton-primary"] * { color: #ffffff !important; }
*:focus-visible { outline: 4px solid #e6007e !important; outline-offset: 2px; }
</style>
"""


def apply_workshop_style() -> None:
    """Switch the page to the big-screen layout (call once per run in workshop mode)."""
    st.html(WORKSHOP_CSS)


def facilitator_passcode() -> str | None:
    """The configured facilitator passcode (environment first, then Streamlit secrets), or ``None``."""
    import os

    from placemap.community.workshop import configured_passcode

    try:
        secrets = dict(st.secrets)
    except Exception:  # noqa: BLE001 - no secrets.toml (or an unreadable one) means no passcode from secrets
        secrets = {}
    return configured_passcode(os.environ, secrets)


def participant_id() -> str:
    """This browser session's anonymous participant id (random; a reload starts a new session and id)."""
    from placemap.storage.store import new_share_id

    return st.session_state.setdefault(state.WS_PARTICIPANT, new_share_id())


def facilitator_panel(key_suffix: str = ""):
    """Passcode box for the facilitator; returns a ``Facilitator`` once the passcode was right, else ``None``."""
    from placemap.community.workshop import ModerationError
    from placemap.ui.client import authorise

    if st.session_state.get(state.WS_FACILITATOR) is not None:
        if st.button("Leave facilitator mode", key=f"ws.leave{key_suffix}"):
            st.session_state[state.WS_FACILITATOR] = None
            st.rerun()
        return st.session_state[state.WS_FACILITATOR]
    configured = facilitator_passcode()
    if configured is None:
        st.caption(
            "Moderation is switched off: no facilitator passcode is configured (set the environment variable "
            "PLACEMAP_FACILITATOR_PASSCODE or facilitator_passcode in Streamlit secrets)."
        )
        return None
    with st.form(f"ws.passcode_form{key_suffix}", clear_on_submit=True, border=False):
        given = st.text_input("Facilitator passcode", type="password", key=f"{state.W_WS_PASSCODE}{key_suffix}")
        if st.form_submit_button("Unlock facilitator controls"):
            try:
                st.session_state[state.WS_FACILITATOR] = authorise(given, configured)
            except ModerationError as exc:
                st.error(str(exc))
            else:
                st.rerun()
    return None


def pin_from_click(year: int, la_codes: tuple[str, ...]) -> None:
    """``st_folium`` callback on the workshop map: remember the clicked point (and its LSOA) as the pin."""
    point = clicked_point(state.W_WS_MAP)
    if point is None:
        return
    lat, lng = point
    st.session_state[state.WS_PIN] = {"lat": lat, "lng": lng, "area": cache.area_at(year, la_codes, lat, lng)}


def who_is_working_here(area_code: str, ward_code: str | None) -> None:
    """The map explorer's side panel: initiatives recorded for this LSOA or its ward (says so if none or no database)."""
    from placemap.community.initiatives import STATUSES, working_here
    from placemap.data.prepare import escape_markdown
    from placemap.storage import community, store

    st.subheader("Who is working here", anchor=False)
    db, error = open_store()
    if db is None:
        st.caption(f"The initiatives register is unavailable: {escape_markdown(error)}")
        return
    try:
        found = working_here(community.list_initiatives(db), area_code, ward_code)
    except store.StoreError as exc:
        st.caption(escape_markdown(str(exc)))
        return
    if not found:
        st.caption(
            "No initiative is recorded for this LSOA or its ward. Add one on the *Initiatives and partners* page."
        )
        return
    for i in found:
        partners = ", ".join(escape_markdown(p.name) for p in i.partners)
        st.markdown(
            f"- **{escape_markdown(i.name)}** ({STATUSES.get(i.status, '')}), led by {escape_markdown(i.lead_org)}"
            + (f"; with {partners}" if partners else "")
        )


# --- Bring your own data (issue 8) -------------------------------------------------------


def session_uploads() -> dict:
    """This session's uploaded datasets, id -> ``UploadedTable`` or ``UploadedAreas`` (in upload order).

    The session holds only their digests; the datasets live in the process's
    ``registry.UPLOADS``. One dropped from there (the store is bounded) is forgotten here
    with a note.
    """
    from placemap.uploads.registry import UPLOADS

    digests = st.session_state.setdefault(state.UPLOADS, {})
    found = {}
    for dataset_id, digest in list(digests.items()):
        dataset = UPLOADS.get(digest)
        if dataset is None:
            digests.pop(dataset_id)
            st.session_state.setdefault(state.UP_NOTES, []).append(
                "An uploaded dataset was cleared from the server's memory (it holds a limited number): "
                "upload it again, or open its saved link."
            )
        else:
            found[dataset_id] = dataset
    return found


def session_catalogue():
    """The catalogue with this session's uploaded indicators registered beside the official ones."""
    from placemap.data.catalogue import CATALOGUE

    return CATALOGUE.with_uploads(session_tables())


def session_tables() -> list:
    """This session's uploaded indicator tables."""
    from placemap.uploads.upload import UploadedTable

    return [d for d in session_uploads().values() if isinstance(d, UploadedTable)]


def session_areas() -> list:
    """This session's uploaded boundaries."""
    from placemap.uploads.uploaded_boundaries import UploadedAreas

    return [d for d in session_uploads().values() if isinstance(d, UploadedAreas)]


def add_to_session(dataset, n_bytes: int) -> str | None:
    """Keep ``dataset`` for this session; a plain message instead when a limit is reached.

    A session holds at most ``MAX_SESSION_DATASETS`` at once (its memory); the bytes added are
    limited per client across sessions (a reload does not reset them).
    """
    from placemap.ui import client
    from placemap.uploads.upload import MAX_SESSION_DATASETS

    datasets = session_uploads()
    if dataset.id in datasets:
        return None
    if len(datasets) >= MAX_SESSION_DATASETS:
        return f"This session already holds {MAX_SESSION_DATASETS} uploaded datasets, the most it can. Remove one below first."  # fmt: skip
    refused = client.refusal("upload_bytes", n_bytes)
    if refused:
        return f"Not added: {refused}"
    from placemap.uploads.registry import UPLOADS

    st.session_state.setdefault(state.UPLOADS, {})[dataset.id] = UPLOADS.put(dataset)
    return None


def remove_from_session(dataset_id: str) -> None:
    """Forget an uploaded dataset (and deselect it on the map)."""
    st.session_state.setdefault(state.UPLOADS, {}).pop(dataset_id, None)
    if str(st.session_state.get(state.W_MAP_UPLOADED) or "").startswith(f"upload_{dataset_id}_"):
        st.session_state[state.W_MAP_UPLOADED] = None


def show_messages(messages) -> None:
    """Show upload findings as error/warning/info boxes; the text (which quotes the file) escaped."""
    from placemap.data.prepare import escape_markdown

    show = {"error": st.error, "warning": st.warning, "info": st.info}
    for message in messages:
        show.get(message.level, st.info)(escape_markdown(message.text), icon=None)


def uploaded_indicator_choice(year: int):
    """The map explorer's "Your data" picker (only when this session has uploaded indicators).

    Returns ``(table, indicator)`` for the chosen one, or ``None`` for the official indicator.
    """
    tables = session_tables()
    if not tables:
        return None
    options = {None: "None: show the official indicator"}
    found = {}
    for table in tables:
        for indicator in table.indicators():
            options[indicator.id] = f"{indicator.label} ({table.name})"
            found[indicator.id] = (table, indicator)
    if st.session_state.get(state.W_MAP_UPLOADED) not in options:
        st.session_state[state.W_MAP_UPLOADED] = None
    chosen = st.sidebar.selectbox(
        "Your data (uploaded)", list(options), format_func=options.get, key=state.W_MAP_UPLOADED,
        help="Indicators you uploaded on the Bring your own data page, for this session.",
    )  # fmt: skip
    return found.get(chosen)


def open_shared_upload(db, share_id: str | None) -> None:
    """Add the dataset of a ``?upload=<id>`` link to this session, once per id, with a note either way."""
    from placemap.data.prepare import escape_markdown
    from placemap.storage import upload_store
    from placemap.storage.store import StoreError
    from placemap.uploads.upload import UploadedTable
    from placemap.uploads.uploaded_boundaries import UploadedAreas

    if not share_id or st.session_state.get(state.UP_LOADED) == share_id:
        return
    st.session_state[state.UP_LOADED] = share_id
    notes = st.session_state.setdefault(state.UP_NOTES, [])
    if db is None:
        notes.append("The saved dataset cannot be opened because the database is unavailable.")
        return
    try:
        saved = upload_store.get_upload(db, share_id)
    except StoreError as exc:
        notes.append(escape_markdown(str(exc)))
        return
    if saved is None:
        notes.append(f"No saved dataset has the link id {escape_markdown(share_id)}; it may have been deleted.")
        return
    try:
        cls = UploadedTable if saved.kind == "indicators" else UploadedAreas
        dataset = cls.from_payload(saved.share_id, saved.name, saved.source, saved.payload)
    except ValueError as exc:
        notes.append(escape_markdown(str(exc)))
        return
    problem = add_to_session(dataset, 0)
    if problem:
        notes.append(problem)
        return
    notes.append(
        f"Opened the saved dataset **{escape_markdown(saved.name)}** (source: {escape_markdown(saved.source)}; "
        f"saved {saved.created_at:%d %B %Y, %H:%M} UTC) for this session."
    )


def uploaded_datasets_table() -> list[dict]:
    """Uploaded datasets with their stated sources (this session's, then the database's), for the About page.

    Rows are shown with ``st.dataframe``, which displays text literally (no HTML or markdown).
    """
    from placemap.storage import upload_store
    from placemap.storage.store import StoreError
    from placemap.uploads.upload import UploadedTable

    rows = [
        {"Dataset": d.name, "Kind": "indicators" if isinstance(d, UploadedTable) else "areas",
         "Source (as stated)": d.source or "not stated", "Where": "this session"}
        for d in session_uploads().values()
    ]  # fmt: skip
    from placemap.community.roles import can
    from placemap.ui.access import current_actor

    db, _problem = open_store()
    if db is not None:
        try:
            saved = upload_store.list_uploads(db)
        except StoreError:
            saved = []
        # A share id opens the dataset, so only its owner and moderators see it here.
        actor = current_actor()
        everyone = can(actor.role, "delete_any_upload")
        rows += [
            {"Dataset": s.name, "Kind": s.kind, "Source (as stated)": s.source,
             "Where": f"saved {s.created_at:%d %b %Y}"
             + (f" (link ?upload={s.share_id})" if everyone or s.created_by == actor.id else "")}
            for s in saved
        ]  # fmt: skip
    return rows


# ---------------------------------------------------------------------------------------
# Systems view, priority finder and hot spots (issue 5): the same pattern as the map
# explorer's controls. Each page seeds its widgets once from its link (or the session's
# last view of the page), validates stored values against the current options before
# drawing a widget, and collects fallback notes under ``<page prefix>notes``.


def _prefixed_note(prefix: str, text: str) -> None:
    st.session_state.setdefault(prefix + "notes", []).append(text)


def show_prefixed_notes(prefix: str) -> None:
    """Show a page's fallback notes as one visible message."""
    notes = st.session_state.get(prefix + "notes") or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


def _clear_page_notes(prefix: str) -> None:
    st.session_state[prefix + "notes"] = []


def _seed_page(prefix: str, values: dict, notes: list[str]) -> None:
    for key, value in values.items():
        st.session_state[prefix + key] = value
    st.session_state[prefix + "notes"] = list(notes)


def place_controls(
    prefix: str, la_options: dict[int, dict[str, str]], years: tuple[int, ...]
) -> tuple[int, tuple[str, ...]]:
    """Edition and local authorities (several allowed) in the sidebar; stops the page if none is chosen."""
    st.sidebar.subheader("Place")
    year = edition_picker(
        prefix + "year", years, _clear_page_notes, (prefix,),
        help="IoD2015 is not offered here: the bundled 2015 data has no domain ranks.",
    )  # fmt: skip
    options = la_options[year]
    stored = list(st.session_state.get(prefix + "las") or [])
    kept = [c for c in stored if c in options]
    if len(kept) < len(stored):
        gone = ", ".join(c for c in stored if c not in options)
        _prefixed_note(prefix, f"Not a local authority in IoD{year}'s geography: {gone}; left out.")
        if not kept:
            kept = [DEFAULT_LA if DEFAULT_LA in options else next(iter(options))]
        st.session_state[prefix + "las"] = kept
    las = st.sidebar.multiselect(
        f"Local authorities (type to search; up to {state.MAX_LAS})",
        list(options),
        format_func=options.get,
        key=prefix + "las",
        max_selections=state.MAX_LAS,
        on_change=_clear_page_notes,
        args=(prefix,),
    )
    if not las:
        st.info("Choose at least one local authority under **Place** in the sidebar.", icon=":material/info:")
        st.stop()
    return year, tuple(las)


def place_name(la_options: dict[int, dict[str, str]], year: int, las: tuple[str, ...]) -> str:
    """A place's name for titles: one LA's name, or the first two and how many more."""
    names = [la_options[year].get(c, c) for c in las]
    if len(names) <= 2:
        return " and ".join(names)
    return f"{names[0]}, {names[1]} and {len(names) - 2} more"


def systems_controls(la_options: dict[int, dict[str, str]]) -> state.SystemsView:
    """The systems view's sidebar: place, the LSOA picked, the two indicators, colour and thirds."""
    p = state.W_SYS
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    uploads = {y: session_system_uploads(y) for y in years}
    axis = {y: systems.axis_options(y) | uploads[y].options() for y in years}
    colours = {y: systems.colour_options(y, n_las=2) for y in years}
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: state.parse_systems_view(params, la_options, years, axis, colours),
            state.SYS_LAST,
            state.SYSTEMS_KEYS,
        )
        _seed_page(p, {"year": view.year, "las": list(view.las), "x": view.x, "y": view.y,
                       "colour": view.colour, "thirds": view.thirds, "area": view.area}, notes)  # fmt: skip
    year, las = place_controls(p, la_options, years)
    area_options = cache.load_area_options(year, las)
    current = st.session_state.get(p + "area")
    if current and current not in area_options:
        _prefixed_note(p, f"{current} is not an LSOA of the chosen place in IoD{year}; no area is selected.")
        st.session_state[p + "area"] = None
    area = st.sidebar.selectbox(
        "Area: an LSOA (type a name or code, or click the map)",
        [None, *area_options],
        format_func=lambda c: "—" if c is None else area_options[c],
        key=p + "area",
    )

    st.sidebar.subheader("Compare")
    options = axis[year]
    for key, default in (("x", state.SystemsView.x), ("y", state.SystemsView.y)):
        if st.session_state.get(p + key) not in options:
            stored = st.session_state.get(p + key)
            why = _uploaded_fallback_note(stored, uploads[year]) or f"That indicator is not published in IoD{year}."
            _prefixed_note(p, f"{why} Showing {options[default]}.")
            st.session_state[p + key] = default
    x = st.sidebar.selectbox("Across (x axis)", list(options), format_func=options.get, key=p + "x")
    y = st.sidebar.selectbox("Up (y axis)", list(options), format_func=options.get, key=p + "y")
    colour_opts = systems.colour_options(year, n_las=len(las))
    if st.session_state.get(p + "colour") not in colour_opts:
        if st.session_state.get(p + "colour") == systems.COLOUR_LA:
            _prefixed_note(
                p, f"Colour by local authority needs 2 to {systems.MAX_COLOUR_LAS} LAs; colouring by rural-urban class."
            )
        st.session_state[p + "colour"] = systems.COLOUR_RUC
    colour = st.sidebar.selectbox(
        "Colour the points by", list(colour_opts), format_func=colour_opts.get, key=p + "colour"
    )
    thirds = st.sidebar.radio(
        "Bivariate map: split each indicator into",
        list(systems.THIRDS),
        format_func=systems.THIRDS.get,
        key=p + "thirds",
        help="Three equal-count groups of the chosen place's LSOAs, or England's thirds by national rank.",
    )
    return state.SystemsView(year=year, las=las, x=x, y=y, colour=colour, thirds=thirds, area=area)


def handle_page_map_click(map_key: str, area_key: str, year: int, la_codes: tuple[str, ...]) -> None:
    """``st_folium`` callback for the systems map: a clicked point selects the LSOA under it."""
    point = clicked_point(map_key)
    if point is None:
        return
    lat, lng = point
    code = cache.area_at(year, la_codes, lat, lng)
    if code:
        st.session_state[area_key] = code


def _reset_weights(prefix: str) -> None:
    for domain in priority.SEVEN_DOMAINS:
        st.session_state[f"{prefix}w.{domain}"] = priority.OFFICIAL_WEIGHTS[domain]


def priority_controls(la_options: dict[int, dict[str, str]]) -> state.PriorityView:
    """The priority finder's sidebar: place, overlap rule, weights, stability settings, map shown."""
    p = state.W_PRI
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    overlap_domains = {y: [d.id for d in domains_for(y) if d.id != "imd"] for y in years}
    uploads = {y: session_system_uploads(y) for y in years}
    upload_ids = {y: list(uploads[y].options()) for y in years}
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: state.parse_priority_view(params, la_options, years, overlap_domains, upload_ids),
            state.PRI_LAST,
            state.PRIORITY_KEYS,
        )
        values = {"year": view.year, "las": list(view.las), "doms": list(view.domains), "pct": view.pct,
                  "n": view.at_least, "spread": view.spread, "top": view.top, "show": view.show}  # fmt: skip
        values |= {f"w.{d}": w for d, w in zip(priority.SEVEN_DOMAINS, view.weights, strict=True)}
        values |= _upload_priority_seed(view)
        _seed_page(p, values, notes)
    year, las = place_controls(p, la_options, years)
    show = st.sidebar.radio(
        "The map shows", list(state.PRIORITY_MAPS), format_func=state.PRIORITY_MAPS.get, key=p + "show"
    )

    st.sidebar.subheader("Where needs overlap")
    allowed = overlap_domains[year]
    stored = [d for d in st.session_state.get(p + "doms") or [] if d in allowed]
    if stored != list(st.session_state.get(p + "doms") or []):
        _prefixed_note(p, f"Some domains are not published in IoD{year}; they were left out.")
        st.session_state[p + "doms"] = stored
    domains = st.sidebar.multiselect("Domains", allowed, format_func=lambda d: get_domain(d).label, key=p + "doms")
    pct = st.sidebar.slider("In England's most deprived … %", 1, 50, key=p + "pct")
    conditions = upload_condition_controls(p, uploads[year])
    n_conditions = len(domains) + len(conditions)
    if n_conditions:
        counts = list(range(1, n_conditions + 1))
        if st.session_state.get(p + "n") not in counts:
            st.session_state[p + "n"] = min(max(int(st.session_state.get(p + "n") or 1), 1), n_conditions)
        at_least = st.sidebar.selectbox(
            "… on at least this many of them", counts, key=p + "n", format_func=lambda k: f"{k} of {n_conditions}"
        )
    else:
        at_least = 1

    st.sidebar.subheader("Composite index weights (%)")
    st.sidebar.caption("Defaults: the official IMD weights. Weights that do not add up to 100% are rescaled.")
    weights = []
    for domain in priority.SEVEN_DOMAINS:
        weights.append(
            st.sidebar.slider(get_domain(domain).label, 0.0, 100.0, step=0.5, key=f"{p}w.{domain}", format="%.1f%%")
        )
    component = upload_component_control(p, uploads[year])
    st.sidebar.button("Reset to the official IMD weights", on_click=_reset_weights, args=(p,), key=p + "reset")

    st.sidebar.subheader("Rank stability")
    spread = st.sidebar.slider(
        "How far each weight may wander (±%)",
        0,
        90,
        step=5,
        key=p + "spread",
        help="Each of 1,000 random weightings multiplies every weight by a factor between 1 − x and 1 + x, "
        "then rescales them to 100%.",
    )
    top = st.sidebar.radio(
        "Top decile of need among",
        list(state.STABILITY_REFERENCES),
        format_func=state.STABILITY_REFERENCES.get,
        key=p + "top",
    )
    return state.PriorityView(
        year=year, las=las, domains=tuple(domains), pct=pct, at_least=at_least,
        weights=tuple(float(w) for w in weights), spread=spread, top=top, show=show,
        conditions=conditions, component=component,
    )  # fmt: skip


def hotspot_controls(la_options: dict[int, dict[str, str]]) -> state.HotspotView:
    """The hot-spot page's sidebar: place, domain, statistic, significance level, FDR, permutations."""
    p = state.W_HOT
    years = tuple(priority.years_with_domains([v.year for v in VINTAGES]))
    uploads = {y: session_system_uploads(y) for y in years}
    domain_options = {y: [d.id for d in domains_for(y)] + list(uploads[y].options()) for y in years}
    if p + "year" not in st.session_state:
        view, notes = state.read_page_view(
            lambda params: state.parse_hotspot_view(
                params, la_options, years, domain_options, list(hotspots.METHODS), hotspots.ALPHAS,
                hotspots.PERMUTATION_CHOICES,
            ),
            state.HOT_LAST,
            state.HOTSPOT_KEYS,
        )  # fmt: skip
        _seed_page(p, {"year": view.year, "las": list(view.las), "dom": view.domain, "stat": view.method,
                       "alpha": view.alpha, "fdr": view.fdr, "perm": view.permutations}, notes)  # fmt: skip
    year, las = place_controls(p, la_options, years)
    st.sidebar.subheader("Hot spots")
    allowed = domain_options[year]
    if st.session_state.get(p + "dom") not in allowed:
        stored = st.session_state.get(p + "dom")
        why = _uploaded_fallback_note(stored, uploads[year]) or f"That domain is not published in IoD{year}."
        _prefixed_note(p, f"{why} Showing the IMD.")
        st.session_state[p + "dom"] = "imd"
    labels = uploads[year].options()
    domain = st.sidebar.selectbox(
        "Domain or your data", allowed, format_func=lambda d: labels.get(d) or get_domain(d).label, key=p + "dom"
    )
    method = st.sidebar.radio("Statistic", list(hotspots.METHODS), format_func=hotspots.METHODS.get, key=p + "stat")
    alpha = st.sidebar.select_slider(
        "Significance level", options=list(hotspots.ALPHAS), key=p + "alpha", format_func=lambda a: f"{a:g}"
    )
    fdr = st.sidebar.checkbox(
        "Control the false discovery rate (FDR)",
        key=p + "fdr",
        help="Many LSOAs are tested at once; the FDR option (Benjamini-Hochberg, esda.fdr) lowers the "
        "p-value cut-off so that few of the LSOAs called significant are false alarms.",
    )
    permutations = st.sidebar.selectbox(
        "Permutations", list(hotspots.PERMUTATION_CHOICES), key=p + "perm", format_func=lambda k: f"{k:,}"
    )
    return state.HotspotView(year=year, las=las, domain=domain, method=method, alpha=alpha, fdr=fdr,
                             permutations=permutations)  # fmt: skip


# ---------------------------------------------------------------------------------------
# Uploaded indicators on the systems view, priority finder and hot spots (issue 8).


def session_system_uploads(year: int):
    """This session's uploaded indicators joined to edition ``year``'s LSOAs (``systems_upload.SessionUploads``)."""
    from placemap.analysis import systems_upload
    from placemap.data.catalogue import CATALOGUE

    return systems_upload.join_uploads(session_tables(), year, cache.load_areas(year), CATALOGUE)


def _uploaded_fallback_note(stored: object, uploads) -> str | None:
    """Why a stored uploaded id is not offered: it does not join this edition, or the session lacks it."""
    from placemap.analysis.systems_upload import is_upload_id
    from placemap.data.prepare import escape_markdown

    if not is_upload_id(stored):
        return None
    if stored in uploads.refused:
        return escape_markdown(uploads.refused[stored])
    return state.uploaded_id_note(str(stored)).removesuffix(" showing the default instead.").rstrip(";") + "."


def _upload_priority_seed(view: state.PriorityView) -> dict:
    values: dict = {"uc": [c[0] for c in view.conditions], "ucw": view.component[0] if view.component else None}
    for indicator_id, rule, number in view.conditions:
        values[f"uc.rule.{indicator_id}"] = rule
        values[f"uc.{rule}.{indicator_id}"] = float(number)
    if view.component:
        values["ucw.w"] = float(view.component[1])
    return values


def upload_condition_controls(p: str, uploads) -> tuple[tuple[str, str, float], ...]:
    """The priority finder's "Your data" conditions: which uploaded indicators, and when each counts."""
    from placemap.analysis.systems_upload import RULE_PLACE, RULE_VALUE, RULES

    options = uploads.options()
    if not options:
        return ()
    stored = list(st.session_state.get(p + "uc") or [])
    kept = [i for i in stored if i in options]
    if kept != stored:
        for gone in (i for i in stored if i not in options):
            _prefixed_note(p, _uploaded_fallback_note(gone, uploads) or "Some uploaded data is no longer here.")
        st.session_state[p + "uc"] = kept
    chosen = st.sidebar.multiselect(
        "Your data as conditions", list(options), format_func=options.get, key=p + "uc",
        help="Uploaded indicators (Bring your own data page) that count as one more condition each.",
    )  # fmt: skip
    conditions = []
    for indicator_id in chosen:
        indicator = uploads.indicators[indicator_id]
        rule_key, place_key, value_key = (f"{p}uc.rule.{indicator_id}", f"{p}uc.{RULE_PLACE}.{indicator_id}",
                                          f"{p}uc.{RULE_VALUE}.{indicator_id}")  # fmt: skip
        st.session_state.setdefault(rule_key, RULE_PLACE)
        st.session_state.setdefault(place_key, 10.0)
        if value_key not in st.session_state:
            median = uploads.frame[indicator_id].median()
            st.session_state[value_key] = float(round(median, 4)) if median == median else 0.0
        if not 1 <= float(st.session_state[place_key]) <= 100:
            st.session_state[place_key] = 10.0
        rule = st.sidebar.radio(
            f"{indicator.label}: counts when", list(RULES), format_func=RULES.get, key=rule_key, horizontal=False
        )
        worse = "higher" if indicator.polarity == "high_is_deprived" else "lower"
        if rule == RULE_PLACE:
            number = st.sidebar.slider(
                f"{indicator.label}: worst … % of the place", 1.0, 100.0, step=1.0, key=place_key,
                help=f"Among the place's LSOAs with a value; {worse} values are worse (as you said when uploading).",
            )  # fmt: skip
        else:
            unit = f" ({indicator.unit})" if indicator.unit else ""
            number = st.sidebar.number_input(
                f"{indicator.label}: at or {'above' if worse == 'higher' else 'below'}{unit}", key=value_key,
                help=f"In the indicator's own units; {worse} values are worse (as you said when uploading).",
            )  # fmt: skip
        conditions.append((indicator_id, rule, float(number)))
    return tuple(conditions)


def upload_component_control(p: str, uploads) -> tuple[str, float] | None:
    """The composite index's optional uploaded component and its weight."""
    options = uploads.options()
    if not options:
        return None
    if st.session_state.get(p + "ucw") not in (None, *options):
        _prefixed_note(p, _uploaded_fallback_note(st.session_state.get(p + "ucw"), uploads) or "That data is gone.")
        st.session_state[p + "ucw"] = None
    chosen = st.sidebar.selectbox(
        "Add your data to the index", [None, *options], key=p + "ucw",
        format_func=lambda i: "No: the seven domains only" if i is None else options[i],
    )  # fmt: skip
    if chosen is None:
        return None
    st.session_state.setdefault(p + "ucw.w", 10.0)
    weight = st.sidebar.slider("Your data's weight", 0.0, 100.0, step=0.5, key=p + "ucw.w", format="%.1f%%")
    return chosen, float(weight)


def rerun_fragment() -> None:
    """Rerun the current fragment, or the whole app when the fragment is running as part of a full run.

    ``st.rerun(scope="fragment")`` is refused during a full-app run, which is how a widget inside a
    fragment is handled when the whole page reruns at that moment (and always in AppTest).
    """
    from streamlit.errors import StreamlitAPIException

    try:
        st.rerun(scope="fragment")
    except StreamlitAPIException:
        st.rerun()


# --- Uploaded areas on the profile page (issue 8) -----------------------------------------


def uploaded_area_choice(view: state.ProfileView | None = None):
    """The profile page's "Your areas" picker, seeded from ``?upload_area=``; ``(dataset, area id)`` or ``None``.

    Shown only when the session holds uploaded boundaries. A link to an area the session
    does not hold gets a note saying how to open it. Choosing an LA or LSOA in the pickers
    above (``view`` changes) leaves the uploaded area, so the page shows what was chosen.
    """
    from placemap.analysis import upload_area_profile as uap
    from placemap.data.prepare import escape_markdown

    datasets = session_areas()
    raw = st.query_params.get(state.UPLOAD_AREA)
    seeded = False
    if raw and raw != st.session_state.get(state.P_UA_SYNCED):
        st.session_state[state.P_UA_SYNCED] = raw
        if uap.find_area(datasets, raw) is not None:
            st.session_state[state.W_P_UPLOAD_AREA] = raw
            seeded = True
        else:
            _page_note(
                state.P_NOTES,
                f'The link opens one of your uploaded areas ("{escape_markdown(raw[:80])}"), which this browser '
                "session does not hold. Upload the boundaries again on the Bring your own data page (or open "
                "their saved link) and choose the area under Your areas.",
            )
    if view is not None:
        now, last = (view.la, view.area), st.session_state.get(state.P_UA_VIEW)
        if not seeded and last is not None and now != last:
            st.session_state[state.W_P_UPLOAD_AREA] = None
        st.session_state[state.P_UA_VIEW] = now
    if not datasets:
        return None
    options = {None: "— none: an LSOA or local authority —"} | uap.area_options(datasets)
    if st.session_state.get(state.W_P_UPLOAD_AREA) not in options:
        st.session_state[state.W_P_UPLOAD_AREA] = None
    chosen = st.sidebar.selectbox(
        "Or one of your areas (uploaded)", list(options), format_func=options.get, key=state.W_P_UPLOAD_AREA,
        placeholder=options[None],
        help="Boundaries you uploaded on the Bring your own data page: the official measures aggregated to them.",
    )  # fmt: skip
    return uap.find_area(datasets, chosen)


def write_uploaded_area_view(year: int, key: str) -> None:
    """Mirror an uploaded area's profile into the URL (``v``, ``upload_area``; ``upload`` kept)."""
    params = {state.YEAR: str(year), state.UPLOAD_AREA: key}
    if st.query_params.get(state.UPLOAD):
        params[state.UPLOAD] = st.query_params.get(state.UPLOAD)
    st.session_state[state.P_SYNCED] = {state.YEAR: str(year)}
    st.session_state[state.P_UA_SYNCED] = key
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


# --- Change and evaluation with uploaded data (issue 8) ----------------------------------


def _open_linked_upload(dataset_id: str, notes_key: str) -> None:
    """Open a saved upload named by a link into the session, moving its notes to ``notes_key``.

    "No saved dataset has that id" is left out: the caller says plainly that the data is not here.
    """
    db, _problem = open_store()
    open_shared_upload(db, dataset_id)
    for note in st.session_state.pop(state.UP_NOTES, []):
        if not note.startswith("No saved dataset has the link id"):
            _page_note(notes_key, note)


def _seed_upload_change() -> None:
    from placemap.data.prepare import escape_markdown

    link, notes = state.parse_upload_change_link(st.query_params.to_dict())
    for note in notes:
        _page_note(state.CH_UP_NOTES, note)
    st.session_state[state.W_CH_SOURCE] = state.CH_SOURCE_IOD
    if link.dataset is None:
        return
    if link.dataset not in session_uploads():
        _open_linked_upload(link.dataset, state.CH_UP_NOTES)
    table = next((t for t in session_tables() if t.id == link.dataset), None)
    if table is None:
        _page_note(
            state.CH_UP_NOTES,
            f"The link's uploaded data ({escape_markdown(link.dataset)}) is not in this session: uploads stay in the "
            "browser session that made them unless they are saved. Upload it again on the Bring your own data page; "
            "showing the Indices of Deprivation meanwhile.",
        )
        return
    st.session_state[state.W_CH_SOURCE] = state.CH_SOURCE_UPLOAD
    st.session_state[state.W_CH_TABLE] = table.id
    n = len(table.specs)
    for key, position, default, word in (
        (state.W_CH_UBEFORE, link.before, 0, "first"),
        (state.W_CH_UAFTER, link.after, n - 1, "last"),
    ):
        if position is not None and position >= n:
            _page_note(state.CH_UP_NOTES, f"Your data has {n} column(s), not {position + 1}; using the {word}.")
            position = None
        st.session_state[key] = default if position is None else position
    params = st.query_params.to_dict()
    if params.get(state.LA):
        st.session_state[state.W_CH_ULA] = params[state.LA]
    if params.get(state.AREA):
        st.session_state[state.W_CH_UAREA] = str(params[state.AREA]).upper()


def upload_change_controls(la_options: dict[int, dict[str, str]]) -> state.UploadChangeView | None:
    """The change page's "your data" sidebar; ``None`` when the page shows the Indices of Deprivation.

    Shown only when this session holds uploaded indicators (or a link names one). The view's
    ``problem`` is set (and nothing else matters) when the chosen table has one column.
    """
    from placemap.analysis import change, upload_change
    from placemap.uploads.upload import GEOGRAPHY_LABELS

    if state.W_CH_SOURCE not in st.session_state:
        _seed_upload_change()
    tables = session_tables()
    if not tables:
        st.session_state[state.W_CH_SOURCE] = state.CH_SOURCE_IOD
        return None
    sources = {
        state.CH_SOURCE_IOD: "The Indices of Deprivation (between editions)",
        state.CH_SOURCE_UPLOAD: "Your data (two columns of an uploaded table)",
    }
    st.sidebar.subheader("Show change in")
    source = st.sidebar.radio(
        "Show change in", list(sources), format_func=sources.get, key=state.W_CH_SOURCE, label_visibility="collapsed"
    )
    if source != state.CH_SOURCE_UPLOAD:
        return None
    by_id = {t.id: t for t in tables}
    if st.session_state.get(state.W_CH_TABLE) not in by_id:
        st.session_state[state.W_CH_TABLE] = next(iter(upload_change.tables_with_pairs(tables) or tables)).id
    table_id = st.sidebar.selectbox(
        "Uploaded table", list(by_id), key=state.W_CH_TABLE,
        format_func=lambda i: f"{by_id[i].name} ({len(by_id[i].specs)} column{'s' if len(by_id[i].specs) != 1 else ''})",
    )  # fmt: skip
    table = by_id[table_id]
    st.sidebar.caption(f"On {GEOGRAPHY_LABELS[table.geography]}.")
    n = len(table.specs)
    if n < 2:
        return state.UploadChangeView(dataset=table.id, problem=upload_change.ONE_COLUMN_NOTE)
    labels = [ind.label for ind in table.indicators()]
    for key, default in ((state.W_CH_UBEFORE, 0), (state.W_CH_UAFTER, n - 1)):
        if st.session_state.get(key) not in range(n):
            st.session_state[key] = default
    before = st.sidebar.selectbox(
        "Before (the earlier column)", list(range(n)), format_func=lambda i: labels[i], key=state.W_CH_UBEFORE
    )
    after = st.sidebar.selectbox(
        "After (the later column)", list(range(n)), format_func=lambda i: labels[i], key=state.W_CH_UAFTER
    )
    little = st.sidebar.number_input(
        "Little change: less than (in the table's units)", min_value=0.0, value=None, step=None, format="%g",
        key=state.W_CH_LITTLE, placeholder="a round number from the data",
        help="Changes smaller than this either way are grey. Leave empty for a round number set from the spread of the changes.",
    )  # fmt: skip

    st.sidebar.subheader("Place")
    codes_by_year = {
        y: set(cache.load_areas(y)["ward_code" if table.geography == "ward" else "la_code"]) for y in (2025, 2019)
    }
    year = upload_change.edition_year(table, codes_by_year)
    options = la_options[year]
    current = st.session_state.get(state.W_CH_ULA)
    if current not in options:
        by_name = {name.casefold(): code for code, name in options.items()}
        fallback = st.session_state.get(state.W_CH_LA)
        chosen = by_name.get(str(current or "").casefold()) or (fallback if fallback in options else None)
        chosen = chosen or (DEFAULT_LA if DEFAULT_LA in options else next(iter(options)))
        if current and not by_name.get(str(current).casefold()):
            from placemap.data.prepare import escape_markdown

            _page_note(
                state.CH_UP_NOTES,
                f'"{escape_markdown(str(current)[:40])}" is not a local authority on {change.GEOGRAPHY_LABELS.get(change.geography(year), "these LSOAs")}; showing {options[chosen]}.',
            )
        st.session_state[state.W_CH_ULA] = chosen
        st.session_state[state.W_CH_UAREA] = ""
    la = st.sidebar.selectbox(
        "Local authority (type to search)", list(options), format_func=options.get, key=state.W_CH_ULA,
        on_change=lambda: st.session_state.__setitem__(state.W_CH_UAREA, ""),
    )  # fmt: skip
    area_options = cache.load_area_options(year, (la,))
    current_area = st.session_state.get(state.W_CH_UAREA)
    if current_area not in area_options:  # "" is the whole LA (a None value would show as "no choice")
        if current_area:
            _page_note(state.CH_UP_NOTES, f"That LSOA is not in {options[la]} on these LSOAs; showing the whole LA.")
        st.session_state[state.W_CH_UAREA] = ""
    area = st.sidebar.selectbox(
        "Before and after for (an LSOA, or the whole LA)", ["", *area_options], key=state.W_CH_UAREA,
        format_func=lambda c: f"The whole of {options[la]}" if not c else area_options[c],
    ) or None  # fmt: skip
    return state.UploadChangeView(
        dataset=table.id, before=int(before), after=int(after), la=la, area=area,
        little=None if little is None else float(little), year=year,
    )  # fmt: skip


def evaluation_outcome_controls():
    """The evaluation page's "Outcome" choice (only when this session holds uploaded indicators).

    Returns ``(table, before, after)`` for an uploaded outcome, else ``None``; and a plain
    message when "your data" is chosen but no table can be an outcome.
    """
    from placemap.analysis import upload_change
    from placemap.uploads.upload import LSOA11, LSOA21

    tables = session_tables()
    if not tables:
        st.session_state[state.W_EV_OUTCOME] = state.CH_SOURCE_IOD
        return None, ""
    sources = {
        state.CH_SOURCE_IOD: "A domain of the Indices of Deprivation (between editions)",
        state.CH_SOURCE_UPLOAD: "Your data (two columns of an uploaded LSOA table)",
    }
    st.session_state.setdefault(state.W_EV_OUTCOME, state.CH_SOURCE_IOD)
    st.sidebar.subheader("Outcome")
    source = st.sidebar.radio("Outcome", list(sources), format_func=sources.get, key=state.W_EV_OUTCOME,
                              label_visibility="collapsed")  # fmt: skip
    if source != state.CH_SOURCE_UPLOAD:
        return None, ""
    usable = [t for t in upload_change.tables_with_pairs(tables) if t.geography in (LSOA11, LSOA21)]
    if not usable:
        return None, (
            "None of your uploaded tables can be an outcome: an outcome needs an LSOA table (2011 or 2021 codes) "
            "with two columns. " + upload_change.ONE_COLUMN_NOTE + " The outcome below is the Indices of Deprivation."
        )
    by_id = {t.id: t for t in usable}
    if st.session_state.get(state.W_EV_OTABLE) not in by_id:
        st.session_state[state.W_EV_OTABLE] = usable[0].id
    table = by_id[st.sidebar.selectbox("Uploaded table", list(by_id), format_func=lambda i: by_id[i].name,
                                       key=state.W_EV_OTABLE)]  # fmt: skip
    indicators = table.indicators()
    n = len(indicators)
    for key, default in ((state.W_EV_OBEFORE, 0), (state.W_EV_OAFTER, n - 1)):
        if st.session_state.get(key) not in range(n):
            st.session_state[key] = default
    before = st.sidebar.selectbox("Before the intervention", list(range(n)), key=state.W_EV_OBEFORE,
                                  format_func=lambda i: indicators[i].label)  # fmt: skip
    after = st.sidebar.selectbox("After the intervention", list(range(n)), key=state.W_EV_OAFTER,
                                 format_func=lambda i: indicators[i].label)  # fmt: skip
    error, cautions = upload_change.pair_problems(indicators[before], indicators[after])
    if error:
        return None, error + " The outcome below is the Indices of Deprivation."
    for caution in cautions:
        from placemap.data.prepare import escape_markdown

        st.sidebar.warning(escape_markdown(caution))
    return (table, indicators[before], indicators[after]), ""


def seed_saved_outcome(intervention) -> None:
    """Put a saved intervention's uploaded outcome into the widgets, or a plain note when its upload is absent."""
    from placemap.analysis import upload_evaluation
    from placemap.data.prepare import escape_markdown

    st.session_state[state.EV_RULE] = (intervention.selection_rule, tuple(intervention.area_codes))
    outcome = intervention.outcome
    if outcome is None:
        st.session_state[state.W_EV_OUTCOME] = state.CH_SOURCE_IOD
        return
    found = upload_evaluation.find_outcome(session_tables(), outcome)
    if found is None and outcome.dataset_id not in session_uploads():
        _open_linked_upload(outcome.dataset_id, state.EV_NOTES)  # a saved upload opens from the database
        found = upload_evaluation.find_outcome(session_tables(), outcome)
    if found is None:
        _page_note(
            state.EV_NOTES,
            upload_evaluation.NOT_IN_SESSION.format(
                name=escape_markdown(outcome.dataset_name),
                before=escape_markdown(outcome.before_label),
                after=escape_markdown(outcome.after_label),
            ),
        )
        st.session_state[state.W_EV_OUTCOME] = state.CH_SOURCE_IOD
        return
    table, before, after = found
    ids = [i.id for i in table.indicators()]
    st.session_state[state.W_EV_OUTCOME] = state.CH_SOURCE_UPLOAD
    st.session_state[state.W_EV_OTABLE] = table.id
    st.session_state[state.W_EV_OBEFORE] = ids.index(before.id)
    st.session_state[state.W_EV_OAFTER] = ids.index(after.id)


def treated_from_uploaded_areas(geo_year: int, areas_all) -> None:
    """Choose the intervention's LSOAs from uploaded areas: the rule, the LSOAs it picks, and an "Add" button."""
    from placemap.analysis import upload_evaluation
    from placemap.uploads import uploaded_boundaries as ub

    datasets = {d.id: d for d in session_areas()}
    if not datasets:
        return
    st.markdown("**From your uploaded areas**")
    if st.session_state.get(state.W_EV_AREAS_SET) not in datasets:
        st.session_state[state.W_EV_AREAS_SET] = next(iter(datasets))
    chosen_set = datasets[st.selectbox("Uploaded areas", list(datasets), format_func=lambda i: datasets[i].name,
                                       key=state.W_EV_AREAS_SET)]  # fmt: skip
    names = dict(zip(chosen_set.areas[ub.AREA_ID], chosen_set.areas[ub.AREA_LABEL], strict=True))
    picked = [a for a in (st.session_state.get(state.W_EV_AREAS) or []) if a in names]
    st.session_state[state.W_EV_AREAS] = picked
    picked = st.multiselect("Areas", list(names), format_func=names.get, key=state.W_EV_AREAS,
                            placeholder="Choose one or more of your areas")  # fmt: skip
    percent = st.slider("Share of an LSOA's population inside, at least (%)", upload_evaluation.MIN_SHARE_PERCENT,
                        upload_evaluation.MAX_SHARE_PERCENT, int(upload_evaluation.DEFAULT_SHARE * 100), step=5,
                        key=state.W_EV_SHARE)  # fmt: skip
    threshold = percent / 100
    st.caption(
        f"Rule: an LSOA is in the intervention when at least {percent}% of its population lives inside the chosen "
        "area(s), estimated by population-weighted overlay: the LSOA's population times the share of its area "
        "inside (people assumed spread evenly within each LSOA)."
    )
    if not picked:
        return
    geojson = chosen_set.areas[[ub.AREA_ID, ub.AREA_LABEL, "geometry"]].to_json()
    weights = cache.load_upload_overlay(geo_year, chosen_set.id, geojson)
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
