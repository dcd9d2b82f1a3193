"""Types of the measure records: polarity, theme, value kind, the ``Measure`` record. Pure.

``placemap.data.measure_records`` holds the records themselves (one module per edition
keeps each short); ``placemap.data.measures`` reads their values.
"""

from dataclasses import dataclass
from enum import StrEnum

OGL = "Open Government Licence v3.0"
IOD2019_SOURCE = "English Indices of Deprivation 2019, File 8 (underlying indicators), MHCLG"
IOD2025_SOURCE = "English Indices of Deprivation 2025, File 8 (underlying indicators), MHCLG"
CENSUS2011_SOURCE = "ONS Census 2011, households by deprivation dimensions (QS119EW)"
CENSUS2021_SOURCE = "ONS Census 2021, households by deprivation dimensions (TS011)"

IOD_YEARS = (2019, 2025)
CENSUS_YEARS = (2011, 2021)
YEARS = (*IOD_YEARS, *CENSUS_YEARS)

# Where each edition's values live inside data/ (the loader reads these).
MEASURE_FILES = {
    2019: "indicators/iod2019_lsoa11_underlying_indicators.parquet",
    2025: "indicators/iod2025_lsoa21_underlying_indicators.parquet",
    2011: "indicators/census2011_household_deprivation_lsoa11.parquet",
    2021: "indicators/census2021_household_deprivation_lsoa21.parquet",
}
# Denominators and published rates come from the edition's IoD table.
DENOMINATOR_FILES = {2019: "iod/iod2019_lsoa11.parquet", 2025: "iod/iod2025_lsoa21.parquet"}
LA_SUMMARY_FILES = {2019: "iod/iod2019_lad19_summaries.csv", 2025: "iod/iod2025_lad24_summaries.csv"}
GEOGRAPHY = {2019: "LSOA (2011)", 2011: "LSOA (2011)", 2025: "LSOA (2021)", 2021: "LSOA (2021)"}
EDITION = {2019: "IoD2019", 2025: "IoD2025", 2011: "Census 2011", 2021: "Census 2021"}

# MHCLG rounded File 8 counts to the nearest 5 and suppressed counts under 10.
SUPPRESSION_THRESHOLD = 10
SUPPRESSED_LABEL = "suppressed (small numbers)"
NO_DATA_LABEL = "no data"
LA_LEVEL_NOTE = "an LA value repeated on its LSOAs"
NO_DENOMINATOR_NOTE = "a count: the data hold no denominator for it, so no rate is made"


class Polarity(StrEnum):
    """Which way is worse, from the technical report (and checked against the data)."""

    HIGHER_IS_WORSE = "higher_is_worse"
    HIGHER_IS_BETTER = "higher_is_better"


class Theme(StrEnum):
    """The themes a person browses measures by."""

    EDUCATION = "education"
    HEALTH = "health"
    INCOME = "income and poverty"
    WORK = "work"
    CRIME = "crime"
    HOUSING_ACCESS = "housing and access"
    ENVIRONMENT = "environment"


class ValueKind(StrEnum):
    """How a value was made, which decides how a place's figure may be made from LSOAs."""

    RATE_MADE = "rate made from a count and its denominator"
    PUBLISHED_RATE = "rate as published"
    COUNT = "count"
    PROPORTION = "proportion as published"
    RATE_PER_1000 = "rate per 1,000 as published"
    STANDARDISED = "standardised ratio or rate as published"
    SCORE = "score as published"
    DISTANCE = "distance as published"
    RATIO = "ratio as published"


@dataclass(frozen=True)
class Measure:
    """One measure of one edition, with everything a legend and a place figure need.

    ``numerator_columns`` (summed) over ``denominator_column`` make the rate where
    ``value_kind`` is ``RATE_MADE``; ``published_column`` names the published LSOA rate
    (IoD2025 income and employment); ``la_published_column`` the published LA figure in
    the edition's LA summaries. ``multiplier`` turns the stored value into the unit shown
    (100 for proportions shown as %). ``direction`` completes "higher = ...".
    """

    id: str
    year: int
    label: str
    short_label: str
    definition: str
    unit: str
    value_kind: ValueKind
    polarity: Polarity
    theme: Theme
    direction: str
    period: str
    column: str
    source: str
    numerator_columns: tuple[str, ...] = ()
    denominator_column: str | None = None
    published_column: str | None = None
    la_published_column: str | None = None
    multiplier: float = 1.0
    la_level: bool = False
    comparable: bool = False
    comparable_reason: str = ""
    caveats: tuple[str, ...] = ()
    licence: str = OGL

    @property
    def edition(self) -> str:
        return EDITION[self.year]

    @property
    def geography(self) -> str:
        return GEOGRAPHY[self.year]

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.year)


def make_measure(
    year: int,
    id: str,
    column: str,
    label: str,
    short: str,
    definition: str,
    unit: str,
    kind: ValueKind,
    theme: Theme,
    direction: str,
    period: str,
    **extra,
) -> Measure:
    """Build a record with the edition's source, "higher is worse" unless told, and % for shares.

    The positional order is the order each record reads in: edition, id, column, label,
    short label, definition, unit, value kind, theme, direction ("higher = ..."), period.
    """
    source = {2019: IOD2019_SOURCE, 2025: IOD2025_SOURCE, 2011: CENSUS2011_SOURCE, 2021: CENSUS2021_SOURCE}[year]
    extra.setdefault("polarity", Polarity.HIGHER_IS_WORSE)
    if kind is ValueKind.PROPORTION or kind is ValueKind.RATE_MADE or kind is ValueKind.PUBLISHED_RATE:
        extra.setdefault("multiplier", 100.0)
    return Measure(
        id=id,
        year=year,
        label=label,
        short_label=short,
        definition=definition,
        unit=unit,
        value_kind=kind,
        theme=theme,
        direction=direction,
        period=period,
        column=column,
        source=source,
        **extra,
    )


# Reasons shared by several records (IoD2025 changed 14 indicators and added 20; every
# Crime and Living Environment indicator and all but one Barriers indicator changed).
INCOME_CHANGED = (
    "Definition changed: IoD2025 counts Universal Credit claimants by conditionality group and judges "
    "low income after housing costs, so its income-deprived groups differ from IoD2019's."
)
STANDARDISED_NOTE = (
    "Standardised against England in each edition's own period, so a change shows movement relative "
    "to England, not in absolute terms."
)
ROUNDED = "Counts are rounded to the nearest 5 by MHCLG; counts under 10 are suppressed (small numbers)."
MODELLED = "A modelled estimate, not a direct count."

IOD2019_PERIOD = "IoD2019 (data mostly 2015–2017)"
IOD2025_PERIOD = "IoD2025 (data mostly 2021–2023)"
