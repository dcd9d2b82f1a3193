"""Turn indicator values into classes, colours and legend entries.

mapclassify does the classing; this module adds what a map needs on top of it:
the same colour direction for every indicator (more deprived = the darker end),
"no data" handled in one place, and legend labels from the very break values
that coloured the map.

Example
-------
>>> import numpy as np
>>> c = classify_values(np.array([1.0, 2.0, 3.0, 4.0, np.nan]), "quantiles", 2,
...                     polarity="high_is_deprived", palette="viridis")
>>> c.classes.tolist()
[0, 0, 1, 1, -1]
>>> c.colours[-1] == NO_DATA_COLOUR
True
"""

from __future__ import annotations

import sys
import threading
import warnings
from dataclasses import dataclass

import numpy as np

from placemap.data.indicators import Polarity
from placemap.data.prepare import SUPPRESSED_TEXT

SCHEMES = {
    "quantiles": "Quantiles (equal counts)",
    "equal_interval": "Equal interval",
    "fisher_jenks": "Natural breaks (Fisher-Jenks)",
    "national_deciles": "National deciles (1 = most deprived 10% in England)",
}
# mapclassify's class names; the module is imported on first use (its import compiles numba code:
# several seconds and ~250 MB that a server start serving cached classifications never needs).
_MAPCLASSIFY = {
    "quantiles": "Quantiles",
    "equal_interval": "EqualInterval",
    "fisher_jenks": "FisherJenks",
}
# Colour-blind-safe sequential palettes. ``dark_end`` says which end of the
# matplotlib colormap is the darker/stronger one, so every palette can be turned
# to put "more deprived" at that end.
PALETTES = {
    "viridis": ("Viridis", 0.0),
    "cividis": ("Cividis", 0.0),
    "magma": ("Magma", 0.0),
    "YlOrRd": ("Yellow-Orange-Red (ColorBrewer)", 1.0),
    "YlGnBu": ("Yellow-Green-Blue (ColorBrewer)", 1.0),
    "Purples": ("Purples (ColorBrewer)", 1.0),
}
FISHER_JENKS_EXACT_LIMIT = 10_000  # above this, mapclassify's sampled Fisher-Jenks (seeded)
NO_DATA_COLOUR = "#ffffff"
NO_DATA_LABEL = "No data"
# Suppressed (small numbers) is not missing: a value withheld by the publisher gets its own grey,
# hatching on static maps and a dotted outline on the live map, and its own legend entry.
SUPPRESSED_COLOUR = "#bdbdbd"
SUPPRESSED_LABEL = SUPPRESSED_TEXT
SUPPRESSED_CLASS = -2
MIN_CLASSES, MAX_CLASSES = 3, 10
FIXED_BANDS = "fixed_bands"  # internal: classes against given bounds (e.g. shares 0-5%, 5-10%, ...)


@dataclass(frozen=True)
class Classification:
    """The result of classing one indicator's values.

    Attributes
    ----------
    classes : per-value class index, 0 = least deprived class, -1 = no data,
        -2 (``SUPPRESSED_CLASS``) = suppressed (small numbers)
    colours : per-value hex colour (``NO_DATA_COLOUR`` for no data, ``SUPPRESSED_COLOUR`` for suppressed)
    palette : colour of each class, index 0 = least deprived
    labels : legend label of each class, same order as ``palette``
    bins : upper bound of each class in value order, as mapclassify gives them
    counts : number of areas in each class, same order as ``palette``
    n_missing : number of values with no data (suppressed values not included)
    n_suppressed : number of values suppressed by the publisher (small numbers)
    """

    classes: np.ndarray
    colours: list[str]
    palette: list[str]
    labels: list[str]
    bins: list[float]
    counts: list[int]
    n_missing: int
    scheme: str
    n_suppressed: int = 0


_IMPORTING = threading.Lock()


