"""IoD2019 → IoD2025 measure change: only unchanged definitions, carried through the LSOA lookup."""

import pandas as pd
import pytest

from placemap.analysis import measure_change_iod as mci

LOOKUP = pd.DataFrame(
    {
        "lsoa11_code": ["A", "B", "C", "D", "D", "E"],
        "lsoa21_code": ["A", "M", "M", "D1", "D2", "X"],
        "change_code": ["U", "M", "M", "S", "S", "X"],
    }
)


def test_only_measures_that_kept_their_definition_are_offered_and_the_rest_say_why():
    offered = {m.id for m in mci.comparable_measures()}
    assert {"not_entering_higher_education", "years_of_life_lost_early", "adults_low_skills"} <= offered
    assert "children_in_income_deprived_families" not in offered and "income_deprived_people" not in offered
    changed = dict(mci.changed_measures())
    assert "Definition changed" in changed["Children in income-deprived families (IoD2019)"]
    assert "New in IoD2025" in changed["Patients per GP (IoD2025)"]
    with pytest.raises(ValueError, match="changed its definition"):
        mci.measure_pair("income_deprived_people")


def test_split_parts_meet_their_parent_and_merged_or_redrawn_areas_are_left_out():
    frame = mci.carried_change(
        pd.Series({"A": 10.0, "B": 1.0, "C": 2.0, "D": 5.0, "E": 3.0}),
        pd.Series({"A": 8.0, "M": 3.0, "D1": 6.0, "D2": 5.0, "X": 1.0}),
        LOOKUP,
    )
    assert frame["change"].to_dict() == pytest.approx(
        {"A": -2.0, "M": float("nan"), "D1": 1.0, "D2": 0.0, "X": float("nan")}, nan_ok=True
    )
    assert frame.loc["X", "how"].startswith("left out")


def test_the_change_counts_better_and_worse_in_the_measures_direction():
    from placemap.analysis import pair_change
    from placemap.analysis.change_classes import ChangeEdges

    result = mci.measure_change(
        "years_of_life_lost_early",
        pd.Series({"A": 10.0, "D": 5.0}),
        pd.Series({"A": 8.0, "D1": 6.0, "D2": 5.0}),
        LOOKUP,
    )
    assert (result.before.period, result.after.label) != (result.after.period, result.before.label)
    areas = pd.DataFrame({"area_name": ["A", "D1", "D2"]}, index=pd.Index(["A", "D1", "D2"], name="area_code"))
    words = pair_change.summary_sentence(result, areas, ChangeEdges(0.5, 1.0), "Town")
    assert words.startswith("In Town, **3 of 3** LSOAs have both values: **1** better and **1** worse")
