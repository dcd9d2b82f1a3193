"""Interventions with an uploaded outcome and a selection rule in the database (revision 0004)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from placemap.analysis.evaluation_inputs import Intervention, UploadOutcome
from placemap.storage import migration, store, tables

CODES = ("E01012662", "E01012663", "E01012664")
OUTCOME = UploadOutcome(
    "a1b2c3d4",
    "Attendance <b>",
    "att_2022",
    "att_2024",
    "Attendance 2022",
    "=Attendance 2024",
    "%",
    "low_is_deprived",
    "lsoa21",
)


def _intervention(outcome: UploadOutcome | None = OUTCOME, rule: str = "LSOAs with at least 50% ...") -> Intervention:
    return Intervention("Hawes Side <plan>", CODES, "imd", 2019, 2025, outcome=outcome, selection_rule=rule)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'placemap.db'}"


def test_an_uploaded_outcome_and_its_selection_rule_round_trip(db_url):
    s = store.open_store(db_url)
    try:
        share_id = s.save_intervention(_intervention())
        saved = s.get_intervention(share_id)
        assert saved.intervention == _intervention()
        assert s.list_interventions()[0].outcome_label == "Your data: Attendance 2022 → =Attendance 2024"
        plain = s.save_intervention(_intervention(outcome=None, rule=""))
        assert s.get_intervention(plain).intervention.outcome is None
        assert s.list_interventions()[0].outcome_label == ""
    finally:
        s.close()


def test_an_unreadable_saved_outcome_loads_as_the_iod_outcome(db_url):
    s = store.open_store(db_url)
    try:
        share_id = s.save_intervention(_intervention())
        with s.engine.begin() as conn:
            conn.execute(tables.interventions.update().values(upload_outcome='{"not": "an outcome"}'))
        assert s.get_intervention(share_id).intervention.outcome is None
    finally:
        s.close()


def test_the_revision_downgrades_and_interventions_saved_before_it_still_load(db_url):
    from alembic import command

    s = store.open_store(db_url)
    try:
        with s.engine.connect() as conn:
            command.downgrade(migration.alembic_config(conn), "0003_uploads")
            conn.commit()
        columns = {c["name"] for c in sa.inspect(s.engine).get_columns("interventions")}
        assert "upload_outcome" not in columns and "selection_rule" not in columns
        assert migration.schema_revision(s.engine) == "0003_uploads"
        # An intervention saved by the older schema ...
        with s.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO interventions (share_id, name, domain, measure, before_year, after_year, n_neighbours,"
                    " same_region, exclude_same_la, seed, n_boot, created_at) VALUES ('oldoldoldold1234', 'Old', 'imd',"
                    " 'position', 2019, 2025, 3, 0, 0, 1, 1000, '2026-01-01 00:00:00')"
                )
            )
        migration.migrate(s.engine)  # ... and upgraded again
        assert migration.schema_revision(s.engine) == migration.head_revision()
        old = s.get_intervention("oldoldoldold1234").intervention
        assert old.name == "Old" and old.outcome is None and old.selection_rule == ""
    finally:
        s.close()
