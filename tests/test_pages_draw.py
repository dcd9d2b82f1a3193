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
    link = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert link == {"v": "2025", "la": "E06000009"}  # the address now says what is shown


def test_a_point_drawn_instead_of_an_area_is_refused_in_plain_words():
    point = {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [-3.05, 53.82]}}
    at = _page(drawing=[point])
    assert "Only areas can be used" in _texts(at, "error")
    assert not any(b.key == "draw.save" for b in at.button)


# --------------------------------------------------------------------------- who may save and edit

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "placemap",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = {"editors": ["@council.gov.uk"], "moderators": ["mo@council.gov.uk"]}
WHO = {  # (sign-in configured?, signed-in address or None)
    "anonymous": (False, None),
    "signed_out": (True, None),
    "viewer": (True, "eve@elsewhere.org"),
    "editor": (True, "ed@council.gov.uk"),
    "moderator": (True, "mo@council.gov.uk"),
}
MAY_EDIT = {"anonymous": True, "signed_out": False, "viewer": False, "editor": True, "moderator": True}


def _as(who: str, params: dict | None = None, drawing: list | None = None) -> AppTest:
    configured, email = WHO[who]
    at = AppTest.from_file(APP, default_timeout=180)
    if configured:
        at.secrets["auth"] = AUTH
        at.secrets["placemap"] = {"roles": ROLES}
        at.user = {"is_logged_in": email is not None, **({"email": email} if email else {})}
    at.query_params.update(params or {})
    if drawing is not None:
        at.session_state[draw_controls.map_key("E06000009", None, "none")] = {"all_drawings": drawing}
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("who", list(WHO))
def test_saving_and_editing_a_drawn_area_are_offered_only_to_editors(who):
    drawn = _as(who, drawing=[BLACKPOOL_BOX])
    assert any(s.value.startswith("Your area: summary measures") for s in drawn.subheader)  # everyone sees it
    assert any(b.key == "draw.save" for b in drawn.button) is MAY_EDIT[who]
    db = store.open_store(store.database_url())
    try:
        share_id = drawn_areas.save_drawn_area(
            db, EDITOR, "Saved earlier", BLACKPOOL_BOX["geometry"], {"lsoa21": [("E01012662", 1.0, True)]}
        )
    finally:
        db.close()
    opened = _as(who, {"place": f"drawn:{share_id}"})
    assert any(b.key == "draw.update" for b in opened.button) is MAY_EDIT[who]
    if not MAY_EDIT[who]:
        assert "needs a role" in _texts(drawn, "info") and "needs a role" in _texts(opened, "caption")


def test_a_network_over_its_limit_is_told_so_and_nothing_is_saved():
    from placemap.community import ratelimit
    from placemap.ui import client

    limiter = client.limiter()
    limiter.clear()
    for _ in range(min(limit.count for limit in ratelimit.ACTIONS["drawn_area"].limits)):
        assert limiter.hit(ratelimit.UNKNOWN_CLIENT, "drawn_area") is None
    try:
        at = _page(drawing=[BLACKPOOL_BOX])
        at.text_input(key=draw_controls.W_NAME).input("One too many").run()
        at.button(key="draw.save").click().run()
        assert "Too many saved drawn areas from your network" in _texts(at, "error")
        db = store.open_store(store.database_url())
        try:
            assert drawn_areas.list_drawn_areas(db) == []
        finally:
            db.close()
    finally:
        limiter.clear()


def test_an_editor_renames_and_reshapes_a_saved_area_and_the_link_stays_the_same():
    db = store.open_store(store.database_url())
    try:
        share_id = drawn_areas.save_drawn_area(
            db, EDITOR, "Old name", BLACKPOOL_BOX["geometry"], {"lsoa21": [("E01012662", 1.0, True)]}
        )
    finally:
        db.close()
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"place": f"drawn:{share_id}"})
    at.session_state[f"{draw_controls.W_MAP}.{share_id}.none"] = {"all_drawings": [BLACKPOOL_BOX]}  # reshaped
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    at.text_input(key=draw_controls.W_RENAME).input("New name").run()
    at.button(key="draw.update").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Saved the changes; the link stays the same." in _texts(at, "success")
    db = store.open_store(store.database_url())
    try:
        area = drawn_areas.get_drawn_area(db, share_id)
        assert area.name == "New name" and len(area.members("lsoa21")) > 10 and area.members("lsoa11")
    finally:
        db.close()


def test_a_saved_drawn_area_is_a_place_the_profile_opens_and_the_search_finds():
    db = store.open_store(store.database_url())
    try:
        lsoas = [("E01012662", 1.0, True), ("E01012663", 1.0, True), ("E01012664", 0.2, False)]
        share_id = drawn_areas.save_drawn_area(
            db, EDITOR, "Our streets", BLACKPOOL_BOX["geometry"], {"lsoa11": lsoas, "lsoa21": lsoas}
        )
    finally:
        db.close()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.query_params.update({"place": f"drawn:{share_id}", "v": "2025"})
    at.switch_page("views/profile.py").run()
    assert not at.exception, [e.value for e in at.exception]
    page = " ".join(str(m.value) for m in at.markdown) + _texts(at, "header") + _texts(at, "title")
    assert "Our streets" in page
    assert "2 LSOAs" in page or "two LSOAs" in page, page[:2000]  # the one cut by the edge does not count
    at.sidebar.text_input(key="places.query").input("our str").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Our streets, a drawn area" in str(link.label) for link in at.sidebar.get("page_link"))
