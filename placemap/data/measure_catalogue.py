"""The measures behind the indices and the Census dimensions as catalogue indicators.

Each record of :mod:`placemap.data.measure_records` (IoD2019 and IoD2025 File 8, Census 2011 and
2021 household deprivation) becomes an :class:`~placemap.data.indicators.Indicator` registered in
the catalogue with a lazy source of its LSOA values, so every page that lists an edition's
indicators offers it, maps it, ranks it (among LSOAs with a value, one tie rule) and exports it
with its definition, unit, direction, period, source and licence. No page knows these measures
exist: this module and its records are the whole of the change (the one-catalogue rule).

Pure: no Streamlit. Values are read once per process per edition, on first use.

Example
-------
>>> from placemap.data.catalogue import Catalogue
>>> cat = Catalogue()
>>> added = register_measures(cat)
>>> ind = cat.get("children_in_income_deprived_families_2019")
>>> ind.label, ind.domain, ind.geography.value, ind.polarity.value
('Children in income-deprived families (IoD2019)', 'income', 'lsoa11', 'high_is_deprived')
>>> len(added), len(register_measures(cat))  # registering twice adds nothing
(70, 0)
"""

from __future__ import annotations

import logging
from functools import lru_cache

import pandas as pd

from placemap.data.indicators import Geography, Indicator, Polarity, Ranking, Theme, ValueKind
from placemap.data.measure_records import measures_for
from placemap.data.measure_types import CENSUS_YEARS, YEARS, Measure
from placemap.data.measure_types import Polarity as MeasurePolarity
from placemap.data.measure_types import Theme as MeasureTheme
from placemap.data.measure_types import ValueKind as MeasureKind
from placemap.data.search_words import measure_words

log = logging.getLogger(__name__)

# The domain whose measure list a measure joins on the map explorer and the other pickers.
DOMAIN_OF_THEME = {
    MeasureTheme.INCOME: "income",
    MeasureTheme.WORK: "employment",
    MeasureTheme.EDUCATION: "education",
    MeasureTheme.HEALTH: "health",
    MeasureTheme.CRIME: "crime",
    MeasureTheme.HOUSING_ACCESS: "barriers",
    MeasureTheme.ENVIRONMENT: "environment",
}
THEME = {
    MeasureTheme.INCOME: Theme.INCOME,
    MeasureTheme.WORK: Theme.WORK,
    MeasureTheme.EDUCATION: Theme.EDUCATION,
    MeasureTheme.HEALTH: Theme.HEALTH,
    MeasureTheme.CRIME: Theme.CRIME,
    MeasureTheme.HOUSING_ACCESS: Theme.HOUSING,
    MeasureTheme.ENVIRONMENT: Theme.ENVIRONMENT,
}
KIND = {
    MeasureKind.RATE_MADE: ValueKind.RATE,
    MeasureKind.PUBLISHED_RATE: ValueKind.RATE,
    MeasureKind.PROPORTION: ValueKind.RATE,
    MeasureKind.RATE_PER_1000: ValueKind.RATE,
    MeasureKind.COUNT: ValueKind.COUNT,
    MeasureKind.STANDARDISED: ValueKind.RATIO,
    MeasureKind.SCORE: ValueKind.SCORE,
    MeasureKind.DISTANCE: ValueKind.VALUE,
    MeasureKind.RATIO: ValueKind.RATIO,
}
GEOGRAPHY = {2019: Geography.LSOA11, 2011: Geography.LSOA11, 2025: Geography.LSOA21, 2021: Geography.LSOA21}


def indicator_id(measure: Measure) -> str:
    """The catalogue id of a measure: its id and year (``children_in_income_deprived_families_2019``)."""
    return f"{measure.id}_{measure.year}"


def _format(measure: Measure) -> str:
    if measure.value_kind is MeasureKind.COUNT:
        return "{:,.0f}"
    if measure.multiplier == 100.0:
        return "{:.1f}%"
    return "{:,.2f}"


def _domain(measure: Measure) -> str:
    # The Census dimensions describe deprivation as a whole (employment, education, health, housing).
    return "imd" if measure.year in CENSUS_YEARS else DOMAIN_OF_THEME[measure.theme]


def measure_indicator(measure: Measure) -> Indicator:
    """The catalogue record of one measure (no edition columns: its values come from its source)."""
    from placemap.data.measures import how_made, legend_text

    return Indicator(
        id=indicator_id(measure),
        label=f"{measure.label} ({measure.edition})",
        domain=_domain(measure),
        subdomain=None,
        measure="value",
        unit=measure.unit,  # in full ("% of children aged 0–15"): legends and pickers show it
        polarity=Polarity.LOW_IS_WORSE
        if measure.polarity is MeasurePolarity.HIGHER_IS_BETTER
        else Polarity.HIGH_IS_WORSE,
        columns={},
        rank_columns={},
        decile_columns={},
        source=measure.source,
        licence=measure.licence,
        notes=f"{legend_text(measure)} {how_made(measure)}",
        value_format=_format(measure),
        short_label=f"{measure.short_label} ({measure.edition})",
        definition=measure.definition,
        value_kind=KIND[measure.value_kind],
        geography=GEOGRAPHY[measure.year],
        period=measure.period,
        ranking=Ranking.AMONG_PRESENT,
        theme=THEME[measure.theme],
        caveats=" ".join(measure.caveats),
        keywords=measure_words(measure.id),
        direction=measure.direction,
        la_level=measure.la_level,
    )


@lru_cache(maxsize=len(YEARS))
def _table(year: int):
    from placemap.data.measures import read_measures

    return read_measures(year)


def measure_table(year: int):
    """``read_measures(year)``, read once per process (the table every page's measure values come from)."""
    return _table(year)


def measure_values(measure: Measure) -> pd.Series:
    """One measure's LSOA values in the unit shown; empty (with a logged reason) if its file cannot be read.

    An unreadable measures file must not stop the pages that never show a measure.
    """
    from placemap.data.loaders import DataFileError
    from placemap.data.measures import display_values

    try:
        return display_values(_table(measure.year), measure.id).astype(float)
    except (DataFileError, OSError, ValueError) as problem:
        log.warning("Measures of %s not available: %s", measure.edition, problem)
        return pd.Series(dtype=float)


def measure_suppressed(measure: Measure) -> pd.Series:
    """True on the LSOAs whose value MHCLG suppressed (small numbers); empty if the file cannot be read."""
    from placemap.data.loaders import DataFileError

    try:
        return _table(measure.year).suppressed[measure.id].astype(bool)
    except (DataFileError, OSError, ValueError, KeyError) as problem:
        log.warning("Suppression flags of %s not available: %s", measure.edition, problem)
        return pd.Series(dtype=bool)


def register_measures(catalogue) -> list[Indicator]:
    """Register every measure of every edition in ``catalogue`` once; the records added (none the second time)."""
    added = []
    for year in YEARS:
        for measure in measures_for(year):
            if indicator_id(measure) in catalogue:
                continue
            added.append(
                catalogue.register(
                    measure_indicator(measure),
                    lambda m=measure: measure_values(m),
                    suppressed=lambda m=measure: measure_suppressed(m),
                )
            )
    return added
