"""Change between two columns of an uploaded table (placemap.analysis.upload_change), on small tables built in code."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import upload_change
from placemap.analysis.change_classes import DIVERGING_PALETTE
from placemap.analysis.classify import NO_DATA_COLOUR
from placemap.data.indicators import Polarity
from placemap.render import change_charts
from placemap.render.export import to_safe_csv
from placemap.uploads.table import ColumnSpec, UploadedTable
from tests.conftest import HOSTILE_NAME


def _areas() -> pd.DataFrame:
    codes = ["E01000001", "E01000002", "E01000003", "E01000004"]
    return pd.DataFrame(
        {
            "area_code": codes,
            "area_name": [HOSTILE_NAME, "Town 002A", "Town 003A", "Town 004A"],
            "ward_code": ["E05000001", "E05000001", "E05000002", "E05000002"],
            "ward_name": ["North", "North", "South", "South"],
            "la_code": ["E06000001"] * 4,
            "la_name": ["Testtown"] * 4,
        },
        index=pd.Index(codes, name="area_code"),
    )


def _table(polarity: str = Polarity.LOW_IS_WORSE, geography: str = "lsoa21", columns=("2022", "2024")) -> UploadedTable:
    index = ["E01000001", "E01000002", "E01000003"] if geography.startswith("lsoa") else ["E05000001", "E05000002"]
    data = {"2022": [90.0, 95.0, 92.0], "2024": [93.0, 90.0, 92.1], "2023": [91.0, 94.0, 92.0]}
    values = pd.DataFrame({c: data[c][: len(index)] for c in columns}, index=pd.Index(index, name="area_code"))
    specs = [ColumnSpec(c, f"=Attendance {c}", "%", "local", polarity) for c in columns]
    return UploadedTable("t1", "Attendance <b>", "Council =cmd", geography, values, specs)


def _result(table: UploadedTable, year: int = 2025):
    before, after = table.indicators()[0], table.indicators()[-1]
    return upload_change.change_frame(table, before, after, year, _areas())


def test_change_is_after_minus_before_and_better_follows_polarity():
    up = _result(_table(Polarity.LOW_IS_WORSE))
    assert up.ok
    assert up.frame[upload_change.CHANGE].round(6).tolist()[:3] == [3.0, -5.0, 0.1]
    assert up.frame[upload_change.BETTER].round(6).tolist()[:3] == [3.0, -5.0, 0.1]  # higher attendance is better
    worse_when_high = _result(_table(Polarity.HIGH_IS_WORSE))
    assert worse_when_high.frame[upload_change.BETTER].round(6).tolist()[:3] == [-3.0, 5.0, -0.1]
    assert np.isnan(up.frame.loc["E01000004", upload_change.CHANGE])  # no row in the upload: no data


def test_an_lsoa_2021_table_is_refused_on_an_edition_of_2011_lsoas_with_a_note():
    up = _result(_table(), year=2019)
    assert not up.ok and "IoD2025" in up.note


def test_a_ward_table_is_shown_on_its_lsoas_and_tabled_once_per_ward():
    up = _result(_table(geography="ward"))
    assert up.frame[upload_change.CHANGE].tolist() == [3.0, 3.0, -5.0, -5.0]
    assert "each LSOA shows its ward's value" in up.note
    edges = upload_change.change_edges(up.frame[upload_change.CHANGE].to_numpy())
    table = upload_change.change_table(up, _areas(), edges)
    assert table["Ward code"].tolist() == ["E05000002", "E05000001"]  # worse first
    assert upload_change.change_summary(up, _areas(), edges)["n_rows"] == 2


def test_class_breaks_are_round_symmetric_and_a_user_threshold_is_kept():
    edges = upload_change.change_edges(np.array([0.3, -1.0, 4.0, 6.0, -5.0, np.nan]))
    assert (edges.little, edges.step) == (0.5, 2.0)
    assert upload_change.change_edges(np.array([0.3, 6.0]), little=3.0) == upload_change.ChangeEdges(3.0, 10.0)
    assert upload_change.change_edges(np.array([np.nan])) == upload_change.ChangeEdges(0.2, 1.0)
    classes = upload_change.change_classes(np.array([-9, -3, -1, 0, 0.49, 1, 3, 9, np.nan]), edges)
    assert classes.tolist() == [0, 1, 2, 3, 3, 4, 5, 6, -1]
    # Symmetric about zero: -x falls in class 6 - class(x).
    x = np.array([0.5, 2.0, 4.0, 1.7])
    assert (upload_change.change_classes(-x, edges) == 6 - upload_change.change_classes(x, edges)).all()


def test_the_classification_is_diverging_with_a_grey_centre_and_white_no_data():
    edges = upload_change.ChangeEdges(0.5, 2.0)
    c = upload_change.classify_upload_change(np.array([-5.0, 0.0, 5.0, np.nan]), edges, "%")
    assert c.palette == DIVERGING_PALETTE and c.palette[3] == "#bdbdbd"
    assert c.colours == [DIVERGING_PALETTE[0], "#bdbdbd", DIVERGING_PALETTE[6], NO_DATA_COLOUR]
    assert c.labels[0] == "Worse by 4 % or more" and c.labels[3] == "Little or no change (less than 0.5 % either way)"
    assert c.n_missing == 1 and sum(c.counts) == 3


def test_the_table_puts_worse_first_and_names_the_direction():
    up = _result(_table())
    edges = upload_change.ChangeEdges(0.5, 2.0)
    table = upload_change.change_table(up, _areas(), edges)
    assert table["LSOA code"].tolist() == ["E01000002", "E01000003", "E01000001", "E01000004"]
    assert table["Direction"].tolist() == ["Worse", "Little or no change", "Better", "No data"]
    assert list(table.columns[4:7]) == ["Before: =Attendance 2022", "After: =Attendance 2024", "Change (%)"]


def test_the_csv_export_neutralises_formulas_in_uploaded_labels_and_names():
    import csv
    import io

    areas = _areas()
    areas.loc["E01000002", "area_name"] = '=HYPERLINK("http://e.vil","x")'
    up = upload_change.change_frame(_table(), *_table().indicators(), 2025, areas)
    table = upload_change.change_table(up, areas, upload_change.ChangeEdges(0.5, 2.0))
    text = to_safe_csv(table, ["Source (as stated by the uploader): =cmd"]).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://e.vil","x")' in cells
    assert not [c for c in cells if c and (c[0] in "=@+" or (c[0] == "-" and not c[1:2].isdigit()))]


def test_map_payload_and_legend_escape_uploaded_text():
    up = _result(_table())
    edges = upload_change.ChangeEdges(0.5, 2.0)
    c = upload_change.classify_upload_change(up.frame[upload_change.BETTER].to_numpy(), edges, "%")
    payload = upload_change.map_payload(up, c, edges, 33755)
    assert payload["value"][0] == "+3 % (better): 90 → 93"
    assert payload["value"][3] == "No data in one of the two columns"
    legend = upload_change.legend_html("Change in <b>x</b>", HOSTILE_NAME, c)
    assert "<script>" not in legend and "&lt;script&gt;" in legend and "&lt;b&gt;x" in legend
    assert "No data (no value in one of the two columns)" in legend


def test_the_slope_frame_has_the_place_mean_and_the_chosen_lsoa():
    up = _result(_table())
    slope = upload_change.slope_frame(up, _areas(), "Testtown", "E01000001")
    mean = slope[slope["Line"].str.startswith("Testtown")]
    assert mean["Value"].round(4).tolist() == [round((90 + 95 + 92) / 3, 4), round((93 + 90 + 92.1) / 3, 4)]
    assert f"{HOSTILE_NAME} (E01000001)" in set(slope["Line"])
    spec = change_charts.upload_slope_chart(slope, "Title", "Attendance (%)", "Council").to_dict()
    assert spec["title"]["subtitle"][1] == "Source (as stated): Council"


def test_pair_problems_refuse_the_same_column_and_warn_about_units():
    table = _table(columns=("2022", "2023", "2024"))
    a, _b, c = table.indicators()
    assert upload_change.pair_problems(a, a)[0]
    assert upload_change.pair_problems(a, c) == (None, [])
    assert upload_change.tables_with_pairs([table, _table(columns=("2022",))]) == [table]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [({2025: {"E05000001"}, 2019: set()}, 2025), ({2025: set(), 2019: {"E05000001", "E05000002"}}, 2019)],
)
def test_a_ward_table_is_shown_on_the_edition_whose_wards_it_uses(codes, expected):
    assert upload_change.edition_year(_table(geography="ward"), codes) == expected
    assert upload_change.edition_year(_table(geography="lsoa11"), codes) == 2019
