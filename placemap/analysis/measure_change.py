"""Census household deprivation, 2011 to 2021, compared on areas that cover the same ground. Pure.

Census 2011 counts households in 2011 LSOAs, Census 2021 in 2021 LSOAs. The ONS LSOA
(2011) -> LSOA (2021) lookup (``change_code``) says how each area changed; counts are
compared on **comparison areas** made of whole LSOAs of both censuses (``CHANGE_RULE``):

* **U** unchanged: the LSOA itself.
* **M** merged: the 2021 LSOA; the 2011 counts of the LSOAs merged into it are summed.
* **S** split: the 2011 parent; the 2021 counts of the LSOAs it was split into are summed.
* **X** complex (redrawn many-to-many): left out and counted, because the best-fit lookup
  does not say which part of each area went where.

Counts are re-aggregated and shares are made from the summed counts, never averaged.

Example
-------
>>> import pandas as pd
>>> lookup = pd.DataFrame({"lsoa11_code": ["A", "B", "C", "D", "D"], "lsoa21_code": ["A", "M", "M", "D1", "D2"],
...                        "change_code": ["U", "M", "M", "S", "S"]})
>>> comparison_areas(lookup)[["area_code", "geography"]].drop_duplicates().values.tolist()
[['A', 'LSOA (2021)'], ['M', 'LSOA (2021)'], ['D', 'LSOA (2011)']]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from placemap.data.measure_records import get_measure, measures_for

LSOA11, LSOA21, CHANGE_CODE = "lsoa11_code", "lsoa21_code", "change_code"
UNCHANGED, SPLIT, MERGED, COMPLEX = "U", "S", "M", "X"
GEOGRAPHY_2011, GEOGRAPHY_2021 = "LSOA (2011)", "LSOA (2021)"
COUNT_COLUMNS = [f"households_deprived_in_{n}_dimensions" for n in range(5)]
TOTAL = "households_total"

CHANGE_RULE = (
    "Census 2011 and 2021 are compared on areas that cover the same ground, through the ONS LSOA "
    "2011→2021 lookup: an unchanged LSOA is compared with itself; where 2011 LSOAs were merged, their "
    "2011 counts are added up and compared with the 2021 LSOA; where a 2011 LSOA was split, the 2021 "
    "counts of its parts are added up and compared at the 2011 parent; the few LSOAs redrawn in complex "
    "ways are left out (and counted). Shares are made from the summed household counts, never averaged."
)


def comparison_areas(lookup: pd.DataFrame) -> pd.DataFrame:
    """Each lookup row with the comparison area it belongs to (``CHANGE_RULE``).

    Parameters
    ----------
    lookup
        The ONS best-fit lookup: ``lsoa11_code``, ``lsoa21_code``, ``change_code``.

    Returns
    -------
    pandas.DataFrame
        The lookup rows other than complex changes, with ``area_code`` (the comparison
        area: the 2021 LSOA for unchanged and merged areas, the 2011 parent for split
        ones) and ``geography`` ("LSOA (2021)" or "LSOA (2011)").

    Raises
    ------
    ValueError
        If a column is missing or a change code is not U, S, M or X.
    """
    missing = [c for c in (LSOA11, LSOA21, CHANGE_CODE) if c not in lookup.columns]
    if missing:
        raise ValueError(f"LSOA lookup: missing column(s) {', '.join(missing)}")
    unknown = sorted(set(lookup[CHANGE_CODE].dropna()) - {UNCHANGED, SPLIT, MERGED, COMPLEX})
    if unknown or lookup[CHANGE_CODE].isna().any():
        raise ValueError(f"LSOA lookup: change codes must be U, S, M or X (found {', '.join(unknown) or 'blank'})")
    rows = lookup.loc[lookup[CHANGE_CODE] != COMPLEX, [LSOA11, LSOA21, CHANGE_CODE]].copy()
    split = rows[CHANGE_CODE] == SPLIT
    rows["area_code"] = rows[LSOA21].where(~split, rows[LSOA11])
    rows["geography"] = GEOGRAPHY_2021
    rows.loc[split, "geography"] = GEOGRAPHY_2011
    return rows.reset_index(drop=True)


def _counts(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    missing = [c for c in [*COUNT_COLUMNS, TOTAL] if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}")
    return frame[[*COUNT_COLUMNS, TOTAL]].astype(float)


def household_deprivation_change(census11: pd.DataFrame, census21: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Household deprivation counts of both censuses on each comparison area, and the change.

    Parameters
    ----------
    census11, census21
        Household counts by LSOA (indexed by area code): ``households_total`` and
        ``households_deprived_in_0_dimensions`` … ``_in_4_dimensions``.
    lookup
        The ONS LSOA 2011 -> 2021 lookup.

    Returns
    -------
    pandas.DataFrame
        One row per comparison area (indexed by ``area_code``): ``geography``,
        ``change_code``, ``n_lsoa11``, ``n_lsoa21``, the counts of each census with a
        ``_2011`` / ``_2021`` suffix, and for every Census measure its share in each census
        (``<measure>_2011``, ``<measure>_2021``, proportions) and ``<measure>_change``
        (percentage points, 2021 minus 2011).

    Raises
    ------
    ValueError
        If a column is missing or an LSOA of the lookup is absent from its census table.
    """
    counts11, counts21 = _counts(census11, "Census 2011 table"), _counts(census21, "Census 2021 table")
    areas = comparison_areas(lookup)
    for codes, table, name in ((areas[LSOA11], counts11, "Census 2011"), (areas[LSOA21], counts21, "Census 2021")):
        absent = pd.Index(codes.unique()).difference(table.index)
        if len(absent):
            raise ValueError(f"{name} table lacks {len(absent)} LSOA(s) of the lookup, e.g. {', '.join(absent[:5])}")
    # Each LSOA is counted once in its comparison area even though split and merged rows repeat it.
    by11 = areas.drop_duplicates(LSOA11).set_index(LSOA11)["area_code"]
    by21 = areas.drop_duplicates(LSOA21).set_index(LSOA21)["area_code"]
    first = areas.drop_duplicates("area_code").set_index("area_code")
    # Group on positions in one shared index: far faster than grouping on the code strings.
    order = first.index
    parts = [first[["geography", CHANGE_CODE]]]
    for by, counts, year in ((by11, counts11, 2011), (by21, counts21, 2021)):
        position = order.get_indexer(by.to_numpy())
        grouped = counts.reindex(by.index).set_axis(position).groupby(level=0)
        sums = grouped.sum().add_suffix(f"_{year}")
        sums.index = order[sums.index]
        parts.append(sums.assign(**{f"n_lsoa{str(year)[2:]}": grouped.size().to_numpy()}))
    out = pd.concat(parts, axis=1)
    for year in (2011, 2021):
        total = out[f"{TOTAL}_{year}"].where(out[f"{TOTAL}_{year}"] > 0)
        for m in measures_for(year):
            out[f"{m.id}_{year}"] = out[[f"{c}_{year}" for c in m.numerator_columns]].sum(axis=1) / total
    for m in measures_for(2021):
        out[f"{m.id}_change"] = (out[f"{m.id}_2021"] - out[f"{m.id}_2011"]) * 100
    out.index.name = "area_code"
    return out


