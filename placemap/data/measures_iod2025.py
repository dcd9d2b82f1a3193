"""The 28 IoD2025 File 8 underlying indicators as measure records (LSOA 2021). Pure data."""

from __future__ import annotations

from dataclasses import replace

from placemap.data.measure_types import (
    INCOME_CHANGED,
    IOD2025_PERIOD,
    IOD2025_SOURCE,
    NO_DENOMINATOR_NOTE,
    ROUNDED,
    Measure,
    make_measure,
)
from placemap.data.measure_types import Polarity as P
from placemap.data.measure_types import Theme as T
from placemap.data.measure_types import ValueKind as K
from placemap.data.measures_iod2019 import IOD2019_MEASURES

_IOD2019 = {m.id: m for m in IOD2019_MEASURES}


def _as_in_2019(measure_id: str, **changes) -> Measure:
    # The indicators IoD2025 kept as they were: the 2019 record, on the 2025 edition.
    return replace(
        _IOD2019[measure_id], **{"year": 2025, "source": IOD2025_SOURCE, "period": IOD2025_PERIOD, **changes}
    )


_CRIME = (
    (
        "violence_with_injury",
        "violence_with_injury_rate_per_1_000_at_risk_population",
        "violence with injury",
        "per 1,000 at-risk population",
    ),
    (
        "violence_without_injury",
        "violence_without_injury_rate_per_1_000_at_risk_population",
        "violence without injury",
        "per 1,000 at-risk population",
    ),
    (
        "stalking_and_harassment",
        "stalking_and_harassment_rate_per_1_000_at_risk_population",
        "stalking and harassment",
        "per 1,000 at-risk population",
    ),
    ("burglary", "burglary_rate_per_1_000_at_risk_properties", "burglary", "per 1,000 at-risk properties"),
    ("theft", "theft_rate_per_1_000_at_risk_population", "theft", "per 1,000 at-risk population"),
    (
        "criminal_damage",
        "criminal_damage_rate_per_1_000_at_risk_population",
        "criminal damage",
        "per 1,000 at-risk population",
    ),
    (
        "public_order_and_weapons",
        "public_order_and_possession_of_weapons_rate_per_1_000_at_risk_population",
        "public order and weapons offences",
        "per 1,000 at-risk population",
    ),
    (
        "anti_social_behaviour",
        "anti_social_behaviour_rate_per_1_000_at_risk_population",
        "anti-social behaviour",
        "per 1,000 at-risk population",
    ),
)

