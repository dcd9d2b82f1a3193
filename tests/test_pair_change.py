"""Change between two indicators of one concept (placemap.analysis.pair_change), official and uploaded alike.

Each behaviour is checked on an IoD measure's two editions (IoD2019 carried to the 2021 LSOAs) and
on two columns of an uploaded table, on four LSOAs built in code.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import change_classes, pair_change
from placemap.analysis import measure_change_iod as mci
from placemap.analysis.change_classes import DIVERGING_PALETTE, ChangeEdges
from placemap.analysis.classify import NO_DATA_COLOUR
from placemap.data.indicators import Polarity
from placemap.render import change_charts
from placemap.render.export import to_safe_csv
from placemap.uploads.table import ColumnSpec, UploadedTable
from tests.conftest import HOSTILE_NAME

CODES = ["E01000001", "E01000002", "E01000003", "E01000004"]
BEFORE_VALUES, AFTER_VALUES = [90.0, 95.0, 92.0], [93.0, 90.0, 92.1]
MEASURE = "years_of_life_lost_early"  # higher is worse
SOURCES = ["official", "uploaded"]


def _areas() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "area_code": CODES,
            "area_name": [HOSTILE_NAME, "Town 002A", "Town 003A", "Town 004A"],
            "ward_code": ["E05000001", "E05000001", "E05000002", "E05000002"],
            "ward_name": ["North", "North", "South", "South"],
            "la_code": ["E06000001"] * 4,
            "la_name": ["Testtown"] * 4,
        },
        index=pd.Index(CODES, name="area_code"),
    )


def _table(polarity: str = Polarity.LOW_IS_WORSE, geography: str = "lsoa21", columns=("2022", "2024")) -> UploadedTable:
    index = CODES[:3] if geography.startswith("lsoa") else ["E05000001", "E05000002"]
    data = {"2022": BEFORE_VALUES, "2024": AFTER_VALUES, "2023": [91.0, 94.0, 92.0]}
    values = pd.DataFrame({c: data[c][: len(index)] for c in columns}, index=pd.Index(index, name="area_code"))
    specs = [ColumnSpec(c, f"=Attendance {c}", "%", "local", polarity) for c in columns]
    return UploadedTable("t1", "Attendance <b>", "Council =cmd", geography, values, specs)


def _uploaded(table: UploadedTable, year: int = 2025, areas: pd.DataFrame | None = None):
    before, after = table.indicators()[0], table.indicators()[-1]
    return pair_change.change_frame(
        before,
        after,
        year,
        _areas() if areas is None else areas,
        (
            table.series(before),
            table.series(after),
        ),
    )


def _official(lookup_codes: list[str] | None = None) -> pair_change.PairChange:
    """The measure's IoD2019 values (by 2011 LSOA, unchanged codes) carried to the 2021 LSOAs."""
    lookup = pd.DataFrame(
        {"lsoa11_code": CODES, "lsoa21_code": CODES, "change_code": lookup_codes or ["U", "U", "U", "U"]}
    )
    before = pd.Series(BEFORE_VALUES, index=CODES[:3])
    after = pd.Series([*AFTER_VALUES, np.nan], index=CODES)
    return mci.measure_change(MEASURE, before, after, lookup)


def _pair(source: str, polarity: str = Polarity.LOW_IS_WORSE) -> pair_change.PairChange:
    return _official() if source == "official" else _uploaded(_table(polarity))


@pytest.mark.parametrize("source", SOURCES)
def test_change_is_after_minus_before_and_better_follows_the_after_indicators_polarity(source):
    result = _pair(source)
    assert result.frame[pair_change.CHANGE].round(6).tolist()[:3] == [3.0, -5.0, 0.1]
    sign = -1 if result.after.polarity == Polarity.HIGH_IS_WORSE else 1
    assert result.frame[pair_change.BETTER].round(6).tolist()[:3] == [sign * 3.0, sign * -5.0, sign * 0.1]
    assert np.isnan(result.frame.loc["E01000004", pair_change.CHANGE])  # no value in one of the two: no data
    assert (source == "official") == (result.after.polarity == Polarity.HIGH_IS_WORSE)  # years of life lost
    if source == "uploaded":
        worse_when_high = _pair(source, Polarity.HIGH_IS_WORSE)
        assert worse_when_high.frame[pair_change.BETTER].round(6).tolist()[:3] == [-3.0, 5.0, -0.1]


