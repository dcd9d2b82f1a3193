"""A data file missing or corrupt at start-up: the app starts, says which file, and the rest works."""

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from placemap.data import loaders

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.realdata


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    """A copy of data/ the test may damage; the app reads it instead of the real one."""
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    monkeypatch.setattr(loaders, "DATA_DIR", copy)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield copy
    st.cache_data.clear()
    st.cache_resource.clear()


def _run(page: str | None = None, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if params:
        at.query_params.update(params)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_corrupt_edition_is_named_and_the_other_editions_still_map(broken_data):
    (broken_data / "iod" / "iod2019_lsoa11.parquet").write_bytes(b"not a parquet file")
    at = _run(params={"v": "2019"})
    warning = " ".join(w.value for w in at.warning)
    assert "IoD2019 is unavailable" in warning and "iod2019_lsoa11.parquet: could not be read" in warning
    assert at.sidebar.selectbox(key="map.year").options == ["IoD2025", "IoD2015"]
    assert at.title[0].value.startswith("Blackpool:")  # the map still works on IoD2025


def test_missing_boundary_file_gives_a_plain_message_and_other_pages_work(broken_data):
    (broken_data / "boundaries" / "lad24.parquet").unlink()
    at = _run()
    assert any("lad24.parquet: file not found" in e.value for e in at.error)
    at.switch_page("views/about.py").run()
    assert not at.exception
    assert at.title[0].value == "About the data"
