"""The official IMD summary measures of one local authority across editions, as a table of text."""

from __future__ import annotations

import numpy as np
import pandas as pd

from placemap.data.la_summaries import summary_columns

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
