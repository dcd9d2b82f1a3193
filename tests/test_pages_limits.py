"""Limits hold per client across sessions: a reload (a new AppTest, same client) does not reset them."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.community import ratelimit
from placemap.storage import community, store, upload_store
from placemap.ui import client, state

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PASSCODE = "right-passcode-123"
PIN = {"lat": 53.8166, "lng": -3.0464, "area": "E01012662"}  # in Blackpool
pytestmark = pytest.mark.realdata


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    monkeypatch.setenv("PLACEMAP_FACILITATOR_PASSCODE", PASSCODE)
    s = store.open_store(store.database_url())
    yield s
    s.close()


@pytest.fixture(autouse=True)
def limiter():
    """The server's limiter, empty and on a clock that stands still (so a lock-out does not run out mid-test)."""
    shared = client.limiter()
    shared.clear()
    real_clock, shared.clock = shared.clock, ratelimit.FakeClock()
    yield shared
    shared.clear()
    shared.clock = real_clock


def _client_key() -> str:
    """What the pages see as the client in AppTest: its peer is a stand-in, not an address, so the shared key."""
    return ratelimit.UNKNOWN_CLIENT


def _use_up(limiter: ratelimit.RateLimiter, action: str, leave: int = 1) -> None:
    """Use all but ``leave`` of this client's tightest allowance for ``action``."""
    tightest = min(limit.count for limit in ratelimit.ACTIONS[action].limits)
    for _ in range(tightest - leave):
        assert limiter.hit(_client_key(), action) is None


