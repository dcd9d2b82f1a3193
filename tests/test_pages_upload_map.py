"""The map explorer with an uploaded indicator in session state (AppTest): wards, and LSOAs drawn as an image."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageColor
from streamlit.testing.v1 import AppTest

from placemap.data import loaders, prepare
from placemap.data.catalogue import get_vintage
from placemap.render import image_store, raster
from placemap.ui import cache, state, upload_cache
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
NORTH_WEST = "E12000002"


def _areas() -> pd.DataFrame:
    return loaders.read_areas(get_vintage(2025), str(loaders.DATA_DIR))


def _map_with(table: UploadedTable, params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state[state.UPLOADS] = UPLOADS.keep([table])
    at.session_state[state.W_MAP_UPLOADED] = table.indicators()[0].id
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_ward_upload_is_coloured_by_ward_with_its_table():
    blackpool = prepare.areas_in(_areas(), ("E06000009",))
    wards = sorted(blackpool["ward_code"].unique())  # 21 wards (2024)
    values = pd.DataFrame({"rate": np.arange(1.0, len(wards) + 1)}, index=pd.Index(wards, name="area_code"))
    values.iloc[-1, 0] = np.nan
    table = UploadedTable("wards1", "Attendance", "Council <i>", "ward", values, [ColumnSpec("rate", "Absence", "%")])
    at = _map_with(table, {"la": "E06000009"})
    assert any("20 of 21 wards have a value" in i.value for i in at.info)
    shown = at.dataframe[-1].value
    assert len(shown) == 21 and shown["Ward code"].iloc[0] == wards[-2]  # the highest value first
    assert shown["Absence (%)"].iloc[-1] != shown["Absence (%)"].iloc[-1]  # "no data" last (NaN)
    assert any(h.value.startswith("Your data: Absence (%)") for h in at.subheader)


def test_an_lsoa_upload_over_a_region_is_drawn_as_an_image():
    regions = cache.load_regions(2025)
    north_west = prepare.areas_in(_areas(), tuple(regions.index[regions["region_code"] == NORTH_WEST]))
    some = north_west.index[::3]  # a third of the region's LSOAs have a value, the rest "no data"
    values = pd.DataFrame({"v": np.linspace(0, 100, len(some))}, index=pd.Index(some, name="area_code"))
    table = UploadedTable("lsoas1", "Survey", "", "lsoa21", values, [ColumnSpec("v", "Wellbeing")])
    at = _map_with(table, {"region": NORTH_WEST, "geo": "lsoa"})
    notes = " ".join(i.value for i in at.info)
    assert f"{len(some):,} of {len(north_west):,} LSOAs have a value" in notes and "grey stripes" in notes
    assert any("one image at this extent" in c.value for c in at.caption)
    assert at.dataframe[-1].value["Wellbeing"].iloc[0] == 100  # higher is worse: first
    # The same cached image the page drew: the region's LSOAs, unmatched ones striped.
    url, _, version, _ = upload_cache.upload_raster_layer(
        2025,
        tuple(sorted(north_west["la_code"].unique())),
        table,
        table.indicators()[0],
        "national_deciles",
        10,
        "viridis",
    )
    assert version.startswith(table.indicators()[0].id)
    colours = {
        rgb for _, rgb in Image.open(image_store.GENERATED_DIR / Path(url).name).convert("RGB").getcolors(1 << 16)
    }
    assert ImageColor.getrgb(raster.NO_DATA_HATCH) in colours and len(colours) >= 10


def test_map_exports_of_a_ward_upload_show_the_wards_source_and_uploaded_areas():
    import geopandas as gpd
    from shapely.geometry import box

    from placemap.render import uploaded_maps
    from placemap.uploads.uploaded_boundaries import AREA_ID, AREA_LABEL, UploadedAreas

    blackpool = prepare.areas_in(_areas(), ("E06000009",))
    wards = sorted(blackpool["ward_code"].unique())
    values = pd.DataFrame({"rate": np.arange(1.0, len(wards) + 1)}, index=pd.Index(wards, name="area_code"))
    table = UploadedTable("wards2", "Attendance", "Council <i>", "ward", values, [ColumnSpec("rate", "Absence", "%")])
    indicator = table.indicators()[0]
    patch = gpd.GeoDataFrame(
        {AREA_ID: ["A1"], AREA_LABEL: ["<b>Our patch</b>"]}, geometry=[box(-3.05, 53.80, -3.03, 53.82)], crs=4326
    )
    areas = (UploadedAreas("a9", "Patch", "", patch),)
    keys = (uploaded_maps.upload_key(table, indicator), uploaded_maps.areas_key(list(areas)))
    args = (2025, "E06000009", "imd_decile", "quantiles", 5, "viridis")
    svg = upload_cache.load_upload_static_map(*args, "svg", "E01012710", *keys, table, indicator, areas).decode()
    assert "Blackpool: Absence" in svg and "21 wards" in svg
    assert "Source: Council &lt;i&gt;, uploaded" in svg and "Your areas (uploaded)" in svg
    assert "Blackpool 009E (E01012710)" in svg  # the selected LSOA is still outlined
    page = upload_cache.load_upload_map_html(*args, None, *keys, table, indicator, areas).decode()
    assert "Blackpool: Absence" in page and "as stated by the uploader" in page
    assert page.count('"d": 1') == 21  # every ward drawn, each with a value
    assert "<b>Our patch</b>" not in page and "Our patch" in page  # the uploaded area, escaped
