"""Status rules of a plan's outcomes, and the readings Placemap computes for a place (small tables built here)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from placemap.analysis import plan_values
from placemap.analysis.plan_progress import Basis, Reading, Status, judge, target_warning
from placemap.community.plans import Plan, PlanError, draft_outcomes, validate_plan
from placemap.data.catalogue import get_indicator
from placemap.data.indicators import Geography, Indicator, Polarity
from placemap.data.place_types import Place

LOW, HIGH = Polarity.LOW_IS_WORSE, Polarity.HIGH_IS_WORSE


def _two(before: float, after: float, pos_before: float | None = None, pos_after: float | None = None):
    return [Reading(2019, "IoD2019", before, pos_before), Reading(2025, "IoD2025", after, pos_after)]


@pytest.mark.parametrize(
    ("after", "expected"),
    [(24.0, Status.TOWARDS), (19.9, Status.NO_CLEAR_CHANGE), (22.0, Status.TOWARDS), (17.0, Status.AWAY)],
)
def test_an_absolute_measure_where_higher_is_worse_moves_towards_a_lower_target(after, expected):
    # Baseline 20 %, target 15 %: falling is towards, rising is away, within 2 % of 20 is no clear change.
    readings = [Reading(2011, "Census 2011", 20.0), Reading(2021, "Census 2021", 40.0 - after)]
    assert judge(readings, 2011, 15.0, HIGH, Basis.ABSOLUTE).status is expected


def test_an_absolute_target_reached_says_so():
    readings = [Reading(2011, "Census 2011", 20.0), Reading(2021, "Census 2021", 14.0)]
    judgement = judge(readings, 2011, 15.0, HIGH, Basis.ABSOLUTE)
    assert judgement.status is Status.REACHED and "reached the target (15)" in judgement.reason


def test_relative_indices_compare_positions_not_raw_ranks_because_england_moves_too():
    # The average rank rose (5,000 -> 5,100) but England grew from 32,844 to 33,755 LSOAs: its
    # position barely moved, so there is no clear change, whatever the raw rank says.
    readings = _two(5000.0, 5100.0, 15.2, 15.1)
    judgement = judge(readings, 2019, 8000.0, LOW, Basis.RELATIVE)
    assert judgement.status is Status.NO_CLEAR_CHANGE and "England moved too" in judgement.reason
    assert judge(_two(5000.0, 4000.0, 15.2, 11.9), 2019, 8000.0, LOW, Basis.RELATIVE).status is Status.AWAY
    assert judge(_two(5000.0, 7000.0, 15.2, 20.7), 2019, 8000.0, LOW, Basis.RELATIVE).status is Status.TOWARDS


def test_an_index_score_is_judged_on_its_position_even_without_a_score_in_the_baseline_edition():
    # IoD2019 publishes no LSOA domain scores: the baseline has a position but no value.
    readings = _two(None, 0.31, 12.0, 16.0)
    assert judge(readings, 2019, 0.2, HIGH, Basis.RELATIVE).status is Status.TOWARDS


def test_a_changed_definition_shows_a_caution_and_claims_no_direction():
    judgement = judge(_two(10.0, 30.0), 2019, 5.0, HIGH, Basis.CHANGED, caution="Definition changed: Universal Credit.")
    assert judgement.status is Status.CANNOT_SAY
    assert "no direction is claimed" in judgement.reason and "Universal Credit" in judgement.reason


def test_no_value_in_the_place_or_only_a_baseline_cannot_say():
    no_value = [Reading(2019, "IoD2019", None, note="No LSOA of the place in this edition.")]
    assert "no value in the place" in judge(no_value, 2019, 1.0, LOW, Basis.ABSOLUTE).reason
    only_base = [Reading(2019, "IoD2019", 3.0)]
    assert "next edition" in judge(only_base, 2019, 1.0, LOW, Basis.ABSOLUTE).reason


def test_a_target_in_the_wrong_direction_is_warned_not_refused():
    warning = target_warning(5000.0, 3000.0, LOW, "IMD rank")
    assert "worse than the baseline" in warning and "lower IMD rank means more deprived" in warning
    assert target_warning(5000.0, 7000.0, LOW) == ""
    # Validation accepts it: the page warns.
    plan = Plan(
        "P",
        "la:E06000009",
        outcomes=tuple(draft_outcomes([(1, "Jobs")], {1: 1}, "la:E06000009", 2019, dt.date(2030, 1, 1))),
    )
    assert validate_plan(plan).outcomes[0].name == "Jobs"


def test_a_plan_rejects_bad_places_and_duplicate_outcomes_in_words():
    drafts = draft_outcomes([(1, "Jobs"), (2, "jobs ")], {1: 1, 2: 1}, "la:E06000009", 2019, dt.date(2030, 1, 1))
    with pytest.raises(PlanError, match="same name"):
        validate_plan(Plan("P", "la:E06000009", outcomes=tuple(drafts)))
    with pytest.raises(PlanError, match="not a place Placemap knows"):
        validate_plan(Plan("P", "<script>"))


def _lookup():
    return pd.DataFrame(
        {
            "lsoa11_code": ["E01000001", "E01000002", "E01000003", "E01000004"],
            "lsoa21_code": ["E01100001", "E01100002", "E01100002", "E01100004"],
            "change_code": ["U", "M", "M", "U"],
        }
    )


def test_a_ward_on_2021_lsoas_is_carried_to_the_2011_lsoas_through_the_lookup():
    lookup21 = pd.DataFrame(
        {"ward_code": ["E05000001", "E05000001", "E05000002"]}, index=["E01100001", "E01100002", "E01100004"]
    )
    found = plan_values.place_lsoas(Place("ward", "E05000001"), lookup21, pd.DataFrame({"ward_code": []}), _lookup())
    assert found.lsoa21 == ("E01100001", "E01100002")
    assert found.lsoa11 == ("E01000001", "E01000002", "E01000003")  # both parents of the merged LSOA
    assert "2011 LSOAs the ONS best-fit lookup links" in found.rule


def test_index_readings_weight_ranks_by_population_and_give_a_position_in_england():
    ind = get_indicator("imd_rank")
    inputs = {
        2019: pd.DataFrame(
            {"IMD_rank": [1.0, 3.0, 2.0, 4.0], "population": [1000.0, 3000.0, 0.0, 500.0]},
            index=["E01000001", "E01000002", "E01000003", "E01000004"],
        ),
        2025: pd.DataFrame(
            {"IMD_rank": [1.0, 3.0, 4.0, 2.0], "population": [1000.0, 1000.0, 1.0, 1.0]},
            index=["E01100001", "E01100002", "E01100004", "E01100005"],
        ),
    }
    lsoas = plan_values.PlaceLsoas(("E01100001", "E01100002"), ("E01000001", "E01000002", "E01000003"))
    readings = plan_values.index_readings(ind, lsoas, inputs)
    assert [(r.year, r.value) for r in readings] == [(2019, 2.5), (2025, 2.0)]  # the empty LSOA weighs nothing
    assert [r.position for r in readings] == [pytest.approx(62.5), pytest.approx(50.0)]  # of England's 4 LSOAs
    assert plan_values.basis_for(ind) == (Basis.RELATIVE, "")
    assert plan_values.basis_for(get_indicator("imd_score"))[1] == plan_values.SCORE_CAUTION


def test_measures_compare_on_values_only_where_the_definition_stayed_the_same():
    census = plan_values.measure_of("households_deprived_in_2_or_more_2011")
    assert plan_values.measure_basis(census) == (Basis.ABSOLUTE, "")
    income = plan_values.measure_of("income_deprived_people_2019")
    basis, caution = plan_values.measure_basis(income)
    assert basis is Basis.CHANGED and "Definition changed" in caution


def test_uploaded_columns_that_differ_by_a_year_are_one_indicator_with_its_own_trajectory():
    def upload(label: str, position: int) -> Indicator:
        return Indicator(
            f"upload_x_{position}", label, "local", None, "value", "%", LOW, {}, {}, {}, geography=Geography.WARD
        )

    columns = [upload("Attendance 2019", 0), upload("Attendance 2023", 1), upload("Pupils", 2)]
    years = plan_values.upload_years(columns[1], columns)
    assert [y for y, _ in years] == [2019, 2023]
    values = {"upload_x_0": pd.Series({"E05015188": 91.0}), "upload_x_1": pd.Series({"E05015188": 94.5})}
    readings = plan_values.upload_readings(
        years, Place("ward", "E05015188"), plan_values.PlaceLsoas((), ()), lambda ind: values[ind.id]
    )
    assert [(r.year, r.value) for r in readings] == [(2019, 91.0), (2023, 94.5)]
    assert judge(readings, 2019, 96.0, LOW, Basis.OWN).status is Status.TOWARDS
