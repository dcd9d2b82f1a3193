"""Placemap: entry point. Page config, navigation over pages/, the shared sidebar."""

import streamlit as st

from placemap.assets import ensure_leaflet
from placemap.widgets import apply_house_style

# A local icon: a ":material/...:" page icon makes the browser fetch the favicon from Google.
st.set_page_config(page_title="Placemap", page_icon="assets/icon.png", layout="wide")
ensure_leaflet()
apply_house_style()

pages = [
    st.Page("pages/map.py", title="Map explorer", icon=":material/map:", url_path="map", default=True),
    st.Page("pages/systems.py", title="Systems view", icon=":material/hub:", url_path="systems"),
    st.Page("pages/priorities.py", title="Priority finder", icon=":material/target:", url_path="priorities"),
    st.Page("pages/hotspots.py", title="Hot spots", icon=":material/local_fire_department:", url_path="hotspots"),
    st.Page("pages/about.py", title="About the data", icon=":material/info:", url_path="about"),
]
page = st.navigation(pages)
st.sidebar.caption("Placemap: a shared picture of place-based change in England.")
page.run()
