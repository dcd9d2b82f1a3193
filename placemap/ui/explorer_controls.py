"""The map explorer's sidebar: place, indicator and colours, seeded from the link and validated before drawing.

A widget's stored value is checked against its current options *before* the widget is created, so a stale
or hostile value (from a link or an older session) never reaches Streamlit. Imports streamlit."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from placemap.analysis.classify import MAX_CLASSES, MIN_CLASSES, PALETTES, SCHEMES
from placemap.data.catalogue import (
    CATALOGUE,
    DEFAULT_INDICATOR,
    DEFAULT_LA,
    LSOA_DEFAULT_LIMIT,
    VINTAGES,
    get_indicator,
)
from placemap.data.indicator_picker import fallback
from placemap.data.indicators import Indicator
from placemap.links import explorer_links
from placemap.render.maps import BASEMAPS
from placemap.ui import cache, indicator_picker, level_map, places, state, upload_controls
from placemap.ui.page_setup import clicked_point, edition_picker, la_picker


def _note(text: str) -> None:
    st.session_state.setdefault(state.NOTES, []).append(text)


def _choice(widget, label: str, options: dict, key: str, **kwargs):
    """A sidebar ``widget`` (radio, selectbox, multiselect) over ``options``' values, showing their labels."""
    return widget(label, list(options), format_func=options.get, key=key, **kwargs)


def clear_notes() -> None:
    """Forget fallback notes once the user changes the view themselves."""
    st.session_state[state.NOTES] = []


def _seed(view: explorer_links.View) -> None:
    st.session_state[state.W_YEAR] = view.year
    st.session_state[state.W_LA] = view.la
    st.session_state[state.W_PLACE] = view.place
    st.session_state[state.W_LAS] = list(view.las)
    st.session_state[state.W_REGION] = view.region
    if view.place != explorer_links.PLACE_LA and view.geo:
        st.session_state[state.W_GEO] = view.geo
    st.session_state[state.W_MEASURE] = view.indicator
    st.session_state[state.W_SCHEME] = view.scheme
    st.session_state[state.W_CLASSES] = view.k
    st.session_state[state.W_PALETTE] = view.palette
    st.session_state[state.W_BASEMAP] = view.basemap
    st.session_state[state.W_AREA] = view.area
    level_map.seed(view)