def test_an_lsoa_2021_table_is_refused_on_an_edition_of_2011_lsoas_with_a_note():
    result = _uploaded(_table(), year=2019)
    assert result.frame is None and "IoD2025" in result.note


def test_merged_and_redrawn_lsoas_are_left_out_of_the_measure_change_and_say_how():
    result = _official(["U", "S", "M", "X"])
    assert result.frame[pair_change.CHANGE].notna().tolist() == [True, True, False, False]
    table = pair_change.change_table(result, _areas(), ChangeEdges(0.5, 2.0))
    how = dict(zip(table["LSOA code"], table["How it was compared"], strict=True))
    assert how["E01000003"] == "left out: merged from several 2011 LSOAs"
    assert result.note == mci.RULE and result.before.period != result.after.period


def test_a_ward_table_is_shown_on_its_lsoas_and_tabled_once_per_ward():
    result = _uploaded(_table(geography="ward"))
    assert result.frame[pair_change.CHANGE].tolist() == [3.0, 3.0, -5.0, -5.0]
    assert "each LSOA shows its ward's value" in result.note
    edges = change_classes.change_edges(result.frame[pair_change.CHANGE].to_numpy())
    table = pair_change.change_table(result, _areas(), edges)
    assert table["Ward code"].tolist() == ["E05000002", "E05000001"]  # worse first
    assert pair_change.change_summary(result, _areas(), edges)["n_rows"] == 2
    assert "**2 of 2** wards have both values" in pair_change.summary_sentence(result, _areas(), edges, "Testtown")


@pytest.mark.parametrize("source", SOURCES)
def test_the_classification_is_diverging_with_a_grey_centre_and_white_no_data(source):
    result = _pair(source)
    c = pair_change.classify_pair_change(result, ChangeEdges(0.5, 2.0))
    assert c.palette == DIVERGING_PALETTE and c.palette[3] == "#bdbdbd"
    expected = [1, 6, 3] if result.after.polarity == Polarity.HIGH_IS_WORSE else [5, 0, 3]  # +3, -5, +0.1
    assert c.colours == [*(DIVERGING_PALETTE[i] for i in expected), NO_DATA_COLOUR]
    unit = result.after.unit
    assert c.labels[0] == f"Worse by 4 {unit} or more"
    assert c.labels[3] == f"Little or no change (less than 0.5 {unit} either way)"
    assert c.n_missing == 1 and sum(c.counts) == 3


@pytest.mark.parametrize("source", SOURCES)
def test_the_table_puts_worse_first_names_the_direction_and_the_summary_counts_it(source):
    result = _pair(source)
    edges = ChangeEdges(0.5, 2.0)
    table = pair_change.change_table(result, _areas(), edges)
    worse, better = (
        ("E01000001", "E01000002")
        if result.after.polarity == Polarity.HIGH_IS_WORSE
        else (
            "E01000002",
            "E01000001",
        )
    )
    assert table["LSOA code"].tolist() == [worse, "E01000003", better, "E01000004"]
    assert table["Direction"].tolist() == ["Worse", "Little or no change", "Better", "No data"]
    before, after, change = pair_change.column_titles(result)
    assert list(table.columns[4:7]) == [before, after, change]
    assert before == f"Before: {result.before.label}" and change == f"Change ({result.after.unit})"
    s = pair_change.change_summary(result, _areas(), edges)
    assert (s["n_rows"], s["n_comparable"], s["n_better"], s["n_worse"], s["n_little"]) == (4, 3, 1, 1, 1)


