"""The change page's two indicators: a measure's IoD2019 → IoD2025 editions or two uploaded columns, as one change.

``pair_change_for`` turns the sidebar's view (``change_controls.pair_change_controls``) into a
``pair_change.PairChange`` on the place's LSOAs, with the words that differ by source; the
rule and figures are ``placemap.analysis.pair_change`` and ``placemap.analysis.measure_change_iod``.
``change_map`` draws any change map beside its legend. Imports streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from placemap.analysis import measure_change_iod as mci
from placemap.analysis import pair_change
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION
from placemap.data.loaders import LA_CODE
from placemap.data.measure_catalogue import measure_table
from placemap.data.measures import display_values
from placemap.data.prepare import escape_markdown
from placemap.render import maps, uploaded_maps
from placemap.ui import cache, change_cache, map_panel, upload_controls


@st.cache_data(max_entries=32, show_spinner="Carrying IoD2019's measure to 2021 LSOAs…")
def load_measure_change(measure_id: str, la_code: str) -> pair_change.PairChange:
    """The change of one comparable measure on the 2021 LSOAs of ``la_code`` (``measure_change_iod.measure_change``)."""
    areas = cache.load_areas(mci.AFTER)
    codes = areas.index[areas[LA_CODE] == la_code]
    before = display_values(measure_table(mci.BEFORE), measure_id)
    after = display_values(measure_table(mci.AFTER), measure_id).reindex(codes)
    return mci.measure_change(measure_id, before, after, change_cache.load_lsoa_lookup())


@dataclass(frozen=True)
class PairSubject:
    """What the change page shows a change of: the change, its name and source line, and cautions."""

    result: pair_change.PairChange
    name: str
    title: str  # markdown, escaped
    source_line: str  # markdown, escaped
    attribution: str
    error: str | None = None
    cautions: tuple[str, ...] = ()
    not_compared: tuple[tuple[str, str], ...] = ()  # (label, why) of the indicators that cannot be compared


def pair_change_for(view, areas: pd.DataFrame) -> PairSubject:
    """The view's two indicators on ``areas`` (the place's LSOAs of ``view.year``), from the measures or an upload."""
    if view.measure:
        carried = load_measure_change(view.measure, view.la)
        frame = carried.frame.reindex(areas.index)
        result = pair_change.PairChange(frame, carried.before, carried.after, carried.note)
        name = result.after.label.rsplit(" (", 1)[0]
        source = f"{escape_markdown(result.after.source)} (IoD2019 and IoD2025)."
        title = f"Change in {escape_markdown(name)}, IoD2019 → IoD2025"
        return PairSubject(
            result, name, title, source, "IoD2019 and IoD2025, MHCLG", not_compared=tuple(mci.changed_measures())
        )
    table = {t.id: t for t in upload_controls.session_tables()}[view.dataset]
    indicators = table.indicators()
    before, after = indicators[view.before], indicators[view.after]
    error, cautions = pair_change.pair_problems(before, after)
    sources = (table.series(before), table.series(after))
    result = pair_change.change_frame(before, after, view.year, areas, sources)
    source = escape_markdown(table.source or "not stated")
    line = f"Uploaded data, source as stated: {source}. Not checked by Placemap."
    title = f"Change in your data: {escape_markdown(table.name)}"
    return PairSubject(result, table.name, title, line, "Your data", error, tuple(cautions))


def _areas_outlines() -> list:
    """Uploaded areas as orange outlines (an empty layer without any), with a caption saying so."""
    uploaded_areas = upload_controls.session_areas()
    if uploaded_areas:
        st.caption("Orange dashed outlines: your uploaded areas (their names on hover).")
    return [uploaded_maps.build_areas_layer(uploaded_areas)]


def change_map(year: int, la: str, area: str | None, source: str, payload: dict, key: str, legend: str, note: str):
    """The change map (the chosen LSOA highlighted, uploaded areas outlined) beside its legend."""
    col_map, col_side = st.columns([3, 2], gap="medium")
    with col_map:
        highlight = maps.build_highlight_layer(cache.area_features(year, area) if area else None)
        map_panel.show_place_style_map(
            cache.load_place_layers(year, (la,)),
            f"{source} · Boundaries: ONS · OGL v3.0",
            payload,
            key,
            extra=[highlight, *_areas_outlines()],
            height=580,
        )
        st.caption(
            f"Hover an area for its change. The table below is the same information as text. {BOUNDARY_ATTRIBUTION}"
        )
    with col_side:
        st.html(maps.LEGEND_CSS + legend)
        st.caption(f"{note}Colours: ColorBrewer RdBu (colour-blind safe) with a grey centre for little or no change.")
