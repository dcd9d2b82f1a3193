"""Altair charts for change over time and evaluation: the slope chart and the before/after chart.

Builders take tidy frames from ``placemap.analysis.change`` and ``placemap.analysis.evaluation`` and return
``alt.Chart`` objects; they never read files. Colours are the Okabe-Ito set (safe for the
common colour-vision deficiencies), and lines also differ by dash so that colour is never
the only cue. Every chart has a table next to it on the page.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

# Okabe & Ito (2008), colour-blind safe; black last.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
_DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 0], [6, 3], [2, 2], [8, 3, 2, 3]]
SOURCE = "Source: English Indices of Deprivation 2015, 2019, 2025 (MHCLG), OGL v3.0. Placemap."


def _title(text: str, subtitle: list[str]) -> alt.TitleParams:
    return alt.TitleParams(text=text, subtitle=subtitle, anchor="start")


def _two_point_lines(
    frame: pd.DataFrame,
    *,
    series: str,
    x: alt.X,
    value: str,
    y_title: str,
    formats: tuple[str, str],
    legend: alt.Legend,
    title: alt.TitleParams,
    height: int,
) -> alt.LayerChart:
    # Before/after lines, one per series, each point labelled with its value: the evaluation's
    # group means and an uploaded indicator's place mean share this one look.
    names = list(dict.fromkeys(frame[series]))
    n = max(len(names), 1)
    colour = alt.Color(f"{series}:N", scale=alt.Scale(domain=names, range=OKABE_ITO[:n]), legend=legend)
    dash = alt.StrokeDash(f"{series}:N", scale=alt.Scale(domain=names, range=_DASHES[:n]), legend=None)
    x = x.axis(labelAngle=0, labelLimit=240)
    y = alt.Y(f"{value}:Q", title=y_title, scale=alt.Scale(zero=False))
    tooltip_format, label_format = formats
    base = alt.Chart(frame)
    lines = base.mark_line(strokeWidth=3).encode(x=x, y=y, color=colour, strokeDash=dash)
    points = base.mark_point(filled=True, size=90).encode(
        x=x,
        y=y,
        color=colour,
        shape=alt.Shape(f"{series}:N", legend=None),
        tooltip=[
            alt.Tooltip(f"{series}:N"),
            alt.Tooltip(x.shorthand),
            alt.Tooltip(f"{value}:Q", format=tooltip_format),
        ],
    )
    labels = base.mark_text(align="left", dx=8, fontSize=12).encode(
        x=x, y=y, text=alt.Text(f"{value}:Q", format=label_format), color=colour
    )
    return (lines + points + labels).properties(
        title=title, height=height, padding={"top": 16, "left": 5, "right": 5, "bottom": 5}
    )


def slope_chart(trend: pd.DataFrame, title: str) -> alt.Chart:
    """Each domain's national rank position across editions (one line per domain).

    Parameters
    ----------
    trend : from ``change.trend_long``: ``domain_label``, ``edition``, ``year``,
        ``position`` (0–100), ``decile``, ``n_areas``
    title : chart title (the place)

    The y axis runs from 0 (the most deprived end of England's ranking) at the bottom to
    100 (the least deprived end) at the top.
    """
    domains = list(dict.fromkeys(trend["domain_label"]))
    colour = alt.Color(
        "domain_label:N",
        title="Domain",
        scale=alt.Scale(domain=domains, range=OKABE_ITO[: len(domains)] or OKABE_ITO),
        legend=alt.Legend(orient="right", labelLimit=260),
    )
    dash = alt.StrokeDash(
        "domain_label:N",
        scale=alt.Scale(domain=domains, range=_DASHES[: len(domains)] or _DASHES),
        legend=None,
    )
    editions = sorted(trend["edition"].unique(), key=lambda e: int(e.removeprefix("IoD"))) if len(trend) else []
    x = alt.X("edition:O", title="Edition", sort=editions, axis=alt.Axis(labelAngle=0))
    y = alt.Y(
        "position:Q",
        title="Rank position (%): 0 = most deprived end",
        scale=alt.Scale(domain=[0, 100]),
    )
    tooltip = [
        alt.Tooltip("domain_label:N", title="Domain"),
        alt.Tooltip("edition:O", title="Edition"),
        alt.Tooltip("position:Q", title="Rank position (%)", format=".1f"),
        alt.Tooltip("decile:Q", title="Decile"),
        alt.Tooltip("n_areas:Q", title="LSOAs"),
    ]
    base = alt.Chart(trend)
    lines = base.mark_line(strokeWidth=2.5).encode(x=x, y=y, color=colour, strokeDash=dash, detail="domain_label:N")
    points = base.mark_point(filled=True, size=70).encode(
        x=x, y=y, color=colour, shape=alt.Shape("domain_label:N", legend=None), tooltip=tooltip
    )
    return (lines + points).properties(
        title=_title(title, ["Rank ÷ number of LSOAs in England; higher = relatively less deprived.", SOURCE]),
        height=520,
    )


def before_after_chart(
    groups: pd.DataFrame,
    title: str,
    y_title: str,
    source: str = SOURCE,
    x_title: str = "Edition",
    note: str = "Group means; the comparison is the matched LSOAs (with repeats).",
) -> alt.Chart:
    """Before and after of one outcome: one line per group (an evaluation's two groups, or a place and an LSOA).

    Parameters
    ----------
    groups : ``Group``, ``Edition`` (the label of "before" or "after"), ``Year`` (their order), ``Mean``;
        from ``evaluation.Evaluation.groups`` or ``pair_change.slope_frame``
    title : chart title
    y_title : the outcome's axis title (its label and unit)
    source, x_title, note : the source line, the x axis title and the line above the source
    """
    return _two_point_lines(
        groups,
        series="Group",
        x=alt.X("Edition:O", sort=list(dict.fromkeys(groups.sort_values("Year")["Edition"])), title=x_title),
        value="Mean",
        y_title=y_title,
        formats=(",.4g", ",.4g"),
        legend=alt.Legend(orient="bottom", title=None, labelLimit=420),
        title=_title(title, [note, source]),
        height=400,
    )