def explorer_controls(la_options: dict[int, dict[str, str]]) -> explorer_links.View:
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
    place = _choice(st.sidebar.radio, "Show", explorer_links.PLACE_KINDS, state.W_PLACE, on_change=_place_changed)
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
    if place == explorer_links.PLACE_LA:
        la = la_picker(state.W_LA, options, on_change=_la_changed)
    elif place == explorer_links.PLACE_LAS:
        kept = [c for c in st.session_state.get(state.W_LAS) or [] if c in options]
        st.session_state[state.W_LAS] = kept or [la]
        label = f"Local authorities (type to add; up to {explorer_links.MAX_LAS})"
        picked = _choice(
            st.sidebar.multiselect,
            label,
            options,
            state.W_LAS,
            on_change=_la_changed,
            max_selections=explorer_links.MAX_LAS,
        )
        las = tuple(picked) or (la,)
    elif place == explorer_links.PLACE_REGION:
        if st.session_state.get(state.W_REGION) not in region_options:
            st.session_state[state.W_REGION] = next(iter(region_options))
        region = _choice(st.sidebar.selectbox, "Region", region_options, state.W_REGION, on_change=_la_changed)

    regions = cache.load_regions(year)
    probe = explorer_links.View(year=year, la=la, place=place, las=las, region=region)
    la_codes = places.place_la_codes(probe, options, regions)
    n_lsoas = cache.count_lsoas(year, la_codes)
    geo = explorer_links.GEO_LSOA
    level, level_measure = level_map.level_controls(year)
    if place != explorer_links.PLACE_LA and level == explorer_links.LEVEL_LSOA:
        if st.session_state.get(state.W_GEO) not in explorer_links.GEOGRAPHIES:
            st.session_state[state.W_GEO] = (
                explorer_links.GEO_LA if n_lsoas > LSOA_DEFAULT_LIMIT else explorer_links.GEO_LSOA
            )
        geo = _choice(
            st.sidebar.radio,
            "Draw",
            explorer_links.GEOGRAPHIES,
            state.W_GEO,
            on_change=clear_notes,
            help="Local authorities: the share of each LA's LSOAs in England's most deprived 10%.",
        )
    area = None
    at_lsoas = level == explorer_links.LEVEL_LSOA  # at larger levels a place is selected by level_map
    if at_lsoas and geo == explorer_links.GEO_LSOA and n_lsoas <= AREA_LIST_LIMIT:
        # Before the map in the tab order: the keyboard route to selecting an area.
        area = area_picker(cache.load_area_options(year, la_codes), places.place_label(probe, options, region_options))
    elif at_lsoas and geo == explorer_links.GEO_LSOA:
        area = _valid_area(year, la_codes)
        st.sidebar.caption(f"{n_lsoas:,} LSOAs: click the map to select one, or pick one local authority to list them.")

    st.sidebar.subheader("Indicator")
    offered = CATALOGUE.for_edition(year)
    ids = {i.id for i in offered}
    previous = st.session_state.get(state.W_MEASURE) or DEFAULT_INDICATOR
    if previous not in ids:
        st.session_state[state.W_MEASURE] = fallback(previous, offered)
        _note(
            f"{get_indicator(previous).label if previous in CATALOGUE else previous} is not published in "
            f"IoD{year}; showing {get_indicator(st.session_state[state.W_MEASURE]).label}."
        )
    indicator = indicator_picker.indicator_picker(
        "Indicator (grouped by theme)", offered, state.W_MEASURE, on_change=clear_notes
    )

    st.sidebar.subheader("Colours")
    scheme = _choice(st.sidebar.selectbox, "Classification", SCHEMES, state.W_SCHEME)
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
    basemap = _choice(st.sidebar.radio, "Basemap", BASEMAPS, state.W_BASEMAP)
    return explorer_links.View(
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
        level=level,
        measure=level_measure,
        level_place=None if at_lsoas else st.session_state.get(state.W_LEVEL_PLACE),
    )


@dataclass(frozen=True)
class MapIndicator:
    """The indicator the map explorer draws: the view's, or one of this session's uploads.

    ``upload`` is the registry digest of the uploaded table holding it (``""`` for the
    catalogue's), what ``cache.load_classification`` and its kin take beside the id; ``note``
    (plain text, not escaped) says how its values reach the LSOAs, or why the chosen upload is
    not shown; ``uploaded`` is ``(UploadedTable, Indicator)`` for
    the map's downloads.
    """

    indicator: Indicator
    upload: str = ""
    note: str = ""
    uploaded: tuple | None = None


def map_indicator(view: explorer_links.View) -> MapIndicator:
    """The "Your data" picker (when this session has uploads) and the indicator the map shows.

    An uploaded indicator that cannot be shown on the view's edition (LSOAs of another
    geography, or cleared from the server's memory) leaves the view's own, with a note.
    """
    chosen = upload_controls.uploaded_indicator_choice(view.year)
    if chosen is None:
        return MapIndicator(get_indicator(view.indicator))
    digest = st.session_state.get(state.UPLOADS, {}).get(chosen[0].id, "")
    try:
        _, indicator, note = cache.load_indicator_areas(view.year, chosen[1].id, digest)
    except ValueError as error:
        return MapIndicator(get_indicator(view.indicator), note=f"Your data is not shown: {error}")
    return MapIndicator(indicator, digest, note, chosen)


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


CLICK_HANDLED = "map.click_handled"  # the last clicked point turned into a selection


def handle_map_click(year: int, la_codes: tuple[str, ...], geo: str = explorer_links.GEO_LSOA) -> None:
    """``st_folium`` callback: turn a clicked point into the selected area (runs before the page).

    On the local-authority summary map a click opens that LA at LSOA level instead.
    """
    point = clicked_point(state.W_MAP)
    if point is None or st.session_state.get(CLICK_HANDLED) == point:
        return  # no click, or a zoom or pan of the large views (which report them) after one
    st.session_state[CLICK_HANDLED] = point
    lat, lng = point
    if geo == explorer_links.GEO_LA:
        la = cache.la_at(year, la_codes, lat, lng)
        if la:
            st.session_state[state.W_PLACE] = explorer_links.PLACE_LA
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
