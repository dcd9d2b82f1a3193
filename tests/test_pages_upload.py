"""The Bring your own data page in AppTest: upload, check, describe, map, save, share, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from placemap.storage import store, upload_store
from placemap.uploads.table import UploadedTable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "views/upload.py"
pytestmark = pytest.mark.realdata
BLACKPOOL_LSOAS = ["E01012662", "E01012663", "E01012664"]  # LSOAs (2021) of Blackpool


@pytest.fixture(autouse=True)
def _temporary_database(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEMAP_DB_PATH", str(tmp_path / "placemap.db"))
    monkeypatch.delenv("DATABASE_URL", raising=False)


def _page(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    if params:
        at.query_params.update(params)
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _csv() -> bytes:
    rows = ["lsoa21cd;<b>Referrals</b>;note"] + [f"{c};{10 + i},5;ok" for i, c in enumerate(BLACKPOOL_LSOAS)]
    rows += ["E01999999;3;bad code", "E01012665;lots;text"]
    return "\n".join(rows).encode("cp1252")


def test_the_page_opens_and_states_its_limits():
    at = _page()
    assert at.title[0].value == "Bring your own data"
    assert any("5.0 MB" in m.value and "20.0 MB" in m.value for m in at.markdown)


def test_an_uploaded_table_is_checked_described_and_mapped():
    at = _page()
    at.file_uploader(key="upload.table").upload("referrals.csv", _csv(), "text/csv").run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(w.value for w in at.warning)
    assert "did not match" in warnings and "E01999999" in warnings
    assert "row 6" in warnings  # "lots" is on row 6 of the file
    assert any("semicolon" in i.value for i in at.info)
    at.text_input(key="upload.label.0").input("Food bank referrals")
    at.text_area(key="upload.source").input("Blackpool Food Bank, 2025 <i>")
    at.get("form_submit_button")[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Added 1 indicator" in s.value for s in at.success)
    at.switch_page("views/map.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox(key="map.uploaded").value.startswith("upload_")
    assert any("Source: Blackpool Food Bank" in c.value and "3 of 94 LSOAs have a value" in c.value for c in at.caption)
    table = at.dataframe[-1].value
    assert len(table) == 94  # every LSOA of Blackpool, most with no value
    assert table["Food bank referrals"].dropna().tolist() == [12.5, 11.5, 10.5]  # higher is worse: first


def test_a_geojson_that_is_not_json_gets_its_message():
    at = _page()
    at.file_uploader(key="upload.bounds").upload("areas.geojson", b"{not json", "application/geo+json").run()
    assert not at.exception
    assert any("not valid JSON" in e.value for e in at.error)


def test_uploaded_boundaries_get_aggregated_official_measures():
    import geopandas as gpd

    from placemap.data import loaders
    from placemap.data.catalogue import get_vintage

    lsoas = loaders.read_area_boundaries(loaders.data_path(get_vintage(2025).boundary_file))
    one = lsoas.loc[["E01012662"], ["area_name", "geometry"]].rename(columns={"area_name": "name"})
    data = gpd.GeoDataFrame(one, crs=4326).to_json().encode()
    at = _page()
    at.file_uploader(key="upload.bounds").upload("one.geojson", data, "application/geo+json").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("population-weighted" in c.value or "population multiplied" in c.value for c in at.caption)
    table = at.dataframe[-1].value
    assert len(table) == 1 and table.iloc[0]["Area"] == one["name"].iloc[0]


def test_a_shared_link_opens_a_saved_dataset_that_only_its_owner_can_delete(tmp_path):
    import pandas as pd

    db = store.open_store(store.database_url())
    values = pd.DataFrame({"v": [1.0, 2.0]}, index=pd.Index(BLACKPOOL_LSOAS[:2], name="area_code"))
    from placemap.uploads.table import ColumnSpec

    table = UploadedTable("x", "Shared <b>table</b>", "Council", "lsoa21", values, [ColumnSpec("v", "V")])
    share_id = upload_store.save_upload(
        db, "indicators", table.name, table.source, table.to_payload(), "lsoa21", 2, owner="session:someone-else"
    )
    at = _page({"upload": share_id})
    assert any("Opened the saved dataset" in i.value and "Shared \\<b\\>table\\</b\\>" in i.value for i in at.info)
    assert f"upload.delete.{share_id}" not in {b.key for b in at.button}  # someone else's: not listed, no Delete
    own = upload_store.save_upload(
        db,
        "indicators",
        "Mine",
        "Council",
        table.to_payload(),
        "lsoa21",
        2,
        owner=f"session:{at.session_state['ws.participant']}",
    )
    at.run()
    at.button(key=f"upload.delete.{own}").click().run()
    assert not at.exception
    assert upload_store.get_upload(db, own) is None and upload_store.get_upload(db, share_id) is not None


def test_a_bad_upload_link_gets_a_note():
    at = _page({"upload": "<script>"})
    assert any("is not a saved dataset's link id" in i.value for i in at.info)
