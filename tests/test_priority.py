"""Priority finder: overlap finder, composite index, rank stability."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from scipy.stats import spearmanr

from placemap.analysis import priority
from placemap.analysis.priority import OFFICIAL_WEIGHTS, SEVEN_DOMAINS
from placemap.data import loaders
from placemap.data.catalogue import get_indicator, get_vintage


def _national(ranks: dict[str, list[int]], las: list[str]) -> pd.DataFrame:
    """A national table of ``len(las)`` LSOAs with the given domain ranks (2025 columns)."""
    n = len(las)
    codes = [f"E010000{i:02d}" for i in range(1, n + 1)]
    data = {
        "area_code": codes,
        "area_name": [f"Area {i}" for i in range(1, n + 1)],
        "la_code": las,
        "la_name": ["Alpha" if la == "E06000001" else "Beta" for la in las],
    }
    for domain in ("imd", *SEVEN_DOMAINS):
        ind = get_indicator(f"{domain}_rank")
        data[ind.column(2025)] = ranks.get(domain, list(range(1, n + 1)))
        data[ind.decile_columns[2025]] = priority.rank_to_decile(np.array(data[ind.column(2025)]), n)
    return pd.DataFrame(data).set_index("area_code", drop=False)


# Ten LSOAs; Alpha holds the first six. At pct=20 "most deprived" means rank 1 or 2.
RANKS = {
    "income": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    "employment": [2, 1, 9, 10, 3, 4, 5, 6, 7, 8],
    "health": [10, 9, 1, 2, 8, 7, 6, 5, 4, 3],
}
LAS = ["E06000001"] * 6 + ["E06000002"] * 4
POPULATION = pd.Series(
    [1000.0, 1500.0, 1200.0, np.nan, 900.0, 800.0, 700.0, 600.0, 500.0, 400.0],
    index=[f"E010000{i:02d}" for i in range(1, 11)],
)


def test_overlap_finds_the_lsoas_on_at_least_n_domains_with_known_answers():
    national = _national(RANKS, LAS)
    result = priority.overlap(national, 2025, ["E06000001"], ["income", "employment", "health"], 20, 2, POPULATION)
    # Area 1: income 1, employment 2 -> 2 domains; area 2: income 2, employment 1 -> 2; area 3: health 1 -> 1;
    # area 4: health 2 -> 1; areas 5-10: none.
    assert result.table.set_index("area_code")["domains_hit"].to_dict() == {
        "E01000001": 2,
        "E01000002": 2,
        "E01000003": 1,
        "E01000004": 1,
        "E01000005": 0,
        "E01000006": 0,
    }
    assert result.count == 2 and result.national_count == 2
    assert result.share_of_england == 1.0 and result.share_of_place == pytest.approx(2 / 6)
    assert result.table.loc[result.table["meets"], "which"].tolist() == ["Income; Employment"] * 2
    at_least_one = priority.overlap(national, 2025, ["E06000001"], ["income", "employment", "health"], 20, 1)
    assert at_least_one.count == 4


def test_population_covered_sums_the_known_populations_and_counts_the_unknown():
    national = _national(RANKS, LAS)
    result = priority.overlap(national, 2025, ["E06000001"], ["income", "employment", "health"], 20, 1, POPULATION)
    assert result.population == 1000 + 1500 + 1200  # area 4 meets the rule but has no population
    assert result.population_unknown == 1
    assert result.place_population == 1000 + 1500 + 1200 + 900 + 800
    assert result.national_population == 3700


def test_overlap_of_several_las_and_the_las_share_of_england():
    national = _national(RANKS, LAS)
    beta = priority.overlap(national, 2025, ["E06000002"], ["health"], 30, 1, POPULATION)
    assert beta.count == 1 and beta.national_count == 3  # ranks 1-3: areas 3, 4 and 10
    assert beta.share_of_england == pytest.approx(1 / 3) and beta.population == 400
    both = priority.overlap(national, 2025, ["E06000001", "E06000002"], ["health"], 30, 1)
    assert both.count == 3 and both.place_lsoas == 10


@pytest.mark.parametrize(
    "domains, pct, at_least, message",
    [
        ([], 10, 1, "at least one domain"),
        (["income"], 0, 1, "between 0% and 100%"),
        (["income", "health"], 10, 3, "between 1 and 2"),
    ],
)
def test_overlap_refuses_impossible_rules_clearly(domains, pct, at_least, message):
    with pytest.raises(ValueError, match=message):
        priority.overlap(_national(RANKS, LAS), 2025, ["E06000001"], domains, pct, at_least)


def test_exponential_transform_puts_the_most_deprived_at_100_and_the_least_near_0():
    x = priority.exponential_transform(np.array([1, 50, 100]), 100)
    assert x[0] == pytest.approx(100.0)
    assert x[-1] == pytest.approx(-23 * np.log(1 - 0.01 * (1 - np.exp(-100 / 23))))
    assert x[0] > x[1] > x[2] > 0


def test_weights_that_do_not_sum_to_100_are_rescaled_with_a_note():
    fractions, note = priority.normalise_weights({"income": 30, "health": 30})
    assert fractions["income"] == fractions["health"] == 0.5 and fractions["crime"] == 0
    assert note == "The weights add up to 60%; Placemap rescales them to 100% (each divided by 0.6)."
    fractions, note = priority.normalise_weights(OFFICIAL_WEIGHTS)  # 99.9%: the official weights are rounded
    assert note is None and sum(fractions.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "weights, message",
    [
        ({d: 0 for d in SEVEN_DOMAINS}, "At least one domain needs a weight above zero"),
        ({"income": -5, "health": 50}, "zero or more; check Income"),
        ({"income": float("nan")}, "zero or more"),
        ({"wellbeing": 10}, "Not one of the seven domains: wellbeing"),
    ],
)
def test_impossible_weights_are_refused_with_a_clear_message(weights, message):
    with pytest.raises(ValueError, match=message):
        priority.normalise_weights(weights)


def test_scaling_all_weights_leaves_the_ranking_unchanged():
    national = _national({**RANKS, "crime": [5, 4, 3, 2, 1, 10, 9, 8, 7, 6]}, LAS)
    half = {d: w / 2 for d, w in OFFICIAL_WEIGHTS.items()}
    a = priority.composite_index(national, 2025, OFFICIAL_WEIGHTS)
    b = priority.composite_index(national, 2025, half)
    assert a["rank"].tolist() == b["rank"].tolist()


def test_rank_to_decile_follows_the_published_rule():
    assert priority.rank_to_decile(np.array([1, 3284, 3285, 32844]), 32844).tolist() == [1, 1, 2, 10]


def test_rank_stability_with_no_spread_is_the_top_decile_at_the_chosen_weights():
    rng = np.random.default_rng(1)
    transformed = rng.uniform(0, 100, size=(200, 7))
    w = priority.weight_vector(priority.normalise_weights(OFFICIAL_WEIGHTS)[0])
    shares = priority.rank_stability(transformed, w, spread=0.0, draws=10)
    scores = transformed @ w
    top = scores >= np.sort(scores)[-20]
    assert set(np.unique(shares)) <= {0.0, 1.0} and (shares == 1.0).tolist() == top.tolist()


def test_rank_stability_is_seeded_and_chunking_does_not_change_it():
    rng = np.random.default_rng(2)
    transformed = rng.uniform(0, 100, size=(300, 7))
    w = np.full(7, 1 / 7)
    subset = np.arange(300) < 40
    a = priority.rank_stability(transformed, w, subset, draws=250, chunk=100)
    b = priority.rank_stability(transformed, w, subset, draws=250, chunk=7)
    assert np.array_equal(a, b) and len(a) == 40
    c = priority.rank_stability(transformed, w, subset, draws=250, seed=99)
    assert not np.array_equal(a, c)
    local = priority.rank_stability(transformed, w, subset, reference="place", draws=50)
    assert (local > 0).sum() >= 4  # the place's own top 10% is never empty


def test_random_weightings_keep_zero_weights_at_zero_and_sum_to_one():
    w = np.array([0.5, 0.5, 0, 0, 0, 0, 0])
    drawn = priority.random_weightings(w, 100, 0.5, seed=1)
    assert np.allclose(drawn.sum(axis=1), 1) and (drawn[:, 2:] == 0).all()
    assert drawn[:, 0].min() >= 0.25 and drawn[:, 0].max() <= 0.75


def test_stability_classes_have_exact_ends():
    classes = priority.stability_class(np.array([0.0, 0.001, 0.25, 0.749, 0.75, 0.999, 1.0]))
    assert classes.tolist() == [0, 1, 2, 2, 3, 3, 4]


def test_overlap_map_classes_follow_area_code_order():
    national = _national(RANKS, LAS)
    result = priority.overlap(national, 2025, ["E06000001"], ["income", "employment", "health"], 20, 2)
    codes = [f"E010000{i:02d}" for i in range(1, 7)]
    classification = priority.overlap_classification(result, codes)
    assert classification.classes.tolist() == [2, 2, 1, 1, 0, 0]
    assert classification.labels[2] == "2 of 3 domains (meets the rule)" and classification.counts == [2, 2, 2, 0]


# ------------------------------------------------------------------ real data


@functools.cache
def _real(year: int) -> pd.DataFrame:
    return loaders.read_areas(get_vintage(year))


@pytest.fixture(params=[2025, 2019])
def edition(request):
    return request.param, _real(request.param)


@pytest.mark.realdata
def test_default_weights_reproduce_the_official_imd_ranking(edition):
    year, national = edition
    composite = priority.composite_index(national, year, OFFICIAL_WEIGHTS)
    rho = spearmanr(composite["rank"], national[get_indicator("imd_rank").column(year)]).statistic
    assert rho >= 0.999
    assert (composite["decile"] == composite["imd_decile"]).mean() >= 0.999


@pytest.mark.realdata
def test_all_weight_on_one_domain_reproduces_that_domains_ranking(edition):
    year, national = edition
    for domain, column in priority.domain_rank_columns(year).items():
        weights = {d: (100.0 if d == domain else 0.0) for d in SEVEN_DOMAINS}
        composite = priority.composite_index(national, year, weights)
        assert composite["rank"].tolist() == national[column].astype(int).tolist(), domain


@pytest.mark.realdata
def test_the_published_deciles_follow_the_decile_rule(edition):
    year, national = edition
    for domain in ("imd", *SEVEN_DOMAINS):
        ind = get_indicator(f"{domain}_rank")
        deciles = priority.rank_to_decile(national[ind.column(year)].to_numpy(), len(national))
        assert (deciles == national[ind.decile_columns[year]].to_numpy()).all(), domain


@pytest.mark.realdata
def test_transformed_ranks_match_the_official_2019_transformed_scores():
    national = _real(2019)
    ours = priority.transformed_domains(national, 2019)
    official = national[
        [f"{c.removesuffix('_rank')}_exp_transformed" for c in priority.domain_rank_columns(2019).values()]
    ]
    assert np.abs(ours - official.to_numpy()).max() < 0.01  # the published scores are rounded
