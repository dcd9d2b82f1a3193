"""HTML legends drawn beside the systems, priority and hot-spot maps.

``maps.legend_html`` draws an ordered legend ("more deprived" first) from a
``Classification``; the two here cover what it does not: a 3x3 bivariate grid and a
list of unordered categories (LISA clusters). Every string is escaped; the CSS reuses
the map explorer's ``.pm-legend`` classes and adds the grid's.
"""

from __future__ import annotations

from collections.abc import Sequence

from placemap.analysis.classify import NO_DATA_COLOUR
from placemap.data.prepare import escape_text
from placemap.render.colour import readable_text_colour


def bivariate_legend_html(
    title: str,
    x_label: str,
    y_label: str,
    palette: Sequence[str],
    counts: Sequence[Sequence[int]],
    n_missing: int = 0,
    subtitle: str = "",
) -> str:
    """A 3x3 legend: columns are thirds of ``x`` (left to right: less to more deprived), rows thirds of ``y``.

    ``palette[3 * j + i]`` and ``counts[j][i]`` belong to x third ``i`` and y third ``j``
    (0 = least deprived). The top row is the most deprived third of ``y``. Each cell
    carries its count and an ``aria-label`` in words.

    Example
    -------
    >>> html = bivariate_legend_html("T", "Income", "Health", ["#000000"] * 9, [[1, 2, 3]] * 3)
    >>> html.count('class="pm-bv-cell"')
    9
    """
    names = ("least deprived third", "middle third", "most deprived third")
    cells = []
    for j in (2, 1, 0):
        for i in range(3):
            words = f"{x_label}: {names[i]}; {y_label}: {names[j]}; {counts[j][i]:,} LSOAs"
            text_colour = readable_text_colour(palette[3 * j + i])
            cells.append(
                f'<div class="pm-bv-cell" role="img" aria-label="{escape_text(words)}" title="{escape_text(words)}" '
                f'style="background:{palette[3 * j + i]};color:{text_colour}">{counts[j][i]:,}</div>'
            )
    missing = (
        f'<div class="pm-bv-missing"><span class="pm-swatch pm-nodata" style="background:{NO_DATA_COLOUR}"></span>'
        f"No data ({n_missing:,})</div>"
    )
    return (
        '<div class="pm-legend pm-bivariate" role="group" aria-label="Bivariate map legend">'
        f'<div class="pm-legend-title">{escape_text(title)}</div>'
        f'<div class="pm-legend-sub">{escape_text(subtitle)}</div>'
        '<div class="pm-bv-wrap">'
        f'<div class="pm-bv-y">&uarr; up the grid: more deprived on {escape_text(y_label)}</div>'
        f'<div class="pm-bv-grid">{"".join(cells)}</div>'
        f'<div class="pm-bv-x">&rarr; across: more deprived on {escape_text(x_label)}</div>'
        "</div>"
        f"{missing}"
        '<div class="pm-legend-sub">Numbers: LSOAs in each cell. Darkest corner: most deprived on both.</div>'
        "</div>"
    )


def category_legend_html(title: str, subtitle: str, entries: Sequence[tuple[str, str, int]], missing: str = "") -> str:
    """A legend of unordered categories: one (colour, label, count) per entry, then an optional "no data" line.

    Example
    -------
    >>> "Hot &amp; cold" in category_legend_html("Hot & cold", "", [("#D55E00", "Hot", 3)])
    True
    """
    items = [
        f'<li><span class="pm-swatch" style="background:{colour}"></span>'
        f'<span>{escape_text(label)}</span> <span class="pm-count">({count:,})</span></li>'
        for colour, label, count in entries
    ]
    if missing:
        items.append(
            f'<li><span class="pm-swatch pm-nodata" style="background:{NO_DATA_COLOUR}"></span>'
            f"<span>{escape_text(missing)}</span></li>"
        )
    return (
        '<div class="pm-legend" role="group" aria-label="Map legend">'
        f'<div class="pm-legend-title">{escape_text(title)}</div>'
        f'<div class="pm-legend-sub">{escape_text(subtitle)}</div>'
        f"<ul>{''.join(items)}</ul>"
        "</div>"
    )


BIVARIATE_CSS = """
<style>
.pm-bv-wrap {display: flex; flex-direction: column; gap: 4px; margin: 0.4rem 0; max-width: 20rem;}
.pm-bv-y, .pm-bv-x {font-size: 0.9em; color: #333;}
.pm-bv-grid {display: grid; grid-template-columns: repeat(3, 3.6rem); grid-auto-rows: 3.6rem; gap: 2px;}
.pm-bv-cell {display: flex; align-items: center; justify-content: center; font-size: 1.2rem; font-weight: 700; border: 1px solid #666;}
.pm-bv-missing {display: flex; align-items: center; gap: 0.5rem; font-size: 0.9em; margin-top: 0.3rem;}
</style>
"""
