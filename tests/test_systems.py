"""Systems view: scatter data, chart selections, correlations, the bivariate map and its legend."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from placemap.analysis import hotspots, priority, systems
from placemap.data import lookups, prepare
from placemap.data.catalogue import get_indicator
from placemap.render import charts_systems, colour, legends, maps
from placemap.render.colour import (
    BIVARIATE_PALETTE,
    MIN_CVD_DIFFERENCE,
    OKABE_ITO,
    contrast_ratio,
    min_pairwise_difference,
    readable_text_colour,
    simulate_cvd,
)

from .conftest import HOSTILE_NAME, make_boundaries, make_iod_table


def _areas(n: int = 9) -> pd.DataFrame:
    """``n`` areas of one LA: income rank i+1, education rank reversed (area 1 least deprived)."""
    b = make_boundaries(n)
    table = make_iod_table(list(b["area_code"]))
    table["Education_rank"] = np.arange(n, 0, -1)
    table["Education_decile"] = np.minimum(table["Education_rank"], 10)
    frame = pd.DataFrame(b.drop(columns="geometry")).set_index("area_code", drop=False)
    return frame.join(table.set_index("area_code"))


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
    frame = systems.scatter_frame(areas, _context(areas), 2025, "income_rank", "education_rank", systems.COLOUR_RUC)
    assert frame["x"].tolist() == list(range(1, 10)) and frame["y"].tolist() == list(range(9, 0, -1))
    assert frame["colour"].value_counts().to_dict() == {
        "Urban: Nearer to a major town or city": 7,
        "Smaller rural: Nearer to a major town": 2,
    }
    deciles = systems.scatter_frame(areas, _context(areas), 2025, "income_rank", "education_rank", "imd_decile")
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
    frame = systems.scatter_frame(areas, _context(areas), 2025, "income_rank", "education_score", systems.COLOUR_RUC)
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
    result = systems.bivariate(areas, areas, 2025, "income_rank", "education_rank", "place")
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
    result = systems.bivariate(areas, areas, 2025, "income_rank", "education_rank", "place")
    payload = maps.style_payload(
        result.classification,
        values=systems.bivariate_values(areas, 2025, "income_rank", "education_rank", result),
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
