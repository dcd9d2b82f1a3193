"""A plan outcome's values in every edition the data has: the indices, the measures and uploaded data.

Pure: no Streamlit, no files (the caller passes the tables). A place is a set of LSOAs; the
editions use two LSOA geographies, so the place is carried between them with the ONS best-fit
lookup by one stated rule (``GEOGRAPHY_RULE``):

* the place is its **2021 LSOAs** (IoD2025, Census 2021);
* for the editions on **2011 LSOAs** (IoD2015, IoD2019, Census 2011) it is the 2011 LSOAs that the
  lookup links to those 2021 LSOAs (a split 2011 LSOA counts once; 2011 LSOAs merged into one of
  the place's LSOAs all count). A place that exists only on the 2011 LSOAs is carried forward
  the same way.

What each kind of indicator reads (``outcome_readings``):

* **indices** (official IoD columns): the population-weighted mean of the place's LSOA values
  (File 10's average score; for ranks, the average rank; for deciles, the decile of that average
  rank), and the place's **position** in England: its average rank as a percentage of England's
  LSOAs (0 = most deprived, 100 = least), which is what the status compares.
* **measures** (IoD File 8 and the Census dimensions): the same measure in each edition that
  publishes it, each made for the place by ``placemap.data.measures.figure_for_place`` (rates
  from summed counts, never averaged); compared on values if the definition stayed the same,
  else shown with the caution.
* **uploaded** indicators: the columns of the same table whose names differ only by a year
  ("Attendance 2019", "Attendance 2023") are one indicator's years; the place's value is its
  own where the data is for that kind of place, else the median of its LSOAs (stated).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placemap.analysis.lsoa_change import translate_codes
from placemap.analysis.plan_progress import Basis, Reading
from placemap.data.indicators import Geography, Indicator, ValueKind
from placemap.data.measure_records import MEASURES
from placemap.data.measure_types import EDITION
from placemap.data.place_types import Place, lsoas_of

GEOGRAPHY_RULE = (
    "The place is its 2021 LSOAs (IoD2025, Census 2021). For IoD2015, IoD2019 and Census 2011, which use "
    "the 2011 LSOAs, it is the 2011 LSOAs the ONS best-fit lookup links to those 2021 LSOAs: a split 2011 "
    "LSOA counts once, and 2011 LSOAs merged into one of the place's LSOAs all count, so the edges can "
    "differ slightly between editions."
)
INDEX_RULE = (
    "Index values are the population-weighted mean of the place's LSOAs (IoD File 10's method); the "
    "position is the place's average rank as a percentage of England's LSOAs (0 = most deprived, 100 = "
    "least). Ranks are relative, so the status compares positions: England moves too."
)
SCORE_CAUTION = (
    "Index scores are not comparable between editions, so the status compares the place's position in "
    "England (from the same domain's ranks) rather than the scores."
)
UPLOAD_CAUTION = "Placemap cannot check that your data was measured the same way in every year."
_YEAR_SUFFIX = re.compile(r"^(?P<stem>.*?)[\s_:(-]*(?P<year>(?:19|20)\d{2})\)?\s*$")


@dataclass(frozen=True)
class PlaceLsoas:
    """A place's LSOAs on both geographies, and how they were found."""

    lsoa21: tuple[str, ...]
    lsoa11: tuple[str, ...]
    rule: str = GEOGRAPHY_RULE

    def on(self, year: int) -> tuple[str, ...]:
        """The LSOAs of the geography edition (or census) ``year`` uses."""
        return self.lsoa21 if year in (2021, 2025) else self.lsoa11

    @property
    def empty(self) -> bool:
        return not self.lsoa21 and not self.lsoa11


