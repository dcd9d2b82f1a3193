"""Change between editions: the 2011→2021 rule on a fixture with known answers, then the real lookup."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import change, change_classes, la_change, lsoa_change
from placemap.data import loaders
from placemap.data.catalogue import get_vintage
from placemap.links import change_links
from placemap.render import change_charts

# 2011 LSOAs A..G and what became of them by 2021 (codes shaped like the real ones).
A, B, C, D, E, F, G = (f"E0100000{i}" for i in range(1, 8))
B1, B2, CD, X1, X2 = "E0103001", "E0103002", "E0103003", "E0103004", "E0103005"


def _lookup() -> pd.DataFrame:
    rows = [
        (A, A, "U"),
        (B, B1, "S"),
        (B, B2, "S"),
        (C, CD, "M"),
        (D, CD, "M"),
        (E, X1, "X"),
        (F, X1, "X"),
        (F, X2, "X"),
        (G, G, "U"),
    ]
    return pd.DataFrame(rows, columns=[lsoa_change.LSOA11, lsoa_change.LSOA21, lsoa_change.CHANGE_CODE])


def _values11() -> pd.DataFrame:
    position = {A: 0.05, B: 0.55, C: 0.10, D: 0.40, E: 0.70, F: 0.90, G: 0.95}
    frame = pd.DataFrame({lsoa_change.POSITION: position})
    frame[lsoa_change.DECILE] = lsoa_change.decile_from_position(frame[lsoa_change.POSITION])
    return frame


POPULATION = pd.Series({A: 1500, B: 1600, C: 1000, D: 3000, E: 1200, F: 1400, G: 1300}, dtype=float)


def test_unchanged_areas_compare_directly_and_split_areas_inherit_their_parent():
    out = lsoa_change.carry_forward(_values11(), _lookup(), POPULATION)
    assert out.at[A, lsoa_change.POSITION] == pytest.approx(0.05)
    assert out.at[A, lsoa_change.CHANGE_CODE] == "U"
    assert out.loc[[B1, B2], lsoa_change.POSITION].tolist() == pytest.approx([0.55, 0.55])
    assert out.loc[[B1, B2], lsoa_change.DECILE].tolist() == [6.0, 6.0]
    assert set(out.loc[[B1, B2], lsoa_change.CHANGE_CODE]) == {"S"}


def test_merged_areas_take_the_population_weighted_average_of_their_parents():
    out = lsoa_change.carry_forward(_values11(), _lookup(), POPULATION)
    expected = (0.10 * 1000 + 0.40 * 3000) / 4000  # 0.325
    assert out.at[CD, lsoa_change.POSITION] == pytest.approx(expected)
    assert out.at[CD, lsoa_change.DECILE] == 4.0  # ceil(3.25)
    assert out.at[CD, lsoa_change.CHANGE_CODE] == "M"


def test_merged_areas_are_not_comparable_under_the_strict_rule():
    out = lsoa_change.carry_forward(_values11(), _lookup(), POPULATION, lsoa_change.NOT_COMPARABLE)
    assert math.isnan(out.at[CD, lsoa_change.POSITION]) and math.isnan(out.at[CD, lsoa_change.DECILE])
    assert out.at[A, lsoa_change.POSITION] == pytest.approx(0.05)


def test_complex_areas_are_excluded_and_counted():
    out = lsoa_change.carry_forward(_values11(), _lookup(), POPULATION)
    assert out.loc[[X1, X2], lsoa_change.POSITION].isna().all()
    values21 = pd.DataFrame(
        {lsoa_change.POSITION: 0.5, lsoa_change.DECILE: 5.0},
        index=pd.Index([A, B1, B2, CD, X1, X2, G], name="area_code"),
    )
    table, rule = change.compare_editions(_values11(), values21, 2019, 2025, _lookup(), POPULATION)
    assert rule.counts == {"U": 2, "S": 2, "M": 1, "X": 2}
    assert rule.n_areas == 7 and rule.n_comparable == 5
    assert not table.loc[[X1, X2], "comparable"].any()
    assert "2 LSOAs with complex changes are excluded" in " ".join(rule.sentences())


def test_change_is_after_minus_before_in_percentage_points_and_deciles():
    values21 = pd.DataFrame(
        {lsoa_change.POSITION: [0.15, 0.50, 0.60, 0.325, 0.5, 0.5, 0.95]},
        index=pd.Index([A, B1, B2, CD, X1, X2, G], name="area_code"),
    )
    values21[lsoa_change.DECILE] = lsoa_change.decile_from_position(values21[lsoa_change.POSITION])
    table, _ = change.compare_editions(_values11(), values21, 2019, 2025, _lookup(), POPULATION)
    assert table.at[A, "position_change"] == pytest.approx(10.0)  # 5% -> 15%: away from the most deprived end
    assert table.at[A, "decile_change"] == 1.0
    assert table.at[B1, "position_change"] == pytest.approx(-5.0)
    assert table.at[CD, "position_change"] == pytest.approx(0.0)
    assert table.at[G, "decile_change"] == 0.0


def test_editions_on_the_same_lsoas_compare_directly():
    before = _values11()
    after = before.assign(position=before[lsoa_change.POSITION] + 0.01)
    after[lsoa_change.DECILE] = lsoa_change.decile_from_position(after[lsoa_change.POSITION])
    table, rule = change.compare_editions(before, after, 2015, 2019, _lookup(), POPULATION)
    assert rule.geography == "lsoa11" and not rule.crosses_2021
    assert rule.counts["U"] == 7 and rule.n_comparable == 7
    assert table["position_change"].tolist() == pytest.approx([1.0] * 7)


def test_carry_back_keeps_only_unchanged_areas():
    values21 = pd.DataFrame({lsoa_change.POSITION: [0.2] * 7}, index=[A, B1, B2, CD, X1, X2, G])
    out = lsoa_change.carry_back(values21, _lookup())
    assert out[lsoa_change.POSITION].notna().tolist() == [True, False, False, False, False, False, True]
    assert out.at[B, lsoa_change.CHANGE_CODE] == "S"


def test_earlier_edition_must_come_first():
    with pytest.raises(ValueError, match="must be earlier"):
        change.compare_editions(_values11(), _values11(), 2019, 2015, _lookup(), POPULATION)


def test_decile_from_position_reproduces_published_deciles():
    n = 32_844
    ranks = np.arange(1, n + 1)
    official = np.ceil(ranks * 10 / n)
    assert (lsoa_change.decile_from_position(ranks / n) == official).all()


def test_moved_into_and_out_of_the_most_deprived_tenth():
    table = pd.DataFrame(
        {
            "decile_before": [1, 2, 1, 3, np.nan],
            "decile_after": [2, 1, 1, 3, 1],
            "comparable": [True, True, True, True, False],
        },
        index=["a", "b", "c", "d", "e"],
    )
    into, out_of = change.moved(table, 1)
    assert list(into) == ["b"] and list(out_of) == ["a"]
    into20, out20 = change.moved(table, 2)
    assert list(into20) == [] and list(out20) == []


def test_reading_a_lookup_with_an_unknown_change_code_fails_clearly(tmp_path: Path):
    path = tmp_path / "lookup.csv"
    _lookup().assign(change_code=["U", "S", "S", "M", "M", "X", "X", "X", "Q"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="unknown change code"):
        lsoa_change.read_lsoa_lookup(path)
    _lookup().drop(columns=[lsoa_change.CHANGE_CODE]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="missing column"):
        lsoa_change.read_lsoa_lookup(path)


def test_translate_codes_turns_2011_codes_into_2021_codes_and_notes_unknown_ones():
    codes, notes = lsoa_change.translate_codes([A, B, "E01999999", "<b>"], "lsoa21", _lookup())
    assert codes == [A, B1, B2]
    assert "turned into LSOA (2021) codes" in notes[0]
    assert "2 code(s) are not English LSOAs" in notes[1]
    back, _ = lsoa_change.translate_codes([CD], "lsoa11", _lookup())
    assert back == [C, D]


# --------------------------------------------------------------------------- classes and legend


def test_change_classes_are_symmetric_around_no_change():
    values = np.array([-30, -15, -5, -1, 0, 1, 5, 15, 30, np.nan])
    position = change_classes.EDGES[lsoa_change.POSITION]
    classes = change_classes.change_classes(values, position)
    assert classes.tolist() == [0, 1, 2, 3, 3, 3, 4, 5, 6, -1]
    assert (change_classes.change_classes(-values[:-1], position) == 6 - classes[:-1]).all()
    decile = change_classes.EDGES[lsoa_change.DECILE]
    deciles = change_classes.change_classes(np.array([-5, -2, -1, 0, 1, 2, 5]), decile)
    assert deciles.tolist() == [0, 1, 2, 3, 4, 5, 6]


def test_class_breaks_from_the_data_are_round_symmetric_and_a_user_threshold_is_kept():
    edges = change_classes.change_edges(np.array([0.3, -1.0, 4.0, 6.0, -5.0, np.nan]))
    assert (edges.little, edges.step) == (0.5, 2.0)
    assert change_classes.change_edges(np.array([0.3, 6.0]), little=3.0) == change_classes.ChangeEdges(3.0, 10.0)
    assert change_classes.change_edges(np.array([np.nan])) == change_classes.ChangeEdges(0.2, 1.0)
    classes = change_classes.change_classes(np.array([-9, -3, -1, 0, 0.49, 1, 3, 9, np.nan]), edges)
    assert classes.tolist() == [0, 1, 2, 3, 3, 4, 5, 6, -1]
    x = np.array([0.5, 2.0, 4.0, 1.7])
    assert (change_classes.change_classes(-x, edges) == 6 - change_classes.change_classes(x, edges)).all()


def test_diverging_palette_has_a_neutral_centre_distinct_from_no_data():
    c = change_classes.classify_change(np.array([-12.0, 0.0, 25.0, np.nan]), lsoa_change.POSITION)
    assert c.palette[3] == "#bdbdbd" and c.palette[3] != c.colours[-1]
    assert c.colours[-1] == "#ffffff" and c.n_missing == 1
    assert c.counts == [0, 1, 0, 1, 0, 0, 1]
    assert "Little or no change" in c.labels[3]


def test_change_legend_escapes_titles():
    c = change_classes.classify_change(np.array([1.0]), lsoa_change.DECILE)
    html = change_classes.change_legend_html("<script>x</script>", "sub", c)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "Not comparable" in html


def test_format_change_says_which_way():
    assert change_classes.format_change(12.34, lsoa_change.POSITION) == "+12.3 points (away from the most deprived end)"
    assert change_classes.format_change(-1.0, lsoa_change.POSITION) == "-1.0 points (little change)"
    assert change_classes.format_change(-2.0, lsoa_change.DECILE) == "-2 deciles (more deprived)"
    assert change_classes.format_change(float("nan"), lsoa_change.DECILE) == "Not comparable"


# --------------------------------------------------------------------------- trends and charts


def test_trend_long_averages_positions_per_domain_and_edition():
    positions = {
        2019: pd.DataFrame({"imd": [0.1, 0.3], "income": [0.2, np.nan]}, index=["a", "b"]),
        2025: pd.DataFrame({"imd": [0.2, 0.4]}, index=["a", "b"]),
    }
    trend = change.trend_long(positions, ["a", "b"])
    imd = trend[trend["domain"] == "imd"].set_index("year")
    assert imd.loc[2019, "position"] == pytest.approx(20.0) and imd.loc[2025, "position"] == pytest.approx(30.0)
    income = trend[trend["domain"] == "income"]
    assert income["n_areas"].tolist() == [1]


def test_slope_chart_plots_rank_position_from_0_to_100_per_domain():
    trend = pd.DataFrame(
        {
            "domain": ["imd", "imd"],
            "domain_label": ["IMD", "IMD"],
            "edition": ["IoD2019", "IoD2025"],
            "year": [2019, 2025],
            "position": [10.0, 14.0],
            "decile": [1, 2],
            "n_areas": [1, 1],
        }
    )
    spec = change_charts.slope_chart(trend, "Somewhere").to_dict()
    layer = spec["layer"][0]
    assert layer["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert layer["encoding"]["x"]["sort"] == ["IoD2019", "IoD2025"]
    assert spec["title"]["text"] == "Somewhere"


def test_la_summary_table_marks_missing_la_codes():
    summaries = {
        2019: pd.DataFrame(
            {"IMD - Average rank": [100.0], "IMD - Rank of average rank": [5]}, index=pd.Index(["E06000009"])
        ),
        2015: pd.DataFrame({"Score": [40.0], "Proportion": [0.4], "Extent": [0.5]}, index=pd.Index(["E06000001"])),
    }
    t = la_change.la_summary_table("E06000009", summaries).set_index("Measure")
    assert t.at["Average rank", "IoD2019"] == "100 (rank 5 of 1)"
    assert t.at["Average rank", "IoD2015"] == "not published for this LA code"


# --------------------------------------------------------------------------- links


def test_change_link_values_are_validated_with_notes():
    options = {2025: {"E06000009": "Blackpool"}, 2019: {"E06000009": "Blackpool"}}
    view, notes = change_links.parse_change_view(
        {"from": "2015", "to": "2025", "dom": "crime", "cm": "x", "la": "Nowhere", "area": "bad"}, options
    )
    assert (view.before, view.after, view.domain, view.measure, view.la, view.area) == (
        2015,
        2025,
        "imd",
        "position",
        "E06000009",
        None,
    )
    assert len(notes) == 4 and "not a domain with ranks in both IoD2015 and IoD2025" in notes[0]
    good, none = change_links.parse_change_view(
        {"from": "2019", "to": "2025", "la": "blackpool", "cm": "decile"}, options
    )
    assert good.la == "E06000009" and good.measure == "decile" and none == []


# --------------------------------------------------------------------------- the real lookup


@pytest.fixture(scope="module")
def real_lookup() -> pd.DataFrame:
    return lsoa_change.read_lsoa_lookup(loaders.data_path(lsoa_change.LOOKUP_FILE))


@pytest.mark.realdata
def test_national_counts_of_each_case_match_the_lookup(real_lookup):
    counts = lsoa_change.lookup_counts(real_lookup)
    assert {k: v["lsoa21"] for k, v in counts.items()} == {"U": 31_810, "S": 1_842, "M": 97, "X": 6}
    assert {k: v["lsoa11"] for k, v in counts.items()} == {"U": 31_810, "S": 834, "M": 194, "X": 6}
    a19 = loaders.read_areas(get_vintage(2019))
    a25 = loaders.read_areas(get_vintage(2025))
    table, rule = change.compare_editions(
        change.edition_values(a19, 2019, "imd"),
        change.edition_values(a25, 2025, "imd"),
        2019,
        2025,
        real_lookup,
        a19[lsoa_change.POPULATION_COLUMN],
    )
    assert rule.counts == {k: v["lsoa21"] for k, v in counts.items()}
    assert rule.n_areas == 33_755 and rule.n_comparable == 33_755 - 6
    # Unchanged areas carry the published 2019 decile unchanged.
    same = table[table[lsoa_change.CHANGE_CODE] == "U"]
    assert (same["decile_before"] == a19.loc[same.index, "IMD_decile"]).all()


@pytest.mark.realdata
def test_every_lsoa_has_one_of_the_nine_regions(real_lookup):
    lad = lsoa_change.read_lad_regions(loaders.data_path(lsoa_change.REGION_FILE))
    iod15 = loaders.read_areas(get_vintage(2015))
    r11 = lsoa_change.lsoa11_regions(iod15["lad13_code"], lad)
    r21 = lsoa_change.lsoa21_regions(r11, real_lookup)
    assert r11[lsoa_change.REGION_CODE].notna().all() and len(r21) == 33_755
    assert r21[lsoa_change.REGION_CODE].nunique() == 9
    london = iod15.index[iod15["la_code"].str.startswith("E09")]
    assert set(r11.loc[london, lsoa_change.REGION_NAME]) == {"London"}
    blackpool = iod15.index[iod15["la_code"] == "E06000009"]
    assert set(r11.loc[blackpool, lsoa_change.REGION_NAME]) == {"North West"}
