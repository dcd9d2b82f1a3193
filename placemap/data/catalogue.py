"""The indicator catalogue: one record per indicator, one per edition of the data.

Pages show only what this module lists. Adding an indicator means adding a record
here (and its column in ``data/``), never editing a page.

Example
-------
>>> ind = get_indicator("education_rank")
>>> ind.label
'Education, Skills and Training: rank'
>>> ind.column(2019)
'Education_rank'
>>> [v.year for v in VINTAGES]
[2025, 2019, 2015]
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd

# OGL, Geography and Indicator are re-exported: pages and builders import them from the catalogue.
from placemap.data.indicators import OGL, Geography, Indicator, Polarity, Theme, ValueKind  # noqa: F401
from placemap.data.search_words import DOMAIN_WORDS

OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
IOD_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
BOUNDARY_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2011–2024."
)


@dataclass(frozen=True)
class Vintage:
    """One edition of the English Indices of Deprivation and the geography it uses."""

    year: int
    label: str
    source: str
    lsoa_label: str
    ward_label: str
    la_label: str
    n_lsoas: int
    iod_file: str
    boundary_file: str
    la_file: str
    summary_file: str
    la_note: str = ""

    @property
    def citation(self) -> str:
        return f"{self.source}. {IOD_ATTRIBUTION}"


def _vintage(
    year: int,
    publisher: str,
    lsoa_year: int,
    ward_year: int,
    la_year: int,
    n_lsoas: int,
    summary_la_year: int | None = None,
    la_note: str = "",
) -> Vintage:
    # The bundled files are named after the edition and the boundaries' years (see data/README.md).
    lsoa = f"lsoa{lsoa_year % 100}"
    return Vintage(
        year=year,
        label=f"IoD{year}",
        source=f"English Indices of Deprivation {year}, {publisher}",
        lsoa_label=f"LSOA ({lsoa_year})",
        ward_label=f"Ward ({ward_year})",
        la_label=f"Local authority district ({la_year})",
        n_lsoas=n_lsoas,
        iod_file=f"iod/iod{year}_{lsoa}.parquet",
        boundary_file=f"boundaries/{lsoa}.parquet",
        la_file=f"boundaries/lad{la_year % 100}.parquet",
        summary_file=f"iod/iod{year}_lad{(summary_la_year or la_year) % 100}_summaries.csv",
        la_note=la_note,
    )


VINTAGES: tuple[Vintage, ...] = (
    _vintage(2025, "MHCLG", 2021, 2024, 2024, 33_755),
    _vintage(2019, "MHCLG", 2011, 2019, 2019, 32_844),
    _vintage(
        2015,
        "DCLG (now MHCLG)",
        2011,
        2019,
        2019,
        32_844,
        summary_la_year=2021,
        la_note=(
            "IoD2015 was published for 2013 local authorities; Placemap groups its LSOAs "
            "by the 2019 authorities through the ONS LSOA (2011) to ward (2019) lookup."
        ),
    ),
)
DEFAULT_YEAR = 2025
DEFAULT_LA = "E06000009"  # Blackpool: the most deprived LA on average in 2019 and 2025


@dataclass(frozen=True)
class Domain:
    """A domain of deprivation, a supplementary index, or a sub-domain of a domain."""

    id: str
    label: str
    description: str
    parent: str | None = None
    weight: float | None = None  # official IMD weight, for the composite index


DOMAINS: tuple[Domain, ...] = (
    Domain(
        "imd",
        "Index of Multiple Deprivation (IMD)",
        "The overall measure: the seven domains combined with the official weights.",
    ),
    Domain("income", "Income", "People on low incomes, in or out of work.", weight=0.225),
    Domain("employment", "Employment", "Working-age people involuntarily out of work.", weight=0.225),
    Domain(
        "education",
        "Education, Skills and Training",
        "Lack of attainment and skills among children, young people and adults.",
        weight=0.135,
    ),
    Domain(
        "health",
        "Health Deprivation and Disability",
        "Risk of premature death and impaired quality of life through poor health.",
        weight=0.135,
    ),
    Domain("crime", "Crime", "Risk of personal and material victimisation.", weight=0.093),
    Domain(
        "barriers",
        "Barriers to Housing and Services",
        "Physical and financial access to housing and local services.",
        weight=0.093,
    ),
    Domain("environment", "Living Environment", "Quality of the indoor and outdoor local environment.", weight=0.093),
    Domain(
        "idaci",
        "Income Deprivation Affecting Children (IDACI)",
        "Children aged 0-15 living in income-deprived families.",
    ),
    Domain(
        "idaopi",
        "Income Deprivation Affecting Older People (IDAOPI)",
        "People aged 60 and over who are income deprived.",
    ),
    Domain(
        "children_young_people",
        "Children and young people",
        "Attainment and progression of children and young people.",
        parent="education",
    ),
    Domain("adult_skills", "Adult skills", "Adults with low qualifications or limited English.", parent="education"),
    Domain("geographical_barriers", "Geographical barriers", "Road distance to key local services.", parent="barriers"),
    Domain("wider_barriers", "Wider barriers", "Affordability, overcrowding and homelessness.", parent="barriers"),
    Domain(
        "indoors",
        "Indoors living environment",
        "Housing in poor condition and without central heating.",
        parent="environment",
    ),
    Domain("outdoors", "Outdoors living environment", "Air quality and road traffic accidents.", parent="environment"),
)
_DOMAINS = {d.id: d for d in DOMAINS}

# Column prefixes as they appear in each edition's LSOA table (see data/README.md).
_PREFIX: dict[int, dict[str, str]] = {
    2025: {
        "imd": "IMD",
        "income": "Income",
        "employment": "Employment",
        "education": "Education",
        "health": "Health",
        "crime": "Crime",
        "barriers": "Housing_and_Services",
        "environment": "Environment",
        "children_young_people": "children_and_young_people",
        "adult_skills": "adult_skills",
        "geographical_barriers": "geographical_barriers",
        "wider_barriers": "wider_barriers",
        "indoors": "indoors",
        "outdoors": "outdoors",
    },
    2019: {
        "imd": "IMD",
        "income": "Income",
        "employment": "Employment",
        "education": "Education",
        "health": "Health",
        "crime": "Crime",
        "barriers": "Housing_and_Access",
        "environment": "Environment",
        "idaci": "IDACI",
        "idaopi": "IDAOPI",
        "children_young_people": "Children_and_young_people",
        "adult_skills": "Adult_skills",
        "geographical_barriers": "Geographical_barriers",
        "wider_barriers": "Wider_barriers",
        "indoors": "Indoors",
        "outdoors": "Outdoors",
    },
    2015: {
        "imd": "IMD",
        "children_young_people": "children_and_young_people_sub_domain",
        "adult_skills": "adult_skills_sub_domain",
        "geographical_barriers": "geographical_barriers_sub_domain",
        "wider_barriers": "wider_barriers_sub_domain",
        "indoors": "indoors_sub_domain",
        "outdoors": "outdoors_sub_domain",
    },
}
# Which measures each edition publishes at LSOA level in the bundled data.
_MEASURES: dict[int, tuple[str, ...]] = {
    2025: ("score", "rank", "decile"),
    2019: ("rank", "decile"),
    2015: ("score", "rank", "decile"),
}

MEASURES = ("score", "rank", "decile")
_MEASURE_LABEL = {"score": "score", "rank": "rank", "decile": "decile"}
# Completes "higher = ..." on a legend; ranks and deciles run the other way (1 = most deprived).
_DIRECTION = {
    "score": "more deprived",
    "rank": "less deprived",  # the unit says "1 = most deprived"
    "decile": "less deprived",
}
# Scores of these domains are rates: the share of people who are deprived.
_RATE_DOMAINS = {"income", "employment", "idaci", "idaopi"}


# The catalogue's theme of each domain (sub-domains take their domain's).
_THEMES = {
    "imd": Theme.OVERALL,
    "income": Theme.INCOME,
    "idaci": Theme.INCOME,
    "idaopi": Theme.INCOME,
    "employment": Theme.WORK,
    "education": Theme.EDUCATION,
    "health": Theme.HEALTH,
    "crime": Theme.CRIME,
    "barriers": Theme.HOUSING,
    "environment": Theme.ENVIRONMENT,
}


def _measure_unit(measure: str, domain: str) -> tuple[str, Polarity, str, ValueKind]:
    if measure == "rank":
        return "national rank (1 = most deprived)", Polarity.LOW_IS_WORSE, "{:,.0f}", ValueKind.RANK
    if measure == "decile":
        return "national decile (1 = most deprived 10%)", Polarity.LOW_IS_WORSE, "{:.0f}", ValueKind.DECILE
    if domain in _RATE_DOMAINS:
        return "share of people deprived", Polarity.HIGH_IS_WORSE, "{:.1%}", ValueKind.RATE
    return "score (higher = more deprived)", Polarity.HIGH_IS_WORSE, "{:,.3f}", ValueKind.SCORE


def _build_indicators() -> tuple[Indicator, ...]:
    records = []
    for d in DOMAINS:
        for measure in MEASURES:
            years = tuple(y for y in (2025, 2019, 2015) if d.id in _PREFIX[y] and measure in _MEASURES[y])
            if not years:
                continue
            top = d.parent or d.id
            prefix = {y: _PREFIX[y][d.id] for y in years}
            label = (
                f"{_DOMAINS[top].label}: {_MEASURE_LABEL[measure]}"
                if d.parent is None
                else f"{_DOMAINS[top].label}: {d.label} sub-domain {_MEASURE_LABEL[measure]}"
            )
            unit, polarity, fmt, kind = _measure_unit(measure, d.id)
            notes = ""
            if measure == "score":
                notes = "Scores are not comparable between editions; compare ranks and deciles."
            records.append(
                Indicator(
                    id=f"{d.id}_{measure}" if d.parent is None else f"{top}_{d.id}_{measure}",
                    label=label,
                    domain=top,
                    subdomain=d.id if d.parent else None,
                    measure=measure,
                    unit=unit,
                    polarity=polarity,
                    columns={y: f"{prefix[y]}_{measure}" for y in years},
                    rank_columns={y: f"{prefix[y]}_rank" for y in years},
                    decile_columns={y: f"{prefix[y]}_decile" for y in years},
                    notes=notes,
                    value_format=fmt,
                    years=years,
                    short_label=_DOMAINS[top].label if d.parent is None else d.label,
                    definition=d.description,
                    value_kind=kind,
                    period=", ".join(f"IoD{y}" for y in years),
                    theme=_THEMES[top],
                    caveats=notes,
                    keywords=DOMAIN_WORDS.get(d.id, ()),
                    direction=_DIRECTION[measure],
                )
            )
    return tuple(records)


INDICATORS: tuple[Indicator, ...] = _build_indicators()
DEFAULT_INDICATOR = "imd_decile"
# Values of an indicator that is not a column of an edition's table: a Series indexed by
# area code (of the indicator's geography), or a function returning one (read when needed).
ValuesSource = pd.Series | Callable[[], pd.Series]


class Catalogue:
    """The indicators Placemap knows: the official records plus any registered beside them.

    Every page resolves an indicator by id here, so a new dataset is a record and its
    values (``register``), never a page change. ``version`` changes on every registration,
    so caches of joined tables can key on it.

    Example
    -------
    >>> cat = Catalogue()
    >>> ind = Indicator("pupils", "Pupils", "education", None, "value", "%", Polarity.LOW_IS_WORSE,
    ...                 {}, {}, {}, geography=Geography.LA, theme=Theme.EDUCATION)
    >>> _ = cat.register(ind, pd.Series({"E06000009": 71.0}))
    >>> cat.get("pupils").label, ind in cat.for_edition(2019), cat.values_source("pupils").tolist()
    ('Pupils', True, [71.0])
    """

    def __init__(self, official: tuple[Indicator, ...] = ()) -> None:
        self._records: dict[str, Indicator] = {i.id: i for i in official}
        self._official = tuple(official)
        self._sources: dict[str, ValuesSource] = {}
        self._suppressed: dict[str, ValuesSource] = {}  # True where a missing value was suppressed
        self._version = 0
        self._providers: list = []
        self._bundled: set[str] = set()  # ids registered by providers (bundled datasets)

    def provide(self, provider) -> None:
        """Let ``provider(catalogue)`` register its records on the catalogue's first use.

        How a bundled dataset's loader adds its records without the catalogue importing it
        (its module may import the loaders, which import the catalogue).
        """
        self._providers.append(provider)

    def _provided(self) -> None:
        while self._providers:
            before = set(self._records)
            self._providers.pop(0)(self)
            self._bundled |= set(self._records) - before

    @property
    def version(self):
        """Changes whenever a record is registered or removed: caches of joined tables key on it."""
        self._provided()
        return self._version

    @version.setter
    def version(self, value) -> None:
        self._version = value

    def get(self, indicator_id: str) -> Indicator:
        """The record for ``indicator_id``; ``ValueError`` if the catalogue has none."""
        self._provided()
        try:
            return self._records[indicator_id]
        except (KeyError, TypeError):
            raise ValueError(f"Unknown indicator {indicator_id!r}") from None

    def __contains__(self, indicator_id: object) -> bool:
        self._provided()
        return indicator_id in self._records

    def register(
        self, indicator: Indicator, values_source: ValuesSource | None = None, suppressed: ValuesSource | None = None
    ) -> Indicator:
        """Add (or replace) a record and where its values come from; official ids cannot be replaced.

        ``suppressed`` (optional, same shape as the values) is True where the publisher withheld a
        value (small numbers), so pages show "suppressed" apart from "no data".
        """
        if any(i.id == indicator.id for i in self._official):
            raise ValueError(f"{indicator.id!r} is an official indicator and cannot be replaced")
        if not indicator.official and values_source is None:
            raise ValueError(f"{indicator.label} is not an edition's column, so it needs its values")
        self._records[indicator.id] = indicator
        if values_source is not None:
            self._sources[indicator.id] = values_source
        if suppressed is not None:
            self._suppressed[indicator.id] = suppressed
        self._version += 1
        return indicator

    def unregister(self, indicator_id: str) -> None:
        """Remove a registered record (official ones stay)."""
        if indicator_id in self._records and not any(i.id == indicator_id for i in self._official):
            del self._records[indicator_id]
            self._sources.pop(indicator_id, None)
            self._suppressed.pop(indicator_id, None)
            self._version += 1

    def registered(self, bundled: bool = True) -> list[Indicator]:
        """The records added beside the official ones, in registration order.

        ``bundled=False`` leaves out the bundled datasets' records (the measures behind the
        indices), for the pages' "your data" sections, which list what a person brought.
        """
        self._provided()
        official = {i.id for i in self._official}
        return [i for i in self._records.values() if i.id not in official and (bundled or i.id not in self._bundled)]

    def with_uploads(self, tables) -> Catalogue:
        """A copy with each uploaded table's columns registered (``UploadedTable.indicators``).

        A session's catalogue: its uploads resolve by id beside the official and registered
        indicators, without being listed to other sessions.
        """
        self._provided()
        child = Catalogue(self._official)
        child._records.update(self._records)
        child._sources.update(self._sources)
        child._suppressed.update(self._suppressed)
        child._bundled = set(self._bundled)
        for table in tables:
            for indicator in table.indicators():
                child.register(indicator, partial(table.series, indicator))
        child.version = (self.version, tuple(t.id for t in tables))
        return child

    def values_source(self, indicator_id: str) -> pd.Series | None:
        """The values of a registered indicator, indexed by area code (``None`` for official ones)."""
        self._provided()
        source = self._sources.get(indicator_id)
        return source() if callable(source) else source

    def suppressed_source(self, indicator_id: str) -> pd.Series | None:
        """True where a registered indicator's value was suppressed (small numbers); ``None`` if it never is."""
        self._provided()
        source = self._suppressed.get(indicator_id)
        return source() if callable(source) else source

    def for_edition(self, year: int) -> list[Indicator]:
        """Every indicator with values on edition ``year``'s LSOAs: the official ones, then the registered."""
        return [i for i in self._official if year in i.columns] + [i for i in self.registered() if i.joins(year)]

    def themes(self, year: int) -> dict[Theme, list[Indicator]]:
        """``for_edition(year)`` grouped by theme, in the themes' order."""
        found = self.for_edition(year)
        return {t: [i for i in found if i.theme is t] for t in Theme if any(i.theme is t for i in found)}


