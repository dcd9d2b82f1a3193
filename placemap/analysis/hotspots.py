"""Hot spots: Local Moran's I (LISA) clusters and Getis-Ord Gi* with esda and libpysal.

The statistics are esda's own (``esda.Moran_Local``, ``esda.G_Local(star=True)``,
``esda.fdr``) on libpysal queen-contiguity weights; this module only prepares their
input and turns their output into map classes.

* **Variable.** Each LSOA's national rank on the chosen domain (or any other catalogue
  indicator, its values ranked among England's LSOAs with a value), turned into a need
  percentile, ``100 (N + 1 - rank) / N`` (100 = most deprived in England). Ranks are
  never negative (Gi* needs that) and keep a few extreme scores from dominating.
* **Neighbours.** Queen contiguity (a shared edge or corner) among the LSOAs of the
  chosen local authorities, so an LSOA on the edge of the place has fewer neighbours.
* **Islands.** An LSOA with no neighbour in the place (e.g. the Isles of Scilly next
  to Cornwall) cannot be tested: it is left out of the statistics, the others are
  computed without it (removing it changes no one else's neighbours), and the map shows
  it as "Not tested". With fewer than ``MIN_AREAS`` connected LSOAs nothing is computed.
* **Inference.** Conditional permutation with a fixed seed (``SEED``); an LSOA is
  significant when its pseudo p-value is at most the chosen level, or at most the
  Benjamini-Hochberg cut-off from ``esda.fdr`` when the FDR option is on.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np

if TYPE_CHECKING:
    from libpysal.weights import W

# esda and libpysal are imported inside the functions that use them: importing them
# takes about 2.5 s (scikit-learn, scipy.spatial), and every page imports this module's
# constants through ``state`` and ``cache``; only the hot-spot page needs the statistics.

SEED = 20251030
PERMUTATIONS = 999
PERMUTATION_CHOICES = (99, 499, 999)
ALPHAS = (0.1, 0.05, 0.01, 0.001)
MIN_AREAS = 5
METHODS = {
    "lisa": "Local Moran's I (LISA) clusters",
    "gi": "Getis-Ord Gi* hot and cold spots",
}

# Class ids of each method's map, in legend order; -1 is "Not tested" (islands).
LISA_CLASSES: tuple[tuple[str, str], ...] = (
    ("High-high: deprived, with deprived neighbours (hot spot)", "#D55E00"),
    ("Low-low: less deprived, with less deprived neighbours (cold spot)", "#0072B2"),
    ("High-low: deprived, among less deprived neighbours", "#E69F00"),
    ("Low-high: less deprived, among deprived neighbours", "#56B4E9"),
    ("Not significant", "#e3e3e3"),
)
GI_CLASSES: tuple[tuple[str, str], ...] = (
    ("Hot spot: a cluster of high need", "#D55E00"),
    ("Cold spot: a cluster of low need", "#0072B2"),
    ("Not significant", "#e3e3e3"),
)
NOT_TESTED_LABEL = "Not tested: no neighbour in the place (island)"
# esda's quadrant codes (PySAL scheme): 1 HH, 2 LH, 3 LL, 4 HL -> our class ids.
_QUADRANT_TO_CLASS = {1: 0, 3: 1, 4: 2, 2: 3}


def need_percentile(ranks: np.ndarray, n: int) -> np.ndarray:
    """National ranks (1 = most deprived of ``n``) as a need percentile (100 = most deprived).

    Example
    -------
    >>> need_percentile(np.array([1, 50, 100]), 100).tolist()
    [100.0, 51.0, 1.0]
    """
    return 100.0 * (n + 1 - np.asarray(ranks, dtype=float)) / n


def need_percentile_among(values: np.ndarray, polarity: str) -> np.ndarray:
    """Values of any indicator as a need percentile among the areas with a value (100 = most deprived).

    They are ranked by ``rank_among`` (1 = worst by ``polarity``, ties share the lowest rank), then
    put on ``need_percentile``'s scale (a published national rank keeps its place): ranks keep a few extreme
    values from dominating and are never negative, which Getis-Ord Gi* needs. NaN stays NaN.

    Example
    -------
    >>> need_percentile_among(np.array([10.0, np.nan, 30.0, 20.0]), "high_is_deprived").round(1).tolist()
    [33.3, nan, 100.0, 66.7]
    """
    import pandas as pd

    from placemap.data.indicators import rank_among

    ranks = rank_among(pd.Series(values, dtype=float), polarity).to_numpy(dtype=float)
    return need_percentile(ranks, max(int((~np.isnan(ranks)).sum()), 1))


def queen_weights(geometry: gpd.GeoSeries) -> tuple[W, np.ndarray]:
    """Queen-contiguity weights of ``geometry`` (binary) and the positions of its islands."""
    from libpysal.weights import Queen

    frame = gpd.GeoDataFrame(geometry=gpd.GeoSeries(geometry.values, crs=geometry.crs))
    with warnings.catch_warnings():
        # libpysal warns about islands and disconnected components; we handle both.
        warnings.simplefilter("ignore")
        w = Queen.from_dataframe(frame, use_index=False)
    return w, np.array(sorted(w.islands), dtype=int)


@dataclass(frozen=True)
class LocalStatistics:
    """esda's local statistics for the tested LSOAs, aligned to the input order.

    ``tested`` marks LSOAs with neighbours (the others are islands or have no data);
    ``statistic`` is I_i (LISA) or the standardised Gi* z-score; ``quadrant`` is esda's
    ``q`` for LISA (1 HH, 2 LH, 3 LL, 4 HL) and the sign of z for Gi*; ``p_sim`` the
    pseudo p-value. Untested entries are NaN / 0.
    """

    method: str
    tested: np.ndarray
    statistic: np.ndarray
    quadrant: np.ndarray
    p_sim: np.ndarray
    permutations: int
    seed: int
    n_islands: int
    global_i: float | None = None
    global_p: float | None = None


def _esda():
    """esda, with its numba-compiled code kept on disk between processes.

    esda's permutation inference is compiled by numba on first use (about 16 s of one core on a
    2-core machine, in every new server process), and esda does not ask numba to keep the
    machine code. Turning on numba's own on-disk cache for esda's and libpysal's compiled
    functions (``Dispatcher.enable_caching``, what ``@njit(cache=True)`` does) lets a later
    process load it instead: the first LISA of a later process takes about 5 s instead of 16 s
    (``compute_chunk``, which takes a function as an argument, is still compiled per process).
    Where numba finds no writable cache folder it refuses, and the code is compiled per process
    as before.
    """
    import esda

    if not _CACHING:
        import sys

        from numba.core.registry import CPUDispatcher

        for name, module in list(sys.modules.items()):
            if module is None or name.split(".")[0] not in ("esda", "libpysal"):
                continue
            for value in list(vars(module).values()):
                if isinstance(value, CPUDispatcher):
                    try:
                        value.enable_caching()
                    except RuntimeError:  # no writable cache folder: compiled in this process only
                        pass
        _CACHING.append(True)
    return esda


_CACHING: list[bool] = []


def local_statistics(
    values: np.ndarray,
    geometry: gpd.GeoSeries,
    method: str = "lisa",
    *,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> LocalStatistics:
    """Run esda's LISA or Gi* on ``values`` over queen neighbours of ``geometry``.

    Parameters
    ----------
    values : one value per area (higher = more deprived); NaN areas are not tested
    geometry : the areas' polygons, same order
    method : ``"lisa"`` (``esda.Moran_Local``) or ``"gi"`` (``esda.G_Local``, ``star=True``)
    permutations, seed : conditional permutation settings passed to esda

    Raises
    ------
    ValueError
        For an unknown method, mismatched lengths, or fewer than ``MIN_AREAS`` areas with
        neighbours and data.
    """
    esda = _esda()

    if method not in METHODS:
        raise ValueError(f"Unknown hot-spot method {method!r}")
    values = np.asarray(values, dtype=float)
    if len(values) != len(geometry):
        raise ValueError("Values and geometry must have the same length.")
    has_data = ~np.isnan(values)
    w, islands = queen_weights(geometry)
    keep = has_data.copy()
    keep[islands] = False
    # Dropping islands (or areas without data) can strand others: repeat until stable.
    while True:
        positions = np.flatnonzero(keep)
        if len(positions) < MIN_AREAS:
            raise ValueError(
                f"Hot spots need at least {MIN_AREAS} LSOAs that touch another LSOA of the place; "
                f"this place has {len(positions)}. Add a neighbouring local authority."
            )
        if len(positions) == len(values):
            break  # nothing dropped: the weights of the whole place stand
        w, sub_islands = queen_weights(geometry.iloc[positions])
        if len(sub_islands) == 0:
            break
        keep[positions[sub_islands]] = False
    y = values[positions]
    n = len(values)
    statistic = np.full(n, np.nan)
    quadrant = np.zeros(n, dtype=int)
    p_sim = np.full(n, np.nan)
    global_i = global_p = None
    with warnings.catch_warnings():
        # esda explains that Gi* takes the row's largest weight as the self-weight;
        # that is the textbook Gi* (each LSOA counts as its own neighbour).
        warnings.simplefilter("ignore")
        if method == "lisa":
            result = esda.Moran_Local(y, w, transformation="r", permutations=permutations, seed=seed, n_jobs=1)
            statistic[positions] = result.Is
            quadrant[positions] = result.q
            p_sim[positions] = result.p_sim
            global_i, global_p = _global_moran(y, w, permutations, seed)
        else:
            result = esda.G_Local(y, w, transform="R", permutations=permutations, star=True, seed=seed, n_jobs=1)
            statistic[positions] = result.Zs
            quadrant[positions] = np.where(result.Zs > 0, 1, -1)
            p_sim[positions] = result.p_sim
    return LocalStatistics(
        method=method,
        tested=keep,
        statistic=statistic,
        quadrant=quadrant,
        p_sim=p_sim,
        permutations=permutations,
        seed=seed,
        n_islands=int((has_data & ~keep).sum()),
        global_i=global_i,
        global_p=global_p,
    )


def _global_moran(y: np.ndarray, w: W, permutations: int, seed: int) -> tuple[float, float]:
    # esda.Moran permutes with NumPy's global generator: seed it for a repeatable
    # p-value and give the caller's generator state back afterwards.
    esda = _esda()

    saved = np.random.get_state()
    try:
        np.random.seed(seed)
        overall = esda.Moran(y, w, transformation="r", permutations=permutations)
    finally:
        np.random.set_state(saved)
    return float(overall.I), float(overall.p_sim)


def significance_cutoff(stats: LocalStatistics, alpha: float, use_fdr: bool) -> float:
    """The p-value at or below which an LSOA is significant: ``alpha``, or esda's FDR cut-off."""
    if not 0 < alpha < 1:
        raise ValueError(f"The significance level must be between 0 and 1, not {alpha}.")
    if not use_fdr:
        return float(alpha)
    import esda

    return float(esda.fdr(stats.p_sim[stats.tested], alpha))


