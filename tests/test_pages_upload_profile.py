"""Uploaded indicators and areas on the profile and compare pages (AppTest, real data)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from placemap import export
from placemap.upload import ColumnSpec, UploadedTable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
BLACKPOOL_LSOAS = ["E01012662", "E01012663", "E01012664"]  # LSOAs (2021) of Blackpool
HOSTILE = "<script>alert(1)</script>"


def _tables() -> dict:
    lsoa = UploadedTable(
        "t1", "Referrals", "Food bank <b>2025</b>", "lsoa21",
        pd.DataFrame({"r": [12.5, 10.5, 11.5]}, index=pd.Index(BLACKPOOL_LSOAS, name="area_code")),
        [ColumnSpec("r", f"{HOSTILE} referrals", "per 1,000")],
    )  # fmt: skip
    la = UploadedTable(
        "t2", "Attendance", "=cmd|'/c calc'!A1", "la",
        pd.DataFrame({"a": [91.0, 94.0, 95.5]}, index=pd.Index(["E06000009", "E08000003", "E06000008"], name="area_code")),
        [ColumnSpec("a", "=Attendance", "%", polarity="low_is_deprived")],
    )  # fmt: skip
    old = UploadedTable(
        "t3", "Old LSOAs", "", "lsoa11",
        pd.DataFrame({"o": [1.0]}, index=pd.Index(["E01012662"], name="area_code")), [ColumnSpec("o", "Old survey")],
    )  # fmt: skip
    return {t.id: t for t in (lsoa, la, old)}


def _open(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["pm.uploads"] = _tables()
    at.query_params.update(params)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _your_data(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Indicator" in d.value.columns)


def test_lsoa_profile_lists_uploaded_indicators_with_ranks_and_sources():
    at = _open("views/profile.py", {"area": "E01012663", "v": "2025"})
    assert any(h.value == "Your data" for h in at.header)
    table = _your_data(at).set_index("Indicator")
    referrals = table.loc[f"{HOSTILE} referrals"]
    assert referrals["Value"] == 10.5
    assert referrals["Rank in the local authority (1 = worst)"] == "3 of 3 LSOAs"  # lowest is best
    assert referrals["Source"] == "Food bank <b>2025</b>, uploaded; not checked by Placemap"
    attendance = table.loc["=Attendance"]
    assert attendance["Rank among all with a value (1 = worst)"] == "1 of 3 local authorities"  # lower is worse
    assert "each LSOA shows its local authority's value" in attendance["How it joins"]
    notes = " ".join(i.value for i in at.info)
    assert "Old survey is on LSOAs \\(2011\\)" in notes and "choose IoD2019 or IoD2015" in notes
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Your data as CSV", "Your data chart as PNG (print, 300 ppi)", "Your data chart as SVG"} <= set(labels)


def test_uploaded_labels_are_escaped_on_the_profile_page():
    at = _open("views/profile.py", {"area": "E01012663", "v": "2025"})
    shown = " ".join(m.value for m in (*at.markdown, *at.caption, *at.info))
    assert "<script>" not in shown and "<b>" not in shown
    assert "Food bank \\<b\\>2025\\</b\\>" in shown  # the stated source, shown literally


def test_your_data_csv_neutralises_formula_labels_and_sources():
    at = _open("views/profile.py", {"area": "E01012663", "v": "2025"})
    table = _your_data(at)
    csv = export.to_safe_csv(table).decode("utf-8-sig")
    assert "'=Attendance" in csv and "\n=Attendance" not in csv and ",=Attendance" not in csv
    assert "Your data as CSV" in [b.proto.label for b in at.get("download_button")]


def test_la_profile_summarises_lsoa_uploads_and_ranks_la_uploads():
    at = _open("views/profile.py", {"la": "E06000009", "v": "2025"})
    table = _your_data(at).set_index("Indicator")
    referrals = table.loc[f"{HOSTILE} referrals"]
    assert (referrals["Median"], referrals["Lowest"], referrals["Highest"]) == (11.5, 10.5, 12.5)
    assert referrals["Areas with a value"] == "3 of 94 LSOAs"
    attendance = table.loc["=Attendance"]
    assert attendance["Value"] == 91.0 and attendance["Rank among local authorities (1 = worst)"] == "1 of 3"


def test_compare_page_adds_uploaded_indicators_as_rows_and_charts():
    at = _open("views/compare.py", {"cmp": "E06000009,E08000003", "v": "2025"})
    assert len(at.get("vega_lite_chart")) == 14 + 2  # the official domains, then one chart per uploaded indicator
    table = next(d.value for d in at.dataframe if "Indicator" in d.value.columns)
    attendance = table[table["Indicator"] == "=Attendance"].set_index("Area")["Value"]
    assert attendance.to_dict() == {"Blackpool (E06000009)": 91.0, "Manchester (E08000003)": 94.0}
    referrals = table[table["Indicator"] == f"{HOSTILE} referrals"].set_index("Area")
    assert referrals.loc["Blackpool (E06000009)", "Value"] == 11.5  # the median of its LSOAs with a value
    assert "Your data as CSV" in [b.proto.label for b in at.get("download_button")]