@pytest.mark.parametrize("source", SOURCES)
def test_the_csv_export_neutralises_formulas_in_labels_names_and_sources(source):
    areas = _areas()
    areas.loc["E01000002", "area_name"] = '=HYPERLINK("http://e.vil","x")'
    result = _official() if source == "official" else _uploaded(_table(), areas=areas)
    table = pair_change.change_table(result, areas, ChangeEdges(0.5, 2.0))
    header = pair_change.csv_header(result, "Testtown")
    assert ("Source (as stated by the uploader): Council =cmd" in header) == (source == "uploaded")
    text = to_safe_csv(table, header).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://e.vil","x")' in cells
    assert not [c for c in cells if c and (c[0] in "=@+" or (c[0] == "-" and not c[1:2].isdigit()))]


@pytest.mark.parametrize("source", SOURCES)
def test_map_payload_and_legend_escape_the_text(source):
    result = _pair(source)
    edges = ChangeEdges(0.5, 2.0)
    c = pair_change.classify_pair_change(result, edges)
    payload = pair_change.map_payload(result, c, edges, 33755)
    word = "worse" if result.after.polarity == Polarity.HIGH_IS_WORSE else "better"
    assert payload["value"][0] == f"+3 {result.after.unit} ({word}): 90 → 93".replace("<", "&lt;")
    assert payload["value"][3] == "No data in one of the two"
    assert payload["version"].startswith(f"pair-{result.before.id}-{result.after.id}")
    legend = change_classes.change_legend_html(
        "Change in <b>x</b>", HOSTILE_NAME, c, pair_change.NO_DATA_LABEL, pair_change.ENDS
    )
    assert "<script>" not in legend and "&lt;script&gt;" in legend and "&lt;b&gt;x" in legend
    assert "No data (no value in one of the two)" in legend and "Worse (red)" in legend


@pytest.mark.parametrize("source", SOURCES)
def test_the_slope_frame_has_the_place_mean_and_the_chosen_lsoa_and_charts_with_its_source(source):
    result = _pair(source)
    slope = pair_change.slope_frame(result, _areas(), "Testtown", "E01000001")
    mean = slope[slope["Group"].str.startswith("Testtown")]
    assert mean["Mean"].round(4).tolist() == [round(sum(BEFORE_VALUES) / 3, 4), round(sum(AFTER_VALUES) / 3, 4)]
    assert f"{HOSTILE_NAME} (E01000001)" in set(slope["Group"])
    assert slope["Edition"].tolist()[:2] == [result.before.label, result.after.label]
    source_line = pair_change.csv_header(result, "Testtown")[2]
    spec = change_charts.before_after_chart(slope, "Title", "Value", source=source_line, x_title="").to_dict()
    assert spec["title"]["subtitle"][1] == source_line
    assert spec["layer"][0]["encoding"]["x"]["sort"] == [result.before.label, result.after.label]


def test_pair_problems_refuse_the_same_indicator_and_warn_about_units_and_directions():
    table = _table(columns=("2022", "2023", "2024"))
    a, _b, c = table.indicators()
    assert pair_change.pair_problems(a, a)[0]
    assert pair_change.pair_problems(a, c) == (None, [])
    official = _official()
    assert pair_change.pair_problems(official.before, official.after) == (None, [])
    _error, cautions = pair_change.pair_problems(a, official.after)
    assert "different units (% and " in cautions[0] and "opposite directions" in cautions[1]
    assert pair_change.tables_with_pairs([table, _table(columns=("2022",))]) == [table]


@pytest.mark.parametrize(
    ("codes", "expected"),
    [({2025: {"E05000001"}, 2019: set()}, 2025), ({2025: set(), 2019: {"E05000001", "E05000002"}}, 2019)],
)
def test_a_ward_table_is_shown_on_the_edition_whose_wards_it_uses(codes, expected):
    assert pair_change.edition_year(_table(geography="ward"), codes) == expected
    assert pair_change.edition_year(_table(geography="lsoa11"), codes) == 2019
