"""Similar areas: nearest domain profiles, never the area itself, the same answer every time."""

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import similar
from placemap.data.catalogue import get_vintage
from placemap.data.loaders import read_areas


def _positions(n=40, seed=7):
    rng = np.random.default_rng(seed)
    codes = [f"E01{i:06d}" for i in range(n)]
    return pd.DataFrame(rng.random((n, 7)), index=codes, columns=[f"d{j}" for j in range(7)])


def test_an_area_is_never_its_own_nearest_neighbour():
    positions = _positions()
    for code in positions.index:
        result = similar.nearest(positions, code, 10)
        assert code not in result["code"].tolist()
        assert len(result) == 10


def test_nearest_is_never_itself_even_among_identical_profiles_and_ties_go_by_code():
    positions = pd.DataFrame({"a": [0.5, 0.5, 0.5, 0.9]}, index=["E01000003", "E01000001", "E01000002", "E01000004"])
    result = similar.nearest(positions, "E01000002", 3)
    assert result["code"].tolist() == ["E01000001", "E01000003", "E01000004"]
    assert result["distance"].tolist()[:2] == [0.0, 0.0]
    assert result["similarity rank"].tolist() == [1, 2, 3]


def test_results_do_not_depend_on_row_order():
    positions = _positions()
    shuffled = positions.sample(frac=1.0, random_state=3)
    for code in ("E01000005", "E01000017"):
        pd.testing.assert_frame_equal(similar.nearest(positions, code), similar.nearest(shuffled, code))


def test_nearest_are_sorted_by_euclidean_distance():
    positions = _positions()
    result = similar.nearest(positions, "E01000000", 5)
    expected = np.sqrt(((positions - positions.loc["E01000000"]) ** 2).sum(axis=1)).drop("E01000000").nsmallest(5)
    assert result["code"].tolist() == expected.index.tolist()
    np.testing.assert_allclose(result["distance"], expected.to_numpy(), rtol=1e-12)


def test_unknown_area_raises_a_clear_error():
    with pytest.raises(KeyError, match="no complete domain profile"):
        similar.nearest(_positions(), "E01999999")


def test_profiles_use_the_seven_domains_not_the_imd_and_iod2015_uses_its_sub_domains():
    names_2025 = [i.domain for i in similar.similarity_indicators(2025)]
    assert names_2025 == ["income", "employment", "education", "health", "crime", "barriers", "environment"]
    assert "imd" not in [i.domain for i in similar.similarity_indicators(2019)]
    assert {i.subdomain for i in similar.similarity_indicators(2015)} == {
        "children_young_people",
        "adult_skills",
        "geographical_barriers",
        "wider_barriers",
        "indoors",
        "outdoors",
    }


def test_lsoa_and_la_positions_run_from_0_most_deprived_to_1(tiny_data_dir):
    areas = read_areas(get_vintage(2025), tiny_data_dir)
    lsoa = similar.lsoa_positions(areas, 2025, 4)
    assert lsoa.shape == (4, 7)
    assert lsoa.loc["E01000001", "Income"] == pytest.approx(0.125)  # rank 1 of 4
    la = similar.la_positions(areas, 2025, 4)
    assert la.index.tolist() == ["E06000001"] and la.loc["E06000001", "Crime"] == pytest.approx(0.5)


def test_the_note_explains_the_measure_for_the_edition():
    note = similar.similarity_note(2025)
    assert "Euclidean" in note and "never listed as similar to itself" in note and "Income" in note
    assert "average LSOA position" in similar.similarity_note(2019, "la")
