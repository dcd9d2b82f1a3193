"""The choropleth as a static figure (matplotlib), for PNG/SVG/PDF exports and the report.

Leaflet maps cannot be exported by folium, so the static map is drawn on the
server from the *same* ``Classification`` that coloured the interactive map: the
same class of every area, the same colours and the same legend labels and counts.
The map is drawn in the British National Grid (EPSG:27700), north up, with a
north arrow, a scale bar, the legend, a title, a subtitle and a source line.

Uses matplotlib's object-oriented API (``Figure``), never ``pyplot``, so it is safe
in Streamlit's threads and leaves no global figure behind.

Example
-------
>>> nice_length(3_700), nice_length(180)
(2000, 100)
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from placemap.analysis.classify import (
    NO_DATA_COLOUR,
    NO_DATA_LABEL,
    SUPPRESSED_CLASS,
    SUPPRESSED_COLOUR,
    SUPPRESSED_LABEL,
    Classification,
)
from placemap.render.maps import HIGHLIGHT_COLOUR

BRITISH_NATIONAL_GRID = 27700
FONT_FAMILY = "DejaVu Sans"  # bundled with matplotlib, so the same on every machine
MUTED = "#4a4a4a"
OUTLINES_COLOUR = "#d95f02"  # uploaded areas: the map explorer's orange (``uploaded_maps.UPLOADED_COLOUR``)
# Area names are data: a "$" must print as a dollar sign, not start matplotlib's mathtext.
LITERAL_TEXT = {"text.parse_math": False, "text.usetex": False}


def nice_length(metres: float) -> int:
    """A round scale-bar length (1, 2 or 5 times a power of ten) no longer than ``metres``."""
    power = 10 ** max(int(f"{metres:e}".split("e")[1]), 0)
    for step in (5, 2, 1):
        if step * power <= metres:
            return int(step * power)
    return int(power)


def draw_choropleth(
    ax: Axes,
    geometry: gpd.GeoDataFrame,
    classification: Classification,
    highlight: gpd.GeoDataFrame | None = None,
    outlines: gpd.GeoDataFrame | None = None,
) -> None:
    """Draw classified areas on ``ax``: class colours, dashed "no data", outline, highlight, arrow, scale.

    ``outlines`` (optional, any CRS) are drawn as orange dashed lines on top, e.g. the
    areas a user uploaded; the map's extent stays that of ``geometry``.

    Raises
    ------
    ValueError
        If the number of areas and of classified values differ.
    """
    if len(geometry) != len(classification.classes):
        raise ValueError(f"{len(geometry)} areas but {len(classification.classes)} classified values")
    projected = geometry.to_crs(BRITISH_NATIONAL_GRID)
    ax.set_axis_off()
    ax.set_aspect("equal")
    has_data = classification.classes >= 0
    if has_data.any():
        colours = [c for c, h in zip(classification.colours, has_data, strict=True) if h]
        projected[has_data].plot(ax=ax, color=colours, edgecolor="#444444", linewidth=0.25)
    suppressed = classification.classes == SUPPRESSED_CLASS
    missing = ~has_data & ~suppressed
    if missing.any():
        projected[missing].plot(
            ax=ax, facecolor=NO_DATA_COLOUR, edgecolor="#6b6b6b", linewidth=0.8, linestyle=(0, (4, 3))
        )
    if suppressed.any():
        projected[suppressed].plot(ax=ax, facecolor=SUPPRESSED_COLOUR, edgecolor="#444444", linewidth=0.6, hatch="////")
    outline = gpd.GeoSeries([projected.geometry.union_all()], crs=projected.crs)
    outline.boundary.plot(ax=ax, color="#000000", linewidth=1.2)
    if outlines is not None and len(outlines):
        outlines.to_crs(projected.crs).boundary.plot(
            ax=ax, color=OUTLINES_COLOUR, linewidth=1.8, linestyle=(0, (5, 2.5))
        )
    if highlight is not None and len(highlight):
        highlight.to_crs(projected.crs).boundary.plot(ax=ax, color=HIGHLIGHT_COLOUR, linewidth=2.6)
    west, south, east, north = projected.total_bounds
    pad = 0.04 * max(east - west, north - south)
    ax.set_xlim(west - pad, east + pad)
    ax.set_ylim(south - pad, north + pad)
    _north_arrow(ax)
    _scale_bar(ax)


def legend_handles(
    classification: Classification, highlight_label: str | None = None, outlines_label: str | None = None
) -> list[Patch]:
    """Legend entries from the classification: most deprived class first, then suppressed (if any), then "No data"."""
    handles = [
        Patch(facecolor=colour, edgecolor="#444444", label=f"{label} ({count:,})")
        for colour, label, count in reversed(
            list(zip(classification.palette, classification.labels, classification.counts, strict=True))
        )
    ]
    if classification.n_suppressed:
        handles.append(
            Patch(
                facecolor=SUPPRESSED_COLOUR,
                edgecolor="#444444",
                hatch="////",
                label=f"{SUPPRESSED_LABEL} ({classification.n_suppressed:,})",
            )
        )
    handles.append(
        Patch(
            facecolor=NO_DATA_COLOUR,
            edgecolor="#6b6b6b",
            linestyle="--",
            label=f"{NO_DATA_LABEL} ({classification.n_missing:,})",
        )
    )
    if highlight_label:
        handles.append(Patch(facecolor="none", edgecolor=HIGHLIGHT_COLOUR, linewidth=2, label=highlight_label))
    if outlines_label:
        handles.append(
            Patch(facecolor="none", edgecolor=OUTLINES_COLOUR, linewidth=1.8, linestyle="--", label=outlines_label)
        )
    return handles


def map_figure(
    geometry: gpd.GeoDataFrame,
    classification: Classification,
    *,
    title: str,
    subtitle: str,
    legend_title: str,
    source_lines: list[str],
    highlight: gpd.GeoDataFrame | None = None,
    highlight_label: str = "Selected area",
    width_in: float = 8.27,
    height_in: float = 9.5,
    outlines: gpd.GeoDataFrame | None = None,
    outlines_label: str = "Your areas (uploaded)",
) -> Figure:
    """Draw a classified choropleth with its title, legend and source as a figure.

    Parameters
    ----------
    geometry : the areas in the order of ``classification.classes`` (with a CRS)
    classification : from ``classify.classify_values`` / ``cache.load_classification``
    title, subtitle : printed above the map
    legend_title : the indicator's label
    source_lines : printed under the legend (source, licence, boundaries)
    highlight : optional areas to outline in magenta (e.g. the profiled LSOA)
    width_in, height_in : figure size in inches (A4 width by default)
    outlines : optional areas drawn as orange dashed outlines (uploaded areas), named
        ``outlines_label`` in the legend

    Returns
    -------
    A ``matplotlib.figure.Figure``; save it with ``export.figure_bytes``.
    """
    with matplotlib.rc_context(LITERAL_TEXT):
        fig = Figure(figsize=(width_in, height_in))
        ax = fig.add_axes((0.03, 0.25, 0.94, 0.63))
        draw_choropleth(ax, geometry, classification, highlight, outlines)
        fig.text(0.03, 0.97, title, fontsize=15, fontweight="bold", family=FONT_FAMILY, va="top")
        fig.text(0.03, 0.93, subtitle, fontsize=10, color=MUTED, family=FONT_FAMILY, va="top")
        handles = legend_handles(
            classification,
            highlight_label if highlight is not None and len(highlight) else None,
            outlines_label if outlines is not None and len(outlines) else None,
        )
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.03, 0.245),
            ncol=2 if len(handles) > 6 else 1,
            frameon=False,
            prop={"family": FONT_FAMILY, "size": 8},
            title=f"{legend_title} (more deprived first)",
            title_fontproperties={"family": FONT_FAMILY, "size": 9, "weight": "bold"},
            alignment="left",
        )
        fig.text(0.03, 0.012, "\n".join(source_lines), fontsize=6.5, color=MUTED, family=FONT_FAMILY, va="bottom")
        return fig


def _north_arrow(ax: Axes) -> None:
    ax.annotate(
        "N",
        xy=(0.97, 0.98),
        xytext=(0.97, 0.88),
        xycoords="axes fraction",
        textcoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        arrowprops={"arrowstyle": "-|>", "color": "#1f1f1f", "lw": 1.5},
    )


def _scale_bar(ax: Axes) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = nice_length((x1 - x0) / 4)
    left, bottom = x0 + 0.03 * (x1 - x0), y0 + 0.02 * (y1 - y0)
    height = 0.01 * (y1 - y0)
    ax.add_patch(Rectangle((left, bottom), length / 2, height, facecolor="#1f1f1f", edgecolor="#1f1f1f"))
    ax.add_patch(Rectangle((left + length / 2, bottom), length / 2, height, facecolor="#ffffff", edgecolor="#1f1f1f"))
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(left, bottom + 1.8 * height, "0", fontsize=8, ha="center", va="bottom")
    ax.text(left + length, bottom + 1.8 * height, text, fontsize=8, ha="center", va="bottom")
