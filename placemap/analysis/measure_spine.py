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

An indicator someone brought (an upload, a registered dataset: ``Catalogue.registered(bundled=False)``)
joins the same spine through ``values.indicator_values``, under "Your data" with its stated
source. It is ranked by ``rank_among`` among the areas it was given for (LSOAs, wards or local
authorities) that have a value; a place's figure follows its value kind (``PLACE_RULE``, decided
here once): counts are summed, rates, scores and plain values are the population-weighted mean of
its LSOAs (each LSOA's people times the share of it inside the place), ranks, deciles and ratios
the median of its areas; never a ratio of counts it does not have.

Example
-------
>>> import pandas as pd
>>> position_in_england(pd.Series([1.0, 2.0, 3.0, 4.0]), 4.0, higher_is_worse=True)
12.5
>>> position_in_england(pd.Series([1.0, 2.0, 3.0, 4.0]), 4.0, higher_is_worse=False)
87.5
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from placemap.data.indicator_picker import THEME_LABELS, THEME_ORDER
from placemap.data.indicators import Geography, Indicator, ValueKind, rank_among
from placemap.data.indicators import Polarity as IndicatorPolarity
from placemap.data.loaders import LA_CODE, WARD_CODE
from placemap.data.measure_catalogue import THEME, measure_indicator
from placemap.data.measure_records import Measure, Polarity, measures_for
from placemap.data.measure_records import ValueKind as MeasureKind
from placemap.data.measures import SUPPRESSED_AS, MeasureTable, PlaceFigure, figure_for_place
from placemap.data.prepare import NO_DATA_TEXT, SUPPRESSED_TEXT
from placemap.data.values import indicator_values

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
    "Rank among areas with a value (1 = worst)",
    "Rank in its local authority (1 = worst)",
    "Higher means",
    "How the LA figure was made",
    "How England's figure was made",
    "Edition",
]
POSITION = "Position in England (0 = worst, 100 = best)"
RANK, RANK_LA = "Rank among areas with a value (1 = worst)", "Rank in its local authority (1 = worst)"
YOUR_DATA = "Your data"  # the theme of the indicators a person brought
LA_POSITION = "_la_position"  # where the LA's figure would sit among England's LSOAs (the chart's diamond)


_WORSE = {True: IndicatorPolarity.HIGH_IS_WORSE, False: IndicatorPolarity.LOW_IS_WORSE}  # a measure's, for rank_among


def rank_text(ranks: pd.Series, code, nouns: str) -> str:
    """``code``'s rank among ``ranks`` with a value, as "3 of 120 wards" ("–" without one)."""
    rank, n = float(ranks.get(code, np.nan)), int(ranks.notna().sum())
    return "–" if rank != rank or not n else f"{int(rank):,} of {n:,} {nouns}"


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
    return place_figures(table, table.values.index)


def national_ranks(table: MeasureTable) -> dict[str, pd.Series]:
    """Every LSOA's rank in England on each measure of ``table``'s edition, 1 = worst (the same for every LSOA: cache it)."""
    return {
        m.id: rank_among(table.values[m.id], _WORSE[m.polarity is Polarity.HIGHER_IS_WORSE])
        for m in measures_for(table.year)
    }


def place_figures(table: MeasureTable, lsoas: list[str] | pd.Index) -> dict[str, PlaceFigure]:
    """A place's figure on each measure of ``table``'s edition (``figure_for_place``; an LA's: cache it)."""
    return {m.id: figure_for_place(table, m.id, lsoas) for m in measures_for(table.year)}


def measure_spine(
    table: MeasureTable,
    lsoa: str,
    la_lsoas: list[str] | pd.Index,
    england: dict[str, PlaceFigure] | None = None,
    ranks: dict[str, pd.Series] | None = None,
    la_figures: dict[str, PlaceFigure] | None = None,
) -> pd.DataFrame:
    """One row per measure of ``table``'s edition for ``lsoa``, theme by theme (``COLUMNS``).

    Parameters
    ----------
    table : ``read_measures`` of one edition
    lsoa : the LSOA's code (of the edition's geography)
    la_lsoas : the LSOAs of its local authority
    england : ``england_figures(table)``, computed here when not given
    ranks : ``national_ranks(table)``, computed here when not given
    la_figures : ``place_figures(table, la_lsoas)``, computed here when not given

    Returns
    -------
    pandas.DataFrame
        Values in the unit shown (% rather than proportions); NaN where there is none, with
        ``Status`` saying why ("Suppressed (small numbers)" or "No data").
    """
    england = england or england_figures(table)
    ranks = ranks or national_ranks(table)
    la_figures = la_figures or place_figures(table, la_lsoas)
    rows = []
    for m in measures_for(table.year):
        values = table.values[m.id]
        worse = _WORSE[m.polarity is Polarity.HIGHER_IS_WORSE]
        own = values.get(lsoa, np.nan)
        if own == own:
            status = ""
        elif lsoa in table.suppressed.index and bool(table.suppressed.at[lsoa, m.id]):
            status = SUPPRESSED_TEXT
        else:
            status = NO_DATA_TEXT
        la_value, la_how = _shown(la_figures[m.id], m)
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
                RANK: rank_text(ranks[m.id], lsoa, "LSOAs"),
                RANK_LA: rank_text(rank_among(values.reindex(pd.Index(la_lsoas)), worse), lsoa, "LSOAs"),
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


