"""Charts of places side by side: one summary measure across the IMD and its domains, one mark per
place (a ward beside its LA, its ICB and England). Pure: no Streamlit.

Example
-------
>>> table = pd.DataFrame({"Index": ["IMD", "IMD"], "Measure": ["Extent", "Average rank"], "A": [0.5, 9.0]})
>>> spec = measure_chart(table, "Extent", subtitle="x", footer=["y"]).to_dict()
>>> spec["title"]["text"]
'Extent: the places compared'
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from placemap.render.charts import framed

# Okabe-Ito: distinct for colour-blind readers, one colour per compared place (up to six).
PLACE_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
SHARES = {"Extent", "Proportion of LSOAs in most deprived 10%"}


def measure_chart(table: pd.DataFrame, measure: str, *, subtitle: str, footer: list[str]) -> alt.ConcatChart:
    """One summary measure of each compared place, per index (``place_profile.comparison_table``'s rows)."""
    part = table[table["Measure"] == measure]
    places = [c for c in part.columns if c not in ("Index", "Measure")]
    long = part.melt(id_vars=["Index"], value_vars=places, var_name="Place", value_name="Value").dropna()
    fmt = ".0%" if measure in SHARES else ",.0f"
    chart = (
        alt.Chart(long)
        .mark_point(filled=True, size=120)
        .encode(
            x=alt.X("Value:Q", title=measure + " (right = more deprived)", axis=alt.Axis(format=fmt)),
            y=alt.Y("Index:N", sort=list(dict.fromkeys(part["Index"])), title=None),
            color=alt.Color("Place:N", sort=places, scale=alt.Scale(domain=places, range=PLACE_COLOURS[: len(places)])),
            shape=alt.Shape("Place:N", sort=places),
            tooltip=["Place:N", "Index:N", alt.Tooltip("Value:Q", format=fmt)],
        )
        .properties(width=520, height=28 * max(1, part["Index"].nunique()))
    )
    return framed(chart, title=f"{measure}: the places compared", subtitle=subtitle, footer=footer)
