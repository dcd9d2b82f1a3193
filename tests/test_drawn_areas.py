"""Drawn areas in the database (revision 0006_drawn_areas): round trip, editing, roles, the change log, migrations."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from placemap.community import roles
from placemap.community.roles import Actor, Role
from placemap.storage import audit, drawn_areas, migration, store
from placemap.storage.store import StoreError

SQUARE = {"type": "Polygon", "coordinates": [[[-3.05, 53.81], [-3.04, 53.81], [-3.04, 53.82], [-3.05, 53.81]]]}
LSOAS = {
    "lsoa11": [("E01012662", 1.0, True), ("E01012663", 0.2, False)],
    "lsoa21": [("E01033658", 0.9, True), ("E01012662", 0.6, True)],
}
VIEWER = Actor("user:vi@else.org", "vi@else.org", Role.VIEWER, signed_in=True)
EDITOR = Actor("user:ed@council.gov.uk", "ed@council.gov.uk", Role.EDITOR, signed_in=True)
MODERATOR = Actor("user:mo@council.gov.uk", "mo@council.gov.uk", Role.MODERATOR, signed_in=True)


@pytest.fixture
def db(tmp_path: Path):
    s = store.open_store(f"sqlite:///{tmp_path / 'p.db'}")
    yield s
    s.close()


def _save(db, actor=EDITOR, name="Bispham <b>north</b> & co", **kwargs) -> str:
    return drawn_areas.save_drawn_area(db, actor, name, SQUARE, LSOAS, la_code="E06000009", n_vertices=4, **kwargs)


def test_a_saved_area_reopens_with_its_name_outline_and_lsoas_on_each_geography(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    first = store.open_store(url)
    share_id = _save(first, area_km2=0.4)
    first.close()
    reopened = store.open_store(url)  # as after a restart
    try:
        area = drawn_areas.get_drawn_area(reopened, share_id)
        assert area.name == "Bispham <b>north</b> & co"  # kept as typed; escaped where shown
        assert area.geometry == SQUARE and area.la_code == "E06000009" and area.area_km2 == pytest.approx(0.4)
        assert area.created_by == EDITOR.id and area.created_at.tzinfo is not None
        assert area.members("lsoa11") == ["E01012662"]
        assert area.members("lsoa21") == ["E01012662", "E01033658"]
        assert drawn_areas.drawn_area_lsoas(reopened, share_id, "lsoa11") == ["E01012662"]
        assert drawn_areas.drawn_area_lsoas(reopened, share_id) == ["E01012662", "E01033658"]
        assert [a.share_id for a in drawn_areas.list_drawn_areas(reopened)] == [share_id]
    finally:
        reopened.close()


def test_unknown_or_malformed_ids_find_nothing(db):
    assert drawn_areas.get_drawn_area(db, "NoSuchAreaAtAll1") is None
    assert drawn_areas.get_drawn_area(db, "../../etc/passwd") is None
    assert drawn_areas.drawn_area_lsoas(db, "x' OR 1=1 --") is None


@pytest.mark.parametrize(
    ("name", "problem"),
    [("   ", "Give the area a name"), ("x" * 121, "keep it to 120"), ("\x00\u202e\n", "Give the area a name")],
)
def test_blank_or_over_long_names_are_refused_in_plain_words(db, name, problem):
    with pytest.raises(StoreError, match=problem):
        _save(db, name=name)
    assert drawn_areas.list_drawn_areas(db) == []


def test_hostile_names_lose_control_characters_and_new_lines(db):
    share_id = _save(db, name="Park\x00 \u202egnp.exe\nbench")
    assert drawn_areas.get_drawn_area(db, share_id).name == "Park gnp.exe bench"


def test_an_area_with_no_lsoa_inside_or_a_point_is_not_saved(db):
    with pytest.raises(StoreError, match="holds no LSOA"):
        drawn_areas.save_drawn_area(db, EDITOR, "Sea", SQUARE, {"lsoa21": [("E01033658", 0.1, False)]})
    with pytest.raises(StoreError, match="Only a polygon"):
        drawn_areas.save_drawn_area(db, EDITOR, "Pin", {"type": "Point", "coordinates": [0, 0]}, LSOAS)


@pytest.mark.parametrize(("actor", "allowed"), [(VIEWER, False), (EDITOR, True), (MODERATOR, True)])
def test_saving_and_editing_need_the_editor_role(db, actor, allowed):
    owner_saved = _save(db)
    if allowed:
        assert drawn_areas.get_drawn_area(db, _save(db, actor=actor)) is not None
        assert drawn_areas.update_drawn_area(db, actor, owner_saved, name="Renamed")
        assert drawn_areas.get_drawn_area(db, owner_saved).name == "Renamed"
    else:
        with pytest.raises(roles.PermissionDenied, match="editor role"):
            _save(db, actor=actor)
        with pytest.raises(roles.PermissionDenied, match="editor role"):
            drawn_areas.update_drawn_area(db, actor, owner_saved, name="Renamed")
        assert drawn_areas.get_drawn_area(db, owner_saved).name == "Bispham <b>north</b> & co"


def test_without_sign_in_everybody_may_save_and_with_it_an_anonymous_session_may_not(db):
    assert _save(db, actor=roles.anonymous_actor("abc", sign_in_configured=False))
    with pytest.raises(roles.PermissionDenied, match="sign in first"):
        _save(db, actor=roles.anonymous_actor("abc", sign_in_configured=True))


def test_redrawing_replaces_the_outline_and_lsoas_keeps_the_link_and_is_logged(db):
    share_id = _save(db)
    bigger = {"type": "Polygon", "coordinates": [[[-3.06, 53.81], [-3.03, 53.81], [-3.03, 53.83], [-3.06, 53.81]]]}
    assert drawn_areas.update_drawn_area(
        db, MODERATOR, share_id, geometry=bigger, lsoas={"lsoa21": [("E01012700", 1.0, True)]}, n_vertices=4
    )
    area = drawn_areas.get_drawn_area(db, share_id)
    assert area.geometry == bigger and area.members("lsoa21") == ["E01012700"] and area.members("lsoa11") == []
    assert area.updated_by == MODERATOR.id and area.created_by == EDITOR.id
    log = audit.list_changes(db, kinds=("drawn area",))
    assert log[["Who", "Action", "Id"]].values.tolist() == [
        ["mo@council.gov.uk", "edit", share_id],
        ["ed@council.gov.uk", "save", share_id],
    ]
    assert not drawn_areas.update_drawn_area(db, EDITOR, "NoSuchAreaAtAll1", name="x")
    with pytest.raises(StoreError, match="needs its LSOAs"):
        drawn_areas.update_drawn_area(db, EDITOR, share_id, geometry=bigger)


def test_a_refusing_limit_writes_nothing(db):
    def over_limit() -> None:
        raise StoreError("Too many saved drawn areas from your network")

    with pytest.raises(StoreError, match="Too many"):
        _save(db, before_write=over_limit)
    assert drawn_areas.list_drawn_areas(db) == []
    assert audit.list_changes(db, kinds=("drawn area",)).empty


def _migrate(engine, target: str, down: bool = False) -> None:
    from alembic import command

    with engine.connect().execution_options(write=True) as conn:
        (command.downgrade if down else command.upgrade)(migration.alembic_config(conn), target)
        conn.commit()


def _round_trip_migrations(url: str) -> None:
    s = store.open_store(url)
    try:
        share_id = _save(s)
        _migrate(s.engine, "0005_audit", down=True)
        names = set(sa.inspect(s.engine).get_table_names())
        assert "drawn_areas" not in names and "drawn_area_lsoas" not in names and "uploads" in names
        migration.migrate(s.engine)
        assert migration.schema_revision(s.engine) == migration.head_revision()
        assert drawn_areas.get_drawn_area(s, share_id) is None  # downgrading dropped it
        assert drawn_areas.get_drawn_area(s, _save(s)).members("lsoa21") == ["E01012662", "E01033658"]
    finally:
        s.close()


def test_the_revision_downgrades_and_upgrades_on_sqlite(tmp_path: Path):
    _round_trip_migrations(f"sqlite:///{tmp_path / 'm.db'}")


def test_the_revision_downgrades_and_upgrades_on_postgresql(postgres_url):
    _round_trip_migrations(store.database_url({"DATABASE_URL": postgres_url}))