_UNITS = {Geography.WARD: (WARD_CODE, "ward", "wards"), Geography.LA: (LA_CODE, "local authority", "local authorities")}
SUM, MEAN, MEDIAN = "sum", "population-weighted mean", "median"
# How a figure for several areas is made, by what the values are (``Indicator.value_kind``): the one rule.
PLACE_RULE = {ValueKind.COUNT: SUM, ValueKind.RATE: MEAN, ValueKind.SCORE: MEAN, ValueKind.VALUE: MEAN}
_WHY = {
    SUM: "counts add up",
    MEAN: "each LSOA's value weighted by its people (the share of them inside the place), so a big LSOA counts "
    "for more than a small one; a rate without its counts cannot be made a ratio of counts",
    MEDIAN: "ranks, deciles and ratios are never added up or averaged",
    "unweighted": "without the LSOAs' populations a mean cannot be weighted, and is never made unweighted",
}


@dataclass(frozen=True)
class Brought:
    """An indicator a person brought, joined to an edition's LSOAs (``values.indicator_values``).

    ``units`` holds one value per area it was given for (LSOA, ward or local authority) that
    has one, and ``unit_of`` each LSOA's area: ranks are among those areas, never among tied LSOAs.
    """

    indicator: Indicator
    values: pd.Series
    note: str
    units: pd.Series
    unit_of: pd.Series
    noun: str
    nouns: str
    people: pd.Series | None = None  # each LSOA's population, weighting means (``None``: medians instead)

    @property
    def ranks(self) -> pd.Series:
        return rank_among(self.units, self.indicator.polarity)

    @property
    def source(self) -> str:
        """The source and licence (the "Edition" column of the spine), an upload's named as the person's data."""
        source = f"{self.indicator.source} ({self.indicator.licence})"
        return f"{YOUR_DATA}: {source}" if self.indicator.uploaded else source

    @property
    def theme(self) -> str:
        """The theme it is listed under: "Your data" for an upload, else its own theme's label."""
        return YOUR_DATA if self.indicator.uploaded else THEME_LABELS.get(self.indicator.theme, YOUR_DATA)

    @property
    def direction(self) -> str:
        higher_is_worse = self.indicator.polarity is IndicatorPolarity.HIGH_IS_WORSE
        return self.indicator.direction or ("worse" if higher_is_worse else "better")

    def areas_of(self, lsoas) -> pd.Index:
        """The areas of the data's geography (LSOAs, wards or LAs) that ``lsoas`` lie in."""
        return pd.Index(self.unit_of.reindex(pd.Index(lsoas)).dropna().unique())

    def figure(self, lsoas, whose: str = "its", shares: pd.Series | None = None) -> tuple[float, str]:
        """The figure for a group of LSOAs and how it was made, following the indicator's value kind (``PLACE_RULE``).

        ``shares`` maps an LSOA to the share of its people inside the place (1 when not given).
        """
        codes = self.areas_of(lsoas)
        present = self.units.reindex(codes).dropna()
        fmt = self.indicator.value_format
        if len(codes) == 1:
            own = float(present.iloc[0]) if len(present) else np.nan
            return own, f"The {self.noun}'s own value." if own == own else f"Its {self.noun} has no value."
        if not len(present):
            return np.nan, f"None of {whose} {len(codes):,} {self.nouns} has a value."
        counted = (
            f"{whose} {len(present):,} of {len(codes):,} {self.nouns} with a value "
            f"(lowest {fmt.format(present.min())}, highest {fmt.format(present.max())}"
        )
        median = float(present.median())
        rule = PLACE_RULE.get(self.indicator.value_kind, MEDIAN)
        value, why = (float(present.sum()) if rule == SUM else median), _WHY[rule]
        if rule == MEAN:
            mean = np.nan if self.people is None else self._weighted_mean(pd.Index(lsoas), shares)
            value, rule, why = (mean, MEAN, why) if mean == mean else (median, MEDIAN, _WHY["unweighted"])
        middle = f", median {fmt.format(median)})" if rule == MEAN else ")"
        return value, f"The {rule} of {counted}{middle}: {why}."

    def figures_by(self, group_of: pd.Series) -> pd.Series:
        """The figure of every group of LSOAs (``group_of``: LSOA -> group, e.g. its LA), as ``figure`` makes it."""
        group = group_of.reindex(self.unit_of.index)
        rule = PLACE_RULE.get(self.indicator.value_kind, MEDIAN)
        if rule == MEAN and self.people is not None:
            weight = self.people.reindex(group.index).fillna(0.0).where(self.values.notna(), 0.0)
            total = weight.groupby(group).sum()
            return ((self.values.fillna(0.0) * weight).groupby(group).sum() / total.where(total > 0)).astype(float)
        pairs = pd.DataFrame({"group": group, "unit": self.unit_of}).dropna().drop_duplicates()
        values = pairs.assign(value=self.units.reindex(pairs["unit"]).to_numpy()).groupby("group")["value"]
        return (values.sum(min_count=1) if rule == SUM else values.median()).astype(float)

    def _weighted_mean(self, lsoas: pd.Index, shares: pd.Series | None) -> float:
        values = self.values.reindex(lsoas)
        weight = self.people.reindex(lsoas).fillna(0.0)
        if shares is not None:
            weight = weight * shares.reindex(lsoas).fillna(0.0)
        weight = weight.where(values.notna(), 0.0)
        total = float(weight.sum())
        return float((values.fillna(0.0) * weight).sum() / total) if total > 0 else float("nan")


