"""Altair chart builders and the Placemap chart theme.

Every chart Placemap draws goes through :func:`framed`: a title, a subtitle naming
the area and the edition, and a footer with the source and the Open Government
Licence attribution. What the page shows is exactly what the PNG/SVG export holds.
The theme is one configuration (``HOUSE_CONFIG``) applied to every chart, and also
registered with Altair as ``"placemap"``.

Builders take small tidy frames (made by ``placemap.analysis.profile``) and return charts;
they never read files.

Example
-------
>>> import pandas as pd
>>> rows = pd.DataFrame({"row": ["Income"], "position": [3.0], "rank": [1000],
...                      "decile": [1], "reference": [40.0]})
>>> chart = spine_chart(rows, title="T", subtitle="S", footer=["Source"], total=33755)
>>> chart.to_dict()["title"]["text"]
'T'
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from placemap.analysis.classify import palette_colours
from placemap.analysis.profile import spine_rows
from placemap.data.catalogue import IOD_ATTRIBUTION, Vintage

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#1f1f1f"
MUTED = "#4a4a4a"
AREA_COLOUR = "#3b1f6b"  # the app's primary colour: "this area"
REFERENCE_COLOUR = "#d55e00"  # Okabe-Ito vermillion: the LA median, distinct for colour-blind readers
MIDDLE_COLOUR = "#000000"
# England's spread of LSOAs behind each spine: most deprived quarter, middle half, least deprived quarter.
SPINE_BANDS = (
    (0.0, 25.0, "Most deprived 25% of England", "#9a9a9a"),
    (25.0, 75.0, "Middle 50%", "#c8c8c8"),
    (75.0, 100.0, "Least deprived 25%", "#e6e6e6"),
)
CHART_WIDTH = 460
ROW_HEIGHT = 24
FOOTER_LINE_HEIGHT = 15

# Axis and legend labels and titles: the house font at 11 px in ink.
_LABELS = {
    "labelFont": FONT,
    "titleFont": FONT,
    "labelFontSize": 11,
    "titleFontSize": 11,
    "labelColor": INK,
    "titleColor": INK,
}

HOUSE_CONFIG: dict = {
    "font": FONT,
    "background": "#ffffff",
    "padding": 12,
    "view": {"stroke": None},
    "title": {
        "font": FONT,
        "fontSize": 16,
        "fontWeight": "bold",
        "color": INK,
        "anchor": "start",
        "subtitleFont": FONT,
        "subtitleFontSize": 12,
        "subtitleColor": MUTED,
        "subtitlePadding": 4,
        "offset": 10,
    },
    "axis": {
        **_LABELS,
        "titleFontWeight": "normal",
        "gridColor": "#e0e0e0",
        "domainColor": "#6b6b6b",
        "tickColor": "#6b6b6b",
        "labelLimit": 260,
    },
    "legend": {
        **_LABELS,
        "orient": "bottom",
        "direction": "horizontal",
        "titleOrient": "top",
        "labelLimit": 260,
        "titleLimit": 480,
        "symbolStrokeColor": "#444444",
    },
    "header": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 12, "labelColor": INK},
}


def placemap_theme() -> dict:
    """The house theme as an Altair theme (``alt.theme.enable("placemap")``)."""
    return {"config": HOUSE_CONFIG}


alt.theme.register("placemap", enable=False)(placemap_theme)


def source_footer(vintage: Vintage, extra: str | None = None) -> list[str]:
    """Footer lines for a chart of one edition: the source, then the OGL attribution."""
    return [f"Source: {vintage.source}.{' ' + extra if extra else ''}", IOD_ATTRIBUTION]


def framed(chart: alt.TopLevelMixin, *, title: str, subtitle: str | list[str], footer: list[str]) -> alt.ConcatChart:
    """Wrap a chart in the house frame: title, subtitle, footer (source and licence), theme.

    The footer is a text view under the chart (and under its legends), so it travels
    with the chart into every export.
    """
    subtitles = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    lines = pd.DataFrame({"line": footer, "i": range(len(footer))})
    foot = (
        alt.Chart(lines)
        .mark_text(align="left", baseline="middle", fontSize=10, color=MUTED, font=FONT)
        .encode(text="line:N", y=alt.Y("i:O", axis=None), x=alt.value(0))
        .properties(height=FOOTER_LINE_HEIGHT * len(footer), width=CHART_WIDTH)
    )
    # A one-column concat with no alignment: the footer starts at the chart's left edge
    # (axis labels included), under the chart's own legends.
    return alt.concat(
        chart,
        foot,
        columns=1,
        align="none",
        bounds="full",
        spacing=16,
        title=alt.TitleParams(title, subtitle=subtitles),
        config=HOUSE_CONFIG,
    ).resolve_legend(color="independent", shape="independent")


def _position_axis(title: str) -> alt.Axis:
    return alt.Axis(
        title=title,
        values=[0, 25, 50, 75, 100],
        labelExpr=(
            "datum.value == 0 ? 'Most deprived' : datum.value == 100 ? 'Least deprived' : "
            "datum.value == 50 ? 'Middle' : datum.value + '%'"
        ),
        labelFlush=True,
        grid=False,
    )


def spine_marks(marks: pd.DataFrame, y: alt.Y, domain: list[str], row_title: str) -> alt.Chart:
    """A spine chart's marks: the area as a circle, the reference (e.g. the LA's middle) as a diamond.

    ``marks`` has columns ``row``, ``mark`` (one of ``domain``), ``position`` and ``detail``.
    """
    return (
        alt.Chart(marks)
        .mark_point(filled=True, size=140, opacity=1, stroke="#ffffff", strokeWidth=1.2)
        .encode(
            x="position:Q",
            y=y,
            color=alt.Color(
                "mark:N",
                scale=alt.Scale(domain=domain, range=[AREA_COLOUR, REFERENCE_COLOUR][: len(domain)]),
                legend=alt.Legend(title="Marks", orient="bottom"),
            ),
            shape=alt.Shape(
                "mark:N", scale=alt.Scale(domain=domain, range=["circle", "diamond"][: len(domain)]), legend=None
            ),
            tooltip=[alt.Tooltip("row:N", title=row_title), alt.Tooltip("mark:N", title="Mark"), "detail:N"],
        )
    )


def spine_chart(
    rows: pd.DataFrame,
    *,
    title: str,
    subtitle: str | list[str],
    footer: list[str],
    total: int,
    area_label: str = "This LSOA",
    reference_label: str = "LA median",
    row_title: str = "",
) -> alt.ConcatChart:
    """Fingertips-style spine chart: each row's national position against England's spread.

    Parameters
    ----------
    rows : one row per spine, in display order, with columns ``row`` (label),
        ``position`` (0 = most deprived in England, 100 = least deprived),
        ``rank``, ``decile`` and optionally ``reference`` (a second mark's position,
        e.g. the LA median; NaN to leave it out)
    total : number of LSOAs in England (for tooltips)
    area_label, reference_label : legend names of the two marks

    Returns
    -------
    A framed chart: grey bands for England's quarters, a black rule at England's
    middle (50%), a filled circle for the area and a hollow diamond for the reference.
    """
    order = list(dict.fromkeys(rows["row"]))
    y = alt.Y("row:N", sort=order, title=row_title or None, axis=alt.Axis(labelPadding=6, ticks=False, domain=False))
    points = []
    for _, r in rows.iterrows():
        points.append(
            {
                "row": r["row"],
                "mark": area_label,
                "position": float(r["position"]),
                "detail": f"Rank {int(r['rank']):,} of {total:,}; decile {int(r['decile'])}",
            }
        )
        ref = r.get("reference", np.nan)
        if ref is not None and ref == ref:
            points.append(
                {
                    "row": r["row"],
                    "mark": reference_label,
                    "position": float(ref),
                    "detail": f"{reference_label}: {float(ref):.0f}% of the way from most to least deprived",
                }
            )
    marks = pd.DataFrame(points, columns=["row", "mark", "position", "detail"])
    domain = [area_label] + ([reference_label] if (marks["mark"] == reference_label).any() else [])
    layered = spine_layers(
        order,
        y,
        spine_marks(marks, y, domain, row_title="Domain"),
        bands=SPINE_BANDS,
        axis=_position_axis("National position among England's LSOAs"),
        legend_title="England's LSOAs",
        middle_tooltip="England's middle (50%)",
    )
    return framed(layered, title=title, subtitle=subtitle, footer=footer)


def spine_layers(
    order: list[str],
    y: alt.Y,
    point_layer: alt.Chart,
    *,
    bands: tuple[tuple[float, float, str, str], ...],
    axis: alt.Axis,
    legend_title: str,
    middle_tooltip: str,
) -> alt.LayerChart:
    """A spine chart's body: each row's grey bands, a rule at the middle (50%), then the marks.

    Parameters
    ----------
    order : the rows' labels, top to bottom
    y : the rows' encoding (``row:N`` sorted by ``order``)
    point_layer : the marks drawn on top (``spine_marks``)
    bands : ``(start, end, name, colour)`` per band, on the 0-100 position scale
    axis : the position axis (its title and tick labels)
    legend_title : the bands' legend title
    middle_tooltip : what hovering the middle rule says

    Returns
    -------
    An ``alt.LayerChart`` of the chart width, one ``ROW_HEIGHT`` per row; frame it with ``framed``.
    """
    frame = pd.DataFrame([{"row": r, "start": s, "end": e, "band": name} for r in order for s, e, name, _ in bands])
    band_layer = (
        alt.Chart(frame)
        .mark_bar(height=14)
        .encode(
            x=alt.X("start:Q", scale=alt.Scale(domain=[0, 100], nice=False), axis=axis),
            x2="end:Q",
            y=y,
            color=alt.Color(
                "band:N",
                scale=alt.Scale(domain=[b[2] for b in bands], range=[b[3] for b in bands]),
                legend=alt.Legend(title=legend_title, orient="bottom", symbolType="square"),
            ),
            tooltip=alt.value(None),
        )
    )
    middle = (
        alt.Chart(pd.DataFrame({"row": order, "middle": 50.0}))
        .mark_tick(color=MIDDLE_COLOUR, thickness=2, size=20)
        .encode(x="middle:Q", y=y, tooltip=alt.value(middle_tooltip))
    )
    return (
        alt.layer(band_layer, middle, point_layer)
        .resolve_scale(color="independent", shape="independent")
        .properties(width=CHART_WIDTH, height=ROW_HEIGHT * max(len(order), 1))
    )


def decile_colours() -> list[str]:
    """Colours of national deciles 1..10, decile 1 (most deprived) darkest, as on the map."""
    return list(reversed(palette_colours("viridis", 10)))


def decile_distribution(
    frame: pd.DataFrame,
    *,
    title: str,
    subtitle: str | list[str],
    footer: list[str],
    row_title: str = "",
) -> alt.ConcatChart:
    """Stacked bars: the share of each row's LSOAs in each national decile.

    Parameters
    ----------
    frame : long frame with ``row`` (label, in display order), ``decile`` (1..10),
        ``count`` and ``share`` (0..1, summing to 1 per row)

    Returns
    -------
    A framed chart; decile 1 (most deprived 10%) leftmost and darkest, as on the map.
    A dashed rule at 10% marks England's share in any one decile.
    """
    order = list(dict.fromkeys(frame["row"]))
    data = frame.assign(decile_label=frame["decile"].astype(int).map(lambda d: f"Decile {d}"))
    labels = [f"Decile {d}" for d in range(1, 11)]
    y = alt.Y("row:N", sort=order, title=row_title or None, axis=alt.Axis(ticks=False, domain=False, labelPadding=6))
    bars = (
        alt.Chart(data)
        .mark_bar(height=16, stroke="#ffffff", strokeWidth=0.5)
        .encode(
            x=alt.X(
                "share:Q",
                stack="zero",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(
                    format="%",
                    values=[0, 0.1, 0.25, 0.5, 0.75, 1],
                    title="Share of the area's LSOAs in each national decile",
                ),
            ),
            y=y,
            color=alt.Color(
                "decile_label:N",
                scale=alt.Scale(domain=labels, range=decile_colours()),
                legend=alt.Legend(title="National decile (1 = most deprived 10% of England)", columns=5),
            ),
            order=alt.Order("decile:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("row:N", title="Domain"),
                alt.Tooltip("decile_label:N", title="National decile"),
                alt.Tooltip("count:Q", title="LSOAs"),
                alt.Tooltip("share:Q", title="Share", format=".0%"),
            ],
        )
    )
    england = (
        alt.Chart(pd.DataFrame({"x": [0.1]}))
        .mark_rule(strokeDash=[4, 3], color=INK)
        .encode(x="x:Q", tooltip=alt.value("England: 10% of LSOAs in each decile"))
    )
    layered = alt.layer(bars, england).properties(width=CHART_WIDTH, height=(ROW_HEIGHT + 2) * len(order))
    return framed(layered, title=title, subtitle=subtitle, footer=footer)


# --- The charts of the profile and compare pages (titles in one place, for page and report) -------


def lsoa_spine_chart(table: pd.DataFrame, *, name: str, code: str, la_name: str, vintage: Vintage) -> alt.ConcatChart:
    """An LSOA's spine chart from ``profile.lsoa_profile_table``, titled for the page and the report."""
    return spine_chart(
        spine_rows(table),
        title=f"{name}: every domain against England",
        subtitle=[
            f"LSOA {code} in {la_name} · {vintage.label} · national position, most deprived on the left",
            "Circle: this LSOA · diamond: the middle LSOA of the local authority · black tick: England's middle",
        ],
        footer=source_footer(vintage),
        total=vintage.n_lsoas,
        area_label="This LSOA",
        reference_label=f"{la_name} median",
    )


