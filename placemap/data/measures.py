"""Read the measures behind the indices, keep suppressed apart from missing, make rates honestly.

Pure: pandas only, no Streamlit, no caching (``placemap.ui.cache`` may wrap ``read_measures``).
The records (labels, units, direction, how each rate is made) live in
``placemap.data.measure_records``.

Three rules, stated where they are used:

* **A rate is a ratio of counts.** Where a count has a denominator in the data, an LSOA's
  rate is count ÷ denominator and a place's rate is the sum of its LSOAs' counts ÷ the sum
  of their denominators (``rate_for_place``), never an average of LSOA rates.
* **Suppressed is not missing.** MHCLG rounded File 8 counts to the nearest 5 and left out
  counts under 10. Such a count is *suppressed (small numbers)*: the loader marks it in
  ``MeasureTable.suppressed``, apart from values that are simply absent (*no data*).
* **Suppressed counts in a place's rate** are counted as 5, the middle of the 0–9 they
  hide, and the figure carries the range from counting them all as 0 to all as 9
  (``SUPPRESSED_RULE``). Counting them as 0 would understate small areas (the City of
  London's employment rate would miss IoD2019's published figure by 0.0034).

``figure_for_place`` applies these to any place, and gives no single value where one would
need an average of LSOA values (an indicator published only for LSOAs).

Example
-------
>>> import pandas as pd
>>> r = rate_for_place(pd.Series([40.0, None, 60.0]), pd.Series([400.0, 300.0, 300.0]))
>>> round(r.value, 4), round(r.low, 4), round(r.high, 4), r.n_suppressed
(0.105, 0.1, 0.109, 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from placemap.data.loaders import AREA_CODE, DataFileError, data_path
from placemap.data.measure_records import Measure, Polarity, ValueKind, get_measure, measures_for
from placemap.data.measure_types import (
    DENOMINATOR_FILES,
    LA_LEVEL_NOTE,
    MEASURE_FILES,
    NO_DATA_LABEL,
    NO_DENOMINATOR_NOTE,
    SUPPRESSED_LABEL,
    SUPPRESSION_THRESHOLD,
)

SUPPRESSED_AS = 5.0  # the middle of the 0-9 a suppressed count hides
SUPPRESSED_LOW, SUPPRESSED_HIGH = 0.0, float(SUPPRESSION_THRESHOLD - 1)
SUPPRESSED_RULE = (
    "MHCLG suppressed counts under 10 (small numbers). In a place's rate each suppressed count is taken "
    "as 5, the middle of the 0 to 9 it hides, and the range shows the rate with all of them at 0 and all at 9."
)
RATE_RULE = (
    "A place's rate is the sum of its LSOAs' counts divided by the sum of their denominators, "
    "never an average of the LSOAs' rates."
)
HAS_VALUE = "value"
STATUSES = (HAS_VALUE, SUPPRESSED_LABEL, NO_DATA_LABEL)
# A measure counts as LA level when its value is the same on every LSOA of nearly every LA;
# "nearly" because the data's districts can predate the boundary files' (2019 mergers, Cherwell).
LA_LEVEL_SHARE = 0.95


@dataclass(frozen=True)
class MeasureTable:
    """One edition's measures for every LSOA.

    ``values`` holds each measure in its stored unit (a proportion for % measures: multiply
    by ``Measure.multiplier`` to show it), NaN where there is no value. ``suppressed`` is
    True where the value is empty because its count was suppressed. ``counts`` and
    ``denominators`` hold the counts behind count-based measures (NaN where suppressed)
    and the denominators of rates made here.
    """

    year: int
    values: pd.DataFrame
    suppressed: pd.DataFrame
    counts: pd.DataFrame
    denominators: pd.DataFrame

    def status(self, measure_id: str) -> pd.Series:
        """Per LSOA: ``"value"``, ``"suppressed (small numbers)"`` or ``"no data"`` (a categorical)."""
        values = self.values[measure_id]
        labels = np.where(
            values.notna(), HAS_VALUE, np.where(self.suppressed[measure_id], SUPPRESSED_LABEL, NO_DATA_LABEL)
        )
        return pd.Series(pd.Categorical(labels, categories=STATUSES), index=values.index, name=measure_id)


def _read_parquet(path: Path, columns: list[str]) -> pd.DataFrame:
    if not path.exists():
        raise DataFileError(f"{path.name}: file not found at {path}")
    try:
        names = pq.read_schema(path).names
    except Exception as exc:
        raise DataFileError(f"{path.name}: could not be read ({type(exc).__name__}: {exc})") from exc
    needed = [AREA_CODE, *columns]
    missing = [c for c in needed if c not in names]
    if missing:
        raise DataFileError(f"{path.name}: missing column(s) {', '.join(missing)}")
    try:
        frame = pd.read_parquet(path, columns=needed)
    except Exception as exc:
        raise DataFileError(f"{path.name}: could not be read ({type(exc).__name__}: {exc})") from exc
    duplicated = frame.loc[frame[AREA_CODE].duplicated(), AREA_CODE]
    if len(duplicated):
        raise DataFileError(f"{path.name}: duplicate area code(s): {', '.join(map(str, duplicated.unique()[:5]))}")
    for column in columns:
        if not pd.api.types.is_numeric_dtype(frame[column]):
            raise DataFileError(f"{path.name}: column {column} holds text where numbers were expected")
    return frame.set_index(AREA_CODE)


def read_measures(year: int, data_dir: Path | str | None = None) -> MeasureTable:
    """Read every measure of one edition for every LSOA, checked, with suppressed kept apart.

    Parameters
    ----------
    year
        2019 or 2025 (IoD underlying indicators) or 2011 or 2021 (Census household deprivation).
    data_dir
        The data folder (default: the bundled ``data/``).

    Returns
    -------
    MeasureTable
        Values, suppression flags, counts and denominators indexed by ``area_code``.

    Raises
    ------
    ValueError
        (``DataFileError``) naming the file if it is missing or unreadable, lacks a column,
        repeats an area code, holds text or negative counts, or if its LSOAs are not all in
        the edition's IoD table that holds the denominators.
    """
    measures = measures_for(year)
    path = data_path(MEASURE_FILES[year], data_dir)
    local = {m.column for m in measures} | {c for m in measures for c in m.numerator_columns}
    denominator_file = DENOMINATOR_FILES.get(year)
    outside = {m.denominator_column for m in measures if m.denominator_column} | {
        m.published_column for m in measures if m.published_column
    }
    outside.discard(None)
    if denominator_file is None:  # Census: the household total sits in the same file
        local |= outside
        outside = set()
    frame = _read_parquet(path, sorted(local))
    counted = sorted({c for m in measures for c in m.numerator_columns} | (local - {m.column for m in measures}))
    if (frame[counted] < 0).any().any():
        raise DataFileError(f"{path.name}: negative counts")
    if outside:
        other_path = data_path(denominator_file, data_dir)
        other = _read_parquet(other_path, sorted(outside))
        unknown = frame.index.difference(other.index)
        if len(unknown):
            raise DataFileError(
                f"{path.name}: {len(unknown)} area code(s) are not in {other_path.name}, e.g. {', '.join(unknown[:5])}"
            )
        population = [m.denominator_column for m in measures if m.denominator_column]
        if (other[population] < 0).any().any():
            raise DataFileError(f"{other_path.name}: negative population denominators")
        frame = frame.join(other)

    values, suppressed, count_frame, denominators = {}, {}, {}, {}
    for m in measures:
        # min_count: a count made of several columns is unknown if any of them is.
        count = (
            frame[list(m.numerator_columns)].sum(axis=1, min_count=len(m.numerator_columns))
            if m.numerator_columns
            else None
        )
        count_missing = count.isna() if count is not None else pd.Series(False, index=frame.index)
        if count is not None:
            count_frame[m.id] = count
        if m.value_kind is ValueKind.RATE_MADE:
            denominator = frame[m.denominator_column].where(frame[m.denominator_column] > 0)
            denominators[m.id] = denominator
            values[m.id] = count / denominator
            suppressed[m.id] = count_missing & denominator.notna()
        elif m.value_kind is ValueKind.COUNT:
            values[m.id] = count
            suppressed[m.id] = count_missing
        elif m.published_column:
            values[m.id] = frame[m.published_column].astype(float)
            suppressed[m.id] = pd.Series(False, index=frame.index)
        else:
            values[m.id] = frame[m.column].astype(float)
            suppressed[m.id] = pd.Series(False, index=frame.index)
    index = frame.index
    return MeasureTable(
        year=year,
        values=pd.DataFrame(values, index=index),
        suppressed=pd.DataFrame(suppressed, index=index).astype(bool),
        counts=pd.DataFrame(count_frame, index=index),
        denominators=pd.DataFrame(denominators, index=index),
    )


@dataclass(frozen=True)
class PlaceRate:
    """A place's rate: the ratio of summed counts, with the range suppressed counts leave open."""

    value: float
    low: float
    high: float
    numerator: float
    denominator: float
    n_areas: int
    n_suppressed: int
    n_no_data: int

    @property
    def exact(self) -> bool:
        return self.n_suppressed == 0

    def sentence(self) -> str:
        """How the figure was made, in plain words, for the page."""
        text = f"Made from {self.n_areas:,} LSOAs: {RATE_RULE[0].lower()}{RATE_RULE[1:]}"
        if self.n_suppressed:
            text += f" {self.n_suppressed:,} of their counts were suppressed (small numbers): {SUPPRESSED_RULE}"
        if self.n_no_data:
            text += f" {self.n_no_data:,} LSOA(s) with no data were left out."
        return text