def brought_indicators(
    indicators: list[Indicator], year: int, areas: pd.DataFrame, catalogue=None, people: pd.Series | None = None
) -> tuple[list[Brought], list[str]]:
    """``indicators`` joined to edition ``year``'s LSOAs, and one note for each that cannot join.

    ``people`` (each LSOA's population) weights the means of rates, scores and values (``PLACE_RULE``).
    """
    joined, notes = [], []
    for indicator in indicators:
        found = indicator_values(indicator, year, areas, catalogue)
        if not found.ok:
            notes.append(found.note)
            continue
        column, noun, nouns = _UNITS.get(indicator.geography, (None, "LSOA", "LSOAs"))
        unit_of = pd.Series(areas.index, index=areas.index) if column is None else areas[column]
        units = found.values.dropna() if column is None else found.values.groupby(unit_of.to_numpy()).first()
        joined.append(Brought(indicator, found.values, found.note, units.dropna(), unit_of, noun, nouns, people))
    return joined, notes


def _position(ranks: pd.Series, rank: float) -> float:
    n = int(ranks.notna().sum())
    return 100.0 * (rank - 0.5) / n if n and rank == rank else np.nan


def brought_spine(brought: list[Brought], lsoa: str, la_lsoas) -> pd.DataFrame:
    """The spine's rows (``COLUMNS``) of the indicators a person brought, for one LSOA, after the measures'.

    Position and ranks follow ``rank_among`` among the areas with a value; the LA's diamond
    sits where its figure would rank (none for data given per local authority: it is the
    LSOA's own value).
    """
    rows = []
    for b in brought:
        ranks, unit = b.ranks, b.unit_of.get(lsoa)
        own = float(b.values.get(lsoa, np.nan))
        la_value, la_how = b.figure(la_lsoas)
        england_value, england_how = b.figure(b.unit_of.index, "England's")
        la_rank = rank_among(pd.concat([b.units, pd.Series([la_value])]), b.indicator.polarity).iloc[-1]
        la_units = b.units.reindex(b.areas_of(la_lsoas)).dropna()
        rows.append(
            {
                "Theme": b.theme,
                "Measure": b.indicator.label,
                "Unit": b.indicator.unit,
                "This LSOA": own,
                "Status": "" if own == own else NO_DATA_TEXT,
                "Local authority": la_value,
                "England": england_value,
                POSITION: _position(ranks, float(ranks.get(unit, np.nan))),
                RANK: rank_text(ranks, unit, b.nouns),
                RANK_LA: "–"
                if b.noun == "local authority"
                else rank_text(rank_among(la_units, b.indicator.polarity), unit, b.nouns),
                "Higher means": b.direction,
                "How the LA figure was made": f"{b.note} {la_how}".strip(),
                "How England's figure was made": england_how,
                "Edition": b.source,
                LA_POSITION: np.nan if b.noun == "local authority" else _position(ranks, float(la_rank)),
                "_format": b.indicator.value_format,
            }
        )
    return pd.DataFrame(rows, columns=[*COLUMNS, LA_POSITION, "_format"])


