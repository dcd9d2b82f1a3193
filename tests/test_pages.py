"""Every page runs on the real data; deep links show the right place and area."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata


def _title(at: AppTest) -> str:
    """The page's title as a reader sees it (the page escapes it for markdown)."""
    return at.title[0].value.replace("\\", "")


def _run(params: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if params:
        at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_map_explorer_opens_on_blackpool_iod2025():
    at = _run()
    assert _title(at).startswith("Blackpool: Index of Multiple Deprivation (IMD): decile")
    assert any("of 94** LSOAs in Blackpool" in m.value for m in at.markdown)
    assert at.dataframe[-1].value.shape[0] == 94


def test_about_page_shows_the_attribution_statements():
    at = _run(page="views/about.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Open Government Licence v3.0" in text and "Crown copyright" in text
    assert "not comparable between editions" in text


def test_deep_link_shows_that_lsoa_in_the_side_panel():
    at = _run({"la": "E08000003", "ind": "education_rank", "area": "E01033658", "v": "2025"})
    assert _title(at) == "Manchester: Education, Skills and Training: rank"
    assert "Manchester 054C" in [h.value for h in at.header]
    assert at.sidebar.selectbox(key="map.area").value == "E01033658"


@pytest.mark.parametrize("year, la, lsoas", [(2019, "E06000009", 94), (2015, "E08000003", 282)])
def test_older_editions_map_on_2011_lsoas(year, la, lsoas):
    at = _run({"v": str(year), "la": la, "ind": "imd_rank"})
    assert at.dataframe[-1].value.shape[0] == lsoas
    assert f"Indices of Deprivation {year}" in at.caption[0].value


def test_bad_link_values_fall_back_with_a_visible_note():
    at = _run({"v": "1999", "la": "<script>", "ind": "nope", "k": "99", "area": "E01999999"})
    assert _title(at).startswith("Blackpool")
    note = at.info[0].value
    assert "edition" in note and "not a local authority" in note and "not an indicator" in note
    assert "not an LSOA of Blackpool" in note


def test_changing_the_measure_recolours_and_retitles_the_page():
    at = _run()
    at.selectbox(key="map.measure").set_value("health_score").run()
    assert not at.exception
    assert _title(at) == "Blackpool: Health Deprivation and Disability: score"
    assert at.query_params["ind"] == "health_score"


def test_searching_the_themed_picker_picks_the_measure_with_its_direction_and_source():
    at = _run({"v": "2019"})
    at.sidebar.text_input(key="map.measure.search").input("child poverty").run()
    assert not at.exception, [e.value for e in at.exception]
    assert _title(at) == "Blackpool: Children in income-deprived families (IoD2019)"
    picker = at.sidebar.selectbox(key="map.measure")
    assert picker.options[0] == "Income and poverty · Children in income-deprived families (IoD2019)"
    side = " ".join(c.value for c in at.sidebar.caption)
    assert "% of children aged 0–15" in side and "File 8" in side
    legend = " ".join(h.body for h in at.get("html"))
    assert "Higher = more children in income-deprived families (% of children aged 0–15). Darker = worse." in legend
    assert "Value status" in at.dataframe[-1].value.columns


def test_switching_edition_keeps_the_domain_and_notes_a_missing_measure():
    at = _run({"ind": "income_score"})
    at.selectbox(key="map.year").set_value(2019).run()
    assert not at.exception
    assert _title(at) == "Blackpool: Income: rank"
    assert "Income: score is not published in IoD2019" in at.info[0].value


def test_region_opens_on_local_authority_summaries():
    at = _run({"region": "E12000002"})
    assert _title(at).startswith("North West:")
    assert at.query_params["geo"] == "la"
    table = at.dataframe[-1].value
    assert len(table) == 35 and "Share" in table.columns  # the North West's 35 LAs of 2024
    assert any("Geography: local authorities" in c.value for c in at.caption)


def test_all_of_england_at_lsoa_level_lists_the_most_deprived_first():
    at = _run({"region": "england", "geo": "lsoa"})
    assert _title(at).startswith("England:")
    assert any("33,755 LSOAs" in c.value for c in at.caption)
    assert at.dataframe[-1].value.shape[0] == 1_000
    assert any("1,000 most deprived of 33,755" in c.value for c in at.caption)


def test_several_las_together():
    at = _run({"la": "E08000003,Salford", "ind": "income_rank"})
    assert _title(at) == "Manchester and Salford: Income: rank"
    assert at.dataframe[-1].value.shape[0] == 295 + 161  # LSOAs (2021) of Manchester and Salford
