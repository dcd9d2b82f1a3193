"""Uploaded indicators on the systems view, priority finder and hot-spot pages. Pure: no Streamlit.

Every uploaded column joins an edition's LSOAs through ``values.indicator_values`` (the one rule all
pages share), then becomes an extra column of the national LSOA table, named by its
indicator id, so the pages' existing code (``systems``, ``priority``, ``hotspots``) can
treat it like a catalogued indicator:

* ``join_uploads`` joins every uploaded indicator of a session to one edition and says,
  per indicator, how (LSOA values as uploaded, or each LSOA taking its ward's or LA's
  value) or why not (an LSOA 2011 upload on IoD2025);
* uploaded data has no national ranks. Where a page needs one, the values are ranked
  among **England's LSOAs that have a value** (1 = most deprived, by the upload's
  polarity; ties share the lowest rank): ``indicators.rank_among``;
* the overlap finder takes an uploaded condition as a threshold in its own units or
  "the worst X% of the place" (``condition_hits``); the composite index takes one uploaded
  component and is then computed only where it has a value (``composite_with_upload``).

Example
-------
>>> from placemap.uploads.table import ColumnSpec, UploadedTable
>>> table = UploadedTable("d1", "Council", "Council", "la",
...                       pd.DataFrame({"rate": [91.5]}, index=pd.Index(["E1"], name="area_code")),
...                       [ColumnSpec("rate", "Attendance", "%")])
>>> national = pd.DataFrame({"la_code": ["E1", "E1", "E2"], "ward_code": ["W1", "W2", "W3"]},
...                         index=pd.Index(["L1", "L2", "L3"], name="area_code"))
>>> joined = join_uploads([table], 2025, national)
>>> joined.options()
{'upload_d1_0': 'Your data: Attendance (Council)'}
>>> joined.frame["upload_d1_0"].tolist(), joined.broadcast("upload_d1_0")
([91.5, 91.5, nan], True)
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from placemap.analysis.priority import rank_to_decile
from placemap.data.catalogue import Indicator, get_indicator
from placemap.data.indicators import Polarity, rank_among
from placemap.data.loaders import LA_CODE
from placemap.data.values import indicator_values
from placemap.uploads.table import LSOA11, LSOA21, UploadedTable

PREFIX = "Your data: "
UPLOAD_ID = re.compile(r"^upload_[A-Za-z0-9-]{1,64}_\d{1,3}$")
MAX_MATRIX_UPLOADS = 8  # uploaded columns added to the correlation matrix (keeps it readable)
MIN_DEFINED = 10  # LSOAs with a value needed before a composite can use an uploaded component
BROADCAST_CAVEAT = (
    "Ward or local-authority data gives every LSOA of a ward (or LA) the same value, so correlations with it "
    "mostly compare wards (or LAs), with many ties: treat them as rough, and never as a property of single LSOAs."
)
RANK_RULE = (
    "Uploaded data has no national ranks: where one is needed, Placemap ranks your values among England's LSOAs "
    "that have a value (1 = most deprived by the polarity you chose; tied values share the lowest rank)."
)
RULE_PLACE, RULE_VALUE = "place", "value"
RULES = {RULE_PLACE: "In the worst … % of the place's LSOAs", RULE_VALUE: "Beyond a value (in its own units)"}


def is_upload_id(value: object) -> bool:
    """Whether ``value`` looks like an uploaded indicator's id (``upload_<dataset>_<n>``).

    Example
    -------
    >>> is_upload_id("upload_ab12cd34_0"), is_upload_id("income_rank"), is_upload_id("upload_../x_0")
    (True, False, False)
    """
    return isinstance(value, str) and bool(UPLOAD_ID.match(value))


@dataclass
class SessionUploads:
    """A session's uploaded indicators joined to one edition's LSOAs.

    Attributes
    ----------
    year : the edition
    frame : one column per joined indicator (named by id), indexed like the national table
    indicators : id -> ``Indicator`` (its column in ``frame`` is its id, ``Indicator.column``)
    tables : id -> the ``UploadedTable`` it came from
    notes : id -> the join note (empty for LSOA uploads on their own edition)
    refused : id -> why it cannot be used on this edition (e.g. LSOA 2011 codes on IoD2025)
    """

    year: int
    frame: pd.DataFrame
    indicators: dict[str, Indicator] = field(default_factory=dict)
    tables: dict[str, UploadedTable] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.indicators)

    def options(self) -> dict[str, str]:
        """id -> picker label: "Your data: <label> (<dataset name>)"."""
        return {i: f"{PREFIX}{ind.label} ({self.tables[i].name})" for i, ind in self.indicators.items()}

    def broadcast(self, indicator_id: str) -> bool:
        """Whether the indicator is ward or LA data spread to LSOAs (so its LSOAs share values)."""
        return self.tables[indicator_id].geography not in (LSOA11, LSOA21)

    def augment(self, national: pd.DataFrame) -> pd.DataFrame:
        """``national`` with the uploaded columns added (a new frame; ``national`` is not changed)."""
        extra = self.frame.drop(columns=[c for c in self.frame.columns if c in national.columns])
        if not len(extra.columns):
            return national
        return national.join(extra)

    def resolve(self, indicator_id: str) -> Indicator:
        """The indicator behind an id: an uploaded one of this session, else the catalogue's."""
        if indicator_id in self.indicators:
            return self.indicators[indicator_id]
        return get_indicator(indicator_id)

    def source_line(self, indicator_id: str) -> str:
        """One plain line naming an uploaded indicator, its dataset and its stated source (and how it joined)."""
        ind, table = self.indicators[indicator_id], self.tables[indicator_id]
        unit = f" ({ind.unit})" if ind.unit else ""
        note = f" {self.notes[indicator_id]}" if self.notes.get(indicator_id) else ""
        return (
            f"{PREFIX}{ind.label}{unit}, from the uploaded dataset {table.name}; source as stated: {ind.source}.{note}"
        )

    def source_lines(self, ids: Sequence[str]) -> list[str]:
        """``source_line`` of each uploaded id among ``ids`` (catalogue ids are skipped), without repeats."""
        return [self.source_line(i) for i in dict.fromkeys(ids) if i in self.indicators]