def brought_place(brought: list[Brought], lsoas, shares: pd.Series | None = None) -> pd.DataFrame:
    """The place table's rows (``PLACE_COLUMNS``) of the indicators a person brought, for a group of LSOAs.

    ``shares``: the share of each LSOA's people inside the place (1 when not given), weighting means.
    A place within one area of the data (an LA for data given per LA) shows that area's own
    value and its rank among the areas with a value.
    """
    rows = []
    for b in brought:
        value, how = b.figure(lsoas, shares=shares)
        units = b.areas_of(lsoas)
        present = b.units.reindex(units).dropna()
        rows.append(
            {
                "Theme": b.theme,
                "Measure": b.indicator.label,
                "Unit": b.indicator.unit,
                "This place": value,
                "England": b.figure(b.unit_of.index, "England's")[0],
                LOWEST: float(present.min()) if len(present) > 1 else np.nan,
                HIGHEST: float(present.max()) if len(present) > 1 else np.nan,
                RANK: rank_text(b.ranks, units[0], b.nouns) if len(units) == 1 else "–",
                "Higher means": b.direction,
                "How the place's figure was made": f"{b.note} {how}".strip(),
                "Edition": b.source,
            }
        )
    return pd.DataFrame(rows, columns=PLACE_COLUMNS)


