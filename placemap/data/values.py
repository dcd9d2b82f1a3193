"""An indicator's values on one edition's LSOAs: one accessor for official, registered and uploaded alike.

Pure: no Streamlit. The single rule every page follows (map, profile, compare, systems,
priorities, hot spots, change, evaluation, exports):

* an **official** indicator is its column of the edition's table;
* an indicator on **LSOA 2011** codes joins the editions on 2011 LSOAs (IoD2019, IoD2015);
  one on **LSOA 2021** codes joins IoD2025. The other edition is refused with a note
  rather than guessed through the 2011→2021 lookup (splits and merges change the areas);
* an indicator for **wards** or **local authorities** joins any edition whose areas carry
  those codes: every LSOA takes its ward's (or LA's) value, and the note says so.

Example
-------
>>> import pandas as pd
>>> from placemap.data.indicators import Geography, Indicator, Polarity
>>> ind = Indicator("att", "Attendance", "local", None, "value", "%", Polarity.LOW_IS_WORSE, {}, {}, {},
...                 geography=Geography.LA)
>>> areas = pd.DataFrame({"la_code": ["E1", "E1", "E2"], "ward_code": ["W1", "W2", "W3"]},
...                      index=pd.Index(["L1", "L2", "L3"], name="area_code"))
>>> joined = indicator_values(ind, 2025, areas, pd.Series({"E1": 91.5}))
>>> joined.values.tolist(), joined.note
([91.5, 91.5, nan], "Attendance is for local authorities: each LSOA shows its local authority's value.")
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placemap.data.catalogue import CATALOGUE, Catalogue
from placemap.data.indicators import EDITION_YEARS, GEOGRAPHY_LABELS, Geography, Indicator, rank_among
from placemap.data.loaders import LA_CODE, WARD_CODE

_BROADCAST = {
    Geography.WARD: (WARD_CODE, "ward", "wards"),
    Geography.LA: (LA_CODE, "local authority", "local authorities"),
}


@dataclass(frozen=True)
class JoinedValues:
    """An indicator's values on one edition's LSOAs (``None`` with a note when it cannot join)."""

    values: pd.Series | None
    note: str = ""

    @property
    def ok(self) -> bool:
        return self.values is not None


def indicator_values(
    indicator: Indicator, year: int, areas: pd.DataFrame, source: pd.Series | Catalogue | None = None
) -> JoinedValues:
    """``indicator`` on ``areas`` (edition ``year``'s LSOAs, indexed by code), aligned to ``areas.index``.

    Parameters
    ----------
    indicator : the record
    year : the edition
    areas : the edition's LSOA table (``la_code`` and ``ward_code`` columns for ward and LA data)
    source : the indicator's raw values by area code, or the catalogue that holds them
        (``CATALOGUE`` when not given); unused for official indicators

    Returns
    -------
    JoinedValues
        NaN where there is no value; ``values`` is ``None`` with a plain note when the
        indicator cannot be shown on this edition.
    """
    if indicator.official:
        if year not in indicator.columns:
            return JoinedValues(None, f"{indicator.label} is not published in the IoD{year} edition.")
        return JoinedValues(areas[indicator.columns[year]].astype(float), "")
    raw = (source or CATALOGUE).values_source(indicator.id) if not isinstance(source, pd.Series) else source
    if raw is None:
        return JoinedValues(None, f"{indicator.label} has no values in this session.")
    raw = pd.Series(raw, dtype=float)
    if indicator.geography in EDITION_YEARS:
        if not indicator.joins(year):
            wanted = "IoD" + " or IoD".join(str(y) for y in EDITION_YEARS[indicator.geography])
            return JoinedValues(
                None,
                f"{indicator.label} is on {GEOGRAPHY_LABELS[indicator.geography]}: choose {wanted} to use it "
                "(LSOAs were split and merged between 2011 and 2021, so Placemap does not guess).",
            )
        return JoinedValues(raw.reindex(areas.index).rename(indicator.label), "")
    column, word, words = _BROADCAST[indicator.geography]
    if column not in areas.columns:
        return JoinedValues(None, f"{indicator.label} is for {words}, which this edition's areas do not list.")
    values = pd.Series(areas[column].map(raw).to_numpy(dtype=float), index=areas.index, name=indicator.label)
    return JoinedValues(values, f"{indicator.label} is for {words}: each LSOA shows its {word}'s value.")


def joined_frame(
    indicators: Iterable[Indicator], year: int, areas: pd.DataFrame, catalogue: Catalogue | None = None
) -> tuple[pd.DataFrame, list[Indicator]]:
    """The indicators that join edition ``year`` as columns named by id, beside ``areas``' index.

    Official indicators are skipped (they are ``areas``' own columns already).
    """
    columns, joined = {}, []
    for indicator in indicators:
        if indicator.official:
            continue
        found = indicator_values(indicator, year, areas, catalogue)
        if found.ok:
            columns[indicator.id] = found.values
            joined.append(indicator)
    return pd.DataFrame(columns, index=areas.index), joined


def with_registered(areas: pd.DataFrame, year: int, catalogue: Catalogue | None = None) -> pd.DataFrame:
    """``areas`` with every registered indicator that joins ``year`` as a column named by its id.

    The national table the shared caches hold, so pages find a registered indicator's
    values where they find an official one's (``Indicator.column``). ``areas`` is not changed.
    """
    catalogue = catalogue or CATALOGUE
    key = (year, id(catalogue), catalogue.version, int(pd.util.hash_pandas_object(areas.index).sum()))
    columns = _REGISTERED_COLUMNS.get(key)
    if columns is None:
        # Only those on this edition's LSOAs: another edition's values are never read for it.
        wanted = [i for i in catalogue.registered() if i.joins(year)]
        frame, joined = joined_frame(wanted, year, areas, catalogue)
        positions = [national_positions(frame[indicator.id], indicator, year) for indicator in joined]
        flags = [suppressed_flags(indicator, year, frame[indicator.id], catalogue) for indicator in joined]
        columns = pd.concat([frame, *positions, *[f for f in flags if f is not None]], axis=1) if joined else None
        if len(_REGISTERED_COLUMNS) >= 16:  # a few editions and catalogues per process
            _REGISTERED_COLUMNS.pop(next(iter(_REGISTERED_COLUMNS)))
        _REGISTERED_COLUMNS[key] = columns
    return areas if columns is None else pd.concat([areas, columns], axis=1)


# The registered indicators' columns per (edition, catalogue, its version, the areas' codes): joined
# and ranked once per process, however often a page's cache is cleared (each test session clears it).
_REGISTERED_COLUMNS: dict[tuple, pd.DataFrame | None] = {}


def suppressed_flags(
    indicator: Indicator, year: int, values: pd.Series, catalogue: Catalogue | None = None
) -> pd.Series | None:
    """True where ``values`` is missing because its publisher suppressed it (small numbers), else False.

    Named by ``Indicator.suppressed_column``; ``None`` for indicators whose source never suppresses.

    Example
    -------
    >>> from placemap.data.indicators import Geography, Indicator, Polarity
    >>> ind = Indicator("m", "M", "local", None, "value", "", Polarity.HIGH_IS_WORSE, {}, {}, {},
    ...                 geography=Geography.LSOA21)
    >>> cat = Catalogue()
    >>> _ = cat.register(ind, pd.Series({"A": 1.0}), suppressed=pd.Series({"B": True}))
    >>> suppressed_flags(ind, 2025, pd.Series([1.0, None, None], index=["A", "B", "C"]), cat).tolist()
    [False, True, False]
    """
    raw = (catalogue or CATALOGUE).suppressed_source(indicator.id)
    if raw is None:
        return None
    flags = pd.Series(raw).reindex(values.index).fillna(False).astype(bool) & values.isna()
    return flags.rename(indicator.suppressed_column(year))


def national_positions(values: pd.Series, indicator: Indicator, year: int) -> pd.DataFrame:
    """An indicator's national rank and decile among England's LSOAs with a value (``rank_among``).

    Named by ``Indicator.rank_column`` / ``decile_column``, so tooltips, tables and the
    national-deciles scheme find them where they find the published ones.

    Example
    -------
    >>> from placemap.data.indicators import Geography, Indicator, Polarity
    >>> ind = Indicator("m", "M", "local", None, "value", "", Polarity.HIGH_IS_WORSE, {}, {}, {},
    ...                 geography=Geography.LA)
    >>> national_positions(pd.Series([1.0, 5.0, None, 3.0]), ind, 2025).to_dict("list")
    {'m__rank': [3.0, 1.0, nan, 2.0], 'm__decile': [10.0, 4.0, nan, 7.0]}
    """
    ranks = rank_among(values, indicator.polarity)
    n = max(int(ranks.notna().sum()), 1)
    deciles = np.ceil(10 * ranks / n)
    return pd.DataFrame({indicator.rank_column(year): ranks, indicator.decile_column(year): deciles})
