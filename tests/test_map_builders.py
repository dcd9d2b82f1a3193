"""An indicator's map built by one path, whether official or uploaded (``choropleth``, ``raster``, ``cache``).

Each test runs over an official indicator and uploaded ones (LSOA, ward and LA data) on the tiny data
folder: the same classification, payload, image and exports, with what differs said by the indicator
(its geography, its source, whether it has national deciles).
"""

from __future__ import annotations

import dataclasses
import io

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageColor
from shapely.geometry import box

from placemap.analysis.classify import NO_DATA_COLOUR, classify_values
from placemap.data.catalogue import CATALOGUE, get_indicator, get_vintage
from placemap.data.indicators import Polarity
from placemap.render import choropleth, raster, uploaded_maps
from placemap.ui import cache, profile_cache
from placemap.uploads.registry import UPLOADS
from placemap.uploads.table import ColumnSpec, UploadedTable
from placemap.uploads.uploaded_boundaries import AREA_ID, AREA_LABEL, UploadedAreas

LA = "E06000001"
VINTAGE = get_vintage(2025)
# The tiny data folder's four LSOAs: E01000001-2 in ward E05000001, E01000003-4 in E05000002, all in Testtown.
UPLOADED = {
    "lsoa": ("lsoa21", {"E01000001": 5.0, "E01000002": 1.0}),  # E01000003 and E01000004: no data
    "ward": ("ward", {"E05000001": 3.0}),  # the second ward: no data
    "la": ("la", {LA: 12.5}),
}


def _table(geography: str, values: dict[str, float], label: str = "Referrals") -> UploadedTable:
    frame = pd.DataFrame({"v": list(values.values())}, index=pd.Index(list(values), name="area_code"))
    return UploadedTable("t1", "Test", "Food bank <b>", geography, frame, [ColumnSpec("v", label, "per 1,000")])


def _shown(kind: str, label: str = "Referrals"):
    """The indicator id and upload digest a map of ``kind`` ("official" or an ``UPLOADED`` key) is keyed on."""
    if kind == "official":
        return "imd_score", "", None
    table = _table(*UPLOADED[kind], label=label)
    return table.indicators()[0].id, UPLOADS.put(table), table


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("lsoa", [5.0, 1.0, None, None]),
        ("ward", [3.0, 3.0, None, None]),  # each LSOA shows its ward's value
        ("la", [12.5, 12.5, 12.5, 12.5]),  # and its LA's
    ],
)
def test_an_upload_joins_the_lsoas_through_its_geography_and_is_ranked_among_them(kind, expected):
    areas = pd.DataFrame(
        {"area_code": [f"E0100000{i}" for i in range(1, 5)], "area_name": list("abcd")},
        index=pd.Index([f"E0100000{i}" for i in range(1, 5)], name="area_code"),
    ).assign(ward_code=["E05000001"] * 2 + ["E05000002"] * 2, ward_name="W", la_code=LA, la_name="Testtown")
    table = _table(*UPLOADED[kind])
    catalogue = CATALOGUE.with_uploads([table])
    indicator = catalogue.get(table.indicators()[0].id)
    frame, note = choropleth.indicator_frame(areas, indicator, 2025, catalogue)
    column = indicator.column(2025)
    assert frame[column].fillna(-1).tolist() == [-1 if v is None else v for v in expected]
    assert frame[indicator.rank_column(2025)].iloc[0] == 1  # the worst present value ranks first
    assert ("ward's value" in note) == (kind == "ward") and ("local authority's value" in note) == (kind == "la")


def test_an_upload_on_another_editions_lsoas_is_refused_with_the_joins_note():
    table = _table("lsoa11", {"E01000001": 1.0})
    catalogue = CATALOGUE.with_uploads([table])
    with pytest.raises(ValueError, match="choose IoD2019 or IoD2015"):
        choropleth.indicator_frame(
            pd.DataFrame(index=pd.Index([], name="area_code")), table.indicators()[0], 2025, catalogue
        )
    national = pd.DataFrame({"IMD_score": [1.0]})
    assert choropleth.indicator_frame(national, get_indicator("imd_score"), 2025)[0] is national  # official: as is


@pytest.mark.parametrize("kind", ["official", "lsoa", "ward"])
def test_the_classification_and_payload_come_from_one_builder(kind, tiny_data_dir):
    indicator_id, upload, _ = _shown(kind, label="<img src=x onerror=alert(1)>")
    classification, payload = cache.load_classification(
        2025, (LA,), indicator_id, "national_deciles", 10, "viridis", str(tiny_data_dir), upload=upload
    )
    _, indicator, _ = cache.load_indicator_areas(2025, indicator_id, upload, str(tiny_data_dir))
    assert len(payload["cls"]) == 4 and len(classification.classes) == 4
    if kind == "official":
        assert classification.scheme == "national_deciles" and payload["label"] == indicator.label
    else:
        # Local data has no national deciles: quantiles of the areas shown; "no data" where it has none.
        assert classification.scheme == "quantiles" and classification.n_missing == 2
        assert classification.classes[0] > classification.classes[1] or kind == "ward"
        assert "<img" not in payload["label"] and "&lt;img" in payload["label"]  # the uploader's label, escaped


