"""Change between editions of the Indices of Deprivation: rank positions and deciles, per LSOA and LA.

Following MHCLG's advice, only ranks and deciles are compared, never scores. Ranks are
turned into a **rank position**, ``rank / number of LSOAs`` (0 = the most deprived end of
England's ranking, 1 = the least deprived end), because the number of LSOAs differs
(32,844 in 2015 and 2019, 33,755 in 2025). A positive change means an area moved away
from the most deprived end of the ranking *relative to the rest of England*. Editions on
different LSOAs are compared across the 2011→2021 change (``placemap.analysis.lsoa_change``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from placemap.analysis.lsoa_change import (
    CASE_LABELS,
    CASE_LABELS_STRICT,
    CASES,
    CHANGE_CODE,
    COMPLEX,
    DECILE,
    MERGED,
    MERGED_RULE,
    POSITION,
    SPLIT,
    UNCHANGED,
    WEIGHTED,
    common_geography,
    decile_from_position,
    geography,
    values_on,
)
from placemap.data.catalogue import DOMAINS, Domain, get_domain, get_indicator, get_vintage
from placemap.data.loaders import AREA_CODE, AREA_NAME, LA_NAME, WARD_NAME

MEASURES = {
    POSITION: "National rank position (percentage points)",
    DECILE: "National decile",
}
# Change in rank position (percentage points) smaller than this either way reads "little change".
LITTLE_CHANGE_POINTS = 2.0


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
