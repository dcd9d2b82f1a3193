"""Uploaded indicators drawn as wards, as the LSOA image and on the map exports (``placemap.render.uploaded_maps``)."""

from __future__ import annotations

import dataclasses
import io

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
from PIL import Image, ImageColor
from shapely.geometry import box

from placemap.analysis.classify import NO_DATA_COLOUR, classify_values
from placemap.data import prepare
from placemap.data.catalogue import get_vintage
from placemap.data.indicators import Polarity
from placemap.data.loaders import read_areas
from placemap.render import maps, raster, uploaded_maps
from placemap.ui import upload_cache
from placemap.uploads.table import ColumnSpec, UploadedTable
from placemap.uploads.uploaded_boundaries import AREA_ID, AREA_LABEL, UploadedAreas

from .conftest import HOSTILE_NAME, make_boundaries

WARDS = ["E05000001", "E05000002", "E05000003"]


def _ward_place(n_wards: int = 3) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Six boxes in a row, two per ward; the first ward has a hostile name."""
    lsoas = make_boundaries(n=2 * n_wards)
    lsoas["ward_code"] = [WARDS[i // 2] for i in range(2 * n_wards)]
    lsoas["ward_name"] = [HOSTILE_NAME if i < 2 else f"Ward {i // 2}" for i in range(2 * n_wards)]
    lsoas = lsoas.set_index("area_code", drop=False).sort_index()
    return lsoas, pd.DataFrame(lsoas.drop(columns="geometry"))


def _table(geography: str, values: dict[str, float], label: str = "Referrals") -> UploadedTable:
    frame = pd.DataFrame({"v": list(values.values())}, index=pd.Index(list(values), name="area_code"))
    return UploadedTable("t1", "Test", "Food bank <b>", geography, frame, [ColumnSpec("v", label, "per 1,000")])


def _geojson(layer: folium.FeatureGroup) -> folium.GeoJson:
    return next(c for c in layer._children.values() if isinstance(c, folium.GeoJson))


def test_ward_layer_has_one_feature_per_ward_filled_in_its_class_colour():
    geometry, areas = _ward_place()
    table = _table("ward", {WARDS[0]: 3.0, WARDS[1]: 1.0})  # the third ward has no value
    choropleth = uploaded_maps.ward_choropleth(
        table.series(table.indicators()[0]), table.indicators()[0], areas, "quantiles", 2, "viridis"
    )
    layer = uploaded_maps.build_ward_layer(prepare.ward_outlines(geometry), choropleth, table.indicators()[0])
    geojson = _geojson(layer)
    features = geojson.data["features"]
    assert len(features) == 3
    fills = [geojson.style_function(f)["fillColor"] for f in features]
    palette = choropleth.wards.palette
    assert fills == [palette[choropleth.wards.classes[0]], palette[choropleth.wards.classes[1]], NO_DATA_COLOUR]
    assert fills[0] != fills[1]  # 3 is worse than 1: the darker class
    assert geojson.style_function(features[2])["dashArray"] == "4 3"  # no data: dashed, as on the LSOA map
    assert choropleth.wards.counts == [1, 1] and choropleth.wards.n_missing == 1  # the legend counts wards
    assert choropleth.lsoas.classes.tolist() == [1, 1, 0, 0, -1, -1]  # every LSOA in its ward's class


def test_ward_tooltip_escapes_a_script_in_the_ward_name():
    geometry, areas = _ward_place()
    table = _table("ward", {WARDS[0]: 3.0}, label="<img src=x onerror=alert(1)>")
    indicator = table.indicators()[0]
    choropleth = uploaded_maps.ward_choropleth(table.series(indicator), indicator, areas, "quantiles", 3, "magma")
    layer = uploaded_maps.build_ward_layer(prepare.ward_outlines(geometry), choropleth, indicator)
    base = maps.build_base_map(prepare.area_features(geometry), prepare.bounds_of(geometry))
    text = maps.render_map_html(base, [layer])
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "\\u0026lt;img src=x" in text  # the label, escaped, as the tooltip's alias (JSON-encoded)
    assert (
        _geojson(layer).data["features"][0]["properties"]["n"]
        == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Sons"
    )


def test_explorer_overlay_draws_wards_as_a_layer_and_lists_them_in_the_table():
    geometry, areas = _ward_place()
    table = _table("ward", {WARDS[0]: 3.0, WARDS[1]: 1.0, WARDS[2]: 2.0})
    overlay = uploaded_maps.explorer_overlay(
        table,
        table.indicators()[0],
        maps.MODE_VECTOR,
        2025,
        areas,
        [],
        {},
        "national_deciles",
        3,
        "viridis",
        33_755,
        load_wards=lambda: prepare.ward_outlines(geometry),
    )
    assert overlay.layer is not None and not overlay.raster
    assert "3 of 3 wards have a value" in overlay.note and "quantiles" in overlay.note
    assert overlay.table["Ward code"].tolist() == [WARDS[0], WARDS[2], WARDS[1]]  # higher is worse: first
    assert overlay.geography == "3 wards"
    assert len(overlay.payload["cls"]) == 6  # the LSOAs underneath take their ward's class


def test_ward_uploads_on_other_views_get_the_image_or_a_note():
    _, areas = _ward_place()
    table = _table("ward", {WARDS[0]: 3.0})
    indicator = table.indicators()[0]
    args = (2025, areas, [], {}, "quantiles", 3, "viridis", 33_755)
    image = uploaded_maps.explorer_overlay(table, indicator, maps.MODE_RASTER, *args)
    assert image.raster and image.payload is None and "grey stripes" in image.note
    la_map = uploaded_maps.explorer_overlay(table, indicator, maps.MODE_LA, *args)
    assert la_map.classification is None and "LSOAs (small areas)" in la_map.note
    elsewhere = uploaded_maps.explorer_overlay(_table("ward", {"E05999999": 1.0}), indicator, maps.MODE_VECTOR, *args)
    assert elsewhere.classification is None and "wards of 2024" in elsewhere.note


def test_an_la_upload_on_lsoas_names_the_places_value_escaped():
    _, areas = _ward_place()
    areas["la_name"] = "Test*town"
    table = _table("la", {"E06000001": 12.5})
    overlay = uploaded_maps.explorer_overlay(
        table, table.indicators()[0], maps.MODE_VECTOR, 2025, areas, [], {}, "quantiles", 3, "viridis", 1
    )
    assert overlay.classification is None
    assert "Test\\*town: 12\\.5" in overlay.note and "Local authorities (summary)" in overlay.note


def test_content_digest_changes_with_values_and_direction():
    table = _table("lsoa21", {"E01000001": 1.0, "E01000002": 2.0})
    indicator = table.indicators()[0]
    key = uploaded_maps.upload_key(table, indicator)
    assert key[:2] == ("t1", "v") and len(key[2]) == 16
    flipped = _table("lsoa21", {"E01000001": 1.0, "E01000002": 2.0})
    flipped.specs[0] = dataclasses.replace(flipped.specs[0], polarity="low_is_deprived")
    assert uploaded_maps.upload_key(flipped, flipped.indicators()[0]) != key
    assert uploaded_maps.upload_key(_table("lsoa21", {"E01000001": 1.0, "E01000002": 3.0}), indicator) != key


def _hatched_render(values: list[float]):
    boxes = [box(i * 1000, 0, (i + 1) * 1000, 1000) for i in range(len(values))]
    classification = classify_values(np.array(values), "quantiles", 2, polarity=Polarity.HIGH_IS_WORSE)
    result = raster.render_choropleth(
        gpd.GeoSeries(boxes, crs=raster.WEB_MERCATOR), classification, width=120, hatch_no_data=True
    )
    return result, Image.open(io.BytesIO(result.png)).convert("RGB")


def _colours_of_box(image: Image.Image, i: int, n: int) -> set[tuple[int, int, int]]:
    step = image.width // n
    return {image.getpixel((x, y)) for x in range(i * step + 3, (i + 1) * step - 3) for y in range(3, image.height - 3)}


def test_image_stripes_no_data_so_it_differs_from_every_class():
    _, image = _hatched_render([1.0, 2.0, float("nan")])
    classed = _colours_of_box(image, 0, 3) | _colours_of_box(image, 1, 3)
    no_data = _colours_of_box(image, 2, 3)
    assert len(classed) == 2  # one flat colour per class
    assert no_data == {
        ImageColor.getrgb(NO_DATA_COLOUR),
        ImageColor.getrgb(raster.NO_DATA_HATCH),
    }  # white with grey stripes
    assert not no_data & classed


def test_upload_image_colours_uploaded_lsoas_and_stripes_the_rest(tiny_data_dir, tmp_path):
    year = 2025
    areas = read_areas(get_vintage(year), tiny_data_dir)
    table = _table("lsoa21", {"E01000001": 5.0, "E01000002": 1.0})  # E01000003 and E01000004: no data
    indicator = table.indicators()[0]
    out = tmp_path / "generated"
    url, _, version, size = upload_cache.load_upload_raster(
        year,
        ("E06000001",),
        *uploaded_maps.upload_key(table, indicator),
        "quantiles",
        2,
        "viridis",
        table,
        indicator,
        data_dir=str(tiny_data_dir),
        out_dir=str(out),
    )
    assert version.startswith(indicator.id) and size > 0 and len(areas) == 4
    image = Image.open(out / url.rsplit("/", 1)[1]).convert("RGB")
    boxes = [_colours_of_box(image, i, 4) for i in range(4)]
    assert len(boxes[0]) == 1 and len(boxes[1]) == 1 and boxes[0] != boxes[1]  # two classes, flat
    assert boxes[2] == boxes[3] == {ImageColor.getrgb(NO_DATA_COLOUR), ImageColor.getrgb(raster.NO_DATA_HATCH)}


def test_static_export_shows_the_uploaded_indicator_its_source_and_the_uploaded_areas(tiny_data_dir):
    table = _table("lsoa21", {"E01000001": 5.0, "E01000002": 1.0})
    indicator = table.indicators()[0]
    mine = gpd.GeoDataFrame(
        {AREA_ID: ["A1"], AREA_LABEL: ["Our patch"]}, geometry=[box(-3.05, 53.80, -3.03, 53.81)], crs=4326
    )
    areas = (UploadedAreas("a1", "Patch", "", mine),)
    svg = upload_cache.load_upload_static_map(
        2025,
        "E06000001",
        "imd_decile",
        "quantiles",
        3,
        "viridis",
        "svg",
        None,
        uploaded_maps.upload_key(table, indicator),
        uploaded_maps.areas_key(list(areas)),
        table,
        indicator,
        areas,
        data_dir=str(tiny_data_dir),
    ).decode()
    assert "Testtown: Referrals" in svg
    assert "Source: Food bank &lt;b&gt;, uploaded" in svg
    assert "as stated by the uploader" in svg
    assert "Your areas (uploaded)" in svg
    assert "Referrals (per 1,000) (more deprived first)" in svg
