"""Checks on the bytes of uploaded files before any parser sees them (pure, no Streamlit).

A file's name says nothing about what it holds: these functions look at the content (the
"magic" bytes each format starts with) so a file reaches GDAL only when it is what it claims
to be, and say in plain words what is wrong when it is not. Each ``*_problem`` function
returns ``None`` for an acceptable file, else the sentence to show.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path, PurePosixPath

SQLITE_HEADER = b"SQLite format 3\x00"
# GeoPackage 1.2+ writes "GPKG" as SQLite's application id (at byte 68); 1.0 and 1.1 wrote these.
GEOPACKAGE_IDS = (b"GPKG", b"GP10", b"GP11")
SHAPE_FILE_CODE = (9994).to_bytes(4, "big")  # both .shp and .shx start with it
SHAPE_VERSION = (1000).to_bytes(4, "little")  # at byte 28
# dBASE version bytes seen in shapefiles' .dbf (dBASE III-V, FoxPro, Visual FoxPro, with or without memo).
DBF_VERSIONS = frozenset({0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0x8E, 0xCB, 0xF5, 0xFB})
SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
# Files GIS software often zips with a shapefile: allowed in the zip, never unpacked.
COMPANION_SUFFIXES = (
    ".sbn",
    ".sbx",
    ".qix",
    ".fix",
    ".qpj",
    ".qmd",
    ".qml",
    ".sld",
    ".lyr",
    ".lyrx",
    ".xml",
    ".txt",
    ".md",
    ".pdf",
    ".htm",
    ".html",
    ".csv",
    ".cst",
    ".atx",
    ".aih",
    ".ain",
    ".ixs",
    ".mxs",
)
MAX_PRJ_BYTES = 64 * 1024
MAX_CPG_BYTES = 64
_PRJ = re.compile(r"^\s*[A-Z][A-Z0-9_]*\s*\[")
_CPG = re.compile(r"^[A-Za-z0-9_.\- ]*\s*$")
_GENERATED = re.compile(r"\bGENERATED\s+ALWAYS\b|\bAS\s*\(", re.IGNORECASE)
_VIRTUAL = re.compile(r"^\s*CREATE\s+VIRTUAL\s+TABLE\b", re.IGNORECASE)
_RTREE = re.compile(r"\bUSING\s+rtree\s*\(", re.IGNORECASE)

NOT_GEOPACKAGE = (
    "This file is called .gpkg but is not a GeoPackage, so it could not be read. Export the boundaries "
    "again from your GIS as a GeoPackage (or as GeoJSON or a zipped shapefile) and upload the new file."
)
NOT_GEOPACKAGE_DATABASE = (
    "This file is an SQLite database but not a GeoPackage, so it could not be read. Export the boundaries "
    "from your GIS as a GeoPackage (or as GeoJSON or a zipped shapefile) and upload that."
)
GEOPACKAGE_WITH_CODE = (
    "This GeoPackage holds database views, virtual tables or computed columns, which Placemap does not "
    "open for safety, so it could not be read. Export just the boundary layer to a new GeoPackage and upload that."
)
DAMAGED_GEOPACKAGE = "The GeoPackage is damaged and could not be read. Export the boundaries again from your GIS and upload the new file."
TOO_DEEP = (
    "This file is not valid GeoJSON: its brackets are nested far deeper than any map shape needs, so "
    "Placemap stopped reading it. Export the boundaries again as GeoJSON from your GIS."
)


def geopackage_problem(data: bytes) -> str | None:
    """Why ``data`` is not a GeoPackage (SQLite header and GeoPackage application id), or ``None``.

    Example
    -------
    >>> geopackage_problem(b"<OGRVRTDataSource/>") == NOT_GEOPACKAGE
    True
    """
    if not data.startswith(SQLITE_HEADER):
        return NOT_GEOPACKAGE
    if len(data) < 100 or data[68:72] not in GEOPACKAGE_IDS:
        return NOT_GEOPACKAGE_DATABASE
    return None


def geopackage_schema_problem(path: str | Path) -> str | None:
    """Why the GeoPackage at ``path`` must not be opened by GDAL, or ``None``.

    SQLite runs the SQL of views, virtual tables and computed columns when a table is read;
    boundary layers need none of them (the R*Tree spatial index is a virtual table and allowed).
    The schema is read with Python's own SQLite, read-only, before GDAL opens the file.
    """
    uri = f"{Path(path).resolve().as_uri()}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True)
        try:
            connection.execute("PRAGMA trusted_schema = OFF")
            rows = connection.execute("SELECT type, sql FROM sqlite_master").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return DAMAGED_GEOPACKAGE
    for kind, sql in rows:
        text = sql or ""
        if kind == "view":
            return GEOPACKAGE_WITH_CODE
        if kind == "table" and ((_VIRTUAL.match(text) and not _RTREE.search(text)) or _GENERATED.search(text)):
            return GEOPACKAGE_WITH_CODE
    return None


def zip_member_problem(names: list[str]) -> str | None:
    """Why a zip of a shapefile holds files Placemap refuses (by extension), or ``None``.

    Folders and the ``__MACOSX`` copies macOS adds are ignored.
    """
    allowed = SHAPEFILE_PARTS + COMPANION_SUFFIXES
    refused = [
        n
        for n in names
        if not n.endswith("/") and not ignored_member(n) and PurePosixPath(n).suffix.lower() not in allowed
    ]
    if not refused:
        return None
    from placemap.uploads.table import examples_text

    return (
        f"The zip holds files that are not part of a shapefile ({examples_text(refused, 3)}), which Placemap refuses for "
        "safety. Zip only the shapefile's parts (.shp, .shx, .dbf, .prj and .cpg) and upload the new .zip."
    )


def ignored_member(name: str) -> bool:
    """Whether a zip entry is macOS metadata (``__MACOSX/…`` or ``._name``), never a real part."""
    path = PurePosixPath(name)
    return path.parts[:1] == ("__MACOSX",) or path.name.startswith("._")


def shapefile_part_problem(suffix: str, head: bytes, size: int) -> str | None:
    """Why one part of a zipped shapefile is not what its extension says, or ``None``.

    Parameters
    ----------
    suffix : the part's extension (``".shp"``, ``".shx"``, ``".dbf"``, ``".prj"``, ``".cpg"``)
    head : the first bytes of the part (the whole part for ``.prj`` and ``.cpg``)
    size : the part's size in bytes, as read

    Example
    -------
    >>> shapefile_part_problem(".shp", b"<OGRVRTDataSource/>", 19) is None
    False
    """
    label = f"Its {suffix} file"
    fix = " Export the shapefile again from your GIS, zip its parts together and upload the new .zip."
    if suffix in (".shp", ".shx"):
        if len(head) < 100 or not head.startswith(SHAPE_FILE_CODE) or head[28:32] != SHAPE_VERSION:
            return f"The shapefile could not be read. {label} is not part of a shapefile.{fix}"
    elif suffix == ".dbf":
        header = int.from_bytes(head[8:10], "little") if len(head) >= 32 else 0
        if len(head) < 32 or head[0] not in DBF_VERSIONS or header < 33 or header > size:
            return f"The shapefile could not be read. {label} (the table of attributes) is not a dBASE table.{fix}"
    elif suffix in (".prj", ".cpg"):
        limit, pattern = (MAX_PRJ_BYTES, _PRJ) if suffix == ".prj" else (MAX_CPG_BYTES, _CPG)
        what = "a coordinate system description" if suffix == ".prj" else "the name of a text encoding"
        try:
            text = head.decode("ascii")
        except UnicodeDecodeError:
            text = None
        if size > limit or text is None or not pattern.match(text.lstrip("\ufeff")):
            return f"The shapefile could not be read. {label} should hold {what} and does not.{fix}"
    return None


def load_json(data: bytes) -> tuple[object | None, str | None]:
    """Parse JSON bytes: (document, ``None``) or (``None``, the plain-words problem).

    A document nested too deeply for Python's parser is a problem, never an exception.

    Example
    -------
    >>> load_json(b"[" * 100_000)[1] == TOO_DEEP
    True
    """
    try:
        return json.loads(data.decode("utf-8-sig")), None
    except RecursionError:
        return None, TOO_DEEP
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        return None, (
            f"This file is not valid JSON{where}, so it cannot be GeoJSON. Export the boundaries again as GeoJSON "
            "from your GIS, or check the file was not cut short."
        )