@dataclass(frozen=True)
class RegisteredDataset:
    """What these pages say about a registered indicator's dataset: its name (the source) and geography."""

    name: str
    geography: str


def join_uploads(tables: Sequence[UploadedTable], year: int, national: pd.DataFrame, catalogue=None) -> SessionUploads:
    """Join every uploaded indicator of ``tables`` to edition ``year``'s LSOAs (``values.indicator_values``).

    With ``catalogue``, its registered indicators that ``national`` already carries (the
    shared table of ``values.with_registered``) are offered beside the uploads. The bundled
    measures behind the indices are not "your data": pages offer them as catalogue indicators.
    """
    columns: dict[str, pd.Series] = {}
    out = SessionUploads(year=year, frame=pd.DataFrame(index=national.index))
    joinable = {ind.id for t in tables for ind in t.indicators() if ind.joins(year)}
    for table in tables:
        for indicator in table.indicators():
            joined = indicator_values(indicator, year, national, table.series(indicator))
            if indicator.id not in joinable or not joined.ok:
                out.refused[indicator.id] = joined.note
                continue
            columns[indicator.id] = joined.values.astype(float)
            out.indicators[indicator.id] = indicator
            out.tables[indicator.id] = table
            out.notes[indicator.id] = joined.note
    for indicator in catalogue.registered(bundled=False) if catalogue is not None else []:
        if indicator.id not in out.indicators and indicator.id in national.columns:
            out.indicators[indicator.id] = indicator
            out.tables[indicator.id] = RegisteredDataset(indicator.source, indicator.geography)
            out.notes[indicator.id] = ""
            columns[indicator.id] = national[indicator.id].astype(float)
    out.frame = pd.DataFrame(columns, index=national.index)
    return out


