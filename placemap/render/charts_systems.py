"""Altair charts of the systems view and the priority finder.

Builders take prepared frames and return ``alt.Chart`` objects; they never read files
or call Streamlit. Titles and source lines are page text (``st.subheader``/``st.caption``)
rather than Vega titles: Streamlit 1.67 clips a Vega title and squeezes the plot of a
layered chart under it. Every chart has a text alternative on its page. Axes run
towards "more deprived" to the right and up, as on the maps.

Example
-------
>>> import pandas as pd
>>> m = pd.DataFrame([[1.0, 0.5], [0.5, 1.0]], index=["Income", "Crime"], columns=["Income", "Crime"])
>>> spec = correlation_heatmap(m).to_dict()
>>> spec["layer"][0]["encoding"]["color"]["scale"]["domain"]
[-1, 1]
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from placemap.analysis.systems import correlation_long
from placemap.data.catalogue import Indicator
from placemap.data.indicators import Polarity
from placemap.render.maps import HIGHLIGHT_COLOUR

BRUSH = "brush"
PICK = "pick"
CHART_HEIGHT = 420


def _axis_title(indicator: Indicator, arrow: str) -> list[str]:
    # Two short lines: Vega shrinks a plot until its whole axis title fits beside it.
    note = " (1 = most deprived)" if indicator.measure in ("rank", "decile") else ""
    return [indicator.label, f"{arrow} more deprived{note}"]


def scatter_chart(
    frame: pd.DataFrame,
    x: Indicator,
    y: Indicator,
    colour_title: str,
    colour_domain: list[str],
    colour_range: list[str],
    *,
    selected_code: str | None = None,
    height: int = CHART_HEIGHT,
) -> alt.LayerChart:
    """Scatter of ``frame`` (``systems.scatter_frame``) with a brush and clickable points.

    Two selection parameters feed ``st.altair_chart(on_select="rerun")``: ``brush``
    (drag a rectangle; Streamlit returns its ``x``/``y`` ranges) and ``pick`` (click
    points, shift-click for more; Streamlit returns their ``code``). Points outside the
    selection fade. The selected LSOA (``selected_code``) gets a magenta ring, the
    colour that outlines it on the map.
    """
    brush = alt.selection_interval(name=BRUSH, encodings=["x", "y"])
    pick = alt.selection_point(name=PICK, fields=["code"], on="click", toggle="event.shiftKey")
    x_enc = alt.X(
        "x:Q",
        title=_axis_title(x, "→"),
        scale=alt.Scale(zero=False, reverse=x.polarity == Polarity.LOW_IS_WORSE, nice=True),
    )
    y_enc = alt.Y(
        "y:Q",
        title=_axis_title(y, "↑"),
        scale=alt.Scale(zero=False, reverse=y.polarity == Polarity.LOW_IS_WORSE, nice=True),
    )
    tooltip = [
        alt.Tooltip("name:N", title="LSOA"),
        alt.Tooltip("code:N", title="Code"),
        alt.Tooltip("ward:N", title="Ward"),
        alt.Tooltip("la:N", title="Local authority"),
        alt.Tooltip("x:Q", title=x.label, format=",.3~f"),
        alt.Tooltip("y:Q", title=y.label, format=",.3~f"),
        alt.Tooltip("colour:N", title=colour_title),
    ]
    points = (
        alt.Chart(frame)
        .mark_circle(size=46, stroke="#333333", strokeWidth=0.4)
        .encode(
            x=x_enc,
            y=y_enc,
            color=alt.Color(
                "colour:N",
                title=colour_title,
                scale=alt.Scale(domain=colour_domain, range=colour_range),
                # The key is page HTML beside the chart (``legends.category_legend_html``):
                # a Vega legend squeezes the plot of a layered chart in Streamlit 1.67.
                legend=None,
            ),
            opacity=alt.when(brush & pick).then(alt.value(0.9)).otherwise(alt.value(0.15)),
            tooltip=tooltip,
        )
        .add_params(brush, pick)
    )
    ring = (
        alt.Chart(frame[frame["code"] == selected_code] if selected_code else frame.iloc[0:0])
        .mark_point(shape="circle", size=420, strokeWidth=3, filled=False, color=HIGHLIGHT_COLOUR)
        .encode(x=x_enc, y=y_enc, tooltip=tooltip)
    )
    # Drawn on a canvas: as SVG, Vega gives the brush rectangle and the (often empty) ring
    # layer an image role with no text (axe: svg-img-alt), which no Vega-Lite property fixes.
    # The chart's name comes from ``st.altair_chart(alt=...)``; the page lists the same LSOAs
    # in a table, the text alternative.
    return alt.layer(points, ring).properties(height=height, usermeta={"embedOptions": {"renderer": "canvas"}})


def correlation_heatmap(matrix: pd.DataFrame, height: int = CHART_HEIGHT) -> alt.LayerChart:
    """Heatmap of a correlation matrix (``systems.correlation_matrix``), values printed in each cell.

    Blue-orange diverging colours from -1 to 1 (readable with the common colour-vision
    deficiencies); the printed numbers carry the values for everyone.
    """
    long = correlation_long(matrix)
    order = list(matrix.index)
    base = alt.Chart(long).encode(
        x=alt.X("column:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelLimit=200, labelOverlap=False)),
        y=alt.Y("row:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="#ffffff").encode(
        color=alt.Color(
            "rho:Q",
            title="Spearman's rho",
            scale=alt.Scale(domain=[-1, 1], scheme="blueorange"),
        ),
        tooltip=[
            alt.Tooltip("row:N", title="Domain"),
            alt.Tooltip("column:N", title="With"),
            alt.Tooltip("rho:Q", title="Spearman's rho", format=".2f"),
        ],
    )
    text = base.mark_text(fontSize=12).encode(
        text=alt.Text("rho:Q", format=".2f"),
        color=alt.when(alt.datum.rho > 0.55).then(alt.value("#ffffff")).otherwise(alt.value("#111111")),
    )
    return alt.layer(cells, text).properties(height=height)


def rank_shift_chart(frame: pd.DataFrame, n: int, height: int = CHART_HEIGHT) -> alt.LayerChart:
    """Official IMD rank against the composite rank at the chosen weights, one point per LSOA.

    ``frame`` needs ``area_name``, ``area_code``, ``imd_rank``, ``rank`` and ``move``. Points
    on the diagonal did not move; above it, an LSOA is more deprived under the chosen
    weights than in the official IMD.
    """
    axis_scale = alt.Scale(domain=[n, 1])
    diagonal = alt.Chart(pd.DataFrame({"a": [1, n], "b": [1, n]})).mark_line(color="#666666", strokeDash=[4, 3])
    diagonal = diagonal.encode(x=alt.X("a:Q", scale=axis_scale), y=alt.Y("b:Q", scale=axis_scale))
    points = (
        alt.Chart(frame)
        .mark_circle(size=40, color="#3b1f6b", opacity=0.7)
        .encode(
            x=alt.X("imd_rank:Q", title=["Official IMD rank", "→ more deprived (1 = most)"], scale=axis_scale),
            y=alt.Y("rank:Q", title=["Rank at the chosen weights", "↑ more deprived (1 = most)"], scale=axis_scale),
            tooltip=[
                alt.Tooltip("area_name:N", title="LSOA"),
                alt.Tooltip("area_code:N", title="Code"),
                alt.Tooltip("imd_rank:Q", title="Official IMD rank", format=","),
                alt.Tooltip("rank:Q", title="Rank at these weights", format=","),
                alt.Tooltip("move:Q", title="Places moved (+ = more deprived)", format="+,"),
            ],
        )
    )
    return alt.layer(diagonal, points).properties(height=height)


def for_export(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A copy of a chart without its browser-only ``usermeta`` (the canvas renderer), for ``charts.framed``.

    Vega-Lite allows ``usermeta`` only at the top level; inside the export frame it is invalid.
    """
    copy = chart.copy(deep=False)
    copy.usermeta = alt.Undefined
    return copy