def _mapclassify():
    """mapclassify, imported once per process, its numba code compiled on first use and kept on disk.

    mapclassify decorates its Fisher-Jenks kernel with ``numba.njit(signature)``, which compiles it
    while the module is imported: about 2 s and 65 MB of LLVM in every server process, even one that
    only ever draws quantiles or national deciles. Neither numba nor mapclassify has a setting for
    that, so the import runs with ``njit(signature)`` turned into ``njit(cache=True)``: the same
    kernel, compiled for the types it is first called with when someone first asks for natural
    breaks, and read back from numba's on-disk cache by later processes (where numba finds no
    writable cache folder it compiles as before). ``njit`` is restored as soon as the import is done.
    """
    if "mapclassify" in sys.modules:
        return sys.modules["mapclassify"]
    with _IMPORTING:
        if "mapclassify" in sys.modules:
            return sys.modules["mapclassify"]
        try:
            import numba
        except ImportError:  # mapclassify then runs its kernel in plain Python
            import mapclassify

            return mapclassify
        eager = numba.njit

        def lazy(*args, **kwargs):
            if not args or callable(args[0]):
                return eager(*args, **kwargs)

            def decorate(func):
                try:
                    return eager(cache=True, **kwargs)(func)
                except RuntimeError:  # no cache folder numba can write to
                    return eager(*args, **kwargs)(func)

            return decorate

        numba.njit = lazy
        try:
            import mapclassify
        finally:
            numba.njit = eager
        return mapclassify


def _sampled_fisher_jenks(values: np.ndarray, k: int):
    # Exact Fisher-Jenks is O(n^2 k): about 6 s for England's 33,755 LSOAs even with
    # numba. mapclassify's sampled variant draws from NumPy's global generator, so
    # seed it for repeatable breaks and restore the caller's generator state.
    saved = np.random.get_state()
    try:
        np.random.seed(20251030)
        return _mapclassify().FisherJenksSampled(values, k=k, pct=0.1)
    finally:
        np.random.set_state(saved)


def palette_colours(palette: str, k: int) -> list[str]:
    """Return ``k`` colours from light (least deprived) to dark (most deprived).

    The ends are trimmed a little so the lightest class is not white (white is "no data").
    """
    from matplotlib import colormaps  # imported on first use, not by every page that imports this module
    from matplotlib.colors import to_hex

    if palette not in PALETTES:
        raise ValueError(f"Unknown palette {palette!r}")
    cmap = colormaps[palette]
    dark_end = PALETTES[palette][1]
    if k == 1:
        positions = np.array([0.5])
    else:
        positions = np.linspace(0.12, 1.0, k) if dark_end == 1.0 else np.linspace(0.92, 0.0, k)
    return [to_hex(cmap(p)) for p in positions]


