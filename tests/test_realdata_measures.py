"""The measures on the bundled data: File 10 agreement, suppression counts, LA level, direction, Census change."""

from __future__ import annotations

import pandas as pd
import pytest

from placemap.analysis.measure_change import household_deprivation_change
from placemap.data.loaders import DATA_DIR, read_lsoa_lookup
from placemap.data.measure_records import Polarity, get_measure, measures_for
from placemap.data.measure_types import MEASURE_FILES
from placemap.data.measures import la_level_measures, rate_for_place, read_measures

pytestmark = pytest.mark.realdata

FILE_10 = "iod/iod2019_lad19_summaries.csv"


@pytest.fixture(scope="module")
def measures_2019():
    return read_measures(2019)


@pytest.fixture(scope="module")
def measures_2025():
    return read_measures(2025)


def _la_codes(year: int) -> pd.Series:
    boundary = "boundaries/lsoa11.parquet" if year == 2019 else "boundaries/lsoa21.parquet"
    return pd.read_parquet(DATA_DIR / boundary, columns=["area_code", "la_code"]).set_index("area_code")["la_code"]


@pytest.mark.parametrize(
    ("measure_id", "column"),
    [
        ("income_deprived_people", "Income - Average score"),
        ("employment_deprived_people", "Employment - Average score"),
    ],
)
def test_la_rates_from_lsoa_counts_match_file_10_for_all_317_las(measures_2019, measure_id, column):
    file_10 = pd.read_csv(DATA_DIR / FILE_10).set_index("Local Authority District code (2019)")[column]
    la_codes = _la_codes(2019)
    made = {
        code: rate_for_place(
            measures_2019.counts.loc[index, measure_id], measures_2019.denominators.loc[index, measure_id]
        ).value
        for code, index in la_codes.groupby(la_codes).groups.items()
    }
    difference = (pd.Series(made) - file_10).abs()
    assert len(difference.dropna()) == 317
    assert difference.max() < 0.003


def test_each_iod_edition_has_28_measures_and_the_bundled_file_holds_them_all(measures_2019, measures_2025):
    assert measures_2019.values.shape == (32_844, 28)
    assert measures_2025.values.shape == (33_755, 28)
    for year in (2019, 2025, 2011, 2021):
        columns = set(pd.read_parquet(DATA_DIR / MEASURE_FILES[year]).columns)
        assert {m.column for m in measures_for(year)} <= columns


def test_suppressed_counts_are_the_ones_mhclg_suppressed(measures_2019, measures_2025):
    assert measures_2019.suppressed.sum()[
        [
            "income_deprived_people",
            "children_in_income_deprived_families",
            "older_people_income_deprived",
            "employment_deprived_people",
        ]
    ].tolist() == [31, 4_553, 1_035, 119]
    assert measures_2025.counts.isna().sum()[
        [
            "income_deprived_people",
            "children_in_income_deprived_families_count",
            "older_people_income_deprived_count",
            "employment_deprived_people",
        ]
    ].tolist() == [5, 815, 832, 21]
    # IoD2025 publishes the income rate itself, so a suppressed count still has a rate.
    assert measures_2025.values["income_deprived_people"].notna().all()


def test_missing_higher_education_values_are_no_data_not_suppressed(measures_2019):
    status = measures_2019.status("not_entering_higher_education")
    assert (status == "no data").sum() == 20 and (status == "suppressed (small numbers)").sum() == 0


@pytest.mark.parametrize("year", [2019, 2025])
def test_the_la_level_flags_match_the_data(year, measures_2019, measures_2025):
    table = measures_2019 if year == 2019 else measures_2025
    flagged = sorted(m.id for m in measures_for(year) if m.la_level)
    assert sorted(la_level_measures(table.values, _la_codes(year))) == flagged


# Each measure's domain or sub-domain in the edition's IoD table; rank 1 = most deprived in
# 2019 (so "higher is worse" means a negative rank correlation), scores rise with deprivation in 2025.
DOMAIN_2019 = {
    "Education": "not_staying_on_post_16 not_entering_higher_education adults_low_skills",
    "Health": "years_of_life_lost_early illness_and_disability_ratio emergency_admissions_ratio mood_and_anxiety_score",
    "Geographical_barriers": "road_distance_post_office road_distance_primary_school road_distance_general_store "
    "road_distance_gp",
    "Wider_barriers": "household_overcrowding homelessness_rate cannot_afford_to_buy cannot_afford_to_rent "
    "housing_affordability_score",
    "Indoors": "housing_in_poor_condition homes_without_central_heating",
    "Outdoors": "road_traffic_injuries air_quality air_quality_nitrogen_dioxide air_quality_benzene "
    "air_quality_sulphur_dioxide air_quality_particulates",
    "Income": "income_deprived_people",
    "IDACI": "children_in_income_deprived_families",
    "IDAOPI": "older_people_income_deprived",
    "Employment": "employment_deprived_people",
}
DOMAIN_2025 = {
    "Health_score": "years_of_life_lost_early illness_and_disability_ratio emergency_admissions_ratio "
    "mental_health_score",
    "adult_skills_score": "adults_low_skills",
    "children_and_young_people_score": "not_entering_higher_education",
    "Crime_score": " ".join(m.id for m in measures_for(2025) if m.id.startswith("crime_")),
    "geographical_barriers_score": "connectivity_score",
    "Housing_and_Services_score": "slow_broadband_score patients_per_gp",
    "wider_barriers_score": "cannot_afford_to_buy cannot_afford_to_rent housing_affordability_score "
    "core_homelessness_rate homelessness_rate household_overcrowding household_overcrowding_bedrooms",
    "Income_score": "income_deprived_people children_in_income_deprived_families_count "
    "older_people_income_deprived_count",
    "Employment_score": "employment_deprived_people",
}


