"""Plain-Python summaries of an area against its LA and England (the map's side panel)."""

from __future__ import annotations

import pandas as pd

from placemap.data.catalogue import Vintage, headline_indicators
from placemap.data.loaders import LA_CODE


def decile_phrase(decile: float) -> str:
    """Plain words for a national decile (1 = most deprived 10%)."""
    if decile != decile:
        return "no data"
    d = int(decile)
    if d == 1:
        return "among the 10% most deprived in England"
    if d <= 3:
        return f"among the {d * 10}% most deprived in England"
    if d >= 8:
        return f"among the {(11 - d) * 10}% least deprived in England"
    return "around the middle for England"


def area_domain_table(areas: pd.DataFrame, area_code: str, vintage: Vintage) -> pd.DataFrame:
    """Every headline domain's rank and decile for one area, with its LA's median.

    Columns: Domain, Decile, Rank, LA median rank, In words. England's middle rank is
    ``(vintage.n_lsoas + 1) / 2`` for every domain, so it is stated once by the page.
    """
    row = areas.loc[area_code]
    la = areas[areas[LA_CODE] == row[LA_CODE]]
    records = []
    for ind in headline_indicators(vintage.year, "rank"):
        rank_col, decile_col = ind.rank_column(vintage.year), ind.decile_column(vintage.year)
        records.append(
            {
                "Domain": ind.label.removesuffix(": rank"),
                "Decile": row[decile_col],
                "Rank": row[rank_col],
                "LA median rank": la[rank_col].median(),
                "In words": decile_phrase(row[decile_col]),
            }
        )
    return pd.DataFrame(records)


def la_decile_share(areas: pd.DataFrame, la_code: str, decile_column: str, decile: int = 1) -> tuple[int, int]:
    """Number of the LA's LSOAs in national ``decile`` of a measure, and the LA's LSOA count."""
    la = areas[areas[LA_CODE] == la_code]
    return int((la[decile_column] == decile).sum()), len(la)


def area_sentences(table: pd.DataFrame) -> list[str]:
    """Plain-language sentences from ``area_domain_table``: worst-off domains first.

    Example
    -------
    >>> t = pd.DataFrame({"Domain": ["Income", "Crime"], "Decile": [1, 9]})
    >>> area_sentences(t)
    ['Among the 10% most deprived LSOAs in England for Income.', 'Among the 20% least deprived LSOAs in England for Crime.']
    """
    groups: dict[str, list[str]] = {}
    for domain, decile in zip(table["Domain"], table["Decile"], strict=True):
        if decile != decile:
            continue
        d = int(decile)
        if d <= 3:
            key = f"Among the {d * 10}% most deprived LSOAs in England for"
        elif d >= 8:
            key = f"Among the {(11 - d) * 10}% least deprived LSOAs in England for"
        else:
            continue
        groups.setdefault(key, []).append(domain)
    ordered = sorted(groups, key=lambda k: (k.endswith("least deprived LSOAs in England for"), k))
    return [f"{k} {', '.join(groups[k])}." for k in ordered]


def la_summary(areas: pd.DataFrame, decile_column: str, la_codes: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """For each LA: its LSOA count, how many are in England's most deprived decile, and the share.

    This is MHCLG's "proportion of LSOAs in the most deprived 10% nationally", computed from the
    LSOA deciles; indexed by LA code in ``la_codes`` order.
    """
    chosen = areas[areas[LA_CODE].isin(list(la_codes))]
    grouped = chosen.groupby(LA_CODE)
    table = pd.DataFrame(
        {
            "la_name": grouped["la_name"].first(),
            "lsoas": grouped.size(),
            "in_most_deprived_10": grouped[decile_column].agg(lambda d: int((d == 1).sum())),
        }
    )
    table["share"] = table["in_most_deprived_10"] / table["lsoas"]
    return table.reindex([c for c in la_codes if c in table.index])
