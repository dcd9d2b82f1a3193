"""The official local authority summary measures, in one tidy shape for every edition.

MHCLG's File 10 summarises each LA's LSOAs per domain: average rank, average
score, the proportion of its LSOAs in England's most deprived 10%, and for the
IMD the extent and local concentration, each with its rank among LAs (1 = most
deprived). The editions name these columns differently; this module maps them.
IoD2015's bundled table is not the official one (IMD only, re-aggregated to 2021
LAs, no ranks), so its rank columns are empty and it carries a note.

Example
-------
>>> summary_columns(2019, "imd")["rank_of_average_score"]
'IMD - Rank of average score'
>>> summary_columns(2025, "education")["proportion_most_deprived_10"]
'education_skills_and_training_proportion_of_lso_as_in_most_deprived_10_percent_nationally'
"""

from __future__ import annotations

import re

import pandas as pd

from placemap.data.catalogue import domains_for, get_domain, seven_domains

MEASURES: dict[str, str] = {
    "average_rank": "Average rank",
    "rank_of_average_rank": "Rank of average rank",
    "average_score": "Average score",
    "rank_of_average_score": "Rank of average score",
    "proportion_most_deprived_10": "Proportion of LSOAs in most deprived 10%",
    "rank_of_proportion_most_deprived_10": "Rank of proportion in most deprived 10%",
    "extent": "Extent",
    "rank_of_extent": "Rank of extent",
    "local_concentration": "Local concentration",
    "rank_of_local_concentration": "Rank of local concentration",
}

# The 2019 File 10 names a domain by its label, the 2025 one by its label in snake case.
_PREFIX_2019 = {
    "imd": "IMD",
    **{d.id: d.label for d in seven_domains()},
    "idaci": "IDACI",
    "idaopi": "IDAOPI",
}
_PREFIX_2025 = {
    key: re.sub(r"\W+", "_", label.lower()) for key, label in _PREFIX_2019.items() if key not in ("idaci", "idaopi")
}
NOTES = {
    2015: (
        "IoD2015: not the official summary table. IMD only, re-aggregated to 2021 local authorities "
        "(humaniverse/IMD), without ranks; authorities whose 2019 code changed by 2021 have no row."
    ),
}


# How each edition's File 10 names a domain's measures ({p}: the domain's prefix), and the
# IMD's extra measures (extent and local concentration), which carry no domain prefix.
_TEMPLATES = {
    2025: {
        "average_rank": "{p}_average_rank",
        "rank_of_average_rank": "{p}_rank_of_average_rank",
        "average_score": "{p}_average_score",
        "rank_of_average_score": "{p}_rank_of_average_score",
        "proportion_most_deprived_10": "{p}_proportion_of_lso_as_in_most_deprived_10_percent_nationally",
        "rank_of_proportion_most_deprived_10": "{p}_rank_of_proportion_of_lso_as_in_most_deprived_10_percent_nationally",
    },
    2019: {
        "average_rank": "{p} - Average rank",
        "rank_of_average_rank": "{p} - Rank of average rank",
        "average_score": "{p} - Average score",
        "rank_of_average_score": "{p} - Rank of average score",
        "proportion_most_deprived_10": "{p} - Proportion of LSOAs in most deprived 10% nationally",
        "rank_of_proportion_most_deprived_10": "{p} - Rank of proportion of LSOAs in most deprived 10% nationally",
    },
}
_PREFIXES = {2025: _PREFIX_2025, 2019: _PREFIX_2019}
_IMD_EXTRA = {
    2025: {
        "extent": "imd25_extent",
        "rank_of_extent": "imd25_rank_of_extent",
        "local_concentration": "imd25_local_concentration",
        "rank_of_local_concentration": "imd25_rank_of_local_concentration",
    },
    2019: {
        "extent": "IMD 2019 - Extent",
        "rank_of_extent": "IMD 2019 - Rank of extent",
        "local_concentration": "IMD 2019 - Local concentration",
        "rank_of_local_concentration": "IMD 2019 - Rank of local concentration",
    },
}


def summary_columns(year: int, domain_id: str) -> dict[str, str]:
    """Measure key -> column name in the edition's LA summary table for one domain ({} if none)."""
    if year == 2015 and domain_id == "imd":
        return {"average_score": "Score", "proportion_most_deprived_10": "Proportion", "extent": "Extent"}
    prefix = _PREFIXES.get(year, {}).get(domain_id)
    if prefix is None:
        return {}
    columns = {key: template.format(p=prefix) for key, template in _TEMPLATES[year].items()}
    return columns | _IMD_EXTRA[year] if domain_id == "imd" else columns


def la_summary_table(summaries: pd.DataFrame, la_code: str, year: int) -> pd.DataFrame:
    """One row per domain with the LA's official summary measures (ranks: 1 = most deprived).

    Parameters
    ----------
    summaries : the edition's summary table indexed by LA code (``loaders.read_la_summaries``)
    la_code : the LA
    year : the edition

    Returns
    -------
    Columns ``Domain`` then the labels of ``MEASURES`` that the edition publishes;
    empty (no rows) when the table has no row for the LA.
    """
    if la_code not in summaries.index:
        return pd.DataFrame(columns=["Domain"])
    row = summaries.loc[la_code]
    records = []
    for domain in domains_for(year):
        columns = summary_columns(year, domain.id)
        if not columns:
            continue
        record = {"Domain": get_domain(domain.id).label}
        for key, label in MEASURES.items():
            if key in columns and columns[key] in summaries.columns:
                record[label] = row[columns[key]]
        records.append(record)
    frame = pd.DataFrame(records)
    keep = ["Domain"] + [label for label in MEASURES.values() if label in frame.columns]
    return frame[keep]


def la_count(summaries: pd.DataFrame) -> int:
    """Number of LAs ranked in a summary table (the denominator of its ranks)."""
    return len(summaries)


READING_NOTE = (
    "Ranks of the summary measures run from 1 = the most deprived local authority. The average rank is "
    "the population-weighted average of the LA's LSOA ranks counted the other way round (the most "
    "deprived LSOA in England has the highest rank), so a higher average rank means more deprived. "
    "Extent is the share of the LA's population living in the most deprived 30% of LSOAs (weighted); "
    "local concentration is the population-weighted average rank of its most deprived LSOAs "
    "that hold 10% of its population."
)
