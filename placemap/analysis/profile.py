"""Area profiles in numbers and words: one LSOA, or one local authority (LA).

Pure functions on the national LSOA table of an edition (``loaders.read_areas``);
no Streamlit, no charts. Positions are on one scale for every domain:
``100 * (rank - 0.5) / n`` runs from 0 (the most deprived LSOA in England) to 100
(the least deprived), so England's middle LSOA sits at 50.

Example
-------
>>> position(1, 10), position(10, 10)
(5.0, 95.0)
>>> area_kind("E01005062"), area_kind("E08000003")
('lsoa', 'la')
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from placemap.analysis import summary
from placemap.data.catalogue import Indicator, Vintage, domains_for, get_domain, indicators_for
from placemap.data.loaders import AREA_CODE, AREA_NAME, LA_CODE, LA_NAME, WARD_NAME

LSOA, LA = "lsoa", "la"
LA_PREFIXES = ("E06", "E07", "E08", "E09")
MIDDLE_DECILES = (4, 7)
_CHANGE = {"U": "unchanged", "S": "split", "M": "merged", "X": "complex change"}


def area_kind(code: str) -> str | None:
    """``"lsoa"`` for an LSOA code (E01...), ``"la"`` for an LA district code, else ``None``."""
    code = (code or "").upper()
    if code.startswith("E01"):
        return LSOA
    if code.startswith(LA_PREFIXES):
        return LA
    return None


def position(rank: float | np.ndarray, total: int) -> float | np.ndarray:
    """National position of a rank: 0 = most deprived in England, 100 = least deprived."""
    value = 100.0 * (np.asarray(rank, dtype=float) - 0.5) / total
    return float(value) if value.ndim == 0 else value


def profile_indicators(year: int, subdomains: bool = True) -> list[Indicator]:
    """The edition's rank indicators in profile order: each domain, then its sub-domains."""
    ranks = [i for i in indicators_for(year) if i.measure == "rank"]
    ordered: list[Indicator] = []
    for domain in domains_for(year):
        ordered += [i for i in ranks if i.domain == domain.id and i.subdomain is None]
        if subdomains:
            ordered += [i for i in ranks if i.domain == domain.id and i.subdomain is not None]
    return ordered


def indicator_name(indicator: Indicator) -> str:
    """Short name of a rank indicator: its domain, or its sub-domain marked as such."""
    if indicator.subdomain:
        return f"{get_domain(indicator.subdomain).label} (sub-domain)"
    return get_domain(indicator.domain).label


def lsoa_profile_table(areas: pd.DataFrame, code: str, vintage: Vintage) -> pd.DataFrame:
    """Every domain and sub-domain of one LSOA: rank, decile, position, and its LA's median.

    Parameters
    ----------
    areas : the edition's national LSOA table (indexed by area code)
    code : the LSOA
    vintage : the edition

    Returns
    -------
    One row per rank indicator in profile order, columns ``Domain``, ``Part of``,
    ``Rank``, ``Decile``, ``Position``, ``LA median rank``, ``LA median position``,
    ``In words`` and ``level`` ("domain" or "sub-domain").

    Raises
    ------
    KeyError
        If the LSOA is not in the edition.
    """
    row = areas.loc[code]
    la = areas[areas[LA_CODE] == row[LA_CODE]]
    records = []
    for ind in profile_indicators(vintage.year):
        rank_col, decile_col = ind.rank_column(vintage.year), ind.decile_column(vintage.year)
        median = float(la[rank_col].median())
        records.append(
            {
                "Domain": indicator_name(ind),
                "Part of": get_domain(ind.domain).label if ind.subdomain else "",
                "Rank": row[rank_col],
                "Decile": row[decile_col],
                "Position": position(float(row[rank_col]), vintage.n_lsoas),
                "LA median rank": median,
                "LA median position": position(median, vintage.n_lsoas),
                "In words": summary.decile_phrase(row[decile_col]),
                "level": "sub-domain" if ind.subdomain else "domain",
            }
        )
    return pd.DataFrame(records)


def spine_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The spine chart's input from ``lsoa_profile_table``: label, position, rank, decile, LA median."""
    columns = {
        "Domain": "row",
        "Position": "position",
        "Rank": "rank",
        "Decile": "decile",
        "LA median position": "reference",
    }
    return table[list(columns)].rename(columns=columns).reset_index(drop=True)


