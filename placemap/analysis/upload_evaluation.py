"""Evaluation with your own areas and data. Pure: no Streamlit.

Two additions to ``placemap.analysis.evaluation``:

* **Treated LSOAs from an uploaded area** (``lsoas_in_areas``): an LSOA is in the
  intervention when the share of its population inside the chosen uploaded area(s) is at
  least a stated threshold (50% by default). The share comes from the population-weighted
  overlay of ``placemap.uploads.uploaded_boundaries.overlay_weights``: the LSOA's population times
  the share of its area inside, so people are assumed spread evenly within each LSOA.
* **An uploaded outcome** (``outcome_frame``): two columns of one uploaded LSOA table as
  "before" and "after", joined with ``placemap.data.values`` to the edition on the same
  LSOAs (IoD2025 for 2021 codes, IoD2019 for 2011 codes). Matching uses that edition's
  domain profile; the estimate is the same difference-in-differences with the same seeded
  bootstrap (``evaluation.evaluate``).

Example
-------
>>> w = pd.DataFrame({"area_id": ["A1", "A1", "A2"], "area_code": ["L1", "L2", "L2"],
...                   "share": [0.9, 0.3, 0.4], "weight": [900.0, 300.0, 400.0]})
>>> lsoas_in_areas(w, ["A1", "A2"], 0.5)[["area_code", "share", "included"]].values.tolist()
[['L1', 0.9, True], ['L2', 0.7, True]]
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from placemap.analysis import change, evaluation, evaluation_inputs, lsoa_change
from placemap.analysis.evaluation_inputs import NO_UPLOADED_VALUE_CODE, UploadOutcome
from placemap.data.catalogue import Indicator
from placemap.data.indicators import EDITION_YEARS
from placemap.data.loaders import AREA_NAME, LA_CODE, LA_NAME, WARD_NAME
from placemap.data.values import indicator_values
from placemap.uploads.table import LSOA11, LSOA21, UploadedTable

DEFAULT_SHARE = 0.5
MIN_SHARE_PERCENT, MAX_SHARE_PERCENT = 10, 100
PAIRS = {LSOA21: (2019, 2025), LSOA11: (2015, 2019)}  # the edition pair an uploaded outcome is saved with
NOT_IN_SESSION = (
    "This intervention's outcome is your uploaded data *{name}* (columns *{before}* → *{after}*), which is not in "
    "this session. Upload the same table again on the Bring your own data page (or open its saved link), then "
    "reopen this intervention; meanwhile the outcome below is the Index of Multiple Deprivation."
)


# --------------------------------------------------------------------------- treated LSOAs from uploaded areas


def lsoas_in_areas(weights: pd.DataFrame, area_ids: Iterable[str], threshold: float = DEFAULT_SHARE) -> pd.DataFrame:
    """LSOAs overlapping the chosen uploaded areas, with the share of their population inside.

    Parameters
    ----------
    weights : from ``uploaded_boundaries.overlay_weights`` (``area_id``, ``area_code``, ``share``, ``weight``)
    area_ids : the uploaded areas that make up the intervention
    threshold : an LSOA is included when its share inside is at least this (0-1)

    Returns
    -------
    One row per overlapping LSOA, largest share first: ``area_code``, ``share`` (summed over
    the chosen areas, at most 1), ``population_inside`` and ``included``.
    """
    chosen = weights[weights["area_id"].isin(list(area_ids))]
    grouped = chosen.groupby("area_code").agg(share=("share", "sum"), population_inside=("weight", "sum"))
    grouped["share"] = grouped["share"].clip(upper=1.0).round(6)
    grouped["included"] = grouped["share"] >= threshold - 1e-9
    out = grouped.reset_index().sort_values(["share", "area_code"], ascending=[False, True], ignore_index=True)
    return out[["area_code", "share", "population_inside", "included"]]


def selection_rule(dataset_name: str, area_names: list[str], threshold: float) -> str:
    """The rule that chose the LSOAs, in words (saved with the intervention; not escaped).

    Example
    -------
    >>> selection_rule("Plans", ["Hawes Side"], 0.5)
    'LSOAs with at least 50% of their population inside Hawes Side (uploaded areas: Plans), by population-weighted overlay.'
    """
    names = ", ".join(area_names[:5]) + (f" and {len(area_names) - 5} more" if len(area_names) > 5 else "")
    return (
        f"LSOAs with at least {threshold:.0%} of their population inside {names} (uploaded areas: {dataset_name}), "
        "by population-weighted overlay."
    )[: evaluation_inputs.RULE_MAX]


def chosen_table(shares: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """The LSOAs of ``lsoas_in_areas`` as a readable table (code, name, LA, share inside, in or out)."""
    names = areas.reindex(shares["area_code"])
    return pd.DataFrame(
        {
            "LSOA code": shares["area_code"].to_numpy(),
            "LSOA name": names[AREA_NAME].to_numpy() if AREA_NAME in names else "",
            "Local authority": names[LA_NAME].to_numpy() if LA_NAME in names else "",
            "Population inside (%)": (shares["share"] * 100).round(1).to_numpy(),
            "In the intervention": np.where(shares["included"], "Yes", "No"),
        }
    )


# --------------------------------------------------------------------------- an uploaded outcome


def outcome_year(geography: str) -> int | None:
    """The edition on the same LSOAs as an uploaded LSOA table (``None`` for wards and LAs)."""
    years = EDITION_YEARS.get(geography)
    return years[0] if years else None


def outcome_for(table: UploadedTable, before: Indicator, after: Indicator) -> UploadOutcome:
    """The saved description of two columns of ``table`` as an outcome."""
    return UploadOutcome(
        dataset_id=table.id,
        dataset_name=table.name[:200],
        before_column=before.table_column,
        after_column=after.table_column,
        before_label=before.label[:120],
        after_label=after.label[:120],
        unit=after.unit[:40],
        polarity=after.polarity,
        geography=table.geography,
    )


def find_outcome(
    tables: list[UploadedTable], outcome: UploadOutcome
) -> tuple[UploadedTable, Indicator, Indicator] | None:
    """The session's table and columns for a saved outcome: the same dataset, else a table on the
    same LSOAs holding both column names (the same file uploaded again)."""
    same = [t for t in tables if t.id == outcome.dataset_id]
    again = [
        t
        for t in tables
        if t.geography == outcome.geography and {outcome.before_column, outcome.after_column} <= set(t.values.columns)
    ]
    for table in same + again:
        by_column = {i.table_column: i for i in table.indicators()}
        if outcome.before_column in by_column and outcome.after_column in by_column:
            return table, by_column[outcome.before_column], by_column[outcome.after_column]
    return None


def profile_frame(national: pd.DataFrame, year: int, domain_id: str, regions: pd.Series) -> pd.DataFrame:
    """Every LSOA of edition ``year`` with its baseline profile (``p_<domain>``), names, LA and region.

    The same columns as ``evaluation.analysis_frame`` except the outcome (added by ``outcome_frame``).
    """
    ids = evaluation.profile_domains(year, domain_id)
    out = pd.DataFrame({f"p_{d}": change.edition_values(national, year, d)[lsoa_change.POSITION] for d in ids})
    out = out.join(national[[AREA_NAME, WARD_NAME, LA_CODE, LA_NAME]])
    out[lsoa_change.REGION_CODE] = regions.reindex(out.index).to_numpy()
    out.index.name = "area_code"
    return out


def outcome_frame(profile: pd.DataFrame, before: pd.Series, after: pd.Series) -> pd.DataFrame:
    """``profile`` with the uploaded outcome: ``value_before``, ``value_after``, ``value_change`` and ``comparable``.

    LSOAs without a value in one of the columns are not comparable (change code ``N``).
    """
    out = profile.copy()
    out["value_before"] = before.reindex(out.index).astype(float).to_numpy()
    out["value_after"] = after.reindex(out.index).astype(float).to_numpy()
    out["value_change"] = out["value_after"] - out["value_before"]
    out["comparable"] = out[["value_before", "value_after"]].notna().all(axis=1)
    out[lsoa_change.CHANGE_CODE] = np.where(out["comparable"], lsoa_change.UNCHANGED, NO_UPLOADED_VALUE_CODE)
    return out


def joined_outcome(
    table: UploadedTable, before: Indicator, after: Indicator, national: pd.DataFrame
) -> tuple[pd.Series, pd.Series] | str:
    """The two columns on their edition's LSOAs (the one join rule), or a note saying why they cannot be used."""
    year = outcome_year(table.geography)
    if year is None:
        return (
            "An outcome for an evaluation must be on LSOAs (2011 or 2021 codes): ward or local-authority values "
            "are the same for every LSOA inside them, so they cannot tell the intervention's LSOAs from their "
            "neighbours. Upload the data by LSOA."
        )
    b, a = (
        indicator_values(before, year, national, table.series(before)),
        indicator_values(after, year, national, table.series(after)),
    )
    if not b.ok or not a.ok:
        return b.note or a.note
    return b.values, a.values
