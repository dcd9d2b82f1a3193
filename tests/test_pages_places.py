"""Places of every type by link on the profile, map and compare pages, and the sidebar's place search."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata


def _open(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params.update(params)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(
    ("place", "title"),
    [
        ("ward:E05015188", "Bloomfield: ward profile"),
        ("msoa:Blackpool 010", "Blackpool 010: middle-layer super output area (MSOA) profile"),
        ("utla:E10000017", "Lancashire: upper-tier local authority profile"),
        ("cauth:E47000001", "Greater Manchester: combined authority (2023) profile"),
        ("icb:E54000048", "NHS Lancashire and South Cumbria Integrated Care Board: integrated care board profile"),
        ("sicb:E38000226", None),
        ("region:E12000002", "North West: region profile"),
    ],
)
def test_a_place_of_each_type_opens_its_profile_by_link(place, title):
    at = _open("views/profile.py", {"place": place})
    if title:
        assert at.title[0].value == title
    assert at.query_params["place"] == place  # the page stays a shareable link
    measures = at.dataframe[0].value
    assert {"Average rank", "Extent", "Local concentration"} <= set(measures.columns)
    assert "Download the profile report (PDF)" in [b.proto.label for b in at.get("download_button")]
    assert any("estimated" in i.value for i in at.info)  # IoD2025: says the populations are estimated
    indicators = next(d.value for d in at.dataframe if "This place" in d.value.columns)
    assert {"People in income deprivation", "Households deprived in two or more dimensions"} <= set(
        indicators["Measure"]
    )


def test_an_icb_profile_leads_with_health_and_a_combined_authority_lists_its_members():
    icb = _open("views/profile.py", {"place": "icb:E54000048"})
    assert icb.dataframe[0].value["Index"].iloc[0] == "Health Deprivation and Disability"
    cauth = _open("views/profile.py", {"place": "cauth:E47000001"})
    assert "Its member local authorities" in [h.value for h in cauth.header]
    members = next(d.value for d in cauth.dataframe if "Name" in d.value.columns)
    assert "Manchester" in members["Name"].tolist()


def test_a_ward_profile_ranks_it_among_englands_wards_and_lists_its_neighbours():
    at = _open("views/profile.py", {"place": "ward:E05015188"})
    assert "of England's 6,784 wards" in at.markdown[0].value
    neighbours = next(d.value for d in at.dataframe if "Code" in d.value.columns)
    assert neighbours["Code"].iloc[0] == "E05015188" and len(neighbours) > 2


def test_a_2019_ward_on_iod2025_shows_the_nearest_2024_ward_with_a_note():
    at = _open("views/profile.py", {"place": "ward:E05001643", "v": "2025"})
    assert at.title[0].value.endswith("ward profile")
    assert at.query_params["place"] != "ward:E05001643"
    assert any("not in IoD2025" in i.value for i in at.info)


@pytest.mark.parametrize("place", ["county:E10000017", "ward:E05999999", "drawn:0a1b2c3d4e5f"])
def test_a_bad_or_unknown_place_shows_the_default_profile_with_a_note(place):
    at = _open("views/profile.py", {"place": place})
    assert at.title[0].value == "Blackpool: area profile"
    assert at.info and "place" in at.info[0].value


def test_an_la_place_and_the_old_la_link_open_the_same_profile():
    assert _open("views/profile.py", {"place": "la:E06000009"}).title[0].value == "Blackpool: area profile"


@pytest.mark.parametrize(
    ("place", "key", "value"),
    [("ward:E05015188", "la", "E06000009"), ("region:E12000002", "region", "E12000002"), ("icb:E54000048", "la", None)],
)
def test_a_place_link_opens_the_map_explorer_on_its_la_las_or_region(place, key, value):
    at = _open("views/map.py", {"place": place})
    assert "place" not in at.query_params
    assert at.query_params[key] == value if value else "," in at.query_params[key]


@pytest.mark.parametrize(
    ("page", "place", "las", "named"),
    [
        ("views/systems.py", "ward:E05015188", "E06000009", "Blackpool"),
        ("views/change.py", "msoa:Blackpool 010", "E06000009", "Blackpool"),
        ("views/hotspots.py", "cauth:E47000001", None, "Bolton"),  # Greater Manchester's ten districts
    ],
)
def test_pages_that_work_by_local_authority_open_a_places_las_and_say_so(page, place, las, named):
    at = _open(page, {"place": place})
    assert "place" not in at.query_params
    if las:
        assert at.query_params["la"] == las
    else:
        assert len(at.query_params["la"].split(",")) == 10
    note = " ".join(i.value for i in at.info).replace("\\", "")  # markdown escapes
    assert "This page works by local authority: showing" in note and named in note


def test_places_of_different_types_are_compared_side_by_side():
    at = _open("views/compare.py", {"cmp": "ward:E05015188,la:E06000009,icb:E54000048,england"})
    assert at.title[0].value == "Compare places"
    table = at.dataframe[0].value
    assert table.columns[2:].tolist()[-1] == "England"
    imd_extent = table[(table["Index"] == "Index of Multiple Deprivation") & (table["Measure"] == "Extent")].iloc[0]
    assert imd_extent.iloc[2] > imd_extent.iloc[3] > imd_extent["England"]  # Bloomfield > Blackpool > England
    # Then the measures behind the indices over each place's LSOAs, the first three charted beside England.
    measures = next(d.value for d in at.dataframe if "Higher means" in d.value.columns).set_index("Measure")
    income = measures.loc["People in income deprivation"]
    assert income["Bloomfield (ward)"] > income["Blackpool (local authority)"] > income["England"]
    assert len(at.multiselect(key="compare.measures.charts").value) == 3


def test_the_sidebar_search_finds_a_ward_by_name_with_its_type_and_parent():
    at = _open("views/about.py", {})
    at.sidebar.text_input(key="places.query").input("Bloomfield").run()
    labels = [link.proto.label for link in at.get("page_link")]
    assert any("Bloomfield, a ward in Blackpool" in label for label in labels)


PLACE_OF_EACH_TYPE = [
    "ward:E05015188",
    "msoa:Blackpool 010",
    "la:E06000009",
    "utla:E10000017",
    "cauth:E47000001",
    "icb:E54000048",
    "sicb:E38000226",
    "region:E12000002",
]


@pytest.mark.parametrize("page", ["views/priorities.py", "views/initiatives.py", "views/workshop.py"])
@pytest.mark.parametrize("place", PLACE_OF_EACH_TYPE)
def test_a_place_of_each_type_opens_every_page_that_works_by_local_authority(page, place):
    at = _open(page, {"place": place})
    assert "place" not in at.query_params
    las = at.query_params["la"].split(",")
    assert las and all(code.startswith("E0") for code in las)  # the place's own LAs, never the default by accident
    if place.startswith(("ward:", "msoa:", "la:")):
        assert las == ["E06000009"]  # Blackpool holds them
