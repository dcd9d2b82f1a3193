"""Uploaded indicators on the profile and compare pages: "Your data" rows beside the official ones.

Pure: no Streamlit. Every value comes through ``values.indicator_values`` (the one rule
for joining an upload to an edition's LSOAs); this module only ranks and summarises it.

An uploaded indicator is compared among the areas it was uploaded for: an LSOA upload
among LSOAs, a ward upload among wards, an LA upload among local authorities (every
LSOA of a ward shares its ward's value, so ranking LSOAs would only count ties).
Ranks run from the worst value, as stated by the uploader's polarity, so rank 1 is
the worst and a percentile of 0 the worst, like the official ranks (1 = most deprived).

Example
-------
>>> import pandas as pd
>>> worst_first_rank(pd.Series([3.0, 9.0, 5.0]), "high_is_deprived").tolist()
[3.0, 1.0, 2.0]
>>> percentile(1, 4), percentile(4, 4)
(12.5, 87.5)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from placemap.data.catalogue import Indicator
from placemap.data.indicators import Polarity, rank_among
from placemap.data.loaders import LA_CODE, WARD_CODE
from placemap.data.values import indicator_values
from placemap.uploads.table import LA, WARD, UploadedTable

UNCHECKED = "uploaded; not checked by Placemap"
NOT_STATED = "source not stated"
WORSE = {Polarity.HIGH_IS_WORSE: "Higher is worse"}
LOWER_IS_WORSE = "Lower is worse"
_UNITS = {WARD: (WARD_CODE, "ward", "wards"), LA: (LA_CODE, "local authority", "local authorities")}

# Column names of the tables (fixed, so the CSV and the report read the same on every page).
INDICATOR, DATASET, VALUE, UNIT = "Indicator", "Dataset", "Value", "Unit"
RANK_LA, RANK_ALL = "Rank in the local authority (1 = worst)", "Rank among all with a value (1 = worst)"
PERCENTILE = "Percentile among all (0 = worst, 100 = best)"
DIRECTION, SOURCE, JOIN = "Which way is worse", "Source", "How it joins"
MEDIAN, LOWEST, HIGHEST, WITH_VALUE = "Median", "Lowest", "Highest", "Areas with a value"
RANK_LAS = "Rank among local authorities (1 = worst)"


def worst_first_rank(values: pd.Series, polarity: str) -> pd.Series:
    """Rank 1 = the worst value (highest when higher is worse); ties share the best rank; NaN stays NaN."""
    return rank_among(values, polarity)


def percentile(rank: float, n: int) -> float:
    """Where a rank sits among ``n``: 0 = the worst, 100 = the best (the spine chart's scale)."""
    return 100.0 * (rank - 0.5) / n if n else float("nan")


def source_text(table) -> str:
    """The stated source of an uploaded dataset (table or areas), marked as uploaded and unchecked."""
    return f"{table.source.strip() or NOT_STATED}, {UNCHECKED}"


def direction(indicator: Indicator) -> str:
    """Which way is worse, as the uploader said."""
    return WORSE.get(indicator.polarity, LOWER_IS_WORSE)


def _present(units: pd.Series, codes) -> pd.Series:
    """The values of ``units`` for ``codes`` that have one (a reindex: ``isin`` on string indexes is slow)."""
    return units.reindex(pd.Index(codes)).dropna()


def _of(rank: float, n: int) -> str:
    return "–" if rank != rank or not n else f"{int(rank):,} of {n:,}"


@dataclass
class YourData:
    """The "Your data" section of a page: a table, the spine chart's rows, notes and sources."""

    table: pd.DataFrame
    spine: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)  # one line per upload that cannot join, and join notes
    sources: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.table.empty

    def key(self) -> str:
        """A short digest of everything shown (keys cached exports such as the PDF report)."""
        import hashlib

        text = self.table.to_csv() + self.spine.to_csv() + "\n".join(self.notes + self.sources)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Sourced:
    """One indicator that is not an edition's column, its raw values and where it comes from.

    Uploaded tables give one per column (``sourced``); so does every indicator registered
    in the catalogue, so a new dataset reaches these rows without a page change.
    """

    indicator: Indicator
    raw: pd.Series  # by area code of the indicator's geography
    dataset: str
    source: str


def sourced(tables: list, catalogue=None) -> list[Sourced]:
    """The uploaded tables' columns, then ``catalogue``'s registered indicators (uploads not repeated)."""
    out = [
        Sourced(ind, table.series(ind), table.name, source_text(table))
        for table in tables
        for ind in table.indicators()
    ]
    seen = {s.indicator.id for s in out}
    for ind in catalogue.registered(bundled=False) if catalogue is not None else []:
        if ind.id not in seen:
            out.append(Sourced(ind, catalogue.values_source(ind.id), ind.source, f"{ind.source} ({ind.licence})"))
    return out


