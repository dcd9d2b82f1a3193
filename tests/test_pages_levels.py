"""The map explorer's "Show areas as": wards, ICBs and the rest coloured by a File 10 measure (real data)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata


def _run(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _legend(at: AppTest) -> str:
    return " ".join(str(h.proto.body) for h in at.get("html") if "pm-legend" in str(h.proto.body))


def test_blackpool_wards_are_coloured_by_average_rank_with_a_table_and_legend():
    at = _run({"v": "2025", "la": "E06000009", "level": "ward"})
    assert at.title[0].value == "Wards of Blackpool: Index of Multiple Deprivation"
    table = at.dataframe[-1].value
    assert len(table) == 21  # Blackpool's 2024 wards
    assert table["Place"].iloc[0] == "Bloomfield" and table["Rank among wards"].iloc[0] == 1
    assert table["Local authority"].eq("Blackpool").all()
    assert table["Profile"].iloc[0] == "profile?v=2025&place=ward:E05015188"
    legend = _legend(at)
    assert "Index of Multiple Deprivation: average rank" in legend and "21 wards in Blackpool" in legend
    assert "Higher = more deprived" in legend and "No data" in legend
    assert "estimated" in legend  # IoD2025's LSOA populations are estimates: said beside the map
    assert at.query_params["level"] == "ward" and at.query_params["measure"] == "average_rank"


def test_icbs_are_drawn_for_all_of_england_on_the_extent():
    at = _run({"v": "2025", "la": "E06000009", "level": "icb", "measure": "extent"})
    table = at.dataframe[-1].value
    assert len(table) == 42 and list(table.columns[:4]) == [
        "Place",
        "Code",
        "Extent",
        "Rank among integrated care boards",
    ]
    assert table["Extent"].is_monotonic_decreasing
    assert "42 integrated care boards in England" in _legend(at)
    assert any("all of England" in c.value for c in at.caption)


def test_a_selected_ward_shows_its_lsoas_and_a_link_to_its_profile_then_lsoas_again():
    at = _run({"v": "2025", "la": "E06000009", "level": "ward", "measure": "proportion", "sel": "E05015188"})
    assert "Bloomfield" in [h.value for h in at.header]
    assert at.selectbox(key="map.level_place").value == "E05015188"
    lsoas = at.dataframe[0].value
    assert len(lsoas) == 5 and lsoas["LSOA"].str.startswith("Blackpool").all()
    links = [link.proto for link in at.get("page_link") if "profile" in link.proto.page]
    assert any(link.query_string == "v=2025&place=ward%3AE05015188" for link in links)
    assert any("**100%**; rank 1 of England's wards" in m.value for m in at.markdown)

    at.sidebar.selectbox(key="map.level").set_value("lsoa").run()
    assert not at.exception
    assert at.title[0].value.replace("\\", "").startswith("Blackpool: Index of Multiple Deprivation (IMD)")
    assert "level" not in at.query_params and "sel" not in at.query_params


def test_levels_not_on_2011_lsoas_and_bad_measures_fall_back_with_a_note():
    at = _run({"v": "2019", "la": "E06000009", "level": "icb", "measure": "mean"})
    note = at.info[0].value
    assert "IoD2025 only; showing local authorities" in note and "is not a summary measure" in note
    assert len(at.dataframe[-1].value) == 317  # IoD2019's local authorities
    assert "mid-2015" in _legend(at)


def test_a_ward_can_be_chosen_from_the_list_instead_of_the_map():
    at = _run({"v": "2025", "la": "E06000009", "level": "ward"})
    at.selectbox(key="map.level_place").set_value("E05015190").run()
    assert not at.exception
    assert "Claremont" in [h.value for h in at.header]
    assert at.query_params["sel"] == "E05015190"


def test_a_click_inside_a_ward_finds_that_ward():
    from placemap.ui import level_map, place_cache

    shapes = place_cache.load_place_shapes(2025, "ward")
    point = shapes.loc["E05015188"].geometry.representative_point()
    assert level_map.place_at(2025, "ward", ("E06000009",), point.y, point.x) == "E05015188"
    assert level_map.place_at(2025, "ward", ("E06000009",), 51.5, -0.12) is None  # London: not a Blackpool ward


def test_a_ward_link_to_the_map_opens_it_selected_at_ward_level():
    at = _run({"v": "2025", "place": "ward:E05015188"})  # the map explorer is the first page
    assert at.title[0].value == "Wards of Blackpool: Index of Multiple Deprivation"
    assert "Bloomfield" in [h.value for h in at.header]
    assert at.query_params["level"] == "ward" and at.query_params["sel"] == "E05015188"
