"""The 2011→2021 LSOA change: the ONS best-fit lookup, and carrying values between the two geographies.

IoD2015 and IoD2019 are published for LSOAs (2011); IoD2025 for LSOAs (2021). To compare
an older edition with 2025, its values are carried onto the 2021 LSOAs with the ONS
best-fit lookup (``change_code``):

* **U** unchanged: the 2021 LSOA is the 2011 LSOA; compare directly.
* **S** split: a 2011 LSOA became two or more 2021 LSOAs; each inherits its parent's value.
* **M** merged: two or more 2011 LSOAs became one 2021 LSOA; it takes the
  population-weighted average of its parents' rank positions (mid-2015 populations, as
  published with IoD2019), or is "not comparable" under the stricter rule.
* **X** complex: the boundaries were redrawn many-to-many; excluded and counted.

The values carried are a **rank position** (``rank / number of LSOAs``) and a decile
(see ``placemap.analysis.change``).

Example
-------
>>> decile_from_position(np.array([0.05, 0.1, 0.1001, 1.0])).tolist()
[1.0, 1.0, 2.0, 10.0]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from placemap.data.catalogue import get_vintage
from placemap.data.loaders import AREA_CODE, LA_CODE

LOOKUP_FILE = "lookups/lsoa11_to_lsoa21_lad22_england.csv"
REGION_FILE = "lookups/lad15_to_rgn15_england.csv"
LSOA11, LSOA21 = "lsoa11_code", "lsoa21_code"
CHANGE_CODE = "change_code"
UNCHANGED, SPLIT, MERGED, COMPLEX = "U", "S", "M", "X"
CASES = (UNCHANGED, SPLIT, MERGED, COMPLEX)
CASE_LABELS = {
    UNCHANGED: "Unchanged",
    SPLIT: "Split: inherits its 2011 parent's value",
    MERGED: "Merged: population-weighted average of its 2011 parents",
    COMPLEX: "Complex change: excluded",
}
CASE_LABELS_STRICT = {**CASE_LABELS, MERGED: "Merged: not comparable"}

WEIGHTED, NOT_COMPARABLE = "weighted", "not_comparable"
MERGED_RULES = (WEIGHTED, NOT_COMPARABLE)
MERGED_RULE = WEIGHTED  # the rule Placemap's pages use (and state)
POPULATION_COLUMN = "pop_total_mid2015"  # IoD2019's LSOA (2011) population denominators

POSITION, DECILE = "position", "decile"  # the values carried: rank position and decile
GEOGRAPHY_LABELS = {"lsoa11": "LSOAs (2011)", "lsoa21": "LSOAs (2021)"}
REGION_CODE = "region_code"
REGION_NAME = "region_name"


def read_lsoa_lookup(path: Path) -> pd.DataFrame:
    """Read the ONS LSOA (2011) → LSOA (2021) lookup and check it.

    Returns the columns ``lsoa11_code``, ``lsoa21_code`` and ``change_code``.

    Raises
    ------
    ValueError
        If the file is missing, a column is missing, a change code is not U/S/M/X, a
        2021 LSOA has more than one change code, or a pair is listed twice.
    """
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path.name}: file not found at {path}")
    frame = pd.read_csv(path, dtype=str)
    missing = [c for c in (LSOA11, LSOA21, CHANGE_CODE) if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)}")
    frame = frame[[LSOA11, LSOA21, CHANGE_CODE]].copy()
    unknown = sorted(set(frame[CHANGE_CODE]) - set(CASES))
    if unknown:
        raise ValueError(f"{path.name}: unknown change code(s) {', '.join(map(str, unknown))}")
    if frame.duplicated([LSOA11, LSOA21]).any():
        raise ValueError(f"{path.name}: some 2011→2021 pairs are listed twice")
    if (frame.groupby(LSOA21)[CHANGE_CODE].nunique() > 1).any():
        raise ValueError(f"{path.name}: a 2021 LSOA has more than one change code")
    return frame.reset_index(drop=True)


def read_lad_regions(path: Path) -> pd.DataFrame:
    """Read the ONS local authority (2015) → region lookup: LA code -> region code and name."""
    path = Path(path)
    if not path.exists():
        raise ValueError(f"{path.name}: file not found at {path}")
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig")
    needed = ["LAD15CD", "RGN15CD", "RGN15NM"]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {', '.join(missing)}")
    out = frame[needed].rename(columns={"LAD15CD": LA_CODE, "RGN15CD": REGION_CODE, "RGN15NM": REGION_NAME})
    return out.set_index(LA_CODE)


def lsoa11_regions(lad13_codes: pd.Series, lad_regions: pd.DataFrame) -> pd.DataFrame:
    """Region of each LSOA (2011) from its 2013 local authority (as published with IoD2015).

    English regions did not change between 2011 and 2024 and every LA lies in one region,
    so a 2015 LA-to-region lookup places every LSOA.
    """
    regions = lad_regions.reindex(lad13_codes.to_numpy())
    regions.index = lad13_codes.index
    return regions[[REGION_CODE, REGION_NAME]]


def lsoa21_regions(regions11: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Region of each LSOA (2021): the region of its 2011 parent(s) (they never straddle regions)."""
    joined = lookup[[LSOA11, LSOA21]].join(regions11, on=LSOA11)
    return joined.groupby(LSOA21)[[REGION_CODE, REGION_NAME]].first()


