"""Controls of the profile and compare pages: the area pickers, their notes and links. Imports streamlit."""

from __future__ import annotations

import streamlit as st

from placemap.data.catalogue import (
    DEFAULT_LA,
    VINTAGES,
)
from placemap.data.loaders import AREA_NAME, LA_CODE
from placemap.links import explorer_links, params, profile_links
from placemap.ui import cache, state
from placemap.ui.page_setup import edition_picker, la_picker


def area_la(year: int, code: str) -> str | None:
    """The LA of an LSOA in an edition's geography, or ``None`` if the edition has no such LSOA."""
    areas = cache.load_areas(year)
    return str(areas.at[code, LA_CODE]) if code in areas.index else None


def page_note(key: str, text: str) -> None:
    st.session_state.setdefault(key, []).append(text)


def show_page_notes(key: str) -> None:
    """Show a page's fallback notes (bad link values and the like) as one visible message."""
    notes = st.session_state.get(key) or []
    if notes:
        st.info("\n".join(f"- {n}" for n in dict.fromkeys(notes)), icon=":material/info:")


def _url_params(keys: tuple[str, ...]) -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items() if k in keys}


def _profile_from_last_map_view() -> profile_links.ProfileView:
    last = st.session_state.get(state.LAST_VIEW)
    if not last:
        return profile_links.ProfileView()
    view = explorer_links.view_from_dict(last)
    return profile_links.ProfileView(year=view.year, la=view.la, area=view.area)


def profile_controls(la_options: dict[int, dict[str, str]]) -> profile_links.ProfileView:
    """The profile page's sidebar: edition, LA and (optionally) an LSOA; seeded from the link.

    A link (``?area=E01...``, ``?la=E08...``, ``&v=2019``) seeds the pickers whenever it
    differs from the one the page last wrote; without one, the page opens on the map
    explorer's last place and area.
    """
    params = _url_params(profile_links.PROFILE_KEYS)
    fresh = state.W_P_YEAR not in st.session_state
    if fresh or (params and params != st.session_state.get(state.P_SYNCED)):
        if params:
            view, notes = profile_links.parse_profile(params, la_options, area_la)
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
            page_note(state.P_NOTES, f"{old} is not a local authority of IoD{year}'s geography; showing Blackpool.")
        st.session_state[state.W_P_LA] = DEFAULT_LA
        st.session_state[state.W_P_AREA] = None
    la = la_picker(state.W_P_LA, options, on_change=lambda: (clear(), st.session_state.update({state.W_P_AREA: None})))
    area_options = cache.load_area_options(year, (la,))
    current = st.session_state.get(state.W_P_AREA)
    if current and current not in area_options:
        page_note(
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
    return profile_links.ProfileView(year=year, la=la, area=area)


def write_profile_view(view: profile_links.ProfileView) -> None:
    """Mirror the profile view into the URL so the page is a shareable link."""
    params = view.to_params()
    st.session_state[state.P_SYNCED] = params
    if _url_params(profile_links.PROFILE_KEYS) != params or set(st.query_params.to_dict()) - set(params):
        st.query_params.from_dict(params)


def compare_controls(la_options: dict[int, dict[str, str]]) -> profile_links.CompareView:
    """The compare page's sidebar: edition, LSOAs or LAs, and 2 to 6 areas; seeded from the link."""
    params = _url_params(profile_links.COMPARE_KEYS)
    fresh = state.W_C_YEAR not in st.session_state
    if fresh or (params and params != st.session_state.get(state.C_SYNCED)):
        view, notes = profile_links.parse_compare(params, la_options, area_la)
        st.session_state[state.W_C_YEAR] = view.year
        st.session_state[state.W_C_KIND] = view.kind
        st.session_state[state.W_C_LAS] = list(view.codes) if view.kind == "la" else list(profile_links.DEFAULT_COMPARE)
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
            page_note(state.C_NOTES, f"Some local authorities are not in IoD{year}'s geography and were left out.")
        st.session_state[state.W_C_LAS] = chosen[: profile_links.MAX_COMPARE]
        codes = st.sidebar.multiselect(
            f"Local authorities (2 to {profile_links.MAX_COMPARE}; type to search)",
            list(options),
            format_func=options.get,
            max_selections=profile_links.MAX_COMPARE,
            key=state.W_C_LAS,
            on_change=clear,
        )
    else:
        names = cache.load_areas(year)[AREA_NAME]
        chosen = [c for c in st.session_state.get(state.W_C_LSOAS, []) if c in names.index]
        if len(chosen) != len(st.session_state.get(state.W_C_LSOAS, [])):
            page_note(state.C_NOTES, f"Some LSOAs are not in IoD{year}'s geography and were left out.")
        st.session_state[state.W_C_LSOAS] = chosen[: profile_links.MAX_COMPARE]
        if st.session_state.get(state.W_C_FROM) not in options:
            st.session_state[state.W_C_FROM] = DEFAULT_LA
        from_la = st.sidebar.selectbox(
            "Pick LSOAs from (type to search)", list(options), format_func=options.get, key=state.W_C_FROM
        )
        choices = list(dict.fromkeys(chosen + list(cache.load_area_options(year, (from_la,)))))
        codes = st.sidebar.multiselect(
            f"LSOAs (2 to {profile_links.MAX_COMPARE}; type a name or code)",
            choices,
            format_func=lambda c: f"{names[c]} ({c})",
            max_selections=profile_links.MAX_COMPARE,
            key=state.W_C_LSOAS,
            on_change=clear,
        )
    return profile_links.CompareView(year=year, kind=kind, codes=tuple(codes))


def write_compare_view(view: profile_links.CompareView) -> None:
    """Mirror the compare view into the URL so the page is a shareable link."""
    params = view.to_params()
    st.session_state[state.C_SYNCED] = params
    if _url_params(profile_links.COMPARE_KEYS) != params or set(st.query_params.to_dict()) - set(params):
        st.query_params.from_dict(params)


def profile_link(year: int, code: str, label: str = "Open profile") -> None:
    """A link to the profile page of an LSOA or LA (used in the map's side panel)."""
    key = explorer_links.AREA if params.LSOA_CODE_PATTERN.match(code) else explorer_links.LA
    st.page_link(
        "views/profile.py",
        label=label,
        icon=":material/article:",
        query_params={explorer_links.YEAR: str(year), key: code},
    )