def rate_for_place(counts: pd.Series, denominators: pd.Series, suppressed: pd.Series | None = None) -> PlaceRate:
    """A place's rate as the sum of its LSOAs' counts over the sum of their denominators.

    Parameters
    ----------
    counts, denominators
        One value per LSOA of the place (same index). An empty count with a known
        denominator is a suppressed count, unless ``suppressed`` says otherwise.
    suppressed
        Optional flags per LSOA: an empty count *not* flagged is "no data" and its LSOA is
        left out of both sums.

    Returns
    -------
    PlaceRate
        ``value`` with suppressed counts at 5, ``low``/``high`` with them at 0 and 9
        (``SUPPRESSED_RULE``); NaN everywhere when no LSOA has a denominator.
    """
    counts = pd.to_numeric(counts, errors="coerce").astype(float)
    denominators = pd.to_numeric(denominators, errors="coerce").astype(float).reindex(counts.index)
    has_denominator = denominators.notna() & (denominators > 0)
    hidden = counts.isna() & has_denominator
    if suppressed is not None:
        flagged = suppressed.reindex(counts.index).fillna(False).astype(bool)
        no_data = hidden & ~flagged
        hidden = hidden & flagged
    else:
        no_data = pd.Series(False, index=counts.index)
    used = has_denominator & ~no_data
    known = counts[used & ~hidden].sum()
    denominator = denominators[used].sum()
    n_hidden = int(hidden.sum())
    n_no_data = int((~used).sum())
    if denominator <= 0:
        nan = float("nan")
        return PlaceRate(nan, nan, nan, nan, 0.0, 0, n_hidden, n_no_data)
    numerator = known + SUPPRESSED_AS * n_hidden
    return PlaceRate(
        value=float(numerator / denominator),
        low=float((known + SUPPRESSED_LOW * n_hidden) / denominator),
        high=float((known + SUPPRESSED_HIGH * n_hidden) / denominator),
        numerator=float(numerator),
        denominator=float(denominator),
        n_areas=int(used.sum()),
        n_suppressed=n_hidden,
        n_no_data=n_no_data,
    )


