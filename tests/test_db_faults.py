"""The database goes away mid-workshop: nothing is dropped silently, and saving resumes."""

import os
import pwd
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.community import notes
from placemap.community.notes import validate_note
from placemap.storage import community, store
from placemap.ui import cache, state

from .conftest import PostgresCluster

ROOT = Path(__file__).resolve().parents[1]

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture
def cluster():
    c = PostgresCluster()
    c.start()
    yield c
    try:
        c.stop()
    finally:
        c.remove()


def _note(text: str):
    return validate_note("idea", text, "Sam", "point", 53.81, -3.05)


def test_postgresql_stopped_mid_workshop_then_back(cluster):
    url = store.database_url({"DATABASE_URL": cluster.url})
    db = store.open_store(url)
    workshop = community.create_workshop(db, "Stopped server", "E06000009")
    community.add_note(db, workshop, _note("before the outage"))

    cluster.stop()
    with pytest.raises(store.StoreError, match="Could not") as failure:
        community.add_note(db, workshop, _note("during the outage"))
    assert "secret" not in str(failure.value)  # the message is for people, without credentials

    cluster.start()
    community.add_note(db, workshop, _note("after the outage"))  # the same store reconnects
    texts = [n.text for n in community.list_notes(db, workshop)]
    db.close()
    assert sorted(texts) == ["after the outage", "before the outage"]  # nothing lost, nothing doubled


def test_notes_saved_before_a_restart_are_there_after_it(tmp_path):
    # A "restart" is a new process opening the same database: nothing is kept in memory only.
    url = f"sqlite:///{tmp_path / 'workshop.db'}"
    first = store.open_store(url)
    workshop = community.create_workshop(first, "Restart", "E06000009")
    for i in range(5):
        community.add_note(first, workshop, _note(f"note {i}"))
    first.close()
    second = store.open_store(url)
    reopened = community.get_workshop(second, workshop.share_id)
    assert sorted(n.text for n in community.list_notes(second, reopened)) == [f"note {i}" for i in range(5)]
    second.close()


# --- An SQLite file made read-only -------------------------------------------------------
# Root ignores file permissions, so as root the test does what a server account would see: the
# app runs as the unprivileged user ``nobody`` (effective user and group ids, dropped around each
# step and taken back) while the operator, root, changes the file's mode between the steps.


@contextmanager
def _as_server_account():
    """Run the block as ``nobody`` when the tests run as root (otherwise the user is unprivileged already)."""
    if os.geteuid() != 0:
        yield
        return
    nobody = pwd.getpwnam("nobody")
    groups = os.getgroups()
    os.setgroups([])
    os.setegid(nobody.pw_gid)
    os.seteuid(nobody.pw_uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
        os.setgroups(groups)


@contextmanager
def _code_reachable_by_the_server_account():
    """Let ``nobody`` reach this checkout (search permission on its folders), as a server account reads its code.

    A checkout cloned under a private folder (``mktemp -d`` makes one 0700) is out of reach of any
    other account; the pages read ``app.py``, ``views/`` and ``migrations/`` at run time. Only the
    search bit (o+x) is added, only where missing, and it is put back afterwards; nothing is made
    readable that was not already.
    """
    changed = []
    if os.geteuid() == 0:
        for folder in [ROOT, *ROOT.parents]:
            mode = folder.stat().st_mode
            if not mode & 0o001:
                folder.chmod(mode | 0o001)
                changed.append((folder, mode))
    try:
        yield
    finally:
        for folder, mode in changed:
            folder.chmod(mode)


@pytest.fixture
def server_folder():
    # Not under pytest's tmp folder, which only root may enter.
    folder = Path(tempfile.mkdtemp(prefix="placemap-ro-"))
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    with _code_reachable_by_the_server_account():
        yield folder
    cache.load_store.clear()
    shutil.rmtree(folder, ignore_errors=True)


def _run_page(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update(params)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _add_note(at: AppTest, text: str) -> None:
    at.session_state[state.WS_PIN] = {"lat": 53.8, "lng": -3.04, "area": None}
    at.radio(key=state.W_WS_PIN_KIND).set_value(notes.PIN_POINT)
    at.text_area(key=state.W_WS_TEXT).input(text)
    _press_add_my_note(at)


def _press_add_my_note(at: AppTest) -> None:
    at.button[[b.label for b in at.button].index("Add my note")].click().run()
    assert not at.exception, [e.value for e in at.exception]


def _page_html(at: AppTest) -> str:
    return " ".join(str(h.proto.body) for h in at.get("html"))


def _open_the_pages_once_as_root(folder: Path, monkeypatch) -> None:
    # This interpreter's standard library may live in root's home, which nobody cannot read, so
    # the pages run once as root (on another database) to import what they use before the drop.
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(folder / "warm-up.db"))
    db = store.open_store(store.database_url())
    workshop = community.create_workshop(db, "Warm-up", "E06000009")
    db.close()
    _add_note(_run_page("views/workshop.py", {"step": "4", "ws": workshop.share_id}), "warm-up")
    _run_page("views/map.py", {"la": "E06000009", "area": "E01012662"})


@pytest.mark.realdata
def test_sqlite_read_only_then_writable_again(server_folder, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    _open_the_pages_once_as_root(server_folder, monkeypatch)
    path = server_folder / "placemap.db"
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(path))
    with _as_server_account():  # a workshop saves a note while all is well
        first = store.open_store(store.database_url())
        workshop = community.create_workshop(first, "Read-only file", "E06000009")
        community.add_note(first, workshop, _note("before the file was made read-only"))
        first.close()

    path.chmod(0o444)  # the operator: chmod a-w placemap.db; then a server (re)opens it
    with _as_server_account():
        with pytest.raises(PermissionError):
            path.open("r+b").close()  # the fault is real: the server's account cannot write the file
        at = _run_page("views/workshop.py", {"step": "4", "ws": workshop.share_id})
        assert "before the file was made read-only" in _page_html(at)  # saved notes still show
        _add_note(at, "during the read-only spell")
        assert "Your note was NOT saved" in at.error[0].value and "read\\-only" in at.error[0].value
        assert at.text_area(key=state.W_WS_TEXT).value == "during the read-only spell"  # kept in the form
        # The data pages work, the side panel that reads the database included.
        explorer = _run_page("views/map.py", {"la": "E06000009", "area": "E01012662"})
        assert explorer.title[0].value.startswith("Blackpool: ") and not explorer.error
        assert any("No initiative is recorded for this LSOA" in c.value for c in explorer.caption)

    path.chmod(0o644)  # the operator puts it right; the same server saves again, no restart
    with _as_server_account():
        _press_add_my_note(at)  # the participant presses the button again
        assert not at.error, [e.value for e in at.error]
        assert at.text_area(key=state.W_WS_TEXT).value == ""  # saved, so the form is emptied
        assert "during the read-only spell" in _page_html(at)
        db = store.open_store(store.database_url())
        texts = sorted(n.text for n in community.list_notes(db, workshop))
        db.close()
    assert texts == ["before the file was made read-only", "during the read-only spell"]  # nothing lost or doubled
