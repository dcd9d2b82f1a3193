"""Matching, difference-in-differences and the bootstrap on synthetic data with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import evaluation, evaluation_words, lsoa_change
from placemap.analysis.evaluation_inputs import EvaluationError, Intervention, MatchOptions
from placemap.render import change_charts

SEED = 20251030


def synthetic_frame(n: int = 800, effect: float = 0.0, n_treated: int = 60, seed: int = 1) -> pd.DataFrame:
    """An analysis frame: 3-domain profiles, 4 regions, 16 LAs; treated are the first ``n_treated`` codes.

    Each area's change = 4 × (0.5 − baseline position) (areas drift towards the middle),
    plus noise (sd 3 points), plus ``effect`` points for treated areas.
    """
    rng = np.random.default_rng(seed)
    codes = [f"E01{i:06d}" for i in range(n)]
    profile = rng.uniform(0.05, 0.95, size=(n, 3))
    before = profile[:, 0]
    change_points = 4 * (0.5 - before) + rng.normal(0, 3, n)
    change_points[:n_treated] += effect
    after = np.clip(before + change_points / 100, 0.0001, 1)
    frame = pd.DataFrame(
        {
            lsoa_change.CHANGE_CODE: "U",
            "position_before": before,
            "position_after": after,
            "position_change": (after - before) * 100,
            "decile_before": lsoa_change.decile_from_position(before),
            "decile_after": lsoa_change.decile_from_position(after),
            "comparable": True,
            "p_imd": profile[:, 0],
            "p_income": profile[:, 1],
            "p_health": profile[:, 2],
            "area_name": [f"Area {i}" for i in range(n)],
            "ward_name": "Ward",
            "la_code": [f"E0600{i % 16:04d}" for i in range(n)],
            "la_name": [f"LA {i % 16}" for i in range(n)],
            lsoa_change.REGION_CODE: [f"E1200000{i % 4}" for i in range(n)],
        },
        index=pd.Index(codes, name="area_code"),
    )
    frame["decile_change"] = frame["decile_after"] - frame["decile_before"]
    return frame


def _intervention(frame: pd.DataFrame, n_treated: int = 60, **kwargs) -> Intervention:
    defaults = dict(name="Test", domain="imd", before=2019, after=2025, seed=SEED, n_boot=1000)
    defaults.update(kwargs)
    return Intervention(area_codes=tuple(frame.index[:n_treated]), **defaults)


def test_planted_effect_is_recovered_within_the_interval():
    frame = synthetic_frame(effect=5.0)
    result = evaluation.evaluate(frame, _intervention(frame))
    e = result.estimate
    assert e.ci_low <= 5.0 <= e.ci_high
    assert e.ci_low > 0  # and the interval excludes "no difference"
    assert e.did == pytest.approx(5.0, abs=1.5)


def test_no_effect_gives_an_interval_covering_zero():
    frame = synthetic_frame(effect=0.0)
    e = evaluation.evaluate(frame, _intervention(frame)).estimate
    assert e.covers_zero
    assert abs(e.did) < 1.5


def test_bootstrap_is_deterministic_under_the_seed():
    frame = synthetic_frame(effect=2.0)
    first = evaluation.evaluate(frame, _intervention(frame)).estimate
    again = evaluation.evaluate(frame, _intervention(frame)).estimate
    other = evaluation.evaluate(frame, _intervention(frame, seed=SEED + 1)).estimate
    np.testing.assert_array_equal(first.draws, again.draws)
    assert (first.ci_low, first.ci_high) == (again.ci_low, again.ci_high)
    assert not np.array_equal(first.draws, other.draws)
    assert first.did == other.did  # the point estimate does not depend on the seed


def test_did_estimate_is_treated_change_minus_matched_change():
    est = evaluation.did_estimate(np.array([2.0, 4.0]), np.array([[1.0, 3.0], [0.0, 0.0]]), n_boot=100, seed=3)
    assert est.did == pytest.approx(((2 - 2) + (4 - 0)) / 2)
    assert est.treated_change == pytest.approx(3.0) and est.comparison_change == pytest.approx(1.0)
    assert len(est.draws) == 100 and est.ci_low <= est.did <= est.ci_high


def test_matching_never_picks_a_treated_lsoa_as_its_own_control():
    frame = synthetic_frame()
    # Give every treated LSOA a twin profile inside the intervention: the nearest areas are treated ones.
    frame.iloc[30:60, frame.columns.get_indexer(["p_imd", "p_income", "p_health"])] = frame.iloc[
        0:30, frame.columns.get_indexer(["p_imd", "p_income", "p_health"])
    ].to_numpy()
    treated = list(frame.index[:60])
    matches = evaluation.match_controls(frame, treated, MatchOptions(n_neighbours=5))
    chosen = set(matches.controls.ravel())
    assert chosen.isdisjoint(treated)
    assert matches.controls.shape == (60, 5)
    assert (np.diff(matches.distances, axis=1) >= 0).all()  # nearest first


def test_matching_respects_region_and_la_constraints():
    frame = synthetic_frame()
    treated = list(frame.index[:40])
    m = evaluation.match_controls(frame, treated, MatchOptions(3, same_region=True, exclude_same_la=True))
    for code, row in zip(m.treated, m.controls, strict=True):
        assert set(frame.loc[list(row), lsoa_change.REGION_CODE]) == {frame.at[code, lsoa_change.REGION_CODE]}
        assert frame.at[code, "la_code"] not in set(frame.loc[list(row), "la_code"])


def test_matching_breaks_ties_by_area_code():
    frame = synthetic_frame(n=50, n_treated=2)
    frame[["p_imd", "p_income", "p_health"]] = 0.5  # every candidate at distance zero
    m = evaluation.match_controls(frame, list(frame.index[:2]), MatchOptions(3))
    assert m.controls[0].tolist() == list(frame.index[2:5])


def test_too_few_candidates_gives_a_clear_message():
    frame = synthetic_frame(n=30, n_treated=25)
    with pytest.raises(EvaluationError, match="Too few comparison candidates: 5 LSOAs outside the intervention"):
        evaluation.match_controls(frame, list(frame.index[:25]), MatchOptions(n_neighbours=6))
    frame = synthetic_frame(n=32, n_treated=2)  # 8 LSOAs per region
    with pytest.raises(EvaluationError, match=r"has only \d+ eligible LSOAs \(in the same region\)"):
        evaluation.match_controls(frame, list(frame.index[:2]), MatchOptions(n_neighbours=10, same_region=True))


def test_treated_lsoas_without_comparable_values_are_left_out_and_counted():
    frame = synthetic_frame(n_treated=10)
    frame.loc[frame.index[0], "comparable"] = False
    frame.loc[frame.index[1], lsoa_change.CHANGE_CODE] = lsoa_change.COMPLEX
    frame.loc[frame.index[1], "comparable"] = False
    m = evaluation.match_controls(frame, [*frame.index[:10], "E01999999"], MatchOptions())
    assert len(m.treated) == 8
    assert "complex boundary change" in m.dropped[frame.index[1]]
    assert "not an LSOA" in m.dropped["E01999999"]
    with pytest.raises(EvaluationError, match="Only 1 of the 3 chosen LSOAs can be compared"):
        evaluation.match_controls(frame, list(frame.index[:3]), MatchOptions())


def test_matching_improves_baseline_balance():
    frame = synthetic_frame()
    # Treat the 60 most deprived areas on the IMD: unbalanced before matching.
    worst = frame.sort_values("p_imd").index[:60]
    m = evaluation.match_controls(frame, list(worst), MatchOptions(3))
    balance = evaluation.balance_table(frame, m).set_index("Domain (baseline rank position, %)")
    imd = balance.loc["Index of Multiple Deprivation (IMD)"]
    assert abs(imd["Before matching"]) > 2  # the most deprived 60 of 800 are far from the rest
    # The extreme tail cannot be matched perfectly, but the gap shrinks to a fraction of it.
    assert (balance["Standardised difference"].abs() < 0.25 * balance["Before matching"].abs().clip(lower=0.4)).all()


def test_intervention_validation_says_what_is_wrong():
    with pytest.raises(EvaluationError, match="Give the intervention a name"):
        Intervention(name=" ", area_codes=("E01000001",), domain="imd", before=2019, after=2025).validate()
    with pytest.raises(EvaluationError, match="not published in both IoD2015 and IoD2025"):
        Intervention(name="x", area_codes=("E01000001",), domain="crime", before=2015, after=2025).validate()
    with pytest.raises(EvaluationError, match="earlier than"):
        Intervention(name="x", area_codes=("E01000001",), domain="imd", before=2025, after=2019).validate()
    with pytest.raises(EvaluationError, match="not LSOA codes"):
        Intervention(name="x", area_codes=("<script>",), domain="imd", before=2019, after=2025).validate()


def test_wording_never_claims_causation():
    frame = synthetic_frame(effect=5.0)
    result = evaluation.evaluate(frame, _intervention(frame, n_treated=10))
    outcome = evaluation_words.official_outcome("imd", 2019, 2025, "position")
    text = " ".join(evaluation_words.summary_sentences(result, outcome) + evaluation_words.caveats(result, outcome))
    text = text.lower()
    assert "not proof" in text
    for claim in ("caused by the intervention", "the intervention reduced", "the intervention improved", "impact of"):
        assert claim not in text
    assert "small numbers" in text and "regression to the mean" in text and "2025 method change" in text


def test_before_after_chart_shows_both_groups():
    frame = synthetic_frame(effect=5.0)
    result = evaluation.evaluate(frame, _intervention(frame))
    spec = change_charts.before_after_chart(result.groups, "Title", "Mean").to_dict()
    values = next(iter(spec["datasets"].values()))
    assert {v["Group"] for v in values} == {"Intervention LSOAs", "Matched comparison"}
    assert len(result.pairs) == 60 * 3


@pytest.mark.realdata
def test_an_evaluation_runs_on_the_real_data_without_picking_the_same_la():
    from placemap.data import loaders
    from placemap.data.catalogue import get_vintage

    lookup = lsoa_change.read_lsoa_lookup(loaders.data_path(lsoa_change.LOOKUP_FILE))
    frames = {y: loaders.read_areas(get_vintage(y)) for y in (2015, 2019, 2025)}
    lad = lsoa_change.read_lad_regions(loaders.data_path(lsoa_change.REGION_FILE))
    regions = lsoa_change.lsoa21_regions(lsoa_change.lsoa11_regions(frames[2015]["lad13_code"], lad), lookup)
    frame = evaluation.analysis_frame(
        frames,
        2019,
        2025,
        "income",
        lookup,
        frames[2019][lsoa_change.POPULATION_COLUMN],
        regions[lsoa_change.REGION_CODE],
    )
    blackpool = list(frame.index[frame["la_code"] == "E06000009"][:20])
    result = evaluation.evaluate(
        frame,
        Intervention(
            "Blackpool", tuple(blackpool), "income", 2019, 2025, options=MatchOptions(3, True, True), n_boot=200
        ),
    )
    controls = frame.loc[result.matches.controls.ravel().tolist()]
    assert (controls["la_code"] != "E06000009").all()
    assert set(controls[lsoa_change.REGION_CODE]) == {"E12000002"}  # North West
    assert result.estimate.n_treated == 20
