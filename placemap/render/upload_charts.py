"""Charts of uploaded indicators on the profile and compare pages, in the house frame.

The "Your data" spine places each uploaded value among all the areas with a value
(worst on the left, as the official spine puts the most deprived on the left); the
compare chart puts the compared areas' values on the indicator's own scale.
Builders take the frames of ``placemap.analysis.upload_profile`` and never read files.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from placemap.analysis.upload_profile import UNCHECKED
from placemap.render.charts import (
    AREA_COLOUR,
    CHART_WIDTH,
    MIDDLE_COLOUR,
    MUTED,
    REFERENCE_COLOUR,
    ROW_HEIGHT,
    framed,
    spine_marks,
)

BANDS = (
    (0.0, 25.0, "Worst 25%", "#9a9a9a"),
    (25.0, 75.0, "Middle 50%", "#c8c8c8"),
    (75.0, 100.0, "Best 25%", "#e6e6e6"),
)


def uploaded_footer(sources: list[str]) -> list[str]:
    """Footer lines: the uploads' stated sources (shortened), marked as unchecked."""
    text = "; ".join(sources) if sources else f"Your data ({UNCHECKED})"
    return [f"Your data: {text[:150]}{'…' if len(text) > 150 else ''}"]


def your_data_spine(
    spine: pd.DataFrame, *, title: str, subtitle: str | list[str], sources: list[str], reference_label: str
) -> alt.ConcatChart:
    """Each uploaded indicator's position among the areas with a value (0 = worst, 100 = best).

    ``spine`` is ``upload_profile.lsoa_section(...).spine``: ``row``, ``position``, ``rank``,
    ``n`` and ``reference`` (the LA's middle area; NaN to leave it out).
    """
    order = list(dict.fromkeys(spine["row"]))
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelPadding=6, ticks=False, domain=False))
    bands = pd.DataFrame([{"row": r, "start": s, "end": e, "band": b} for r in order for s, e, b, _ in BANDS])
    axis = alt.Axis(
        title="Position among the areas with a value",
        values=[0, 25, 50, 75, 100],
        labelExpr="datum.value == 0 ? 'Worst' : datum.value == 100 ? 'Best' : datum.value == 50 ? 'Middle' : datum.value + '%'",
        labelFlush=True,
        grid=False,
    )
    band_layer = (
        alt.Chart(bands)
        .mark_bar(height=14)
        .encode(
            x=alt.X("start:Q", scale=alt.Scale(domain=[0, 100], nice=False), axis=axis),
            x2="end:Q",
            y=y,
            color=alt.Color(
                "band:N",
                scale=alt.Scale(domain=[b[2] for b in BANDS], range=[b[3] for b in BANDS]),
                legend=alt.Legend(title="Areas with a value", orient="bottom", symbolType="square"),
            ),
            tooltip=alt.value(None),
        )
    )
    middle = (
        alt.Chart(pd.DataFrame({"row": order, "middle": 50.0}))
        .mark_tick(color=MIDDLE_COLOUR, thickness=2, size=20)
        .encode(x="middle:Q", y=y, tooltip=alt.value("The middle area (50%)"))
    )
    points = []
    for r in spine.itertuples():
        points.append(
            {"row": r.row, "mark": "This area", "position": r.position, "detail": f"Rank {int(r.rank):,} of {r.n:,}"}
        )
        if r.reference == r.reference:
            points.append(
                {"row": r.row, "mark": reference_label, "position": r.reference, "detail": f"{r.reference:.0f}%"}
            )
    marks = pd.DataFrame(points, columns=["row", "mark", "position", "detail"])
    domain = ["This area"] + ([reference_label] if (marks["mark"] == reference_label).any() else [])
    point_layer = spine_marks(marks, y, domain, row_title="Indicator")
    layered = (
        alt.layer(band_layer, middle, point_layer)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=CHART_WIDTH, height=ROW_HEIGHT * max(len(order), 1))
    )
    return framed(layered, title=title, subtitle=subtitle, footer=uploaded_footer(sources))


def compare_values_chart(rows: pd.DataFrame, *, subtitle: str) -> alt.ConcatChart:
    """One uploaded indicator for the compared areas: a dot per area, a line from lowest to highest for LAs.

    ``rows`` is ``upload_profile.compare_rows`` for one indicator.
    """
    label = str(rows["indicator"].iloc[0])
    unit = str(rows["unit"].iloc[0])
    order = list(dict.fromkeys(rows["row"]))
    title_x = f"{label} ({unit})" if unit else label
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelPadding=6, ticks=False, domain=False))
    data = rows.assign(mark=rows["summary"].map(lambda s: "Median of its areas" if s else "Value"))
    dots = (
        alt.Chart(data)
        .mark_point(filled=True, size=140, opacity=1, color=AREA_COLOUR)
        .encode(
            x=alt.X("value:Q", title=title_x[:80], scale=alt.Scale(zero=False)),
            y=y,
            tooltip=[
                alt.Tooltip("row:N", title="Area"),
                alt.Tooltip("value:Q", title="Value", format=",.4~g"),
                alt.Tooltip("mark:N", title="Shown"),
                alt.Tooltip("rank:N", title="Rank (1 = worst)"),
            ],
        )
    )
    layers = [dots]
    ranged = data.dropna(subset=["low", "high"])
    if len(ranged):
        layers.insert(
            0,
            alt.Chart(ranged)
            .mark_rule(color=REFERENCE_COLOUR, strokeWidth=2)
            .encode(
                x="low:Q",
                x2="high:Q",
                y=y,
                tooltip=[
                    alt.Tooltip("row:N", title="Area"),
                    alt.Tooltip("low:Q", title="Lowest", format=",.4~g"),
                    alt.Tooltip("high:Q", title="Highest", format=",.4~g"),
                ],
            ),
        )
    missing = data[data["value"].isna()]
    if len(missing):  # "no value" said in words, not left as an empty row
        layers.append(
            alt.Chart(missing)
            .mark_text(align="left", baseline="middle", color=MUTED, fontStyle="italic", fontSize=11)
            .encode(x=alt.value(4), y=y, text=alt.value("No value"), tooltip=alt.value("No value uploaded"))
        )
    layered = alt.layer(*layers).properties(width=CHART_WIDTH, height=ROW_HEIGHT * len(order))
    sources = list(dict.fromkeys(rows["source"]))
    return framed(layered, title=f"{label}: compared (your data)", subtitle=subtitle, footer=uploaded_footer(sources))


def lsoa_your_data_chart(spine: pd.DataFrame, sources: list[str], *, name: str, code: str, la_name: str, vintage):
    """The LSOA profile's "Your data" spine, titled for the page and the report."""
    return your_data_spine(
        spine,
        title=f"{name}: your data",
        subtitle=[
            f"LSOA {code} in {la_name} · joined to {vintage.label} · position among all areas with a value, worst on the left",
            f"Circle: this area · diamond: the middle area of {la_name} · black tick: the middle of all",
        ],
        sources=sources,
        reference_label=f"{la_name} middle",
    )