def oriented_like_ranks(values: pd.Series, polarity: str) -> pd.Series:
    """Values turned so that **low = more deprived**, like a national rank (for the correlation matrix).

    Example
    -------
    >>> oriented_like_ranks(pd.Series([1.0, 3.0]), Polarity.HIGH_IS_WORSE).tolist()
    [-1.0, -3.0]
    """
    values = pd.Series(values, dtype=float)
    return -values if polarity == Polarity.HIGH_IS_WORSE else values


# ---------------------------------------------------------------- overlap finder


@dataclass(frozen=True)
class Condition:
    """An uploaded indicator as one of the overlap finder's conditions.

    ``rule`` is ``"place"`` (in the worst ``number`` % of the place's LSOAs that have a
    value) or ``"value"`` (at or beyond ``number`` in the indicator's units, "beyond"
    following its polarity).
    """

    indicator_id: str
    rule: str = RULE_PLACE
    number: float = 10.0


def describe_condition(condition: Condition, indicator: Indicator) -> str:
    """The condition in words, e.g. "Referrals at or above 12 per 1,000" or "… in the place's worst 10%".

    Example
    -------
    >>> ind = Indicator("upload_a_0", "Referrals", "local", None, "value", "per 1,000", "low_is_deprived", {}, {}, {})
    >>> describe_condition(Condition("upload_a_0", "value", 12), ind)
    'Referrals at or below 12 per 1,000'
    """
    if condition.rule == RULE_VALUE:
        way = "at or above" if indicator.polarity == Polarity.HIGH_IS_WORSE else "at or below"
        unit = f" {indicator.unit}" if indicator.unit else ""
        return f"{indicator.label} {way} {condition.number:g}{unit}"
    return f"{indicator.label} in the place's worst {condition.number:g}%"


def condition_hits(values: np.ndarray, polarity: str, condition: Condition, in_place: np.ndarray) -> np.ndarray:
    """Where an uploaded condition holds, over the national table's rows (NaN never counts).

    ``"value"``: at or above the number (higher is worse) or at or below it (lower is worse).
    ``"place"``: among the place's LSOAs with a value, those whose rank from the worst is at
    most ``floor(number% of them)`` (at least one); tied values count together. Outside the
    place a ``"place"`` condition never holds.

    Example
    -------
    >>> v = np.array([5.0, 1.0, np.nan, 3.0, 9.0])
    >>> condition_hits(v, Polarity.HIGH_IS_WORSE, Condition("u", "value", 3), np.ones(5, bool)).tolist()
    [True, False, False, True, True]
    >>> condition_hits(v, Polarity.HIGH_IS_WORSE, Condition("u", "place", 50), np.array([1, 1, 1, 1, 0], bool)).tolist()
    [True, False, False, False, False]
    """
    values = np.asarray(values, dtype=float)
    in_place = np.asarray(in_place, dtype=bool)
    present = ~np.isnan(values)
    if condition.rule == RULE_VALUE:
        worse = values >= condition.number if polarity == Polarity.HIGH_IS_WORSE else values <= condition.number
        return present & worse
    if condition.rule != RULE_PLACE:
        raise ValueError(f"Unknown rule {condition.rule!r}")
    if not 0 < condition.number <= 100:
        raise ValueError(f"The share of the place must be between 0% and 100%, not {condition.number:g}%.")
    pool = present & in_place
    n = int(pool.sum())
    if n == 0:
        return np.zeros(len(values), dtype=bool)
    ranks = rank_among(np.where(pool, values, np.nan), polarity)
    k = max(1, int(np.floor(condition.number * n / 100 + 1e-9)))
    return (ranks <= k).to_numpy() & pool


# ---------------------------------------------------------------- composite index


