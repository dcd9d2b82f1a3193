"""Change between editions of the Indices of Deprivation, across the 2011→2021 LSOA change.

IoD2015 and IoD2019 are published for LSOAs (2011); IoD2025 for LSOAs (2021). To compare
an older edition with 2025, its values are carried onto the 2021 LSOAs with the ONS
best-fit lookup (``change_code``):

* **U** unchanged: the 2021 LSOA is the 2011 LSOA; compare directly.
* **S** split: a 2011 LSOA became two or more 2021 LSOAs; each inherits its parent's value.
* **M** merged: two or more 2011 LSOAs became one 2021 LSOA; it takes the
  population-weighted average of its parents' rank positions (mid-2015 populations, as
  published with IoD2019), or is "not comparable" under the stricter rule.
* **X** complex: the boundaries were redrawn many-to-many; excluded and counted.

Following MHCLG's advice, only ranks and deciles are compared, never scores. Ranks are
turned into a **rank position**, ``rank / number of LSOAs`` (0 = the most deprived end of
England's ranking, 1 = the least deprived end), because the number of LSOAs differs
(32,844 in 2015 and 2019, 33,755 in 2025). A positive change means an area moved away
from the most deprived end of the ranking *relative to the rest of England*.

Example
-------
>>> decile_from_position(np.array([0.05, 0.1, 0.1001, 1.0])).tolist()
[1.0, 1.0, 2.0, 10.0]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from placemap.analysis.classify import NO_DATA_COLOUR, Classification
from placemap.data.catalogue import DOMAINS, Domain, get_domain, get_indicator, get_vintage
from placemap.data.la_summaries import summary_columns
from placemap.data.loaders import AREA_CODE, AREA_NAME, LA_CODE, LA_NAME, WARD_NAME
from placemap.data.prepare import escape_text

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

POSITION, DECILE = "position", "decile"
MEASURES = {
    POSITION: "National rank position (percentage points)",
    DECILE: "National decile",
}
# Change in rank position (percentage points) smaller than this either way reads "little change".
LITTLE_CHANGE_POINTS = 2.0
GEOGRAPHY_LABELS = {"lsoa11": "LSOAs (2011)", "lsoa21": "LSOAs (2021)"}
REGION_CODE = "region_code"
REGION_NAME = "region_name"


# --------------------------------------------------------------------------- reading


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


# --------------------------------------------------------------------------- editions and domains


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


def rank_indicator_id(domain_id: str) -> str:
    """The catalogue id of a domain's (or sub-domain's) rank indicator."""
    domain = get_domain(domain_id)
    return f"{domain.id}_rank" if domain.parent is None else f"{domain.parent}_{domain.id}_rank"


def domains_with_ranks(*years: int) -> list[Domain]:
    """Domains and sub-domains whose ranks are published in every one of ``years``, in catalogue order."""
    out = []
    for d in DOMAINS:
        try:
            ind = get_indicator(rank_indicator_id(d.id))
        except ValueError:
            continue
        if all(y in ind.columns for y in years):
            out.append(d)
    return out


def domain_label(domain_id: str) -> str:
    """A domain's label, with its parent for a sub-domain ("Education: Adult skills sub-domain")."""
    d = get_domain(domain_id)
    if d.parent is None:
        return d.label
    return f"{get_domain(d.parent).label}: {d.label} sub-domain"


def headline_domains(*years: int) -> list[Domain]:
    """The IMD and the seven domains (no sub-domains, no supplementary indices) published in all ``years``."""
    return [d for d in domains_with_ranks(*years) if d.parent is None and (d.weight is not None or d.id == "imd")]


# --------------------------------------------------------------------------- values


