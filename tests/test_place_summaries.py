"""File 10 summary measures on small places worked by hand (N = 20 LSOAs in "England")."""

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import place_summaries as ps

N = 20


@pytest.fixture
def lsoas():
    # Place P: ranks 1, 3, 5, 12 with 100, 200, 300, 400 people; place Q: ranks 2, 8 with 50, 950.
    return pd.DataFrame(
        {
            "place": ["P", "P", "P", "P", "Q", "Q"],
            "rank": [1, 3, 5, 12, 2, 8],
            "score": [50.0, 40.0, 30.0, 10.0, 45.0, 20.0],
            "population": [100.0, 200.0, 300.0, 400.0, 50.0, 950.0],
            "working_age": [10.0, 10.0, 10.0, 10.0, 10.0, 30.0],
        }
    )


@pytest.fixture
def summary(lsoas):
    return ps.summarise_places(lsoas, "place", N, {"imd": ("rank", "score")})


def test_average_rank_is_the_population_weighted_mean_of_turned_round_ranks(summary):
    # Turned round, ranks 1, 3, 5, 12 of 20 count 20, 18, 16, 9: (2000 + 3600 + 4800 + 3600) / 1000.
    assert summary.loc[("P", "imd"), "average_rank"] == pytest.approx(14.0)
    assert summary.loc[("Q", "imd"), "average_rank"] == pytest.approx((50 * 19 + 950 * 13) / 1000)


def test_average_score_is_the_population_weighted_mean_score(summary):
    assert summary.loc[("P", "imd"), "average_score"] == pytest.approx((5000 + 8000 + 9000 + 4000) / 1000)


def test_proportion_counts_lsoas_not_people_in_the_most_deprived_tenth(summary):
    # Decile 1 of 20 LSOAs is ranks 1 and 2: one of P's four LSOAs, one of Q's two.
    assert summary.loc[("P", "imd"), "proportion"] == pytest.approx(0.25)
    assert summary.loc[("Q", "imd"), "proportion"] == pytest.approx(0.5)


def test_extent_counts_the_most_deprived_tenth_fully_and_the_next_twenty_percentiles_on_a_sliding_weight(summary):
    # Percentiles 5, 15, 25, 60: weights 1, 0.95 - 4 * 0.9 / 19, 0.95 - 14 * 0.9 / 19, 0.
    expected = (100 * 1 + 200 * (0.95 - 4 * 0.9 / 19) + 300 * (0.95 - 14 * 0.9 / 19)) / 1000
    assert summary.loc[("P", "imd"), "extent"] == pytest.approx(expected)
    assert expected == pytest.approx(0.3381579, abs=1e-7)
    assert summary.loc[("Q", "imd"), "extent"] == pytest.approx(0.05)


def test_local_concentration_averages_the_most_deprived_lsoas_holding_exactly_a_tenth_of_the_people(summary):
    # P: its most deprived LSOA holds exactly 100 of 1,000 people. Q: 50 people of rank 2 and 50 of rank 8.
    assert summary.loc[("P", "imd"), "local_concentration"] == pytest.approx(20.0)
    assert summary.loc[("Q", "imd"), "local_concentration"] == pytest.approx((50 * 19 + 50 * 13) / 100)


def test_extent_weights_step_at_the_tenth_and_thirtieth_percentiles():
    weights = ps.extent_weight(np.array([10, 11, 20, 30, 31]), 100)
    assert weights.tolist() == pytest.approx([1.0, 0.95, 0.95 - 9 * 0.9 / 19, 0.05, 0.0])


def test_decile_one_is_the_first_tenth_of_ranks_rounded_down():
    assert ps.in_most_deprived_tenth(np.array([3375, 3376]), 33755).tolist() == [True, False]


def test_places_rank_one_for_the_most_deprived_on_each_measure(summary):
    ranked = ps.rank_places(summary)
    assert ranked.loc[("P", "imd"), "rank_of_average_rank"] == 1
    assert ranked.loc[("Q", "imd"), "rank_of_proportion"] == 1
    assert ranked.loc[("P", "imd"), "rank_of_extent"] == 1
    assert ranked.loc[("P", "imd"), "rank_of_local_concentration"] == 1


