"""The database layer against a real SQLite file in a temporary folder."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from placemap.analysis.evaluation_inputs import EvaluationError, Intervention, MatchOptions
from placemap.storage import migration, store, tables

CODES = ("E01012662", "E01012663", "E01033658")


def _intervention(name: str = "Families First <pilot> & co") -> Intervention:
    return Intervention(
        name=name,
        area_codes=CODES,
        domain="income",
        before=2019,
        after=2025,
        measure="decile",
        options=MatchOptions(n_neighbours=4, same_region=True, exclude_same_la=False),
        seed=42,
        n_boot=500,
    )


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sub' / 'placemap.db'}"


def test_migrations_run_on_an_empty_database(db_url):
    s = store.open_store(db_url)
    try:
        assert migration.schema_revision(s.engine) == migration.head_revision()
        tables = set(sa.inspect(s.engine).get_table_names())
        assert {"alembic_version", "interventions", "intervention_areas"} <= tables
        migration.migrate(s.engine)  # running again is harmless
        assert migration.schema_revision(s.engine) == migration.head_revision()
    finally:
        s.close()


def test_migrated_schema_matches_the_tables_the_code_uses(db_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    s = store.open_store(db_url)
    try:
        with s.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), tables.metadata)
        assert diff == []
    finally:
        s.close()


def test_saving_and_reopening_an_intervention_round_trips_through_the_file(db_url):
    first = store.open_store(db_url)
    share_id = first.save_intervention(_intervention())
    first.close()

    reopened = store.open_store(db_url)  # a new engine on the same file, as after a restart
    try:
        saved = reopened.get_intervention(share_id)
        assert saved is not None
        assert saved.intervention == _intervention()
        assert saved.intervention.area_codes == CODES  # order kept
        assert saved.created_at.tzinfo is not None
        listed = reopened.list_interventions()
        assert [(x.share_id, x.n_areas, x.name) for x in listed] == [(share_id, 3, "Families First <pilot> & co")]
    finally:
        reopened.close()


def test_share_ids_are_random_url_safe_and_unknown_ids_find_nothing(db_url):
    s = store.open_store(db_url)
    try:
        ids = {s.save_intervention(_intervention(f"n{i}")) for i in range(5)}
        assert len(ids) == 5
        assert all(tables.valid_share_id(i) and len(i) == 16 for i in ids)
        assert s.get_intervention("A" * 16) is None
        assert s.get_intervention("<script>") is None and not tables.valid_share_id("../../etc")
        assert [x.name for x in s.list_interventions()] == ["n4", "n3", "n2", "n1", "n0"]  # newest first
    finally:
        s.close()


def test_deleting_removes_the_intervention_and_its_areas(db_url):
    s = store.open_store(db_url)
    try:
        share_id = s.save_intervention(_intervention())
        assert s.delete_intervention(share_id) and not s.delete_intervention(share_id)
        with s.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(tables.intervention_areas)).scalar() == 0
    finally:
        s.close()


def test_an_invalid_intervention_is_not_saved(db_url):
    s = store.open_store(db_url)
    try:
        with pytest.raises(EvaluationError, match="Give the intervention a name"):
            s.save_intervention(_intervention(name="  "))
        assert s.list_interventions() == []
    finally:
        s.close()


def test_sqlite_uses_wal_and_a_busy_timeout(db_url):
    s = store.open_store(db_url)
    try:
        with s.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == store.BUSY_TIMEOUT_S * 1000
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        s.close()


def test_concurrent_writers_wait_rather_than_fail(db_url):
    stores = [store.open_store(db_url) for _ in range(4)]  # four engines, as four server processes
    errors: list[BaseException] = []

    def write(s: store.Store, worker: int) -> None:
        try:
            for i in range(10):
                s.save_intervention(_intervention(f"w{worker}-{i}"))
                s.list_interventions()
        except (store.StoreError, EvaluationError) as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, w)) for w, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    try:
        assert errors == []
        assert len(stores[0].list_interventions()) == 40
    finally:
        for s in stores:
            s.close()


def test_database_url_comes_from_the_environment(tmp_path: Path):
    assert store.database_url({}) == f"sqlite:///{store.DEFAULT_DB_PATH}"
    assert store.database_url({"PLACEMAP_DB_PATH": str(tmp_path / "a.db")}) == f"sqlite:///{tmp_path / 'a.db'}"
    url = store.database_url({"DATABASE_URL": "postgresql://u:secret@db.example/placemap", "PLACEMAP_DB_PATH": "x"})
    assert url == "postgresql+psycopg://u:secret@db.example/placemap"
    assert "secret" not in store.describe_url(url)


def test_an_unreachable_database_raises_a_clear_error_without_the_password():
    with pytest.raises(store.StoreError, match=r"Could not prepare the database postgresql\+psycopg://u:\*\*\*@127"):
        store.open_store("postgresql+psycopg://u:secret@127.0.0.1:1/placemap")


def test_an_unwritable_sqlite_path_raises_a_clear_error():
    with pytest.raises(store.StoreError, match=r"Could not set up the database sqlite:////proc/placemap/x\.db"):
        store.open_store("sqlite:////proc/placemap/x.db")
    with pytest.raises(store.StoreError, match="not valid"):
        store.open_store("not a url")


def test_a_store_whose_file_disappears_reports_errors_as_store_errors(tmp_path: Path):
    s = store.open_store(f"sqlite:///{tmp_path / 'gone.db'}")
    s.close()
    with s.engine.connect() as conn:
        conn.exec_driver_sql("DROP TABLE intervention_areas")
        conn.exec_driver_sql("DROP TABLE interventions")
        conn.commit()
    with pytest.raises(store.StoreError, match="Could not list the saved interventions"):
        s.list_interventions()
    s.close()


# PostgreSQL: the `postgres_url` fixture (a throwaway cluster) is in tests/conftest.py.


def test_postgresql_round_trip_with_migrations_from_empty(postgres_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    url = store.database_url()
    assert url.startswith("postgresql+psycopg://")
    first = store.open_store(url)
    try:
        assert migration.schema_revision(first.engine) == migration.head_revision()
        share_id = first.save_intervention(_intervention())
    finally:
        first.close()
    second = store.open_store(url)  # migrating again is a no-op (and takes the advisory lock)
    try:
        saved = second.get_intervention(share_id)
        assert saved is not None and saved.intervention == _intervention()
        assert share_id in [x.share_id for x in second.list_interventions()]  # the cluster is shared by tests
        assert second.delete_intervention(share_id)
    finally:
        second.close()
