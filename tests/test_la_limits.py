"""One limit on local authorities per page, stated in the sidebar."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from placemap.links import explorer_links, systems_links

ROOT = Path(__file__).resolve().parents[1]
CODES = [f"E0{8000000 + i}" for i in range(1, 16)]  # 15 made-up LA codes
OPTIONS = {2025: {c: f"LA {i}" for i, c in enumerate(CODES)}}


def test_the_map_explorer_keeps_fifteen_las_from_a_link_under_its_limit_of_forty():
    view, notes = explorer_links.parse_view({"la": ",".join(CODES)}, OPTIONS)
    assert explorer_links.MAX_LAS == 40
    assert view.las == tuple(CODES) and not notes


def test_the_systems_pages_cut_fifteen_las_to_their_limit_of_ten_and_say_so():
    _year, las, notes = systems_links.parse_place({"la": ",".join(CODES)}, OPTIONS, (2025,))
    assert systems_links.MAX_PAGE_LAS == 10
    assert las == tuple(CODES[:10])
    assert any("up to 10" in n for n in notes)


def test_each_page_states_its_own_limit_in_the_sidebar():
    at = AppTest.from_file(str(ROOT / "views" / "map.py"), default_timeout=120)
    at.query_params["la"] = "E08000003,E08000006"
    at.run()
    assert not at.exception
    assert any("up to 40" in m.label for m in at.sidebar.multiselect)
    at = AppTest.from_file(str(ROOT / "views" / "systems.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert any("up to 10" in m.label for m in at.sidebar.multiselect)