def geography(year: int) -> str:
    """``"lsoa21"`` for editions published on 2021 LSOAs, ``"lsoa11"`` otherwise."""
    return "lsoa21" if get_vintage(year).lsoa_label == "LSOA (2021)" else "lsoa11"


def common_geography(before: int, after: int) -> str:
    """The LSOA geography a comparison is shown on: 2021 LSOAs when either edition uses them."""
    return "lsoa21" if "lsoa21" in (geography(before), geography(after)) else "lsoa11"


def geography_year(before: int, after: int) -> int:
    """An edition whose boundaries and LAs are the comparison's geography (for maps and pickers)."""
    target = common_geography(before, after)
    return after if geography(after) == target else before


def decile_from_position(position: np.ndarray | pd.Series) -> np.ndarray:
    """National decile (1 = most deprived 10%) of a rank position in (0, 1].

    The published deciles are exactly ``ceil(10 * rank / n)``, so this reproduces them for
    unchanged areas and gives merged areas the decile their averaged position falls in.
    """
    p = np.asarray(position, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(p), np.nan, np.clip(np.ceil(np.round(p * 10, 9)), 1, 10))


def carry_forward(
    values11: pd.DataFrame,
    lookup: pd.DataFrame,
    population: pd.Series,
    merged_rule: str = MERGED_RULE,
) -> pd.DataFrame:
    """Carry values on LSOAs (2011) onto LSOAs (2021) with the change rule.

    Parameters
    ----------
    values11 : columns ``position`` and ``decile`` (and any other numeric position
        columns), indexed by LSOA (2011) code
    lookup : from ``read_lsoa_lookup``
    population : LSOA (2011) code -> population, the weights for merged areas
    merged_rule : ``"weighted"`` (population-weighted average of the parents' positions)
        or ``"not_comparable"``

    Returns
    -------
    DataFrame indexed by LSOA (2021) code with the same value columns and ``change_code``.
    Complex (X) areas, and merged areas under ``"not_comparable"``, have no values.
    Deciles of merged areas are the deciles of their averaged position.
    """
    if merged_rule not in MERGED_RULES:
        raise ValueError(f"Unknown rule for merged areas {merged_rule!r}; use one of {', '.join(MERGED_RULES)}")
    value_columns = list(values11.columns)
    codes = lookup.groupby(LSOA21, sort=True)[CHANGE_CODE].first()
    out = pd.DataFrame(np.nan, index=codes.index, columns=value_columns)
    out.index.name = AREA_CODE

    direct = lookup[lookup[CHANGE_CODE].isin([UNCHANGED, SPLIT])]
    carried = values11.reindex(direct[LSOA11].to_numpy())
    carried.index = direct[LSOA21].to_numpy()
    out.loc[carried.index, value_columns] = carried.to_numpy()

    if merged_rule == WEIGHTED:
        merged = lookup[lookup[CHANGE_CODE] == MERGED]
        if len(merged):
            parents = values11.reindex(merged[LSOA11].to_numpy())
            weights = population.reindex(merged[LSOA11].to_numpy()).to_numpy(dtype=float)
            position_columns = [c for c in value_columns if c != DECILE]
            weighted = parents[position_columns].mul(weights, axis=0)
            weighted[LSOA21] = merged[LSOA21].to_numpy()
            # A parent without a value or a weight makes the merged area not comparable.
            incomplete = parents[position_columns].isna().any(axis=1).to_numpy() | np.isnan(weights)
            weighted["_w"] = weights
            weighted["_bad"] = incomplete
            grouped = weighted.groupby(LSOA21)
            sums = grouped[position_columns].sum()
            total = grouped["_w"].sum()
            bad = grouped["_bad"].any()
            averaged = sums.div(total, axis=0)
            averaged[bad] = np.nan
            out.loc[averaged.index, position_columns] = averaged.to_numpy()
            if DECILE in value_columns and POSITION in value_columns:
                out.loc[averaged.index, DECILE] = decile_from_position(averaged[POSITION])
    out[CHANGE_CODE] = codes
    return out