# Of its LSOAs (or wards, LAs) with a value; empty for a place within one of them.
LOWEST, HIGHEST = "Lowest of its areas", "Highest of its areas"
PLACE_COLUMNS = [
    "Theme",
    "Measure",
    "Unit",
    "This place",
    "England",
    LOWEST,
    HIGHEST,
    RANK,
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
        values = table.values[m.id]
        mine = values.reindex(pd.Index(lsoas)).dropna() * m.multiplier
        worse = _WORSE[m.polarity is Polarity.HIGHER_IS_WORSE]
        rows.append(
            {
                "Theme": THEME_LABELS[theme],
                "Measure": m.label,
                "Unit": m.unit,
                "This place": value,
                "England": england_value,
                LOWEST: float(mine.min()) if len(mine) > 1 else np.nan,
                HIGHEST: float(mine.max()) if len(mine) > 1 else np.nan,
                RANK: rank_text(rank_among(values, worse), lsoas[0], "LSOAs") if len(lsoas) == 1 else "–",
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


ENGLAND = "England"
_OWN_VALUE = "Its own value."
_ENGLAND_HOW = "How England's figure was made"
_LONG = ["Area", "Value", "Lowest", "Highest", "Rank", "How"]


def compared(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The rows of the areas compared, long: one per measure (or brought indicator) and area, England last.

    ``frames`` maps each area's label to its spine (``COLUMNS``: an LSOA) or place table
    (``PLACE_COLUMNS``: a group of LSOAs), all of one edition in the same row order. Columns:
    ``row`` (the measure's place in that order), ``Theme``, ``Measure``, ``Unit``, ``Higher means``,
    ``Edition``, and ``Area``, ``Value``, ``Lowest``, ``Highest`` (of its areas with a value; NaN for
    one area), ``Rank`` (among England's areas with a value, 1 = worst; "–" where the area is not
    one of them) and ``How``: ``place_charts.INDICATOR_ROWS``.
    """
    parts, base = [], None
    for label, frame in frames.items():
        base = frame if base is None else base
        one = "This LSOA" in frame
        nan = pd.Series(np.nan, index=frame.index)
        status = frame["Status"] if one else pd.Series("", index=frame.index)
        how = status.where(status != "", _OWN_VALUE) if one else frame["How the place's figure was made"]
        parts.append(
            pd.DataFrame(
                {
                    "row": range(len(frame)),
                    "Area": label,
                    "Value": frame["This LSOA" if one else "This place"].astype(float).to_numpy(),
                    "Lowest": (nan if one else frame[LOWEST]).astype(float).to_numpy(),
                    "Highest": (nan if one else frame[HIGHEST]).astype(float).to_numpy(),
                    "Rank": frame[RANK].to_numpy(),
                    "How": how.to_numpy(),
                }
            )
        )
    if base is None or base.empty:
        return pd.DataFrame(columns=["row", "Theme", "Measure", "Unit", "Higher means", "Edition", *_LONG])
    england = pd.DataFrame(
        {
            "row": range(len(base)),
            "Area": ENGLAND,
            "Value": base["England"].astype(float).to_numpy(),
            "Lowest": np.nan,
            "Highest": np.nan,
            "Rank": "–",
            "How": base[_ENGLAND_HOW].to_numpy()
            if _ENGLAND_HOW in base
            else "Made from England's LSOAs in the same way.",
        }
    )
    about = base[["Theme", "Measure", "Unit", "Higher means", "Edition"]].reset_index(drop=True)
    long = pd.concat([*parts, england], ignore_index=True)
    return long.join(about, on="row").sort_values("row", kind="stable").reset_index(drop=True)


def compare_table(long: pd.DataFrame) -> pd.DataFrame:
    """The comparison for people (and CSV): one row per measure, each area's figure and rank, then England's.

    The rank columns are left out when no area has a rank (e.g. local authorities on measures
    made from their LSOAs).
    """
    areas = [a for a in dict.fromkeys(long["Area"]) if a != ENGLAND]
    first = long.drop_duplicates("row").set_index("row")
    table = first[["Theme", "Measure", "Unit"]].copy()
    by_area = {a: long[long["Area"] == a].set_index("row") for a in [*areas, ENGLAND]}
    for area in areas:
        table[area] = by_area[area]["Value"]
    ranked = [a for a in areas if (by_area[a]["Rank"] != "–").any()]
    for area in ranked:
        table[f"{area}: rank (1 = worst)"] = by_area[area]["Rank"]
    table[ENGLAND] = by_area[ENGLAND]["Value"]
    for column in ("Higher means", "Edition"):
        table[column] = first[column]
    return table.reset_index(drop=True)


def la_figures(table: MeasureTable, la_of: pd.Series) -> pd.DataFrame:
    """Every LA's figure of each measure (stored unit), made from its LSOAs as ``figure_for_place`` makes it.

    ``la_of`` maps each LSOA to its LA. Rates are ratios of summed counts (suppressed counts at
    5), counts sums, LA-level values the LA's own; NaN where no honest figure exists (measures
    published only for LSOAs), so those are never ranked by a middle LSOA.
    """
    la = la_of.reindex(table.values.index)
    out = {}
    for m in measures_for(table.year):
        if m.id not in table.values:
            continue
        counts = table.counts[m.id] if m.id in table.counts else None
        if m.la_level:
            values = table.values[m.id].groupby(la)
            out[m.id] = values.first().where(values.nunique() == 1)
        elif m.value_kind is MeasureKind.RATE_MADE and counts is not None and m.id in table.denominators:
            denominators = table.denominators[m.id]
            has = denominators.notna() & (denominators > 0)
            made = counts.where(has).fillna(0.0) + SUPPRESSED_AS * (counts.isna() & has)
            den = denominators.where(has).groupby(la).sum()
            out[m.id] = made.groupby(la).sum() / den.where(den > 0)
        elif m.value_kind is MeasureKind.COUNT and counts is not None:
            out[m.id] = (counts.fillna(0.0) + SUPPRESSED_AS * counts.isna()).groupby(la).sum()
    return pd.DataFrame(out)


def la_ranks(table: MeasureTable, la_of: pd.Series) -> dict[tuple[str, str], pd.Series]:
    """Each LA's rank among England's LAs with a figure (``la_figures``, ``rank_among``: 1 = worst), by
    (theme, measure) row."""
    figures = la_figures(table, la_of)
    return {
        (THEME_LABELS[THEME[m.theme]], m.label): rank_among(
            figures[m.id], _WORSE[m.polarity is Polarity.HIGHER_IS_WORSE]
        )
        for m in measures_for(table.year)
        if m.id in figures
    }


def brought_la_ranks(brought: list[Brought], la_of: pd.Series) -> dict[tuple[str, str], pd.Series]:
    """As ``la_ranks`` for the indicators a person brought, each LA's figure made by ``PLACE_RULE``."""
    return {(YOUR_DATA, b.indicator.label): rank_among(b.figures_by(la_of), b.indicator.polarity) for b in brought}


def with_la_ranks(frame: pd.DataFrame, la_code: str, ranks: dict[tuple[str, str], pd.Series]) -> pd.DataFrame:
    """An LA's place table (``PLACE_COLUMNS``) with each row's rank among England's LAs (``la_ranks``)."""
    shown = [
        rank_text(ranks[(t, m)], la_code, "local authorities") if (t, m) in ranks else r
        for t, m, r in zip(frame["Theme"], frame["Measure"], frame[RANK], strict=True)
    ]
    return frame.assign(**{RANK: shown})
