"""A database failure on the workshop and initiatives pages is said in words; the page keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.community import initiatives as ini
from placemap.community import notes, workshop
from placemap.storage import community, store
from placemap.ui import state

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    s = store.open_store(store.database_url())
    yield s
    s.close()


def _fail(what: str):
    def failing(*_args, **_kwargs):
        raise store.StoreError(f"Could not {what} (the test database): disk I/O error")

    return failing


def _open(page: str, params: dict, facilitator: bool = False, participant: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(params)
    if participant:
        at.session_state[state.WS_PARTICIPANT] = participant
    if facilitator:
        at.session_state[state.WS_FACILITATOR] = workshop.authorise("passcode-for-tests", "passcode-for-tests")
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in [*at.error, *at.warning])


def test_unreadable_scores_are_said_in_words_and_the_story_goes_on(db, monkeypatch):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    monkeypatch.setattr(community, "list_scores", _fail("read the scores"))
    at = _open("views/workshop.py", {"step": "4", "ws": ws.share_id})
    assert "The scores cannot be read: Could not read the scores" in _errors(at)
    assert at.title[0].value == "4. What people told us: Blackpool"
    assert at.text_area(key=state.W_WS_TEXT).label.startswith("Your note")  # the note form is still there


def test_exports_that_cannot_be_read_say_so_and_dot_voting_still_shows(db, monkeypatch):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    community.add_priority(db, workshop.authorise("passcode-for-tests", "passcode-for-tests"), ws, "Buses")
    monkeypatch.setattr(community, "list_scores", _fail("read the scores"))
    at = _open("views/workshop.py", {"step": "5", "ws": ws.share_id})
    assert "The exports cannot be made just now" in _errors(at)
    assert any("Buses" in m.value for m in at.markdown)


def test_a_vote_that_cannot_be_taken_back_is_said_in_words(db, monkeypatch):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    community.add_priority(db, workshop.authorise("passcode-for-tests", "passcode-for-tests"), ws, "Buses")
    ((priority_id, _),) = community.list_priorities(db, ws)
    community.cast_vote(db, ws, "participant-in-test", priority_id)
    at = _open("views/workshop.py", {"step": "5", "ws": ws.share_id}, participant="participant-in-test")
    monkeypatch.setattr(community, "withdraw_vote", _fail("take the vote back"))
    at.button[[b.label for b in at.button].index("− Undo")].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Your vote was not taken back: Could not take the vote back" in _errors(at)
    assert sum(community.vote_counts(db, ws).values()) == 1  # the vote is still counted


def test_moderating_a_note_while_the_database_fails_changes_nothing_and_says_so(db, monkeypatch):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    community.add_note(db, ws, notes.validate_note("idea", "More benches", None, "point", 53.8, -3.04))
    monkeypatch.setattr(community, "delete_note", _fail("delete the note"))
    at = _open("views/workshop.py", {"step": "4", "ws": ws.share_id}, facilitator=True)
    at.button(key="ws.mod_delete").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "That was not done: Could not delete the note" in _errors(at)
    assert [n.text for n in community.list_notes(db, ws)] == ["More benches"]


def test_removing_an_initiative_while_the_database_fails_says_so(db, monkeypatch):
    community.save_initiative(
        db, ini.Initiative(name="Warm Homes", lead_org="Blackpool Council", area_codes=("E01012662",))
    )
    monkeypatch.setattr(community, "delete_initiative", _fail("delete the initiative"))
    at = _open("views/initiatives.py", {}, facilitator=True)
    at.button(key="init.remove").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Not removed: Could not delete the initiative" in _errors(at)
    assert at.dataframe[0].value["Initiative"].tolist() == ["Warm Homes"]
