"""The Draw an area page in AppTest on the real data: a drawing becomes a place, is saved, and its link reopens it."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.community.roles import Actor, Role
from placemap.storage import drawn_areas, store
from placemap.ui import draw_controls

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "views/draw.py"
pytestmark = pytest.mark.realdata
# A box over central Blackpool; its western edge is out at sea.
BLACKPOOL_BOX = {
    "type": "Feature",
    "properties": {},
    "geometry": {
        "type": "Polygon",
        "coordinates": [[[-3.06, 53.81], [-3.03, 53.81], [-3.03, 53.83], [-3.06, 53.83], [-3.06, 53.81]]],
    },
}
EDITOR = Actor("user:ed@council.gov.uk", "ed@council.gov.uk", Role.EDITOR, signed_in=True)


@pytest.fixture(autouse=True)
def _temporary_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    monkeypatch.delenv("DATABASE_URL", raising=False)


def _page(params: dict | None = None, drawing: list | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    if params:
        at.query_params.update(params)
    if drawing is not None:
        # What streamlit-folium's change callback leaves after the polygon tool is used.
        at.session_state[draw_controls.map_key("E06000009", None, "none")] = {"all_drawings": drawing}
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at, kind: str) -> str:
    return " ".join(str(x.value) for x in getattr(at, kind))


def test_a_drawing_shows_its_lsoas_and_measures_and_saves_to_a_link_that_reopens_it():
    at = _page(drawing=[BLACKPOOL_BOX])
    assert "lies off England's LSOAs" in _texts(at, "info")  # the sea to the west was left out
    assert any("Your area: summary measures (IoD2025)" in s.value for s in at.subheader)
    sentence = next(m.value for m in at.markdown if "population-weighted average rank" in m.value)
    assert "of 33,755" in sentence
    at.text_input(key=draw_controls.W_NAME).input("Central <b>Blackpool</b>").run()
    at.button(key="draw.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    place = at.query_params["place"]
    place = place[0] if isinstance(place, list) else place
    assert place.startswith("drawn:")
    assert "Saved. Anyone with this link can open it" in _texts(at, "success")

    share_id = place.removeprefix("drawn:")
    reopened = _page({"place": place, "v": "2025"})
    assert reopened.header[0].value == r"Central \<b\>Blackpool\</b\>"  # escaped: shown as typed, not as HTML
    assert sentence.replace("Your area", "") in _texts(reopened, "markdown")  # the same summary
    db = store.open_store(store.database_url())
    try:
        assert drawn_areas.drawn_area_lsoas(db, share_id, "lsoa21")  # the resolver other pages use
        assert drawn_areas.drawn_area_lsoas(db, share_id, "lsoa11")
    finally:
        db.close()


def test_a_saved_area_opens_from_its_link_on_an_older_edition():
    db = store.open_store(store.database_url())
    try:
        share_id = drawn_areas.save_drawn_area(
            db,
            EDITOR,
            "Claremont & Bloomfield",
            BLACKPOOL_BOX["geometry"],
            {"lsoa11": [("E01012662", 1.0, True)], "lsoa21": [("E01012662", 1.0, True), ("E01012663", 0.3, False)]},
            la_code="E06000009",
        )
    finally:
        db.close()
    at = _page({"place": f"drawn:{share_id}", "v": "2019"})
    assert any("Claremont" in h.value for h in at.header)
    assert any("summary measures (IoD2019)" in s.value for s in at.subheader)
    assert any("1 counted, 1 overlapped" in s.value for s in at.subheader)


@pytest.mark.parametrize(
    ("place", "says"),
    [("drawn:../../etc", "is not a drawn area's link"), ("drawn:NoSuchAreaAtAll1", "No saved area has this link")],
)
def test_a_bad_or_unknown_link_gets_a_plain_note_and_the_drawing_map(place, says):
    at = _page({"place": place})
    assert says in _texts(at, "info") + _texts(at, "warning")
    assert "Nothing is drawn yet" in _texts(at, "info")


def test_a_point_drawn_instead_of_an_area_is_refused_in_plain_words():
    point = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-3.05, 53.82]}}
    at = _page(drawing=[point])
    assert "Only areas can be used" in _texts(at, "error")
    assert not any(b.key == "draw.save" for b in at.button)
