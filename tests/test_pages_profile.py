"""Profile and compare pages on the real data: deep links show the right place, with exports."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.data import loaders
from placemap.data.catalogue import get_vintage

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata


def _open(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(params)
    at.switch_page(page).run()  # the page's file name is its url path, as in a shared link
    assert not at.exception, [e.value for e in at.exception]
    return at


def _downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def test_lsoa_profile_from_a_deep_link():
    at = _open("views/profile.py", {"area": "E01033658"})
    assert at.title[0].value == "Manchester 054C: area profile"
    assert at.sidebar.selectbox(key="profile.la").value == "E08000003"
    assert at.sidebar.selectbox(key="profile.area").value == "E01033658"
    points = at.markdown[0].value
    assert "Among the 10% most deprived LSOAs in England for Crime" in points
    ranks, history, measures, similar = (d.value for d in at.dataframe)
    assert len(ranks) == 14 and ranks["Domain"].iloc[0] == "Index of Multiple Deprivation (IMD)"
    # The spine of measures: IoD2025's 28 and Census 2021's 7, with the LA's and England's figures.
    assert len(measures) == 35 and {"This LSOA", "Local authority", "England"} <= set(measures.columns)
    assert "Measures behind the indices" in [h.value for h in at.header]
    assert history["Edition"].tolist() == ["IoD2025", "IoD2019", "IoD2015"]
    assert len(similar) == 10 and "E01033658" not in similar["LSOA code"].tolist()
    assert (at.query_params["area"], at.query_params["la"]) == ("E01033658", "E08000003")  # a shareable link
    labels = _downloads(at)
    assert labels[0] == "Download the profile report (PDF)"
    assert {"Spine chart as PNG (print, 300 ppi)", "Spine chart as SVG", "Map as PNG", "Map as SVG"} <= set(labels)
    assert {"Ranks and deciles as CSV", "Editions as CSV", "Measures as CSV", "Similar areas as CSV"} <= set(labels)
    assert len(labels) == len(set(labels))  # each button says what it saves


def test_la_profile_from_a_deep_link_shows_official_measures_and_similar_authorities():
    at = _open("views/profile.py", {"la": "E08000003", "v": "2019"})
    assert at.title[0].value == "Manchester: area profile"
    assert "English Indices of Deprivation 2019" in at.caption[0].value
    deciles, official, most, least, similar = (d.value for d in at.dataframe)
    assert deciles["LSOAs"].iloc[0] == 282  # Manchester's 2011 LSOAs
    imd = official.set_index("Domain").loc["Index of Multiple Deprivation (IMD)"]
    file10 = loaders.read_la_summaries(get_vintage(2019)).loc["E08000003"]
    assert imd["Rank of average score"] == file10["IMD - Rank of average score"] == 6
    assert most["IMD rank"].is_monotonic_increasing and least["IMD rank"].is_monotonic_decreasing
    assert most["IMD decile"].iloc[0] == 1 and least["IMD rank"].iloc[0] > 25_000
    assert len(similar) == 10 and "E08000003" not in similar["LA code"].tolist()
    assert "Rank of average score" in official.columns
    assert {
        "Deciles chart as SVG",
        "Deciles table as CSV",
        "Summary measures as CSV",
        "Most deprived LSOAs as CSV",
    } <= set(_downloads(at))


def test_a_link_to_an_unknown_lsoa_opens_the_default_la_with_a_note():
    at = _open("views/profile.py", {"area": "E01999999"})
    assert at.title[0].value == "Blackpool: area profile"
    assert "E01999999 is not an LSOA in any edition" in at.info[0].value


def test_compare_page_draws_one_chart_per_domain_and_a_table():
    at = _open("views/compare.py", {"cmp": "E08000003,E06000009", "v": "2025"})
    assert not at.info  # a valid link needs no note
    charts = at.get("vega_lite_chart")
    assert len(charts) == 14  # IMD, seven domains, six sub-domains
    table = at.dataframe[0].value
    assert set(table["Local authority"]) == {"Manchester (E08000003)", "Blackpool (E06000009)"}
    assert at.sidebar.multiselect(key="compare.las").value == ["E08000003", "E06000009"]
    assert [link.proto.query_string for link in at.get("page_link")] == ["v=2025&la=E08000003", "v=2025&la=E06000009"]
    measures = next(d.value for d in at.dataframe if "Higher means" in d.value.columns)
    assert {"Manchester (E08000003)", "Blackpool (E06000009)", "England"} <= set(measures.columns)
    income = measures.set_index("Measure").loc["People in income deprivation"]
    assert income["Blackpool (E06000009)"] > income["England"]  # from Blackpool's LSOAs' summed counts


def test_compare_lsoas_from_a_link_and_change_the_selection():
    at = _open("views/compare.py", {"cmp": "E01033658,E01005189"})
    assert at.sidebar.radio(key="compare.kind").value == "lsoa"
    assert len(at.dataframe[0].value) == 14 * 2  # every domain and sub-domain, two LSOAs
    at.sidebar.multiselect(key="compare.lsoas").select("E01005203").run()
    assert not at.exception
    assert at.query_params["cmp"] == "E01033658,E01005189,E01005203"
    assert len(at.dataframe[0].value) == 14 * 3


def test_map_side_panel_links_to_the_selected_areas_profile_and_offers_map_exports():
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"la": "E08000003", "area": "E01033658", "v": "2025"})
    at.run()
    assert not at.exception
    links = [link.proto for link in at.get("page_link")]
    assert [(link.label, link.query_string) for link in links] == [("Open profile", "v=2025&area=E01033658")]
    assert {"Map as PNG", "Map as SVG", "Interactive map (HTML)"} <= set(_downloads(at))


def test_switching_to_an_edition_without_the_la_says_so_and_shows_blackpool():
    at = _open("views/profile.py", {"la": "E06000060"})  # Buckinghamshire: a unitary authority since 2020
    assert at.title[0].value == "Buckinghamshire: area profile"
    at.sidebar.selectbox(key="profile.year").set_value(2015).run()
    assert at.title[0].value == "Blackpool: area profile"
    assert "E06000060 is not a local authority of IoD2015's geography; showing Blackpool." in at.info[0].value
