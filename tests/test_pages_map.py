"""The map explorer over official and uploaded indicators alike (AppTest on the real data).

One page path draws an official index, a measure behind it, and a session's uploads (LSOA, ward and
LA data): the title, the legend with its direction line, the table beneath, the image and its zoom
tiles at large extents, and the exports, each test run over several of them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageColor
from streamlit.testing.v1 import AppTest

from placemap.data import loaders, prepare
from placemap.data.catalogue import get_vintage
from placemap.render import choropleth, image_store, raster, uploaded_maps
from placemap.ui import cache, profile_cache, state
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
BLACKPOOL, NORTH_WEST = "E06000009", "E12000002"


def _areas() -> pd.DataFrame:
    return loaders.read_areas(get_vintage(2025), str(loaders.DATA_DIR))


def _upload(kind: str) -> UploadedTable:
    """An uploaded table over Blackpool (or, for "region", a third of the North West's LSOAs)."""
    if kind == "ward":
        wards = sorted(prepare.areas_in(_areas(), (BLACKPOOL,))["ward_code"].unique())  # 21 wards (2024)
        values = pd.DataFrame({"rate": np.arange(1.0, len(wards) + 1)}, index=pd.Index(wards, name="area_code"))
        values.iloc[-1, 0] = np.nan  # one ward without a value: its LSOAs read "no data"
        return UploadedTable(
            "wards1", "Attendance", "Council <i>", "ward", values, [ColumnSpec("rate", "Absence", "%")]
        )
    if kind == "la":
        values = pd.DataFrame({"rate": [91.5, 95.0]}, index=pd.Index([BLACKPOOL, "E06000008"], name="area_code"))
        return UploadedTable(
            "las1",
            "Attendance",
            "DfE",
            "la",
            values,
            [ColumnSpec("rate", "Attendance", "%", polarity="low_is_deprived")],
        )
    if kind == "region":
        regions = cache.load_regions(2025)
        place = prepare.areas_in(_areas(), tuple(regions.index[regions["region_code"] == NORTH_WEST]))
        some = place.index[::3]  # the rest "no data"
        values = pd.DataFrame({"v": np.linspace(0, 100, len(some))}, index=pd.Index(some, name="area_code"))
        return UploadedTable("lsoas1", "Survey", "", "lsoa21", values, [ColumnSpec("v", "Wellbeing")])
    if kind == "lsoa11":
        values = pd.DataFrame({"v": [1.0]}, index=pd.Index(["E01012662"], name="area_code"))
        return UploadedTable("old1", "Old", "", "lsoa11", values, [ColumnSpec("v", "Old survey")])
    codes = prepare.areas_in(_areas(), (BLACKPOOL,)).index[:50]  # 50 of Blackpool's 94 LSOAs
    values = pd.DataFrame({"v": np.arange(50.0)}, index=pd.Index(codes, name="area_code"))
    return UploadedTable("lsoas2", "Survey", "Food bank", "lsoa21", values, [ColumnSpec("v", "Referrals")])


def _map(params: dict, table: UploadedTable | None = None, indicator: str | None = None, viewport=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if table is not None:
        at.session_state[state.UPLOADS] = UPLOADS.keep([table])
        at.session_state[state.W_MAP_UPLOADED] = table.indicators()[0].id
    if viewport is not None:
        at.session_state[state.W_MAP] = viewport
    at.query_params.update({**params, **({"ind": indicator} if indicator else {})})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _legend(at: AppTest) -> str:
    return " ".join(h.proto.body for h in at.get("html"))


# (kind, label, the table's first value (the worst), LSOAs with a value, a note the page shows)
BLACKPOOL_MAPS = [
    ("official", "Income: score", None, 94, "are among England's most deprived 10%"),
    ("measure", "People in income deprivation", None, 94, "are among England's most deprived 10%"),
    ("lsoa", "Referrals", 49.0, 50, "classed in quantiles of the areas shown"),
    ("ward", "Absence", 20.0, 89, "each LSOA shows its ward's value"),
]


@pytest.mark.parametrize(("kind", "label", "worst", "with_value", "note"), BLACKPOOL_MAPS)
def test_an_indicator_on_blackpool_has_its_title_legend_direction_table_and_download(
    kind, label, worst, with_value, note
):
    ids = {"official": "income_score", "measure": "income_deprived_people_2025"}
    at = _map({"la": BLACKPOOL}, None if kind in ids else _upload(kind), ids.get(kind))
    assert at.title[0].value.replace("\\", "").startswith(f"Blackpool: {label}")
    legend = _legend(at)
    assert label in legend and "Darker = worse" in legend  # the direction line, uploads included
    assert any(note in m.value for m in [*at.markdown, *at.info])
    table = at.dataframe[-1].value
    column = next(c for c in table.columns if c.startswith(label))
    assert len(table) == 94 and int(table[column].notna().sum()) == with_value
    ranks = table["National rank (1 = most deprived)"]
    assert ranks.dropna().is_monotonic_increasing and ranks.isna().is_monotonic_increasing  # worst first, no data last
    if worst is not None:
        assert table[column].iloc[0] == worst and table[column].iloc[-1] != table[column].iloc[-1]
        assert any(f"{with_value} of 94 LSOAs have a value" in c.value for c in at.caption)
    assert at.get("download_button")  # the table (and the map) as files


@pytest.mark.parametrize("kind", ["official", "region"])
def test_a_region_at_lsoa_level_is_one_image_with_zoom_tiles_for_official_and_uploaded_data(kind):
    table = _upload("region") if kind == "region" else None
    viewport = {  # zoomed in over central Manchester
        "last_clicked": None,
        "zoom": 12,
        "bounds": {"_southWest": {"lat": 53.455, "lng": -2.33}, "_northEast": {"lat": 53.505, "lng": -2.155}},
    }
    for old in (image_store.GENERATED_DIR / image_store.TILES_DIR).glob("*/12/2022/1325.png"):
        old.unlink()  # drawn by an earlier run: this run must draw it
    at = _map({"region": NORTH_WEST, "geo": "lsoa"}, table, "imd_score", viewport)
    assert any("one image at this extent" in c.value for c in at.caption)
    regions = cache.load_regions(2025)
    la_codes = tuple(sorted(regions.index[regions["region_code"] == NORTH_WEST]))
    indicator_id = table.indicators()[0].id if table else "imd_score"
    upload = UPLOADS.put(table) if table else ""
    choice = choropleth.MapChoice(2025, la_codes, indicator_id, "national_deciles", 10, "viridis")
    url, _, version, _ = cache.raster_layer(choice, upload)
    assert indicator_id in version  # the same cached image the page drew
    colours = {
        rgb for _, rgb in Image.open(image_store.GENERATED_DIR / Path(url).name).convert("RGB").getcolors(1 << 16)
    }
    assert len(colours) >= 10 and (ImageColor.getrgb(raster.NO_DATA_HATCH) in colours) == (table is not None)
    key = Path(url).stem.rsplit("-", 1)[-1]
    assert (image_store.tile_folder(key) / "12" / "2022" / "1325.png").exists()  # the tile over Manchester's centre
    if table is not None:
        shown = at.dataframe[-1].value
        assert shown["Wellbeing"].iloc[0] == 100  # higher is worse: first


@pytest.mark.parametrize(
    ("kind", "legend"),
    [
        ("official", "most deprived 10%: Index of Multiple Deprivation (IMD)"),
        ("ward", "Share of LSOAs in the worst 10% with a value: Absence"),  # local data: no national deciles
        ("la", "Attendance"),  # one value per LA: the LAs coloured by it
    ],
)
def test_the_local_authority_map_says_what_it_colours_for_each_indicator(kind, legend):
    at = _map({"region": NORTH_WEST, "geo": "la"}, None if kind == "official" else _upload(kind))
    assert legend in _legend(at)
    table = at.dataframe[-1].value.set_index("LA code")
    assert len(table) == 35 and table.loc[BLACKPOOL, "LSOAs"] == 94
    if kind == "la":
        assert table.loc[BLACKPOOL, "Attendance"] == 91.5 and "darker = lower here" in _legend(at)  # low is worse


def test_an_upload_on_another_editions_lsoas_leaves_the_official_indicator_with_a_note():
    at = _map({"la": BLACKPOOL}, _upload("lsoa11"))
    assert any("Your data is not shown" in i.value and "IoD2019" in i.value for i in at.info)
    assert at.title[0].value.replace("\\", "").startswith("Blackpool: Index of Multiple Deprivation")


@pytest.mark.parametrize("kind", ["official", "ward"])
def test_map_exports_show_the_indicator_source_licence_and_uploaded_areas(kind):
    import geopandas as gpd
    from shapely.geometry import box

    from placemap.uploads.uploaded_boundaries import AREA_ID, AREA_LABEL, UploadedAreas

    table = _upload("ward") if kind == "ward" else None
    indicator = table.indicators()[0] if table else None
    UPLOADS.keep([table] if table else [])
    patch = gpd.GeoDataFrame(
        {AREA_ID: ["A1"], AREA_LABEL: ["<b>Our patch</b>"]}, geometry=[box(-3.05, 53.80, -3.03, 53.82)], crs=4326
    )
    areas = (UploadedAreas("a9", "Patch", "", patch),)
    keys = (uploaded_maps.upload_key(table, indicator) if table else (), uploaded_maps.areas_key(list(areas)))
    choice = profile_cache.MapFile(2025, BLACKPOOL, "imd_decile", "quantiles", 5, "viridis", "E01012710")
    svg = profile_cache.load_map_file(choice, "svg", *keys, table, indicator, areas).decode()
    page = profile_cache.load_map_file(choice._replace(area=None), "html", *keys, table, indicator, areas).decode()
    title = "Blackpool: Absence" if table else "Blackpool: Index of Multiple Deprivation (IMD): decile"
    assert title in svg and title in page and "94 LSOAs" in svg
    assert "Your areas (uploaded)" in svg and "Blackpool 009E (E01012710)" in svg  # the selected LSOA outlined
    assert "<b>Our patch</b>" not in page and "Our patch" in page  # the uploaded area, escaped
    if table:
        assert "Source: Council &lt;i&gt;" in svg and "As stated by the uploader" in page
    else:
        assert "Open Government Licence v3.0. Made with Placemap." in page
