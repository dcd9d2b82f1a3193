"""The measures behind the indices: records, reading, suppressed vs missing, honest rates, Census change."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placemap.analysis.measure_change import (
    CHANGE_RULE,
    change_for_place,
    comparison_areas,
    comparison_areas_of,
    household_deprivation_change,
)
from placemap.data.loaders import DataFileError
from placemap.data.measure_records import (
    MEASURES,
    Polarity,
    Theme,
    ValueKind,
    get_measure,
    measures_for,
)
from placemap.data.measure_types import DENOMINATOR_FILES, MEASURE_FILES, NO_DATA_LABEL, SUPPRESSED_LABEL
from placemap.data.measures import (
    SUPPRESSED_RULE,
    MeasureTable,
    darker_means_higher,
    display_values,
    figure_for_place,
    how_made,
    la_level_measures,
    legend_text,
    rate_for_place,
    read_measures,
)

CODES = ["E01000001", "E01000002", "E01000003", "E01000004"]


def _write_2019(data_dir: Path, **overrides: list) -> None:
    """A 2019 measures file and IoD table for four LSOAs: LSOA 2's child count suppressed, LSOA 4 has no HE value."""
    measure_columns = {c for m in measures_for(2019) for c in (m.column, *m.numerator_columns)}
    frame = pd.DataFrame({"area_code": CODES, **{c: [0.2, 0.3, 0.4, 0.5] for c in sorted(measure_columns)}})
    frame["income_deprivation_affecting_children_index_idaci_numerator"] = [20.0, np.nan, 60.0, 10.0]
    frame["income_domain_numerator"] = [100.0, 50.0, 300.0, 10.0]
    frame["entry_to_higher_education_indicator"] = [0.8, 0.9, 0.7, np.nan]
    for column, values in overrides.items():
        frame[column] = values
    iod = pd.DataFrame(
        {
            "area_code": CODES,
            "pop_total_mid2015": [1000, 1000, 1500, 1200],
            "pop_children_0_15_mid2015": [200, 150, 300, 100],
            "pop_60plus_mid2015": [300, 300, 300, 300],
            "pop_working_age_18_59_64_mid2015": [600, 600, 900, 700],
        }
    )
    (data_dir / "indicators").mkdir(parents=True, exist_ok=True)
    (data_dir / "iod").mkdir(parents=True, exist_ok=True)
    frame.to_parquet(data_dir / MEASURE_FILES[2019], index=False)
    iod.to_parquet(data_dir / DENOMINATOR_FILES[2019], index=False)


# ---------------------------------------------------------------- the records


def test_every_edition_lists_its_measures_with_definition_unit_direction_and_theme():
    assert [len(measures_for(y)) for y in (2019, 2025, 2011, 2021)] == [28, 28, 7, 7]
    for m in MEASURES:
        assert m.label and m.short_label and m.definition and m.unit and m.direction and m.period and m.source
        assert isinstance(m.theme, Theme) and isinstance(m.polarity, Polarity) and isinstance(m.value_kind, ValueKind)
        assert m.licence == "Open Government Licence v3.0"


def test_every_iod_file_8_column_is_one_measure_of_its_edition():
    for year in (2019, 2025):
        columns = [m.column for m in measures_for(year)]
        assert len(set(columns)) == 28


def test_rates_are_made_only_where_a_denominator_is_named():
    for m in MEASURES:
        if m.value_kind is ValueKind.RATE_MADE:
            assert m.numerator_columns and m.denominator_column
        if m.value_kind is ValueKind.COUNT:
            assert m.denominator_column is None and "no denominator" in " ".join(m.caveats)
    children = get_measure("children_in_income_deprived_families", 2019)
    assert children.denominator_column == "pop_children_0_15_mid2015" and children.unit == "% of children aged 0–15"


def test_every_iod_measure_says_whether_it_compares_between_editions_and_why():
    for m in (*measures_for(2019), *measures_for(2025)):
        assert m.comparable_reason
        if m.comparable:
            other = get_measure(m.id, 2025 if m.year == 2019 else 2019)
            assert other.comparable and other.unit == m.unit
    assert not get_measure("income_deprived_people", 2025).comparable


