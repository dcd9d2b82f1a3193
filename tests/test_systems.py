"""Systems view: scatter data, chart selections, correlations, the bivariate map and its legend."""

from __future__ import annotations

import ast
import itertools
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import hotspots, priority, systems
from placemap.data import lookups, prepare
from placemap.data.catalogue import CATALOGUE, get_indicator, get_vintage
from placemap.links import systems_links
from placemap.render import charts, charts_systems, colour, export, legends, maps
from placemap.render.colour import (
    BIVARIATE_PALETTE,
    MIN_CVD_DIFFERENCE,
    OKABE_ITO,
    contrast_ratio,
    min_pairwise_difference,
    readable_text_colour,
    simulate_cvd,
)
from placemap.uploads.table import ColumnSpec, UploadedTable

from .conftest import HOSTILE_NAME, make_boundaries, make_iod_table

HOSTILE = "<b>x</b>"
INCOME, EDUCATION = get_indicator("income_rank"), get_indicator("education_rank")
UPLOAD, LA_UPLOAD = "upload_ab12cd34_0", "upload_la000001_0"


def _areas(n: int = 9) -> pd.DataFrame:
    """``n`` areas of one LA: income rank i+1, education rank reversed (area 1 least deprived)."""
    b = make_boundaries(n)
    table = make_iod_table(list(b["area_code"]))
    table["Education_rank"] = np.arange(n, 0, -1)
    table["Education_decile"] = np.minimum(table["Education_rank"], 10)
    frame = pd.DataFrame(b.drop(columns="geometry")).set_index("area_code", drop=False)
    return frame.join(table.set_index("area_code"))


