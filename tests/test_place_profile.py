"""Place profiles: carrying a place between geographies, weighted areas' measures, neighbours, lead index."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from placemap.analysis import place_profile as pp
from placemap.analysis import place_summaries as ps
from placemap.data.place_types import Place
from placemap.links import place_links
from placemap.render import place_maps


def test_a_2019_ward_is_carried_to_the_2024_ward_holding_most_of_its_lsoas():
    old = pd.DataFrame({"ward_code": ["W19", "W19", "W19", "X19"]}, index=["a11", "b11", "c11", "d11"])
    new = pd.DataFrame({"ward_code": ["W24", "W24", "V24", "V24"]}, index=["a21", "b21", "c21", "d21"])
    pairs = pd.DataFrame({"lsoa11_code": ["a11", "b11", "c11", "d11"], "lsoa21_code": ["a21", "b21", "c21", "d21"]})
    assert pp.carry_place(Place("ward", "W19"), old, new, pairs, "ward") == Place("ward", "W24")
    assert pp.carry_place(Place("ward", "W24"), new, old, pairs, "ward") == Place("ward", "W19")


def test_an_icb_on_2011_lsoas_becomes_the_region_holding_it():
    new = pd.DataFrame({"icb_code": ["I1", "I1"], "region_code": ["R1", "R1"]}, index=["a", "b"])
    old = pd.DataFrame({"region_code": ["R1", "R2"]}, index=["a", "b"])
    assert pp.carry_place(Place("icb", "I1"), new, old, None, "region") == Place("region", "R1")


def _inputs():
    # Four LSOAs of a 100-LSOA England, worked by hand.
    return pd.DataFrame(
        {
            "IMD_rank": [1, 60, 90, 50],
            "IMD_score": [40.0, 10.0, 5.0, 12.0],
            "population": [1000.0, 3000.0, 2000.0, 500.0],
            "working_age_population": [600.0, 1800.0, 1200.0, 300.0],
        },
        index=["a", "b", "c", "d"],
    ).reindex(["a", "b", "c", "d", *[f"z{i}" for i in range(96)]])


def test_a_drawn_area_counts_each_lsoa_by_the_share_of_its_people_inside():
    out = pp.summarise_weighted(_inputs(), pd.Series({"a": 1.0, "b": 0.5}), 2025)
    imd = out.loc["imd"]
    # people: 1000 from a, 1500 of b's 3000; average score (1000*40 + 1500*10) / 2500 = 22
    assert imd["population"] == pytest.approx(2500.0)
    assert imd["average_score"] == pytest.approx(22.0)
    # turned-round ranks: a counts 100, b 41 -> (1000*100 + 1500*41) / 2500 = 64.6
    assert imd["average_rank"] == pytest.approx(64.6)
    assert imd["proportion"] == pytest.approx(0.5)


def test_an_icb_profile_leads_with_health():
    summary = pd.DataFrame({m: [1.0, 2.0] for m in ps.MEASURES}, index=["imd", "health"])
    assert pp.measures_table(summary, "icb")[pp.INDEX].tolist() == [
        ps.INDEX_LABELS["health"],
        ps.INDEX_LABELS["imd"],
    ]
    assert pp.measures_table(summary, "ward")[pp.INDEX].iloc[0] == ps.INDEX_LABELS["imd"]


def test_neighbours_share_a_border_and_the_longest_border_comes_first():
    shapes = gpd.GeoDataFrame(
        geometry=[box(0, 0, 2, 2), box(2, 0, 3, 2), box(0, 2, 1, 3), box(9, 9, 10, 10)], index=["A", "B", "C", "D"]
    )
    assert pp.neighbours(shapes, "A") == ["B", "C"]
    assert pp.neighbours(shapes, "D") == []
    assert pp.neighbours(shapes, "nowhere") == []


def test_places_dissolve_from_their_lsoas_and_leave_out_lsoas_with_no_place():
    lsoas = gpd.GeoDataFrame(geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(5, 5, 6, 6)], index=["a", "b", "c"])
    lookup = pd.DataFrame({"cauth_code": ["C1", "C1", None], "cauth_name": ["One", "One", None]}, index=["a", "b", "c"])
    shapes = place_maps.dissolve_places(lsoas, lookup, "cauth")
    assert shapes.index.tolist() == ["C1"] and shapes.geometry.iloc[0].area == pytest.approx(2.0)


HAVE = {(2025, "ward:E05015188"), (2025, "region:E12000002"), (2019, "ward:E05001643"), (2019, "region:E12000002")}


def _exists(year, place):
    return (year, place.to_param()) in HAVE


def _carry(place, home, year, kind):
    return Place(kind, "E12000002") if kind == "region" else Place(kind, "E05015188")


def test_a_link_with_a_2019_ward_and_v_2025_shows_the_nearest_2024_ward_with_a_note():
    view, notes = place_links.parse_place_view({"v": "2025", "place": "ward:E05001643"}, _exists, _carry)
    assert view == place_links.PlaceView(2025, Place("ward", "E05015188"))
    assert "not in IoD2025's geography" in notes[0]


def test_a_link_with_a_2019_ward_and_no_edition_opens_iod2019():
    view, notes = place_links.parse_place_view({"place": "ward:E05001643"}, _exists, _carry)
    assert view == place_links.PlaceView(2019, Place("ward", "E05001643")) and notes == []


def test_an_icb_on_iod2019_gives_its_region_and_says_why():
    have = HAVE | {(2025, "icb:E54000048")}
    view, notes = place_links.parse_place_view(
        {"v": "2019", "place": "icb:E54000048"}, lambda y, p: (y, p.to_param()) in have, _carry
    )
    assert view.place == Place("region", "E12000002") and view.year == 2019
    assert "exist for IoD2025 only" in notes[0]


@pytest.mark.parametrize("raw", ["ward:E05999999", "county:E10000017", "ward", "<b>x</b>"])
def test_a_bad_or_unknown_place_gives_no_view_and_a_plain_note(raw):
    view, notes = place_links.parse_place_view({"place": raw}, _exists, _carry)
    assert view is None and notes and "<" not in "".join(notes)


def _uploaded_areas(name: str = "<b>Plan</b> area"):
    from placemap.uploads.uploaded_boundaries import UploadedAreas

    frame = gpd.GeoDataFrame(
        {"area_id": ["A1", "A2"], "area_name": [name, "Other"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326
    )
    return UploadedAreas("b1234abcd", "Plans", "Parish", frame.set_index("area_id", drop=False))


def test_uploaded_area_keys_are_parsed_strictly_and_found_only_in_the_session():
    from placemap.analysis import upload_area_profile as uap

    assert uap.parse_area_key("b1234abcd:A2") == ("b1234abcd", "A2")
    assert uap.parse_area_key("b1:../A2") is None and uap.parse_area_key("<script>:A1") is None
    areas = _uploaded_areas()
    assert uap.find_area([areas], "b1234abcd:A2")[1] == "A2"
    assert uap.find_area([areas], "b1234abcd:A9") is None and uap.find_area([], "b1234abcd:A1") is None
    assert uap.area_options([areas]) == {"b1234abcd:A1": "<b>Plan</b> area (Plans)", "b1234abcd:A2": "Other (Plans)"}
    assert place_links.parse_place("upload:b1234abcd:A2") == (Place("upload", "b1234abcd:A2"), "")
