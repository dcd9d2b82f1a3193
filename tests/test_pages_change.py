"""The change and evaluation pages in Streamlit's AppTest on the real data, with deep links."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata


@pytest.fixture(autouse=True)
def temporary_database(tmp_path, monkeypatch):
    """Every page test gets its own SQLite file (never the project's placemap.db)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    return tmp_path / "placemap.db"


def _open(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if params:
        at.query_params.update(params)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_change_page_deep_link_shows_that_comparison_place_and_area():
    at = _open(
        "views/change.py",
        {"from": "2015", "to": "2025", "la": "E08000003", "dom": "imd", "cm": "decile", "area": "E01033658"},
    )
    assert at.title[0].value == "Manchester: change in Index of Multiple Deprivation (IMD), IoD2015 → IoD2025"
    assert at.sidebar.selectbox(key="change.area").value == "E01033658"
    assert at.sidebar.radio(key="change.measure").value == "decile"
    rule = " ".join(m.value for m in at.markdown)
    assert "not comparable between editions" in rule and "rank ÷ number of LSOAs" in rule
    assert "6 LSOAs with complex changes are excluded" in rule and "population-weighted average" in rule
    assert at.query_params["area"] == ["E01033658"] or at.query_params["area"] == "E01033658"
    # The text alternative lists every LSOA of Manchester (2021 LSOAs).
    assert at.dataframe[0].value.shape[0] == 295


def test_change_page_bad_link_values_fall_back_with_a_visible_note():
    at = _open("views/change.py", {"from": "2025", "to": "2015", "dom": "<b>x</b>", "la": "Atlantis"})
    assert at.title[0].value.startswith("Blackpool: change in Index of Multiple Deprivation (IMD), IoD2019 → IoD2025")
    note = at.info[0].value
    assert "the first edition must be the earlier one" in note and "not a local authority" in note
    assert "<b>" not in note


def test_evaluate_page_saves_and_reopens_an_intervention_by_link(temporary_database):
    at = _open("views/evaluate.py")
    at.text_input(key="eval.name").set_value("Blackpool <b>pilot</b>")
    at.text_area(key="eval.paste").set_value("E01012662 E01012663, E01012664\nE01012665 E01012666 nonsense").run()
    at.button(key="eval.add_codes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="eval.codes").value == ["E01012662", "E01012663", "E01012664", "E01012665", "E01012666"]
    assert "are not English LSOAs" in at.info[0].value
    assert [m.label for m in at.metric][-1] == "Difference-in-differences"
    text = " ".join(m.value for m in at.markdown)
    assert "bootstrap interval" in text and "Regression to the mean" in text

    at.button(key="eval.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    share_id = at.query_params["intervention"]
    share_id = share_id[0] if isinstance(share_id, list) else share_id
    assert temporary_database.exists()

    again = _open("views/evaluate.py", {"intervention": share_id})
    assert again.text_input(key="eval.name").value == "Blackpool <b>pilot</b>"
    assert again.multiselect(key="eval.codes").value == at.multiselect(key="eval.codes").value
    assert "Opened the saved intervention" in again.info[0].value
    assert again.metric[-1].value == at.metric[-1].value  # same seed, same estimate


def test_evaluate_page_with_an_unknown_link_id_starts_a_new_intervention():
    at = _open("views/evaluate.py", {"intervention": "AAAAAAAAAAAAAAAA"})
    assert "No saved intervention has the link id" in at.info[0].value


def test_evaluate_page_keeps_working_when_the_database_is_unavailable(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////proc/placemap/unwritable.db")
    at = _open("views/evaluate.py", {"intervention": "AAAAAAAAAAAAAAAA"})
    assert "Saving and opening interventions is unavailable" in at.warning[0].value
    assert "database is unavailable" in at.info[0].value
    at.text_area(key="eval.paste").set_value("E01012662 E01012663 E01012664").run()
    at.button(key="eval.add_codes").click().run()
    assert not at.exception
    assert [m.label for m in at.metric][-1] == "Difference-in-differences"


def test_change_page_offers_the_measures_that_kept_their_definition():
    at = _open("views/change.py", {"from": "2019", "to": "2025", "la": "E06000009"})
    assert "A measure behind the indices" in " ".join(c.value for c in at.caption)
    at.sidebar.radio(key="change.source").set_value("measure").run()
    at.sidebar.selectbox(key="change.iod_measure").set_value("years_of_life_lost_early").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Change in Years of potential life lost, IoD2019 → IoD2025"
    assert at.query_params["im"] in ("years_of_life_lost_early", ["years_of_life_lost_early"])