def test_connectivity_runs_the_other_way_so_darker_means_lower():
    connectivity = get_measure("connectivity_score", 2025)
    assert connectivity.polarity is Polarity.HIGHER_IS_BETTER
    assert not darker_means_higher(connectivity)
    assert legend_text(connectivity) == (
        "Higher = better connected to services (score from 0 to 100). Darker = worse, so darker = lower here."
    )
    distance = get_measure("road_distance_gp", 2019)
    assert darker_means_higher(distance) and legend_text(distance).startswith("Higher = farther to travel (km by road)")


def test_legend_for_children_names_the_direction_and_unit():
    assert legend_text(get_measure("children_in_income_deprived_families", 2019)) == (
        "Higher = more children in income-deprived families (% of children aged 0–15). Darker = worse."
    )


def test_la_level_measures_say_they_repeat_an_la_value():
    assert "an LA value repeated on its LSOAs" in how_made(get_measure("homelessness_rate", 2019))
    assert "no denominator" in how_made(get_measure("children_in_income_deprived_families_count", 2025))


def test_unknown_measure_or_edition_is_named_in_the_error():
    with pytest.raises(KeyError, match=r"connectivity_score.*IoD2019"):
        get_measure("connectivity_score", 2019)
    with pytest.raises(ValueError, match="No measures for 2015"):
        measures_for(2015)


# ---------------------------------------------------------------- rates


def test_place_rate_is_the_ratio_of_summed_counts_not_the_average_of_rates():
    rate = rate_for_place(pd.Series([10.0, 90.0]), pd.Series([100.0, 900.0]))
    assert rate.value == pytest.approx(0.1)
    lopsided = rate_for_place(pd.Series([50.0, 10.0]), pd.Series([100.0, 900.0]))
    assert lopsided.value == pytest.approx(60 / 1000)  # the mean of the two rates would be 0.2556
    assert lopsided.exact and lopsided.n_areas == 2


def test_suppressed_counts_count_as_five_with_a_range_from_zero_to_nine():
    rate = rate_for_place(pd.Series([40.0, np.nan]), pd.Series([500.0, 500.0]))
    assert (rate.value, rate.low, rate.high) == pytest.approx((45 / 1000, 40 / 1000, 49 / 1000))
    assert rate.n_suppressed == 1 and not rate.exact
    assert SUPPRESSED_RULE in rate.sentence()


def test_empty_counts_flagged_as_no_data_are_left_out_of_both_sums():
    rate = rate_for_place(
        pd.Series([40.0, np.nan, np.nan]), pd.Series([500.0, 500.0, 1000.0]), suppressed=pd.Series([False, True, False])
    )
    assert rate.value == pytest.approx(45 / 1000)
    assert (rate.n_suppressed, rate.n_no_data) == (1, 1)


def test_a_place_with_no_denominators_has_no_rate():
    rate = rate_for_place(pd.Series([10.0]), pd.Series([np.nan]))
    assert math.isnan(rate.value) and rate.n_no_data == 1


# ---------------------------------------------------------------- reading


def test_read_measures_makes_rates_from_counts_and_denominators(tmp_path):
    _write_2019(tmp_path)
    table = read_measures(2019, tmp_path)
    assert table.values.loc["E01000001", "children_in_income_deprived_families"] == pytest.approx(20 / 200)
    assert table.values.loc["E01000003", "income_deprived_people"] == pytest.approx(300 / 1500)
    assert display_values(table, "income_deprived_people")["E01000003"] == pytest.approx(20.0)


def test_read_measures_keeps_suppressed_apart_from_no_data(tmp_path):
    _write_2019(tmp_path)
    table = read_measures(2019, tmp_path)
    children = table.status("children_in_income_deprived_families")
    assert children["E01000002"] == SUPPRESSED_LABEL
    higher_education = table.status("not_entering_higher_education")
    assert higher_education["E01000004"] == NO_DATA_LABEL
    assert table.suppressed["not_entering_higher_education"].sum() == 0
    assert list(children.cat.categories) == ["value", SUPPRESSED_LABEL, NO_DATA_LABEL]


def test_read_measures_names_the_file_when_a_column_is_missing(tmp_path):
    _write_2019(tmp_path)
    path = tmp_path / MEASURE_FILES[2019]
    pd.read_parquet(path).drop(columns=["connectivity_score"], errors="ignore").drop(
        columns=["air_quality_indicator"]
    ).to_parquet(path)
    with pytest.raises(
        DataFileError, match=r"iod2019_lsoa11_underlying_indicators\.parquet: missing column.*air_quality"
    ):
        read_measures(2019, tmp_path)


