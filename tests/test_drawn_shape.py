"""Drawn shapes from the browser (untrusted GeoJSON) and their overlay on LSOAs, on small fixtures."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from placemap.analysis import drawn_area, place_summaries
from placemap.uploads import drawn_shape
from placemap.uploads.table import ERROR, WARNING

# Four LSOAs in a row along the Blackpool coast (each 0.01 degrees square); west of -3.06 is sea.
CODES = ["E01000001", "E01000002", "E01000003", "E01000004"]
LSOAS = gpd.GeoSeries(
    [shapely.box(-3.06 + 0.01 * i, 53.80, -3.05 + 0.01 * i, 53.81) for i in range(4)], index=CODES, crs=4326
).to_crs(27700)
POPULATION = pd.Series([1000.0, 2000.0, 3000.0, 4000.0], index=CODES)


def feature(coordinates, kind: str = "Polygon") -> dict:
    return {"type": "Feature", "properties": {}, "geometry": {"type": kind, "coordinates": coordinates}}


def box_feature(west: float, south: float, east: float, north: float) -> dict:
    return feature([[[west, south], [east, south], [east, north], [west, north], [west, south]]])


def texts(check) -> str:
    return " ".join(m.text for m in check.messages)


def test_a_polygon_drawn_over_two_lsoas_counts_those_whose_centres_lie_inside():
    check = drawn_shape.check_drawing([box_feature(-3.058, 53.801, -3.036, 53.809)])
    assert check.ok and not check.repaired
    place = drawn_area.place_from_shape(check.shape, LSOAS, POPULATION)
    assert place.members == ["E01000001", "E01000002"]  # the third is overlapped a little, its centre is outside
    third = place.lsoas.set_index("area_code").loc["E01000003"]
    assert not third["inside"] and 0 < third["share"] < 0.5
    assert place.people == pytest.approx(
        float((place.lsoas["share"] * POPULATION[place.lsoas["area_code"]].values).sum())
    )


def test_an_outline_that_crosses_itself_is_repaired_and_the_page_says_so():
    bowtie = feature([[[-3.06, 53.80], [-3.03, 53.81], [-3.03, 53.80], [-3.06, 53.81], [-3.06, 53.80]]])
    check = drawn_shape.check_drawing(bowtie)
    assert check.ok and check.repaired and check.shape.is_valid
    assert check.shape.geom_type == "MultiPolygon"  # the two loops of the bow tie
    assert any(m.level == WARNING and "crossed itself" in m.text for m in check.messages)


def test_a_drawing_smaller_than_an_lsoa_takes_the_lsoa_holding_most_of_it_and_says_so():
    check = drawn_shape.check_drawing(box_feature(-3.0405, 53.8040, -3.0395, 53.8050))  # inside E01000002
    place = drawn_area.place_from_shape(check.shape, LSOAS, POPULATION)
    assert place.members == ["E01000002"]
    assert "No LSOA has its centre inside" in texts(place) and "E01000002" in texts(place)


def test_a_huge_drawing_is_refused_with_the_limit_named():
    england = box_feature(-5.5, 50.0, 1.5, 55.5)
    check = drawn_shape.check_drawing(england)
    assert not check.ok and check.shape is None
    assert "km²" in texts(check) and f"{drawn_shape.MAX_AREA_KM2:,.0f}" in texts(check)


def test_too_many_points_are_refused_before_any_overlay():
    ring = [[-3.05 + 0.001 * (i % 2), 53.80 + 0.00001 * i] for i in range(drawn_shape.MAX_VERTICES + 10)]
    check = drawn_shape.check_drawing(feature([[*ring, ring[0]]]))
    assert not check.ok and "points" in texts(check)


def test_a_drawing_outside_england_is_refused():
    check = drawn_shape.check_drawing(box_feature(2.30, 48.85, 2.35, 48.87))  # Paris
    assert not check.ok and "outside England" in texts(check)


def test_a_drawing_over_the_sea_is_clipped_to_the_lsoas_and_one_wholly_at_sea_is_refused():
    check = drawn_shape.check_drawing(box_feature(-3.08, 53.80, -3.05, 53.81))  # two thirds sea, then E01000001
    place = drawn_area.place_from_shape(check.shape, LSOAS, POPULATION)
    assert place.members == ["E01000001"]
    assert place.land_share == pytest.approx(1 / 3, abs=0.01)
    assert "67% of the area you drew lies off England's LSOAs" in texts(place)
    assert place.shape.bounds[0] == pytest.approx(-3.06, abs=1e-6)  # the outline follows the coast
    at_sea = drawn_area.place_from_shape(
        drawn_shape.check_drawing(box_feature(-3.2, 53.80, -3.1, 53.81)).shape, LSOAS, POPULATION
    )
    assert not at_sea.ok and at_sea.messages[0].level == ERROR and "over the sea" in at_sea.messages[0].text


@pytest.mark.parametrize(
    "drawing",
    [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-3.05, 53.8]}, "properties": {"radius": 50}},
        feature([[-3.05, 53.8], [-3.04, 53.81]], "LineString"),
    ],
)
def test_points_lines_and_circles_are_not_areas(drawing):
    check = drawn_shape.check_drawing(drawing)
    assert not check.ok and "Only areas can be used" in texts(check)


def test_a_line_beside_a_polygon_is_left_out_with_a_note():
    check = drawn_shape.check_drawing(
        [box_feature(-3.058, 53.801, -3.036, 53.809), feature([[-3.05, 53.8], [-3.04, 53.81]], "LineString")]
    )
    assert check.ok and "left out" in texts(check)


@pytest.mark.parametrize(
    "drawing",
    [
        None,
        "POLYGON((0 0, 1 0, 1 1, 0 0))",
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[-3.05, 53.8], [-3.04]]]}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": "x"}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[1e308, 1e308]] * 4]}},
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[400000, 400000], [400100, 400000], [400100, 400100], [400000, 400000]]],
            },
        },
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[float("nan"), 1.0]] * 4]}},
        {"type": "FeatureCollection", "features": [box_feature(-3.06, 53.8, -3.05, 53.81)] * 21},
        {"type": "FeatureCollection", "features": "many"},
        [[[[[[[[[[[]]]]]]]]]]],
        {
            "type": "Feature",
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-3.05, 53.8], [-3.05, 53.8], [-3.05, 53.8], [-3.05, 53.8]]],
            },
        },
    ],
)
def test_malformed_or_hostile_drawings_get_a_plain_message_never_an_exception(drawing):
    check = drawn_shape.check_drawing(drawing)
    assert not check.ok
    assert check.messages and check.messages[-1].level == ERROR and check.messages[-1].text.endswith(".")


def test_a_very_large_drawing_is_refused_before_it_is_parsed():
    ring = [[-3.05, 53.80]] * 100_000
    check = drawn_shape.check_drawing(feature([ring]))
    assert not check.ok and "too detailed" in texts(check)


def test_a_drawn_area_is_summarised_by_file_10_over_its_lsoas():
    check = drawn_shape.check_drawing(box_feature(-3.058, 53.801, -3.036, 53.809))
    place = drawn_area.place_from_shape(check.shape, LSOAS, POPULATION)
    n = 20  # England of twenty LSOAs: ours rank 1 to 4
    inputs = pd.DataFrame(
        {"IMD_rank": range(1, n + 1), "IMD_score": [50.0 - i for i in range(n)]},
        index=CODES + [f"E0100{i:04d}" for i in range(100, 100 + n - 4)],
    )
    inputs["population"] = POPULATION.reindex(inputs.index).fillna(1500.0)
    inputs["working_age_population"] = inputs["population"] / 2
    summary = place_summaries.summarise_lsoas(inputs, place.members, 2025)
    # Ranks 1 and 2, turned round 20 and 19, weighted 1,000 and 2,000 people: (20 + 2 x 19) / 3.
    assert summary.loc["imd", "average_rank"] == pytest.approx(58 / 3)
    table = drawn_area.summary_table(summary, n)
    assert table.loc[0, "Index"] == "Index of Multiple Deprivation" and table.loc[0, "LSOAs"] == "2"
    assert "average rank is 19 of 20" in drawn_area.summary_sentence(summary, n, "IoD2025")