@dataclass(frozen=True)
class _Joined:
    item: Sourced
    values: pd.Series  # on the edition's LSOAs
    units: pd.Series  # one value per unit (LSOA, ward or LA) that has one, indexed by unit code
    unit_of: pd.Series  # each LSOA's unit code
    noun: str  # "LSOA", "ward", "local authority"
    nouns: str
    note: str

    @property
    def indicator(self) -> Indicator:
        return self.item.indicator

    @property
    def geography(self) -> str:
        return self.item.indicator.geography


def _join_all(items: list, year: int, areas: pd.DataFrame) -> tuple[list[_Joined], list[str]]:
    joined, notes = [], []
    for item in [i for i in items if isinstance(i, Sourced)] + sourced(
        [i for i in items if not isinstance(i, Sourced)]
    ):
        indicator = item.indicator
        result = indicator_values(indicator, year, areas, item.raw)
        if not result.ok:
            notes.append(f"{item.dataset}: {result.note}")
            continue
        if indicator.geography in _UNITS:
            column, noun, nouns = _UNITS[indicator.geography]
            unit_of = areas[column]
            units = result.values.groupby(unit_of.to_numpy()).first().dropna()
        else:
            noun, nouns = "LSOA", "LSOAs"
            unit_of = pd.Series(areas.index, index=areas.index)
            units = result.values.dropna()
        joined.append(_Joined(item, result.values, units, unit_of, noun, nouns, result.note))
    return joined, notes


def _sources(joined: list[_Joined]) -> list[str]:
    seen = dict.fromkeys(f"{j.item.dataset}: {j.item.source}" for j in joined)
    return list(seen)


def lsoa_section(tables: list[UploadedTable], year: int, areas: pd.DataFrame, code: str) -> YourData:
    """Every uploaded indicator that joins edition ``year``, for one LSOA.

    Parameters
    ----------
    tables : this session's uploaded tables
    year : the edition
    areas : the edition's national LSOA table (indexed by code)
    code : the LSOA

    Returns
    -------
    ``YourData`` whose table has one row per uploaded indicator: its value here, the rank
    among the LA's areas and among all areas with a value (1 = worst), the percentile,
    which way is worse, the stated source and how it joins. The spine rows place the
    value (circle) and the LA's middle area (diamond) among all areas with a value.
    """
    joined, notes = _join_all(tables, year, areas)
    la_code = areas.at[code, LA_CODE]
    in_la = areas[LA_CODE] == la_code
    records, spine = [], []
    for j in joined:
        value = float(j.values.get(code, np.nan))
        ranks = worst_first_rank(j.units, j.indicator.polarity)
        n_all = len(ranks)
        unit = j.unit_of.get(code)
        rank_all = float(ranks.get(unit, np.nan))
        la_units = _present(j.units, j.unit_of[in_la].unique())
        if j.geography == LA:
            rank_la, n_la, reference = np.nan, 0, np.nan
        else:
            la_ranks = worst_first_rank(la_units, j.indicator.polarity)
            rank_la, n_la = float(la_ranks.get(unit, np.nan)), len(la_ranks)
            reference = float(np.median([percentile(r, n_all) for r in ranks[la_units.index]])) if n_la else np.nan
        position = percentile(rank_all, n_all) if rank_all == rank_all else np.nan
        records.append(
            {
                INDICATOR: j.indicator.label,
                DATASET: j.item.dataset,
                VALUE: value,
                UNIT: j.indicator.unit,
                RANK_LA: _of(rank_la, n_la) + (f" {j.nouns}" if n_la and rank_la == rank_la else ""),
                RANK_ALL: _of(rank_all, n_all) + (f" {j.nouns}" if rank_all == rank_all else ""),
                PERCENTILE: round(position, 1) if position == position else np.nan,
                DIRECTION: direction(j.indicator),
                SOURCE: j.item.source,
                JOIN: j.note or f"Uploaded for {j.nouns}.",
            }
        )
        if position == position:
            spine.append(
                {"row": j.indicator.label, "position": position, "rank": rank_all, "n": n_all, "reference": reference}
            )
    columns = [INDICATOR, DATASET, VALUE, UNIT, RANK_LA, RANK_ALL, PERCENTILE, DIRECTION, SOURCE, JOIN]
    return YourData(
        pd.DataFrame(records, columns=columns),
        pd.DataFrame(spine, columns=["row", "position", "rank", "n", "reference"]),
        notes,
        _sources(joined),
    )