def test_read_measures_names_both_files_when_lsoas_lack_denominators(tmp_path):
    _write_2019(tmp_path)
    iod = tmp_path / DENOMINATOR_FILES[2019]
    pd.read_parquet(iod).iloc[:3].to_parquet(iod)
    with pytest.raises(DataFileError, match=r"1 area code\(s\) are not in iod2019_lsoa11.parquet, e.g. E01000004"):
        read_measures(2019, tmp_path)


def test_read_measures_refuses_text_and_negative_counts(tmp_path):
    _write_2019(tmp_path, income_domain_numerator=["a", "b", "c", "d"])
    with pytest.raises(DataFileError, match="income_domain_numerator holds text"):
        read_measures(2019, tmp_path)
    _write_2019(tmp_path, employment_domain_numerator=[10.0, -5.0, 10.0, 10.0])
    with pytest.raises(DataFileError, match="negative counts"):
        read_measures(2019, tmp_path)


def test_read_measures_names_a_missing_file(tmp_path):
    with pytest.raises(DataFileError, match=r"census2021_household_deprivation_lsoa21\.parquet: file not found"):
        read_measures(2021, tmp_path)


def test_la_level_detection_finds_a_value_repeated_on_every_lsoa_of_an_la():
    values = pd.DataFrame(
        {"homelessness": [2.0, 2.0, 5.0, 5.0, 5.0], "distance": [1.0, 2.0, 3.0, 3.0, 4.0]},
        index=[f"L{i}" for i in range(5)],
    )
    la_codes = pd.Series(["A", "A", "B", "B", "B"], index=values.index)
    assert la_level_measures(values, la_codes) == ["homelessness"]


# ---------------------------------------------------------------- Census change


def _census(counts: dict[str, list[int]]) -> pd.DataFrame:
    """Household counts per LSOA: lists of [deprived in 0, 1, 2, 3, 4 dimensions]."""
    rows = {
        code: {f"households_deprived_in_{n}_dimensions": c for n, c in enumerate(values)}
        for code, values in counts.items()
    }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame["households_total"] = frame.sum(axis=1)
    return frame


LOOKUP = pd.DataFrame(
    {
        "lsoa11_code": ["U1", "M1", "M2", "S1", "S1", "X1", "X2"],
        "lsoa21_code": ["U1", "M9", "M9", "S8", "S9", "X8", "X8"],
        "change_code": ["U", "M", "M", "S", "S", "X", "X"],
    }
)
CENSUS11 = _census(
    {
        "U1": [50, 50, 0, 0, 0],
        "M1": [80, 20, 0, 0, 0],
        "M2": [40, 60, 0, 0, 0],
        "S1": [100, 100, 0, 0, 0],
        "X1": [1, 1, 0, 0, 0],
        "X2": [1, 1, 0, 0, 0],
    }
)
CENSUS21 = _census(
    {
        "U1": [60, 40, 0, 0, 0],
        "M9": [150, 50, 0, 0, 0],
        "S8": [90, 30, 0, 0, 0],
        "S9": [70, 10, 0, 0, 0],
        "X8": [2, 2, 0, 0, 0],
    }
)


def test_merged_areas_sum_their_2011_counts_and_split_areas_compare_at_the_2011_parent():
    table = household_deprivation_change(CENSUS11, CENSUS21, LOOKUP)
    assert sorted(table.index) == ["M9", "S1", "U1"]
    assert table.loc["M9", "households_total_2011"] == 200 and table.loc["M9", "n_lsoa11"] == 2
    assert table.loc["S1", "households_total_2021"] == 200 and table.loc["S1", "geography"] == "LSOA (2011)"
    assert table.loc["S1", "households_deprived_in_1_or_more_2011"] == pytest.approx(0.5)
    assert table.loc["S1", "households_deprived_in_1_or_more_2021"] == pytest.approx(0.2)
    assert table.loc["S1", "households_deprived_in_1_or_more_change"] == pytest.approx(-30.0)


def test_complex_changes_are_left_out_and_the_rule_says_so():
    areas = comparison_areas(LOOKUP)
    assert not areas["change_code"].eq("X").any()
    assert "left out" in CHANGE_RULE and "2011 parent" in CHANGE_RULE


