"""A profile of any place (ward, MSOA, LA, county, combined authority, ICB, sub-ICB, region, drawn
area): its File 10 summary measures and ranks among places of its type, its neighbours, its member
LAs, and the words that read them. Pure: no files, no Streamlit.

The measures come from ``place_summaries`` (MHCLG's File 10 method); a summary of every place of a
type is ``place_summaries.summarise_edition``'s frame, indexed by (place code, index key), with
``rank_of_<measure>`` columns.

Example
-------
>>> lookup = pd.DataFrame({"ward_code": ["W1", "W1", "W2"]}, index=["a", "b", "c"])
>>> to = pd.DataFrame({"ward_code": ["V1", "V2", "V2"]}, index=["a", "b", "c"])
>>> carry_place(Place("ward", "W1"), lookup, to, None, "ward")
Place(type='ward', code='V1')
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from placemap.analysis import place_summaries as ps
from placemap.data.place_types import PLACE_TYPES, Place

# Which index a type of place's profile leads with (an ICB's is the NHS's: health).
LEAD_INDEX = {"icb": "health", "sicb": "health"}
INDEX = "Index"
SHOWN_MEASURES = {
    "average_rank": "Average rank",
    "average_score": "Average score",
    "proportion": "Proportion of LSOAs in most deprived 10%",
    "extent": "Extent",
    "local_concentration": "Local concentration",
}
MAX_NEIGHBOURS = 12


def carry_place(
    place: Place,
    from_lookup: pd.DataFrame,
    to_lookup: pd.DataFrame,
    lsoa_pairs: pd.DataFrame | None,
    kind: str,
) -> Place | None:
    """The place of type ``kind`` in ``to_lookup``'s geography that holds most of ``place``'s LSOAs.

    ``lsoa_pairs`` carries LSOA codes between the geographies (``lsoa11_code``, ``lsoa21_code``;
    ``None`` when both lookups are on the same LSOAs); the direction is taken from the lookups.
    ``None`` when none of its LSOAs lands in a place of that type.
    """
    column = f"{place.type}_code"
    if column not in from_lookup or f"{kind}_code" not in to_lookup:
        return None
    codes = pd.Index(from_lookup.index[from_lookup[column] == place.code])
    if lsoa_pairs is not None and len(codes):
        forward = codes.isin(lsoa_pairs["lsoa11_code"]).mean() >= codes.isin(lsoa_pairs["lsoa21_code"]).mean()
        source, target = ("lsoa11_code", "lsoa21_code") if forward else ("lsoa21_code", "lsoa11_code")
        codes = pd.Index(lsoa_pairs.loc[lsoa_pairs[source].isin(codes), target].unique())
    held = to_lookup[f"{kind}_code"].reindex(codes).dropna()
    if held.empty:
        return None
    counts = held.value_counts()
    best = sorted(counts.index[counts == counts.max()])[0]
    return Place(kind, str(best))


def summarise_weighted(inputs: pd.DataFrame, weights: pd.Series, year: int) -> pd.DataFrame:
    """File 10 measures of one drawn or uploaded area, per index: each LSOA's people counted by its weight.

    ``weights`` maps LSOA code -> share of its people inside the area (0..1); ``inputs`` holds every
    LSOA of the edition (``read_summary_inputs``) so that ``N`` is England's count.
    """
    weights = weights[weights.index.isin(inputs.index) & (weights > 0)]
    frame = inputs.loc[weights.index].copy()
    for column in ("population", "working_age_population"):
        frame[column] = frame[column] * weights
    frame["_area"] = "area"
    if year == 2019:
        frame[ps.IMD_SCORE_2019] = ps.imd_score_2019(frame)
    indices = ps.edition_indices(year, frame.columns)
    summary = ps.summarise_places(
        frame, "_area", len(inputs), indices, population={"employment": "working_age_population"}
    )
    return summary.xs("area", level="place") if len(summary) else summary


def index_order(summary_indices, kind: str) -> list[str]:
    """The indices of a profile in reading order: the type's lead index first, then the IMD and the domains.

    >>> index_order(["imd", "income", "health"], "icb")
    ['health', 'imd', 'income']
    """
    keys = [k for k in ps.INDEX_LABELS if k in set(summary_indices)]
    lead = LEAD_INDEX.get(kind)
    return ([lead] if lead in keys else []) + [k for k in keys if k != lead]


def measures_table(summary: pd.DataFrame, kind: str, n_places: int | None = None) -> pd.DataFrame:
    """One place's summary measures, one row per index, with its rank among ``n_places`` of its type.

    ``summary`` is the place's rows (indexed by index key), from a ranked summary of its type
    (``rank_of_<measure>`` columns present) or of one area alone (no ranks).

    >>> s = pd.DataFrame({"average_rank": [20000.0], "average_score": [30.5], "proportion": [0.4],
    ...     "extent": [0.5], "local_concentration": [30000.0], "rank_of_average_rank": [3]}, index=["imd"])
    >>> measures_table(s, "ward", 6784).iloc[0].to_dict()["Rank of average rank"]
    '3 of 6,784'
    """
    rows = []
    for key in index_order(summary.index, kind):
        row = summary.loc[key]
        out = {INDEX: ps.INDEX_LABELS[key]}
        for measure, label in SHOWN_MEASURES.items():
            out[label] = float(row[measure]) if pd.notna(row[measure]) else np.nan
            rank_col = f"rank_of_{measure}"
            if n_places and rank_col in row.index and measure in ("average_rank", "extent"):
                out[f"Rank of {label.lower()}"] = (
                    f"{int(row[rank_col]):,} of {n_places:,}" if pd.notna(row[rank_col]) else ""
                )
        rows.append(out)
    return pd.DataFrame(rows)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def place_sentences(
    label: str, kind: str, summary: pd.DataFrame, n_lsoas: int, n_places: int | None, estimated: bool
) -> list[str]:
    """Key points of a place's profile in plain words: its size, its most deprived share, its rank.

    >>> s = pd.DataFrame({"average_rank": [30000.0], "average_score": [50.0], "proportion": [0.5],
    ...     "extent": [0.75], "local_concentration": [33000.0], "n_lsoas": [8], "population": [12000.0],
    ...     "rank_of_average_rank": [2], "rank_of_extent": [5]}, index=["imd"])
    >>> place_sentences("Bloomfield, a ward in Blackpool", "ward", s, 8, 6784, False)[1]
    "4 of its 8 LSOAs (50%) are among England's most deprived 10% on the Index of Multiple Deprivation (England: 10%)."
    """
    plural = PLACE_TYPES[kind].plural
    people = summary["population"].iloc[0] if "population" in summary and len(summary) else np.nan
    about = f", about {people:,.0f} people" + (" (estimated)" if estimated else "") if people == people else ""
    sentences = [f"{label}: {n_lsoas:,} LSOAs{about}."]
    for key in index_order(summary.index, kind)[:2] if kind in LEAD_INDEX else ["imd"]:
        if key not in summary.index:
            continue
        row, name = summary.loc[key], ps.INDEX_LABELS[key]
        share = float(row["proportion"])
        in_top = round(share * int(row["n_lsoas"]))
        sentences.append(
            f"{in_top:,} of its {int(row['n_lsoas']):,} LSOAs ({share:.0%}) are among England's most deprived 10% on "
            f"the {name} (England: 10%)."
        )
        if n_places and pd.notna(row.get("rank_of_average_rank", np.nan)):
            sentences.append(
                f"On the {name}'s average rank it is the {_ordinal(int(row['rank_of_average_rank']))} most deprived "
                f"of England's {n_places:,} {plural}; on extent, the {_ordinal(int(row['rank_of_extent']))}."
            )
        sentences.append(
            f"Extent: {float(row['extent']):.0%} of its people live in England's most deprived 30% of LSOAs (the most "
            "deprived 10% counting fully, then on a sliding weight)."
        )
    return sentences


def neighbours(shapes: gpd.GeoDataFrame, code: str, limit: int = MAX_NEIGHBOURS) -> list[str]:
    """Codes of the places of ``shapes`` (indexed by code) that share a border with place ``code``.

    Longest shared border first (the closest neighbours), at most ``limit``.

    >>> from shapely.geometry import box
    >>> shapes = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)], index=["A", "B", "C"])
    >>> neighbours(shapes, "A")
    ['B']
    """
    if code not in shapes.index:
        return []
    geometry = shapes.geometry
    one = geometry.loc[code]
    hits = geometry.index[geometry.sindex.query(one, predicate="intersects")]
    others = [c for c in hits if c != code]
    if not others:
        return []
    # Degrees are fine here: only the order of the shared lengths matters.
    lengths = shapely.length(shapely.intersection(geometry.loc[others].values, one.boundary))
    shared = pd.Series(lengths, index=others)
    return list(shared.sort_values(ascending=False, kind="stable").index[:limit])


def peers_table(summary: pd.DataFrame, codes: list[str], names: pd.Series, index: str = "imd") -> pd.DataFrame:
    """Places of one type side by side on an index: name, code, LSOAs and the measures with their ranks.

    >>> idx = pd.MultiIndex.from_product([["A", "B"], ["imd"]], names=["place", "index"])
    >>> s = pd.DataFrame({"average_rank": [5.0, 9.0], "average_score": [1.0, 2.0], "proportion": [0.0, 0.5],
    ...     "extent": [0.1, 0.4], "local_concentration": [6.0, 9.0], "n_lsoas": [4, 5],
    ...     "rank_of_average_rank": [2, 1], "rank_of_extent": [2, 1]}, index=idx)
    >>> peers_table(s, ["B", "A"], pd.Series({"A": "Ay", "B": "Bee"}))["Name"].tolist()
    ['Bee', 'Ay']
    >>> "Rank of extent" in peers_table(s.drop(columns=["rank_of_average_rank", "rank_of_extent"]), ["A"], pd.Series())
    False
    """
    part = summary.xs(index, level="index").reindex(codes)
    table = pd.DataFrame(
        {
            "Name": names.reindex(codes).to_numpy(),
            "Code": codes,
            "LSOAs": part["n_lsoas"].astype("Int64").to_numpy(),
            "Average rank": part["average_rank"].round(1).to_numpy(),
            "Rank of average rank": part["rank_of_average_rank"].astype("Int64").to_numpy()
            if "rank_of_average_rank" in part
            else None,
            "Proportion in most deprived 10%": part["proportion"].to_numpy(),
            "Extent": part["extent"].to_numpy(),
            "Rank of extent": part["rank_of_extent"].astype("Int64").to_numpy() if "rank_of_extent" in part else None,
            "Local concentration": part["local_concentration"].round(1).to_numpy(),
        }
    )
    # Places summarised on their own (uploaded areas side by side) have no ranks among a type.
    return table.drop(columns=[c for c in ("Rank of average rank", "Rank of extent") if table[c].isna().all()])


def stacked(summaries: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Places summarised one by one (``summarise_weighted``), as one frame by (place, index) for ``peers_table``.

    >>> one = pd.DataFrame({"extent": [0.1]}, index=pd.Index(["imd"], name="index"))
    >>> stacked({"A": one, "B": one}).index.tolist()
    [('A', 'imd'), ('B', 'imd')]
    """
    return pd.concat(summaries, names=["place", "index"])


