"""Compare 2 to 6 areas side by side: LSOAs on their national positions, LAs on their decile mix.

Pure functions on an edition's national LSOA table. LSOAs and LAs are compared
separately: an LSOA has one rank per domain, an LA has a spread of LSOAs.

Example
-------
>>> parse_codes("E01000001, e01000002,,E01000001")
['E01000001', 'E01000002']
"""

from __future__ import annotations

import pandas as pd

from placemap.analysis import summary
from placemap.analysis.profile import indicator_name, la_decile_counts, position, profile_indicators
from placemap.data.catalogue import Vintage
from placemap.data.loaders import AREA_NAME, LA_CODE, LA_NAME

MIN_AREAS, MAX_AREAS = 2, 6


def parse_codes(raw: str | None) -> list[str]:
    """Codes from a comma-separated link value: upper-cased, blanks and repeats dropped, order kept."""
    codes = [c.strip().upper() for c in (raw or "").split(",") if c.strip()]
    return list(dict.fromkeys(codes))


def area_label(name: str, code: str) -> str:
    """How an area is named in compare charts and tables: its name and code (names can repeat)."""
    return f"{name} ({code})"


def lsoa_rows(areas: pd.DataFrame, codes: list[str], vintage: Vintage, subdomains: bool = False) -> pd.DataFrame:
    """Long frame of the LSOAs' national positions: one row per domain and LSOA.

    Columns ``domain``, ``row`` (area label), ``code``, ``position``, ``rank``,
    ``decile`` (the spine chart's input, per domain).
    """
    records = []
    for ind in profile_indicators(vintage.year, subdomains):
        rank_col, decile_col = ind.rank_column(vintage.year), ind.decile_column(vintage.year)
        for code in codes:
            row = areas.loc[code]
            records.append(
                {
                    "domain": indicator_name(ind),
                    "row": area_label(row[AREA_NAME], code),
                    "code": code,
                    "position": position(float(row[rank_col]), vintage.n_lsoas),
                    "rank": row[rank_col],
                    "decile": row[decile_col],
                }
            )
    return pd.DataFrame(records, columns=["domain", "row", "code", "position", "rank", "decile"])


def lsoa_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The text alternative to the LSOA compare charts: domain, area, rank, decile, in words."""
    return pd.DataFrame(
        {
            "Domain": rows["domain"],
            "Area": rows["row"],
            "National rank (1 = most deprived)": rows["rank"],
            "National decile": rows["decile"],
            "In words": rows["decile"].map(summary.decile_phrase),
        }
    )


def la_counts(
    areas: pd.DataFrame, la_codes: list[str], vintage: Vintage, la_names: dict[str, str], subdomains: bool = False
) -> pd.DataFrame:
    """Long frame of each LA's LSOAs per national decile: ``domain``, ``row`` (LA label), ``decile``, ``count``, ``share``."""
    frames = []
    for code in la_codes:
        counts = la_decile_counts(areas, code, vintage, subdomains).rename(columns={"row": "domain"})
        counts.insert(1, "row", area_label(la_names.get(code, code), code))
        frames.append(counts)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["domain", "row", "decile"])


def la_table(areas: pd.DataFrame, la_codes: list[str], vintage: Vintage, la_names: dict[str, str]) -> pd.DataFrame:
    """The text alternative to the LA compare charts: per domain and LA, LSOAs in decile 1 and the median rank."""
    records = []
    for ind in profile_indicators(vintage.year, subdomains=False):
        rank_col, decile_col = ind.rank_column(vintage.year), ind.decile_column(vintage.year)
        for code in la_codes:
            la = areas[areas[LA_CODE] == code]
            in_first = int((la[decile_col] == 1).sum())
            records.append(
                {
                    "Domain": indicator_name(ind),
                    "Local authority": area_label(la_names.get(code, str(la[LA_NAME].iloc[0])), code),
                    "LSOAs": len(la),
                    "In most deprived 10%": in_first,
                    "Share in most deprived 10%": round(in_first / len(la), 3) if len(la) else None,
                    "Median LSOA rank": la[rank_col].median(),
                }
            )
    return pd.DataFrame(records)
