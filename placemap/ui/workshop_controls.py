"""Workshop screens and the initiatives register: workshop style, the facilitator's panel, pins, who is working here. Imports streamlit."""

from __future__ import annotations

import streamlit as st

from placemap.ui import cache, state
from placemap.ui.page_setup import clicked_point, open_store

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
    from placemap.storage.tables import new_share_id

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
