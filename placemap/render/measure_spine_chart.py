"""The spine chart of an LSOA's measures: where the LSOA and its LA sit among England's LSOAs, theme by theme.

Built from ``placemap.analysis.measure_spine.measure_spine`` with the profile's spine layers
(grey bands for England's quarters, a rule at England's middle LSOA), so it reads like the
domain spine above it; worst on the left, following each measure's real direction.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from placemap.analysis.measure_spine import LA_POSITION, POSITION, text
from placemap.render.charts import CHART_WIDTH, framed, spine_layers, spine_marks

BANDS = (
    (0.0, 25.0, "Worst 25% of England's LSOAs", "#9a9a9a"),
    (25.0, 75.0, "Middle 50%", "#c8c8c8"),
    (75.0, 100.0, "Best 25%", "#e6e6e6"),
)
AREA, LA = "This LSOA", "Its local authority"


def _axis() -> alt.Axis:
    return alt.Axis(
        title="Position among England's LSOAs (worst on the left)",
        values=[0, 25, 50, 75, 100],
        labelExpr="datum.value == 0 ? 'Worst' : datum.value == 100 ? 'Best' : "
        "datum.value == 50 ? 'Middle' : datum.value + '%'",
        labelFlush=True,
    )


def measure_spine_chart(
    frame: pd.DataFrame, *, name: str, code: str, la_name: str, edition: str, footer: list[str]
) -> alt.ConcatChart:
    """One row per measure with a value for the LSOA ("Theme · measure"), the LSOA as a circle.

    Measures the LSOA has no value for (suppressed, no data) are left out of the chart and
    listed in the table beside it. Tooltips carry the LSOA's, the LA's and England's figures.
    """
    shown = frame[frame[POSITION].notna()]
    order = [f"{t} · {m}" for t, m in zip(shown["Theme"], shown["Measure"], strict=True)]
    details = [
        f"{text(r['This LSOA'], r['_format'])} here; {la_name}: {text(r['Local authority'], r['_format'])}; "
        f"England: {text(r['England'], r['_format'])} ({r['Unit']}; higher = {r['Higher means']})"
        for _, r in shown.iterrows()
    ]
    area = pd.DataFrame({"row": order, "mark": AREA, "position": shown[POSITION].astype(float), "detail": details})
    la = pd.DataFrame({"row": order, "mark": LA, "position": shown[LA_POSITION].astype(float), "detail": details})
    marks = pd.concat([area, la.dropna(subset=["position"])], ignore_index=True)
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelPadding=6, ticks=False, domain=False, labelLimit=360))
    layered = spine_layers(
        order,
        y,
        spine_marks(marks, y, [AREA, LA], row_title="Measure"),
        bands=BANDS,
        axis=_axis(),
        legend_title="England's LSOAs",
        middle_tooltip="England's middle LSOA (50%)",
    ).properties(width=CHART_WIDTH)
    return framed(
        layered,
        title=f"{name}: measures against England",
        subtitle=[
            f"LSOA {code} in {la_name} · {edition} · worst on the left, whichever way each measure runs",
            f"Circle: this LSOA · diamond: {la_name}'s figure · black tick: England's middle LSOA · hover for values",
        ],
        footer=footer,
    )


def add_measures_to_report(content, frame: pd.DataFrame, sources: list[str]):
    """Add the LSOA's measures (``measure_spine.measure_spine``) to a profile report as one table.

    A measure without a value says why ("Suppressed (small numbers)" or "No data") where its
    value would be; LA and England figures are those of the page, made from counts.
    """
    from placemap.render.report import ReportTable

    if frame.empty:
        return content
    rows = pd.DataFrame(
        {
            "Measure": frame["Measure"],
            "This LSOA": [
                s or text(v, f) for v, s, f in zip(frame["This LSOA"], frame["Status"], frame["_format"], strict=True)
            ],
            "Local authority": [text(v, f) for v, f in zip(frame["Local authority"], frame["_format"], strict=True)],
            "England": [text(v, f) for v, f in zip(frame["England"], frame["_format"], strict=True)],
            "Position (0 = worst)": [text(v, "{:.0f}") for v, _ in zip(frame[POSITION], frame["_format"], strict=True)],
            "Unit": frame["Unit"],
        }
    )
    content.tables.append(
        ReportTable(
            "Measures behind the indices",
            rows,
            note="LA and England rates are sums of counts over sums of denominators, never averages of LSOA rates; "
            "measures published only for LSOAs show the middle LSOA. Position: among England's LSOAs with a value.",
            widths=[3.0, 2.3, 1.0, 0.9, 0.7, 1.5],
        )
    )
    content.sources.extend(sources)
    return content


def add_place_measures_to_report(content, frame: pd.DataFrame, sources: list[str]):
    """Add a place's measures (``measure_spine.place_measures``, then any brought rows) to its report as one table."""
    from placemap.render.report import ReportTable

    if frame.empty:
        return content
    content.tables.append(
        ReportTable(
            "Measures behind the indices",
            frame[["Measure", "This place", "England", "Unit", "How the place's figure was made"]].round(3),
            note="Rates are sums of counts over sums of denominators, never averages of LSOA rates; data brought "
            "to Placemap shows the population-weighted mean of its LSOAs (a sum for counts, a median for ranks).",
            widths=[2.6, 0.9, 0.9, 1.4, 3.4],
        )
    )
    content.sources.extend(sources)
    return content