def la_section(tables: list[UploadedTable], year: int, areas: pd.DataFrame, la_code: str) -> YourData:
    """Every uploaded indicator that joins edition ``year``, for one local authority.

    An LA upload gives the LA's value and its rank among LAs with a value; an LSOA or
    ward upload is summarised over the LA's LSOAs (or wards): the median, lowest and
    highest value and how many have a value.
    """
    joined, notes = _join_all(tables, year, areas)
    in_la = areas[LA_CODE] == la_code
    records = []
    for j in joined:
        row = {INDICATOR: j.indicator.label, DATASET: j.item.dataset, UNIT: j.indicator.unit}
        if j.geography == LA:
            ranks = worst_first_rank(j.units, j.indicator.polarity)
            row |= {
                VALUE: float(j.units.get(la_code, np.nan)),
                RANK_LAS: _of(float(ranks.get(la_code, np.nan)), len(ranks)),
                MEDIAN: np.nan,
                LOWEST: np.nan,
                HIGHEST: np.nan,
                WITH_VALUE: "the local authority's own value",
            }
        else:
            la_units = j.unit_of[in_la].unique()
            values = _present(j.units, la_units)
            row |= {
                VALUE: float(values.median()) if len(values) else np.nan,
                RANK_LAS: "–",
                MEDIAN: float(values.median()) if len(values) else np.nan,
                LOWEST: float(values.min()) if len(values) else np.nan,
                HIGHEST: float(values.max()) if len(values) else np.nan,
                WITH_VALUE: f"{len(values):,} of {len(la_units):,} {j.nouns}",
            }
        row |= {
            DIRECTION: direction(j.indicator),
            SOURCE: j.item.source,
            JOIN: j.note or f"Uploaded for {j.nouns}.",
        }
        records.append(row)
    columns = [INDICATOR, DATASET, VALUE, UNIT, RANK_LAS, MEDIAN, LOWEST, HIGHEST, WITH_VALUE, DIRECTION, SOURCE, JOIN]
    return YourData(pd.DataFrame(records, columns=columns), notes=notes, sources=_sources(joined))


def la_reading_note() -> str:
    """How to read the LA table's Value column."""
    return (
        "Value: the local authority's own figure for uploads by local authority; the median of its LSOAs "
        "(or wards) for uploads by LSOA or ward, with the lowest and highest beside it."
    )


def compare_rows(
    tables: list[UploadedTable], year: int, areas: pd.DataFrame, codes: list[str], kind: str, labels: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Uploaded indicators for 2 to 6 compared areas (``kind`` "lsoa" or "la"), long form.

    Returns
    -------
    A frame with ``indicator_id``, ``indicator``, ``unit``, ``row`` (the area's label),
    ``code``, ``value`` (the LSOA's value; an LA's own value, or its LSOAs' median),
    ``low`` and ``high`` (an LA's lowest and highest LSOA or ward; NaN otherwise),
    ``rank`` ("3 of 120 wards", 1 = worst, among all areas with a value), ``with_value``,
    ``direction``, ``source``; and notes for uploads that cannot join.
    """
    joined, notes = _join_all(tables, year, areas)
    records = []
    positions = areas.groupby(LA_CODE).indices if kind == "la" else {}
    for j in joined:
        ranks = worst_first_rank(j.units, j.indicator.polarity)
        for code, label in zip(codes, labels, strict=True):
            low = high = np.nan
            if kind == "lsoa":
                unit = j.unit_of.get(code)
                value, rank, with_value = float(j.values.get(code, np.nan)), float(ranks.get(unit, np.nan)), ""
            elif j.geography == LA:
                value, rank, with_value = float(j.units.get(code, np.nan)), float(ranks.get(code, np.nan)), ""
            else:
                la_units = j.unit_of.iloc[positions.get(code, [])].unique()
                values = _present(j.units, la_units)
                value = float(values.median()) if len(values) else np.nan
                low, high = (float(values.min()), float(values.max())) if len(values) else (np.nan, np.nan)
                rank, with_value = np.nan, f"{len(values):,} of {len(la_units):,} {j.nouns}"
            records.append(
                {
                    "indicator_id": j.indicator.id,
                    "indicator": j.indicator.label,
                    "unit": j.indicator.unit,
                    "row": label,
                    "code": code,
                    "value": value,
                    "low": low,
                    "high": high,
                    "rank": _of(rank, len(ranks)) + (f" {j.nouns}" if rank == rank else ""),
                    "with_value": with_value,
                    "direction": direction(j.indicator),
                    "source": j.item.source,
                    "summary": "median of its LSOAs" if kind == "la" and j.geography != LA else "",
                }
            )
    columns = ["indicator_id", "indicator", "unit", "row", "code", "value", "low", "high", "rank", "with_value"]
    columns += ["direction", "source", "summary"]
    return pd.DataFrame(records, columns=columns), notes


def compare_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The text alternative to the uploaded compare charts (and their CSV)."""
    return pd.DataFrame(
        {
            INDICATOR: rows["indicator"],
            "Area": rows["row"],
            VALUE: rows["value"],
            UNIT: rows["unit"],
            LOWEST: rows["low"],
            HIGHEST: rows["high"],
            "Rank among all with a value (1 = worst)": rows["rank"],
            WITH_VALUE: rows["with_value"],
            DIRECTION: rows["direction"],
            SOURCE: rows["source"],
        }
    )
