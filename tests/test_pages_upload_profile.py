"""Uploaded indicators and areas on the profile and compare pages (AppTest, real data)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from placemap.render import export
from placemap.ui import profile_cache
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
BLACKPOOL_LSOAS = ["E01012662", "E01012663", "E01012664"]  # LSOAs (2021) of Blackpool
HOSTILE = "<script>alert(1)</script>"


def _tables() -> dict:
    lsoa = UploadedTable(
        "t1",
        "Referrals",
        "Food bank <b>2025</b>",
        "lsoa21",
        pd.DataFrame({"r": [12.5, 10.5, 11.5]}, index=pd.Index(BLACKPOOL_LSOAS, name="area_code")),
        [ColumnSpec("r", f"{HOSTILE} referrals", "per 1,000")],
    )
    la = UploadedTable(
        "t2",
        "Attendance",
        "=cmd|'/c calc'!A1",
        "la",
        pd.DataFrame(
            {"a": [91.0, 94.0, 95.5]}, index=pd.Index(["E06000009", "E08000003", "E06000008"], name="area_code")
        ),
        [ColumnSpec("a", "=Attendance", "%", polarity="low_is_deprived")],
    )
    old = UploadedTable(
        "t3",
        "Old LSOAs",
        "",
        "lsoa11",
        pd.DataFrame({"o": [1.0]}, index=pd.Index(["E01012662"], name="area_code")),
        [ColumnSpec("o", "Old survey")],
    )
    return {t.id: t for t in (lsoa, la, old)}


def _open(page: str, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["pm.uploads"] = UPLOADS.keep(_tables().values())
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


def loaders_areas():
    from placemap.data import loaders
    from placemap.data.catalogue import get_vintage

    return loaders.read_areas(get_vintage(2025))


def _areas():
    import geopandas as gpd

    from placemap.data import loaders
    from placemap.data.catalogue import get_vintage
    from placemap.uploads.uploaded_boundaries import UploadedAreas

    lsoas = loaders.read_area_boundaries(loaders.data_path(get_vintage(2025).boundary_file))
    frame = gpd.GeoDataFrame(
        {"area_id": ["A1"], "area_name": [f"{HOSTILE} plan area"]},
        geometry=[lsoas.loc[BLACKPOOL_LSOAS, "geometry"].union_all()],
        crs=lsoas.crs,
    ).to_crs(4326)
    return UploadedAreas("b0000001", "Plan areas", "Parish council", frame.set_index("area_id", drop=False))


def test_an_uploaded_area_opens_as_a_profile_from_its_link():
    at = AppTest.from_file(APP, default_timeout=180)
    areas = _areas()
    at.session_state["pm.uploads"] = UPLOADS.keep([*_tables().values(), areas])
    at.query_params.update({"v": "2025", "upload_area": "b0000001:A1"})
    at.switch_page("views/profile.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "\\<script\\>alert\\(1\\)\\</script\\> plan area: area profile"
    assert at.sidebar.selectbox(key="profile.upload_area").value == "b0000001:A1"
    assert any("population multiplied by the share" in i.value for i in at.info)  # the method, stated
    measures, your_data, lsoas = (d.value for d in at.dataframe)
    assert sorted(lsoas["LSOA code"]) == BLACKPOOL_LSOAS  # exactly the three LSOAs it was made of
    assert lsoas["Share of the LSOA inside"].min() > 0.99
    imd = measures.set_index("Measure")["Value"].filter(like="average rank").iloc[0]
    ranks = lsoas["LSOA code"].map(loaders_areas()["IMD_rank"])
    assert ranks.min() <= imd <= ranks.max()  # a weighted mean of its own LSOAs' ranks
    referrals = your_data.set_index("Indicator").loc[f"{HOSTILE} referrals"]
    assert 10.5 <= referrals["Population-weighted mean"] <= 12.5 and referrals["LSOAs with a value"] == "3 of 3"
    assert {"Download the profile report (PDF)", "Measures as CSV", "LSOAs as CSV", "Your data as CSV"} <= {
        b.proto.label for b in at.get("download_button")
    }
    assert at.query_params["upload_area"] == "b0000001:A1"


def test_a_link_to_an_uploaded_area_the_session_lacks_gets_a_note():
    at = _open("views/profile.py", {"v": "2025", "upload_area": "b0000009:A1"})
    assert at.title[0].value == "Blackpool: area profile"
    assert any("which this browser session does not hold" in i.value for i in at.info)


def test_the_profile_report_pdf_includes_uploaded_indicators(tmp_path):
    import shutil
    import subprocess

    from placemap.analysis import upload_profile
    from placemap.data import loaders
    from placemap.data.catalogue import get_vintage

    areas = loaders.read_areas(get_vintage(2025))
    section = upload_profile.lsoa_section(list(_tables().values()), 2025, areas, "E01012663")
    pdf = profile_cache.load_report_pdf(2025, "E01012663", "", your_data_key=section.key(), _your_data=section)
    (tmp_path / "r.pdf").write_bytes(pdf)
    text = subprocess.run(
        [shutil.which("pdftotext"), str(tmp_path / "r.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Your data (uploaded indicators)" in text and "=Attendance" in text
    assert "Food bank <b>2025</b>, uploaded; not checked by Placemap" in text
    assert "Old survey is on LSOAs (2011)" in text  # the upload that cannot join, said in one line


def test_compare_lsoas_shows_each_lsoas_uploaded_value_and_rank():
    at = _open("views/compare.py", {"cmp": "E01012662,E01012664", "v": "2025"})
    table = next(d.value for d in at.dataframe if "Indicator" in d.value.columns)
    referrals = table[table["Indicator"] == f"{HOSTILE} referrals"]
    assert referrals["Value"].tolist() == [12.5, 11.5]
    assert referrals["Rank among all with a value (1 = worst)"].tolist() == ["1 of 3 LSOAs", "2 of 3 LSOAs"]
    notes = " ".join(i.value for i in at.info)
    assert "Old survey is on LSOAs \\(2011\\)" in notes


def test_choosing_an_lsoa_leaves_the_uploaded_area_for_the_lsoas_profile():
    at = AppTest.from_file(APP, default_timeout=180)
    areas = _areas()
    at.session_state["pm.uploads"] = UPLOADS.keep([areas])
    at.query_params.update({"v": "2025", "upload_area": "b0000001:A1"})
    at.switch_page("views/profile.py").run()
    assert at.title[0].value.endswith("plan area: area profile")
    at.sidebar.selectbox(key="profile.area").select("E01012663").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Blackpool 001A: area profile"
    assert at.sidebar.selectbox(key="profile.upload_area").value is None
    assert "upload_area" not in at.query_params and at.query_params["area"] == "E01012663"


def test_a_saved_areas_link_opens_the_area_profile_in_a_new_session(tmp_path, monkeypatch):
    from placemap.storage import store, upload_store

    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    areas = _areas()
    db = store.open_store(store.database_url())
    share_id = upload_store.save_upload(db, "areas", areas.name, areas.source, areas.to_payload(), None, 1)
    at = _open("views/profile.py", {"v": "2025", "upload": share_id, "upload_area": f"{share_id}:A1"})
    assert at.title[0].value.endswith("plan area: area profile")
    assert any("Opened the saved dataset" in i.value for i in at.info)
    assert at.query_params["upload"] == share_id  # the link stays shareable
