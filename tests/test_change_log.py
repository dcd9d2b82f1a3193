"""The change log of shared data and upload owners (revision 0005_audit) on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from placemap.analysis.evaluation_inputs import Intervention, MatchOptions
from placemap.community import initiatives as ini
from placemap.community import notes, workshop
from placemap.storage import audit, community, migration, store

PASSCODE = "a-long-enough-passcode"


def _note() -> notes.NoteInput:
    return notes.validate_note("idea", "More benches", "Ann", "point", 53.8, -3.05, None)


def _intervention() -> Intervention:
    return Intervention(
        name="Families First",
        area_codes=("E01012662",),
        domain="income",
        before=2019,
        after=2025,
        measure="decile",
        options=MatchOptions(n_neighbours=4),
        seed=1,
        n_boot=100,
    )


@pytest.fixture
def db(tmp_path: Path):
    s = store.open_store(f"sqlite:///{tmp_path / 'p.db'}")
    yield s
    s.close()


def _migrate(engine, target: str, down: bool = False) -> None:
    from alembic import command

    with engine.connect().execution_options(write=True) as conn:
        (command.downgrade if down else command.upgrade)(migration.alembic_config(conn), target)
        conn.commit()


def test_every_write_to_shared_data_names_who_did_it_and_when(db):
    holder = workshop.authorise(PASSCODE, PASSCODE)
    ws = community.create_workshop(db, "Bispham", "E06000009", by="ed@council.gov.uk")
    note_id = community.add_note(db, ws, _note(), by="anonymous session")
    priority = community.add_priority(db, holder, ws, "Parks", by="passcode holder")
    community.set_note_hidden(db, holder, ws, note_id, True, by="passcode holder")
    community.delete_note(db, holder, ws, note_id, by="mo@council.gov.uk")
    community.delete_priority(db, holder, ws, priority, by="mo@council.gov.uk")
    item = ini.Initiative(
        name="Warm spaces", lead_org="Council", domains=("health",), area_codes=("E01012662",), status="active"
    )
    share = community.save_initiative(db, item, by="ed@council.gov.uk")
    community.delete_initiative(db, holder, share, by="passcode holder")
    intervention = db.save_intervention(_intervention(), by="ed@council.gov.uk")
    log = audit.list_changes(db)
    assert log[["Who", "Action", "What"]].values.tolist()[::-1] == [
        ["ed@council.gov.uk", "create", "workshop"],
        ["anonymous session", "add", "note"],
        ["passcode holder", "add", "priority"],
        ["passcode holder", "hide", "note"],
        ["mo@council.gov.uk", "delete", "note"],
        ["mo@council.gov.uk", "delete", "priority"],
        ["ed@council.gov.uk", "save", "initiative"],
        ["passcode holder", "delete", "initiative"],
        ["ed@council.gov.uk", "save", "intervention"],
    ]
    assert log["Id"].iloc[0] == intervention and log["Detail"].iloc[0] == "Families First"
    assert log["When (UTC)"].str.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$").all()
    assert audit.list_changes(db, kinds=("initiative",))["Action"].tolist() == ["delete", "save"]


def test_a_refused_moderation_leaves_no_change_and_no_log_row(db):
    ws = community.create_workshop(db, "Bispham", "E06000009")
    note_id = community.add_note(db, ws, _note())
    with pytest.raises(workshop.ModerationError):
        community.delete_note(db, None, ws, note_id, by="eve@else.org")
    assert len(community.list_notes(db, ws)) == 1
    assert "eve@else.org" not in audit.list_changes(db)["Who"].tolist()


def test_the_revision_downgrades_and_upgrades_keeping_earlier_uploads_on_sqlite(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = store.create_engine(url)
    _migrate(engine, "0004_intervention_uploads")
    assert "audit_log" not in sa.inspect(engine).get_table_names()
    with engine.begin() as conn:  # a dataset saved by the release before owners were kept
        conn.execute(
            sa.text(
                "INSERT INTO uploads (share_id, kind, name, source, geography, n_items, payload, created_at) "
                "VALUES ('oldoldoldold1234', 'areas', 'Old', 'Council', NULL, 1, '{}', '2026-01-01 00:00:00')"
            )
        )
    engine.dispose()
    upgraded = store.open_store(url)
    try:
        from placemap.storage import upload_store

        assert migration.schema_revision(upgraded.engine) == migration.head_revision()
        [old] = upload_store.list_uploads(upgraded)
        assert old.name == "Old" and old.created_by is None  # no owner: only a moderator deletes it
        assert upload_store.delete_upload(upgraded, old.share_id, owner="session:someone") is False
        _migrate(upgraded.engine, "0004_intervention_uploads", down=True)
        assert "audit_log" not in sa.inspect(upgraded.engine).get_table_names()
        assert "created_by" not in {c["name"] for c in sa.inspect(upgraded.engine).get_columns("uploads")}
        with upgraded.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT name FROM uploads")).scalars().all() == ["Old"]
    finally:
        upgraded.close()


def test_the_revision_downgrades_and_upgrades_on_postgresql(postgres_url):
    url = store.database_url({"DATABASE_URL": postgres_url})
    s = store.open_store(url)
    try:
        _migrate(s.engine, "0004_intervention_uploads", down=True)
        assert "audit_log" not in sa.inspect(s.engine).get_table_names()
        migration.migrate(s.engine)
        assert migration.schema_revision(s.engine) == migration.head_revision()
        ws = community.create_workshop(s, "On PostgreSQL", "E06000009", by="ed@council.gov.uk")
        log = audit.list_changes(s, kinds=("workshop",))
        assert ["ed@council.gov.uk", "create", ws.share_id] in log[["Who", "Action", "Id"]].values.tolist()
    finally:
        s.close()
