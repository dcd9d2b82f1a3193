"""A change map's classes: diverging colours centred on "no change", the words for a change, the legend.

One classification for every change, whatever the indicators: seven classes symmetric about
zero (``ChangeEdges``: "little or no change" below ``little`` either way, then breaks at
``step`` and ``2 x step``), red for worse, grey for little or no change, blue for better.
An IoD domain's change in rank position or decile uses fixed edges (``EDGES``); a change
between two indicators of one concept (``placemap.analysis.pair_change``) round-number edges
from the spread of its changes (``change_edges``).

Example
-------
>>> edges = change_edges(np.array([0.3, -1.0, 4.0, 6.0, -5.0]))
>>> edges.little, edges.step
(0.5, 2.0)
>>> change_classes(np.array([0.1, 1.0, -3.0, 9.0, np.nan]), edges).tolist()
[3, 4, 1, 6, -1]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from placemap.analysis.change import LITTLE_CHANGE_POINTS
from placemap.analysis.classify import NO_DATA_COLOUR, Classification
from placemap.analysis.lsoa_change import DECILE, POSITION
from placemap.data.prepare import escape_text

# ColorBrewer RdBu (7 classes, colour-blind safe), with its near-white centre replaced by a
# neutral grey so that "little or no change" never looks like "no data" (white).
DIVERGING_PALETTE = ["#b2182b", "#ef8a62", "#fddbc7", "#bdbdbd", "#d1e5f0", "#67a9cf", "#2166ac"]
NOT_COMPARABLE_LABEL = "Not comparable (no value in one edition)"
IOD_ENDS = "Relatively more deprived (red) · no change (grey) · relatively less deprived (blue)"


@dataclass(frozen=True)
class ChangeEdges:
    """Symmetric class breaks: ``|change| < little`` is little change; ``step`` and ``2 x step`` the next breaks."""

    little: float
    step: float


# A decile change is a whole number: 0.5 and 1.5 put -1, -2 and -3 or more in their own classes.
EDGES = {POSITION: ChangeEdges(LITTLE_CHANGE_POINTS, 10.0), DECILE: ChangeEdges(0.5, 1.5)}
_LABELS = {
    POSITION: [
        "20 points or more towards the most deprived end",
        "10 to 20 points towards the most deprived end",
        f"{LITTLE_CHANGE_POINTS:g} to 10 points towards the most deprived end",
        f"Little or no change (less than {LITTLE_CHANGE_POINTS:g} points either way)",
        f"{LITTLE_CHANGE_POINTS:g} to 10 points away from the most deprived end",
        "10 to 20 points away from the most deprived end",
        "20 points or more away from the most deprived end",
    ],
    DECILE: [
        "3 or more deciles more deprived",
        "2 deciles more deprived",
        "1 decile more deprived",
        "No change in decile",
        "1 decile less deprived",
        "2 deciles less deprived",
        "3 or more deciles less deprived",
    ],
}


def nice_step(x: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least ``x`` (1 when ``x`` <= 0).

    Example
    -------
    >>> [nice_step(v) for v in (0.37, 2.0, 2.1, 7, 1234)]
    [0.5, 2.0, 2.5, 10.0, 2000.0]
    """
    if not x or x <= 0 or not math.isfinite(x):
        return 1.0
    power = 10.0 ** math.floor(math.log10(x))
    for m in (1.0, 2.0, 2.5, 5.0, 10.0):
        if m * power >= x * (1 - 1e-12):
            return float(round(m * power, 12))
    return float(10 * power)  # pragma: no cover - the loop always returns