def hotspot_classes(stats: LocalStatistics, alpha: float, use_fdr: bool = False) -> np.ndarray:
    """Class id of every LSOA (see ``LISA_CLASSES``/``GI_CLASSES``); -1 for untested LSOAs."""
    cutoff = significance_cutoff(stats, alpha, use_fdr)
    significant = stats.tested & (np.nan_to_num(stats.p_sim, nan=1.0) <= cutoff + 1e-12)
    if stats.method == "lisa":
        not_significant = len(LISA_CLASSES) - 1
        classes = np.full(len(stats.tested), not_significant)
        for q, cls in _QUADRANT_TO_CLASS.items():
            classes[significant & (stats.quadrant == q)] = cls
    else:
        not_significant = len(GI_CLASSES) - 1
        classes = np.full(len(stats.tested), not_significant)
        classes[significant & (stats.quadrant > 0)] = 0
        classes[significant & (stats.quadrant < 0)] = 1
    classes[~stats.tested] = -1
    return classes


def class_table(method: str) -> tuple[tuple[str, str], ...]:
    """(label, colour) of each class of a method, in class-id order."""
    return LISA_CLASSES if method == "lisa" else GI_CLASSES


NO_VALUE_LABEL = "Not tested: no value in the data"
BROADCAST_NOTE = (
    "is a ward or local-authority value repeated on its LSOAs, so neighbouring LSOAs of one ward (or LA) share "
    "a value: clusters of it are partly built in, and are clusters of wards or LAs. Read the map as a rough picture."
)