def test_places_with_equal_measures_share_the_best_rank():
    frame = pd.DataFrame({"place": ["A", "B", "C"], "rank": [15, 16, 1], "population": [1.0, 1.0, 1.0]})
    ranked = ps.rank_places(ps.summarise_places(frame, "place", N, {"imd": ("rank", None)}))
    assert ranked.xs("imd", level="index")["rank_of_proportion"].to_dict() == {"A": 2, "B": 2, "C": 1}


def test_an_index_can_be_weighted_by_its_own_population(lsoas):
    out = ps.summarise_places(
        lsoas,
        "place",
        N,
        {"imd": ("rank", None), "employment": ("rank", None)},
        population={"employment": "working_age"},
    )
    assert out.loc[("Q", "imd"), "average_rank"] == pytest.approx(13.3)
    assert out.loc[("Q", "employment"), "average_rank"] == pytest.approx((10 * 19 + 30 * 13) / 40)


def test_lsoas_without_population_are_left_out_and_counted(lsoas):
    lsoas.loc[3, "population"] = np.nan
    out = ps.summarise_places(lsoas, "place", N, {"imd": ("rank", "score")})
    assert out.loc[("P", "imd"), "average_rank"] == pytest.approx((2000 + 3600 + 4800) / 600)
    assert out.loc[("P", "imd"), "n_without_population"] == 1
    assert out.loc[("P", "imd"), "n_lsoas"] == 4


def test_a_place_with_a_missing_score_has_no_average_score(lsoas):
    lsoas.loc[0, "score"] = np.nan
    out = ps.summarise_places(lsoas, "place", N, {"imd": ("rank", "score")})
    assert np.isnan(out.loc[("P", "imd"), "average_score"])
    assert out.loc[("Q", "imd"), "average_score"] == pytest.approx((50 * 45 + 950 * 20) / 1000)


def test_an_index_without_scores_has_ranks_but_no_average_score(lsoas):
    out = ps.summarise_places(lsoas, "place", N, {"income": ("rank", None)})
    assert out["average_score"].isna().all()
    assert out.loc[("P", "income"), "average_rank"] == pytest.approx(14.0)


def test_iod2019_imd_score_is_rebuilt_from_the_transformed_domain_scores():
    codes = [f"L{i}" for i in range(N)]
    frame = pd.DataFrame({"la_code": ["A"] * 10 + ["B"] * 10, "IMD_rank": range(1, N + 1)}, index=codes)
    for domain in ps.IMD_DOMAIN_WEIGHTS_2019:
        frame[f"{domain}_exp_transformed"] = 20.0
        frame[f"{domain}_rank"] = range(N, 0, -1)
    frame["population"] = 100.0
    frame["working_age_population"] = 60.0
    out = ps.summarise_edition(frame, 2019, "la")
    assert out.loc[("A", "imd"), "average_score"] == pytest.approx(20 * 0.999)
    assert np.isnan(out.loc[("A", "income"), "average_score"])
    assert out.loc[("B", "income"), "rank_of_average_rank"] == 1
    assert set(out.index.get_level_values("index")) == set(ps.INDEX_LABELS)


def test_edition_columns_name_the_barriers_domain_as_each_edition_does():
    assert ps.edition_indices(2019, ["Housing_and_Access_rank"]) == {"barriers": ("Housing_and_Access_rank", None)}
    assert ps.edition_indices(2025, ["Housing_and_Services_rank"]) == {"barriers": ("Housing_and_Services_rank", None)}


def test_an_uploaded_area_is_summarised_against_all_of_england():
    codes = [f"L{i}" for i in range(N)]
    frame = pd.DataFrame(
        {"IMD_rank": range(1, N + 1), "IMD_score": [float(N - i) for i in range(N)], "population": 100.0},
        index=codes,
    )
    frame["working_age_population"] = 50.0
    out = ps.summarise_lsoas(frame, ["L0", "L1", "nowhere"], 2025)
    # Ranks 1 and 2 of 20: turned round 20 and 19; both in the most deprived tenth.
    assert out.loc["imd", "average_rank"] == pytest.approx(19.5)
    assert out.loc["imd", "proportion"] == pytest.approx(1.0)
    assert out.loc["imd", "extent"] == pytest.approx(1.0)
    assert out.loc["imd", "n_lsoas"] == 2
