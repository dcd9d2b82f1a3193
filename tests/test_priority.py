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
from placemap.data.indicators import Geography, Indicator, Polarity
from placemap.links import systems_links

from .test_systems import UPLOAD, edition_with, lsoa_upload, twelve_lsoas


def registered_like(indicator_id: str) -> Indicator:
    """An indicator registered beside the official ones (values on 2021 LSOAs, higher is worse)."""
    return Indicator(
        indicator_id,
        "Local rate",
        "local",
        None,
        "value",
        "%",
        Polarity.HIGH_IS_WORSE,
        {},
        {},
        {},
        geography=Geography.LSOA21,
    )


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


# ---------------------------------------------------------------- conditions and components of any indicator


@pytest.mark.parametrize("kind", ["measure", "uploaded"])
def test_condition_hits_follow_the_polarity_the_threshold_and_the_place(kind):
    values = np.array([5.0, 1.0, np.nan, 3.0, 9.0, 7.0])
    everywhere = np.ones(6, dtype=bool)
    indicator_id = "children_in_income_deprived_families_2019" if kind == "measure" else UPLOAD
    high = priority.condition_hits(values, "high_is_deprived", priority.Condition(indicator_id, "value", 5), everywhere)
    low = priority.condition_hits(values, "low_is_deprived", priority.Condition(indicator_id, "value", 3), everywhere)
    assert high.tolist() == [True, False, False, False, True, True]
    assert low.tolist() == [False, True, False, True, False, False]
    place = np.array([1, 1, 1, 1, 0, 0], dtype=bool)  # worst 50% of the 3 with a value in the place: 1 LSOA
    worst = priority.condition_hits(values, "high_is_deprived", priority.Condition(indicator_id, "place", 50), place)
    assert worst.tolist() == [True, False, False, False, False, False]
    with pytest.raises(ValueError, match="between 0% and 100%"):
        priority.condition_hits(values, "high_is_deprived", priority.Condition(indicator_id, "place", 0), place)


def test_overlap_counts_an_uploaded_condition_like_a_domain_with_population_and_words():
    national = twelve_lsoas()
    data = edition_with([lsoa_upload(national, [np.nan, 4.0, 3.0, 1.0])], national)
    conditions = [priority.Condition(UPLOAD, "value", 3)]
    extra = priority.condition_columns(data.national, 2025, ["E06000001"], conditions, data.get)
    assert extra[0][0] == "<b>x</b> at or above 3 per 1,000" and extra[0][1][:4].tolist() == [False, True, True, False]
    population = pd.Series(100.0, index=national.index)
    # Income: rank <= 10% of 12 = 1 -> only area 1; with the uploaded condition, at least 1 of 2.
    result = priority.overlap(data.national, 2025, ["E06000001"], ["income"], 10, 1, population, extra=extra)
    assert result.n_conditions == 2 and result.count == 3 and result.population == 300
    assert result.table.set_index("area_code").loc["E01000002", "which"] == "<b>x</b> at or above 3 per 1,000"
    assert result.rule.startswith("in need on at least 1 of 2 conditions (in England's most deprived 10% on Income")
    assert priority.partial_england(data.national, 2025, conditions, data.get)  # the upload covers 3 LSOAs
    classes = priority.overlap_classification(result, list(national.index[:6]))
    assert classes.labels[-1] == "2 of 2 conditions (meets the rule)"
    with pytest.raises(ValueError, match="between 1 and 2"):
        priority.overlap(data.national, 2025, ["E06000001"], ["income"], 10, 3, extra=extra)


@pytest.mark.parametrize("kind", ["registered", "uploaded"])
def test_composite_with_a_component_is_ranked_only_where_it_has_a_value(kind):
    national = twelve_lsoas()
    values = np.r_[np.arange(10, 0, -1.0), [np.nan, np.nan]]
    if kind == "uploaded":
        data = edition_with([lsoa_upload(national, values)], national)
        component = data.get(UPLOAD)
    else:  # the shared table already carries a registered indicator as a column named by its id
        component = registered_like(UPLOAD.replace("upload", "local"))
        data = edition_with([], national.assign(**{component.id: values}))
    seven = dict(priority.OFFICIAL_WEIGHTS)
    only = priority.composite_with_component(data.national, 2025, dict.fromkeys(seven, 0.0), component, 50)
    assert only["rank"].iloc[:10].tolist() == list(range(1, 11))  # the component's own order
    assert only["score"].iloc[10:].isna().all()
    none = priority.composite_with_component(data.national, 2025, seven, component, 0)
    official = priority.composite_index(national, 2025, seven)["rank"].iloc[:10]
    assert none["rank"].iloc[:10].tolist() == official.rank(method="min").astype(int).tolist()
    assert none["decile"].iloc[0] == 1 and none["imd_rank"].iloc[:10].tolist() == list(range(1, 11))
    with pytest.raises(ValueError, match="at least 10"):
        priority.composite_with_component(data.national.iloc[:5], 2025, seven, component, 10)


def test_a_priority_view_with_conditions_and_a_component_round_trips_through_its_link():
    view = systems_links.PriorityView(conditions=((UPLOAD, "value", 3.5),), component=(UPLOAD, 12.5))
    params = view.to_params()
    assert params["uc"] == f"{UPLOAD}~value~3.5" and params["ucw"] == f"{UPLOAD}~12.5"
    las, domains = {2025: {"E06000009": "Blackpool"}}, {2025: ["income", "employment", "education", "health"]}
    parsed, notes = systems_links.parse_priority_view(params, las, (2025,), domains, {2025: [UPLOAD]})
    assert notes == [] and parsed.conditions == view.conditions and parsed.component == view.component
    assert "uc" not in systems_links.PriorityView().to_params()  # links without them are unchanged
    _, notes = systems_links.parse_priority_view(
        {"uc": "upload_zz_0~place~20"}, las, (2025,), domains, {2025: [UPLOAD]}
    )
    assert "this browser session does not have" in notes[0]
    notes.clear()
    assert systems_links.parse_upload_conditions(f"{UPLOAD}~place~0,x", [UPLOAD], notes) == () and len(notes) == 2
    assert systems_links.parse_upload_component(f"{UPLOAD}~150", [UPLOAD], notes) is None
