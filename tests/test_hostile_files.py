"""Hostile uploads: files that lie about what they are, how big they are or how deep they go.

Every file is built here. The ones that try to read server files point at a planted secret
(a random token in ``tmp_path``): no byte of it may reach anything Placemap shows.
"""

from __future__ import annotations

import http.server
import io
import secrets
import struct
import threading
import tracemalloc
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import box

from placemap.uploads import gdal_safety, table
from placemap.uploads import uploaded_boundaries as ub
from placemap.uploads.table import Geographies
from placemap.uploads.upload import check_table

GEOS = Geographies(
    lsoa11={"E01000001": "Testtown 001A", "E01000002": "Testtown 002A"},
    lsoa21={"E01000001": "Testtown 001A", "E01000002": "Testtown 002A"},
    ward={},
    la={"E06000009": "Blackpool"},
)


def _everything_shown(check) -> str:
    """All text a user could see from a boundary check: messages, names, columns."""
    parts = [m.text for m in check.messages] + list(check.columns) + [str(check.name_column)]
    if check.areas is not None:
        parts += [str(v) for v in check.areas.drop(columns="geometry").to_numpy().ravel()]
    return " ".join(parts)


@pytest.fixture
def secret(tmp_path) -> tuple[str, Path]:
    """A random token in a CSV of one polygon near Blackpool, as a VRT would read /etc/passwd."""
    token = secrets.token_hex(16)
    path = tmp_path / "secrets.csv"
    polygon = "POLYGON((-3.05 53.80,-3.04 53.80,-3.04 53.81,-3.05 53.81,-3.05 53.80))"
    path.write_text(f'name,wkt\n{token},"{polygon}"\n')
    return token, path


def _vrt(source: Path) -> bytes:
    return (
        "<OGRVRTDataSource><OGRVRTLayer name='areas'>"
        f"<SrcDataSource>{source}</SrcDataSource><SrcLayer>{source.stem}</SrcLayer>"
        "<GeometryType>wkbPolygon</GeometryType><LayerSRS>EPSG:4326</LayerSRS>"
        "<GeometryField encoding='WKT' field='wkt'/>"
        "</OGRVRTLayer></OGRVRTDataSource>"
    ).encode()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _shapefile_parts(tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "shp"
    folder.mkdir()
    frame = gpd.GeoDataFrame({"name": ["Park"]}, geometry=[box(-3.05, 53.80, -3.04, 53.81)], crs=4326)
    frame.to_file(folder / "a.shp", engine="pyogrio")
    return {p.name: p.read_bytes() for p in folder.iterdir()}


# --------------------------------------------------------------------------- files that read other files


def test_an_ogr_vrt_named_gpkg_is_refused_and_leaks_nothing(secret):
    token, source = secret
    check = ub.check_boundaries(_vrt(source), "areas.gpkg")
    assert not check.ok
    assert "is called .gpkg but is not a GeoPackage" in _everything_shown(check)
    assert token not in _everything_shown(check)


def test_an_ogr_vrt_as_the_shp_of_a_zip_is_refused_and_leaks_nothing(secret):
    token, source = secret
    check = ub.check_boundaries(_zip({"a.shp": _vrt(source), "a.prj": b'GEOGCS["WGS 84"]'}), "areas.zip")
    assert not check.ok
    assert "Its .shp file is not part of a shapefile" in _everything_shown(check)
    assert token not in _everything_shown(check)


def test_an_ogr_vrt_as_the_dbf_sidecar_of_a_shapefile_is_refused_and_leaks_nothing(secret, tmp_path):
    token, source = secret
    parts = _shapefile_parts(tmp_path)
    parts["a.dbf"] = _vrt(source)
    check = ub.check_boundaries(_zip(parts), "areas.zip")
    assert not check.ok
    assert "Its .dbf file (the table of attributes) is not a dBASE table" in _everything_shown(check)
    assert token not in _everything_shown(check)


def test_a_vrt_file_in_a_shapefile_zip_is_refused_by_its_name(secret, tmp_path):
    token, source = secret
    parts = _shapefile_parts(tmp_path) | {"extra.vrt": _vrt(source)}
    check = ub.check_boundaries(_zip(parts), "areas.zip")
    assert not check.ok and "not part of a shapefile (extra.vrt)" in _everything_shown(check)
    assert token not in _everything_shown(check)


def test_a_real_shapefile_zip_with_macos_copies_is_still_read(tmp_path):
    parts = _shapefile_parts(tmp_path)
    parts["__MACOSX/._a.shp"] = b"\x00\x05\x16\x07 resource fork"
    check = ub.check_boundaries(_zip(parts), "areas.zip")
    assert check.ok, _everything_shown(check)
    assert check.areas[ub.AREA_LABEL].tolist() == ["Park"]


def test_a_geopackage_with_a_view_is_refused_before_gdal_opens_it(tmp_path):
    import sqlite3

    path = tmp_path / "a.gpkg"
    gpd.GeoDataFrame({"name": ["Park"]}, geometry=[box(-3.05, 53.80, -3.04, 53.81)], crs=4326).to_file(
        path, engine="pyogrio"
    )
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE VIEW sneaky AS SELECT * FROM a")
    check = ub.check_boundaries(path.read_bytes(), "a.gpkg")
    assert not check.ok and "holds database views" in _everything_shown(check)


def test_an_sqlite_database_that_is_not_a_geopackage_is_refused(tmp_path):
    import sqlite3

    path = tmp_path / "plain.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE passcodes (value TEXT)")
    check = ub.check_boundaries(path.read_bytes(), "areas.gpkg")
    assert not check.ok and "an SQLite database but not a GeoPackage" in _everything_shown(check)


