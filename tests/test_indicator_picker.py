"""The themed indicator picker: theme groups, labels, the words people search by, the description."""

import pytest

from placemap.data.catalogue import CATALOGUE, get_indicator
from placemap.data.indicator_picker import (
    THEME_LABELS,
    description,
    direction_line,
    fallback,
    grouped,
    la_level_note,
    option_label,
    ordered,
    search,
)
from placemap.data.indicators import Theme


def _labels(year, query, n=3):
    return [option_label(i) for i in search(CATALOGUE.for_edition(year), query)][:n]


def test_every_indicator_of_an_edition_is_listed_once_theme_by_theme():
    offered = CATALOGUE.for_edition(2019)
    listed = ordered(offered)
    assert sorted(i.id for i in listed) == sorted(i.id for i in offered)
    themes = [i.theme for i in listed]
    assert themes == sorted(themes, key=list(THEME_LABELS).index)  # no theme interleaves another
    groups = grouped(offered)
    assert list(groups)[:4] == [Theme.OVERALL, Theme.EDUCATION, Theme.HEALTH, Theme.INCOME]
    assert {Theme.WORK, Theme.CRIME, Theme.HOUSING, Theme.ENVIRONMENT} <= set(groups)


def test_labels_name_the_theme_first_so_typing_a_theme_finds_its_indicators():
    children = get_indicator("children_in_income_deprived_families_2019")
    assert option_label(children) == "Income and poverty · Children in income-deprived families (IoD2019)"
    assert all(option_label(i).startswith("Health · ") for i in search(CATALOGUE.for_edition(2025), "health")[:3])


@pytest.mark.parametrize(
    ("year", "query", "first"),
    [
        (2019, "child poverty", "Income and poverty · Children in income-deprived families (IoD2019)"),
        (2025, "Child Poverty!", "Income and poverty · Children in income-deprived families (count) (IoD2025)"),
        (2019, "life expectancy", "Health · Years of potential life lost (IoD2019)"),
        (2025, "GP", "Housing and access · Patients per GP (IoD2025)"),
        (2019, "GP", "Housing and access · Road distance to a GP surgery (IoD2019)"),
        (2025, "broadband", "Housing and access · Digital connectivity (broadband speeds) (IoD2025)"),
        (2021, "two or more", "Income and poverty · Households deprived in two or more dimensions (Census 2021)"),
    ],
)
def test_the_words_people_use_find_the_measure_first(year, query, first):
    offered = CATALOGUE.for_edition(2025 if year == 2021 else year)
    assert option_label(search(offered, query)[0]) == first


def test_search_matches_word_starts_not_letters_inside_words():
    found = search(CATALOGUE.for_edition(2025), "gp")
    assert found and all("Gypsy" not in i.label for i in found)
    assert search(CATALOGUE.for_edition(2025), "zzzz nothing") == []
    assert len(search(CATALOGUE.for_edition(2025), "  ")) == len(CATALOGUE.for_edition(2025))


def test_the_description_gives_definition_direction_unit_year_and_source():
    lines = description(get_indicator("children_in_income_deprived_families_2019"))
    text = " ".join(lines)
    assert lines[0].startswith("Share of children aged 0–15")
    assert "Higher = more children in income-deprived families (% of children aged 0–15)" in text
    assert "Year: IoD2019" in text and "File 8" in text and "Open Government Licence" in text


def test_indicators_that_run_the_other_way_say_darker_is_lower():
    assert direction_line(get_indicator("connectivity_score_2025")).endswith("Darker = worse, so darker = lower here.")
    assert direction_line(get_indicator("imd_rank")).startswith("Higher = less deprived")
    assert "km by road" in direction_line(get_indicator("road_distance_gp_2019"))


def test_la_level_measures_say_they_repeat_an_la_value():
    assert "an LA value repeated on its LSOAs" in la_level_note(get_indicator("homelessness_rate_2019"))
    assert la_level_note(get_indicator("road_distance_gp_2019")) == ""
    assert any("an LA value repeated" in line for line in description(get_indicator("homelessness_rate_2025")))


def test_another_editions_indicator_falls_back_to_the_same_measure_or_kind():
    offered = CATALOGUE.for_edition(2025)
    assert fallback("years_of_life_lost_early_2019", offered) == "years_of_life_lost_early_2025"
    assert fallback("idaopi_decile", offered) == "income_decile"
    assert fallback("not_staying_on_post_16_2019", offered) in {i.id for i in offered}