def la_decile_chart(counts: pd.DataFrame, *, la_name: str, vintage: Vintage) -> alt.ConcatChart:
    """An LA's LSOAs across national deciles, per domain, from ``profile.la_decile_counts``."""
    n = int(counts.groupby("row")["count"].sum().max()) if len(counts) else 0
    return decile_distribution(
        counts,
        title=f"{la_name}: its LSOAs across England's deciles",
        subtitle=f"{n:,} LSOAs · {vintage.label} · dashed line: England's 10% in each decile",
        footer=source_footer(vintage),
    )


def _compared(domain: str, vintage: Vintage, shown: str, reading: str) -> dict:
    """Title, subtitle and footer of one domain's chart of compared areas."""
    return {
        "title": f"{domain}: compared",
        "subtitle": f"{shown} · {vintage.label} · {reading}",
        "footer": source_footer(vintage),
    }


def compare_lsoa_chart(rows: pd.DataFrame, *, domain: str, vintage: Vintage) -> alt.ConcatChart:
    """One domain's spine chart with one row per compared LSOA (``compare.lsoa_rows`` for that domain)."""
    shown = f"{rows['row'].nunique()} LSOAs"
    words = _compared(domain, vintage, shown, "national position, most deprived on the left")
    return spine_chart(rows, total=vintage.n_lsoas, area_label="LSOA", **words)


def compare_la_chart(counts: pd.DataFrame, *, domain: str, vintage: Vintage) -> alt.ConcatChart:
    """One domain's decile mix with one bar per compared LA (``compare.la_counts`` for that domain)."""
    shown = f"{counts['row'].nunique()} local authorities"
    return decile_distribution(counts, **_compared(domain, vintage, shown, "share of each LA's LSOAs per decile"))
