"""Link state in the session: widget keys, and reading and writing a page's view to its address.

Streamlit UI code: this module imports streamlit. Parsing the address is pure and lives in ``placemap.links``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict

import streamlit as st

from placemap.links.change_links import ChangeView, parse_change_view
from placemap.links.explorer_links import LA, SHARE_KEYS, YEAR, View, parse_view, view_from_dict

# Widget keys of the map explorer, namespaced by page.
W_YEAR, W_LA, W_DOMAIN, W_MEASURE = "map.year", "map.la", "map.domain", "map.measure"


W_SCHEME, W_CLASSES, W_PALETTE, W_BASEMAP, W_AREA = "map.scheme", "map.k", "map.palette", "map.basemap", "map.area"


W_MAP = "map.folium"


W_PLACE, W_LAS, W_REGION, W_GEO = "map.place", "map.las", "map.region", "map.geo"


# "Show areas as": the level drawn, its summary measure, the selected place and the level map's own key.
W_LEVEL, W_LEVEL_MEASURE = "map.level", "map.level_measure"
W_LEVEL_PLACE, W_LEVEL_MAP = "map.level_place", "map.lfolium"


LAST_VIEW = "pm.view"  # survives page switches (not a widget key)


NOTES = "map.notes"


def read_view(
    la_options: Mapping[int, Mapping[str, str]], region_options: Mapping[str, str] | None = None
) -> tuple[View, list[str]]:
    """The view this session should start from: the URL if it has one, else the last view."""
    params = st.query_params.to_dict()
    if any(k in params for k in SHARE_KEYS):
        return parse_view(params, la_options, region_options)
    if LAST_VIEW in st.session_state:
        return view_from_dict(st.session_state[LAST_VIEW]), []
    return View(), []


def write_view(view: View) -> None:
    """Mirror the view into the URL (so it is a shareable link) and the session."""
    st.session_state[LAST_VIEW] = asdict(view)
    params = view.to_params()
    current = st.query_params.to_dict()
    if current != params:
        st.query_params.from_dict(params)


# Widget keys of the change page.
W_CH_BEFORE, W_CH_AFTER, W_CH_DOMAIN, W_CH_MEASURE = "change.before", "change.after", "change.domain", "change.measure"


W_CH_LA, W_CH_AREA, W_CH_MAP, CH_NOTES = "change.la", "change.area", "change.folium", "change.notes"


W_EV_BEFORE, W_EV_AFTER, W_EV_DOMAIN, W_EV_MEASURE = "eval.before", "eval.after", "eval.domain", "eval.measure"


W_EV_NAME, W_EV_LA, W_EV_CODES, W_EV_WARDS, W_EV_PASTE = (
    "eval.name",
    "eval.la",
    "eval.codes",
    "eval.wards",
    "eval.paste",
)


W_EV_K, W_EV_REGION, W_EV_EXCLUDE_LA = "eval.k", "eval.same_region", "eval.exclude_la"


W_EV_BOOT, W_EV_SEED, W_EV_MAP, EV_NOTES, EV_LOADED = (
    "eval.n_boot",
    "eval.seed",
    "eval.folium",
    "eval.notes",
    "eval.loaded",
)


EV_SAVED = "eval.saved"  # the definition last saved or opened (its link stays in the URL while unchanged)


W_CH_SUBDOMAINS = "change.subdomains"


W_EV_ADD_WARDS, W_EV_ADD_CODES, W_EV_CLEAR, W_EV_SAVE = "eval.add_wards", "eval.add_codes", "eval.clear", "eval.save"


def read_change_view(la_options: Mapping[int, Mapping[str, str]]) -> tuple[ChangeView, list[str]]:
    """The change view this session starts from: the URL's parameters (validated), else the defaults."""
    return parse_change_view(st.query_params.to_dict(), la_options)


def write_params(params: Mapping[str, str]) -> None:
    """Make the URL hold exactly ``params`` (only when they differ, to avoid needless reruns)."""
    if st.query_params.to_dict() != dict(params):
        st.query_params.from_dict(dict(params))


W_P_YEAR, W_P_LA, W_P_AREA = "profile.year", "profile.la", "profile.area"


P_SYNCED, P_NOTES = "profile.synced", "profile.notes"  # the URL the page last wrote; fallback notes


W_C_YEAR, W_C_KIND, W_C_LAS = "compare.year", "compare.kind", "compare.las"


W_C_FROM, W_C_LSOAS = "compare.from", "compare.lsoas"


C_SYNCED, C_NOTES = "compare.synced", "compare.notes"


# The workshop page's shareable keys (mode, step, ws, la) live in ``placemap.community.workshop``.
W_WS_STEP, W_WS_BIG, W_WS_MAP, WS_NOTES, WS_PIN = "ws.step", "ws.big", "ws.folium", "ws.notes", "ws.pin"


W_WS_CATEGORY, W_WS_TEXT, W_WS_NAME, W_WS_PIN_KIND = "ws.category", "ws.text", "ws.first_name", "ws.pin_kind"