def place_lsoas(
    place: Place,
    lookup21: pd.DataFrame,
    lookup11: pd.DataFrame,
    lsoa_lookup: pd.DataFrame,
    codes: Sequence[str] | None = None,
) -> PlaceLsoas:
    """The place's LSOAs on the 2021 and the 2011 geographies (``GEOGRAPHY_RULE``).

    ``codes`` gives the LSOAs of a place the lookups do not name (an uploaded or drawn area,
    in either geography); otherwise they come from the place lookups of IoD2025 (``lookup21``)
    and IoD2019 (``lookup11``).

    Example
    -------
    >>> lk = pd.DataFrame({"lsoa11_code": ["A11", "B11", "C11"], "lsoa21_code": ["A21", "M21", "M21"],
    ...                    "change_code": ["U", "M", "M"]})
    >>> l21 = pd.DataFrame({"ward_code": ["W", "W"]}, index=["A21", "M21"])
    >>> place_lsoas(Place("ward", "W"), l21, pd.DataFrame({"ward_code": []}), lk).lsoa11
    ('A11', 'B11', 'C11')
    """
    if codes is not None:
        found = list(dict.fromkeys(codes))
        on21, _ = translate_codes(found, "lsoa21", lsoa_lookup)
    else:
        on21 = lsoas_of(lookup21, place)
        if not on21:
            on11 = lsoas_of(lookup11, place)
            on21, _ = translate_codes(on11, "lsoa21", lsoa_lookup) if on11 else ([], [])
    on11, _ = translate_codes(list(on21), "lsoa11", lsoa_lookup) if on21 else ([], [])
    return PlaceLsoas(tuple(sorted(on21)), tuple(sorted(on11)))


def _weighted(values: pd.Series, weights: pd.Series) -> float | None:
    ok = values.notna() & weights.notna() & (weights > 0)
    if not ok.any():
        return None
    return float(np.average(values[ok], weights=weights[ok]))


def index_readings(indicator: Indicator, lsoas: PlaceLsoas, inputs: Mapping[int, pd.DataFrame]) -> list[Reading]:
    """An official index indicator's readings for the place, one per edition in ``inputs``.

    ``inputs`` maps an edition to its LSOA table (``read_summary_inputs``: every LSOA in
    England, its rank and score columns and ``population``).
    """
    out = []
    for year in sorted(y for y in indicator.columns if y in inputs):
        table = inputs[year]
        rank_col = indicator.rank_columns.get(year)
        edition = f"IoD{year}"
        codes = table.index.intersection(pd.Index(lsoas.on(year)))
        if rank_col not in table.columns or not len(codes):
            out.append(Reading(year, edition, None, note="No LSOA of the place in this edition."))
            continue
        n = int(table[rank_col].notna().sum())
        rows = table.loc[codes]
        mean_rank = _weighted(rows[rank_col].astype(float), rows["population"].astype(float))
        if mean_rank is None:
            out.append(Reading(year, edition, None, note="The place's LSOAs have no rank in this edition."))
            continue
        position = 100.0 * mean_rank / n
        if indicator.value_kind is ValueKind.RANK:
            value = mean_rank
        elif indicator.value_kind is ValueKind.DECILE:
            value = float(min(10, max(1, int(np.ceil(position / 10)))))
        else:
            column = indicator.columns[year]
            value = (
                _weighted(rows[column].astype(float), rows["population"].astype(float))
                if column in rows.columns
                else None
            )
        out.append(Reading(year, edition, value, position, note=f"{len(codes)} LSOAs"))
    return out


def measure_of(indicator_id: str):
    """The measure record behind a measure indicator's id (``children_..._2019``), or ``None``."""
    for m in MEASURES:
        if f"{m.id}_{m.year}" == indicator_id:
            return m
    return None


def measure_years(measure) -> list:
    """The records of the same measure in every edition that publishes it, oldest first."""
    return sorted((m for m in MEASURES if m.id == measure.id), key=lambda m: m.year)


def measure_readings(measure, lsoas: PlaceLsoas, tables: Mapping[int, object], figure: Callable) -> list[Reading]:
    """A measure's readings for the place in every edition of ``tables`` (``read_measures``).

    ``figure`` is ``placemap.data.measures.figure_for_place`` (passed in so tests can use small
    tables); values are in the unit shown (``Measure.multiplier``).
    """
    out = []
    for m in measure_years(measure):
        table = tables.get(m.year)
        if table is None:
            continue
        codes = list(lsoas.on(m.year))
        fig = figure(table, m.id, codes)
        value = None if fig.value is None else float(fig.value) * m.multiplier
        note = fig.how if value is not None else f"No single figure for the place: {fig.how}"
        out.append(Reading(m.year, EDITION[m.year], value, note=note[:300]))
    return out


def measure_basis(measure) -> tuple[Basis, str]:
    """Whether a measure compares on values (same definition in each edition) or needs the caution."""
    records = measure_years(measure)
    later = [m for m in records if m.year != records[0].year]
    if all(m.comparable for m in records) or not later:
        return Basis.ABSOLUTE, ""
    reasons = [m.comparable_reason for m in later if not m.comparable and m.comparable_reason]
    return Basis.CHANGED, " ".join(dict.fromkeys(reasons)) or "The definition differs between editions."


