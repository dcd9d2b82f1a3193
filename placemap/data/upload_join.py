"""Uploaded indicators joined to one edition's LSOAs, so every page can use them like built-in ones.

Pure: no Streamlit. The single rule every page follows (profile, compare, systems,
priorities, hot spots, change, evaluation, map exports):

* an upload keyed by **LSOA 2011** codes joins the editions on 2011 LSOAs (IoD2019, IoD2015);
  one keyed by **LSOA 2021** codes joins IoD2025. The other edition is refused with a note
  rather than guessed through the 2011→2021 lookup (splits and merges change the areas);
* an upload keyed by **ward** or **local authority** codes joins any edition whose areas
  carry those codes: every LSOA takes its ward's (or LA's) value, and the note says so.

Example
-------
>>> import pandas as pd
>>> from placemap.uploads.upload import ColumnSpec, UploadedTable
>>> table = UploadedTable("d1", "Attendance", "Council", "la",
...                       pd.DataFrame({"rate": [91.5]}, index=pd.Index(["E1"], name="area_code")),
...                       [ColumnSpec("rate", "Attendance", "%")])
>>> areas = pd.DataFrame({"la_code": ["E1", "E1", "E2"], "ward_code": ["W1", "W2", "W3"]},
...                      index=pd.Index(["L1", "L2", "L3"], name="area_code"))
>>> joined = lsoa_values(table, table.indicators()[0], 2025, areas)
>>> joined.values.tolist(), joined.note
([91.5, 91.5, nan], "Attendance is for local authorities: each LSOA shows its local authority's value.")
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from placemap.data.catalogue import Indicator
from placemap.data.loaders import LA_CODE, WARD_CODE
from placemap.uploads.upload import GEOGRAPHY_LABELS, GEOGRAPHY_YEAR, LA, LSOA11, LSOA21, WARD, UploadedTable

EDITION_YEARS = {LSOA11: (2019, 2015), LSOA21: (2025,)}
_BROADCAST = {WARD: (WARD_CODE, "ward", "wards"), LA: (LA_CODE, "local authority", "local authorities")}


@dataclass(frozen=True)
class JoinedValues:
    """An uploaded indicator's values on one edition's LSOAs (``None`` with a note when it cannot join)."""

    values: pd.Series | None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.values is not None


def joins_edition(table: UploadedTable, year: int) -> bool:
    """Whether ``table`` can be shown on edition ``year``'s LSOAs."""
    return year in EDITION_YEARS.get(table.geography, (year,))


def lsoa_values(table: UploadedTable, indicator: Indicator, year: int, areas: pd.DataFrame) -> JoinedValues:
    """``indicator`` (one of ``table``'s columns) on ``areas`` (one edition's LSOAs, indexed by code).

    The result is aligned to ``areas.index`` (NaN where the upload has no value).
    """
    raw = table.series(indicator).astype(float)
    if table.geography in EDITION_YEARS:
        if not joins_edition(table, year):
            wanted = "IoD" + " or IoD".join(str(y) for y in EDITION_YEARS[table.geography])
            return JoinedValues(
                None,
                f"{indicator.label} is on {GEOGRAPHY_LABELS[table.geography]}: choose {wanted} to use it "
                "(LSOAs were split and merged between 2011 and 2021, so Placemap does not guess).",
            )
        return JoinedValues(raw.reindex(areas.index), "")
    column, word, words = _BROADCAST[table.geography]
    if column not in areas.columns:
        return JoinedValues(None, f"{indicator.label} is for {words}, which this edition's areas do not list.")
    values = pd.Series(areas[column].map(raw).to_numpy(dtype=float), index=areas.index, name=indicator.label)
    return JoinedValues(values, f"{indicator.label} is for {words}: each LSOA shows its {word}'s value.")


def available(tables: list[UploadedTable], year: int) -> list[tuple[UploadedTable, Indicator]]:
    """Every uploaded indicator that can join edition ``year``, in upload order."""
    return [(t, ind) for t in tables if joins_edition(t, year) for ind in t.indicators()]


def lsoa_frame(tables: list[UploadedTable], year: int, areas: pd.DataFrame) -> tuple[pd.DataFrame, list[Indicator]]:
    """All joinable uploaded indicators as columns (named by indicator id) beside ``areas``' index."""
    columns, indicators = {}, []
    for table, indicator in available(tables, year):
        joined = lsoa_values(table, indicator, year, areas)
        if joined.ok:
            columns[indicator.id] = joined.values
            indicators.append(indicator)
    return pd.DataFrame(columns, index=areas.index), indicators


__all__ = ["GEOGRAPHY_YEAR", "JoinedValues", "available", "joins_edition", "lsoa_frame", "lsoa_values"]