def indicator_for(choice: str, catalogue):
    """The indicator a hot-spot choice analyses: a domain id stands for its national rank, any other is an id.

    Example
    -------
    >>> from placemap.data.catalogue import CATALOGUE
    >>> indicator_for("income", CATALOGUE).id, indicator_for("health_rank", CATALOGUE).id
    ('income_rank', 'health_rank')
    """
    return catalogue.get(choice if choice in catalogue else f"{choice}_rank")


def hotspot_map(
    stats: LocalStatistics,
    alpha: float,
    use_fdr: bool,
    *,
    label: str,
    total: int,
    version: str,
    values: Sequence[float] | None = None,
    indicator=None,
    ranks: list[str] | None = None,
    deciles: list[str] | None = None,
):
    """Classes, style payload and p-value cut-off of a hot-spot map, for any indicator.

    Parameters
    ----------
    stats, alpha, use_fdr : the local statistics and the significance rule (``hotspot_classes``)
    label, total, version : the map legend's title, England's LSOA count, the map's version key
    values, indicator : the indicator's values per LSOA, quoted in each tooltip; LSOAs
        without a value are told apart from islands
    ranks, deciles : national ranks and deciles per LSOA

    Returns
    -------
    ``(Classification, payload, cutoff)``; tooltip strings are escaped by ``maps.style_payload``.
    """
    from placemap.analysis.classify import Classification
    from placemap.render.maps import style_payload

    classes = hotspot_classes(stats, alpha, use_fdr)
    table = class_table(stats.method)
    classification = Classification(
        classes=classes,
        colours=[table[c][1] if c >= 0 else "#ffffff" for c in classes],
        palette=[colour for _, colour in table],
        labels=[name for name, _ in table],
        bins=[],
        counts=[int((classes == i).sum()) for i in range(len(table))],
        n_missing=int((classes < 0).sum()),
        scheme=stats.method,
    )
    texts = []
    for i, (c, p) in enumerate(zip(classes, stats.p_sim, strict=True)):
        value = values[i] if values is not None else None
        quoted = f"; {indicator.label}: {indicator.format(value)}" if indicator is not None else ""
        if c >= 0:
            texts.append(f"{table[c][0].split(':')[0]} (pseudo p = {p:.3f}){quoted}")
        elif value is not None and value != value:
            texts.append(NO_VALUE_LABEL)
        else:
            texts.append(f"{NOT_TESTED_LABEL}{quoted}")
    n = len(texts)
    payload = style_payload(classification, texts, ranks or [""] * n, deciles or [""] * n, label, total, version)
    return classification, payload, significance_cutoff(stats, alpha, use_fdr)


def hotspot_table(areas, classes: np.ndarray, stats: LocalStatistics, values: np.ndarray, value_label: str):
    """The data beneath the map: each LSOA's names, value, class, local statistic and pseudo p-value.

    An LSOA with no value reads ``NO_VALUE_LABEL``, an untested one with a value ``NOT_TESTED_LABEL``.
    """
    import pandas as pd

    table = class_table(stats.method)
    labels = [
        NO_VALUE_LABEL if v != v else NOT_TESTED_LABEL if c < 0 else table[c][0]
        for c, v in zip(classes, values, strict=True)
    ]
    return pd.DataFrame(
        {
            "LSOA code": areas["area_code"].to_numpy(),
            "LSOA name": areas["area_name"].to_numpy(),
            "Ward": areas["ward_name"].to_numpy(),
            "Local authority": areas["la_name"].to_numpy(),
            value_label: values,
            "Class": labels,
            "Local I" if stats.method == "lisa" else "Gi* z-score": stats.statistic,
            "Pseudo p-value": stats.p_sim,
        }
    )
