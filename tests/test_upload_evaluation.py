"""Evaluation with uploaded areas and an uploaded outcome (placemap.analysis.upload_evaluation), on frames built in code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from placemap.analysis import evaluation, evaluation_inputs, evaluation_words, upload_evaluation
from placemap.analysis.evaluation_inputs import Intervention, MatchOptions, UploadOutcome
from placemap.data.indicators import Polarity
from placemap.uploads.table import ColumnSpec, UploadedTable

N = 240
CODES = [f"E01{i:06d}" for i in range(1, N + 1)]
TREATED = tuple(CODES[:30])


def _profile() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "p_income": rng.uniform(0, 1, N),
            "p_health": rng.uniform(0, 1, N),
            "area_name": [f"Area {i}" for i in range(N)],
            "ward_name": "Ward",
            "la_code": [f"E0600000{i % 4}" for i in range(N)],
            "la_name": "Town",
            "region_code": "E12000002",
        },
        index=pd.Index(CODES, name="area_code"),
    )


def _outcome(effect: float, noise_seed: int = 3) -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(noise_seed)
    before = pd.Series(rng.normal(90, 3, N), index=CODES)
    after = before + 1.0 + rng.normal(0, 0.5, N)  # everyone rises by about 1
    after[list(TREATED)] += effect
    return before, after


def _intervention(polarity: str = Polarity.LOW_IS_WORSE, **kw) -> Intervention:
    outcome = UploadOutcome("t1", "Attendance", "a22", "a24", "Attendance 2022", "Attendance 2024", "%", polarity)
    return Intervention("Pilot", TREATED, "imd", 2019, 2025, options=MatchOptions(3), outcome=outcome, **kw)


def _evaluate(effect: float, polarity: str = Polarity.LOW_IS_WORSE, seed: int = 11):
    frame = upload_evaluation.outcome_frame(_profile(), *_outcome(effect))
    return evaluation.evaluate(frame, _intervention(polarity, seed=seed, n_boot=500))


def _uploaded_outcome(polarity: str = Polarity.LOW_IS_WORSE) -> evaluation_words.Outcome:
    values = pd.DataFrame({"a22": [1.0], "a24": [2.0]}, index=pd.Index(CODES[:1], name="area_code"))
    specs = [ColumnSpec(c, f"Attendance {c[1:]}", "%", "local", polarity) for c in ("a22", "a24")]
    table = UploadedTable("t1", "Attendance", "Council =cmd", "lsoa21", values, specs)
    return evaluation_words.uploaded_outcome(*table.indicators(), 2025)


def _run(source: str, effect: float, polarity: str = Polarity.LOW_IS_WORSE, seed: int = 11):
    """An evaluation with a planted ``effect`` (in the outcome's units) and its outcome, official or uploaded."""
    if source == "uploaded":
        return _evaluate(effect, polarity, seed), _uploaded_outcome(polarity)
    from tests.test_evaluation import synthetic_frame

    frame = synthetic_frame(n=400, effect=effect, n_treated=30, seed=seed)
    intervention = Intervention("Pilot", tuple(frame.index[:30]), "imd", 2019, 2025, seed=seed, n_boot=500)
    return evaluation.evaluate(frame, intervention), evaluation_words.official_outcome("imd", 2019, 2025, "position")


SOURCES = ["official", "uploaded"]


@pytest.mark.parametrize("source", SOURCES)
def test_a_planted_effect_is_recovered_within_the_interval_and_told_without_a_claim_of_cause(source):
    result, outcome = _run(source, 6.0 if source == "official" else 2.5)
    e = result.estimate
    assert not e.covers_zero and e.did > 0
    words = " ".join(evaluation_words.summary_sentences(result, outcome))
    assert "did better on this measure" in words and "not proof" in words
    assert ("You said higher values are better" in words) == (source == "uploaded")
    if source == "uploaded":
        assert e.ci_low <= 2.5 <= e.ci_high and abs(e.did - 2.5) < 0.3
        assert result.groups["Edition"].tolist()[:2] == ["Attendance 2022", "Attendance 2024"]


@pytest.mark.parametrize("source", SOURCES)
def test_no_effect_gives_an_interval_covering_zero_and_the_seed_fixes_it(source):
    (first, outcome), (again, _) = _run(source, 0.0), _run(source, 0.0)
    assert first.estimate.covers_zero
    assert (first.estimate.ci_low, first.estimate.ci_high) == (again.estimate.ci_low, again.estimate.ci_high)
    assert "consistent with **no difference**" in " ".join(evaluation_words.summary_sentences(first, outcome))


def test_when_higher_is_worse_a_rise_reads_as_doing_worse():
    result, outcome = _run("uploaded", 2.5, polarity=Polarity.HIGH_IS_WORSE)
    assert "did worse on this measure" in " ".join(evaluation_words.summary_sentences(result, outcome))


@pytest.mark.parametrize("source", SOURCES)
def test_the_outcome_records_give_the_unit_source_and_cautions(source):
    result, outcome = _run(source, 2.5)
    caveats = " ".join(evaluation_words.caveats(result, outcome))
    lines = " ".join(outcome.csv_lines())
    if source == "uploaded":
        assert outcome.after.unit == "%" and "Source (as stated by the uploader): Council =cmd" in lines
        assert "Your data." in caveats and "Ranks are relative" not in caveats
        assert evaluation_words.outcome_note(outcome).startswith("Outcome: **your data**")
        assert "uploader\\)\\: Council =cmd" in evaluation_words.data_note(outcome, 2019, 2025)  # escaped
    else:
        assert outcome.after.unit == "points" and "English Indices of Deprivation, MHCLG" in lines
        assert "Ranks are relative" in caveats and "2025 method change" in caveats
        assert evaluation_words.outcome_note(outcome) == ""
        assert evaluation_words.data_note(outcome, 2019, 2025) == evaluation_words.edition_note(2019, 2025)
    assert "Not proof of cause" in caveats and "Regression to the mean" in caveats


def test_lsoas_without_both_values_are_left_out_with_the_reason():
    before, after = _outcome(1.0)
    before[CODES[0]] = np.nan
    frame = upload_evaluation.outcome_frame(_profile(), before, after)
    result = evaluation.evaluate(frame, _intervention())
    assert result.matches.dropped == {CODES[0]: "no value in one of the two columns of your data"}
    assert CODES[0] not in set(result.matches.controls.ravel())
    assert not set(result.matches.controls.ravel()) & set(TREATED)  # never its own control
    assert any("Left out" in c for c in evaluation_words.caveats(result, _uploaded_outcome()))


def test_too_few_lsoas_with_values_gives_a_plain_message():
    before, after = _outcome(1.0)
    before[list(TREATED)] = np.nan
    frame = upload_evaluation.outcome_frame(_profile(), before, after)
    with pytest.raises(evaluation_inputs.EvaluationError, match="each needs a value before and after"):
        evaluation.evaluate(frame, _intervention())


def test_an_outcome_must_be_two_different_columns_on_lsoas():
    bad = UploadOutcome("t", "T", "a", "a", "A", "A", geography="ward")
    with pytest.raises(evaluation_inputs.EvaluationError, match="must be on LSOAs") as info:
        Intervention("X", TREATED, "imd", 2019, 2025, outcome=bad).validate()
    assert "two different columns" in str(info.value)


def test_lsoas_are_in_the_intervention_when_enough_of_their_population_is_inside():
    import geopandas as gpd

    from placemap.uploads.uploaded_boundaries import overlay_weights

    # Four 100 m LSOAs in a row (British National Grid); the area covers the first fully,
    # 60% of the second and 30% of the third.
    lsoas = gpd.GeoSeries([box(i * 100, 0, (i + 1) * 100, 100) for i in range(4)], index=CODES[:4], crs=27700)
    area = gpd.GeoDataFrame({"area_id": ["A1"]}, geometry=[box(0, 0, 190, 100)], crs=27700).set_index(
        "area_id", drop=False
    )
    weights = overlay_weights(area, lsoas, pd.Series([1000.0, 1000.0, 1000.0, 1000.0], index=CODES[:4]))
    shares = upload_evaluation.lsoas_in_areas(weights, ["A1"], 0.5)
    assert shares["area_code"].tolist() == CODES[:2]
    assert shares["share"].round(3).tolist() == [1.0, 0.9]
    assert shares["included"].tolist() == [True, True]
    assert upload_evaluation.lsoas_in_areas(weights, ["A1"], 0.95)["included"].tolist() == [True, False]
    assert shares["population_inside"].round(0).tolist() == [1000.0, 900.0]


def test_the_chosen_lsoas_table_and_rule_say_what_was_chosen():
    shares = pd.DataFrame(
        {"area_code": CODES[:2], "share": [1.0, 0.4], "population_inside": [1500.0, 600.0], "included": [True, False]}
    )
    table = upload_evaluation.chosen_table(shares, _profile())
    assert table["Population inside (%)"].tolist() == [100.0, 40.0]
    assert table["In the intervention"].tolist() == ["Yes", "No"]
    rule = upload_evaluation.selection_rule("Plans <b>", ["Hawes <i>Side</i>"], 0.5)
    assert rule.startswith("LSOAs with at least 50% of their population inside Hawes <i>Side</i>")


def test_a_saved_outcome_finds_the_same_table_or_the_same_file_uploaded_again():
    values = pd.DataFrame({"a22": [1.0], "a24": [2.0]}, index=pd.Index(CODES[:1], name="area_code"))
    specs = [ColumnSpec("a22", "Attendance 2022", "%"), ColumnSpec("a24", "Attendance 2024", "%")]
    original = UploadedTable("t1", "Attendance", "Council", "lsoa21", values, specs)
    outcome = upload_evaluation.outcome_for(original, *original.indicators())
    again = UploadedTable("t9", "Attendance", "Council", "lsoa21", values, specs)
    assert upload_evaluation.find_outcome([original], outcome)[0] is original
    assert upload_evaluation.find_outcome([again], outcome)[0] is again
    other = UploadedTable("t8", "Other", "Council", "lsoa21", values.rename(columns={"a22": "x"}), specs[1:])
    assert upload_evaluation.find_outcome([other], outcome) is None


def test_ward_tables_cannot_be_an_outcome():
    values = pd.DataFrame({"a": [1.0], "b": [2.0]}, index=pd.Index(["E05000001"], name="area_code"))
    table = UploadedTable("w", "Wards", "", "ward", values, [ColumnSpec("a", "A"), ColumnSpec("b", "B")])
    note = upload_evaluation.joined_outcome(table, *table.indicators(), _profile())
    assert isinstance(note, str) and "must be on LSOAs" in note


@pytest.mark.parametrize("source", SOURCES)
def test_the_before_after_chart_names_the_outcome_source_and_periods(source):
    from placemap.render import change_charts

    result, outcome = _run(source, 2.5)
    spec = change_charts.before_after_chart(result.groups, **evaluation_words.chart_labels(outcome, "position"))
    spec = spec.to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    if source == "uploaded":
        assert spec["title"]["subtitle"][1] == "Source (as stated by the uploader): Council =cmd. Placemap."
        assert "Indices of Deprivation" not in str(spec["title"])
        assert x["title"] == "Column of your data" and x["sort"] == ["Attendance 2022", "Attendance 2024"]
    else:
        assert "English Indices of Deprivation" in spec["title"]["subtitle"][1]
        assert x["title"] == "Edition" and x["sort"] == ["IoD2019", "IoD2025"]