def year_in_label(label: str) -> tuple[str, int | None]:
    """A column label's stem and the year it ends with, if any.

    >>> year_in_label("Attendance 2019"), year_in_label("attendance_2023"), year_in_label("Pupils")
    (('Attendance', 2019), ('attendance', 2023), ('Pupils', None))
    """
    match = _YEAR_SUFFIX.match(label.strip())
    if not match or not match.group("stem"):
        return label.strip(), None
    return match.group("stem").strip(), int(match.group("year"))


def upload_years(indicator: Indicator, siblings: Sequence[Indicator]) -> list[tuple[int, Indicator]]:
    """The years of an uploaded indicator: the columns of its table with the same stem and a year.

    ``siblings`` are the indicators of the same uploaded table. A column with no year stands alone
    (year 0).
    """
    stem, year = year_in_label(indicator.label)
    if year is None:
        return [(0, indicator)]
    found = {}
    for other in siblings:
        other_stem, other_year = year_in_label(other.label)
        if other_year is not None and other_stem.casefold() == stem.casefold():
            found.setdefault(other_year, other)
    return sorted(found.items())


_UPLOAD_PLACE = {Geography.LA: "la", Geography.WARD: "ward"}


def upload_readings(
    years: Sequence[tuple[int, Indicator]], place: Place, lsoas: PlaceLsoas, values: Callable[[Indicator], pd.Series]
) -> list[Reading]:
    """Readings of an uploaded indicator's years for the place (``values`` gives a column's values)."""
    out = []
    for year, ind in years:
        series = values(ind)
        label = f"{year}" if year else ind.label
        if series is None:
            out.append(Reading(year, label, None, note="The uploaded data is not available in this session."))
            continue
        series = pd.Series(series, dtype=float)
        kind = _UPLOAD_PLACE.get(ind.geography)
        if kind is not None:
            if place.type == kind:
                value = series.get(place.code)
                out.append(
                    Reading(year, label, None if pd.isna(value) else float(value), note="The place's own value.")
                )
            else:
                out.append(
                    Reading(year, label, None, note=f"Your data is for {ind.geography.value} areas, not this place.")
                )
            continue
        codes = lsoas.lsoa21 if ind.geography is Geography.LSOA21 else lsoas.lsoa11
        present = series.reindex(list(codes)).dropna()
        if present.empty:
            out.append(Reading(year, label, None, note="No LSOA of the place has a value."))
            continue
        note = (
            f"The middle (median) value of the place's {len(present)} LSOAs: Placemap does not know whether "
            "your numbers can be added, so it does not average them."
        )
        out.append(
            Reading(
                year,
                label,
                float(present.median()) if len(present) > 1 else float(present.iloc[0]),
                note=note if len(present) > 1 else "The LSOA's own value.",
            )
        )
    return out


@dataclass(frozen=True)
class OutcomeData:
    """What the data says about an outcome: its readings, how they compare, and the notes to state."""

    readings: tuple[Reading, ...]
    basis: Basis
    caution: str = ""
    rule: str = ""
    gone: bool = False  # the indicator's source is no longer available: the stored readings are shown


def stored_data(readings: Sequence[Reading], basis: Basis, note: str) -> OutcomeData:
    """An outcome shown from the readings it was saved with (source deleted, or plan frozen)."""
    return OutcomeData(tuple(readings), basis, caution=note, gone=True)


def basis_for(indicator: Indicator) -> tuple[Basis, str]:
    """How an indicator's readings compare, and the caution to state (``Basis``)."""
    if indicator.official:
        caution = SCORE_CAUTION if indicator.value_kind not in (ValueKind.RANK, ValueKind.DECILE) else ""
        return Basis.RELATIVE, caution
    measure = measure_of(indicator.id)
    if measure is not None:
        return measure_basis(measure)
    return Basis.OWN, UPLOAD_CAUTION


def frozen(readings: Sequence[Reading], year: int | None) -> tuple[Reading, ...]:
    """The readings a plan frozen to edition ``year`` shows (all of them when not frozen)."""
    return tuple(r for r in readings if year is None or r.year <= year)
