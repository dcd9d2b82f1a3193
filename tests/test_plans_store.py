"""Saved place plans: migrations up and down, roles, history, freezing, and no lost update."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from placemap.analysis.plan_progress import Reading
from placemap.community import roles
from placemap.community.plans import Outcome, Plan, PlanError
from placemap.storage import audit, migration, plans, store

EDITOR = roles.Actor("user:ed@council.gov.uk", "ed@council.gov.uk", roles.Role.EDITOR, signed_in=True)
OTHER_EDITOR = roles.Actor("user:jo@council.gov.uk", "jo@council.gov.uk", roles.Role.EDITOR, signed_in=True)
MODERATOR = roles.Actor("user:mo@council.gov.uk", "mo@council.gov.uk", roles.Role.MODERATOR, signed_in=True)
VIEWER = roles.Actor("user:vi@example.org", "vi@example.org", roles.Role.VIEWER, signed_in=True)


def _plan() -> Plan:
    jobs = Outcome(
        "More people in work",
        "employment_rank",
        "ward:E05015188",
        2019,
        1200.0,
        3000.0,
        dt.date(2030, 3, 31),
        "Blackpool Council",
        readings=(Reading(2019, "IoD2019", 1200.0, 3.7), Reading(2025, "IoD2025", 1500.0, 4.4)),
    )
    kids = Outcome(
        "Children <b>grow up</b> well",
        "idaci_rank",
        "ward:E05015188",
        2019,
        900.0,
        2500.0,
        dt.date(2032, 3, 31),
        "Bloomfield Community Trust",
    )
    return Plan(
        "Bloomfield together", "ward:E05015188", "Fewer families in poverty", ("Blackpool Council",), (jobs, kids)
    )


@pytest.fixture
def db(tmp_path: Path):
    s = store.open_store(f"sqlite:///{tmp_path / 'plans.db'}")
    yield s
    s.close()


def _migrate(engine, target: str, down: bool = False) -> None:
    from alembic import command

    with engine.connect().execution_options(write=True) as conn:
        (command.downgrade if down else command.upgrade)(migration.alembic_config(conn), target)
        conn.commit()


def test_a_saved_plan_reopens_by_its_link_with_every_outcome_and_reading(db):
    saved = plans.create_plan(db, EDITOR, _plan())
    reopened = plans.get_plan(db, saved.share_id)
    assert reopened == saved and reopened.version == 1
    assert [o.name for o in reopened.outcomes] == ["More people in work", "Children <b>grow up</b> well"]
    assert reopened.outcomes[0].readings[1] == Reading(2025, "IoD2025", 1500.0, 4.4)
    assert [p.name for p in plans.list_plans(db)] == ["Bloomfield together"]
    assert plans.get_plan(db, "../../etc") is None and plans.get_plan(db, "A" * 16) is None


@pytest.mark.parametrize(
    ("actor", "allowed"), [(VIEWER, False), (EDITOR, True), (MODERATOR, True)], ids=["viewer", "editor", "moderator"]
)
def test_only_editors_and_moderators_may_write_or_change_a_plan(db, actor, allowed):
    if not allowed:
        with pytest.raises(roles.PermissionDenied, match="editor"):
            plans.create_plan(db, actor, _plan())
        first = plans.create_plan(db, EDITOR, _plan())
        with pytest.raises(roles.PermissionDenied):
            plans.save_plan(db, actor, replace(first, aim="Changed by a viewer"))
        assert plans.get_plan(db, first.share_id).aim == "Fewer families in poverty"
        return
    saved = plans.create_plan(db, actor, _plan())
    changed = plans.save_plan(db, actor, replace(saved, aim="Changed"))
    assert changed.version == 2 and plans.get_plan(db, saved.share_id).aim == "Changed"


def test_the_second_of_two_editors_saving_at_once_sees_the_first_change_and_loses_nothing(db):
    opened = plans.create_plan(db, EDITOR, _plan())
    mine = replace(opened, outcomes=(replace(opened.outcomes[0], target_value=4000.0), opened.outcomes[1]))
    theirs = replace(opened, aim="Every child in Bloomfield grows up well")
    plans.save_plan(db, EDITOR, mine)
    with pytest.raises(plans.PlanConflict, match=r"ed@council\.gov\.uk saved this plan") as conflict:
        plans.save_plan(db, OTHER_EDITOR, theirs)
    # The second editor is shown the first's change, and nothing of theirs overwrote it.
    assert conflict.value.current.outcomes[0].target_value == 4000.0 and conflict.value.current.version == 2
    on_top = plans.save_plan(db, OTHER_EDITOR, replace(conflict.value.current, aim=theirs.aim))
    final = plans.get_plan(db, opened.share_id)
    assert (final.version, final.aim, final.outcomes[0].target_value) == (3, theirs.aim, 4000.0)
    assert on_top == final


def test_simultaneous_saves_from_threads_give_exactly_one_winner(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'race.db'}"
    first = store.open_store(url)
    opened = plans.create_plan(first, EDITOR, _plan())
    stores = [store.open_store(url) for _ in range(4)]  # four server processes
    results: list[str] = []
    barrier = threading.Barrier(4)

    def save(s: store.Store, k: int) -> None:
        barrier.wait()
        try:
            plans.save_plan(s, EDITOR, replace(opened, aim=f"Aim {k}"))
            results.append("saved")
        except plans.PlanConflict:
            results.append("conflict")

    threads = [threading.Thread(target=save, args=(s, k)) for k, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    try:
        assert sorted(results) == ["conflict", "conflict", "conflict", "saved"]
        assert plans.get_plan(first, opened.share_id).version == 2
    finally:
        for s in [first, *stores]:
            s.close()


def test_the_history_says_who_changed_what_and_when_so_a_board_sees_targets_move(db):
    saved = plans.create_plan(db, EDITOR, _plan())
    moved = replace(saved, outcomes=(replace(saved.outcomes[0], target_value=3500.0), saved.outcomes[1]))
    plans.save_plan(db, OTHER_EDITOR, moved)
    history = plans.plan_history(db, saved.share_id)
    assert history["Version"].tolist() == [2, 1]
    assert history["Who"].tolist() == ["jo@council.gov.uk", "ed@council.gov.uk"]
    assert 'Target of "More people in work": 3,000 by 2030-03-31 → 3,500 by 2030-03-31.' in history["What changed"][0]
    assert plans.plan_version(db, saved.share_id, 1).outcomes[0].target_value == 3000.0
    log = audit.list_changes(db, kinds=("plan",))
    assert log["Who"].tolist()[:2] == ["jo@council.gov.uk", "ed@council.gov.uk"]


def test_a_plan_frozen_to_an_edition_keeps_it_and_says_so_in_its_history(db):
    saved = plans.create_plan(db, EDITOR, _plan())
    frozen = plans.freeze_plan(db, EDITOR, saved, 2019)
    assert plans.get_plan(db, saved.share_id).frozen_year == 2019
    assert "Frozen to 2019." in plans.plan_history(db, saved.share_id)["What changed"][0]
    with pytest.raises(PlanError, match="edition or census year"):
        plans.freeze_plan(db, EDITOR, frozen, 2017)


def test_an_invalid_plan_is_refused_with_a_plain_reason(db):
    with pytest.raises(PlanError, match="not a place Placemap knows"):
        plans.create_plan(db, EDITOR, replace(_plan(), place="county:E10000017"))
    with pytest.raises(PlanError, match="Give the plan's name"):
        plans.create_plan(db, EDITOR, replace(_plan(), name="  "))
    assert plans.list_plans(db) == []


def test_the_revision_downgrades_and_upgrades_on_sqlite(db):
    plans.create_plan(db, EDITOR, _plan())
    _migrate(db.engine, "0006_drawn_areas", down=True)
    assert {"plans", "plan_changes"}.isdisjoint(sa.inspect(db.engine).get_table_names())
    assert migration.schema_revision(db.engine) == "0006_drawn_areas"
    migration.migrate(db.engine)
    assert migration.schema_revision(db.engine) == migration.head_revision()
    assert plans.list_plans(db) == [] and plans.create_plan(db, EDITOR, _plan()).version == 1


def test_plans_round_trip_and_migrate_down_and_up_on_postgresql(postgres_url):
    s = store.open_store(store.database_url({"DATABASE_URL": postgres_url}))
    try:
        _migrate(s.engine, "0006_drawn_areas", down=True)
        assert "plans" not in sa.inspect(s.engine).get_table_names()
        migration.migrate(s.engine)
        opened = plans.create_plan(s, EDITOR, _plan())
        plans.save_plan(s, EDITOR, replace(opened, aim="First"))
        with pytest.raises(plans.PlanConflict):
            plans.save_plan(s, OTHER_EDITOR, replace(opened, aim="Second"))
        assert plans.get_plan(s, opened.share_id).aim == "First"
    finally:
        s.close()
