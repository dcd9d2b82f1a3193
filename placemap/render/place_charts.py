"""Charts of places side by side: one summary measure across the IMD and its domains, one mark per
place (a ward beside its LA, its ICB and England), and one measure or indicator across the areas
compared (``indicator_chart``). Pure: no Streamlit.

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

from placemap.render.charts import AREA_COLOUR, CHART_WIDTH, MUTED, REFERENCE_COLOUR, ROW_HEIGHT, framed

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


INDICATOR_ROWS = ["Area", "Value", "Lowest", "Highest", "Rank", "How"]  # ``indicator_chart``'s frame


def indicator_chart(
    rows: pd.DataFrame, *, label: str, unit: str, higher: str, subtitle: str, footer: list[str]
) -> alt.ConcatChart:
    """One measure or indicator across the areas compared, England last: a dot per area's figure.

    ``rows`` has ``INDICATOR_ROWS``: each area's figure (as in the table beside it), the lowest and
    highest of its LSOAs (or of the areas the data was given for; NaN for one area: no line), its
    rank among England's areas with a value (1 = the worst) and how the figure was made. An area
    without a value says so in words instead of leaving an empty row.

    >>> rows = pd.DataFrame({"Area": ["A", "England"], "Value": [2.0, 3.0], "Lowest": [1.0, None],
    ...     "Highest": [4.0, None], "Rank": ["2 of 9 LSOAs", "–"], "How": ["Median", "All"]})
    >>> spec = indicator_chart(rows, label="Referrals", unit="%", higher="worse", subtitle="s",
    ...     footer=["f"]).to_dict()
    >>> spec["title"]["text"]
    'Referrals: the areas compared'
    """
    order = list(rows["Area"])
    # Two lines, so a long label and its unit both fit under the chart.
    title_x = [label[:90], f"({unit}; higher = {higher})" if unit else f"(higher = {higher})"]
    y = alt.Y(
        "Area:N", sort=order, title=None, axis=alt.Axis(labelPadding=6, ticks=False, domain=False, labelLimit=260)
    )
    data = rows.assign(Shown=["England" if a == order[-1] else "Area compared" for a in rows["Area"]])
    tooltip = [
        alt.Tooltip("Area:N"),
        alt.Tooltip("Value:Q", format=",.4~g"),
        alt.Tooltip("Lowest:Q", title="Lowest of its areas", format=",.4~g"),
        alt.Tooltip("Highest:Q", title="Highest of its areas", format=",.4~g"),
        alt.Tooltip("Rank:N", title="Rank (1 = worst)"),
        alt.Tooltip("How:N", title="How it was made"),
    ]
    colour = alt.Color(
        "Shown:N",
        title=None,
        scale=alt.Scale(domain=["Area compared", "England"], range=[AREA_COLOUR, MUTED]),
        legend=alt.Legend(orient="bottom"),
    )
    dots = (
        alt.Chart(data.dropna(subset=["Value"]))
        .mark_point(filled=True, size=140, opacity=1)
        .encode(
            x=alt.X("Value:Q", title=title_x, scale=alt.Scale(zero=False)),
            y=y,
            color=colour,
            shape=alt.Shape("Shown:N", legend=None),
            tooltip=tooltip,
        )
    )
    layers = [dots]
    ranged = data.dropna(subset=["Lowest", "Highest"])
    if len(ranged):
        line = alt.Chart(ranged).mark_rule(color=REFERENCE_COLOUR, strokeWidth=2)
        layers.insert(0, line.encode(x="Lowest:Q", x2="Highest:Q", y=y, tooltip=tooltip))
    missing = data[data["Value"].isna()]
    if len(missing):
        text = alt.Chart(missing).mark_text(align="left", baseline="middle", color=MUTED, fontStyle="italic")
        layers.append(text.encode(x=alt.value(4), y=y, text=alt.value("No value"), tooltip=alt.value("No value")))
    layered = alt.layer(*layers).properties(width=CHART_WIDTH, height=ROW_HEIGHT * max(1, len(order)))
    return framed(layered, title=f"{label}: the areas compared", subtitle=subtitle, footer=footer)