def profile_sentences(table: pd.DataFrame, unit: str = "LSOAs") -> list[str]:
    """Plain-language sentences for the headline domains: most deprived first, then middle, then least.

    ``table`` needs ``Domain`` and ``Decile`` (and optionally ``level``: sub-domains are
    left to the table). Deciles 4 to 7 are "around the middle".

    Example
    -------
    >>> t = pd.DataFrame({"Domain": ["Income", "Crime", "Health"], "Decile": [1, 10, 5]})
    >>> for s in profile_sentences(t):
    ...     print(s)
    Among the 10% most deprived LSOAs in England for Income.
    Around the middle of England's LSOAs (deciles 4 to 7) for Health.
    Among the 10% least deprived LSOAs in England for Crime.
    """
    headline = table[table["level"] == "domain"] if "level" in table.columns else table
    sentences = [s.replace("LSOAs", unit) for s in summary.area_sentences(headline)]
    low, high = MIDDLE_DECILES
    middle = [
        d for d, dec in zip(headline["Domain"], headline["Decile"], strict=True) if dec == dec and low <= dec <= high
    ]
    if middle:
        text = f"Around the middle of England's {unit} (deciles {low} to {high}) for {', '.join(middle)}."
        split = next((i for i, s in enumerate(sentences) if "least deprived" in s), len(sentences))
        sentences.insert(split, text)
    return sentences


def vintage_history(
    code: str, year: int, tables: Mapping[int, pd.DataFrame], lookup: pd.DataFrame, editions: list[Vintage]
) -> pd.DataFrame:
    """The LSOA's IMD decile in every edition, directly or through the ONS 2011 -> 2021 lookup.

    Parameters
    ----------
    code : the LSOA, in the geography of edition ``year``
    tables : national LSOA tables by edition year
    lookup : ``loaders.read_lsoa_lookup()``
    editions : the editions to show, newest first

    Returns
    -------
    One row per edition and matching LSOA: ``Edition``, ``LSOA code``, ``LSOA name``,
    ``How it matches``, ``IMD rank``, ``IMD decile``, ``In words``. Editions in which
    no LSOA matches are left out.
    """
    own = next(v for v in editions if v.year == year)
    records = []
    for v in editions:
        table = tables[v.year]
        if v.lsoa_label == own.lsoa_label:
            matches = [(code, "This LSOA")]
        elif own.lsoa_label.endswith("(2021)"):
            rows = lookup[lookup["lsoa21_code"] == code]
            matches = [(r.lsoa11_code, _how_it_matches(r.change_code, 2011)) for r in rows.itertuples()]
        else:
            rows = lookup[lookup["lsoa11_code"] == code]
            matches = [(r.lsoa21_code, _how_it_matches(r.change_code, 2021)) for r in rows.itertuples()]
        ind = next(i for i in indicators_for(v.year) if i.id == "imd_rank")
        for match, how in sorted(matches):
            if match not in table.index:
                continue
            row = table.loc[match]
            decile = row[ind.decile_column(v.year)]
            records.append(
                {
                    "Edition": v.label,
                    "LSOA code": match,
                    "LSOA name": row[AREA_NAME],
                    "How it matches": how,
                    "IMD rank": row[ind.rank_column(v.year)],
                    "IMD decile": decile,
                    "In words": summary.decile_phrase(decile),
                }
            )
    return pd.DataFrame(
        records, columns=["Edition", "LSOA code", "LSOA name", "How it matches", "IMD rank", "IMD decile", "In words"]
    )


# How an LSOA of the other geography matches, by the ONS change code (U, S, M; X = complex):
# looking back from a 2021 LSOA to 2011, and forward from a 2011 LSOA to 2021.
_HOW_IT_MATCHES = {
    2011: {
        "U": "Same LSOA (unchanged 2011 to 2021)",
        "S": "The 2011 LSOA it was split from",
        "M": "One of the 2011 LSOAs merged into it",
        "X": "A 2011 LSOA it overlaps (complex change)",
    },
    2021: {
        "U": "Same LSOA (unchanged 2011 to 2021)",
        "S": "One of the 2021 LSOAs it was split into",
        "M": "The 2021 LSOA it was merged into",
        "X": "A 2021 LSOA it overlaps (complex change)",
    },
}


def _how_it_matches(change: str, towards: int) -> str:
    words = _HOW_IT_MATCHES[towards]
    return words.get(change, words["X"])


