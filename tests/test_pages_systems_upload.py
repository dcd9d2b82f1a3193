"""Uploaded indicators on the systems view, priority finder and hot-spot pages (AppTest, real data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from placemap.data import loaders
from placemap.data.catalogue import get_vintage
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
LSOA_ID, LA_ID = "upload_ab12cd34_0", "upload_la000001_0"


def _tables() -> dict:
    """Blackpool's 94 LSOAs (2021) with values 0..93, the first four missing; and an LA-level rate."""
    areas = loaders.read_areas(get_vintage(2025))
    codes = areas.index[areas["la_code"] == "E06000009"].sort_values()
    values = np.arange(len(codes), dtype=float)
    values[:4] = np.nan
    lsoa = UploadedTable(
        "ab12cd34",
        "Referrals <i>",
        "Food bank, 2025",
        "lsoa21",
        pd.DataFrame({"v": values}, index=pd.Index(codes, name="area_code")),
        [ColumnSpec("v", "<b>x</b>", "per 1,000")],
    )
    la = UploadedTable(
        "la000001",
        "LA rates",
        "Council",
        "la",
        pd.DataFrame({"r": [5.0, 7.0]}, index=pd.Index(["E06000009", "E06000008"], name="area_code")),
        [ColumnSpec("r", "Rate")],
    )
    return {lsoa.id: lsoa, la.id: la}


def _open(page: str, params: dict, uploads: bool = True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    if uploads:
        at.session_state["pm.uploads"] = UPLOADS.keep(_tables().values())
    at.run()
    at.switch_page(page)
    at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


def test_systems_view_plots_uploaded_data_against_a_domain_with_its_source_and_escaped_label():
    at = _open("views/systems.py", {"la": "E06000009", "x": LSOA_ID, "y": LA_ID, "thirds": "england"})
    x = at.sidebar.selectbox(key="systems.x")
    assert x.value == LSOA_ID and "Your data: <b>x</b> (Referrals <i>)" in x.options
    assert at.header[0].value == "\\<b\\>x\\</b\\> against Rate"  # markdown-escaped, shown literally
    assert any("source as stated\\: Food bank, 2025" in i.value for i in at.info)
    assert any("each LSOA shows its local authority's value" in i.value for i in at.info)
    assert any("correlations with it mostly compare wards" in w.value for w in at.warning)
    assert any("90 LSOAs of Blackpool with values on both (of 94)" in c.value for c in at.caption)
    html = _html(at)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html  # the bivariate legend
    assert "No data (4)" in html
    matrix = at.dataframe[-1].value
    assert "Your data: <b>x</b> (Referrals <i>)" in matrix.columns
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Scatter as PNG (print, 300 ppi)" in labels and "Download the correlation matrix (CSV)" in labels


def test_priority_finder_takes_uploaded_conditions_and_a_composite_component():
    at = _open(
        "views/priorities.py",
        {
            "la": "E06000009",
            "doms": "income",
            "n": "2",
            "uc": f"{LSOA_ID}~place~20",
            "ucw": f"{LSOA_ID}~20",
            "show": "composite",
        },
    )
    assert at.sidebar.multiselect(key="priority.uc").value == [LSOA_ID]
    assert at.query_params["uc"] == f"{LSOA_ID}~place~20"
    overlap = at.dataframe[0].value
    # The worst 20% of the 90 LSOAs with a value = the 18 highest (76..93), which sit in the
    # last 18 rows; count those also in England's most deprived 10% on income.
    worst = overlap["Your data: <b>x</b> (Referrals <i>)"] >= 76
    both = worst & overlap["Which"].str.contains("Income")
    assert int(overlap["Meets the rule"].sum()) == int(both.sum()) > 0
    assert any("4 of the place's 94 LSOAs have no value" in c.value for c in at.caption)
    assert [m.value for m in at.metric][3] == "—"  # England's share is not comparable with a place-relative rule
    assert any("computed only where it has a value: **90** of England's LSOAs" in i.value for i in at.info)
    assert "Composite index with your data" in _html(at)


def test_hot_spots_run_on_uploaded_data_and_say_how_many_were_left_out():
    at = _open("views/hotspots.py", {"la": "E06000009", "dom": LSOA_ID, "perm": "99"})
    assert at.sidebar.selectbox(key="hotspots.dom").value == LSOA_ID
    assert any("4 of the 94 LSOAs have no value in your data and were left out" in i.value for i in at.info)
    html = _html(at)
    assert "4 with no value in your data" in html and "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html
    table = at.dataframe[0].value
    assert (table["Class"] == "Not tested: no value in your data").sum() == 4


@pytest.mark.parametrize(
    ("page", "params", "key", "fallback"),
    [
        ("views/systems.py", {"la": "E06000009", "x": LSOA_ID}, "systems.x", "income_rank"),
        ("views/hotspots.py", {"la": "E06000009", "dom": LSOA_ID, "perm": "99"}, "hotspots.dom", "imd"),
        ("views/priorities.py", {"la": "E06000009", "uc": f"{LSOA_ID}~place~20"}, None, None),
    ],
)
def test_an_uploaded_id_in_a_link_without_the_upload_gives_a_plain_note(page, params, key, fallback):
    at = _open(page, params, uploads=False)
    assert any("this browser session does not have" in i.value for i in at.info)
    if key:
        assert at.sidebar.selectbox(key=key).value == fallback
