"""Chart builders, tested on ``chart.to_dict()``: what a reader of the chart would see."""

import altair as alt
import numpy as np
import pandas as pd
import pytest

from placemap.analysis.classify import palette_colours
from placemap.data.catalogue import get_vintage
from placemap.render import charts


def _rows(reference=True):
    return pd.DataFrame(
        {
            "row": ["Index of Multiple Deprivation (IMD)", "Income", "Adult skills (sub-domain)"],
            "position": [3.0, 55.0, 97.0],
            "rank": [1000, 18600, 32800],
            "decile": [1, 6, 10],
            "reference": [20.0, 30.0, 40.0] if reference else [np.nan] * 3,
        }
    )


def _counts():
    records = []
    for row, first in (("IMD", 4), ("Income", 1)):
        counts = [first] + [1] * 9
        for d, c in enumerate(counts, start=1):
            records.append({"row": row, "decile": d, "count": c, "share": c / sum(counts)})
    return pd.DataFrame(records)


def _views(spec):
    """Every single view of a (possibly concatenated and layered) spec."""
    stack, found = [spec], []
    while stack:
        node = stack.pop()
        for key in ("concat", "vconcat", "hconcat", "layer"):
            stack.extend(node.get(key, []))
        if "mark" in node:
            found.append(node)
    return found


def _mark(view):
    return view["mark"]["type"] if isinstance(view["mark"], dict) else view["mark"]


def _data(spec, view):
    return spec["datasets"][view["data"]["name"]]


def test_spine_chart_has_title_subtitle_and_source_footer():
    chart = charts.spine_chart(
        _rows(), title="Testtown 001A", subtitle="LSOA E01000001 · IoD2025", footer=["Source: X", "OGL line"], total=100
    )
    spec = chart.to_dict()
    assert spec["title"]["text"] == "Testtown 001A"
    assert spec["title"]["subtitle"] == ["LSOA E01000001 · IoD2025"]
    footer = [v for v in _views(spec) if _mark(v) == "text"]
    assert [r["line"] for r in _data(spec, footer[0])] == ["Source: X", "OGL line"]
    assert spec["config"]["font"] == charts.FONT


def test_spine_chart_rows_keep_profile_order_on_a_0_to_100_national_scale():
    spec = charts.spine_chart(_rows(), title="T", subtitle="S", footer=["F"], total=100).to_dict()
    bands = next(v for v in _views(spec) if _mark(v) == "bar")
    assert bands["encoding"]["y"]["sort"] == [
        "Index of Multiple Deprivation (IMD)",
        "Income",
        "Adult skills (sub-domain)",
    ]
    assert bands["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert sorted({(r["start"], r["end"]) for r in _data(spec, bands)}) == [(0.0, 25.0), (25.0, 75.0), (75.0, 100.0)]
    middle = next(v for v in _views(spec) if _mark(v) == "tick")
    assert {r["middle"] for r in _data(spec, middle)} == {50.0}


def test_spine_chart_marks_the_area_and_the_la_median_in_distinct_colours_and_shapes():
    spec = charts.spine_chart(
        _rows(), title="T", subtitle="S", footer=["F"], total=100, reference_label="Testtown median"
    ).to_dict()
    points = next(v for v in _views(spec) if _mark(v) == "point")
    data = _data(spec, points)
    assert [(r["mark"], r["position"]) for r in data if r["row"] == "Income"] == [
        ("This LSOA", 55.0),
        ("Testtown median", 30.0),
    ]
    colour = points["encoding"]["color"]["scale"]
    assert colour["domain"] == ["This LSOA", "Testtown median"]
    assert len(set(colour["range"])) == 2
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "diamond"]
    assert "Rank 1,000 of 100; decile 1" in {r["detail"] for r in data}


def test_spine_chart_without_a_reference_shows_only_the_area():
    spec = charts.spine_chart(_rows(reference=False), title="T", subtitle="S", footer=["F"], total=100).to_dict()
    points = next(v for v in _views(spec) if _mark(v) == "point")
    assert {r["mark"] for r in _data(spec, points)} == {"This LSOA"}
    assert points["encoding"]["color"]["scale"]["domain"] == ["This LSOA"]


def test_decile_distribution_stacks_decile_one_first_in_the_darkest_colour():
    spec = charts.decile_distribution(_counts(), title="T", subtitle="S", footer=["F"]).to_dict()
    bars = next(v for v in _views(spec) if _mark(v) == "bar")
    colour = bars["encoding"]["color"]
    assert colour["scale"]["domain"] == [f"Decile {d}" for d in range(1, 11)]
    assert colour["scale"]["range"][0] == palette_colours("viridis", 10)[-1]  # the map's most deprived colour
    assert bars["encoding"]["order"] == {"field": "decile", "sort": "ascending", "type": "quantitative"}
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert bars["encoding"]["y"]["sort"] == ["IMD", "Income"]
    imd = [r for r in _data(spec, bars) if r["row"] == "IMD"]
    assert sum(r["share"] for r in imd) == pytest.approx(1.0)
    rule = next(v for v in _views(spec) if _mark(v) == "rule")
    assert _data(spec, rule) == [{"x": 0.1}]  # England: 10% of LSOAs in each decile


def test_profile_charts_name_the_area_the_edition_and_the_source():
    vintage = get_vintage(2019)
    table = pd.DataFrame(
        {
            "Domain": ["Income"],
            "Position": [10.0],
            "Rank": [3000],
            "Decile": [1],
            "LA median position": [40.0],
        }
    )
    spec = charts.lsoa_spine_chart(table, name="Testtown 001A", code="E01000001", la_name="Testtown", vintage=vintage)
    text = str(spec.to_dict())
    assert "Testtown 001A: every domain against England" in text
    assert "LSOA E01000001 in Testtown · IoD2019" in text
    assert "Source: English Indices of Deprivation 2019, MHCLG." in text
    assert "Open Government Licence v3.0" in text


def test_the_house_theme_is_registered_with_altair():
    assert "placemap" in alt.theme.names()
    assert charts.placemap_theme()["config"]["font"] == charts.FONT
