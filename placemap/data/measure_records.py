"""The measures behind the indices: one metadata record per measure and edition. Pure data.

Every IoD2019 and IoD2025 File 8 underlying indicator (28 each) and the Census 2011 and
2021 household deprivation dimensions, with what a legend needs: a plain definition, the
unit, which way is worse (checked against the IoD technical reports and against the data:
each indicator's rank correlation with its domain or sub-domain), where a rate is made
from a count and a denominator, whether the value is an LA figure repeated on its LSOAs,
and whether the measure may be compared between editions (with the reason).

The records are plain frozen dataclasses so that the indicator catalogue can turn them
into its own records; ``placemap.data.measures`` reads the values.

Example
-------
>>> m = get_measure("connectivity_score", 2025)
>>> m.polarity is Polarity.HIGHER_IS_BETTER, m.unit
(True, 'score from 0 to 100')
>>> len(measures_for(2019)), len(measures_for(2025))
(28, 28)
"""

from __future__ import annotations

from placemap.data.measure_types import (
    CENSUS_YEARS,
    EDITION,
    IOD_YEARS,
    YEARS,
    Measure,
    Polarity,
    Theme,
    ValueKind,
    make_measure,
)
from placemap.data.measures_iod2019 import IOD2019_MEASURES
from placemap.data.measures_iod2025 import IOD2025_MEASURES

__all__ = [
    "CENSUS_YEARS",
    "IOD_YEARS",
    "MEASURES",
    "YEARS",
    "Measure",
    "Polarity",
    "Theme",
    "ValueKind",
    "get_measure",
    "measures_for",
]

_DIMENSIONS = "employment, education, health and disability, housing"
_CENSUS_COMPARABLE = (
    "Same four dimensions in both censuses; compared through the ONS LSOA 2011→2021 lookup "
    "(placemap.analysis.measure_change states the rule)."
)
_CENSUS_CAVEATS = {
    2011: (),
    2021: (
        "Census 2021 took place during the coronavirus pandemic, which may affect the employment dimension.",
        "ONS adjusts small Census 2021 counts slightly to protect confidentiality.",
    ),
}


def _census(year: int) -> tuple[Measure, ...]:
    dims = [f"households_deprived_in_{n}_dimensions" for n in range(5)]
    names = ["none of", "one of", "two of", "three of", "all four of"]
    records = [
        make_measure(
            year,
            f"households_deprived_in_{n}",
            dims[n],
            f"Households deprived in {names[n]} the four dimensions",
            f"Deprived in {n} dimension{'s' if n != 1 else ''}",
            f"Share of households deprived in {names[n]} the four Census dimensions ({_DIMENSIONS}).",
            "% of households",
            ValueKind.RATE_MADE,
            Theme.INCOME,
            "more households free of all four kinds of deprivation"
            if n == 0
            else f"more households deprived in {names[n].removesuffix(' of')} dimension{'s' if n != 1 else ''}",
            f"Census {year}",
            numerator_columns=(dims[n],),
            denominator_column="households_total",
            polarity=Polarity.HIGHER_IS_BETTER if n == 0 else Polarity.HIGHER_IS_WORSE,
            comparable=True,
            comparable_reason=_CENSUS_COMPARABLE,
            caveats=_CENSUS_CAVEATS[year],
        )
        for n in range(5)
    ]
    for low, name in ((1, "one or more"), (2, "two or more")):
        records.append(
            make_measure(
                year,
                f"households_deprived_in_{low}_or_more",
                dims[low],
                f"Households deprived in {name} dimensions",
                f"Deprived in {name}",
                f"Share of households deprived in {name} of the four Census dimensions ({_DIMENSIONS}).",
                "% of households",
                ValueKind.RATE_MADE,
                Theme.INCOME,
                f"more households deprived in {name} dimensions",
                f"Census {year}",
                numerator_columns=tuple(dims[low:]),
                denominator_column="households_total",
                comparable=True,
                comparable_reason=_CENSUS_COMPARABLE,
                caveats=_CENSUS_CAVEATS[year],
            )
        )
    return tuple(records)


MEASURES: tuple[Measure, ...] = (*IOD2019_MEASURES, *IOD2025_MEASURES, *_census(2011), *_census(2021))
_BY_KEY = {m.key: m for m in MEASURES}


def measures_for(year: int) -> tuple[Measure, ...]:
    """Every measure of one edition (2019, 2025: IoD; 2011, 2021: Census), in display order."""
    if year not in YEARS:
        raise ValueError(f"No measures for {year}: choose one of {', '.join(map(str, YEARS))}")
    return tuple(m for m in MEASURES if m.year == year)


def get_measure(measure_id: str, year: int) -> Measure:
    """The record of one measure in one edition; ``KeyError`` naming both if there is none."""
    try:
        return _BY_KEY[(measure_id, year)]
    except KeyError:
        raise KeyError(f"No measure {measure_id!r} in {EDITION.get(year, year)}") from None