def test_only_geopackage_and_shapefile_drivers_remain_after_the_safety_module_is_imported(secret, tmp_path):
    token, source = secret
    assert gdal_safety.LOCKED_DOWN
    assert set(pyogrio.list_drivers()) <= {"GPKG", "ESRI Shapefile", "GeoJSON", "MEM"}
    vrt = tmp_path / "direct.vrt"
    vrt.write_bytes(_vrt(source))
    with pytest.raises(pyogrio.errors.DataSourceError) as raised:
        pyogrio.read_dataframe(vrt)
    assert token not in str(raised.value)


def test_gdal_makes_no_http_request_even_for_a_vsicurl_path():
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(pyogrio.errors.DataSourceError):
            pyogrio.read_dataframe(f"/vsicurl/http://127.0.0.1:{server.server_port}/areas.geojson")
    finally:
        server.shutdown()
        server.server_close()
    assert requests == []


# --------------------------------------------------------------------------- files that lie about their size


def _lie_about_size(data: bytes, member: str, stated: int) -> bytes:
    """Make the zip state ``stated`` bytes (less than the truth) for ``member``, in both its headers."""
    out = bytearray(data)
    name = member.encode()
    local = 0
    while (local := out.find(b"PK\x03\x04", local)) != -1:
        length = struct.unpack_from("<H", out, local + 26)[0]
        if out[local + 30 : local + 30 + length] == name:
            struct.pack_into("<I", out, local + 22, stated)
        local += 4
    central = 0
    while (central := out.find(b"PK\x01\x02", central)) != -1:
        length = struct.unpack_from("<H", out, central + 28)[0]
        if out[central + 46 : central + 46 + length] == name:
            struct.pack_into("<I", out, central + 24, stated)
        central += 4
    return bytes(out)


def test_a_zip_member_bigger_than_its_stated_size_gets_a_plain_message(tmp_path):
    data = _lie_about_size(_zip(_shapefile_parts(tmp_path)), "a.shp", 100)
    check = ub.check_boundaries(data, "areas.zip")
    assert not check.ok
    assert "The zip is damaged: what it holds does not match what it says it holds" in _everything_shown(check)


def _xlsx(sheet: str) -> bytes:
    """A workbook written by hand, so its sheet XML says whatever the test wants."""
    ns = "http://schemas.openxmlformats.org/"
    return _zip(
        {
            "[Content_Types].xml": (
                f'<Types xmlns="{ns}package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                "</Types>"
            ).encode(),
            "_rels/.rels": (
                f'<Relationships xmlns="{ns}package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/workbook.xml": (
                f'<workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="{ns}officeDocument/2006/relationships">'
                '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                f'<Relationships xmlns="{ns}package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{ns}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/worksheets/sheet1.xml": sheet.encode(),
        }
    )


def _sheet(dimension: str, rows: str) -> str:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{rows}</sheetData></worksheet>'
    )


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


