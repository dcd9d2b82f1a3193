"""The change and evaluation pages with uploaded data in the session (AppTest on the real data)."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from placemap.data import loaders
from placemap.data.catalogue import get_vintage
from placemap.storage import store
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable
from placemap.uploads.uploaded_boundaries import UploadedAreas

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
BLACKPOOL = "E06000009"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(autouse=True)
def _temporary_database(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))


def _blackpool() -> pd.Index:
    areas = loaders.read_areas(get_vintage(2025), str(loaders.DATA_DIR))
    return areas.index[areas["la_code"] == BLACKPOOL].sort_values()


def _attendance(columns: int = 2, effect: float = 0.0) -> UploadedTable:
    """Attendance of Blackpool's LSOAs (2021) in 2022 and 2024; the first six LSOAs rise by ``effect`` more."""
    codes = _blackpool()
    rng = np.random.default_rng(1)
    before = rng.normal(90, 3, len(codes))
    after = before + 1 + rng.normal(0, 0.5, len(codes))
    after[:6] += effect
    values = pd.DataFrame({"att_2022": before, "att_2024": after}, index=pd.Index(codes, name="area_code"))
    specs = [
        ColumnSpec("att_2022", f"Attendance 2022 {HOSTILE}", "%", "local", "low_is_deprived"),
        ColumnSpec("att_2024", "Attendance 2024", "%", "local", "low_is_deprived"),
    ][:columns]
    return UploadedTable(
        "abcd1234", f"Attendance {HOSTILE}", "Blackpool Council", "lsoa21", values.iloc[:, :columns], specs
    )


def _plan_area() -> UploadedAreas:
    """An uploaded area covering exactly the first six LSOAs (2021) of Blackpool."""
    lsoas = loaders.read_area_boundaries(loaders.data_path(get_vintage(2025).boundary_file))
    shape = lsoas.loc[list(_blackpool()[:6])].geometry.union_all()
    frame = gpd.GeoDataFrame({"area_id": ["A1"], "area_name": [f"Plan {HOSTILE}"]}, geometry=[shape], crs=4326)
    return UploadedAreas("b1234567", "Neighbourhood plans", "Council", frame.set_index("area_id", drop=False))


