"""Placemap: entry point. Page config, navigation over views/ (not pages/: Streamlit would also auto-discover that folder and run deep links without app.py), the shared sidebar."""

import time

STARTED, CPU_STARTED = time.perf_counter(), time.thread_time()  # the script run's start, for PLACEMAP_LOG_RUN_TIMES

from pathlib import Path  # noqa: E402

import streamlit as st  # noqa: E402

import placemap.uploads.gdal_safety  # noqa: E402, F401 - first, so no GDAL driver that reaches other files or the network is ever registered
from placemap.data.loaders import DataFileError  # noqa: E402
from placemap.render.assets import ensure_leaflet, ensure_leaflet_draw  # noqa: E402
from placemap.ui.access import sign_in_control  # noqa: E402
from placemap.ui.cache import warm_imports_later  # noqa: E402
from placemap.ui.page_setup import apply_house_style, show_data_problem  # noqa: E402
from placemap.ui.place_finder import open_place_on_page, place_search_sidebar  # noqa: E402
from placemap.ui.run_log import timed_run  # noqa: E402

# A local icon: a ":material/...:" page icon makes the browser fetch the favicon from Google.
ICON = Path(__file__).resolve().parent / "assets" / "icon.png"
st.set_page_config(page_title="Placemap", page_icon=str(ICON), layout="wide")
ensure_leaflet()
ensure_leaflet_draw()
apply_house_style()

# One flat list: Streamlit's sectioned navigation puts headings inside its <ul>, which axe reports
# as a serious "list" violation. The order follows the tour in docs/user-guide/README.md.
pages = [
    st.Page("views/map.py", title="Map explorer", icon=":material/map:", url_path="explore", default=True),
    st.Page("views/profile.py", title="Area profile", icon=":material/article:", url_path="profile"),
    st.Page("views/compare.py", title="Compare areas", icon=":material/compare:", url_path="compare"),
    st.Page("views/systems.py", title="Systems view", icon=":material/hub:", url_path="systems"),
    st.Page("views/priorities.py", title="Priority finder", icon=":material/target:", url_path="priorities"),
    st.Page("views/hotspots.py", title="Hot spots", icon=":material/local_fire_department:", url_path="hotspots"),
    st.Page("views/change.py", title="Change over time", icon=":material/compare_arrows:", url_path="change"),
    st.Page("views/evaluate.py", title="Evaluate an intervention", icon=":material/query_stats:", url_path="evaluate"),
    st.Page("views/workshop.py", title="Community workshop", icon=":material/groups:", url_path="workshop"),
    st.Page(
        "views/initiatives.py", title="Initiatives and partners", icon=":material/handshake:", url_path="initiatives"
    ),
    st.Page("views/plan.py", title="Place plan", icon=":material/flag:", url_path="plan"),
    st.Page("views/draw.py", title="Draw an area", icon=":material/draw:", url_path="draw"),
    st.Page("views/upload.py", title="Bring your own data", icon=":material/upload_file:", url_path="upload"),
    st.Page("views/about.py", title="About the data", icon=":material/info:", url_path="about"),
]


def _map_address() -> None:
    """``/map?…``, the map explorer's address in the guide: Streamlit serves the default page only at the root."""
    st.switch_page(pages[0], query_params=st.query_params.to_dict())


pages.append(st.Page(_map_address, title="Map explorer", url_path="map", visibility="hidden"))
page = st.navigation(pages)
st.sidebar.caption("Placemap: a shared picture of place-based change in England.")
place_search_sidebar()
sign_in_control()
if page.title == "Map explorer" and st.query_params.get("mode") == "workshop":  # at / or /map
    # "?mode=workshop" on the app's own address opens the workshop screen with the same link values.
    st.switch_page("views/workshop.py", query_params=st.query_params.to_dict())
open_place_on_page(page.url_path)  # ?place=TYPE:CODE on the pages that work by local authority
try:
    timed_run(page.run, page.url_path, STARTED, CPU_STARTED)
except DataFileError as problem:
    # A bundled data file is missing or corrupt: say which and what is wrong; other pages still work.
    show_data_problem(problem)
warm_imports_later()