TWO_AREAS = (
    f'<row r="1">{_cell("A1", "code")}{_cell("B1", "value")}</row>'
    f'<row r="2">{_cell("A2", "E01000001")}<c r="B2"><v>3</v></c></row>'
    f'<row r="3">{_cell("A3", "E01000002")}<c r="B3"><v>4</v></c></row>'
)


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", "A1:XFD2000"])
def test_an_xlsx_that_claims_a_huge_sheet_is_read_at_its_real_size_in_little_memory(dimension):
    data = _xlsx(_sheet(dimension, TWO_AREAS))
    assert len(data) < 5_000
    tracemalloc.start()
    try:
        check = check_table(data, "bomb.xlsx", GEOS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024
    assert check.ok, [m.text for m in check.messages]
    assert check.raw.shape == (2, 2)
    assert check.values["value"].to_dict() == {"E01000001": 3.0, "E01000002": 4.0}


def test_an_xlsx_with_a_far_away_last_row_is_refused_in_little_memory():
    rows = TWO_AREAS + f'<row r="1048576">{_cell("A1048576", "E01000001")}</row>'
    tracemalloc.start()
    try:
        check = check_table(_xlsx(_sheet("A1:B1048576", rows)), "far.xlsx", GEOS)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * 1024 * 1024
    assert not check.ok and f"more than {table.MAX_ROWS:,} rows" in " ".join(m.text for m in check.messages)


def test_an_xlsx_whose_sheet_is_bigger_than_its_stated_size_gets_a_plain_message():
    data = _lie_about_size(_xlsx(_sheet("A1:B3", TWO_AREAS * 20)), "xl/worksheets/sheet1.xml", 300)
    check = check_table(data, "lies.xlsx", GEOS)
    assert not check.ok and "This Excel file could not be read" in " ".join(m.text for m in check.messages)


# --------------------------------------------------------------------------- files too wide, deep or detailed


def test_a_csv_of_ten_thousand_columns_is_refused_with_the_limit_in_the_message():
    header = ",".join(["code"] + [f"v{i}" for i in range(9_999)])
    row = ",".join(["E01000001"] + ["1"] * 9_999)
    check = check_table(f"{header}\n{row}\n".encode(), "wide.csv", GEOS)
    text = " ".join(m.text for m in check.messages)
    assert not check.ok
    assert "The table has 10,000 columns" in text and f"up to {table.MAX_TABLE_COLUMNS} columns" in text


def test_an_xlsx_wider_than_the_limit_is_refused_with_the_limit_in_the_message():
    cells = "".join(f'<c r="{_column(i)}1"><v>{i}</v></c>' for i in range(table.MAX_TABLE_COLUMNS + 5))
    check = check_table(_xlsx(_sheet("A1:A1", f'<row r="1">{cells}</row>')), "wide.xlsx", GEOS)
    text = " ".join(m.text for m in check.messages)
    assert not check.ok and f"up to {table.MAX_TABLE_COLUMNS} columns" in text


def _column(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        name = chr(65 + rest) + name
    return name


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"type": "Polygon", "coordinates": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=["bare", "inside a geometry"],
)
def test_geojson_nested_a_hundred_thousand_deep_gets_a_plain_message(data):
    check = ub.check_boundaries(data, "deep.geojson")
    assert not check.ok and "nested far deeper than any map shape needs" in _everything_shown(check)


def test_geojson_with_absurd_but_parseable_nesting_gets_a_plain_message():
    coordinates = b"[" * 500 + b"1" + b"]" * 500
    data = b'{"type": "Polygon", "coordinates": ' + coordinates + b"}"
    check = ub.check_boundaries(data, "deep.geojson")
    assert not check.ok and "a feature of the GeoJSON is malformed" in _everything_shown(check)


def test_a_polygon_of_a_million_points_is_refused_naming_the_vertex_limit(tmp_path):
    angles = np.linspace(0, 2 * np.pi, 1_000_000, endpoint=False)
    ring = np.column_stack([-3.0 + 0.01 * np.cos(angles), 53.8 + 0.01 * np.sin(angles)])
    path = tmp_path / "detailed.gpkg"
    gpd.GeoDataFrame({"name": ["Round"]}, geometry=[shapely.Polygon(ring)], crs=4326).to_file(path, engine="pyogrio")
    data = path.read_bytes()
    assert len(data) < ub.MAX_BOUNDARY_BYTES
    check = ub.check_boundaries(data, "detailed.gpkg")
    assert not check.ok
    assert "1,000,001 points in all; Placemap accepts up to 200,000" in _everything_shown(check)
