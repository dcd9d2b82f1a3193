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
