"""Classes and hover text of the maps that are not one indicator: overlap, composite, stability, hot spots, coverage, similar areas. Pure: no Streamlit.

Each ``*_map`` function returns the map's ``Classification`` and the style payload the
browser restyles the base map from (``maps.style_payload``), one feature per area in order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from placemap.analysis import priority
from placemap.analysis.classify import Classification
from placemap.render.maps import style_payload

#: Fill of an area that is not in any class of a hand-built map (an island on the hot-spot map).
UNCLASSED_COLOUR = "#ffffff"


def category_classification(
    classes: Sequence[int],
    palette: Sequence[str],
    labels: Sequence[str],
    scheme: str,
    bins: Sequence[float] = (),
) -> Classification:
    """A ``Classification`` of ready-made class ids (``-1`` = not classed), counted per class.

    Example
    -------
    >>> c = category_classification([0, 1, 1, -1], ["#000000", "#ffffff"], ["no", "yes"], "demo")
    >>> c.counts, c.n_missing, c.colours[-1]
    ([1, 2], 1, '#ffffff')
    """
    classes = np.asarray(classes, dtype=int)
    return Classification(
        classes=classes,
        colours=[palette[c] if c >= 0 else UNCLASSED_COLOUR for c in classes],
        palette=list(palette),
        labels=list(labels),
        bins=list(bins),
        counts=[int((classes == i).sum()) for i in range(len(palette))],
        n_missing=int((classes < 0).sum()),
        scheme=scheme,
    )


def stability_map(shares: np.ndarray, total: int, version: str) -> tuple[Classification, dict]:
    """The rank-stability map: the share of random weightings that put each area in the top decile of need.

    Example
    -------
    >>> classification, payload = stability_map(np.array([0.0, 1.0]), 33755, "v")
    >>> payload["value"]
    ['0% of 1,000 weightings', '100% of 1,000 weightings']
    """
    classification = priority.stability_classification(shares)
    values = [f"{s:.0%} of {priority.STABILITY_DRAWS:,} weightings" for s in shares]
    label = "In the most deprived 10%"
    return classification, style_payload(classification, values, label=label, total=total, version=version)


def coverage_map(counts: Sequence[int], total: int, version: str) -> tuple[Classification, dict]:
    """The initiatives map: how many initiatives cover each area (0, 1, 2, 3 or more), on cividis.

    Example
    -------
    >>> classification, payload = coverage_map([0, 1, 5], 100, "v")
    >>> classification.counts, payload["value"]
    ([1, 1, 0, 1], ['0 initiatives', '1 initiative', '5 initiatives'])
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["cividis"]
    classification = category_classification(
        np.minimum(np.asarray(counts, dtype=int), 3),
        [to_hex(cmap(1 - i / 3)) for i in range(4)],
        ["No initiative", "1 initiative", "2 initiatives", "3 or more initiatives"],
        "coverage",
        bins=[0.0, 1.0, 2.0, 3.0],
    )
    values = [f"{c} initiative{'s' if c != 1 else ''}" for c in counts]
    label = "Initiatives working here"
    return classification, style_payload(classification, values, label=label, total=total, version=version)


def similar_map(
    distances: Sequence[float], notes: Sequence[str], this_colour: str, similar_colour: str, version: str
) -> tuple[Classification, dict]:
    """The similar-areas map: the area itself first (class 1), then its similar areas by rank (class 0).

    ``notes`` is appended to each similar area's hover text (its IMD decile, or nothing).

    Example
    -------
    >>> _, payload = similar_map([0.5], [""], "#e6007e", "#ffd700", "v")
    >>> payload["value"]
    ['This area', 'No. 1 most similar (distance 0.500)']
    """
    classes = [1] + [0] * len(distances)
    classification = category_classification(
        classes, [similar_colour, this_colour], ["Similar area", "This area"], "similar", bins=[0.0, 1.0]
    )
    values = ["This area"] + [
        f"No. {i} most similar (distance {d:.3f}{e})" for i, (d, e) in enumerate(zip(distances, notes, strict=True), 1)
    ]
    return classification, style_payload(classification, values, label="Similarity", total=len(values), version=version)
