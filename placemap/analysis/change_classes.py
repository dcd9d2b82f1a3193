"""A change map's classes: diverging colours centred on "no change", the words for a change, the legend."""

from __future__ import annotations

import math

import numpy as np

from placemap.analysis.change import LITTLE_CHANGE_POINTS
from placemap.analysis.classify import NO_DATA_COLOUR, Classification
from placemap.analysis.lsoa_change import DECILE, POSITION
from placemap.data.prepare import escape_text

# ColorBrewer RdBu (7 classes, colour-blind safe), with its near-white centre replaced by a
# neutral grey so that "little or no change" never looks like "no data" (white).
DIVERGING_PALETTE = ["#b2182b", "#ef8a62", "#fddbc7", "#bdbdbd", "#d1e5f0", "#67a9cf", "#2166ac"]
NOT_COMPARABLE_LABEL = "Not comparable (no value in one edition)"
_POSITION_EDGES = [-20.0, -10.0, -LITTLE_CHANGE_POINTS, LITTLE_CHANGE_POINTS, 10.0, 20.0]  # class upper bounds
_POSITION_LABELS = [
    "20 points or more towards the most deprived end",
    "10 to 20 points towards the most deprived end",
    f"{LITTLE_CHANGE_POINTS:g} to 10 points towards the most deprived end",
    f"Little or no change (less than {LITTLE_CHANGE_POINTS:g} points either way)",
    f"{LITTLE_CHANGE_POINTS:g} to 10 points away from the most deprived end",
    "10 to 20 points away from the most deprived end",
    "20 points or more away from the most deprived end",
]
_DECILE_LABELS = [
    "3 or more deciles more deprived",
    "2 deciles more deprived",
    "1 decile more deprived",
    "No change in decile",
    "1 decile less deprived",
    "2 deciles less deprived",
    "3 or more deciles less deprived",
]


def change_classes(values: np.ndarray, measure: str) -> np.ndarray:
    """Class of each change: 0 = most towards "more deprived", 3 = no change, 6 = most towards "less deprived"; -1 = not comparable."""
    v = np.asarray(values, dtype=float)
    out = np.full(len(v), -1)
    ok = ~np.isnan(v)
    if measure == DECILE:
        out[ok] = np.clip(np.round(v[ok]), -3, 3).astype(int) + 3
    elif measure == POSITION:
        # Symmetric about zero: a change of -x falls in class 6 - (class of +x).
        x = np.round(v[ok], 6)
        cls = np.full(len(x), 3)
        cls[x <= -LITTLE_CHANGE_POINTS] = 2
        cls[x <= -10] = 1
        cls[x <= -20] = 0
        cls[x >= LITTLE_CHANGE_POINTS] = 4
        cls[x >= 10] = 5
        cls[x >= 20] = 6
        out[ok] = cls
    else:
        raise ValueError(f"Unknown change measure {measure!r}")
    return out


def classify_change(values: np.ndarray, measure: str) -> Classification:
    """A diverging ``Classification`` of changes, centred on "no change", for ``maps.style_payload``.

    Class 0 is the largest move towards the most deprived end (red), the middle class is
    little or no change (grey), the last class the largest move away from it (blue);
    areas that are not comparable are "no data" (white, dashed outline on the map).
    """
    classes = change_classes(values, measure)
    labels = _DECILE_LABELS if measure == DECILE else _POSITION_LABELS
    palette = list(DIVERGING_PALETTE)
    colours = [palette[c] if c >= 0 else NO_DATA_COLOUR for c in classes]
    counts = [int((classes == i).sum()) for i in range(len(palette))]
    bins = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, math.inf] if measure == DECILE else [*_POSITION_EDGES, math.inf]
    return Classification(
        classes=classes,
        colours=colours,
        palette=palette,
        labels=list(labels),
        bins=bins,
        counts=counts,
        n_missing=int((classes < 0).sum()),
        scheme=f"change_{measure}",
    )


def format_change(value: float, measure: str) -> str:
    """A change in words and numbers: "+12.3 points (less deprived relative to England)"."""
    if value is None or value != value:
        return "Not comparable"
    if measure == DECILE:
        v = round(float(value))
        if v == 0:
            return "No change in decile"
        return f"{v:+d} decile{'s' if abs(v) > 1 else ''} ({'less' if v > 0 else 'more'} deprived)"
    if abs(value) < LITTLE_CHANGE_POINTS:
        return f"{value:+.1f} points (little change)"
    return f"{value:+.1f} points ({'away from' if value > 0 else 'towards'} the most deprived end)"


def change_legend_html(title: str, subtitle: str, classification: Classification) -> str:
    """Legend for a change map: "more deprived" classes first, the neutral middle, then "Not comparable".

    Uses the CSS classes of ``maps.LEGEND_CSS``; every string is escaped.
    """
    items = []
    for colour, label, count in zip(classification.palette, classification.labels, classification.counts, strict=True):
        items.append(
            f'<li><span class="pm-swatch" style="background:{colour}"></span>'
            f'<span>{escape_text(label)}</span> <span class="pm-count">({count:,})</span></li>'
        )
    items.append(
        f'<li><span class="pm-swatch pm-nodata" style="background:{NO_DATA_COLOUR}"></span>'
        f"<span>{escape_text(NOT_COMPARABLE_LABEL)}</span> "
        f'<span class="pm-count">({classification.n_missing:,})</span></li>'
    )
    return (
        '<div class="pm-legend" role="group" aria-label="Change map legend">'
        f'<div class="pm-legend-title">{escape_text(title)}</div>'
        f'<div class="pm-legend-sub">{escape_text(subtitle)}</div>'
        '<div class="pm-legend-end">Relatively more deprived (red) · no change (grey) · '
        "relatively less deprived (blue)</div>"
        f"<ul>{''.join(items)}</ul>"
        "</div>"
    )