CATALOGUE = Catalogue(INDICATORS)  # the process's catalogue: official records plus what is registered


def get_vintage(year: int) -> Vintage:
    """Return the edition record for ``year``; raise ``ValueError`` if there is none."""
    for v in VINTAGES:
        if v.year == year:
            return v
    raise ValueError(f"No Indices of Deprivation edition for {year}")


def get_domain(domain_id: str) -> Domain:
    """Return the domain record for ``domain_id``."""
    try:
        return _DOMAINS[domain_id]
    except KeyError:
        raise ValueError(f"Unknown domain {domain_id!r}") from None


def column_prefix(year: int, domain_id: str) -> str:
    """The prefix of a domain's columns in the edition's LSOA table ("Housing_and_Access" for barriers in 2019)."""
    try:
        return _PREFIX[year][domain_id]
    except KeyError:
        raise ValueError(f"IoD{year} publishes no LSOA columns for the domain {domain_id!r}") from None


def seven_domains() -> list[Domain]:
    """The seven domains of deprivation that make up the IMD, in catalogue order."""
    return [d for d in DOMAINS if d.weight is not None]


def get_indicator(indicator_id: str) -> Indicator:
    """Return the indicator record for ``indicator_id`` from ``CATALOGUE``; raise ``ValueError`` if unknown."""
    return CATALOGUE.get(indicator_id)


