"""Who may write what, page by page, in AppTest: every write path for each role and for anonymous sessions.

Sign-in is simulated the way Streamlit's own tests do it: ``at.secrets`` carries an ``[auth]``
section (so the app knows sign-in is configured) and ``at.user`` the identity the provider
returned. The real login against an OpenID Connect provider is tests/e2e/test_sign_in_browser.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from placemap.community import initiatives as ini
from placemap.community import notes, workshop
from placemap.data.catalogue import DEFAULT_LA
from placemap.storage import community, store, upload_store
from placemap.uploads.table import ColumnSpec, UploadedTable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "placemap",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ROLES = {"editors": ["@council.gov.uk"], "moderators": ["mo@council.gov.uk"]}
EDITOR, MODERATOR, VIEWER = "ed@council.gov.uk", "mo@council.gov.uk", "eve@elsewhere.org"
# Who is using the page: (sign-in configured?, signed-in address or None).
WHO = {
    "anonymous": (False, None),  # no sign-in configured: today's behaviour
    "signed_out": (True, None),
    "viewer": (True, VIEWER),
    "editor": (True, EDITOR),
    "moderator": (True, MODERATOR),
}
MAY_EDIT = {"anonymous": True, "signed_out": False, "viewer": False, "editor": True, "moderator": True}
BLACKPOOL_LSOAS = ["E01012662", "E01012663", "E01012664"]


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PLACEMAP_FACILITATOR_PASSCODE", raising=False)
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    s = store.open_store(store.database_url())
    yield s
    s.close()


def _app(who: str, page: str, params: dict | None = None) -> AppTest:
    configured, email = WHO[who]
    at = AppTest.from_file(APP, default_timeout=180)
    if configured:
        at.secrets["auth"] = AUTH
        at.secrets["placemap"] = {"roles": ROLES}
        at.user = {"is_logged_in": email is not None, **({"email": email} if email else {})}
    at.query_params.update(params or {})
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _keys(at: AppTest, kind: str) -> set[str]:
    return {w.key for w in at.get(kind) if getattr(w, "key", None)}


def _table(name: str) -> UploadedTable:
    values = pd.DataFrame({"v": [1.0, 2.0]}, index=pd.Index(BLACKPOOL_LSOAS[:2], name="area_code"))
    return UploadedTable("x", name, "Council", "lsoa21", values, [ColumnSpec("v", "V")])


def _save(db, name: str, owner: str | None) -> str:
    t = _table(name)
    return upload_store.save_upload(db, "indicators", t.name, t.source, t.to_payload(), "lsoa21", 2, owner=owner)


def _text(at: AppTest) -> str:
    parts = [m.value for m in (*at.markdown, *at.caption, *at.info)]
    return " ".join(parts) + " ".join(str(b.proto.url) for b in at.get("link_button"))


# --------------------------------------------------------------------------- sidebar


def test_the_sidebar_offers_sign_in_only_where_it_is_configured_and_names_the_role(db):
    assert "access.sign_in" not in _keys(_app("anonymous", "views/about.py"), "button")
    assert "access.sign_in" in _keys(_app("signed_out", "views/about.py"), "button")
    at = _app("editor", "views/about.py")
    assert "access.sign_out" in _keys(at, "button")
    assert any("ed@council\\.gov\\.uk" in c.value and "(editor)" in c.value for c in at.sidebar.caption)


def test_a_misconfigured_roles_list_is_said_and_nobody_can_write(db):
    at = AppTest.from_file(APP, default_timeout=180)
    at.secrets["auth"] = AUTH
    at.secrets["placemap"] = {"roles": {"editors": ["council.gov.uk"]}}
    at.user = {"is_logged_in": True, "email": EDITOR}
    at.switch_page("views/initiatives.py").run()
    assert not at.exception
    assert any("Roles are misconfigured" in e.value for e in at.sidebar.error)
    assert not any(f.proto.form_id == "init.form" for f in at.get("form_submit_button"))


# --------------------------------------------------------------------------- uploads


@pytest.mark.parametrize("who", list(WHO))
def test_saving_an_upload_to_the_database_is_offered_only_to_editors(db, who):
    at = _app(who, "views/upload.py")
    rows = ["lsoa21cd,referrals"] + [f"{c},{i}" for i, c in enumerate(BLACKPOOL_LSOAS)]
    at.file_uploader(key="upload.table").upload("r.csv", "\n".join(rows).encode(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    assert ("upload.save" in _keys(at, "checkbox")) is MAY_EDIT[who]
    if MAY_EDIT[who]:
        at.checkbox(key="upload.save").check()
        at.text_area(key="upload.source").input("Council, 2025")
        at.get("form_submit_button")[0].click().run()
        assert not at.exception, [e.value for e in at.exception]
        [saved] = upload_store.list_uploads(db)
        _configured, email = WHO[who]
        assert saved.created_by == (f"user:{email}" if email else f"session:{at.session_state['ws.participant']}")
    else:
        assert upload_store.list_uploads(db) == []
        assert "sign in" in _text(at).lower() or "needs the editor role" in _text(at)


@pytest.mark.parametrize("who", list(WHO))
def test_saved_uploads_are_listed_and_deletable_only_by_their_owner_or_a_moderator(db, who):
    mine = _save(db, "Editor's table", f"user:{EDITOR}")
    theirs = _save(db, "Someone else's table", "user:other@council.gov.uk")
    at = _app(who, "views/upload.py")
    delete_keys = {k for k in _keys(at, "button") if k.startswith("upload.delete.")}
    expected = {
        "moderator": {mine, theirs},
        "editor": {mine},
    }.get(who, set())
    assert delete_keys == {f"upload.delete.{s}" for s in expected}
    shown = _text(at)
    for share_id in (mine, theirs):
        assert (share_id in shown) is (share_id in expected), share_id  # others' share ids are not listed
    if expected:
        at.button(key=f"upload.delete.{mine}").click().run()
        assert not at.exception
        assert upload_store.get_upload(db, mine) is None
    assert upload_store.get_upload(db, theirs) is not None or who == "moderator"


def test_without_sign_in_a_session_deletes_what_it_saved_but_not_a_strangers_upload(db):
    at = AppTest.from_file(APP, default_timeout=180)
    at.switch_page("views/upload.py").run()
    own = _save(db, "Mine", f"session:{at.session_state['ws.participant']}")
    stranger = _save(db, "A stranger's", "session:someone-else")
    at.run()
    assert _keys(at, "button") >= {f"upload.delete.{own}"}
    assert f"upload.delete.{stranger}" not in _keys(at, "button") and stranger not in _text(at)
    at.button(key=f"upload.delete.{own}").click().run()
    assert upload_store.get_upload(db, own) is None and upload_store.get_upload(db, stranger) is not None


def test_the_about_page_hides_other_peoples_share_ids(db):
    theirs = _save(db, "Someone else's table", "user:other@council.gov.uk")
    for who, shown in (("editor", False), ("moderator", True), ("anonymous", False)):
        at = _app(who, "views/about.py")
        tables = " ".join(d.value.to_csv() for d in at.dataframe)
        assert "Someone else's table" in tables and (theirs in tables) is shown, who


# --------------------------------------------------------------------------- initiatives


@pytest.mark.parametrize("who", list(WHO))
def test_recording_and_removing_initiatives_follow_the_role(db, who):
    community.save_initiative(
        db,
        ini.Initiative(
            name="Warm spaces",
            lead_org="Council",
            domains=("health",),
            area_codes=(BLACKPOOL_LSOAS[0],),
            status="active",
        ),
    )
    at = _app(who, "views/initiatives.py", {})
    assert at.session_state["init.la"] == DEFAULT_LA
    has_form = any(b.proto.form_id == "init.form" for b in at.get("form_submit_button"))
    assert has_form is MAY_EDIT[who]
    assert ("init.remove" in _keys(at, "button")) is (who == "moderator")
    if who == "moderator":
        at.button(key="init.remove").click().run()
        assert not at.exception
        assert community.list_initiatives(db) == []
        from placemap.storage import audit

        assert audit.list_changes(db)["Who"].iloc[0] == MODERATOR


def test_the_passcode_still_unlocks_removal_without_sign_in(db, monkeypatch):
    monkeypatch.setenv("PLACEMAP_FACILITATOR_PASSCODE", "a-long-enough-passcode")
    community.save_initiative(
        db,
        ini.Initiative(
            name="Warm spaces",
            lead_org="Council",
            domains=("health",),
            area_codes=(BLACKPOOL_LSOAS[0],),
            status="active",
        ),
    )
    at = _app("anonymous", "views/initiatives.py")
    assert "init.remove" not in _keys(at, "button")
    at.text_input(key="ws.passcode.init").input("a-long-enough-passcode")
    next(b for b in at.get("form_submit_button") if b.proto.form_id == "ws.passcode_form.init").click().run()
    at.button(key="init.remove").click().run()
    assert community.list_initiatives(db) == []
    from placemap.storage import audit

    assert audit.list_changes(db)["Who"].iloc[0] == "passcode holder"


def test_the_passcode_does_not_unlock_moderation_once_sign_in_is_configured(db, monkeypatch):
    monkeypatch.setenv("PLACEMAP_FACILITATOR_PASSCODE", "a-long-enough-passcode")
    community.save_initiative(
        db,
        ini.Initiative(
            name="Warm spaces",
            lead_org="Council",
            domains=("health",),
            area_codes=(BLACKPOOL_LSOAS[0],),
            status="active",
        ),
    )
    at = _app("editor", "views/initiatives.py")
    assert not any("passcode" in t.label.lower() for t in at.text_input)
    assert "init.remove" not in _keys(at, "button")


# --------------------------------------------------------------------------- interventions


@pytest.mark.parametrize("who", ["anonymous", "signed_out", "viewer", "editor"])
def test_saving_an_intervention_is_offered_only_to_editors(db, who):
    at = _app(who, "views/evaluate.py")
    assert ("eval.save" in _keys(at, "button")) is MAY_EDIT[who]


# --------------------------------------------------------------------------- workshops


@pytest.mark.parametrize("who", list(WHO))
def test_starting_a_workshop_needs_an_editor(db, who):
    at = _app(who, "views/workshop.py")
    assert any(b.proto.form_id == "ws.new" for b in at.get("form_submit_button")) is MAY_EDIT[who]


@pytest.mark.parametrize("who", list(WHO))
def test_anyone_adds_a_note_but_only_a_moderator_hides_or_deletes_one(db, who):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    note_id = community.add_note(db, ws, notes.validate_note("idea", "More benches", "", "point", 53.8, -3.05, None))
    at = _app(who, "views/workshop.py", {"ws": ws.share_id, "la": "E06000009", "step": "4"})
    assert any(b.proto.form_id == "ws.note_form" for b in at.get("form_submit_button"))  # open to all
    moderates = who == "moderator"
    assert ("ws.mod_delete" in _keys(at, "button")) is moderates
    if moderates:
        at.button(key="ws.mod_hide").click().run()
        assert community.list_notes(db, ws) == [] and community.list_notes(db, ws, include_hidden=True)
        at.button(key="ws.mod_delete").click().run()
        assert community.list_notes(db, ws, include_hidden=True) == []
        from placemap.storage import audit

        assert audit.list_changes(db)[["Who", "Action"]].values.tolist()[:2] == [
            [MODERATOR, "delete"],
            [MODERATOR, "hide"],
        ]
    else:
        assert [n.id for n in community.list_notes(db, ws)] == [note_id]


@pytest.mark.parametrize("who", list(WHO))
def test_only_a_moderators_export_includes_hidden_notes(db, who, monkeypatch):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    shown = community.add_note(db, ws, notes.validate_note("idea", "More benches", "", "point", 53.8, -3.05, None))
    hidden = community.add_note(db, ws, notes.validate_note("concern", "Rude words", "", "point", 53.8, -3.05, None))
    community.set_note_hidden(db, workshop.authorise("a-long-enough", "a-long-enough"), ws, hidden)
    exported: list[list[int]] = []
    real_csv = notes.notes_csv
    monkeypatch.setattr(notes, "notes_csv", lambda ns, name: exported.append([n.id for n in ns]) or real_csv(ns, name))
    _app(who, "views/workshop.py", {"ws": ws.share_id, "la": "E06000009", "step": "5"})
    assert exported[-1] == ([shown, hidden] if who == "moderator" else [shown])


@pytest.mark.parametrize("who", ["viewer", "moderator"])
def test_the_change_log_is_shown_to_moderators_only(db, who):
    community.create_workshop(db, "Bispham", "E06000009", by=EDITOR)
    at = _app(who, "views/about.py")
    logs = [d.value for d in at.dataframe if "Who" in d.value.columns]
    assert (len(logs) == 1 and logs[0]["Who"].tolist() == [EDITOR]) is (who == "moderator")