def la_level_measures(values: pd.DataFrame, la_codes: pd.Series, share: float = LA_LEVEL_SHARE) -> list[str]:
    """Measures whose value is one figure repeated on every LSOA of (nearly) every LA.

    Parameters
    ----------
    values
        Measures by LSOA (columns are measure ids), e.g. ``MeasureTable.values``.
    la_codes
        Each LSOA's LA code (same index).
    share
        The least share of LAs (with two or more LSOAs holding a value) that must show a
        single value; below 1 because the data's districts can predate the boundaries'.
    """
    la = la_codes.reindex(values.index)
    found = []
    for column in values.columns:
        distinct = values[column].groupby(la).nunique()
        sizes = values[column].groupby(la).count()
        judged = distinct[sizes >= 2]
        if len(judged) and (judged <= 1).mean() >= share:
            found.append(column)
    return found


def legend_text(measure: Measure) -> str:
    """The direction and unit line under a legend: "Higher = ... (unit). Darker = worse."."""
    text = f"Higher = {measure.direction} ({measure.unit})."
    if measure.polarity is Polarity.HIGHER_IS_BETTER:
        return f"{text} Darker = worse, so darker = lower here."
    return f"{text} Darker = worse."


def darker_means_higher(measure: Measure) -> bool:
    """Whether the darker end of the map's colours holds the higher values ("darker = worse")."""
    return measure.polarity is Polarity.HIGHER_IS_WORSE


