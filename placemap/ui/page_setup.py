"""What every page shares: the house style, the edition picker, the LA options, the database, map clicks.

Streamlit UI code: this module imports streamlit."""

from __future__ import annotations

import streamlit as st

from placemap.data.catalogue import (
    VINTAGES,
)
from placemap.data.loaders import DataFileError
from placemap.ui import cache, chart_cache


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


def la_picker(key: str, options: dict[str, str], on_change=None) -> str:
    """The sidebar's local-authority picker (type to search), showing names for ``options``' codes."""
    return st.sidebar.selectbox(
        "Local authority (type to search)", list(options), format_func=options.get, key=key, on_change=on_change
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


def open_store():
    """The app's database and ``None``, or ``None`` and a plain message saying why it is unavailable."""
    from placemap.storage import store

    try:
        return cache.load_store(store.database_url()), None
    except store.StoreError as exc:
        return None, str(exc)


def show_messages(messages) -> None:
    """Show upload findings as error/warning/info boxes; the text (which quotes the file) escaped."""
    from placemap.data.prepare import escape_markdown

    show = {"error": st.error, "warning": st.warning, "info": st.info}
    for message in messages:
        show.get(message.level, st.info)(escape_markdown(message.text), icon=None)


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


def chart_beside_table(chart, table, column_config: dict | None = None, widths=(3, 2)) -> None:
    """A chart filling the page's width with the same numbers as a table beside it (for screen readers too).

    A lazy chart (``chart_cache.lazy``) is drawn from its cached spec.
    """
    chart_col, table_col = st.columns(list(widths), gap="medium")
    with chart_col:
        if isinstance(chart, chart_cache.LazyChart):
            chart_cache.show(chart, width="stretch")
        else:
            st.altair_chart(chart, width="stretch")
    with table_col:
        st.markdown("The chart as a table")
        st.dataframe(table, hide_index=True, width="stretch", column_config=column_config)
