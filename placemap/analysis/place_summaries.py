"""Summary measures for any place, from its LSOAs, by MHCLG's own method (IoD File 10).

For a place (any grouping of LSOAs: wards, MSOAs, LAs, ICBs, an uploaded or drawn area) and an
index (the IMD or a domain), with each LSOA weighted by its population:

* **average rank**: the population-weighted mean of the LSOAs' ranks, with ranks turned round so
  that the most deprived LSOA in England counts ``N`` and the least 1 (as File 10 publishes it:
  higher = more deprived);
* **average score**: the population-weighted mean of the LSOAs' scores;
* **proportion**: the share of the place's LSOAs (not weighted) in England's most deprived 10%;
* **extent**: the share of the place's population in England's most deprived 30% of LSOAs, with
  the most deprived 10% counting fully and the 11th to 30th percentiles on a sliding weight from
  0.95 down to 0.05 in steps of 0.9/19 (IoD2019 technical report, Appendix N). The percentile is
  ``ceil(100 * rank / N)``, the rule that reproduces the official extent to its 4 decimals;
* **local concentration**: the population-weighted average (turned-round) rank of the place's
  most deprived LSOAs that hold exactly 10% of its population (the last LSOA counts in part).

``rank_places`` ranks places of one type on each measure, 1 = most deprived, ties sharing the
best rank (as File 10 ranks LAs with no LSOA in the most deprived 10%). Pure: no files, no
Streamlit.

Example
-------
>>> lsoas = pd.DataFrame({"place": ["A", "A", "B"], "rank": [1, 60, 90], "score": [40.0, 10.0, 5.0],
...                       "population": [1000.0, 3000.0, 2000.0]})
>>> out = summarise_places(lsoas, "place", n_lsoas=100, indices={"imd": ("rank", "score")})
>>> out.loc[("A", "imd"), ["average_rank", "average_score", "proportion", "extent", "local_concentration"]].tolist()
[55.75, 17.5, 0.5, 0.25, 100.0]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from placemap.data.catalogue import column_prefix, get_domain, seven_domains

MEASURES = ["average_rank", "average_score", "proportion", "extent", "local_concentration"]
MEASURE_LABELS = {
    "average_rank": "Average rank",
    "average_score": "Average score",
    "proportion": "Proportion of LSOAs in the most deprived 10% nationally",
    "extent": "Extent",
    "local_concentration": "Local concentration",
}
LOCAL_SHARE = 0.10


def extent_weight(rank: np.ndarray | pd.Series, n_lsoas: int) -> np.ndarray:
    """The extent weight of LSOAs ranked ``rank`` of ``n_lsoas`` (1 = most deprived).

    >>> extent_weight(np.array([1, 10, 11, 30, 31]), 100).round(4).tolist()
    [1.0, 1.0, 0.95, 0.05, 0.0]
    """
    percentile = np.ceil(100 * np.asarray(rank, dtype=float) / n_lsoas)
    sliding = 0.95 - (percentile - 11) * 0.9 / 19
    return np.where(percentile <= 10, 1.0, np.where(percentile <= 30, sliding, 0.0))


def in_most_deprived_tenth(rank: np.ndarray | pd.Series, n_lsoas: int) -> np.ndarray:
    """Whether each rank is in England's most deprived 10% (decile 1: ``10 * rank <= N``).

    >>> in_most_deprived_tenth(np.array([3284, 3285]), 32844).tolist()
    [True, False]
    """
    return 10 * np.asarray(rank, dtype=float) <= n_lsoas


def summarise_places(
    lsoas: pd.DataFrame,
    place: str,
    n_lsoas: int,
    indices: Mapping[str, tuple[str, str | None]],
    population: str | Mapping[str, str] = "population",
) -> pd.DataFrame:
    """File 10 measures of every place in ``lsoas`` for each index, indexed by (place, index).

    Parameters
    ----------
    lsoas
        One row per LSOA: the place column, rank (and score) columns, population column(s).
    place
        The column naming each LSOA's place (LSOAs with none are left out).
    n_lsoas
        The number of LSOAs in England in the edition (32,844 for 2011 LSOAs, 33,755 for 2021).
    indices
        Index key -> (rank column, score column or ``None`` when scores are not available).
    population
        The weight column for every index, or index key -> weight column (IoD2019 weights the
        employment domain by working-age people); missing keys use ``"population"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``MEASURES`` plus ``n_lsoas`` and ``population``; average score is NaN where the
        index has no score column or an LSOA of the place has no score; LSOAs with no population
        are left out of the weighted measures and counted in ``n_without_population``.
    """
    frames = []
    for key, (rank_col, score_col) in indices.items():
        weight_col = population if isinstance(population, str) else population.get(key, "population")
        columns = [place, rank_col, weight_col] + ([score_col] if score_col else [])
        frame = lsoas[columns].dropna(subset=[place, rank_col])
        frames.append(_summarise_one(frame, place, rank_col, score_col, weight_col, n_lsoas).assign(index=key))
    out = pd.concat(frames).reset_index().set_index(["place", "index"])
    return out[[*MEASURES, "n_lsoas", "population", "n_without_population"]]


def _summarise_one(
    frame: pd.DataFrame, place: str, rank_col: str, score_col: str | None, weight_col: str, n: int
) -> pd.DataFrame:
    rank = frame[rank_col].to_numpy(dtype=float)
    weight = frame[weight_col].to_numpy(dtype=float)
    known = np.isfinite(weight)
    w = np.where(known, weight, 0.0)
    work = pd.DataFrame(
        {
            "place": frame[place].to_numpy(),
            "rank": rank,
            "w": w,
            "wr": w * (n + 1 - rank),
            "we": w * extent_weight(rank, n),
            "top": in_most_deprived_tenth(rank, n).astype(float),
            "unknown": (~known).astype(int),
        }
    )
    if score_col:
        score = frame[score_col].to_numpy(dtype=float)
        work["ws"] = w * score
        work["score_missing"] = (~np.isfinite(score)).astype(int)
    groups = work.groupby("place")
    sums = groups[["w", "wr", "we", "unknown"]].sum()
    total = sums["w"].where(sums["w"] > 0)
    out = pd.DataFrame(index=sums.index)
    out["average_rank"] = sums["wr"] / total
    if score_col:
        scored = groups[["ws", "score_missing"]].sum()
        out["average_score"] = (scored["ws"] / total).where(scored["score_missing"] == 0)
    else:
        out["average_score"] = np.nan
    out["proportion"] = groups["top"].mean()
    out["extent"] = sums["we"] / total
    out["local_concentration"] = _local_concentration(work, n)
    out["n_lsoas"] = groups.size()
    out["population"] = sums["w"]
    out["n_without_population"] = sums["unknown"]
    out.index.name = "place"
    return out


def _local_concentration(work: pd.DataFrame, n: int) -> pd.Series:
    ordered = work.sort_values(["place", "rank"], kind="stable")
    groups = ordered.groupby("place")["w"]
    before = groups.cumsum() - ordered["w"]
    tenth = groups.transform("sum") * LOCAL_SHARE
    taken = np.clip(np.minimum(ordered["w"], tenth - before), 0, None)
    weighted = (taken * (n + 1 - ordered["rank"])).groupby(ordered["place"]).sum()
    return weighted / taken.groupby(ordered["place"]).sum().replace(0, np.nan)


def rank_places(summary: pd.DataFrame) -> pd.DataFrame:
    """Add ``rank_of_<measure>`` columns: each place's rank among the places in ``summary`` for
    the same index, 1 = most deprived (highest value of every measure), ties sharing the best rank.

    >>> s = pd.DataFrame({"average_rank": [5.0, 9.0, 7.0], "average_score": [1.0, 3.0, 2.0],
    ...     "proportion": [0.0, 0.5, 0.0], "extent": [0.0, 0.4, 0.1], "local_concentration": [6.0, 9.0, 8.0]},
    ...     index=pd.MultiIndex.from_product([["A", "B", "C"], ["imd"]], names=["place", "index"]))
    >>> rank_places(s)["rank_of_proportion"].tolist()
    [2, 1, 2]
    """
    out = summary.copy()
    by_index = out.groupby(level="index")
    for measure in MEASURES:
        ranks = by_index[measure].rank(ascending=False, method="min")
        out[f"rank_of_{measure}"] = ranks.astype("Int64")
    return out


# The File 10 key of each index ("living" for the Living Environment domain) -> its catalogue domain.
_INDEX_DOMAINS = {"imd": "imd", **{("living" if d.id == "environment" else d.id): d.id for d in seven_domains()}}
INDEX_OF_DOMAIN = {domain: key for key, domain in _INDEX_DOMAINS.items()}  # catalogue domain -> File 10 key
INDEX_LABELS = {
    key: "Index of Multiple Deprivation" if key == "imd" else get_domain(domain).label
    for key, domain in _INDEX_DOMAINS.items()
}
# The IMD score is the weighted sum of the exponentially transformed domain scores (File 9).
IMD_DOMAIN_WEIGHTS_2019 = {
    "Income": 0.225,
    "Employment": 0.225,
    "Education": 0.135,
    "Health": 0.135,
    "Crime": 0.093,
    "Housing_and_Access": 0.093,
    "Environment": 0.093,
}
IMD_SCORE_2019 = "IMD_score_from_transformed"
SCORES_NOTE = {
    2019: (
        "IoD2019 LSOA domain scores are not bundled, so average scores are given for the IMD only: "
        "each LSOA's IMD score is rebuilt from its exponentially transformed domain scores (File 9) "
        "with the IMD weights, which matches the official LA average scores to their 3 decimals."
    ),
    2015: "IoD2015 domains are not bundled: summaries are for the IMD only.",
    2025: "",
}
WEIGHTS_NOTE = {
    2019: (
        "Weights: IoD2019's mid-2015 populations (File 6); the employment domain is weighted by "
        "working-age people, as File 10 does."
    ),
    2015: "Weights: IoD2019's mid-2015 populations (File 6), the closest bundled figures to IoD2015's.",
    2025: (
        "Weights: IoD2025 publishes no LSOA populations here, so each 2021 LSOA's population is estimated: "
        "its mid-2015 population (shared equally where an LSOA was split) grown by its LA's growth, kept "
        "within what IoD2025's published income numerator and rate allow. The employment domain uses the "
        "same estimate of working-age people. Measures come close to, but are not exactly, the official ones."
    ),
}


def edition_indices(year: int, columns: list[str] | pd.Index) -> dict[str, tuple[str, str | None]]:
    """Index key -> (rank column, score column or None) for an edition, from the columns it has.

    >>> edition_indices(2025, ["IMD_rank", "IMD_score", "Housing_and_Services_rank", "Housing_and_Services_score"])
    {'imd': ('IMD_rank', 'IMD_score'), 'barriers': ('Housing_and_Services_rank', 'Housing_and_Services_score')}
    """
    named_by = 2025 if year >= 2025 else 2019  # IoD2015's few columns are named as IoD2019's
    stems = {key: column_prefix(named_by, domain) for key, domain in _INDEX_DOMAINS.items()}
    present = set(columns)
    out = {}
    for key in INDEX_LABELS:
        rank, score = f"{stems[key]}_rank", f"{stems[key]}_score"
        if key == "imd" and year == 2019:
            score = IMD_SCORE_2019
        if rank in present:
            out[key] = (rank, score if score in present else None)
    return out


def imd_score_2019(table: pd.DataFrame) -> pd.Series:
    """Each LSOA's IoD2019 IMD score rebuilt from its transformed domain scores (File 9).

    >>> row = pd.DataFrame({f"{d}_exp_transformed": [10.0] for d in IMD_DOMAIN_WEIGHTS_2019})
    >>> round(float(imd_score_2019(row).iloc[0]), 6)  # the published weights sum to 0.999
    9.99
    """
    return sum(table[f"{d}_exp_transformed"] * w for d, w in IMD_DOMAIN_WEIGHTS_2019.items())


def summarise_edition(inputs: pd.DataFrame, year: int, place_type: str) -> pd.DataFrame:
    """File 10 measures and ranks of every place of one type, for the IMD and each domain.

    ``inputs`` holds every LSOA of the edition in England (``read_summary_inputs``), so that
    ``N`` is the national count; the place column is ``<place_type>_code``.
    """
    frame = inputs
    if year == 2019:
        frame = inputs.assign(**{IMD_SCORE_2019: imd_score_2019(inputs)})
    indices = edition_indices(year, frame.columns)
    weights = {"employment": "working_age_population"}
    summary = summarise_places(frame, f"{place_type}_code", len(frame), indices, population=weights)
    return rank_places(summary)


def summarise_lsoas(inputs: pd.DataFrame, codes: list[str] | set[str], year: int, name: str = "area") -> pd.DataFrame:
    """File 10 measures of one area made of the given LSOAs (an uploaded or drawn area), per index.

    ``inputs`` holds every LSOA of the edition (so that ``N`` is England's count); codes not in
    it are ignored. Indexed by index key; no ranks (an area has no peers of its type).
    """
    frame = inputs.assign(_area=inputs.index.isin(list(codes)))
    frame["_area"] = frame["_area"].map({True: name, False: None})
    if year == 2019:
        frame[IMD_SCORE_2019] = imd_score_2019(frame)
    indices = edition_indices(year, frame.columns)
    summary = summarise_places(frame, "_area", len(frame), indices, population={"employment": "working_age_population"})
    return summary.xs(name, level="place") if len(summary) else summary