def _open(page: str, uploads: list | None = None, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    if uploads:
        at.session_state["pm.uploads"] = UPLOADS.keep(uploads)
    if params:
        at.query_params.update(params)
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _param(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


PAIRS = {
    # source: (how the page is opened, its title, the polarity sentence, the link it writes, slope table's "before")
    "upload": (
        {},
        "Change in your data: Attendance \\<img src=x onerror=alert\\(1\\)\\>",
        "Lower values are worse, so a rise is shown as **better**",
        {"ud": "abcd1234", "ub": "1", "ua": "2"},
        "Before: Attendance 2022",
    ),
    "measure": (
        {"im": "years_of_life_lost_early"},
        "Change in Years of potential life lost, IoD2019 → IoD2025",
        "Higher values are worse, so a fall is shown as **better**",
        {"im": "years_of_life_lost_early", "la": BLACKPOOL},
        "Before: Years of potential life lost (IoD2019)",
    ),
}


@pytest.mark.parametrize("source", PAIRS)
def test_change_between_two_indicators_is_mapped_tabled_and_linked(source):
    params, title, polarity, link, slope_before = PAIRS[source]
    at = _open("views/change.py", [_attendance(), _plan_area()], params)
    if source == "upload":
        assert at.sidebar.radio(key="change.source").value == "iod"  # the index change until asked
        assert any("Orange dashed outlines" in c.value for c in at.caption)  # uploaded areas on the index map too
        at.sidebar.radio(key="change.source").set_value("upload").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.radio(key="change.source").value == source
    assert at.title[0].value == title
    text = " ".join(m.value for m in at.markdown)
    assert polarity in text and "Blackpool" in text
    assert not re.search(r"(?<!\\)<img", text)  # uploaded labels are escaped
    table = at.dataframe[0].value
    assert len(table) == len(_blackpool())  # one row per LSOA of Blackpool
    better = table[table["Direction"] != "No data"]
    assert len(better) > 80 and set(better["Direction"]) <= {"Better", "Worse", "Little or no change"}
    assert table["Direction"].tolist()[: len(better)] == better["Direction"].tolist()  # no data last
    assert any("Orange dashed outlines" in c.value for c in at.caption)
    assert {k: _param(at, k) for k in link} == link
    slope = at.dataframe[1].value
    assert slope.columns[1].startswith(slope_before)
    assert "Download this table (CSV)" in [b.proto.label for b in at.get("download_button")]
    if source == "measure":
        assert "How it was compared" in table.columns
        words = " ".join(m.value for m in at.markdown).replace("\\", "")
        assert "Children in income-deprived families (IoD2019)" in words  # listed as changed, with its reason
    else:
        change = table["Change (%)"].to_numpy(float)
        assert (np.diff(change) >= -1e-9).all()  # worse (smaller rise) first


def test_a_one_column_upload_says_change_needs_two_columns():
    at = _open("views/change.py", [_attendance(columns=1)], {"ud": "abcd1234"})
    assert at.sidebar.radio(key="change.source").value == "upload"
    assert any("Change needs two columns of the same table" in i.value for i in at.info)


def test_a_change_link_to_data_not_in_the_session_falls_back_with_a_note():
    at = _open("views/change.py", [_attendance()], {"ud": "zzzz9999", "ub": "x", "la": BLACKPOOL})
    notes = " ".join(i.value for i in at.info)
    assert "is not a column number" in notes and "is not in this session" in notes
    assert "No saved dataset" not in notes
    assert at.sidebar.radio(key="change.source").value == "iod"
    assert at.title[0].value.startswith("Blackpool: change in")


OUTCOMES = {
    # outcome: (the unit of every figure, words only that outcome's caveats and notes say)
    "iod": ("points", ["Ranks are relative", "The 2025 method change"]),
    "upload": ("%", ["Matched on deprivation, not on your measure", "Your data.", "Outcome: **your data**"]),
}


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_an_evaluation_reads_its_outcome_from_the_indicator_records(outcome):
    unit, words = OUTCOMES[outcome]
    at = _open("views/evaluate.py", [_attendance(effect=3.0)])
    at.text_area(key="eval.paste").set_value(" ".join(_blackpool()[:6])).run()
    at.button(key="eval.add_codes").click().run()
    at.sidebar.radio(key="eval.outcome").set_value(outcome).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value.endswith(unit) for m in at.metric] == [True, True, True]
    text = " ".join(m.value for m in at.markdown) + " ".join(i.value for i in at.info)
    assert all(w in text for w in words) and "Not proof of cause" in text and "Regression to the mean" in text
    other = [w for o, (_u, ws) in OUTCOMES.items() if o != outcome for w in ws]
    assert not any(w in text for w in other)
    assert ("as stated by the uploader" in " ".join(c.value for c in at.caption)) == (outcome == "upload")
    assert "Download the matched pairs (CSV)" in [b.proto.label for b in at.get("download_button")]


def test_evaluation_from_an_uploaded_area_and_outcome_saves_and_reopens_without_the_upload():
    at = _open("views/evaluate.py", [_attendance(effect=3.0), _plan_area()])
    at.multiselect(key="eval.areas").set_value(["A1"]).run()
    chosen = at.dataframe[0].value
    assert chosen["In the intervention"].tolist() == ["Yes"] * 6
    assert "at least 50% of its population" in " ".join(c.value for c in at.caption)
    at.button(key="eval.add_areas").click().run()
    assert at.multiselect(key="eval.codes").value == list(_blackpool()[:6])
    at.sidebar.radio(key="eval.outcome").set_value("upload").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value.endswith("%") for m in at.metric] == [True, True, True]
    did = float(at.metric[-1].value.split()[0])
    assert 2.0 < did < 4.0  # the planted rise of 3 points
    assert "did better on this measure" in " ".join(m.value for m in at.markdown)
    assert any("How these LSOAs were chosen" in c.value and "\\<img" in c.value for c in at.caption)
    at.text_input(key="eval.name").set_value("Plan pilot").run()
    at.button(key="eval.save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    share_id = _param(at, "intervention")
    saved = store.open_store(store.database_url()).get_intervention(share_id).intervention
    assert saved.outcome.after_column == "att_2024" and "50%" in saved.selection_rule

    without = _open("views/evaluate.py", params={"intervention": share_id})  # a new session, no upload
    notes = " ".join(i.value for i in without.info)
    assert "Opened the saved intervention" in notes and "which is not in this session" in notes
    assert "No saved dataset" not in notes  # one plain note, not two
    assert [m.label for m in without.metric][-1] == "Difference-in-differences"  # the IMD outcome instead

    again = _open("views/evaluate.py", [_attendance(effect=3.0)], {"intervention": share_id})
    assert again.sidebar.radio(key="eval.outcome").value == "upload"
    assert again.metric[-1].value == at.metric[-1].value  # same data, same seed, same estimate


def test_a_change_link_to_a_saved_upload_opens_it_from_the_database():
    from placemap.storage import upload_store

    table = _attendance()
    db = store.open_store(store.database_url())
    share_id = upload_store.save_upload(db, "indicators", table.name, "Council", table.to_payload(), "lsoa21", 94)
    at = _open("views/change.py", params={"ud": share_id, "ub": "2", "ua": "1", "la": BLACKPOOL})
    assert at.sidebar.radio(key="change.source").value == "upload"
    assert any("Opened the saved dataset" in i.value for i in at.info)
    assert at.title[0].value.startswith("Change in your data: Attendance")
    assert at.sidebar.selectbox(key="change.ubefore").value == 1  # the link's columns, 1-based
    table_shown = at.dataframe[0].value
    assert table_shown.columns[4] == "Before: Attendance 2024"