def test_place_change_is_made_from_summed_households_not_averaged_shares():
    table = household_deprivation_change(CENSUS11, CENSUS21, LOOKUP)
    change = change_for_place(table, ["U1", "M9"], "households_deprived_in_1_or_more")
    assert change.share_2011 == pytest.approx(130 / 300)
    assert change.share_2021 == pytest.approx(90 / 300)
    assert change.n_areas == 2 and "percentage points" in change.sentence()


def test_a_place_given_by_2021_lsoas_finds_its_comparison_areas():
    assert sorted(comparison_areas_of(["S8", "U1"], LOOKUP)) == ["S1", "U1"]


def test_a_census_table_missing_an_lsoa_of_the_lookup_is_refused():
    with pytest.raises(ValueError, match=r"Census 2021 table lacks 1 LSOA\(s\) of the lookup, e.g. S9"):
        household_deprivation_change(CENSUS11, CENSUS21.drop(index="S9"), LOOKUP)


def test_an_unknown_change_code_is_refused():
    with pytest.raises(ValueError, match="change codes must be U, S, M or X"):
        comparison_areas(LOOKUP.assign(change_code=["U", "M", "M", "S", "S", "Q", "X"]))


def test_census_shares_are_household_counts_over_the_household_total(tmp_path):
    frame = _census({"E01000001": [50, 30, 15, 5, 0], "E01000002": [10, 10, 0, 0, 0]}).rename_axis("area_code")
    (tmp_path / "indicators").mkdir()
    frame.reset_index().to_parquet(tmp_path / MEASURE_FILES[2021], index=False)
    table = read_measures(2021, tmp_path)
    assert table.values.loc["E01000001", "households_deprived_in_1_or_more"] == pytest.approx(0.5)
    assert table.values.loc["E01000001", "households_deprived_in_2_or_more"] == pytest.approx(0.2)
    assert table.values.loc["E01000002", "households_deprived_in_0"] == pytest.approx(0.5)
    assert get_measure("households_deprived_in_0", 2021).polarity is Polarity.HIGHER_IS_BETTER
    assert not table.suppressed.any().any()


def test_a_place_figure_for_a_made_rate_is_the_ratio_of_its_summed_counts(tmp_path):
    _write_2019(tmp_path)
    figure = figure_for_place(read_measures(2019, tmp_path), "children_in_income_deprived_families", CODES[:3])
    assert figure.value == pytest.approx((20 + 5 + 60) / 650)
    assert (figure.low, figure.high) == pytest.approx(((20 + 60) / 650, (20 + 9 + 60) / 650))
    assert figure.n_suppressed == 1


def test_an_la_level_value_is_the_las_value_and_lsoa_only_indicators_are_never_averaged(tmp_path):
    _write_2019(tmp_path, homelessness_indicator_rate_per_1000_households=[3.0, 3.0, 3.0, 3.0])
    table = read_measures(2019, tmp_path)
    homelessness = figure_for_place(table, "homelessness_rate", CODES)
    assert homelessness.value == 3.0 and "an LA value repeated on its LSOAs" in homelessness.how
    distance = figure_for_place(table, "road_distance_gp", CODES)
    assert distance.value is None and distance.lsoa_median == pytest.approx(0.35)
    assert "average" in distance.how


def test_a_place_count_adds_suppressed_counts_at_five_and_published_rates_need_the_published_figure():
    index = pd.Index(CODES[:3], name="area_code")
    column = "children_in_income_deprived_families_count"
    table = MeasureTable(
        year=2025,
        values=pd.DataFrame({column: [20.0, np.nan, 30.0], "income_deprived_people": [0.1, 0.2, 0.3]}, index=index),
        suppressed=pd.DataFrame({column: [False, True, False], "income_deprived_people": False}, index=index),
        counts=pd.DataFrame({column: [20.0, np.nan, 30.0]}, index=index),
        denominators=pd.DataFrame(index=index),
    )
    count = figure_for_place(table, column, index)
    assert (count.value, count.low, count.high) == (55.0, 50.0, 59.0)
    assert figure_for_place(table, "income_deprived_people", index).value is None
    published = figure_for_place(table, "income_deprived_people", index, published_la_value=0.21)
    assert published.value == 0.21 and "published LA figure" in published.how