def change_edges(changes: np.ndarray, little: float | None = None) -> ChangeEdges:
    """Round-number breaks from the spread of the changes.

    ``step`` is a round number near a third of the 95th percentile of the absolute changes,
    so most areas fall within three steps; ``little`` defaults to a round fifth of ``step``
    (a value given by the user is kept, and ``step`` raised above it when needed).
    """
    v = np.abs(np.asarray(changes, dtype=float))
    v = v[np.isfinite(v)]
    spread = float(np.quantile(v, 0.95)) if len(v) else 0.0
    step = nice_step(spread / 3)
    if little is None or not math.isfinite(little) or little < 0:
        little = nice_step(step / 5)
    if step <= little:
        step = nice_step(little * 2)
    return ChangeEdges(float(little), float(step))


def change_classes(better: np.ndarray, edges: ChangeEdges) -> np.ndarray:
    """Class of each change: 0 = most worse, 3 = little or no change, 6 = most better; -1 = no data.

    Symmetric about zero: a change of -x falls in class 6 - (class of +x).
    """
    b = np.asarray(better, dtype=float)
    out = np.full(len(b), -1)
    ok = np.isfinite(b)
    x = np.round(b[ok], 9)
    cls = np.full(len(x), 3)
    cls[x <= -edges.little] = 2
    cls[x <= -edges.step] = 1
    cls[x <= -2 * edges.step] = 0
    cls[x >= edges.little] = 4
    cls[x >= edges.step] = 5
    cls[x >= 2 * edges.step] = 6
    if edges.little == 0:  # no "little change" band: only an exact zero is grey
        cls[x == 0] = 3
    out[ok] = cls
    return out


def diverging_classification(better: np.ndarray, edges: ChangeEdges, labels: list[str], scheme: str) -> Classification:
    """A diverging ``Classification`` (ColorBrewer RdBu with a grey centre) for ``maps.style_payload``.

    Class 0 is the largest change for the worse (red), the middle class little or no change
    (grey), the last class the largest change for the better (blue); no data is white.
    """
    classes = change_classes(better, edges)
    palette = list(DIVERGING_PALETTE)
    return Classification(
        classes=classes,
        colours=[palette[c] if c >= 0 else NO_DATA_COLOUR for c in classes],
        palette=palette,
        labels=list(labels),
        bins=[-2 * edges.step, -edges.step, -edges.little, edges.little, edges.step, 2 * edges.step, math.inf],
        counts=[int((classes == i).sum()) for i in range(len(palette))],
        n_missing=int((classes < 0).sum()),
        scheme=scheme,
    )


def classify_change(values: np.ndarray, measure: str) -> Classification:
    """Classes of an IoD domain's change in rank position or decile (positive = relatively less deprived)."""
    if measure not in EDGES:
        raise ValueError(f"Unknown change measure {measure!r}")
    return diverging_classification(values, EDGES[measure], _LABELS[measure], f"change_{measure}")


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


def change_legend_html(
    title: str,
    subtitle: str,
    classification: Classification,
    no_data_label: str = NOT_COMPARABLE_LABEL,
    ends: str = IOD_ENDS,
) -> str:
    """Legend for a change map: the worse classes first, the neutral middle, the better ones, then no data.

    Uses the CSS classes of ``maps.LEGEND_CSS``; every string is escaped.
    """
    items = [
        f'<li><span class="pm-swatch" style="background:{colour}"></span>'
        f'<span>{escape_text(label)}</span> <span class="pm-count">({count:,})</span></li>'
        for colour, label, count in zip(
            classification.palette, classification.labels, classification.counts, strict=True
        )
    ]
    items.append(
        f'<li><span class="pm-swatch pm-nodata" style="background:{NO_DATA_COLOUR}"></span>'
        f"<span>{escape_text(no_data_label)}</span> "
        f'<span class="pm-count">({classification.n_missing:,})</span></li>'
    )
    return (
        '<div class="pm-legend" role="group" aria-label="Change map legend">'
        f'<div class="pm-legend-title">{escape_text(title)}</div>'
        f'<div class="pm-legend-sub">{escape_text(subtitle)}</div>'
        f'<div class="pm-legend-end">{escape_text(ends)}</div>'
        f"<ul>{''.join(items)}</ul>"
        "</div>"
    )