W_WS_PASSCODE, WS_FACILITATOR = "ws.passcode", "ws.facilitator"
WS_PARTICIPANT, WS_LOADED = "ws.participant", "ws.loaded"


W_WS_NEW_NAME, W_WS_NEW_VOTES, W_WS_PRIORITY, W_WS_SCORE_PLACE = (
    "ws.new_name",
    "ws.new_votes",
    "ws.priority",
    "ws.score_place",
)


W_IN_LA, W_IN_MAP, W_IN_FILTER_DOMAIN, W_IN_FILTER_SECTOR, W_IN_FILTER_STATUS, W_IN_FILTER_TEXT = (
    "init.la",
    "init.folium",
    "init.f_domain",
    "init.f_sector",
    "init.f_status",
    "init.f_text",
)


UPLOADS = "pm.uploads"  # this session's uploaded datasets: id -> digest in ``registry.UPLOADS``


UP_NOTES, UP_LOADED = "upload.notes", "upload.loaded"


W_MAP_UPLOADED = "map.uploaded"  # the map explorer's "Your data" picker


W_UP_TABLE, W_UP_TABLE_GEO, W_UP_NAME, W_UP_SOURCE = "upload.table", "upload.table_geo", "upload.name", "upload.source"


W_UP_BOUNDS, W_UP_CRS, W_UP_NAME_COL, W_UP_YEAR = "upload.bounds", "upload.crs", "upload.name_col", "upload.year"


W_UP_MEASURE, W_UP_MAP, W_UP_ADD, W_UP_SAVE = "upload.measure", "upload.folium", "upload.add", "upload.save"


W_UP_B_NAME, W_UP_B_SOURCE, W_UP_B_ADD = "upload.b_name", "upload.b_source", "upload.b_add"


# Widget keys, namespaced by page.
W_SYS = "systems."


W_PRI = "priority."


W_HOT = "hotspots."


SYS_LAST, PRI_LAST, HOT_LAST = "pm.systems", "pm.priority", "pm.hotspots"


LAST_PLACE = "pm.place"  # the place last shown by one of these pages (not a widget key)


def _explorer_place() -> dict[str, str] | None:
    explorer = st.session_state.get(LAST_VIEW)
    if not explorer:
        return None
    return {YEAR: str(explorer.get("year", "")), LA: str(explorer.get("la", ""))}


def read_page_view(parse, last_key: str, share_keys: tuple[str, ...]):
    """The view a page starts from: its link if the URL has one of ``share_keys``, else the
    session's last view of the page, else the place last shown on any page, else the defaults.

    ``parse(params)`` validates a parameter mapping into ``(view, notes)``. "The place last
    shown" is the one these pages last showed, unless the map explorer changed place since.
    """
    params = st.query_params.to_dict()
    if any(k in params for k in share_keys):
        return parse(params)
    if last_key in st.session_state:
        view, _ = parse(st.session_state[last_key])
        return view, []
    place = st.session_state.get(LAST_PLACE)
    explorer = _explorer_place()
    if place and (explorer is None or explorer == place.get("explorer")):
        view, _ = parse(place["params"])
        return view, []
    if explorer:
        view, _ = parse(explorer)
        return view, []
    return parse({})


def write_page_view(params: dict[str, str], last_key: str) -> None:
    """Mirror a page's view into the URL (a shareable link) and the session."""
    st.session_state[last_key] = dict(params)
    st.session_state[LAST_PLACE] = {"params": {YEAR: params[YEAR], LA: params[LA]}, "explorer": _explorer_place()}
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


# Workshop note form: the text of the note just saved. Until the next submit, any run that finds the
# text box still holding exactly that text empties it before drawing it (a widget's value cannot be
# changed once it is on the page). Not a one-shot flag: a live-refresh run that was already on its
# way carries the browser's old form value and would put the saved text back.
WS_SAVED_TEXT = "ws.saved_text"


WS_DRAWN = "ws.drawn"  # the live fingerprint of notes and votes this screen last drew


W_WS_SUBMIT = "ws.note_submit"


W_P_UPLOAD_AREA = "profile.upload_area"


W_CH_SOURCE, W_CH_TABLE, W_CH_UBEFORE, W_CH_UAFTER = "change.source", "change.table", "change.ubefore", "change.uafter"


W_CH_LITTLE, W_CH_ULA, W_CH_UAREA, CH_UP_NOTES = "change.little", "change.ula", "change.uarea", "change.up_notes"


W_CH_UMAP = "change.ufolium"


# The evaluation page: treated LSOAs from uploaded areas, and an uploaded outcome.
W_EV_AREAS_SET, W_EV_AREAS, W_EV_SHARE, W_EV_ADD_AREAS = "eval.areas_set", "eval.areas", "eval.share", "eval.add_areas"


W_EV_OUTCOME, W_EV_OTABLE, W_EV_OBEFORE, W_EV_OAFTER = "eval.outcome", "eval.otable", "eval.obefore", "eval.oafter"


EV_RULE = "eval.selection_rule"  # how the treated LSOAs were chosen from uploaded areas (saved with the intervention)
