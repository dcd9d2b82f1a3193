"""The profile's spine of measures: the LSOA's value, its LA's and England's made from counts, its position."""

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import measure_spine as ms
from placemap.data.measure_records import measures_for
from placemap.data.measures import MeasureTable
from placemap.render.measure_spine_chart import measure_spine_chart

CODES = ["L1", "L2", "L3", "L4"]
CHILDREN = "children_in_income_deprived_families"


@pytest.fixture
def table():
    ids = [m.id for m in measures_for(2019)]
    values = pd.DataFrame(np.nan, index=pd.Index(CODES, name="area_code"), columns=ids)
    counts = values.copy()
    denominators = values.copy()
    suppressed = pd.DataFrame(False, index=values.index, columns=ids)
    # Children: L1 40 of 100, L2 10 of 400 (LA = L1+L2), L3 suppressed of 50, L4 90 of 100.
    counts[CHILDREN] = [40.0, 10.0, np.nan, 90.0]
    denominators[CHILDREN] = [100.0, 400.0, 50.0, 100.0]
    values[CHILDREN] = counts[CHILDREN] / denominators[CHILDREN]
    suppressed.loc["L3", CHILDREN] = True
    # Homelessness is an LA value repeated on its LSOAs; GP distance a published LSOA value.
    values["homelessness_rate"] = [2.0, 2.0, 1.0, 1.0]
    values["road_distance_gp"] = [1.0, 3.0, 2.0, 4.0]
    values["air_quality"] = [0.5, 0.5, 0.5, 0.5]
    return MeasureTable(2019, values, suppressed, counts, denominators)


def _row(frame, label):
    return frame.set_index("Measure").loc[label]


def test_la_and_england_rates_are_ratios_of_summed_counts_never_averages(table):
    frame = ms.measure_spine(table, "L1", ["L1", "L2"])
    children = _row(frame, "Children in income-deprived families")
    assert children["This LSOA"] == pytest.approx(40.0)
    assert children["Local authority"] == pytest.approx(100 * 50 / 500)  # not (40% + 2.5%) / 2
    assert children["England"] == pytest.approx(100 * (140 + 5) / 650)  # the suppressed count taken as 5
    assert "never an average" in children["How the LA figure was made"]
    assert children["Theme"] == "Income and poverty" and children["Unit"] == "% of children aged 0–15"


def test_suppressed_and_missing_say_why_they_have_no_value(table):
    frame = ms.measure_spine(table, "L3", ["L3", "L4"])
    assert _row(frame, "Children in income-deprived families")["Status"] == "Suppressed (small numbers)"
    assert _row(frame, "Housing in poor condition")["Status"] == "No data"
    assert np.isnan(_row(frame, "Children in income-deprived families")[ms.POSITION])


def test_la_level_measures_show_the_las_value_and_lsoa_only_ones_the_middle_lsoa(table):
    frame = ms.measure_spine(table, "L1", ["L1", "L2"])
    assert _row(frame, "Homelessness")["Local authority"] == 2.0
    assert "LA value repeated on its LSOAs" in _row(frame, "Homelessness")["How the LA figure was made"]
    gp = _row(frame, "Road distance to a GP surgery")
    assert gp["Local authority"] == 2.0 and "middle LSOA" in gp["How the LA figure was made"]


def test_position_runs_from_worst_to_best_in_each_measures_own_direction(table):
    frame = ms.measure_spine(table, "L4", ["L3", "L4"])
    assert _row(frame, "Children in income-deprived families")[ms.POSITION] == pytest.approx(100 * 0.5 / 3)
    assert _row(frame, "Road distance to a GP surgery")[ms.POSITION] == pytest.approx(12.5)  # furthest: worst
    assert _row(frame, "Air quality")[ms.POSITION] == 50.0  # all tied: the middle
    assert ms.position_in_england(pd.Series([1.0, 2.0]), 2.0, higher_is_worse=False) == 75.0