def twelve_lsoas(n: int = 12) -> pd.DataFrame:
    """``n`` areas, two LAs (the first half in E06000001); area i has rank i+1 on every domain."""
    b = make_boundaries(n)
    b.loc[b.index[n // 2 :], "la_code"] = "E06000002"
    table = make_iod_table(list(b["area_code"]))
    frame = pd.DataFrame(b.drop(columns="geometry")).set_index("area_code", drop=False)
    return frame.join(table.set_index("area_code"))


def lsoa_upload(national: pd.DataFrame, values, polarity: str = "high_is_deprived") -> UploadedTable:
    index = pd.Index(national.index[: len(values)], name="area_code")
    values = pd.DataFrame({"v": np.asarray(values, dtype=float)}, index=index)
    spec = ColumnSpec("v", HOSTILE, "per 1,000", polarity=polarity)
    return UploadedTable("ab12cd34", "Referrals <i>", "Food bank =cmd", "lsoa21", values, [spec])


def la_upload() -> UploadedTable:
    values = pd.DataFrame({"r": [5.0, 9.0]}, index=pd.Index(["E06000001", "E06000002"], name="area_code"))
    return UploadedTable("la000001", "LA rates", "Council", "la", values, [ColumnSpec("r", "Rate")])


def edition_with(tables, national: pd.DataFrame, year: int = 2025) -> systems.EditionIndicators:
    """Every indicator on ``national`` with ``tables`` uploaded (as a session has them)."""
    names = {ind.id: t.name for t in tables for ind in t.indicators()}
    return systems.edition_indicators(CATALOGUE.with_uploads(tables), year, national, names, key=("test",))


def _axis(kind: str, national: pd.DataFrame, values) -> tuple[systems.EditionIndicators, object]:
    """The indicators of ``national`` with one upload of ``values``, and the x axis: official or uploaded."""
    data = edition_with([lsoa_upload(national, values)], national)
    return data, data.get("health_rank" if kind == "official" else UPLOAD)


def _context(areas: pd.DataFrame) -> pd.DataFrame:
    labels = ["Urban: Nearer to a major town or city"] * (len(areas) - 2) + [
        "Smaller rural: Nearer to a major town"
    ] * 2
    return pd.DataFrame({"population": 1500.0, "ruc_label": labels}, index=areas.index)


# ------------------------------------------------------------------ palettes


def test_the_bivariate_palette_stays_distinct_under_every_simulated_colour_vision_deficiency():
    assert len(BIVARIATE_PALETTE) == 9 and len(set(BIVARIATE_PALETTE)) == 9
    for kind in ("normal", "protan", "deutan", "tritan"):
        assert min_pairwise_difference(BIVARIATE_PALETTE, (kind,)) >= MIN_CVD_DIFFERENCE, kind


@pytest.mark.parametrize(
    "palette", [OKABE_ITO, [c for _, c in hotspots.LISA_CLASSES], [c for _, c in hotspots.GI_CLASSES]]
)
def test_category_palettes_are_colour_blind_safe(palette):
    assert min_pairwise_difference(tuple(palette)) >= MIN_CVD_DIFFERENCE


def test_the_cvd_check_catches_a_red_green_palette():
    assert min_pairwise_difference(("#d62728", "#2ca02c"), ("deutan",)) < MIN_CVD_DIFFERENCE
    assert simulate_cvd("#808080", "protan") == "#808080"  # greys are unchanged


def test_legend_numbers_are_readable_on_every_cell():
    for cell in BIVARIATE_PALETTE:
        assert contrast_ratio(readable_text_colour(cell), cell) >= 3.0  # large bold text (WCAG AA)


# ------------------------------------------------------------------ scatter


def test_scatter_frame_carries_values_and_the_colour_category():
    areas = _areas()
    frame = systems.scatter_frame(areas, _context(areas), 2025, INCOME, EDUCATION, systems.COLOUR_RUC)
    assert frame["x"].tolist() == list(range(1, 10)) and frame["y"].tolist() == list(range(9, 0, -1))
    assert frame["colour"].value_counts().to_dict() == {
        "Urban: Nearer to a major town or city": 7,
        "Smaller rural: Nearer to a major town": 2,
    }
    deciles = systems.scatter_frame(areas, _context(areas), 2025, INCOME, EDUCATION, "imd_decile")
    domain, colours = systems.colour_scale(deciles, "imd_decile")
    assert domain[0] == "Decile 1" and len(domain) == len(colours) == 9


def test_colour_by_la_is_offered_only_for_several_las():
    assert systems.COLOUR_LA not in systems.colour_options(2025, 1)
    assert systems.COLOUR_LA in systems.colour_options(2025, 3)
    assert "idaci_decile" in systems.colour_options(2019) and "idaci_decile" not in systems.colour_options(2025)


@pytest.mark.parametrize(
    "selection, expected",
    [
        (None, []),
        ({"brush": {}, "pick": []}, []),
        ({"pick": [{"code": "b"}, {"code": "zzz"}]}, ["b"]),
        ({"brush": {"x": [2.5, 0.5], "y": [0, 10]}}, ["a", "b"]),
        ({"brush": {"x": [0, 10]}}, ["a", "b", "c"]),
        ({"brush": {"x": [2.5, 3.5], "y": [2, 4]}, "pick": [{"code": "a"}]}, ["a", "c"]),
        ({"brush": {"x": ["x", None]}}, []),
    ],
)
def test_a_chart_selection_becomes_lsoa_codes(selection, expected):
    frame = pd.DataFrame({"code": ["a", "b", "c"], "x": [1.0, 2.0, 3.0], "y": [1.0, 5.0, 3.0]})
    assert systems.codes_in_selection(selection, frame) == expected


def test_scatter_chart_has_the_two_selections_streamlit_reads_and_rings_the_selected_lsoa():
    areas = _areas()
    frame = systems.scatter_frame(
        areas, _context(areas), 2025, INCOME, get_indicator("education_score"), systems.COLOUR_RUC
    )
    domain, colours = systems.colour_scale(frame, systems.COLOUR_RUC)
    chart = charts_systems.scatter_chart(
        frame,
        get_indicator("income_rank"),
        get_indicator("education_score"),
        "RUC",
        domain,
        colours,
        selected_code="E01000003",
    )
    spec = chart.to_dict()
    assert {p["name"] for p in spec["params"]} == {charts_systems.BRUSH, charts_systems.PICK}
    pick = next(p for p in spec["params"] if p["name"] == charts_systems.PICK)
    assert pick["select"]["fields"] == ["code"]
    points, ring = spec["layer"]
    assert points["encoding"]["x"]["scale"]["reverse"] is True  # rank 1 = most deprived runs right
    assert points["encoding"]["y"]["scale"]["reverse"] is False  # a score: higher = more deprived, up
    ring_rows = spec["datasets"][ring["data"]["name"]]
    assert [r["code"] for r in ring_rows] == ["E01000003"] and ring["mark"]["color"] == maps.HIGHLIGHT_COLOUR


# ------------------------------------------------------------------ correlation


def test_correlation_matrix_is_spearman_of_the_domain_ranks():
    areas = _areas()
    matrix = systems.correlation_matrix(areas, 2025)
    assert matrix.loc["Income", "Education, Skills and Training"] == pytest.approx(-1.0)
    assert matrix.loc["Income", "Employment"] == pytest.approx(1.0)
    assert np.allclose(np.diag(matrix), 1.0) and np.allclose(matrix, matrix.T)
    pairs = systems.strongest_pairs(matrix, top=2, exclude=["Index of Multiple Deprivation (IMD)"])
    assert "Index of Multiple Deprivation (IMD)" not in set(pairs["Domain A"]) | set(pairs["Domain B"])
    assert systems.describe_rho(-0.95) == "strong negative"


def test_correlation_heatmap_prints_every_coefficient():
    matrix = systems.correlation_matrix(_areas(), 2025)
    spec = charts_systems.correlation_heatmap(matrix).to_dict()
    assert len(spec["datasets"][spec["data"]["name"]]) == len(matrix) ** 2
    assert spec["layer"][1]["mark"]["type"] == "text"


# ------------------------------------------------------------------ bivariate


def test_thirds_of_the_place_and_of_england():
    areas = _areas()
    place = systems.thirds(areas, areas, get_indicator("income_rank"), 2025, "place")
    assert place.tolist() == [2, 2, 2, 1, 1, 1, 0, 0, 0]  # income rank 1-3 = most deprived third
    national = pd.DataFrame({"Income_rank": np.arange(1, 31)})
    england = systems.thirds(areas, national, get_indicator("income_rank"), 2025, "england")
    assert england.tolist() == [2] * 9  # ranks 1-9 of 30 are all in England's most deprived third


def test_bivariate_classes_index_the_palette_as_three_y_plus_x_and_count_each_cell():
    areas = _areas()
    areas.loc["E01000005", "Income_rank"] = np.nan
    result = systems.bivariate(areas, areas, 2025, INCOME, EDUCATION, "place")
    c = result.classification
    assert c.classes[4] == -1 and c.n_missing == 1
    for cls, x, y in zip(c.classes, result.x_class, result.y_class, strict=True):
        assert cls == -1 or cls == 3 * y + x
    assert sum(map(sum, result.counts)) == 8 and c.palette == list(BIVARIATE_PALETTE)
    assert c.counts == [result.counts[j][i] for j in range(3) for i in range(3)]
    # income and education run opposite ways here: the most deprived on both is empty
    assert result.counts[2][2] == 0 and result.counts[0][2] > 0


def test_bivariate_map_paints_from_the_palette_with_escaped_names():
    areas = _areas(4)
    areas.loc["E01000001", "area_name"] = HOSTILE_NAME
    result = systems.bivariate(areas, areas, 2025, INCOME, EDUCATION, "place")
    payload = maps.style_payload(
        result.classification,
        values=systems.bivariate_values(areas, 2025, INCOME, EDUCATION, result),
        ranks=[""] * 4,
        deciles=[""] * 4,
        label="Income × Education",
        total=33755,
    )
    b = make_boundaries(4, hostile=True)
    html = maps.render_map_html(
        maps.build_base_map(prepare.area_features(b), prepare.bounds_of(b)), [maps.build_style_layer(payload)]
    )
    text = "".join(html.split())
    for cls in set(result.classification.classes) - {-1}:
        assert BIVARIATE_PALETTE[cls] in text
    assert "<script>alert" not in text
    assert payload["value"][0].startswith("Income rank 1 (most deprived third)")


def test_bivariate_legend_is_a_three_by_three_grid_with_counts_and_escaped_labels():
    html = legends.bivariate_legend_html(
        "Income × <b>Health</b>", "Income", HOSTILE_NAME, BIVARIATE_PALETTE, [[1, 2, 3], [4, 5, 6], [7, 8, 9]], 2
    )
    assert html.count('class="pm-bv-cell"') == 9
    cells = [html.index(f"background:{c};") for c in BIVARIATE_PALETTE]
    # top row first: the most deprived third of y, least to most deprived on x
    assert cells[6] < cells[7] < cells[8] < cells[3] < cells[0]
    assert ">9</div>" in html and "No data (2)" in html
    assert "<script>" not in html and "&lt;b&gt;Health&lt;/b&gt;" in html
    assert "most deprived third; " in html  # each cell described in words (aria-label)


def test_category_legend_lists_each_class_with_its_count():
    html = legends.category_legend_html("Hot spots", "p ≤ 0.05", [("#D55E00", "Hot <spot>", 3)], missing="Not tested")
    assert "Hot &lt;spot&gt;" in html and "(3)" in html and "Not tested" in html


@pytest.mark.parametrize("module", [systems, legends, charts_systems, hotspots, priority, lookups, colour])
def test_the_modules_behind_these_pages_do_not_import_streamlit(module):
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.split(".")[0] == "streamlit" for name in imported)


def test_rank_shift_chart_marks_no_change_with_a_diagonal():
    frame = pd.DataFrame(
        {
            "area_name": ["A", "B"],
            "area_code": ["E01000001", "E01000002"],
            "imd_rank": [1, 50],
            "rank": [3, 40],
            "move": [-2, 10],
        }
    )
    spec = charts_systems.rank_shift_chart(frame, 100).to_dict()
    diagonal = spec["datasets"][spec["layer"][0]["data"]["name"]]
    assert diagonal == [{"a": 1, "b": 1}, {"a": 100, "b": 100}]
    assert (
        list(itertools.chain(*[layer["encoding"]["x"]["scale"]["domain"] for layer in spec["layer"]])) == [100, 1] * 2
    )


# ------------------------------------------------------------------ any catalogue indicator, uploads included


def test_uploads_join_their_edition_with_labelled_options_and_are_refused_on_the_other():
    national = twelve_lsoas()
    data = edition_with([lsoa_upload(national, [1.0, 2.0, 3.0]), la_upload()], national)
    options = data.options(official=False)
    assert (
        options[UPLOAD] == "Your data: <b>x</b> (Referrals <i>)" and options[LA_UPLOAD] == "Your data: Rate (LA rates)"
    )
    assert data.options()["income_rank"] == "Income and poverty · Income: rank"  # beside the official ones
    uploaded = data.national[UPLOAD]
    assert uploaded.iloc[:3].tolist() == [1.0, 2.0, 3.0]
    assert uploaded.iloc[3:].isna().all()  # LSOAs the table does not list have no value, not zero
    assert data.national[LA_UPLOAD].tolist() == [5.0] * 6 + [9.0] * 6  # each LSOA takes its LA's value
    assert systems.broadcast(data.get(LA_UPLOAD)) and not systems.broadcast(data.get(UPLOAD))
    assert "each LSOA shows its local authority's value" in data.source_line(LA_UPLOAD)
    assert "correlations with it mostly compare wards" in systems.broadcast_warning(data.get(LA_UPLOAD))
    on_2019 = edition_with([lsoa_upload(national, [1.0, 2.0, 3.0])], national, 2019)
    assert UPLOAD not in on_2019.options() and "choose IoD2025" in on_2019.refused[UPLOAD]
    assert "2011 and 2021" in on_2019.refused[UPLOAD]  # LSOAs were split and merged: never guessed


def test_joined_indicators_get_national_ranks_without_changing_the_shared_table():
    national = twelve_lsoas()
    data = edition_with([lsoa_upload(national, [1.0, 2.0])], national)
    indicator = data.get(UPLOAD)
    assert UPLOAD in data.national.columns and UPLOAD not in national.columns
    assert data.national[indicator.rank_column(2025)].iloc[:2].tolist() == [2.0, 1.0]  # higher is worse: 2 is first
    assert data.get("income_rank").id == "income_rank" and data.tag != edition_with([], national).tag == ""


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_the_scatter_keeps_only_lsoas_with_values_on_both_axes(kind):
    national = twelve_lsoas()
    data, x = _axis(kind, national, [4.0, np.nan, 6.0])
    context = pd.DataFrame({"ruc_label": "Urban"}, index=national.index)
    frame = systems.scatter_frame(data.national, context, 2025, x, INCOME, "ruc")
    codes = ["E01000001", "E01000003"] if kind == "uploaded" else list(national.index)
    assert frame["code"].tolist() == codes and frame["y"].tolist() == [int(c[-2:]) for c in codes]


@pytest.mark.parametrize(("polarity", "most_deprived"), [("high_is_deprived", 5), ("low_is_deprived", 0)])
def test_thirds_of_uploaded_data_rank_it_by_its_polarity_among_areas_with_a_value(polarity, most_deprived):
    national = twelve_lsoas()
    data = edition_with([lsoa_upload(national, [1, 2, 3, 4, 5, 6], polarity)], national)
    england = systems.thirds(data.national, data.national, data.get(UPLOAD), 2025, "england")
    assert (england[6:] == -1).all()  # no value: no third
    assert england[most_deprived] == 2 and england[5 - most_deprived] == 0
    assert sorted(england[:6].tolist()) == [0, 0, 1, 1, 2, 2]  # England's thirds of the six with a value
    assert "no published national rank" in systems.rank_rule(data.get(UPLOAD), INCOME)
    assert systems.rank_rule(INCOME) == ""


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_correlation_with_an_axis_is_positive_when_both_are_more_deprived_together(kind):
    national = twelve_lsoas()
    # Higher = worse, and highest where the domain rank is 1 (most deprived): moves with deprivation.
    data, x = _axis(kind, national, np.arange(12, 0, -1))
    extra, notes = systems.matrix_indicators(data, data.national, [x.id, *data.brought])
    matrix = systems.correlation_matrix(data.national, 2025, extra=extra)
    assert matrix.loc["Income", "Your data: <b>x</b> (Referrals <i>)"] == pytest.approx(1.0)
    assert notes == [] and len(extra) == 1  # an official axis is in the matrix already, as its domain


def test_matrix_leaves_out_indicators_with_too_few_or_equal_values_and_says_so():
    national = twelve_lsoas()
    data = edition_with([lsoa_upload(national, [1.0, 2.0]), la_upload()], national)
    areas = data.national.iloc[:6]  # one LA: the LA rate is the same everywhere
    extra, notes = systems.matrix_indicators(data, areas, list(data.brought))
    assert extra == {}
    assert "too few to correlate" in notes[0] and "same value across this place" in notes[1]


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_one_bivariate_map_serves_official_and_uploaded_axes_alike(kind):
    national = twelve_lsoas()
    data, x = _axis(kind, national, np.arange(12.0))
    areas = data.national.iloc[:6]
    result, payload = systems.bivariate_map(areas, data.national, 2025, x, INCOME, "place", 12, "v")
    assert sum(result.classification.counts) == 6 and len(payload["value"]) == 6
    expected = "Health Deprivation and Disability" if kind == "official" else "&lt;b&gt;x&lt;/b&gt;"
    assert payload["label"].startswith(expected) and payload["label"].endswith("× Income")
    assert "<b>" not in "".join(payload["value"]) and "<b>" not in payload["label"]


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_exports_name_the_source_of_what_is_not_the_editions_own_and_neutralise_formulas(kind):
    national = twelve_lsoas()
    data, x = _axis(kind, national, np.arange(12.0))
    lines = data.source_lines([x.id, "income_rank", x.id])
    expected = (
        "Your data: <b>x</b> (per 1,000), from the uploaded dataset Referrals <i>; source as stated: Food bank =cmd."
    )
    assert lines == ([expected] if kind == "uploaded" else [])  # the vintage's citation covers the official ones
    frame = systems.scatter_frame(
        data.national, pd.DataFrame({"ruc_label": "Urban"}, index=national.index), 2025, x, INCOME, "ruc"
    )
    chart = charts_systems.scatter_chart(frame, x, INCOME, "Rural-urban", ["Urban"], ["#000000"])
    footer = [f"Source: {get_vintage(2025).source}.", *lines]
    framed = charts.framed(charts_systems.for_export(chart), title="t", subtitle="s", footer=footer)
    assert ("source as stated: Food bank =cmd" in json.dumps(framed.to_dict())) == (kind == "uploaded")
    assert export.chart_png(framed, ppi=72).startswith(b"\x89PNG")
    csv = export.to_safe_csv(pd.DataFrame({"=bad": ["=HYPERLINK()"]}), ["t", *lines]).decode("utf-8-sig")
    assert "'=bad" in csv and "'=HYPERLINK()" in csv and ("# Your data: <b>x</b>" in csv) == (kind == "uploaded")


def test_a_measure_repeated_on_its_las_lsoas_carries_the_broadcast_warning():
    homelessness = get_indicator("homelessness_rate_2019")
    assert systems.broadcast(homelessness) and "mostly compare wards (or LAs)" in systems.broadcast_warning(
        homelessness
    )
    assert systems.broadcast_warning(INCOME) == ""


def test_links_accept_an_uploaded_id_only_when_the_session_has_it():
    view, notes = systems_links.parse_systems_view(
        {"x": "upload_gone_0"},
        {2025: {"E06000009": "Blackpool"}},
        (2025,),
        {2025: {"income_rank": "Income"}},
        {2025: {"ruc": "RUC"}},
    )
    assert view.x == "income_rank" and "this browser session does not have" in notes[0]