def test_every_measure_is_checked_against_its_domain():
    assert sorted(" ".join(DOMAIN_2019.values()).split()) == sorted(m.id for m in measures_for(2019))
    assert sorted(" ".join(DOMAIN_2025.values()).split()) == sorted(m.id for m in measures_for(2025))


@pytest.mark.parametrize("year", [2019, 2025])
def test_each_measure_runs_the_way_its_record_says_against_its_domain(year, measures_2019, measures_2025):
    table, domains = (measures_2019, DOMAIN_2019) if year == 2019 else (measures_2025, DOMAIN_2025)
    iod = pd.read_parquet(DATA_DIR / ("iod/iod2019_lsoa11.parquet" if year == 2019 else "iod/iod2025_lsoa21.parquet"))
    iod = iod.set_index("area_code")
    for domain, ids in domains.items():
        reference = iod[f"{domain}_rank"] if year == 2019 else iod[domain]
        worse_up = -1 if year == 2019 else 1  # rank 1 is the most deprived
        for measure_id in ids.split():
            rho = table.values[measure_id].corr(reference, method="spearman") * worse_up
            expected = get_measure(measure_id, year).polarity
            assert (rho > 0) == (expected is Polarity.HIGHER_IS_WORSE), (measure_id, round(rho, 2))


def test_connectivity_is_100_minus_the_geographical_barriers_score(measures_2025):
    iod = pd.read_parquet(DATA_DIR / "iod/iod2025_lsoa21.parquet").set_index("area_code")
    barriers = 100 - measures_2025.values["connectivity_score"]
    assert (barriers - iod["geographical_barriers_score"]).abs().max() < 0.002


def test_census_change_accounts_for_every_household_but_the_complex_changes():
    census11 = read_measures(2011)
    census21 = read_measures(2021)
    c11 = pd.read_parquet(DATA_DIR / MEASURE_FILES[2011]).set_index("area_code")
    c21 = pd.read_parquet(DATA_DIR / MEASURE_FILES[2021]).set_index("area_code")
    lookup = read_lsoa_lookup()
    table = household_deprivation_change(c11, c21, lookup)
    complex_rows = lookup[lookup["change_code"] == "X"]
    left_out_11 = c11.loc[complex_rows["lsoa11_code"].unique(), "households_total"].sum()
    left_out_21 = c21.loc[complex_rows["lsoa21_code"].unique(), "households_total"].sum()
    assert table["households_total_2011"].sum() + left_out_11 == c11["households_total"].sum()
    assert table["households_total_2021"].sum() + left_out_21 == c21["households_total"].sum()
    assert len(table) == 31_810 + 97 + 834
    # England's share deprived in at least one dimension fell between the censuses.
    share11 = census11.counts["households_deprived_in_1_or_more"].sum() / c11["households_total"].sum()
    share21 = census21.counts["households_deprived_in_1_or_more"].sum() / c21["households_total"].sum()
    assert share21 < share11


@pytest.mark.parametrize("year", [2019, 2025])
def test_published_counts_are_rounded_to_5_and_never_under_10_so_empty_ones_were_suppressed(
    year, measures_2019, measures_2025
):
    counts = (measures_2019 if year == 2019 else measures_2025).counts.stack().dropna()
    assert (counts % 5 == 0).all() and counts.min() == 10


def test_city_of_london_report_pdf_says_suppressed_not_no_data(tmp_path):
    import shutil
    import subprocess

    from placemap.ui import profile_cache

    # E01000001 (City of London 001A): IoD2019 suppressed its small income-deprivation counts.
    pdf = profile_cache.load_report_pdf(2019, "E01000001", "profile?v=2019&area=E01000001")
    (tmp_path / "r.pdf").write_bytes(pdf)
    pdftotext = [shutil.which("pdftotext"), "-layout", str(tmp_path / "r.pdf"), "-"]
    text = subprocess.run(pdftotext, capture_output=True, text=True)
    lines = [line for line in text.stdout.splitlines() if "Children in income-deprived" in line]
    assert "Measures behind the indices" in text.stdout
    assert lines and "Suppressed (small numbers)" in lines[0]