def decile_from_position(position: np.ndarray | pd.Series) -> np.ndarray:
    """National decile (1 = most deprived 10%) of a rank position in (0, 1].

    The published deciles are exactly ``ceil(10 * rank / n)``, so this reproduces them for
    unchanged areas and gives merged areas the decile their averaged position falls in.
    """
    p = np.asarray(position, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(np.isnan(p), np.nan, np.clip(np.ceil(np.round(p * 10, 9)), 1, 10))


def edition_values(frame: pd.DataFrame, year: int, domain_id: str) -> pd.DataFrame:
    """One edition's rank position (rank ÷ number of LSOAs) and decile of a domain, per area.

    Parameters
    ----------
    frame : the edition's LSOA table indexed by area code (``loaders.read_areas``)
    year : the edition
    domain_id : a domain or sub-domain with ranks in that edition
    """
    ind = get_indicator(rank_indicator_id(domain_id))
    n = get_vintage(year).n_lsoas
    rank = frame[ind.rank_column(year)].astype(float)
    return pd.DataFrame(
        {POSITION: rank / n, DECILE: frame[ind.decile_column(year)].astype(float)},
        index=frame.index,
    )


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


# --------------------------------------------------------------------------- comparing editions


@dataclass(frozen=True)
class ChangeRule:
    """How a comparison treated the LSOA change, in numbers, for the page to state."""

    before: int
    after: int
    geography: str
    merged_rule: str
    n_areas: int
    counts: dict[str, int]
    n_comparable: int

    @property
    def crosses_2021(self) -> bool:
        return geography(self.before) != geography(self.after)

    def sentences(self) -> list[str]:
        """The rule in plain words, with this comparison's counts."""
        b, a = f"IoD{self.before}", f"IoD{self.after}"
        out = [
            f"Ranks and deciles are compared, not scores: MHCLG advises that scores are not comparable "
            f"between editions. Ranks are compared as a **rank position**, rank ÷ number of LSOAs "
            f"({get_vintage(self.before).n_lsoas:,} in {b}, {get_vintage(self.after).n_lsoas:,} in {a}), "
            "because the number of LSOAs changed; deciles are compared as published."
        ]
        if not self.crosses_2021:
            out.append(
                f"{b} and {a} use the same LSOAs (2011): all {self.n_areas:,} compare directly "
                f"({self.n_comparable:,} have both values)."
            )
            return out
        c = self.counts
        merged = (
            f"{c.get(MERGED, 0):,} merged LSOAs take the population-weighted average of their 2011 parents' "
            "rank positions (mid-2015 populations, as published with IoD2019), and the decile that average falls in"
            if self.merged_rule == WEIGHTED
            else f"{c.get(MERGED, 0):,} merged LSOAs are shown as not comparable"
        )
        out.append(
            f"{b} uses LSOAs (2011) and {a} LSOAs (2021); the comparison is shown on the "
            f"{self.n_areas:,} LSOAs (2021) with the ONS lookup: {c.get(UNCHANGED, 0):,} unchanged LSOAs compare "
            f"directly; {c.get(SPLIT, 0):,} LSOAs made by splitting a 2011 LSOA inherit their parent's value; "
            f"{merged}; {c.get(COMPLEX, 0):,} LSOAs with complex changes are excluded. "
            f"**{self.n_comparable:,} of {self.n_areas:,} LSOAs are comparable.**"
        )
        return out


def compare_editions(
    before_values: pd.DataFrame,
    after_values: pd.DataFrame,
    before: int,
    after: int,
    lookup: pd.DataFrame,
    population: pd.Series,
    merged_rule: str = MERGED_RULE,
) -> tuple[pd.DataFrame, ChangeRule]:
    """Change of one domain between two editions, per LSOA of the comparison's geography.

    Parameters
    ----------
    before_values, after_values : ``edition_values`` of the two editions
    before, after : the edition years (``before < after``)
    lookup, population, merged_rule : as for ``carry_forward``

    Returns
    -------
    (table, rule) : ``table`` is indexed by area code with ``change_code``,
    ``position_before``, ``position_after``, ``position_change`` (percentage points,
    positive = moved away from the most deprived end), ``decile_before``,
    ``decile_after``, ``decile_change`` and ``comparable``; ``rule`` the counts.
    """
    if before >= after:
        raise ValueError("The 'before' edition must be earlier than the 'after' edition")
    target = common_geography(before, after)
    b = values_on(before_values, before, target, lookup, population, merged_rule)
    a = values_on(after_values, after, target, lookup, population, merged_rule)
    codes = b[CHANGE_CODE] if geography(before) != target else a[CHANGE_CODE]
    index = a.index if geography(after) == target else b.index
    b, a = b.reindex(index), a.reindex(index)
    table = pd.DataFrame(
        {
            CHANGE_CODE: codes.reindex(index).fillna(UNCHANGED),
            "position_before": b[POSITION],
            "position_after": a[POSITION],
            "decile_before": b[DECILE],
            "decile_after": a[DECILE],
        },
        index=index,
    )
    table["position_change"] = (table["position_after"] - table["position_before"]) * 100
    table["decile_change"] = table["decile_after"] - table["decile_before"]
    table["comparable"] = table[["position_before", "position_after"]].notna().all(axis=1)
    table.index.name = AREA_CODE
    counts = {case: int((table[CHANGE_CODE] == case).sum()) for case in CASES}
    rule = ChangeRule(
        before=before,
        after=after,
        geography=target,
        merged_rule=merged_rule,
        n_areas=len(table),
        counts=counts,
        n_comparable=int(table["comparable"].sum()),
    )
    return table, rule


def lookup_counts(lookup: pd.DataFrame) -> dict[str, dict[str, int]]:
    """How many LSOAs (2011) and LSOAs (2021) each change code covers in the lookup."""
    return {
        case: {
            "lsoa11": int(lookup.loc[lookup[CHANGE_CODE] == case, LSOA11].nunique()),
            "lsoa21": int(lookup.loc[lookup[CHANGE_CODE] == case, LSOA21].nunique()),
        }
        for case in CASES
    }


def moved(table: pd.DataFrame, worst_deciles: int) -> tuple[pd.Index, pd.Index]:
    """Areas that moved into, and out of, the most deprived ``worst_deciles`` tenths of England.

    ``worst_deciles=1`` is the most deprived 10%, ``2`` the most deprived 20%.
    """
    ok = table["comparable"]
    before_in = table["decile_before"] <= worst_deciles
    after_in = table["decile_after"] <= worst_deciles
    into = table.index[ok & ~before_in & after_in]
    out_of = table.index[ok & before_in & ~after_in]
    return into, out_of


def moved_table(table: pd.DataFrame, codes: pd.Index, areas: pd.DataFrame) -> pd.DataFrame:
    """A readable list of areas (code, name, ward, LA, deciles and positions before and after)."""
    rows = table.loc[codes]
    names = areas.reindex(codes)
    return pd.DataFrame(
        {
            "LSOA code": codes,
            "LSOA name": names[AREA_NAME].to_numpy(),
            "Ward": names[WARD_NAME].to_numpy(),
            "Local authority": names[LA_NAME].to_numpy(),
            "Decile before": rows["decile_before"].to_numpy(),
            "Decile after": rows["decile_after"].to_numpy(),
            "Rank position before (%)": (rows["position_before"] * 100).round(1).to_numpy(),
            "Rank position after (%)": (rows["position_after"] * 100).round(1).to_numpy(),
        }
    ).sort_values(["Local authority", "LSOA code"], ignore_index=True)


def change_table(table: pd.DataFrame, areas: pd.DataFrame, merged_rule: str = MERGED_RULE) -> pd.DataFrame:
    """The text alternative to the change map: one row per area of ``areas``, most improved last."""
    rows = table.reindex(areas.index)
    labels = CASE_LABELS if merged_rule == WEIGHTED else CASE_LABELS_STRICT
    out = pd.DataFrame(
        {
            "LSOA code": areas[AREA_CODE].to_numpy(),
            "LSOA name": areas[AREA_NAME].to_numpy(),
            "Ward": areas[WARD_NAME].to_numpy(),
            "Rank position before (%)": (rows["position_before"] * 100).round(1).to_numpy(),
            "Rank position after (%)": (rows["position_after"] * 100).round(1).to_numpy(),
            "Change (points)": rows["position_change"].round(1).to_numpy(),
            "Decile before": rows["decile_before"].to_numpy(),
            "Decile after": rows["decile_after"].to_numpy(),
            "Decile change": rows["decile_change"].to_numpy(),
            "2011→2021 change": rows[CHANGE_CODE].map(labels).fillna("").to_numpy(),
        }
    )
    return out.sort_values(["Change (points)", "LSOA code"], na_position="last", ignore_index=True)


def la_change_summary(table: pd.DataFrame, area_codes: pd.Index) -> dict[str, float | int]:
    """Counts for a place: comparable areas, areas that moved each way, areas in decile 1 before and after."""
    rows = table.reindex(area_codes)
    ok = rows[rows["comparable"].fillna(False).astype(bool)]
    change = ok["position_change"]
    return {
        "n_areas": len(rows),
        "n_comparable": len(ok),
        "n_less_deprived": int((change >= LITTLE_CHANGE_POINTS).sum()),
        "n_more_deprived": int((change <= -LITTLE_CHANGE_POINTS).sum()),
        "n_little_change": int((change.abs() < LITTLE_CHANGE_POINTS).sum()),
        "median_change": float(change.median()) if len(ok) else float("nan"),
        "decile1_before": int((ok["decile_before"] == 1).sum()),
        "decile1_after": int((ok["decile_after"] == 1).sum()),
    }


# --------------------------------------------------------------------------- diverging classes

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


# --------------------------------------------------------------------------- trends


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


def trend_long(positions: dict[int, pd.DataFrame], area_codes: list[str] | pd.Index) -> pd.DataFrame:
    """Mean rank position of ``area_codes`` per domain per edition, in long form for a slope chart.

    Parameters
    ----------
    positions : for each edition year, a frame of rank positions on one geography
        (columns = domain ids, index = area codes), e.g. from ``values_on``
    area_codes : one LSOA, or the LSOAs of an LA

    Returns
    -------
    Columns ``domain``, ``domain_label``, ``edition``, ``year``, ``position`` (0–100,
    0 = most deprived end), ``decile`` (of the mean position) and ``n_areas`` (areas with a value).
    """
    rows = []
    for year in sorted(positions):
        frame = positions[year].reindex(list(area_codes))
        for domain_id in frame.columns:
            values = frame[domain_id].dropna()
            if values.empty:
                continue
            mean = float(values.mean())
            rows.append(
                {
                    "domain": domain_id,
                    "domain_label": domain_label(domain_id),
                    "edition": f"IoD{year}",
                    "year": year,
                    "position": round(mean * 100, 2),
                    "decile": int(decile_from_position(np.array([mean]))[0]),
                    "n_areas": len(values),
                }
            )
    return pd.DataFrame(rows, columns=["domain", "domain_label", "edition", "year", "position", "decile", "n_areas"])


# The official IMD summary measures shown across editions (key in ``la_summaries.MEASURES`` ->
# label); each edition's column names come from ``la_summaries.summary_columns``.
LA_SUMMARY_MEASURES = {
    "average_rank": "Average rank",
    "average_score": "Average score",
    "proportion_most_deprived_10": "Proportion of LSOAs in most deprived 10% nationally",
    "extent": "Extent",
    "local_concentration": "Local concentration",
}


def la_summary_table(la_code: str, summaries: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """The official IMD summary measures of one LA across editions (rank among LAs in brackets).

    Parameters
    ----------
    la_code : the LA code (an edition that does not publish that code shows "not published")
    summaries : for each edition year, its LA summary table indexed by LA code

    Returns
    -------
    One row per measure; one column per edition, values as text.
    """
    out: dict[str, list[str]] = {"Measure": list(LA_SUMMARY_MEASURES.values())}
    for year in sorted(summaries):
        table = summaries[year]
        column = []
        columns = summary_columns(year, "imd")
        for key, measure in LA_SUMMARY_MEASURES.items():
            if la_code not in table.index:
                column.append("not published for this LA code")
                continue
            value_col, rank_col = columns.get(key), columns.get(f"rank_of_{key}")
            if value_col not in table.columns:
                column.append("not published")
                continue
            value = table.at[la_code, value_col]
            text = _summary_value(measure, value)
            if rank_col and rank_col in table.columns and pd.notna(table.at[la_code, rank_col]):
                text += f" (rank {int(table.at[la_code, rank_col])} of {len(table)})"
            column.append(text)
        out[f"IoD{year}"] = column
    return pd.DataFrame(out)


def _summary_value(measure: str, value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "no data"
    v = float(value)
    if measure.startswith("Proportion") or measure == "Extent":
        return f"{v:.1%}"
    if measure == "Average rank" or measure == "Local concentration":
        return f"{v:,.0f}"
    return f"{v:,.2f}"
