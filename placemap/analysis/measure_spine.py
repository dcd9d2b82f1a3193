"""A Fingertips-style spine of measures for one LSOA: its value, its LA's, England's, and where it sits. Pure.

For each measure of an edition (the IoD File 8 indicators and the Census household
dimensions of the same LSOA geography), theme by theme:

* the **LSOA's value**, or why it has none (suppressed (small numbers), or no data);
* its **LA's** and **England's** figures made by ``placemap.data.measures.figure_for_place``:
  a ratio of summed counts for rates, a sum for counts, the LA's own value for LA-level
  measures, and never an average of LSOA rates; where no honest single figure exists the
  middle LSOA's value is shown and the "how" column says so;
* its **position** among England's LSOAs with a value, 0 = the worst, 100 = the best
  (following each measure's real direction: for connectivity higher is better).

Example
-------
>>> import pandas as pd
>>> position_in_england(pd.Series([1.0, 2.0, 3.0, 4.0]), 4.0, higher_is_worse=True)
12.5
>>> position_in_england(pd.Series([1.0, 2.0, 3.0, 4.0]), 4.0, higher_is_worse=False)
87.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from placemap.data.indicator_picker import THEME_LABELS, THEME_ORDER
from placemap.data.measure_catalogue import THEME, measure_indicator
from placemap.data.measure_records import Measure, Polarity, measures_for
from placemap.data.measures import MeasureTable, PlaceFigure, figure_for_place
from placemap.data.prepare import NO_DATA_TEXT, SUPPRESSED_TEXT

# The measure editions on each IoD edition's LSOAs (IoD2015 has none bundled).
MEASURE_YEARS = {2025: (2025, 2021), 2019: (2019, 2011)}
COLUMNS = [
    "Theme",
    "Measure",
    "Unit",
    "This LSOA",
    "Status",
    "Local authority",
    "England",
    "Position in England (0 = worst, 100 = best)",
    "Higher means",
    "How the LA figure was made",
    "How England's figure was made",
    "Edition",
]
POSITION = "Position in England (0 = worst, 100 = best)"
LA_POSITION = "_la_position"  # where the LA's figure would sit among England's LSOAs (the chart's diamond)


def measure_years(year: int) -> tuple[int, ...]:
    """The measure editions shown with IoD edition ``year`` (same LSOAs); empty for IoD2015."""
    return MEASURE_YEARS.get(year, ())


def position_in_england(values: pd.Series, value: float, higher_is_worse: bool) -> float:
    """Where ``value`` sits among ``values`` (England's LSOAs), 0 = worst, 100 = best; ties count half.

    NaN when ``value`` is missing or England has no values.
    """
    present = values.dropna().to_numpy(dtype=float)
    if value is None or value != value or not len(present):
        return float("nan")
    worse = (present > value) if higher_is_worse else (present < value)
    ties = present == value
    return float(100.0 * (worse.sum() + 0.5 * ties.sum()) / len(present))


def _shown(figure: PlaceFigure, m: Measure) -> tuple[float, str]:
    if figure.value is not None:
        return figure.value * m.multiplier, figure.how
    if figure.lsoa_median is not None:
        return figure.lsoa_median * m.multiplier, f"{figure.how} (Shown: the middle LSOA.)"
    return float("nan"), figure.how


def england_figures(table: MeasureTable) -> dict[str, PlaceFigure]:
    """England's figure of every measure of ``table``'s edition (the same for every LSOA: cache it)."""
    codes = table.values.index
    return {m.id: figure_for_place(table, m.id, codes) for m in measures_for(table.year)}


def measure_spine(
    table: MeasureTable,
    lsoa: str,
    la_lsoas: list[str] | pd.Index,
    england: dict[str, PlaceFigure] | None = None,
) -> pd.DataFrame:
    """One row per measure of ``table``'s edition for ``lsoa``, theme by theme (``COLUMNS``).

    Parameters
    ----------
    table : ``read_measures`` of one edition
    lsoa : the LSOA's code (of the edition's geography)
    la_lsoas : the LSOAs of its local authority
    england : ``england_figures(table)``, computed here when not given

    Returns
    -------
    pandas.DataFrame
        Values in the unit shown (% rather than proportions); NaN where there is none, with
        ``Status`` saying why ("Suppressed (small numbers)" or "No data").
    """
    england = england or england_figures(table)
    rows = []
    for m in measures_for(table.year):
        values = table.values[m.id]
        own = values.get(lsoa, np.nan)
        if own == own:
            status = ""
        elif lsoa in table.suppressed.index and bool(table.suppressed.at[lsoa, m.id]):
            status = SUPPRESSED_TEXT
        else:
            status = NO_DATA_TEXT
        la_value, la_how = _shown(figure_for_place(table, m.id, la_lsoas), m)
        england_value, england_how = _shown(england[m.id], m)
        theme = THEME[m.theme]
        rows.append(
            {
                "Theme": THEME_LABELS[theme],
                "Measure": m.label,
                "Unit": m.unit,
                "This LSOA": own * m.multiplier if own == own else np.nan,
                "Status": status,
                "Local authority": la_value,
                "England": england_value,
                POSITION: position_in_england(values, own, m.polarity is Polarity.HIGHER_IS_WORSE),
                "Higher means": m.direction,
                "How the LA figure was made": la_how,
                "How England's figure was made": england_how,
                "Edition": m.edition,
                "_order": THEME_ORDER.index(theme),
                LA_POSITION: position_in_england(
                    values, la_value / m.multiplier, m.polarity is Polarity.HIGHER_IS_WORSE
                ),
                "_format": measure_indicator(m).value_format,
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=[*COLUMNS, "_format", LA_POSITION])
    frame = frame.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    return frame


PLACE_COLUMNS = [
    "Theme",
    "Measure",
    "Unit",
    "This place",
    "England",
    "Higher means",
    "How the place's figure was made",
    "Edition",
]


def place_measures(
    table: MeasureTable, lsoas: list[str] | pd.Index, england: dict[str, PlaceFigure] | None = None
) -> pd.DataFrame:
    """One row per measure of ``table``'s edition for a place of several LSOAs (``PLACE_COLUMNS``).

    The place's figure is ``figure_for_place`` over its LSOAs (a ratio of summed counts for
    rates, never an average of LSOA rates), beside England's, theme by theme.
    """
    england = england if england is not None else england_figures(table)
    rows = []
    for m in measures_for(table.year):
        if m.id not in table.values:
            continue
        value, how = _shown(figure_for_place(table, m.id, lsoas), m)
        england_value, _ = _shown(england[m.id], m) if m.id in england else (float("nan"), "")
        theme = THEME[m.theme]
        rows.append(
            {
                "Theme": THEME_LABELS[theme],
                "Measure": m.label,
                "Unit": m.unit,
                "This place": value,
                "England": england_value,
                "Higher means": m.direction,
                "How the place's figure was made": how,
                "Edition": m.edition,
                "_order": THEME_ORDER.index(theme),
            }
        )
    if not rows:
        return pd.DataFrame(columns=PLACE_COLUMNS)
    frame = pd.DataFrame(rows).sort_values("_order", kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


def spine_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The spine as a table for people (and CSV): ``COLUMNS`` only, positions rounded."""
    shown = frame[COLUMNS].copy()
    shown[POSITION] = shown[POSITION].round(0)
    return shown


def text(value: float, fmt: str) -> str:
    """A spine value as text ("—" where there is none)."""
    return "—" if value is None or value != value else fmt.format(value)