IOD2025_MEASURES: tuple[Measure, ...] = (
    make_measure(
        2025,
        "income_deprived_people",
        "income_domain_numerator",
        "People in income deprivation",
        "Income deprived",
        "Share of people living in income-deprived families (out of work, or in work "
        "on low income judged after housing costs, and receiving means-tested support), as IoD2025 publishes it.",
        "% of people",
        K.PUBLISHED_RATE,
        T.INCOME,
        "more people in income-deprived families",
        IOD2025_PERIOD,
        numerator_columns=("income_domain_numerator",),
        published_column="Income_score",
        la_published_column="income_average_score",
        comparable_reason=INCOME_CHANGED,
        caveats=(
            "The rate is IoD2025's Income score; the LSOA populations it divides by are not in the data, "
            "so places other than LSOAs and LAs get no rate (LAs show the published figure).",
            ROUNDED,
        ),
    ),
    make_measure(
        2025,
        "children_in_income_deprived_families_count",
        "income_deprivation_affecting_children_index_idaci_numerator",
        "Children in income-deprived families (count)",
        "Children, income deprived (count)",
        "Number of children aged 0–15 living in income-deprived families (the IDACI numerator).",
        "number of children",
        K.COUNT,
        T.INCOME,
        "more children in income-deprived families",
        IOD2025_PERIOD,
        numerator_columns=("income_deprivation_affecting_children_index_idaci_numerator",),
        comparable_reason=INCOME_CHANGED,
        caveats=(NO_DENOMINATOR_NOTE, ROUNDED),
    ),
    make_measure(
        2025,
        "older_people_income_deprived_count",
        "income_deprivation_affecting_older_people_index_idaopi_numerator",
        "Older people in income deprivation (count)",
        "Older people, income deprived (count)",
        "Number of people aged 60 and over living in income-deprived families (the IDAOPI numerator).",
        "number of people aged 60 and over",
        K.COUNT,
        T.INCOME,
        "more older people in income deprivation",
        IOD2025_PERIOD,
        numerator_columns=("income_deprivation_affecting_older_people_index_idaopi_numerator",),
        comparable_reason=INCOME_CHANGED,
        caveats=(NO_DENOMINATOR_NOTE, ROUNDED),
    ),
    make_measure(
        2025,
        "employment_deprived_people",
        "employment_domain_numerator",
        "Working-age people out of work",
        "Employment deprived",
        "Share of working-age people involuntarily out of work, as IoD2025 publishes it.",
        "% of working-age people",
        K.PUBLISHED_RATE,
        T.WORK,
        "more working-age people involuntarily out of work",
        IOD2025_PERIOD,
        numerator_columns=("employment_domain_numerator",),
        published_column="Employment_score",
        la_published_column="employment_average_score",
        comparable_reason="Definition changed: IoD2025 added five indicators to the Employment domain.",
        caveats=(
            "The rate is IoD2025's Employment score; its denominators are not in the data, so places other "
            "than LSOAs and LAs get no rate (LAs show the published figure).",
            ROUNDED,
        ),
    ),
    _as_in_2019(
        "adults_low_skills",
        definition="Share of working-age adults with no or low qualifications, or who cannot speak English well.",
        period="Census 2021",
    ),
    _as_in_2019("not_entering_higher_education"),
    _as_in_2019("emergency_admissions_ratio"),
    _as_in_2019("illness_and_disability_ratio"),
    make_measure(
        2025,
        "mental_health_score",
        "mental_health_indicator",
        "Mental health",
        "Mental health",
        "A composite of prescribing, hospital episodes, suicides and health benefits for mental ill health; "
        "0 is about England's average.",
        "score, 0 = England average",
        K.SCORE,
        T.HEALTH,
        "more mental ill health",
        IOD2025_PERIOD,
        comparable_reason="New in IoD2025: it replaces mood and anxiety disorders with different parts.",
    ),
    _as_in_2019("years_of_life_lost_early"),
    *(
        make_measure(
            2025,
            f"crime_{key}",
            column,
            f"Recorded crime: {name}",
            name.capitalize(),
            f"Police-recorded {name}, {unit} (residents plus people who work or visit there).",
            unit,
            K.RATE_PER_1000,
            T.CRIME,
            f"more {name}",
            IOD2025_PERIOD,
            comparable_reason="New in IoD2025: the Crime indicators were all changed or added.",
        )
        for key, column, name, unit in _CRIME
    ),
    make_measure(
        2025,
        "connectivity_score",
        "connectivity_score",
        "Connectivity to services",
        "Connectivity",
        "How well the area's homes are connected to everyday services; IoD2025's geographical barriers "
        "sub-domain score is exactly 100 minus it.",
        "score from 0 to 100",
        K.SCORE,
        T.HOUSING_ACCESS,
        "better connected to services",
        IOD2025_PERIOD,
        polarity=P.HIGHER_IS_BETTER,
        comparable_reason="New in IoD2025: it replaces the four road distances of IoD2019.",
        caveats=("Runs the other way from most measures: a low score means poor access.",),
    ),
    _as_in_2019("cannot_afford_to_buy"),
    _as_in_2019("cannot_afford_to_rent"),
    _as_in_2019("housing_affordability_score"),
    make_measure(
        2025,
        "slow_broadband_score",
        "digital_connectivity_broadband_download_and_upload_speeds",
        "Digital connectivity (broadband speeds)",
        "Slow broadband",
        "Broadband download and upload speeds "
        "as a standardised score, oriented so that slower broadband scores higher; 0 is about England's "
        "average.",
        "score, 0 = England average",
        K.SCORE,
        T.HOUSING_ACCESS,
        "slower broadband",
        IOD2025_PERIOD,
        comparable_reason="New in IoD2025.",
        caveats=("Oriented as deprivation: rural LSOAs (slower broadband) have the higher scores.",),
    ),
    make_measure(
        2025,
        "core_homelessness_rate",
        "core_homelessness_rate_percent_of_households",
        "Core homelessness",
        "Core homelessness",
        "Households in core homelessness (rough sleeping, hostels, unsuitable temporary "
        "accommodation, sofa surfing) as a share of households, for the local authority as a whole.",
        "% of households",
        K.PUBLISHED_RATE,
        T.HOUSING_ACCESS,
        "more core homelessness",
        IOD2025_PERIOD,
        multiplier=1.0,
        la_level=True,
        comparable_reason="New in IoD2025.",
        caveats=("LA level: every LSOA of a district shows the district's value.",),
    ),
    make_measure(
        2025,
        "patients_per_gp",
        "patient_to_gp_ratio",
        "Patients per GP",
        "Patients per GP",
        "Registered patients per GP at the practices serving the area.",
        "registered patients per GP",
        K.RATIO,
        T.HOUSING_ACCESS,
        "more patients for each GP",
        IOD2025_PERIOD,
        comparable_reason="New in IoD2025.",
        caveats=(
            "Urban LSOAs have more patients per GP but are near their surgery, so this measure and the "
            "connectivity score can point different ways.",
        ),
    ),
    make_measure(
        2025,
        "homelessness_rate",
        "homelessness_indicator_rate_per_1_000_households",
        "Homelessness",
        "Homelessness",
        "Households owed a homelessness duty, per 1,000 households, for the local authority as a whole.",
        "per 1,000 households",
        K.RATE_PER_1000,
        T.HOUSING_ACCESS,
        "more homelessness",
        IOD2025_PERIOD,
        la_level=True,
        comparable_reason="Definition changed: IoD2025 modified its homelessness indicator and added core homelessness.",
        caveats=("LA level: every LSOA of a district shows the district's value.",),
    ),
    make_measure(
        2025,
        "household_overcrowding",
        "household_overcrowding_indicator_rooms",
        "Household overcrowding (rooms)",
        "Overcrowding (rooms)",
        "Share of households with fewer rooms than they need (Census occupancy rating).",
        "% of households",
        K.PROPORTION,
        T.HOUSING_ACCESS,
        "more overcrowded households",
        "Census 2021",
        comparable_reason="Definition changed: IoD2025 measures overcrowding by rooms and by bedrooms.",
    ),
    make_measure(
        2025,
        "household_overcrowding_bedrooms",
        "household_overcrowding_indicator_bedrooms",
        "Household overcrowding (bedrooms)",
        "Overcrowding (bedrooms)",
        "Share of households with fewer bedrooms than they need (Census occupancy rating).",
        "% of households",
        K.PROPORTION,
        T.HOUSING_ACCESS,
        "more overcrowded households",
        "Census 2021",
        comparable_reason="New in IoD2025.",
    ),
)
