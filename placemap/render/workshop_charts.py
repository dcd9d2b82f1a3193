"""Altair charts for workshops: dot-vote results, the Place Standard compass, the England comparison.

Builders take tidy frames from ``placemap.community.workshop`` and return ``alt.Chart`` objects.
Colours are from the Okabe-Ito set (colour-blind safe); every chart has a table beside it
on the page. Font sizes are parameters so the big-screen layout can be read across a room.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from placemap.community.workshop import SCORE_MAX, THEMES

BLUE, ORANGE, GREY = "#0072B2", "#D55E00", "#9a9a9a"


def _config(chart: alt.Chart, font_size: int) -> alt.Chart:
    return (
        chart.configure_axis(labelFontSize=font_size, titleFontSize=font_size)
        .configure_title(fontSize=font_size + 4, anchor="start")
        .configure_legend(labelFontSize=font_size, titleFontSize=font_size)
    )


def votes_bar(table: pd.DataFrame, font_size: int = 14) -> alt.Chart:
    """Horizontal bars of votes per priority (most first), with the count at the end of each bar.

    ``table`` from ``workshop.vote_table``.
    """
    order = list(table["Priority"])
    base = alt.Chart(table).encode(
        y=alt.Y("Priority:N", sort=order, title=None, axis=alt.Axis(labelLimit=520)),
        x=alt.X("Votes:Q", title="Votes", axis=alt.Axis(tickMinStep=1)),
        tooltip=["Priority:N", "Votes:Q", alt.Tooltip("Share of votes:Q", format=".0%")],
    )
    bars = base.mark_bar(color=BLUE)
    labels = base.mark_text(align="left", dx=6, fontSize=font_size, color="#000000").encode(text="Votes:Q")
    chart = (bars + labels).properties(
        title="Dot-voting: votes per priority", height=max(120, 44 * len(table)), width="container"
    )
    return _config(chart, font_size)


def compass_frame(scores: pd.DataFrame, place: str) -> pd.DataFrame:
    """One place's rows of a ``workshop.score_table`` in theme order, with each theme's angle."""
    rows = scores[scores["place"] == place].set_index("theme").reindex(list(THEMES)).reset_index()
    rows["Theme"] = rows["theme"].map(THEMES)
    n = len(THEMES)
    rows["order"] = range(n)
    rows["angle"] = [2 * math.pi * i / n for i in range(n)]
    return rows


def _xy(radius: float, angle: float) -> tuple[float, float]:
    # Angle 0 points up, clockwise (like a compass).
    return radius * math.sin(angle), radius * math.cos(angle)


def compass_chart(scores: pd.DataFrame, place: str, title: str, font_size: int = 13) -> alt.LayerChart:
    """The Place Standard compass (a radar): one spoke per theme, 0 at the centre and 7 at the rim.

    A thick grey bar along each spoke runs from the lowest to the highest score; the orange
    dots joined by a line are the average scores. Themes no one scored have no dot.
    """
    frame = compass_frame(scores, place)
    rings = []
    for level in range(1, SCORE_MAX + 1):
        for k in range(61):
            x, y = _xy(level, 2 * math.pi * k / 60)
            rings.append({"level": level, "k": k, "x": x, "y": y})
    spokes, spread, means, labels = [], [], [], []
    for row in frame.itertuples():
        x, y = _xy(SCORE_MAX, row.angle)
        spokes.append({"theme": row.Theme, "x": 0.0, "y": 0.0, "x2": x, "y2": y})
        if row.People:
            (x1, y1), (x2, y2) = _xy(row.Lowest, row.angle), _xy(row.Highest, row.angle)
            spread.append({"Theme": row.Theme, "x": x1, "y": y1, "x2": x2, "y2": y2})
            mx, my = _xy(row.Mean, row.angle)
            means.append(
                {
                    "Theme": row.Theme,
                    "Mean": round(row.Mean, 2),
                    "People": row.People,
                    "x": mx,
                    "y": my,
                    "order": row.order,
                    "Lowest": row.Lowest,
                    "Highest": row.Highest,
                }
            )
        lx, ly = _xy(SCORE_MAX + 1.5, row.angle)
        align = "center" if abs(lx) < 0.5 else ("left" if lx > 0 else "right")
        labels.append({"Theme": row.Theme, "x": lx, "y": ly, "align": align})
    if means:
        means.append({**means[0], "order": len(THEMES)})  # close the polygon
    axis = alt.Axis(grid=False, domain=False, ticks=False, labels=False, title=None)
    sx = alt.Scale(domain=[-12, 12], nice=False)
    sy = alt.Scale(domain=[-10, 10], nice=False)
    x, y = alt.X("x:Q", scale=sx, axis=axis), alt.Y("y:Q", scale=sy, axis=axis)
    layers = [
        alt.Chart(pd.DataFrame(rings))
        .mark_line(color="#d0d0d0", strokeWidth=1)
        .encode(x, y, detail="level:N", order="k:Q"),
        alt.Chart(pd.DataFrame(spokes)).mark_rule(color="#d0d0d0").encode(x, y, x2="x2:Q", y2="y2:Q"),
    ]
    if spread:
        layers.append(
            alt.Chart(pd.DataFrame(spread))
            .mark_rule(color=GREY, strokeWidth=10, opacity=0.8, strokeCap="round")
            .encode(x, y, x2="x2:Q", y2="y2:Q")
        )
    if means:
        frame_means = pd.DataFrame(means)
        layers.append(alt.Chart(frame_means).mark_line(color=ORANGE, strokeWidth=3).encode(x, y, order="order:Q"))
        layers.append(
            alt.Chart(frame_means)
            .mark_point(color=ORANGE, filled=True, size=140, stroke="#000000", strokeWidth=1)
            .encode(x, y, tooltip=["Theme:N", "Mean:Q", "Lowest:Q", "Highest:Q", "People:Q"])
        )
    for align in ("left", "right", "center"):
        subset = [item for item in labels if item["align"] == align]
        layers.append(
            alt.Chart(pd.DataFrame(subset))
            .mark_text(align=align, fontSize=max(10, font_size - 1), color="#000000")
            .encode(x, y, text="Theme:N")
        )
    chart = alt.layer(*layers).properties(
        title=alt.TitleParams(
            title, subtitle=["Orange: average score; grey bar: lowest to highest. Rim = 7 (very little to improve)."]
        ),
        width=600,
        height=500,
    )
    return _config(chart, font_size).configure_view(stroke=None)


def comparison_bar(table: pd.DataFrame, place_name: str, font_size: int = 14) -> alt.LayerChart:
    """Share of the place's LSOAs in England's most deprived 10%, per domain, against England's 10% (a rule)."""
    order = list(table["Domain"])
    bars = (
        alt.Chart(table)
        .mark_bar(color=BLUE)
        .encode(
            y=alt.Y("Domain:N", sort=order, title=None, axis=alt.Axis(labelLimit=420)),
            x=alt.X("Share here:Q", title="Share of LSOAs in England's most deprived 10%", axis=alt.Axis(format="%")),
            tooltip=["Domain:N", alt.Tooltip("Share here:Q", format=".0%"), "LSOAs in England's most deprived 10%:Q"],
        )
    )
    labels = bars.mark_text(align="left", dx=6, fontSize=font_size, color="#000000").encode(
        text=alt.Text("Share here:Q", format=".0%")
    )
    england = (
        alt.Chart(pd.DataFrame({"x": [0.1], "label": ["England: 10%"]}))
        .mark_rule(color=ORANGE, strokeWidth=3, strokeDash=[8, 4])
        .encode(x="x:Q")
    )
    chart = (bars + labels + england).properties(
        title=alt.TitleParams(
            f"{place_name} compared with England", subtitle=["Dashed orange line: England (10% by definition)"]
        ),
        height=44 * len(table),
        width="container",
    )
    return _config(chart, font_size)