def _session(page: str, params: dict) -> AppTest:
    """A new browser session (a reload) from the same client."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(params)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _add_note(at: AppTest, text: str) -> None:
    at.session_state[state.WS_PIN] = dict(PIN)
    at.text_area(key=state.W_WS_TEXT).input(text)
    at.button(key=state.W_WS_SUBMIT).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_reload_does_not_reset_the_note_limit_and_the_refused_note_stays_in_the_form(db, limiter):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    _use_up(limiter, "note", leave=1)
    first = _session("views/workshop.py", {"step": "4", "ws": ws.share_id})
    _add_note(first, "More benches on the prom")
    assert [n.text for n in community.list_notes(db, ws)] == ["More benches on the prom"]
    again = _session("views/workshop.py", {"step": "4", "ws": ws.share_id})  # the reload
    _add_note(again, "A second note after reloading")
    warnings = " ".join(w.value for w in again.warning)
    assert "not saved yet: Too many notes from your network: at most 30 a minute. Try again in" in warnings
    assert again.text_area(key=state.W_WS_TEXT).value == "A second note after reloading"
    assert len(community.list_notes(db, ws)) == 1


def _try_passcode(at: AppTest, given: str) -> None:
    at.sidebar.text_input(key=state.W_WS_PASSCODE).input(given)
    at.sidebar.button[[b.label for b in at.sidebar.button].index("Unlock facilitator controls")].click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_wrong_passcodes_lock_out_the_client_and_a_reload_does_not_unlock_it(db, limiter):
    first = _session("views/workshop.py", {"step": "2"})
    for _ in range(ratelimit.PASSCODE_FREE_TRIES + 2):
        limiter.clock.advance(ratelimit.PASSCODE_MAX_DELAY)  # wait out the last lock-out
        _try_passcode(first, "a-guess-000")
        assert "not right" in first.sidebar.error[0].value
    again = _session("views/workshop.py", {"step": "2"})  # the reload
    _try_passcode(again, PASSCODE)  # even the right one is not checked while locked out
    assert again.sidebar.error[0].value == "Too many wrong passcodes from your network; try again in 4 seconds."
    assert "Unlock facilitator controls" in [b.label for b in again.sidebar.button]


def test_a_right_passcode_still_unlocks_when_the_client_is_not_locked_out(db):
    at = _session("views/workshop.py", {"step": "2"})
    _try_passcode(at, "a-guess-000")
    _try_passcode(at, PASSCODE)
    assert at.session_state[state.WS_FACILITATOR] is not None
    assert "Leave facilitator mode" in [b.label for b in at.sidebar.button]


def _start_workshop(at: AppTest, name: str) -> None:
    at.sidebar.text_input(key=state.W_WS_NEW_NAME).input(name)
    at.sidebar.button[[b.label for b in at.sidebar.button].index("Start the workshop")].click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_reload_does_not_reset_the_new_workshop_limit_and_the_name_is_kept(db, limiter):
    _use_up(limiter, "workshop", leave=1)
    first = _session("views/workshop.py", {"step": "2"})
    _start_workshop(first, "Bispham")
    assert [w.name for w in community.list_workshops(db)] == ["Bispham"]
    again = _session("views/workshop.py", {"step": "2"})  # the reload
    _start_workshop(again, "Claremont")
    warnings = " ".join(w.value for w in again.sidebar.warning)
    assert "Too many new workshops from your network: at most 3 an hour. Try again in" in warnings
    assert again.sidebar.text_input(key=state.W_WS_NEW_NAME).value == "Claremont"
    assert [w.name for w in community.list_workshops(db)] == ["Bispham"]


def test_a_mistake_in_a_new_workshop_does_not_use_up_the_limit(db, limiter):
    _use_up(limiter, "workshop", leave=1)
    at = _session("views/workshop.py", {"step": "2"})
    _start_workshop(at, "   ")
    assert at.sidebar.warning and "Too many" not in at.sidebar.warning[0].value
    _start_workshop(at, "Bispham")
    assert [w.name for w in community.list_workshops(db)] == ["Bispham"]


def _upload_and_save(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/upload.py").run()
    rows = ["lsoa21cd,referrals", "E01012662,12", "E01012663,11", "E01012664,10"]
    at.file_uploader(key=state.W_UP_TABLE).upload("referrals.csv", "\n".join(rows).encode(), "text/csv").run()
    at.text_input(key=state.W_UP_NAME).input(name)
    at.text_area(key=state.W_UP_SOURCE).input("Blackpool Food Bank, 2025")
    at.checkbox(key=state.W_UP_SAVE).check()
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_reload_does_not_reset_the_saved_upload_limit(db, limiter):
    _use_up(limiter, "saved_upload", leave=1)
    first = _upload_and_save("Referrals 1")
    assert any("Saved. Share it" in s.value for s in first.success)
    again = _upload_and_save("Referrals 2")  # the reload
    errors = " ".join(e.value for e in again.error).replace("\\", "")  # as shown, without markdown escapes
    assert "not saved to the database: Too many saved datasets from your network: at most 10 an hour." in errors
    assert any("Added 1 indicator" in s.value for s in again.success)  # still kept for the session
    assert [u.name for u in upload_store.list_uploads(db)] == ["Referrals 1"]


def _record_initiative(at: AppTest, name: str) -> None:
    fields = {t.label: t for t in at.text_input}
    fields["Name of the initiative"].input(name)
    fields["Lead organisation"].input("Blackpool Council")
    next(m for m in at.multiselect if m.label == "LSOAs covered").select(PIN["area"])
    at.button[[b.label for b in at.button].index("Save the initiative")].click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_reload_does_not_reset_the_new_initiative_limit_and_the_form_is_kept(db, limiter):
    _use_up(limiter, "initiative", leave=1)
    first = _session("views/initiatives.py", {})
    _record_initiative(first, "Warm Homes")
    assert [i.name for i in community.list_initiatives(db)] == ["Warm Homes"]
    again = _session("views/initiatives.py", {})  # the reload
    _record_initiative(again, "Food Club")
    warnings = " ".join(w.value for w in again.warning)
    assert "Not saved: Too many new initiatives from your network: at most 10 an hour. Try again in" in warnings
    assert {t.label: t.value for t in again.text_input}["Name of the initiative"] == "Food Club"
    assert [i.name for i in community.list_initiatives(db)] == ["Warm Homes"]