def classify_values(
    values: np.ndarray,
    scheme: str,
    k: int,
    *,
    polarity: str,
    palette: str = "viridis",
    value_format: str = "{:,.3f}",
    national_bins: list[float] | None = None,
    measure_is_decile: bool = False,
    suppressed: np.ndarray | None = None,
) -> Classification:
    """Class ``values`` with a mapclassify scheme and colour them.

    Parameters
    ----------
    values : float array; NaN means no data
    scheme : a key of ``SCHEMES``
    k : requested number of classes (``MIN_CLASSES``..``MAX_CLASSES``); fewer are used
        when there are fewer distinct values
    polarity : ``Polarity.HIGH_IS_WORSE`` or ``Polarity.LOW_IS_WORSE``; decides which end is dark
    palette : a key of ``PALETTES``
    value_format : format string for legend bounds
    national_bins : for ``national_deciles``, the upper bounds of England's deciles
        in value order (``mapclassify.UserDefined`` classes against them); for
        ``FIXED_BANDS``, any upper bounds in value order
    measure_is_decile : the values are deciles themselves (legend shows no value range)
    suppressed : optional booleans, True where a missing value was suppressed (small numbers):
        those areas get ``SUPPRESSED_CLASS`` and are counted apart from "no data"

    Raises
    ------
    ValueError
        For an unknown scheme or palette, or national deciles without bins.
    """
    values = np.asarray(values, dtype=float)
    if scheme not in SCHEMES and scheme != FIXED_BANDS:
        raise ValueError(f"Unknown classification scheme {scheme!r}")
    valid = ~np.isnan(values)
    present = values[valid]
    n_unique = len(np.unique(present))
    classes_in_value_order = np.full(len(values), -1)

    if n_unique == 0:
        bins: list[float] = []
        counts_value_order: list[int] = []
    elif scheme in ("national_deciles", FIXED_BANDS):
        if national_bins is None:
            raise ValueError("National deciles and fixed bands need their bounds")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = _mapclassify().UserDefined(present, bins=list(national_bins))
        bins = [float(b) for b in national_bins]
        classes_in_value_order[valid] = result.yb
        counts_value_order = np.bincount(result.yb, minlength=len(bins)).tolist()[: len(bins)]
    elif n_unique == 1:
        bins = [float(present[0])]
        classes_in_value_order[valid] = 0
        counts_value_order = [int(valid.sum())]
    else:
        k_used = int(min(max(k, 1), n_unique))
        with warnings.catch_warnings():
            # mapclassify warns when it merges classes with duplicate bounds; we
            # report the classes it actually made, so the warning adds nothing.
            warnings.simplefilter("ignore")
            if scheme == "fisher_jenks" and len(present) > FISHER_JENKS_EXACT_LIMIT:
                result = _sampled_fisher_jenks(present, k_used)
            else:
                result = getattr(_mapclassify(), _MAPCLASSIFY[scheme])(present, k=k_used)
        bins = [float(b) for b in result.bins]
        classes_in_value_order[valid] = result.yb
        counts_value_order = np.bincount(result.yb, minlength=len(bins)).tolist()

    n = len(bins)
    lower = float(np.nanmin(present)) if n else 0.0
    ranges_value_order = []
    for i, upper in enumerate(bins):
        low = lower if i == 0 else bins[i - 1]
        if i == 0 and low >= upper:
            ranges_value_order.append(value_format.format(upper))
        elif i == 0:
            ranges_value_order.append(f"{value_format.format(low)} to {value_format.format(upper)}")
        else:
            ranges_value_order.append(f"above {value_format.format(low)} to {value_format.format(upper)}")

    # Class 0 must be the least deprived: reverse when low values are the deprived ones.
    high_is_deprived = polarity == Polarity.HIGH_IS_WORSE
    order = list(range(n)) if high_is_deprived else list(range(n - 1, -1, -1))
    remap = np.full(n + 1, -1)
    for new, old in enumerate(order):
        remap[old] = new
    classes = np.where(classes_in_value_order >= 0, remap[classes_in_value_order], -1)
    colours_by_class = palette_colours(palette, n) if n else []
    colours = [colours_by_class[c] if c >= 0 else NO_DATA_COLOUR for c in classes]

    labels = [ranges_value_order[i] for i in order]
    if scheme == "national_deciles":
        # Class 0 is the least deprived tenth of England (decile 10), class n-1 decile 1.
        named = []
        for position, text in enumerate(labels):
            decile = n - position
            note = " (most deprived 10%)" if decile == 1 else " (least deprived 10%)" if decile == n else ""
            span = "" if measure_is_decile else f": {text}"
            named.append(f"Decile {decile}{note}{span}")
        labels = named
    hidden = np.zeros(len(values), dtype=bool) if suppressed is None else np.asarray(suppressed, dtype=bool) & ~valid
    classes = np.where(hidden, SUPPRESSED_CLASS, classes)
    colours = [SUPPRESSED_COLOUR if h else c for c, h in zip(colours, hidden, strict=True)]
    return Classification(
        classes=classes,
        colours=colours,
        palette=colours_by_class,
        labels=labels,
        bins=bins,
        counts=[counts_value_order[i] for i in order],
        n_missing=int((~valid).sum() - hidden.sum()),
        scheme=scheme,
        n_suppressed=int(hidden.sum()),
    )