def how_made(measure: Measure) -> str:
    """One sentence on where an LSOA's value comes from and how a place's figure is made."""
    if measure.la_level:
        return f"Published for local authorities: {LA_LEVEL_NOTE}."
    if measure.value_kind is ValueKind.RATE_MADE:
        return f"Count ÷ its denominator ({measure.denominator_column}). {RATE_RULE} {SUPPRESSED_RULE}"
    if measure.value_kind is ValueKind.COUNT:
        return f"Shown as {NO_DENOMINATOR_NOTE}."
    if measure.value_kind is ValueKind.PUBLISHED_RATE:
        return (
            "The rate MHCLG publishes for each LSOA; an LA's figure is MHCLG's published LA summary "
            "(its denominators are not in the data, so no other place gets a rate)."
        )
    return "As published for each LSOA; a place's figure is not made by averaging LSOAs."


def display_values(table: MeasureTable, measure_id: str) -> pd.Series:
    """One measure's LSOA values in the unit shown (e.g. % rather than a proportion)."""
    return table.values[measure_id] * get_measure(measure_id, table.year).multiplier


@dataclass(frozen=True)
class PlaceFigure:
    """One measure's figure for a place of several LSOAs, and how it was made.

    ``value`` (stored unit) is None where no honest single figure exists, e.g. an indicator
    published only for LSOAs: ``lsoa_median`` then summarises the place's LSOAs instead.
    """

    measure_id: str
    value: float | None
    low: float | None
    high: float | None
    how: str
    n_areas: int
    n_suppressed: int = 0
    lsoa_median: float | None = None


def figure_for_place(
    table: MeasureTable, measure_id: str, area_codes: list[str] | pd.Index, published_la_value: float | None = None
) -> PlaceFigure:
    """The figure a page shows for a place (an LA, a ward, a chosen group of LSOAs).

    Parameters
    ----------
    table
        ``read_measures`` for the edition.
    measure_id
        The measure.
    area_codes
        The place's LSOAs (codes not in the table are ignored).
    published_la_value
        MHCLG's published figure when the place is one LA and the measure has one
        (``Measure.la_published_column``); used for rates whose denominators the data lack.

    Returns
    -------
    PlaceFigure
        Rates made here: the ratio of summed counts (``rate_for_place``); counts: their sum,
        suppressed counts at 5 with the 0-9 range; LA-level values: the LA's value when the
        place lies in one LA; published rates: the published LA figure if given; anything
        else: no single value (never an average of LSOAs), with the median LSOA.
    """
    m = get_measure(measure_id, table.year)
    codes = table.values.index.intersection(pd.Index(area_codes))
    values = table.values.loc[codes, measure_id]
    median = float(values.median()) if values.notna().any() else None
    if len(codes) == 1 and values.notna().all():
        return PlaceFigure(measure_id, float(values.iloc[0]), None, None, "The LSOA's own value.", 1)
    if m.la_level:
        distinct = values.dropna().unique()
        if len(distinct) == 1:
            return PlaceFigure(
                measure_id, float(distinct[0]), None, None, f"Published for the LA: {LA_LEVEL_NOTE}.", len(codes)
            )
        return PlaceFigure(
            measure_id,
            None,
            None,
            None,
            "Published for LAs only, and this place spans LAs with different values.",
            len(codes),
            lsoa_median=median,
        )
    if m.value_kind is ValueKind.RATE_MADE:
        rate = rate_for_place(table.counts.loc[codes, measure_id], table.denominators.loc[codes, measure_id])
        value = None if np.isnan(rate.value) else rate.value
        low, high = (rate.low, rate.high) if rate.n_suppressed else (None, None)
        return PlaceFigure(measure_id, value, low, high, rate.sentence(), rate.n_areas, rate.n_suppressed, median)
    if m.value_kind is ValueKind.COUNT:
        counts = table.counts.loc[codes, measure_id]
        hidden = int(counts.isna().sum())
        known = float(counts.sum())
        how = f"The sum of {len(codes):,} LSOAs' counts ({NO_DENOMINATOR_NOTE})."
        if hidden:
            how += f" {hidden:,} were suppressed (small numbers) and are counted as 5 each (range 0 to 9)."
        low, high = (known, known + SUPPRESSED_HIGH * hidden) if hidden else (None, None)
        return PlaceFigure(measure_id, known + SUPPRESSED_AS * hidden, low, high, how, len(codes), hidden, median)
    if m.value_kind is ValueKind.PUBLISHED_RATE and published_la_value is not None:
        return PlaceFigure(
            measure_id, float(published_la_value), None, None, "MHCLG's published LA figure.", len(codes)
        )
    return PlaceFigure(
        measure_id,
        None,
        None,
        None,
        "Published for LSOAs only: a place's figure would need an average of its LSOAs, which Placemap does "
        "not make. The middle LSOA's value is shown instead.",
        len(codes),
        lsoa_median=median,
    )