def member_las(lookup: pd.DataFrame, place: Place) -> list[str]:
    """The LA codes whose LSOAs lie in a place (a combined authority's member LAs), by code.

    >>> lookup = pd.DataFrame({"cauth_code": ["C1", "C1", None], "la_code": ["L2", "L1", "L3"]})
    >>> member_las(lookup, Place("cauth", "C1"))
    ['L1', 'L2']
    """
    column = f"{place.type}_code"
    return sorted(lookup.loc[lookup[column] == place.code, "la_code"].dropna().unique())


def comparison_table(columns: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Places of different types side by side: one row per index and measure, one column per place.

    ``columns`` maps each place's label to its measures per index (indexed by index key).

    >>> one = pd.DataFrame({m: [1.0] for m in ps.MEASURES}, index=["imd"])
    >>> comparison_table({"A": one, "B": one * 2}).iloc[0, 2:].astype(float).tolist()
    [1.0, 2.0]
    """
    keys = [k for k in ps.INDEX_LABELS if any(k in frame.index for frame in columns.values())]
    rows = []
    for key in keys:
        for measure, label in SHOWN_MEASURES.items():
            row = {INDEX: ps.INDEX_LABELS[key], "Measure": label}
            for name, frame in columns.items():
                row[name] = float(frame.at[key, measure]) if key in frame.index else np.nan
            rows.append(row)
    return pd.DataFrame(rows)