def test_an_la_valued_indicator_colours_the_la_map_by_its_own_value(tiny_data_dir):
    indicator_id, upload, _ = _shown("la")
    national, indicator, _ = cache.load_indicator_areas(2025, indicator_id, upload, str(tiny_data_dir))
    classification, payload, table = choropleth.la_classification(
        national, (LA,), indicator, VINTAGE, "national_deciles", 5, "viridis"
    )
    assert payload["value"] == ["12.5"] and payload["label"] == "Referrals"
    assert table.loc[LA, "value"] == 12.5 and classification.scheme == "quantiles"


def _hatched_render(values: list[float]):
    boxes = [box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(len(values))]
    classification = classify_values(np.array(values), "quantiles", 2, polarity=Polarity.HIGH_IS_WORSE)
    result = raster.render_choropleth(gpd.GeoSeries(boxes, crs=raster.WEB_MERCATOR), classification, width=120)
    return result, Image.open(io.BytesIO(result.png)).convert("RGB")


def _colours_of_box(image: Image.Image, i: int, n: int) -> set[tuple[int, int, int]]:
    step = image.width // n
    return {image.getpixel((x, y)) for x in range(i * step + 3, (i + 1) * step - 3) for y in range(3, image.height - 3)}


STRIPED = {ImageColor.getrgb(NO_DATA_COLOUR), ImageColor.getrgb(raster.NO_DATA_HATCH)}  # white, grey stripes


def test_image_stripes_no_data_so_it_differs_from_every_class():
    _, image = _hatched_render([1.0, 2.0, float("nan")])
    classed = _colours_of_box(image, 0, 3) | _colours_of_box(image, 1, 3)
    no_data = _colours_of_box(image, 2, 3)
    assert len(classed) == 2  # one flat colour per class
    assert no_data == STRIPED
    assert not no_data & classed


@pytest.mark.parametrize("kind", ["official", "lsoa"])
def test_the_large_view_image_colours_every_lsoa_with_a_value_and_stripes_the_rest(kind, tiny_data_dir, tmp_path):
    indicator_id, upload, _ = _shown(kind)
    out = tmp_path / "generated"
    choice = choropleth.MapChoice(2025, (LA,), indicator_id, "quantiles", 2, "viridis")
    url, _, version, size = cache.load_raster(choice, upload, str(tiny_data_dir), str(out))
    assert indicator_id in version and size > 0 and (upload[:16] in version)
    image = Image.open(out / url.rsplit("/", 1)[1]).convert("RGB")
    boxes = [_colours_of_box(image, i, 4) for i in range(4)]
    if kind == "official":
        assert all(len(b) == 1 for b in boxes) and not any(b & STRIPED for b in boxes)  # flat, every LSOA a value
    else:
        assert len(boxes[0]) == len(boxes[1]) == 1 and boxes[0] != boxes[1]  # two classes, flat
        assert boxes[2] == boxes[3] == STRIPED


@pytest.mark.parametrize("kind", ["official", "lsoa", "ward"])
def test_static_export_shows_the_indicator_its_direction_source_licence_and_the_uploaded_areas(kind, tiny_data_dir):
    _, _, table = _shown(kind)
    indicator = table.indicators()[0] if table else None
    mine = gpd.GeoDataFrame(
        {AREA_ID: ["A1"], AREA_LABEL: ["Our patch"]}, geometry=[box(-3.05, 53.80, -3.03, 53.81)], crs=4326
    )
    areas = (UploadedAreas("a1", "Patch", "", mine),)
    keys = (uploaded_maps.upload_key(table, indicator) if table else (), uploaded_maps.areas_key(list(areas)))
    svg = profile_cache.load_map_file(
        profile_cache.MapFile(2025, LA, "imd_score", "quantiles", 3, "viridis"),
        "svg",
        *keys,
        table,
        indicator,
        areas,
        data_dir=str(tiny_data_dir),
    ).decode()
    assert "Your areas (uploaded)" in svg and "4 LSOAs" in svg
    if kind == "official":
        assert "Testtown: Index of Multiple Deprivation (IMD): score" in svg
        assert "Licence: Open Government Licence v3.0. Made with Placemap." in svg
    else:
        assert "Testtown: Referrals" in svg and "Source: Food bank &lt;b&gt;" in svg
        assert "As stated by the uploader" in svg and "not checked by Placemap" in svg
        assert "Higher = " in svg  # the direction line, as for an official indicator


def test_content_digest_changes_with_values_and_direction():
    table = _table("lsoa21", {"E01000001": 1.0, "E01000002": 2.0})
    indicator = table.indicators()[0]
    key = uploaded_maps.upload_key(table, indicator)
    assert key[:2] == ("t1", "v") and len(key[2]) == 16
    flipped = _table("lsoa21", {"E01000001": 1.0, "E01000002": 2.0})
    flipped.specs[0] = dataclasses.replace(flipped.specs[0], polarity="low_is_deprived")
    assert uploaded_maps.upload_key(flipped, flipped.indicators()[0]) != key
    assert uploaded_maps.upload_key(_table("lsoa21", {"E01000001": 1.0, "E01000002": 3.0}), indicator) != key
