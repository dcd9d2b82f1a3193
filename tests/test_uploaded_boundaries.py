"""Uploaded boundaries: a corpus of bad files, zip safety, CRS, repair, and the population-weighted overlay."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Polygon, box

from placemap.uploads import uploaded_boundaries as ub
from tests.conftest import HOSTILE_NAME, make_boundaries


def _text(check) -> str:
    return " ".join(m.text for m in check.messages)


def _geojson(frame: gpd.GeoDataFrame) -> bytes:
    return frame.to_json().encode()


def _areas(crs=4326) -> gpd.GeoDataFrame:
    frame = make_boundaries(2).rename(columns={"area_name": "name"})[["name", "geometry"]]
    return frame if crs == 4326 else frame.to_crs(crs)


def _shapefile_zip(frame: gpd.GeoDataFrame, tmp: Path, drop: tuple[str, ...] = (), prefix: str = "") -> bytes:
    folder = tmp / "shp"
    folder.mkdir(exist_ok=True)
    frame.to_file(folder / "areas.shp", engine="pyogrio")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for part in sorted(folder.iterdir()):
            if part.suffix not in drop:
                z.write(part, prefix + part.name)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(zipfile.ZipInfo(name), data)
    return buffer.getvalue()


def test_geojson_areas_are_read_with_their_names():
    check = ub.check_boundaries(_geojson(_areas()), "a.geojson")
    assert check.ok, _text(check)
    assert check.areas[ub.AREA_LABEL].tolist() == ["Testtown 001A", "Testtown 002A"]
    assert check.areas.crs.to_epsg() == 4326


def test_british_national_grid_geopackage_is_reprojected(tmp_path):
    path = tmp_path / "a.gpkg"
    _areas(27700).to_file(path, engine="pyogrio")
    check = ub.check_boundaries(path.read_bytes(), "a.gpkg")
    assert check.ok, _text(check)
    assert check.source_crs == "EPSG:27700" and "Converted from EPSG:27700" in _text(check)
    west, south, _e, _n = check.areas.total_bounds
    assert west == pytest.approx(-3.05, abs=1e-4) and south == pytest.approx(53.80, abs=1e-4)


def test_zipped_shapefile_is_read(tmp_path):
    check = ub.check_boundaries(_shapefile_zip(_areas(27700), tmp_path, prefix="folder/"), "a.zip")
    assert check.ok, _text(check)
    assert len(check.areas) == 2


def test_a_shapefile_without_prj_asks_for_the_crs_and_accepts_a_stated_one(tmp_path):
    data = _shapefile_zip(_areas(27700), tmp_path, drop=(".prj",))
    check = ub.check_boundaries(data, "a.zip")
    assert not check.ok
    assert "does not say which coordinate reference system" in _text(check)
    assert "British National Grid" in _text(check)
    stated = ub.check_boundaries(data, "a.zip", stated_crs="EPSG:27700")
    assert stated.ok and "you said it is" in _text(stated)


def test_a_wrong_stated_crs_puts_areas_outside_england_and_says_so(tmp_path):
    data = _shapefile_zip(_areas(27700), tmp_path, drop=(".prj",))
    check = ub.check_boundaries(data, "a.zip", stated_crs="EPSG:3857")
    assert not check.ok and "outside England" in _text(check)


def test_invalid_geometries_are_repaired_and_reported():
    bowtie = Polygon([(-3.05, 53.80), (-3.04, 53.81), (-3.04, 53.80), (-3.05, 53.81)])
    frame = gpd.GeoDataFrame({"name": ["Bow tie", "Fine"]}, geometry=[bowtie, box(-3.0, 53.8, -2.99, 53.81)], crs=4326)
    check = ub.check_boundaries(_geojson(frame), "b.geojson")
    assert check.ok
    assert "repaired automatically: Bow tie" in _text(check)
    assert check.areas.geometry.is_valid.all() and check.areas.to_crs(27700).geometry.area.iloc[0] > 0


def test_lines_are_left_out_with_a_note():
    frame = gpd.GeoDataFrame(
        {"name": ["Road", "Park"]},
        geometry=[LineString([(-3.0, 53.8), (-2.9, 53.9)]), box(-3.0, 53.8, -2.99, 53.81)],
        crs=4326,
    )
    check = ub.check_boundaries(_geojson(frame), "l.geojson")
    assert check.ok and "not areas (points or lines) and were left out: Road" in _text(check)


BAD = {
    "not json": (b"{'type': 'FeatureCollection',", "x.geojson", "not valid JSON"),
    "json not geojson": (b'{"hello": "world"}', "x.geojson", "not GeoJSON"),
    "empty": (b"", "x.geojson", "The file is empty"),
    "wrong format": (b"code,value\n", "x.csv", "GeoJSON (.geojson), GeoPackage (.gpkg) or a zipped shapefile"),
    "too large": (b" " * (ub.MAX_BOUNDARY_BYTES + 1), "x.geojson", "accepts boundary files up to 20.0 MB"),
    "zip without shp": (_zip({"areas.dbf": b"x", "readme.txt": b"hi"}), "x.zip", "The zip has no .shp file"),
    "damaged zip": (b"PK\x03\x04not really", "x.zip", "damaged or not a zip"),
    "zip slip": (_zip({"../evil.shp": b"x", "../evil.dbf": b"y"}), "x.zip", "paths that point outside"),
    "absolute path": (_zip({"/tmp/evil.shp": b"x"}), "x.zip", "paths that point outside"),
    "windows path": (_zip({"C:\\evil.shp": b"x"}), "x.zip", "paths that point outside"),
    "backslash dots": (_zip({"..\\..\\evil.shp": b"x"}), "x.zip", "paths that point outside"),
    "corrupt shapefile": (
        _zip({"a.shp": b"not a shapefile", "a.dbf": b"x", "a.shx": b"x"}),
        "x.zip",
        "could not be read",
    ),
    "corrupt gpkg": (b"SQLite format 3\x00" + b"\x00" * 100, "x.gpkg", "could not be read"),
    "points only": (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},'
        b'"geometry":{"type":"Point","coordinates":[-3.0,53.8]}}]}',
        "p.geojson",
        "points or lines, not areas",
    ),
    "no features": (b'{"type":"FeatureCollection","features":[]}', "e.geojson", "no areas in it"),
    "outside england": (
        b'{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Paris"},'
        b'"geometry":{"type":"Polygon","coordinates":[[[2.3,48.8],[2.4,48.8],[2.4,48.9],[2.3,48.8]]]}}]}',
        "p.geojson",
        "outside England",
    ),
}


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.shp", b"\0" * (ub.MAX_UNZIPPED_BYTES + 1))
    return buffer.getvalue()


@pytest.mark.parametrize("name", [*BAD, "zip bomb"])
def test_every_bad_boundary_file_gets_its_message_and_nothing_escapes_the_temp_folder(name, tmp_path):
    data, filename, expected = BAD[name] if name != "zip bomb" else (_bomb(), "b.zip", "would unpack to")
    work = tmp_path / "work"
    work.mkdir()
    (tmp_path / "sentinel.txt").write_text("untouched")
    before_parent = sorted(os.listdir(tmp_path.parent))
    before = sorted(p.name for p in tmp_path.rglob("*"))
    check = ub.check_boundaries(data, filename, temp_root=work)
    assert not check.ok
    assert expected in _text(check), _text(check)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # the temporary folder is gone too
    assert sorted(os.listdir(tmp_path.parent)) == before_parent
    assert (tmp_path / "sentinel.txt").read_text() == "untouched"


def test_check_zip_refuses_a_bomb_without_reading_its_contents():
    infos, messages = ub.check_zip(_bomb())
    assert infos is None and "would unpack to" in messages[0].text


def test_names_with_html_are_escaped_in_the_drawn_features():
    frame = gpd.GeoDataFrame({"name": [HOSTILE_NAME]}, geometry=[box(-3.0, 53.8, -2.99, 53.81)], crs=4326)
    check = ub.check_boundaries(_geojson(frame), "h.geojson")
    areas = ub.UploadedAreas("x", "Mine", "Me", check.areas)
    text = json.dumps(areas.features())
    assert "<script>" not in text and "&lt;script&gt;" in text
    again = ub.UploadedAreas.from_payload("x", "Mine", "Me", areas.to_payload())
    assert again.areas[ub.AREA_LABEL].tolist() == [HOSTILE_NAME]


# --------------------------------------------------------------------------- aggregation


@pytest.fixture
def lsoas() -> tuple[gpd.GeoSeries, pd.Series, pd.DataFrame]:
    frame = make_boundaries(4).set_index("area_code", drop=False)
    population = pd.Series([1000.0, 3000.0, 2000.0, 2000.0], index=frame.index)
    values = pd.DataFrame({"score": [10.0, 20.0, 30.0, np.nan], "rank": [1.0, 2.0, 3.0, 4.0]}, index=frame.index)
    return frame.geometry.to_crs(27700), population, values


def test_an_area_equal_to_one_lsoa_gets_that_lsoas_values(lsoas):
    geometry, population, values = lsoas
    area = gpd.GeoDataFrame({ub.AREA_ID: ["A1"]}, geometry=[geometry.to_crs(4326).iloc[1]], crs=4326).set_index(
        ub.AREA_ID
    )
    weights = ub.overlay_weights(area, geometry, population)
    assert weights["area_code"].tolist() == ["E01000002"]
    result = ub.aggregate(weights, values)
    assert result.at["A1", "score"] == pytest.approx(20.0)
    assert result.at["A1", "rank"] == pytest.approx(2.0)
    assert result.at["A1", "population"] == pytest.approx(3000.0, rel=1e-5)


def test_an_area_equal_to_the_whole_la_gets_the_population_weighted_figure(lsoas):
    geometry, population, values = lsoas
    la = geometry.to_crs(4326).union_all()
    area = gpd.GeoDataFrame({ub.AREA_ID: ["LA"]}, geometry=[la], crs=4326).set_index(ub.AREA_ID)
    result = ub.aggregate(ub.overlay_weights(area, geometry, population), values)
    # score: the LSOA with no score is left out of the weights
    assert result.at["LA", "score"] == pytest.approx((10 * 1000 + 20 * 3000 + 30 * 2000) / 6000)
    assert result.at["LA", "rank"] == pytest.approx((1 * 1000 + 2 * 3000 + 3 * 2000 + 4 * 2000) / 8000)
    assert result.at["LA", "population"] == pytest.approx(8000.0, rel=1e-5)


def test_half_an_lsoa_counts_half_its_population(lsoas):
    geometry, population, values = lsoas
    first = geometry.to_crs(4326).iloc[0]
    west, south, east, north = first.bounds
    half = box(west, south, (west + east) / 2, north)
    area = gpd.GeoDataFrame({ub.AREA_ID: ["H"]}, geometry=[half], crs=4326).set_index(ub.AREA_ID)
    weights = ub.overlay_weights(area, geometry, population)
    assert weights["share"].iloc[0] == pytest.approx(0.5, abs=0.01)
    assert ub.aggregate(weights, values).at["H", "population"] == pytest.approx(500, rel=0.02)


def test_an_area_outside_every_lsoa_has_no_values(lsoas):
    geometry, population, values = lsoas
    area = gpd.GeoDataFrame({ub.AREA_ID: ["Far"]}, geometry=[box(0.5, 51.0, 0.6, 51.1)], crs=4326).set_index(ub.AREA_ID)
    result = ub.aggregate(ub.overlay_weights(area, geometry, population), values, area.index)
    assert result.loc["Far"].isna().all()


def test_2011_populations_are_carried_to_2021_lsoas():
    lookup = pd.DataFrame({"lsoa11_code": ["a", "b", "b", "c", "d"], "lsoa21_code": ["A", "B1", "B2", "CD", "CD"]})
    population = pd.Series({"a": 100.0, "b": 200.0, "c": 50.0, "d": 70.0})
    assert ub.lsoa21_population(lookup, population).to_dict() == {"A": 100.0, "B1": 100.0, "B2": 100.0, "CD": 120.0}
