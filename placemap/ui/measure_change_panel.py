"""The change page's IoD2019 → IoD2025 measures section: pick a measure that kept its definition, see its LSOAs' change.

One call from the change page (``measure_change_section``); the rule and figures are
``placemap.analysis.measure_change_iod``. Imports streamlit.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from placemap.analysis import measure_change_iod as mci
from placemap.data.catalogue import get_vintage
from placemap.data.indicator_picker import SEPARATOR, THEME_LABELS
from placemap.data.loaders import AREA_NAME, LA_CODE
from placemap.data.measure_catalogue import THEME, measure_table
from placemap.data.measures import display_values
from placemap.data.prepare import escape_markdown
from placemap.render import export
from placemap.ui import cache, change_cache, downloads

KEY = "change.iod_measure"


@st.cache_data(max_entries=32, show_spinner="Carrying IoD2019's measure to 2021 LSOAs…")
def load_measure_change(measure_id: str, la_code: str) -> pd.DataFrame:
    """The change of one comparable measure on the 2021 LSOAs of ``la_code`` (``measure_change_iod.carried_change``)."""
    areas = cache.load_areas(mci.AFTER)
    codes = areas.index[areas[LA_CODE] == la_code]
    before = display_values(measure_table(mci.BEFORE), measure_id)
    after = display_values(measure_table(mci.AFTER), measure_id).reindex(codes)
    frame = mci.carried_change(before, after, change_cache.load_lsoa_lookup())
    return frame.assign(name=areas.loc[codes, AREA_NAME])


def measure_change_section(la_code: str, la_name: str) -> None:
    """IoD2019 → IoD2025 change in the measures that kept their definition, for an LA's 2021 LSOAs."""
    st.header("Measures behind the indices, IoD2019 → IoD2025", anchor=False)
    measures = {m.id: m for m in mci.comparable_measures()}
    if st.session_state.get(KEY) not in measures:
        st.session_state[KEY] = next(iter(measures))
    chosen = st.selectbox(
        "Measure (only those whose definition did not change)",
        list(measures),
        format_func=lambda i: f"{THEME_LABELS[THEME[measures[i].theme]]}{SEPARATOR}{measures[i].label}",
        key=KEY,
    )
    before, after = mci.measure_pair(chosen)
    frame = load_measure_change(chosen, la_code)
    st.markdown(escape_markdown(f"{la_name}: {mci.change_words(frame, after)}"))
    st.caption(escape_markdown(f"{mci.RULE} Higher = {after.direction} ({after.unit}). {' '.join(after.caveats)}"))
    table = (
        frame.rename_axis("LSOA code")
        .reset_index()
        .rename(
            columns={
                "name": "LSOA name",
                "before": f"IoD2019 ({before.period})",
                "after": f"IoD2025 ({after.period})",
                "change": "Change",
                "how": "How it was compared",
            }
        )
    )
    table = table[
        [
            "LSOA code",
            "LSOA name",
            f"IoD2019 ({before.period})",
            f"IoD2025 ({after.period})",
            "Change",
            "How it was compared",
        ]
    ]
    downloads.table_with_download(
        table,
        export.csv_header(
            f"{after.label}, IoD2019 → IoD2025, LSOAs of {la_name}",
            get_vintage(mci.AFTER),
            before.source,
            "LSOA 2011 to 2021 lookup: ONS",
        ),
        export.safe_filename("placemap", la_code, chosen, "2019_2025"),
        "change.iod_measure.csv",
        "Measure change as CSV",
    )
    with st.expander("Measures whose definition changed (not compared)"):
        st.markdown(
            "\n".join(
                f"- **{escape_markdown(label)}**: {escape_markdown(why)}" for label, why in mci.changed_measures()
            )
        )
