"""The indicator model: what an indicator is, whatever its source (official, uploaded, added later).

Pure: no Streamlit, no files. :mod:`placemap.data.catalogue` builds the official records and
holds the registry; this module holds the record and its vocabularies (enums), and the one
tie rule every page uses when it ranks values itself (:func:`rank_among`).

Example
-------
>>> import pandas as pd
>>> rank_among(pd.Series([5.0, None, 9.0, 5.0]), Polarity.HIGH_IS_WORSE).tolist()
[2.0, nan, 1.0, 2.0]
>>> Polarity("low_is_deprived") is Polarity.LOW_IS_WORSE
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

OGL = "Open Government Licence v3.0"
UPLOADED_LICENCE = "As stated by the uploader"  # the licence of every uploaded column


class Polarity(StrEnum):
    """Which way is worse. The values are the strings saved uploads and links already hold."""

    HIGH_IS_WORSE = "high_is_deprived"
    LOW_IS_WORSE = "low_is_deprived"

    @classmethod
    def parse(cls, value: object, default: Polarity | None = None) -> Polarity:
        """``value`` as a polarity; ``default`` (higher is worse) when it is not one.

        Example
        -------
        >>> Polarity.parse("low_is_deprived"), Polarity.parse("sideways")
        (<Polarity.LOW_IS_WORSE: 'low_is_deprived'>, <Polarity.HIGH_IS_WORSE: 'high_is_deprived'>)
        """
        try:
            return cls(value)
        except ValueError:
            return default or cls.HIGH_IS_WORSE


class ValueKind(StrEnum):
    """What a value is, which decides how it is formatted and whether it can be averaged."""

    RATE = "rate"
    COUNT = "count"
    SCORE = "score"
    RANK = "rank"
    DECILE = "decile"
    RATIO = "standardised ratio"
    VALUE = "value"  # a number the catalogue knows nothing more about (an upload)


class Geography(StrEnum):
    """The areas an indicator's values are published for. Values match the upload module's codes."""

    LSOA11 = "lsoa11"
    LSOA21 = "lsoa21"
    WARD = "ward"
    LA = "la"


GEOGRAPHY_LABELS: dict[Geography, str] = {
    Geography.LSOA21: "LSOAs (2021), as used by IoD2025",
    Geography.LSOA11: "LSOAs (2011), as used by IoD2015 and IoD2019",
    Geography.WARD: "electoral wards",
    Geography.LA: "local authority districts",
}
# The editions whose LSOAs an LSOA-coded indicator lies on; ward and LA data joins any edition.
EDITION_YEARS: dict[Geography, tuple[int, ...]] = {Geography.LSOA11: (2019, 2015), Geography.LSOA21: (2025,)}


def edition_geography(year: int) -> Geography:
    """The LSOA geography of edition ``year`` (2021 LSOAs for IoD2025, 2011 before)."""
    return Geography.LSOA21 if year >= 2025 else Geography.LSOA11


class Ranking(StrEnum):
    """How a page ranks an indicator where it needs ranks."""

    PUBLISHED = "published"  # the national rank the source publishes (``rank_columns``)
    AMONG_PRESENT = "among areas with a value"  # ``rank_among``: worst = 1, ties share the lowest rank


class Theme(StrEnum):
    """The themes indicators are grouped under in pickers and the catalogue."""

    OVERALL = "overall deprivation"
    EDUCATION = "education"
    HEALTH = "health"
    INCOME = "income and poverty"
    WORK = "work"
    CRIME = "crime"
    HOUSING = "housing and access"
    ENVIRONMENT = "environment"
    COMMUNITY = "community"
    LOCAL = "local data"


@dataclass(frozen=True)
class Indicator:
    """One indicator, official or not.

    ``columns`` maps each edition (year) of an official indicator to its column in that
    edition's LSOA table, and ``rank_columns`` / ``decile_columns`` name the companion
    national rank and decile; an indicator from any other source leaves them empty and
    has its values through :func:`placemap.data.values.indicator_values`.
    """

    id: str
    label: str
    domain: str
    subdomain: str | None
    measure: str
    unit: str
    polarity: Polarity
    columns: dict[int, str]
    rank_columns: dict[int, str]
    decile_columns: dict[int, str]
    source: str = "English Indices of Deprivation, MHCLG"
    licence: str = OGL
    notes: str = ""
    value_format: str = "{:,.3f}"
    years: tuple[int, ...] = field(default=())
    short_label: str = ""
    definition: str = ""
    value_kind: ValueKind = ValueKind.SCORE
    geography: Geography | None = None  # None: an edition's own LSOAs (official IoD indicators)
    period: str = ""
    ranking: Ranking = Ranking.PUBLISHED
    theme: Theme = Theme.OVERALL
    caveats: str = ""
    table_column: str = ""  # the column of its source table, for indicators that are not an edition's
    keywords: tuple[str, ...] = ()  # words people search by ("child poverty", "GP"), beside the label's own
    direction: str = ""  # completes "higher = ...", e.g. "more children in income-deprived families"
    la_level: bool = False  # one value per local authority, repeated on its LSOAs

    def __post_init__(self) -> None:
        # Saved uploads and older callers give the polarity as its string.
        object.__setattr__(self, "polarity", Polarity.parse(self.polarity))

    @property
    def official(self) -> bool:
        """Whether the indicator is a column of the editions' own tables."""
        return bool(self.columns)

    @property
    def uploaded(self) -> bool:
        """Whether a person brought it (an uploaded column): its source and licence are theirs, unchecked."""
        return self.licence == UPLOADED_LICENCE

    def column(self, year: int) -> str:
        """Return the column that holds this indicator in the edition ``year``'s table.

        An indicator that is not an edition's own column is named by its id in the tables
        its values are joined to (``placemap.data.values``).
        """
        if not self.columns and self.joins(year):
            return self.id
        try:
            return self.columns[year]
        except KeyError:
            raise ValueError(f"{self.label} is not published in the {year} edition") from None

    def rank_column(self, year: int) -> str:
        """The column of the national rank (1 = worst): published, or ranked among areas with a value."""
        if self.columns:
            return self.rank_columns[year]
        return f"{self.column(year)}__rank"

    def decile_column(self, year: int) -> str:
        """The column of the national decile (1 = worst 10%): published, or from ``rank_column``."""
        if self.columns:
            return self.decile_columns[year]
        return f"{self.column(year)}__decile"

    def suppressed_column(self, year: int) -> str:
        """The column of True where a missing value was suppressed (small numbers), beside ``column``.

        Only registered indicators whose source says which values were suppressed have it
        (``Catalogue.register(..., suppressed=...)``); pages check ``in frame.columns``.
        """
        return f"{self.column(year)}__suppressed"

    def joins(self, year: int) -> bool:
        """Whether the indicator has values on edition ``year``'s LSOAs."""
        if self.columns:
            return year in self.columns
        return year in EDITION_YEARS.get(self.geography, (year,))

    def format(self, value: float | None) -> str:
        """Format one value for display; missing values read "No data"."""
        if value is None or value != value:
            return "No data"
        return self.value_format.format(value)


def rank_among(values, polarity: Polarity | str) -> pd.Series:
    """Ranks of ``values`` among those present: 1 = worst, ties share the lowest rank; NaN stays NaN.

    The one tie rule of every page that ranks values itself (uploaded data, composites),
    the same as the published national ranks' "1 = most deprived".

    Parameters
    ----------
    values : array-like of numbers (a Series keeps its index)
    polarity : which way is worse

    Returns
    -------
    pandas.Series of float ranks

    Example
    -------
    >>> rank_among([1.0, 3.0, 3.0], Polarity.LOW_IS_WORSE).tolist()
    [1.0, 2.0, 2.0]
    """
    series = values.astype(float) if isinstance(values, pd.Series) else pd.Series(values, dtype=float)
    return series.rank(ascending=Polarity.parse(polarity) is Polarity.LOW_IS_WORSE, method="min", na_option="keep")