@dataclass(frozen=True)
class PlaceChange:
    """A place's share in each census and the change, from summed counts."""

    measure_id: str
    share_2011: float
    share_2021: float
    households_2011: float
    households_2021: float
    n_areas: int

    @property
    def change_points(self) -> float:
        return (self.share_2021 - self.share_2011) * 100

    def sentence(self) -> str:
        """The figure in plain words, with how it was made."""
        m = get_measure(self.measure_id, 2021)
        return (
            f"{m.label}: {self.share_2011:.1%} in 2011, {self.share_2021:.1%} in 2021 "
            f"({self.change_points:+.1f} percentage points), over {self.n_areas:,} comparison areas. {CHANGE_RULE}"
        )


def change_for_place(table: pd.DataFrame, area_codes: list[str] | pd.Index, measure_id: str) -> PlaceChange:
    """A place's change in one Census measure: shares from the counts summed over its comparison areas.

    ``table`` is ``household_deprivation_change``'s result; ``area_codes`` are comparison
    areas (codes not in the table are ignored).
    """
    m = get_measure(measure_id, 2021)
    rows = table.loc[table.index.intersection(pd.Index(area_codes))]
    shares = {}
    for year in (2011, 2021):
        total = rows[f"{TOTAL}_{year}"].sum()
        count = rows[[f"{c}_{year}" for c in m.numerator_columns]].to_numpy().sum()
        shares[year] = (count / total) if total > 0 else float("nan")
    return PlaceChange(
        measure_id=measure_id,
        share_2011=float(shares[2011]),
        share_2021=float(shares[2021]),
        households_2011=float(rows[f"{TOTAL}_2011"].sum()),
        households_2021=float(rows[f"{TOTAL}_2021"].sum()),
        n_areas=len(rows),
    )


def comparison_areas_of(lsoa21_codes: list[str] | pd.Index, lookup: pd.DataFrame) -> pd.Index:
    """The comparison areas holding any of these 2021 LSOAs (e.g. a 2024 LA's), for ``change_for_place``."""
    areas = comparison_areas(lookup)
    return pd.Index(areas.loc[areas[LSOA21].isin(pd.Index(lsoa21_codes)), "area_code"].unique())