def test_spine_chart_and_table_list_the_measures_theme_by_theme(table):
    frame = ms.measure_spine(table, "L1", ["L1", "L2"])
    themes = frame["Theme"].tolist()
    assert themes.index("Health") < themes.index("Income and poverty") < themes.index("Environment")
    spec = measure_spine_chart(
        frame, name="Testtown 001A", code="L1", la_name="Testtown", edition="IoD2019", footer=["Source: IoD2019"]
    ).to_dict()
    rows = {d["row"] for data in spec["datasets"].values() for d in data if "row" in d}
    assert "Income and poverty · Children in income-deprived families" in rows
    assert "Housing and access · Housing in poor condition" not in rows  # no value: listed in the table instead
    assert list(ms.spine_table(frame).columns) == ms.COLUMNS
    assert ms.measure_years(2015) == ()


def test_pdf_report_lists_the_measures_with_suppressed_apart_from_no_data(table, tmp_path):
    import shutil
    import subprocess

    from placemap.render.measure_spine_chart import add_measures_to_report
    from placemap.render.report import ReportContent, build_report_pdf

    content = ReportContent("Testtown 003A: area profile", "IoD2019", ["A sentence."], "Source: IoD2019")
    content = add_measures_to_report(content, ms.measure_spine(table, "L3", ["L3", "L4"]), ["IoD2019 File 8"])
    path = tmp_path / "report.pdf"
    path.write_bytes(build_report_pdf(content))
    text = subprocess.run([shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True)
    assert "Measures behind the indices" in text.stdout
    assert "Suppressed (small numbers)" in text.stdout and "No data" in text.stdout


def test_a_place_of_several_lsoas_gets_each_measure_from_its_summed_counts_beside_englands(table):
    frame = ms.place_measures(table, ["L1", "L2", "L4"])
    assert list(frame.columns) == ms.PLACE_COLUMNS
    children = _row(frame, "Children in income-deprived families")
    assert children["This place"] == pytest.approx(100 * 140 / 600)  # (40 + 10 + 90) / (100 + 400 + 100)
    assert children["England"] == pytest.approx(100 * (140 + 5) / 650)
    assert "never an average" in children["How the place's figure was made"]


# --- Indicators a person brought (uploads) on the same spine, place table and report -------------

# Six LSOAs in two LAs; LA A has wards W1 (L1, L2) and W2 (L3, L4), LA B has ward W3 (L5, L6).
AREAS = pd.DataFrame(
    {
        "area_name": [f"Area {i}" for i in range(1, 7)],
        "ward_code": ["W1", "W1", "W2", "W2", "W3", "W3"],
        "la_code": ["A", "A", "A", "A", "B", "B"],
    },
    index=pd.Index([f"L{i}" for i in range(1, 7)], name="area_code"),
)
AYTON = ["L1", "L2", "L3", "L4"]
# L2 holds three times the people of each other LSOA: a mean weighted by people differs from the median.
PEOPLE = pd.Series([100.0, 300.0, 100.0, 100.0, 100.0, 100.0], index=AREAS.index)


def _upload(geography, values, polarity="high_is_deprived", label="Referrals", source="Food bank"):
    from placemap.uploads.table import ColumnSpec, UploadedTable

    frame = pd.DataFrame({"v": list(values.values())}, index=pd.Index(list(values), name="area_code"))
    spec = ColumnSpec("v", label, "per 1,000", polarity=polarity)
    return UploadedTable("d" + geography, f"{label} data", source, geography, frame, [spec])


def _brought(*tables, year=2025, people=PEOPLE):
    from placemap.data.catalogue import CATALOGUE

    session = CATALOGUE.with_uploads(list(tables))
    return ms.brought_indicators(session.registered(bundled=False), year, AREAS, session, people)


def _uploaded_spine(lsoa="L2", **kw):
    joined, _ = _brought(_upload("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0, "L5": 8.0, "L6": 6.0}, **kw))
    return ms.brought_spine(joined, lsoa, AYTON)


def test_an_uploaded_row_is_ranked_among_areas_with_a_value_and_labelled_with_its_source():
    row = _row(_uploaded_spine(), "Referrals")
    assert row["This LSOA"] == 4.0 and row["Theme"] == ms.YOUR_DATA
    assert row[ms.RANK_LA] == "1 of 3 LSOAs"  # the worst of Ayton's three LSOAs with a value
    assert row[ms.RANK] == "3 of 5 LSOAs"  # after Beeton's 8 and 6
    assert row[ms.POSITION] == 50.0
    assert row["Edition"] == "Your data: Food bank (As stated by the uploader)"


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_the_las_figure_says_how_it_was_made_counts_for_measures_weighted_means_for_uploads(table, kind):
    if kind == "official":
        row = _row(ms.measure_spine(table, "L1", ["L1", "L2"]), "Children in income-deprived families")
        assert row["Local authority"] == pytest.approx(100 * 50 / 500)  # not (40% + 2.5%) / 2
        assert "never an average" in row["How the LA figure was made"]
    else:
        row = _row(_uploaded_spine(), "Referrals")
        # (1 x 100 + 4 x 300 + 2 x 100) / 500 people, not the median 2; England: 2,900 / 700, not 4.
        assert row["Local authority"] == 3.0 and row["England"] == pytest.approx(2900 / 700)
        how = row["How the LA figure was made"]
        assert how.startswith("The population-weighted mean of its 3 of 4 LSOAs with a value")
        assert "(lowest 1, highest 4, median 2)" in how and "weighted by its people" in how


def test_a_value_without_populations_is_the_median_and_says_why():
    joined, _ = _brought(_upload("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0}), people=None)
    value, how = joined[0].figure(AYTON)
    assert value == 2.0 and how.startswith("The median of its 3 of 4 LSOAs with a value (lowest 1, highest 4):")
    assert "without the LSOAs' populations a mean cannot be weighted" in how


def test_a_count_is_summed_and_a_rank_is_the_median_whatever_the_people():
    from dataclasses import replace

    from placemap.data.indicators import ValueKind

    joined, _ = _brought(_upload("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0}))
    counts, ranks = (
        replace(joined[0], indicator=replace(joined[0].indicator, value_kind=k)) for k in ("count", "rank")
    )
    assert counts.figure(AYTON)[0] == 7.0 and counts.figure(AYTON)[1].startswith("The sum of")
    assert ranks.figure(AYTON)[0] == 2.0 and "never added up or averaged" in ranks.figure(AYTON)[1]
    assert ValueKind.RATE in ms.PLACE_RULE and ms.PLACE_RULE[ValueKind.SCORE] == ms.MEAN


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_position_runs_from_worst_to_best_whichever_way_is_worse(table, kind):
    if kind == "official":
        frame = ms.measure_spine(table, "L4", ["L3", "L4"])
        assert _row(frame, "Road distance to a GP surgery")[ms.POSITION] == pytest.approx(12.5)  # furthest: worst
        assert _row(frame, "Road distance to a GP surgery")[ms.RANK] == "1 of 4 LSOAs"
    else:
        row = _row(_uploaded_spine("L1", polarity="low_is_deprived"), "Referrals")
        assert row[ms.RANK] == "1 of 5 LSOAs" and row["Higher means"] == "better" and row[ms.POSITION] == 10.0


def test_a_ward_upload_is_ranked_among_wards_not_among_tied_lsoas():
    joined, _ = _brought(_upload("ward", {"W1": 5.0, "W2": 7.0, "W3": 6.0}))
    row = _row(ms.brought_spine(joined, "L1", AYTON), "Referrals")
    assert row["This LSOA"] == 5.0
    assert row[ms.RANK_LA] == "2 of 2 wards" and row[ms.RANK] == "3 of 3 wards"
    assert row["How the LA figure was made"].startswith("Referrals is for wards: each LSOA shows its ward's value.")


def test_an_la_upload_is_ranked_among_local_authorities_with_no_la_diamond():
    joined, _ = _brought(_upload("la", {"A": 5.0, "B": 7.0}))
    row = _row(ms.brought_spine(joined, "L1", AYTON), "Referrals")
    assert row[ms.RANK_LA] == "–" and row[ms.RANK] == "2 of 2 local authorities"
    assert np.isnan(row[ms.LA_POSITION])  # the LA's own value is the LSOA's: no second mark


def test_an_upload_for_another_edition_gets_one_line_and_no_row():
    joined, notes = _brought(_upload("lsoa11", {"L1": 1.0}))
    assert joined == [] and notes == [
        "Referrals is on LSOAs (2011), as used by IoD2015 and IoD2019: choose IoD2019 or IoD2015 to use it (LSOAs "
        "were split and merged between 2011 and 2021, so Placemap does not guess)."
    ]


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_a_place_gets_each_row_beside_englands(table, kind):
    if kind == "official":
        frame = ms.place_measures(table, ["L1", "L2", "L4"])
        assert _row(frame, "Children in income-deprived families")["This place"] == pytest.approx(100 * 140 / 600)
        assert list(frame.columns) == ms.PLACE_COLUMNS
        return
    lsoas = _upload("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0, "L5": 8.0})
    las = _upload("la", {"A": 5.0, "B": 7.0}, polarity="low_is_deprived", label="Attendance")
    joined, _ = _brought(lsoas, las)
    frame = ms.brought_place(joined, AYTON)
    assert list(frame.columns) == ms.PLACE_COLUMNS
    referrals, attendance = _row(frame, "Referrals"), _row(frame, "Attendance")
    assert referrals["This place"] == 3.0  # Ayton's LSOAs weighted by their people (the median is 2)
    assert (
        "its 3 of 4 LSOAs with a value (lowest 1, highest 4, median 2)" in referrals["How the place's figure was made"]
    )
    assert (referrals[ms.LOWEST], referrals[ms.HIGHEST], referrals[ms.RANK]) == (1.0, 4.0, "–")
    assert attendance["This place"] == 5.0 and attendance[ms.RANK] == "1 of 2 local authorities"
    # A place holding a third of L2's people: (1 x 100 + 4 x 100 + 2 x 100) / 300.
    shares = pd.Series({"L1": 1.0, "L2": 1 / 3, "L3": 1.0, "L4": 1.0})
    assert _row(ms.brought_place(joined, AYTON, shares), "Referrals")["This place"] == pytest.approx(700 / 300)


def test_the_spine_chart_draws_uploaded_rows_beside_the_measures(table):
    frame = pd.concat([ms.measure_spine(table, "L1", ["L1", "L2"]), _uploaded_spine("L1")], ignore_index=True)
    spec = measure_spine_chart(
        frame, name="Area 1", code="L1", la_name="Ayton", edition="IoD2019", footer=["Your data: Food bank"]
    ).to_dict()
    rows = {d["row"] for data in spec["datasets"].values() for d in data if "row" in d}
    assert "Your data · Referrals" in rows and "Income and poverty · Children in income-deprived families" in rows
    assert "Your data: Food bank" in str(spec)


def test_formula_like_labels_and_sources_are_neutralised_in_the_csv():
    from placemap.render import export

    frame = _uploaded_spine("L1", label='=HYPERLINK("http://x")', source="@SUM(A1)")
    csv = export.to_safe_csv(ms.spine_table(frame), ["Source: @SUM(A1)"]).decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("# Source:") and lines[1].startswith("Theme,Measure,Unit")
    assert "'=HYPERLINK" in lines[2] and ",=HYPERLINK" not in csv
    assert "Your data: @SUM(A1) (As stated by the uploader)" in lines[2]  # the stated source, kept as text


def test_the_report_lists_uploaded_rows_and_their_stated_source(table, tmp_path):
    import shutil
    import subprocess

    from placemap.render.measure_spine_chart import add_measures_to_report, add_place_measures_to_report
    from placemap.render.report import ReportContent, build_report_pdf

    upload = _upload("lsoa21", {"L1": 3.0, "L2": 9.0}, label="Pantry visits", source="Pantry <i>2025</i>")
    joined, _ = _brought(upload)
    frame = pd.concat([ms.measure_spine(table, "L1", ["L1", "L2"]), ms.brought_spine(joined, "L1", AYTON)])
    sources = [b.source for b in joined]
    content = add_measures_to_report(ReportContent("Area 1: area profile", "IoD2025", [], "S"), frame, sources)
    content = add_place_measures_to_report(content, ms.brought_place(joined, AYTON), [])
    path = tmp_path / "report.pdf"
    path.write_bytes(build_report_pdf(content))
    text = subprocess.run([shutil.which("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True)
    assert "Pantry visits" in text.stdout and "Measures behind the indices" in text.stdout
    assert "Your data: Pantry <i>2025</i> (As stated by the uploader)" in text.stdout


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_areas_compared_get_their_figure_range_and_rank_beside_england_and_one_chart_each(table, kind):
    from placemap.render.place_charts import INDICATOR_ROWS, indicator_chart

    if kind == "official":
        frames = {"Area 1": ms.measure_spine(table, "L1", CODES), "Area 4": ms.measure_spine(table, "L4", CODES)}
        label, ranks, values = "Road distance to a GP surgery", ["4 of 4 LSOAs", "1 of 4 LSOAs"], [1.0, 4.0]
    else:
        joined, _ = _brought(_upload("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0, "L5": 8.0, "L6": 6.0}))
        frames = {"Ayton": ms.brought_place(joined, AYTON), "Area 5": ms.brought_place(joined, ["L5"])}
        label, ranks, values = "Referrals", ["–", "1 of 5 LSOAs"], [3.0, 8.0]
    long = ms.compared(frames)
    rows = long[long["Measure"] == label]
    assert list(rows["Area"]) == [*frames, "England"] and list(rows["Value"])[:2] == values
    assert list(rows["Rank"])[:2] == ranks
    table_ = ms.compare_table(long).set_index("Measure")
    first = next(iter(frames))
    assert (
        table_.loc[label, first] == values[0]
        and f"Area {'4' if kind == 'official' else '5'}: rank (1 = worst)" in table_
    )
    if kind == "uploaded":  # Ayton's line runs over its LSOAs with a value; one LSOA has no line
        assert (rows["Lowest"].iloc[0], rows["Highest"].iloc[0]) == (1.0, 4.0) and np.isnan(rows["Lowest"].iloc[1])
        assert "population-weighted mean" in rows["How"].iloc[0]
    spec = indicator_chart(
        rows[INDICATOR_ROWS], label=label, unit="km", higher="worse", subtitle="IoD2019", footer=["Source: X", "OGL"]
    ).to_dict()
    assert spec["title"]["text"] == f"{label}: the areas compared"
    assert "Source: X" in str(spec) and "OGL" in str(spec)  # on every export: the footer is part of the chart
    drawn = [d for data in spec["datasets"].values() for d in data if "Area" in d]
    assert {d["Area"] for d in drawn} == {*frames, "England"}


def test_every_las_figure_is_made_as_its_own_place_figure_and_ranked_among_las(table):
    from placemap.data.measures import figure_for_place

    la_of = pd.Series(["A", "A", "B", "B"], index=CODES)
    figures = ms.la_figures(table, la_of)
    for la, lsoas in (("A", ["L1", "L2"]), ("B", ["L3", "L4"])):
        for measure in (CHILDREN, "homelessness_rate"):
            assert figures.at[la, measure] == pytest.approx(figure_for_place(table, measure, lsoas).value)
    assert "road_distance_gp" not in figures  # published for LSOAs only: never ranked by a middle LSOA
    ranks = ms.la_ranks(table, la_of)
    children = ranks[("Income and poverty", "Children in income-deprived families")]
    assert children.to_dict() == {"A": 2.0, "B": 1.0}  # B: (5 + 90) / 150 beats A's 50 / 500 to the worst
    frame = ms.with_la_ranks(ms.place_measures(table, ["L3", "L4"]), "B", ranks)
    assert _row(frame, "Children in income-deprived families")[ms.RANK] == "1 of 2 local authorities"
    assert _row(frame, "Road distance to a GP surgery")[ms.RANK] == "–"


def test_a_brought_indicators_la_figures_and_ranks_match_each_las_own_figure():
    joined, _ = _brought(_upload("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0, "L5": 8.0, "L6": 6.0}))
    la_of = AREAS["la_code"]
    figures = joined[0].figures_by(la_of)
    assert figures["A"] == pytest.approx(joined[0].figure(AYTON)[0]) == 3.0
    assert figures["B"] == pytest.approx(joined[0].figure(["L5", "L6"])[0]) == 7.0
    ranks = ms.brought_la_ranks(joined, la_of)[(ms.YOUR_DATA, "Referrals")]
    assert ranks.to_dict() == {"A": 2.0, "B": 1.0}
