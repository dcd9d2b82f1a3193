"""Draw an area: draw a boundary on the map, see its LSOAs and summary measures, name it, save it and share its link."""

import streamlit as st

from placemap.data.catalogue import DEFAULT_LA, VINTAGES
from placemap.data.prepare import escape_markdown
from placemap.links import drawn_links
from placemap.render.maps import BASEMAPS
from placemap.storage import drawn_areas
from placemap.storage.store import StoreError
from placemap.ui import access, draw_controls, page_setup

dc = draw_controls
md = escape_markdown

st.title("Draw an area", anchor=False)
st.markdown(
    "Draw the area you work in (a neighbourhood, an estate, a parish) on the map with the **polygon** or "
    "**rectangle** tool at its top left. Placemap finds its LSOAs (those whose centre lies inside), gives "
    "its summary measures of deprivation by MHCLG's own method, and, once you name and save it, a link "
    "anyone can open."
)

db, db_problem = page_setup.open_store()
la_options = page_setup.la_options_all()[dc.MAP_YEAR]
view, notes = drawn_links.parse_draw_link(st.query_params.to_dict(), la_options)
for note in notes:
    st.info(note, icon=":material/info:")
if flash := st.session_state.pop(dc.FLASH, None):
    st.success(flash)

saved = None
if view.share_id:
    if db is None:
        st.warning(md(db_problem or "The database is unavailable, so the saved area cannot be opened."))
    else:
        try:
            saved = drawn_areas.get_drawn_area(db, view.share_id)
        except StoreError as exc:
            st.warning(md(str(exc)))
        else:
            if saved is None:
                st.warning("No saved area has this link: it may have been removed. Draw a new one below.")

years = [v.year for v in VINTAGES]
st.session_state.setdefault(dc.W_YEAR, view.year)
year = page_setup.edition_picker(dc.W_YEAR, years)
if saved is None:
    st.session_state.setdefault(dc.W_LA, view.la_code or DEFAULT_LA)
    if st.session_state[dc.W_LA] not in la_options:
        st.session_state[dc.W_LA] = DEFAULT_LA
    la_code = page_setup.la_picker(dc.W_LA, la_options)
else:
    la_code = saved.la_code if saved.la_code in la_options else DEFAULT_LA
basemap = st.sidebar.selectbox(
    "Background map", list(BASEMAPS), format_func=BASEMAPS.get, key=dc.W_BASEMAP, help="Streets help you draw."
)

if dc.drawing_tools_missing():
    st.error(
        "The drawing tools (Leaflet.draw) are not installed on this server, and Placemap never loads them from "
        "the internet. Whoever runs the server: run `npm install` in Placemap's folder (or `bash scripts/start.sh`)."
    )
    st.stop()

actor = access.current_actor()
# A link to a saved area keeps its id while the database is down (it opens again once it is back).
dc.write_link(saved.share_id if saved else (view.share_id if db is None else None), year, la_code)
if saved is not None:
    st.header(md(saved.name), anchor=False)
    st.caption(f"A drawn area, {saved.area_km2:,.2f} km². Link: `{drawn_links.draw_href(saved.share_id, year)}`")

# The map comes first on the page but last in the script: what was drawn (known before the map is
# shown) decides the LSOAs it outlines.
map_slot, details = st.container(), st.container()
key = dc.map_key(la_code, saved, basemap)
with details:
    check = dc.checked_drawing(dc.current_drawing(key))
    place = dc.drawn_place(check, year)
    drawn_now = place is not None and place.ok
    if drawn_now:
        members, rows = place.members, place.lsoas
    elif saved is not None:
        members, rows = dc.saved_lsoas(saved, year)
    else:
        members, rows = [], None
with map_slot:
    counted = dc.load_counted_features(year, tuple(members)) if members else None
    dc.show_draw_map(key, la_code, year, saved, counted, basemap)
    st.caption(
        "Outlines on the map: the local authority (black), its wards (switch them on at the top right), your "
        "area (magenta) and the LSOAs counted in it (blue, dashed). The tables below give the same in words."
    )
with details:
    if members:
        name = saved.name if saved is not None and not drawn_now else "Your area"
        dc.show_place(name, year, members, rows, drawn_links.draw_href(saved.share_id, year) if saved else None)
    elif check is None and saved is None:
        st.info(
            "Nothing is drawn yet: pick the polygon tool on the map, click round your area, and click the "
            "first point again to finish."
        )
    if drawn_now and saved is None:
        dc.save_form(db, actor, check, la_code, year)
    if saved is not None:
        dc.edit_form(db, actor, saved, check if drawn_now else None)