def carry_back(values21: pd.DataFrame, lookup: pd.DataFrame) -> pd.DataFrame:
    """Carry values on LSOAs (2021) back onto LSOAs (2011): only unchanged areas compare.

    A 2011 LSOA that was split, merged or redrawn has no single 2021 counterpart, so it
    gets no value (its ``change_code`` says why).
    """
    codes = lookup.groupby(LSOA11, sort=True)[CHANGE_CODE].first()
    out = pd.DataFrame(np.nan, index=codes.index, columns=list(values21.columns))
    out.index.name = AREA_CODE
    same = lookup[lookup[CHANGE_CODE] == UNCHANGED]
    carried = values21.reindex(same[LSOA21].to_numpy())
    carried.index = same[LSOA11].to_numpy()
    out.loc[carried.index, list(values21.columns)] = carried.to_numpy()
    out[CHANGE_CODE] = codes
    return out


def values_on(
    values: pd.DataFrame,
    year: int,
    target: str,
    lookup: pd.DataFrame,
    population: pd.Series,
    merged_rule: str = MERGED_RULE,
) -> pd.DataFrame:
    """An edition's values on the ``target`` geography (``"lsoa11"`` or ``"lsoa21"``), with ``change_code``."""
    source = geography(year)
    if source == target:
        out = values.copy()
        out[CHANGE_CODE] = UNCHANGED
        return out
    if target == "lsoa21":
        return carry_forward(values, lookup, population, merged_rule)
    return carry_back(values, lookup)


def lookup_counts(lookup: pd.DataFrame) -> dict[str, dict[str, int]]:
    """How many LSOAs (2011) and LSOAs (2021) each change code covers in the lookup."""
    return {
        case: {
            "lsoa11": int(lookup.loc[lookup[CHANGE_CODE] == case, LSOA11].nunique()),
            "lsoa21": int(lookup.loc[lookup[CHANGE_CODE] == case, LSOA21].nunique()),
        }
        for case in CASES
    }


def translate_codes(codes: list[str], target: str, lookup: pd.DataFrame) -> tuple[list[str], list[str]]:
    """Turn LSOA codes of either geography into codes of ``target``; return them and notes.

    A 2011 code on 2021 LSOAs becomes every 2021 LSOA it became (split, merged or
    redrawn); a 2021 code on 2011 LSOAs becomes its 2011 parent(s). Unknown codes are
    dropped with a note. Notes hold user input unescaped: escape them for where they are shown.
    """
    known11 = set(lookup[LSOA11])
    known21 = set(lookup[LSOA21])
    own, other = (known21, known11) if target == "lsoa21" else (known11, known21)
    src, dst = (LSOA11, LSOA21) if target == "lsoa21" else (LSOA21, LSOA11)
    out: list[str] = []
    notes: list[str] = []
    translated = 0
    unknown = []
    for code in codes:
        if code in own:
            out.append(code)
        elif code in other:
            out.extend(sorted(lookup.loc[lookup[src] == code, dst]))
            translated += 1
        else:
            unknown.append(code)
    label = "LSOA (2021)" if target == "lsoa21" else "LSOA (2011)"
    if translated:
        notes.append(
            f"{translated} code(s) from the other LSOA edition were turned into {label} codes with the ONS lookup."
        )
    if unknown:
        shown = ", ".join(unknown[:5])
        notes.append(f"{len(unknown)} code(s) are not English LSOAs and were left out: {shown}.")
    return list(dict.fromkeys(out)), notes
