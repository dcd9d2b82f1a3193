"""Uploaded indicators on profiles, comparisons, charts and the PDF report (small areas built in code)."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import upload_profile as up
from placemap.analysis.classify import classify_values
from placemap.data.catalogue import get_vintage
from placemap.data.loaders import read_areas
from placemap.render import charts, export, report
from placemap.uploads.table import ColumnSpec, UploadedTable

from .conftest import make_boundaries, make_iod_table

# Six LSOAs in two LAs; LA A has wards W1 (L1, L2) and W2 (L3, L4), LA B has ward W3 (L5, L6).
AREAS = pd.DataFrame(
    {
        "area_name": [f"Area {i}" for i in range(1, 7)],
        "ward_code": ["W1", "W1", "W2", "W2", "W3", "W3"],
        "ward_name": ["One", "One", "Two", "Two", "Three", "Three"],
        "la_code": ["A", "A", "A", "A", "B", "B"],
        "la_name": ["Ayton"] * 4 + ["Beeton"] * 2,
    },
    index=pd.Index([f"L{i}" for i in range(1, 7)], name="area_code"),
)


def _table(
    geography: str, values: dict, polarity: str = "high_is_deprived", label: str = "Referrals", source="Food bank"
):
    frame = pd.DataFrame({"v": list(values.values())}, index=pd.Index(list(values), name="area_code"))
    return UploadedTable(
        "d" + geography,
        f"{label} data",
        source,
        geography,
        frame,
        [ColumnSpec("v", label, "per 1,000", polarity=polarity)],
    )


def test_rank_one_is_the_worst_value_whichever_way_is_worse():
    values = pd.Series([3.0, 9.0, 5.0, np.nan, 9.0])
    assert up.worst_first_rank(values, "high_is_deprived").tolist()[:3] == [4.0, 1.0, 3.0]  # the two 9s share rank 1
    assert up.worst_first_rank(values, "low_is_deprived").tolist()[:3] == [1.0, 3.0, 2.0]
    assert np.isnan(up.worst_first_rank(values, "high_is_deprived")[3])


def test_lsoa_profile_ranks_an_lsoa_upload_in_its_la_and_among_all():
    table = _table("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0, "L5": 8.0, "L6": 6.0})
    section = up.lsoa_section([table], 2025, AREAS, "L2")
    row = section.table.iloc[0]
    assert row[up.VALUE] == 4.0
    assert row[up.RANK_LA] == "1 of 3 LSOAs"  # the worst of Ayton's three LSOAs with a value
    assert row[up.RANK_ALL] == "3 of 5 LSOAs"  # after Beeton's 8 and 6
    assert row[up.PERCENTILE] == 50.0
    assert row[up.SOURCE] == "Food bank, uploaded; not checked by Placemap"
    spine = section.spine.iloc[0]
    assert spine["position"] == 50.0
    assert spine["reference"] == pytest.approx(70.0)  # Ayton's middle LSOA: rank 4 of 5


def test_lower_is_worse_turns_the_ranks_round():
    table = _table("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0}, polarity="low_is_deprived")
    row = up.lsoa_section([table], 2025, AREAS, "L1").table.iloc[0]
    assert row[up.RANK_ALL] == "1 of 3 LSOAs" and row[up.DIRECTION] == "Lower is worse"


def test_a_ward_upload_is_ranked_among_wards_not_among_tied_lsoas():
    table = _table("ward", {"W1": 5.0, "W2": 7.0, "W3": 6.0})
    row = up.lsoa_section([table], 2025, AREAS, "L1").table.iloc[0]
    assert row[up.VALUE] == 5.0
    assert row[up.RANK_LA] == "2 of 2 wards" and row[up.RANK_ALL] == "3 of 3 wards"
    assert row[up.JOIN] == "Referrals is for wards: each LSOA shows its ward's value."


def test_an_la_upload_is_ranked_among_local_authorities_only():
    table = _table("la", {"A": 5.0, "B": 7.0})
    section = up.lsoa_section([table], 2025, AREAS, "L1")
    row = section.table.iloc[0]
    assert row[up.RANK_LA] == "–" and row[up.RANK_ALL] == "2 of 2 local authorities"
    assert np.isnan(section.spine.iloc[0]["reference"])  # no "LA middle" for the LA's own value


def test_an_upload_for_another_edition_gets_one_line_and_no_row():
    table = _table("lsoa11", {"L1": 1.0})
    section = up.lsoa_section([table], 2025, AREAS, "L1")
    assert section.empty
    assert section.notes == [
        "Referrals data: Referrals is on LSOAs (2011), as used by IoD2015 and IoD2019: choose IoD2019 or IoD2015 "
        "to use it (LSOAs were split and merged between 2011 and 2021, so Placemap does not guess)."
    ]


def test_la_profile_summarises_lsoa_uploads_and_ranks_la_uploads():
    lsoas = _table("lsoa21", {"L1": 1.0, "L2": 4.0, "L3": 2.0, "L5": 8.0})
    las = _table("la", {"A": 5.0, "B": 7.0}, polarity="low_is_deprived", label="Attendance")
    table = up.la_section([lsoas, las], 2025, AREAS, "A").table.set_index(up.INDICATOR)
    assert table.loc["Referrals", [up.MEDIAN, up.LOWEST, up.HIGHEST]].tolist() == [2.0, 1.0, 4.0]
    assert table.loc["Referrals", up.WITH_VALUE] == "3 of 4 LSOAs"
    assert table.loc["Attendance", up.VALUE] == 5.0 and table.loc["Attendance", up.RANK_LAS] == "1 of 2"


def test_compare_rows_for_lsoas_and_for_las():
    lsoas = _table("lsoa21", {"L1": 1.0, "L2": 4.0, "L5": 8.0})
    rows, notes = up.compare_rows([lsoas], 2025, AREAS, ["L1", "L5"], "lsoa", ["Area 1 (L1)", "Area 5 (L5)"])
    assert notes == [] and rows["value"].tolist() == [1.0, 8.0]
    assert rows["rank"].tolist() == ["3 of 3 LSOAs", "1 of 3 LSOAs"]
    rows, _ = up.compare_rows([lsoas], 2025, AREAS, ["A", "B"], "la", ["Ayton (A)", "Beeton (B)"])
    assert rows[["value", "low", "high"]].iloc[0].tolist() == [2.5, 1.0, 4.0]
    assert rows["with_value"].tolist() == ["2 of 4 LSOAs", "1 of 2 LSOAs"]
    table = up.compare_table(rows)
    assert list(table["Area"]) == ["Ayton (A)", "Beeton (B)"]


def test_formula_like_labels_and_sources_are_neutralised_in_the_csv():
    table = _table("lsoa21", {"L1": 1.0}, label='=HYPERLINK("http://x")', source="@SUM(A1)")
    section = up.lsoa_section([table], 2025, AREAS, "L1")
    csv = export.to_safe_csv(section.table, [f"Source: {s}" for s in section.sources]).decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("# Source:") and lines[1].startswith("Indicator,Dataset,Value")
    assert lines[2].startswith('"\'=HYPERLINK(""http://x"")"')  # the label, neutralised
    assert "'@SUM(A1), uploaded; not checked by Placemap" in lines[2]  # the stated source, neutralised


def test_the_key_changes_when_an_uploaded_value_changes():
    one = up.lsoa_section([_table("lsoa21", {"L1": 1.0, "L2": 2.0})], 2025, AREAS, "L1")
    two = up.lsoa_section([_table("lsoa21", {"L1": 1.5, "L2": 2.0})], 2025, AREAS, "L1")
    assert (
        one.key() != two.key()
        and one.key() == up.lsoa_section([_table("lsoa21", {"L1": 1.0, "L2": 2.0})], 2025, AREAS, "L1").key()
    )


def test_your_data_spine_names_the_rows_and_says_the_data_is_unchecked():
    section = up.lsoa_section([_table("lsoa21", {"L1": 1.0, "L2": 4.0, "L5": 8.0})], 2025, AREAS, "L1")
    chart = charts.lsoa_your_data_chart(
        section.spine, section.sources, name="Area 1", code="L1", la_name="Ayton", vintage=get_vintage(2025)
    )
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Area 1: your data"
    text = str(spec)
    assert "Food bank, uploaded; not checked by Placemap" in text and "Ayton middle" in text


def _official_spine():
    rows = pd.DataFrame({"row": ["Income"], "position": [3.0], "rank": [1000], "decile": [1], "reference": [40.0]})
    return charts.spine_chart(rows, title="T", subtitle="S", footer=["Source"], total=33755), "Most deprived 25%"


def _uploaded_spine():
    section = up.lsoa_section([_table("lsoa21", {"L1": 1.0, "L2": 4.0, "L5": 8.0})], 2025, AREAS, "L1")
    chart = charts.lsoa_your_data_chart(
        section.spine, section.sources, name="Area 1", code="L1", la_name="Ayton", vintage=get_vintage(2025)
    )
    return chart, "Worst 25%"


@pytest.mark.parametrize("build", [_official_spine, _uploaded_spine], ids=["official", "uploaded"])
def test_official_and_uploaded_spines_draw_three_bands_a_middle_rule_and_the_area_on_top(build):
    chart, first_band = build()
    body = chart.to_dict()["concat"][0]
    marks = [layer["mark"]["type"] for layer in body["layer"]]
    assert marks[:2] == ["bar", "tick"] and len(marks) == 3  # bands, the middle, then the area's marks
    bands = body["layer"][0]["encoding"]["color"]["scale"]["domain"]
    assert len(bands) == 3 and bands[0].startswith(first_band)
    assert body["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 100]


def test_compare_chart_draws_the_range_of_an_las_lsoas():
    rows, _ = up.compare_rows(
        [_table("lsoa21", {"L1": 1.0, "L2": 4.0, "L5": 8.0})], 2025, AREAS, ["A", "B"], "la", ["Ayton", "Beeton"]
    )
    spec = charts.compare_values_chart(rows, subtitle="2 areas").to_dict()
    marks = [layer["mark"]["type"] for layer in spec["concat"][0]["layer"]]
    assert marks == ["rule", "point"]
    rows, _ = up.compare_rows([_table("lsoa21", {"L1": 1.0})], 2025, AREAS, ["L1", "L5"], "lsoa", ["Area 1", "Area 5"])
    spec = charts.compare_values_chart(rows, subtitle="2 areas").to_dict()
    text = [layer for layer in spec["concat"][0]["layer"] if layer["mark"]["type"] == "text"]
    assert text[0]["encoding"]["text"] == {"value": "No value"}  # an area with no value says so
    assert spec["title"]["text"] == "Referrals: compared (your data)"


def test_report_pdf_includes_the_uploaded_indicator_and_its_stated_source(tmp_path):
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "poppler-utils is needed for PDF checks: apt-get install poppler-utils"
    vintage = get_vintage(2025)
    geo = make_boundaries()
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "iod").mkdir()
    geo.to_parquet(tmp_path / vintage.boundary_file)
    make_iod_table(list(geo["area_code"])).to_parquet(tmp_path / vintage.iod_file)
    areas = read_areas(vintage, tmp_path)
    classification = classify_values(
        areas["IMD_decile"].to_numpy(float), "quantiles", 3, polarity="low_is_deprived", palette="viridis"
    )
    upload = _table("lsoa21", {"E01000001": 3.0, "E01000002": 9.0}, label="Pantry visits", source="Pantry <i>2025</i>")
    section = up.lsoa_section([upload], 2025, areas, "E01000002")
    content = report.lsoa_report(
        areas, "E01000002", vintage, geometry=geo.set_index("area_code", drop=False), classification=classification
    )
    chart = charts.lsoa_your_data_chart(
        section.spine, section.sources, name="Testtown 002A", code="E01000002", la_name="Testtown", vintage=vintage
    )
    pdf = report.build_report_pdf(report.add_your_data(content, section.table, section.notes, section.sources, chart))
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = subprocess.run([pdftotext, str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Your data (uploaded indicators)" in text and "Pantry visits" in text
    assert "Your data: Pantry visits data: Pantry <i>2025</i>, uploaded; not checked by Placemap" in text


# --- Uploaded areas get a profile -----------------------------------------------------------


def _uploaded_areas(name: str = "<b>Plan</b> area"):
    import geopandas as gpd
    from shapely.geometry import box

    from placemap.uploads.uploaded_boundaries import UploadedAreas

    frame = gpd.GeoDataFrame(
        {"area_id": ["A1", "A2"], "area_name": [name, "Other"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326
    )
    return UploadedAreas("b1234abcd", "Plans", "Parish", frame.set_index("area_id", drop=False))


def test_area_keys_are_parsed_strictly_and_found_only_in_the_session():
    from placemap.analysis import upload_area_profile as uap

    assert uap.parse_area_key("b1234abcd:A2") == ("b1234abcd", "A2")
    assert uap.parse_area_key("b1:../A2") is None and uap.parse_area_key("<script>:A1") is None
    areas = _uploaded_areas()
    assert uap.find_area([areas], "b1234abcd:A2")[1] == "A2"
    assert uap.find_area([areas], "b1234abcd:A9") is None and uap.find_area([], "b1234abcd:A1") is None
    assert uap.area_options([areas]) == {"b1234abcd:A1": "<b>Plan</b> area (Plans)", "b1234abcd:A2": "Other (Plans)"}


# Area A1 overlaps all of L1 (100 people) and half of L2 (200 people, so 100 weighted).
WEIGHTS = pd.DataFrame(
    {
        "area_id": ["A1", "A1", "A2"],
        "area_code": ["L1", "L2", "L2"],
        "share": [1.0, 0.5, 0.5],
        "weight": [100.0, 100.0, 100.0],
    }
)


def test_uploaded_indicators_are_aggregated_to_an_uploaded_area_by_the_same_weights():
    from placemap.analysis import upload_area_profile as uap
    from placemap.data.catalogue import CATALOGUE
    from placemap.data.values import joined_frame

    table = _table("lsoa21", {"L1": 2.0, "L2": 6.0})
    session = CATALOGUE.with_uploads([table])
    uploaded, indicators = joined_frame(session.registered(bundled=False), 2025, AREAS, session)
    out = uap.your_data_table(WEIGHTS, "A1", uploaded, indicators, {indicators[0].id: up.source_text(table)})
    row = out.iloc[0]
    assert row["Population-weighted mean"] == 4.0  # (100 x 2 + 100 x 6) / 200
    assert row["LSOAs with a value"] == "2 of 2" and row["Source"].endswith("not checked by Placemap")


def test_an_uploaded_areas_lsoas_are_listed_largest_weight_first_with_their_share():
    from placemap.analysis import upload_area_profile as uap

    areas = AREAS.assign(IMD_decile=[1, 2, 3, 4, 5, 6])
    weights = WEIGHTS.assign(weight=[100.0, 150.0, 100.0])
    lsoas = uap.lsoas_table(weights, "A1", areas, "IMD_decile")
    assert lsoas["LSOA code"].tolist() == ["L2", "L1"]
    assert lsoas["Share of the LSOA inside"].tolist() == [0.5, 1.0] and lsoas["IMD decile"].tolist() == [2, 1]
    assert uap.area_sentences(pd.DataFrame({"Measure": [], "Shown as": []}), lsoas, get_vintage(2025))[0] == (
        "About 250 people (population-weighted) in parts of 2 LSOAs of IoD2025, in Ayton."
    )


def test_uploaded_area_report_states_the_method_and_the_boundaries_source(tmp_path):
    from placemap.analysis import upload_area_profile as uap
    from placemap.uploads import uploaded_boundaries as ub

    vintage = get_vintage(2025)
    measures_list = ub.aggregate_measures(2025)
    aggregates = pd.DataFrame({m.column: [0.5] for m in measures_list} | {"population": [200.0]}, index=["A1"])
    measures = uap.measures_table(aggregates, "A1", measures_list)
    assert measures["Shown as"].iloc[-1] == "50%"
    lsoas = uap.lsoas_table(WEIGHTS, "A1", AREAS.assign(IMD_decile=[1] * 6), "IMD_decile")
    content = uap.area_report(
        name="<b>Plan</b> area",
        dataset=_uploaded_areas(),
        vintage=vintage,
        measures=measures,
        lsoas=lsoas,
        your_data=pd.DataFrame(),
    )
    (tmp_path / "a.pdf").write_bytes(report.build_report_pdf(content))
    text = subprocess.run(
        [shutil.which("pdftotext"), str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "<b>Plan</b> area: area profile" in text  # a PDF shows the name as plain text
    assert "Boundaries: Plans: Parish, uploaded; not checked by Placemap" in text
    assert "population-weighted" in text.lower() and "The LSOAs it overlaps" in text
