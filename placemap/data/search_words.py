"""The words people search indicators by: synonyms per domain and per measure. Pure data.

The catalogue copies them into each record's ``keywords`` (``Indicator.keywords``), so a
picker finds "child poverty", "life expectancy" or "GP" without knowing any indicator;
``placemap.data.indicator_picker`` does the matching.

Example
-------
>>> "child poverty" in MEASURE_WORDS["children_in_income_deprived_families"]
True
>>> "life expectancy" in DOMAIN_WORDS["health"]
True
"""

from __future__ import annotations

_CHILD_POVERTY = ("child poverty", "children in poverty", "poor children", "IDACI", "kids")
_POVERTY = ("poverty", "low income", "benefits", "universal credit", "poor")
_OLDER_POVERTY = ("pensioner poverty", "older people poverty", "elderly", "pension credit", "IDAOPI")
_WORK = ("unemployment", "jobless", "out of work", "worklessness", "sickness benefits", "economic inactivity")
_LIFE = ("life expectancy", "early death", "premature mortality", "dying young", "mortality")
_MENTAL = ("mental health", "depression", "anxiety", "wellbeing", "prescribing")
_ILLNESS = ("disability", "long-term illness", "sickness", "benefits for illness")
_ADMISSIONS = ("hospital admissions", "emergency admissions", "A&E", "hospital")
_SCHOOL = ("school", "pupils", "attainment", "qualifications", "young people", "NEET")
_SKILLS = ("adult skills", "qualifications", "English language", "literacy", "no qualifications")
_ACCESS = ("distance", "travel", "access to services", "rural", "isolation")
_AFFORD = ("affordability", "house prices", "rents", "housing costs", "cost of housing")
_HOMELESS = ("homelessness", "rough sleeping", "temporary accommodation", "housing need")
_CROWDED = ("overcrowding", "overcrowded", "bedrooms", "cramped housing")
_CONDITION = ("housing condition", "damp", "decent homes", "poor housing", "cold homes", "fuel poverty")
_AIR = ("air quality", "pollution", "air pollution", "NO2", "emissions")
_ROADS = ("road safety", "traffic accidents", "collisions", "road casualties", "injuries")
_CRIME = ("crime", "safety", "victims", "policing")
_HOUSEHOLDS = ("household deprivation", "multiple deprivation", "census", "deprived households")

# Per domain of the indices (the IMD, the seven domains, the supplementary indices, sub-domains).
DOMAIN_WORDS: dict[str, tuple[str, ...]] = {
    "imd": ("overall deprivation", "IMD", "index of multiple deprivation", "poverty", "most deprived"),
    "income": _POVERTY,
    "idaci": _CHILD_POVERTY + _POVERTY,
    "idaopi": _OLDER_POVERTY + _POVERTY,
    "employment": _WORK,
    "education": _SCHOOL + _SKILLS,
    "children_young_people": _SCHOOL,
    "adult_skills": _SKILLS,
    "health": _LIFE + _MENTAL + _ILLNESS + ("health", "ill health"),
    "crime": _CRIME,
    "barriers": _AFFORD + _HOMELESS + _ACCESS,
    "geographical_barriers": (*_ACCESS, "GP", "post office", "supermarket"),
    "wider_barriers": _AFFORD + _HOMELESS + _CROWDED,
    "environment": _AIR + _ROADS + _CONDITION,
    "indoors": _CONDITION,
    "outdoors": _AIR + _ROADS,
}

# Per measure id of ``placemap.data.measure_records`` (shared by both editions where the id is).
MEASURE_WORDS: dict[str, tuple[str, ...]] = {
    "income_deprived_people": _POVERTY,
    "children_in_income_deprived_families": _CHILD_POVERTY + _POVERTY,
    "children_in_income_deprived_families_count": _CHILD_POVERTY + _POVERTY,
    "older_people_income_deprived": _OLDER_POVERTY,
    "older_people_income_deprived_count": _OLDER_POVERTY,
    "employment_deprived_people": _WORK,
    "not_staying_on_post_16": (*_SCHOOL, "staying on", "sixth form", "post-16", "college"),
    "not_entering_higher_education": (*_SCHOOL, "university", "higher education", "HE entry", "college"),
    "adults_low_skills": _SKILLS,
    "years_of_life_lost_early": _LIFE,
    "illness_and_disability_ratio": _ILLNESS,
    "emergency_admissions_ratio": _ADMISSIONS,
    "mood_and_anxiety_score": _MENTAL,
    "mental_health_score": _MENTAL,
    "road_distance_post_office": (*_ACCESS, "post office"),
    "road_distance_primary_school": (*_ACCESS, "primary school", "school"),
    "road_distance_general_store": (*_ACCESS, "shop", "supermarket", "food", "groceries"),
    "road_distance_gp": (*_ACCESS, "GP", "doctor", "surgery", "health centre"),
    "patients_per_gp": ("GP", "doctor", "GP access", "primary care", "surgery", "health centre"),
    "connectivity_score": (*_ACCESS, "public transport", "buses", "services"),
    "slow_broadband_score": ("broadband", "internet", "digital exclusion", "digital connectivity", "wifi"),
    "household_overcrowding": _CROWDED,
    "household_overcrowding_bedrooms": _CROWDED,
    "homelessness_rate": _HOMELESS,
    "core_homelessness_rate": _HOMELESS,
    "cannot_afford_to_buy": (*_AFFORD, "home ownership", "buying a home"),
    "cannot_afford_to_rent": (*_AFFORD, "private renting", "rent"),
    "housing_affordability_score": _AFFORD,
    "housing_in_poor_condition": _CONDITION,
    "homes_without_central_heating": (*_CONDITION, "heating"),
    "road_traffic_injuries": _ROADS,
    "air_quality": _AIR,
    "air_quality_nitrogen_dioxide": _AIR,
    "air_quality_benzene": _AIR,
    "air_quality_sulphur_dioxide": _AIR,
    "air_quality_particulates": (*_AIR, "PM10", "particulate matter"),
    "crime_violence_with_injury": (*_CRIME, "violence", "assault"),
    "crime_violence_without_injury": (*_CRIME, "violence", "assault"),
    "crime_stalking_and_harassment": (*_CRIME, "harassment", "stalking"),
    "crime_burglary": (*_CRIME, "burglary", "break-ins"),
    "crime_theft": (*_CRIME, "theft", "stealing", "shoplifting"),
    "crime_criminal_damage": (*_CRIME, "vandalism", "criminal damage", "arson"),
    "crime_public_order_and_weapons": (*_CRIME, "public order", "weapons", "knife crime"),
    "crime_anti_social_behaviour": (*_CRIME, "anti-social behaviour", "ASB", "nuisance"),
}


def measure_words(measure_id: str) -> tuple[str, ...]:
    """Search words of a measure: its own, and the Census dimensions' for ``households_deprived_*``."""
    if measure_id.startswith("households_deprived_in_"):
        return _HOUSEHOLDS + _POVERTY
    return MEASURE_WORDS.get(measure_id, ())