def la_decile_counts(areas: pd.DataFrame, la_code: str, vintage: Vintage, subdomains: bool = True) -> pd.DataFrame:
    """How many of an LA's LSOAs fall in each national decile, per domain (long form).

    Returns
    -------
    Columns ``row`` (domain name, profile order), ``decile`` (1..10), ``count``,
    ``share`` (of the LA's LSOAs with data); every decile is present for every row.
    """
    return decile_counts(areas[areas[LA_CODE] == la_code], vintage, subdomains)


def decile_counts(lsoas: pd.DataFrame, vintage: Vintage, subdomains: bool = True) -> pd.DataFrame:
    """How many of the given LSOAs (any place's) fall in each national decile, per domain (long form).

    Columns as ``la_decile_counts``.
    """
    records = []
    for ind in profile_indicators(vintage.year, subdomains):
        deciles = lsoas[ind.decile_column(vintage.year)].dropna().astype(int)
        counts = deciles.value_counts().reindex(range(1, 11), fill_value=0)
        n = int(counts.sum())
        for d, c in counts.items():
            records.append(
                {"row": indicator_name(ind), "decile": int(d), "count": int(c), "share": c / n if n else 0.0}
            )
    return pd.DataFrame(records, columns=["row", "decile", "count", "share"])


def decile_counts_table(counts: pd.DataFrame) -> pd.DataFrame:
    """The text alternative to the decile distribution: one row per domain, one column per decile."""
    wide = counts.pivot(index="row", columns="decile", values="count").reindex(list(dict.fromkeys(counts["row"])))
    wide.columns = [f"Decile {d}" for d in wide.columns]
    wide.insert(0, "LSOAs", wide.sum(axis=1))
    return wide.rename_axis("Domain").reset_index()


def la_extremes(areas: pd.DataFrame, la_code: str, vintage: Vintage, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The LA's ``n`` most and ``n`` least deprived LSOAs on the IMD (ties by code)."""
    ind = next(i for i in indicators_for(vintage.year) if i.id == "imd_rank")
    rank_col, decile_col = ind.rank_column(vintage.year), ind.decile_column(vintage.year)
    la = areas[areas[LA_CODE] == la_code].dropna(subset=[rank_col])
    table = pd.DataFrame(
        {
            "LSOA code": la[AREA_CODE],
            "LSOA name": la[AREA_NAME],
            "Ward": la[WARD_NAME],
            "IMD rank": la[rank_col],
            "IMD decile": la[decile_col],
        }
    )
    ordered = table.sort_values(["IMD rank", "LSOA code"]).reset_index(drop=True)
    least = table.sort_values(["IMD rank", "LSOA code"], ascending=[False, True]).reset_index(drop=True)
    return ordered.head(n), least.head(n)


def la_sentences(
    areas: pd.DataFrame,
    la_code: str,
    vintage: Vintage,
    official: pd.DataFrame | None = None,
    n_las: int | None = None,
) -> list[str]:
    """Plain-language sentences about an LA: its share in England's most deprived 10%, and its rank.

    ``official`` is ``la_summaries.la_summary_table`` for the LA (optional).
    """
    la = areas[areas[LA_CODE] == la_code]
    name = str(la[LA_NAME].iloc[0])
    counts = la_decile_counts(areas, la_code, vintage, subdomains=False)
    sentences = []
    imd = counts[counts["row"] == get_domain("imd").label]
    if len(imd):
        in_first = int(imd.loc[imd["decile"] == 1, "count"].iloc[0])
        total = int(imd["count"].sum())
        sentences.append(
            f"{in_first} of {name}'s {total} LSOAs ({in_first / total:.0%}) are among the 10% most deprived "
            f"in England on the IMD (England: 10%)."
        )
    first = counts[counts["decile"] == 1].sort_values(["share", "row"], ascending=[False, True])
    first = first[first["row"] != get_domain("imd").label]
    if len(first) and first["share"].iloc[0] > 0:
        top = first.iloc[0]
        sentences.append(
            f"The domain with the largest share in England's most deprived 10% is {top['row']}: "
            f"{int(top['count'])} LSOAs ({top['share']:.0%})."
        )
    if official is not None and len(official) and "Rank of average score" in official.columns and n_las:
        rank = official.loc[official["Domain"] == get_domain("imd").label, "Rank of average score"]
        if len(rank) and rank.iloc[0] == rank.iloc[0]:
            sentences.append(
                f"On the official summary, {name} ranks {_ordinal(int(rank.iloc[0]))} most deprived of {n_las} "
                f"local authorities on average IMD score ({vintage.label})."
            )
    return sentences


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