def composite_with_upload(
    national: pd.DataFrame,
    year: int,
    weights: Mapping[str, float],
    values: pd.Series,
    polarity: str,
    upload_weight: float,
    transformed: np.ndarray | None = None,
) -> pd.DataFrame:
    """The composite index with an uploaded component, **only where the upload has a value**.

    The uploaded values are ranked among England's LSOAs that have one (``n_u`` of them)
    and turned into the same exponential 0-100 score as the domains
    (``priority.exponential_transform`` with ``n_u``); the seven domains keep their national
    transformed scores (``transformed``, from ``priority.transformed_domains``; computed
    when not given); all eight weights are rescaled to 100%. Ranks, deciles, the official
    IMD rank and ``move`` are then **among the defined LSOAs** (the IMD re-ranked among
    them), so "most deprived 10%" means 10% of those LSOAs.

    Returns a frame like ``priority.composite_index`` (score, rank, decile, imd_rank,
    imd_decile, move) indexed like ``national``, NaN where the upload has no value.

    Raises
    ------
    ValueError
        For a negative weight, weights that are all zero, or fewer than ``MIN_DEFINED``
        LSOAs with a value.
    """
    from placemap.analysis.priority import SEVEN_DOMAINS, exponential_transform, ranks_of, transformed_domains

    domain_weights = np.array([float(weights.get(d, 0.0)) for d in SEVEN_DOMAINS])
    if not np.isfinite([*domain_weights, upload_weight]).all() or (domain_weights < 0).any() or upload_weight < 0:
        raise ValueError("Weights must be zero or more.")
    total = float(domain_weights.sum() + upload_weight)
    if total <= 0:
        raise ValueError("At least one weight needs to be above zero.")
    values = values.reindex(national.index).astype(float)
    defined = values.notna().to_numpy()
    n_u = int(defined.sum())
    if n_u < MIN_DEFINED:
        raise ValueError(
            f"Your data has a value for {n_u} LSOA(s) of this edition; "
            f"the composite index needs at least {MIN_DEFINED}."
        )
    if transformed is None:
        transformed = transformed_domains(national, year)
    upload_ranks = rank_among(values[defined], polarity).to_numpy(dtype=float)
    scores = transformed[defined] @ (domain_weights / total) + (upload_weight / total) * exponential_transform(
        upload_ranks, n_u
    )
    rank = ranks_of(scores)
    imd_column = get_indicator("imd_rank").column(year)
    imd_rank = rank_among(national.loc[defined, imd_column].to_numpy(dtype=float), Polarity.LOW_IS_WORSE).to_numpy(int)
    out = pd.DataFrame(
        {
            "score": scores,
            "rank": rank,
            "decile": rank_to_decile(rank, n_u),
            "imd_rank": imd_rank,
            "imd_decile": rank_to_decile(imd_rank, n_u),
            "move": imd_rank - rank,
        },
        index=national.index[defined],
    )
    return out.reindex(national.index)


def in_place_mask(national: pd.DataFrame, la_codes: Sequence[str]) -> np.ndarray:
    """Rows of the national table inside the place."""
    return national[LA_CODE].isin(list(la_codes)).to_numpy()


# ---------------------------------------------------------------- systems view


def matrix_columns(
    uploads: SessionUploads, areas: pd.DataFrame, minimum: int = 3
) -> tuple[dict[str, pd.Series], list[str]]:
    """Uploaded columns for the correlation matrix (label -> values oriented like ranks), and notes.

    Up to ``MAX_MATRIX_UPLOADS``; an upload with fewer than ``minimum`` values among ``areas``
    is left out with a note (a correlation needs several pairs).
    """
    labels = uploads.options()
    out: dict[str, pd.Series] = {}
    notes: list[str] = []
    for indicator_id, indicator in uploads.indicators.items():
        present = int(areas[indicator_id].notna().sum())
        if present < minimum:
            notes.append(
                f"{labels[indicator_id]} has {present} value(s) in this place, too few to correlate; left out."
            )
            continue
        if areas[indicator_id].nunique() < 2:
            notes.append(
                f"{labels[indicator_id]} has the same value across this place: no correlation to show; left out."
            )
            continue
        if len(out) >= MAX_MATRIX_UPLOADS:
            notes.append(
                f"The matrix shows your first {MAX_MATRIX_UPLOADS} uploaded indicators; {labels[indicator_id]} is left out."
            )
            continue
        out[labels[indicator_id]] = oriented_like_ranks(areas[indicator_id], indicator.polarity)
    return out, notes
