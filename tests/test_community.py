"""Workshops, notes, votes, scores and initiatives against a real SQLite file."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from placemap.community import initiatives as ini
from placemap.community import notes, workshop
from placemap.storage import community, migration, store, tables

PASSCODE = "correct horse battery"


@pytest.fixture
def db(tmp_path: Path):
    s = store.open_store(f"sqlite:///{tmp_path / 'ws.db'}")
    yield s
    s.close()


@pytest.fixture
def ws(db):
    return community.create_workshop(db, "Bispham residents", "E06000009", 3)


def _note(text: str = "Lovely park", category: str = "strength") -> notes.NoteInput:
    return notes.validate_note(category, text, "Ann", "area", 53.81, -3.04, "E01012662")


def test_notes_round_trip_hide_and_delete(db, ws):
    hostile = "<img src=x onerror=alert(1)>"
    first = community.add_note(db, ws, _note())
    second = community.add_note(db, ws, _note(hostile, "concern"))
    again = community.get_workshop(db, ws.share_id)
    assert again is not None and again.name == "Bispham residents" and again.votes_per_person == 3
    listed = community.list_notes(db, again)
    assert [(n.id, n.text, n.first_name, n.area_code) for n in listed] == [
        (first, "Lovely park", "Ann", "E01012662"),
        (second, hostile, "Ann", "E01012662"),
    ]
    facilitator = workshop.authorise(PASSCODE, PASSCODE)
    assert community.set_note_hidden(db, facilitator, ws, first)
    assert [n.id for n in community.list_notes(db, ws)] == [second]
    assert [n.hidden for n in community.list_notes(db, ws, include_hidden=True)] == [True, False]
    assert community.delete_note(db, facilitator, ws, second)
    assert not community.delete_note(db, facilitator, ws, second)
    assert [n.id for n in community.list_notes(db, ws, include_hidden=True)] == [first]


def test_moderation_needs_the_configured_passcode(db, ws):
    note_id = community.add_note(db, ws, _note())
    with pytest.raises(workshop.ModerationError, match="switched off"):
        workshop.authorise(PASSCODE, None)
    with pytest.raises(workshop.ModerationError, match="not right"):
        workshop.authorise("guess", PASSCODE)
    for fake in (None, "facilitator", workshop.Facilitator()):
        with pytest.raises(workshop.ModerationError, match="Only the facilitator"):
            community.delete_note(db, fake, ws, note_id)
        with pytest.raises(workshop.ModerationError):
            community.set_note_hidden(db, fake, ws, note_id)
        with pytest.raises(workshop.ModerationError):
            community.add_priority(db, fake, ws, "More buses")
    assert [n.id for n in community.list_notes(db, ws)] == [note_id]


def test_passcode_comes_from_configuration_and_short_ones_do_not_count():
    assert workshop.configured_passcode({workshop.PASSCODE_ENV: PASSCODE}, {}) == PASSCODE
    assert workshop.configured_passcode({}, {workshop.PASSCODE_SECRET: PASSCODE}) == PASSCODE
    assert workshop.configured_passcode({workshop.PASSCODE_ENV: "12345"}, {}) is None
    assert workshop.configured_passcode({}, None) is None


def test_each_participant_spends_at_most_n_votes(db, ws):
    facilitator = workshop.authorise(PASSCODE, PASSCODE)
    parks = community.add_priority(db, facilitator, ws, "Parks")
    buses = community.add_priority(db, facilitator, ws, "Buses")
    with pytest.raises(workshop.WorkshopError, match="already listed"):
        community.add_priority(db, facilitator, ws, " parks ")
    me, you = tables.new_share_id(), tables.new_share_id()
    assert community.cast_vote(db, ws, me, parks) == 2
    assert community.cast_vote(db, ws, me, parks) == 1
    assert community.cast_vote(db, ws, me, buses) == 0
    with pytest.raises(workshop.WorkshopError, match="used all 3"):
        community.cast_vote(db, ws, me, buses)
    community.cast_vote(db, ws, you, buses)
    assert community.vote_counts(db, ws) == {parks: 2, buses: 2}
    assert community.withdraw_vote(db, ws, me, parks)
    assert community.vote_counts(db, ws, me) == {parks: 1, buses: 1}
    table = workshop.vote_table(community.list_priorities(db, ws), community.vote_counts(db, ws))
    assert table.to_dict("list")["Priority"] == ["Buses", "Parks"]
    assert community.delete_priority(db, facilitator, ws, buses)
    assert community.vote_counts(db, ws) == {parks: 1}


def test_scores_replace_earlier_ones_and_out_of_range_scores_are_refused(db, ws):
    me = tables.new_share_id()
    community.save_scores(db, ws, me, "all", {"feeling_safe": 2, "natural_space": 6})
    community.save_scores(db, ws, me, "all", {"feeling_safe": 4})
    raw = community.list_scores(db, ws)
    assert sorted(zip(raw["theme"], raw["score"], strict=True)) == [("feeling_safe", 4), ("natural_space", 6)]
    for bad in ({"feeling_safe": 0}, {"feeling_safe": 8}, {"feeling_safe": 2.5}, {"nope": 3}, {}):
        with pytest.raises(workshop.WorkshopError):
            community.save_scores(db, ws, me, "all", bad)
    with pytest.raises(workshop.WorkshopError, match="whole place or one LSOA"):
        community.save_scores(db, ws, me, "<script>", {"feeling_safe": 3})
    with db.engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
        # The database itself refuses a score outside 1-7.
        conn.execute(
            tables.workshop_scores.insert().values(
                workshop_id=ws.id,
                participant="x" * 16,
                place="all",
                theme="feeling_safe",
                score=9,
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    assert len(community.list_scores(db, ws)) == 2


def test_initiatives_round_trip_and_delete(db):
    item = ini.Initiative(
        name="Warm Homes",
        lead_org="Blackpool Council",
        partners=(ini.Partner("Age UK", "vcs"),),
        domains=("health", "barriers"),
        area_codes=("E01012662", "E05000001"),
        status="active",
        start_date=dt.date(2025, 4, 1),
        contact_url="https://example.org/warm",
    )
    share_id = community.save_initiative(db, item)
    [saved] = community.list_initiatives(db)
    assert saved == item and saved.share_id == share_id
    with pytest.raises(workshop.ModerationError):
        community.delete_initiative(db, None, share_id)
    assert community.delete_initiative(db, workshop.authorise(PASSCODE, PASSCODE), share_id)
    assert community.list_initiatives(db) == []


def test_migrations_upgrade_a_database_from_the_previous_revision(tmp_path: Path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = store.create_engine(url)
    with engine.connect().execution_options(write=True) as conn:
        command.upgrade(migration.alembic_config(conn), "0001_interventions")
        conn.commit()
    assert migration.schema_revision(engine) == "0001_interventions"
    assert "workshops" not in sa.inspect(engine).get_table_names()
    # An intervention saved by the release of that revision (its columns only: later code writes more).
    share = "old-release-intervention"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO interventions (share_id, name, domain, measure, before_year, after_year, n_neighbours,"
                " same_region, exclude_same_la, seed, n_boot, created_at) VALUES (:s, 'Old', 'imd', 'score', 2019,"
                " 2025, 5, 1, 0, 7, 100, '2025-01-01 00:00:00')"
            ),
            {"s": share},
        )
        conn.execute(
            sa.text("INSERT INTO intervention_areas (intervention_id, area_code, position) VALUES (1, 'E01000001', 0)")
        )
    engine.dispose()

    upgraded = store.open_store(url)  # runs 0002_workshops on top
    try:
        assert migration.schema_revision(upgraded.engine) == migration.head_revision()
        tables = set(sa.inspect(upgraded.engine).get_table_names())
        assert {"workshops", "workshop_notes", "workshop_votes", "workshop_scores", "initiatives"} <= tables
        assert upgraded.get_intervention(share) is not None  # earlier data kept
        ws = community.create_workshop(upgraded, "After upgrade", "E06000009")
        community.add_note(upgraded, ws, _note())
        assert len(community.list_notes(upgraded, ws)) == 1
        with upgraded.engine.connect().execution_options(write=True) as conn:
            command.downgrade(migration.alembic_config(conn), "0001_interventions")
            conn.commit()
        assert "workshops" not in sa.inspect(upgraded.engine).get_table_names()
    finally:
        upgraded.close()


def _concurrent_notes(url: str, writers: int = 20, per_writer: int = 10) -> tuple[int, list, float]:
    import time

    setup = store.open_store(url)
    ws = community.create_workshop(setup, "Busy room", "E06000009")
    setup.close()
    stores = [store.open_store(url, run_migrations=False) for _ in range(writers)]  # one engine per participant
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(s: store.Store, worker: int) -> None:
        barrier.wait()
        try:
            for i in range(per_writer):
                community.add_note(s, ws, _note(f"writer {worker} note {i}"))
        except store.StoreError as exc:  # collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, w)) for w, s in enumerate(stores)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.perf_counter() - started
    try:
        count = len(community.list_notes(stores[0], ws))
    finally:
        for s in stores:
            s.close()
    return count, errors, elapsed


def test_twenty_concurrent_writers_on_sqlite_lose_no_note(tmp_path: Path):
    count, errors, _ = _concurrent_notes(f"sqlite:///{tmp_path / 'busy.db'}")
    assert errors == []
    assert count == 200


def test_twenty_concurrent_writers_on_postgresql_lose_no_note(postgres_url):
    count, errors, _ = _concurrent_notes(store.database_url({"DATABASE_URL": postgres_url}))
    assert errors == []
    assert count == 200


def test_every_change_a_screen_shows_live_changes_the_live_version(db, ws):
    """Screens redraw only when this fingerprint changes: each change people see must move it."""
    facilitator = workshop.authorise(PASSCODE, PASSCODE)
    seen = [community.live_version(db, ws)]

    def changed() -> bool:
        seen.append(community.live_version(db, ws))
        return seen[-1] != seen[-2]

    first = community.add_note(db, ws, _note())
    assert changed()
    assert community.live_version(db, ws) == seen[-1]  # nothing new: the same (no redraw)
    second = community.add_note(db, ws, _note("Buses"))
    assert changed()
    community.set_note_hidden(db, facilitator, ws, first)
    assert changed()
    community.set_note_hidden(db, facilitator, ws, first, hidden=False)
    assert changed()
    parks = community.add_priority(db, facilitator, ws, "Parks")
    assert changed()
    community.cast_vote(db, ws, "a" * 43, parks)
    assert changed()
    community.withdraw_vote(db, ws, "a" * 43, parks)
    assert changed()
    other = community.create_workshop(db, "Elsewhere", "E06000009")
    community.add_note(db, other, _note())
    assert not changed() and second  # another workshop's notes do not redraw this one