def indicators_for(year: int) -> list[Indicator]:
    """Every indicator the edition ``year`` publishes, in catalogue order."""
    return [i for i in INDICATORS if year in i.columns]


def domains_for(year: int) -> list[Domain]:
    """Top-level domains (and supplementary indices) with at least one indicator in ``year``."""
    present = {i.domain for i in indicators_for(year)}
    return [d for d in DOMAINS if d.parent is None and d.id in present]


def measures_for(year: int, domain_id: str) -> list[Indicator]:
    """Indicators of one domain in one edition: its own measures, its sub-domains', then registered ones."""
    return [i for i in CATALOGUE.for_edition(year) if i.domain == domain_id]


def headline_indicators(year: int, measure: str) -> list[Indicator]:
    """The IMD, the seven domains and the supplementary indices (no sub-domains) for ``measure``."""
    return [i for i in indicators_for(year) if i.subdomain is None and i.measure == measure]


def measure_label(indicator: Indicator) -> str:
    """Short label of an indicator within its domain: "Rank", or "Adult skills sub-domain: rank"."""
    if not indicator.official:
        return indicator.short_label or indicator.label
    if indicator.subdomain:
        return f"{get_domain(indicator.subdomain).label} sub-domain: {indicator.measure}"
    return indicator.measure.capitalize()


ENGLAND = "E92000001"
REGION_FILE = "lookups/la_regions_england.csv"
# Above this many LSOAs the map draws them as one server-rendered image: Leaflet builds
# one layer object per polygon, so tens of thousands of vector polygons take seconds to paint.
VECTOR_LSOA_LIMIT = 3_000
# Above this many LSOAs the map opens on LA summaries (the user can still ask for LSOAs).
LSOA_DEFAULT_LIMIT = 3_000
LA_SUMMARY_LABEL = "Share of LSOAs in England's most deprived 10%"
LA_SUMMARY_NOTE = (
    "Local authority view: for each LA, the share of its LSOAs in England's most deprived 10% "
    "on this domain (MHCLG's 'proportion of LSOAs in the most deprived 10% nationally', "
    "computed from the LSOA deciles; for the IMD and the domains it equals the official LA summary)."
)


def _bundled_measures(catalogue: Catalogue) -> None:
    # The measures behind the indices and the Census dimensions are bundled datasets like the
    # indices themselves: registered on the catalogue's first use, their values read when needed.
    from placemap.data.measure_catalogue import register_measures

    register_measures(catalogue)


CATALOGUE.provide(_bundled_measures)
