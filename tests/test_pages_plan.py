"""The place plan page in AppTest on the real data: a plan's link opens it with its outcomes' progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.community import roles
from placemap.community.plans import Outcome, Plan
from placemap.storage import plans, store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
EDITOR = roles.Actor("user:ed@council.gov.uk", "ed@council.gov.uk", roles.Role.EDITOR, signed_in=True)


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    s = store.open_store(store.database_url())
    yield s
    s.close()


def _open(params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.query_params.update(params)
    at.switch_page("views/plan.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _text(at: AppTest) -> str:
    shown = " ".join(str(m.value) for kind in ("markdown", "caption", "warning", "info") for m in at.get(kind))
    return shown.replace("\\", "")  # markdown escapes


def test_a_plan_link_opens_the_plan_with_each_outcome_its_status_and_the_downloads(db):
    jobs = Outcome(
        "More people in work",
        "employment_rank",
        "ward:E05015188",
        2019,
        None,
        9000.0,
        dt.date(2030, 3, 31),
        "Blackpool Council",
    )
    homes = Outcome(
        "Gone source",
        "upload_deadbeef00_0",
        "ward:E05015188",
        2019,
        12.0,
        10.0,
        dt.date(2030, 3, 31),
        indicator_label="Damp homes (your data)",
    )
    saved = plans.create_plan(
        db, EDITOR, Plan("Bloomfield together", "ward:E05015188", "Work for all", ("Blackpool Council",), (jobs, homes))
    )

    at = _open({"plan": saved.share_id})
    text = _text(at)
    assert "Bloomfield together" in " ".join(h.value for h in at.header)
    assert "Place: Bloomfield (ward)" in text.replace("*", "")
    assert "More people in work" in text and "Employment Deprivation" not in text
    assert "Employment: rank · baseline IoD2019: " in text and "position in England moved" in text
    assert "IoD2019" in text and "IoD2025" in text
    assert "source is no longer available" in text  # the deleted upload keeps its stored values
    assert "Nobody is working on: Gone source." in text
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Plan on a page (PDF)", "Plan on a page (PNG)", "Outcomes (CSV)"]


def test_a_bad_plan_link_says_so_and_offers_a_new_plan(db):
    at = _open({"plan": "<script>"})
    assert any("is not a saved plan's link id" in w.value for w in at.warning)
    assert "Write a new plan" in [h.value for h in at.header]
