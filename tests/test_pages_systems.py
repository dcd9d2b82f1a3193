"""The systems view, priority finder and hot-spot pages run on the real data and open from links."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
# The page files live in pages/ here; main renames that folder to views/ (so Streamlit does
# not auto-discover it), and these tests follow whichever folder app.py uses.
PAGES = "views" if (ROOT / "views").is_dir() else "pages"
pytestmark = pytest.mark.realdata


def _open(page: str, params: dict | None = None) -> AppTest:
    """Start the app, then open ``page`` with a link's query parameters (as a browser would)."""
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(params or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_systems_view_deep_link_shows_that_place_axes_colour_and_lsoa():
    at = _open(
        f"{PAGES}/systems.py",
        {
            "la": "E08000025,E08000026",
            "x": "health_rank",
            "y": "education_rank",
            "col": "la",
            "thirds": "england",
            "area": "E01008881",
        },
    )
    assert at.title[0].value == "Systems view: Birmingham and Coventry"
    assert at.sidebar.multiselect(key="systems.las").value == ["E08000025", "E08000026"]
    assert at.sidebar.selectbox(key="systems.x").value == "health_rank"
    assert at.sidebar.selectbox(key="systems.area").value == "E01008881"
    assert at.query_params["col"] == "la" and at.query_params["area"] == "E01008881"
    html = _html(at)
    assert html.count('class="pm-bv-cell"') == 9 and "Thirds of England" in html
    assert "Birmingham" in html and "Coventry" in html  # the colour key lists the LAs
    assert any("Correlation is not causation" in w.value for w in at.warning)
    assert any("most deprived third on both" in m.value for m in at.markdown)


def test_systems_view_opens_on_the_place_chosen_in_the_map_explorer():
    at = AppTest.from_file(APP, default_timeout=240)
    at.run()
    at.selectbox(key="map.la").set_value("E08000003").run()
    at.switch_page(f"{PAGES}/systems.py")
    at.query_params.clear()
    at.run()
    assert not at.exception
    assert at.title[0].value == "Systems view: Manchester"


def test_systems_view_bad_link_values_fall_back_with_a_visible_note():
    at = _open(f"{PAGES}/systems.py", {"v": "2015", "la": "Gotham", "x": "nope"})
    assert at.title[0].value == "Systems view: Blackpool"
    note = at.info[0].value
    assert "IoD2025 and IoD2019" in note and "Gotham" in note and "x axis" in note


def test_priority_finder_deep_link_rescales_weights_and_counts_the_overlap():
    at = _open(
        f"{PAGES}/priorities.py",
        {
            "la": "E06000009",
            "doms": "income,employment,education,health",
            "pct": "10",
            "n": "3",
            "w": "10,10,10,10,10,10,10",
            "show": "composite",
        },
    )
    assert at.title[0].value == "Priority finder: Blackpool"
    assert at.sidebar.radio(key="priority.show").value == "composite"
    assert any("The weights add up to 70%" in w.value for w in at.warning)
    assert [m.value for m in at.metric][:2] == ["29", "41,771"]  # LSOAs and population covered
    assert "Composite index at the chosen weights" in _html(at)
    assert at.query_params["w"] == "10,10,10,10,10,10,10"


def test_priority_finder_refuses_all_zero_weights_with_a_clear_message():
    at = _open(f"{PAGES}/priorities.py", {"la": "E06000009", "show": "stability"})
    for domain in ("income", "employment", "education", "health", "crime", "barriers", "environment"):
        at.sidebar.slider(key=f"priority.w.{domain}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("At least one domain needs a weight above zero" in e.value for e in at.error)
    at.sidebar.button(key="priority.reset").click().run()
    assert not at.error and at.sidebar.slider(key="priority.w.income").value == 22.5


def test_hot_spot_deep_link_on_an_la_set_with_an_island():
    at = _open(f"{PAGES}/hotspots.py", {"la": "E06000052,E06000053", "stat": "lisa", "perm": "99", "alpha": "0.05"})
    assert at.title[0].value == "Hot spots: Cornwall and Isles of Scilly"
    assert any("no neighbour in the place (islands)" in i.value for i in at.info)
    html = _html(at)
    assert "High-high" in html and "Not tested: no neighbour in the place (island) (1)" in html
    assert at.dataframe[0].value.shape[0] == 337


def test_hot_spot_bad_link_values_fall_back_with_a_visible_note():
    at = _open(f"{PAGES}/hotspots.py", {"la": "E06000009", "stat": "gi", "alpha": "0.5", "perm": "99"})
    assert "significance level must be one of" in at.info[0].value
    assert at.sidebar.select_slider(key="hotspots.alpha").value == 0.05
    assert "Getis-Ord Gi* hot and cold spots" in _html(at)


def test_the_place_travels_between_these_pages_unless_the_map_explorer_changed_it():
    at = _open(f"{PAGES}/systems.py", {"la": "E08000025,E08000026"})
    at.switch_page(f"{PAGES}/hotspots.py")
    at.query_params.clear()  # the sidebar's page links carry no query parameters
    at.run()
    assert at.title[0].value == "Hot spots: Birmingham and Coventry"
    at.switch_page(f"{PAGES}/map.py").run()
    if at.sidebar.radio(key="map.place").value != "la":  # the two LAs arrived as "several LAs"
        at.sidebar.radio(key="map.place").set_value("la").run()
    at.selectbox(key="map.la").set_value("E08000003").run()
    at.switch_page(f"{PAGES}/priorities.py")
    at.query_params.clear()
    at.run()
    assert not at.exception and at.title[0].value == "Priority finder: Manchester"
