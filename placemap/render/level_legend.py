"""What goes beside a map of places coloured by a File 10 summary measure: the values in map order,
the legend (which way is more deprived, and what was estimated) and the table alternative.

Pure: no Streamlit, no files. Every string that reaches HTML is escaped here or by ``maps.legend_html``.

Example
-------
>>> summary = pd.DataFrame({"average_rank": [900.0, 100.0], "rank_of_average_rank": [1, 2]},
...     index=pd.Index(["W1", "W2"], name="place"))
>>> level_values(summary, ["W2", "W3", "W1"], "average_rank").tolist()
[100.0, nan, 900.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from placemap.analysis.classify import Classification
from placemap.analysis.place_summaries import MEASURE_LABELS, SCORES_NOTE, WEIGHTS_NOTE
from placemap.data.prepare import escape_text
from placemap.render import maps
from placemap.render.place_maps import LEVEL_FORMATS

# Which way each measure runs (every File 10 measure: higher = more deprived), in plain words.
DIRECTION = {
    "average_rank": (
        "Higher = more deprived: File 10 counts each LSOA's rank the other way round (England's most "
        "deprived LSOA counts highest), then averages over people."
    ),
    "average_score": "Higher = more deprived: the population-weighted average of the LSOAs' scores.",
    "proportion": "Higher = more deprived: the share of the place's LSOAs in England's most deprived 10%.",
    "extent": (
        "Higher = more deprived: the share of the place's people in England's most deprived 30% of LSOAs "
        "(the most deprived 10% counting fully, then sliding)."
    ),
    "local_concentration": (
        "Higher = more deprived: the average (turned-round) rank of the place's most deprived LSOAs "
        "holding 10% of its people."
    ),
}


def level_values(summary: pd.DataFrame, codes: Sequence[str], measure: str) -> pd.Series:
    """One index's ``measure`` for each place in ``codes`` (the map's feature order); NaN where unknown.

    ``summary`` is indexed by place code (one index of ``summarise_edition`` taken with ``.xs``).
    """
    return summary[measure].reindex(list(codes)).astype(float)


def method_note(year: int) -> str:
    """What was done to weight LSOAs in an edition (IoD2025's populations are estimates) and about scores."""
    return " ".join(n for n in (WEIGHTS_NOTE.get(year, ""), SCORES_NOTE.get(year, "")) if n)


def level_legend_html(title: str, subtitle: str, classification: Classification, measure: str, year: int) -> str:
    """The legend of a map of places: the classes (most deprived first), which way is more deprived and
    how the LSOAs were weighted (``maps.legend_html`` plus two escaped notes).

    >>> from placemap.analysis.classify import classify_values
    >>> c = classify_values(np.array([1.0, 2.0, np.nan]), "quantiles", 2, polarity="high_is_deprived")
    >>> html = level_legend_html("IMD <b>", "Wards", c, "average_rank", 2025)
    >>> "IMD &lt;b&gt;" in html, "Higher = more deprived" in html, "estimated" in html
    (True, True, True)
    """
    notes = (
        f'<div class="pm-legend-sub">Darker = more deprived. {escape_text(DIRECTION[measure])}</div>'
        f'<div class="pm-legend-sub">{escape_text(method_note(year))}</div>'
    )
    return maps.legend_html(title, subtitle, classification) + notes


def level_table(
    summary: pd.DataFrame,
    codes: Sequence[str],
    names: pd.Series,
    parents: pd.Series | None,
    measure: str,
    plural: str,
) -> pd.DataFrame:
    """The table beside the map: each place, its measure and its rank among England's places of the type.

    Sorted from the most deprived (rank 1); places with no value last. Columns: ``Place``, ``Code``,
    ``In`` (its parent, when given), the measure's label, ``Rank among <plural>``.

    >>> summary = pd.DataFrame({"proportion": [0.5, 0.0, 0.25], "rank_of_proportion": [1, 3, 2]},
    ...     index=pd.Index(["W1", "W2", "W3"], name="place"))
    >>> names = pd.Series({"W1": "One", "W2": "Two", "W3": "Three"})
    >>> level_table(summary, ["W2", "W3"], names, None, "proportion", "wards").to_dict("list")
    {'Place': ['Three', 'Two'], 'Code': ['W3', 'W2'], 'Proportion of LSOAs in the most deprived 10% nationally': [0.25, 0.0], 'Rank among wards': [2, 3]}
    """
    codes = list(codes)
    table = pd.DataFrame({"Place": names.reindex(codes).fillna("").to_numpy(), "Code": codes})
    if parents is not None:
        table["In"] = parents.reindex(codes).fillna("").to_numpy()
    table[MEASURE_LABELS[measure]] = summary[measure].reindex(codes).to_numpy(dtype=float)
    ranks = summary[f"rank_of_{measure}"].reindex(codes)
    table[f"Rank among {plural}"] = pd.array(ranks.to_numpy(), dtype="Int64")
    return table.sort_values([f"Rank among {plural}", "Code"], na_position="last", kind="stable").reset_index(drop=True)


def tooltip_names(names: pd.Series, parents: pd.Series | None) -> pd.Series:
    """Each place's name for its tooltip, with its parent ("Bloomfield, Blackpool"); escaped later.

    >>> tooltip_names(pd.Series({"W1": "Bloomfield"}), pd.Series({"W1": "Blackpool"})).tolist()
    ['Bloomfield, Blackpool']
    """
    if parents is None:
        return names.fillna("")
    parent = parents.reindex(names.index).fillna("")
    return names.fillna("").where(parent == "", names.fillna("") + ", " + parent)


def rank_strings(summary: pd.DataFrame, codes: Sequence[str], measure: str) -> list[str]:
    """Each place's rank on ``measure`` as tooltip text ("" where unknown), in ``codes`` order.

    >>> s = pd.DataFrame({"rank_of_extent": pd.array([3, None], dtype="Int64")}, index=["a", "b"])
    >>> rank_strings(s, ["b", "a"], "extent")
    ['', '3']
    """
    ranks = summary[f"rank_of_{measure}"].reindex(list(codes))
    return ["" if pd.isna(r) else f"{int(r):,}" for r in ranks]


def formatted(values: pd.Series, measure: str) -> list[str]:
    """Values as the legend and tooltip show them ("" for no data).

    >>> formatted(pd.Series([0.25, np.nan]), "proportion")
    ['25%', '']
    """
    fmt = LEVEL_FORMATS[measure]
    return ["" if np.isnan(v) else fmt.format(v) for v in values.to_numpy(dtype=float)]


def coloured_outlines(features: dict, colours: Sequence[str]) -> dict:
    """Outline features (``place_maps.lsoa_outlines``) with each one's fill colour as property ``f``.

    >>> coloured_outlines({"type": "FeatureCollection", "features": [{"properties": {"n": "A"}}]}, ["#440154"])
    {'type': 'FeatureCollection', 'features': [{'properties': {'n': 'A', 'f': '#440154'}}]}
    """
    out = [
        {**feature, "properties": {**feature["properties"], "f": colour}}
        for feature, colour in zip(features["features"], colours, strict=True)
    ]
    return {**features, "features": out}
