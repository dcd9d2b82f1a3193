"""The workshop and initiatives pages in AppTest on the real data."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.community import notes
from placemap.storage import community, store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    s = store.open_store(store.database_url())
    yield s
    s.close()


def _open(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(params)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: AppTest) -> str:
    return " ".join(str(h.proto.body) for h in at.get("html"))


def test_workshop_deep_link_opens_the_big_screen_layout_on_that_step(db):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    at = _open("views/workshop.py", {"mode": "workshop", "step": "4", "ws": ws.share_id})
    assert at.title[0].value == "4. What people told us: Blackpool"
    css = _html(at)
    assert "font-size: 26px" in css and '[data-testid="stSidebar"]' in css and "display: none" in css
    assert at.query_params["mode"] == "workshop" and at.query_params["step"] == "4"
    at.button(key="ws.next").click().run()
    assert at.title[0].value == "5. Our priorities: Blackpool" and at.query_params["step"] == "5"


def test_a_hostile_note_shows_as_text_in_the_workshop_list(db):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    community.add_note(db, ws, notes.validate_note("idea", "<img src=x onerror=alert(1)>", None, "point", 53.8, -3.04))
    at = _open("views/workshop.py", {"step": "4", "ws": ws.share_id})
    html = _html(at)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img src=x" not in html


def test_without_a_database_the_story_still_works_and_says_saving_is_unavailable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u:secret@127.0.0.1:1/placemap")
    at = _open("views/workshop.py", {"step": "2", "la": "E08000003"})
    assert at.title[0].value == "2. How it compares with England: Manchester"
    assert "Saving is unavailable" in at.error[0].value and "secret" not in at.error[0].value
    assert at.dataframe[0].value.shape[0] == 8  # IMD and the seven domains


def test_a_note_submitted_without_a_pin_is_not_saved_and_the_user_is_told(db):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    at = _open("views/workshop.py", {"step": "4", "ws": ws.share_id})
    at.text_area(key="ws.text").input("More benches")
    at.button[[b.label for b in at.button].index("Add my note")].click().run()
    assert "not saved yet: Click the map" in at.warning[0].value
    assert community.list_notes(db, ws) == []


def test_initiatives_page_lists_and_maps_the_register(db):
    from placemap.community import initiatives as ini

    community.save_initiative(
        db, ini.Initiative(name="Warm Homes", lead_org="Blackpool Council", area_codes=("E01012662",))
    )
    at = _open("views/initiatives.py", {})
    assert at.dataframe[0].value["Initiative"].tolist() == ["Warm Homes"]


def test_mode_workshop_on_the_apps_own_address_opens_the_workshop_screen():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=120)
    at.query_params.update({"mode": "workshop", "la": "E06000009"})
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["1. Our place: Blackpool"]  # the workshop story, not the map explorer
