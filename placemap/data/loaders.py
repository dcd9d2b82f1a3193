"""Read the bundled data files, check them, and raise clear errors when they are wrong.

Loaders never import folium or Altair, and never cache: ``placemap.ui.cache`` wraps them.
Every error names the file and says what is wrong in plain words.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from placemap.data.catalogue import Vintage, indicators_for

AREA_CODE = "area_code"
AREA_NAME = "area_name"
WARD_CODE = "ward_code"
WARD_NAME = "ward_name"
LA_CODE = "la_code"
LA_NAME = "la_name"
AREA_COLUMNS = [AREA_CODE, AREA_NAME, WARD_CODE, WARD_NAME, LA_CODE, LA_NAME]
LA_COLUMNS = [LA_CODE, LA_NAME]


class DataFileError(ValueError):
    """A bundled data file is missing, unreadable or malformed; the message names the file."""


DATA_DIR = Path(os.environ.get("PLACEMAP_DATA_DIR", Path(__file__).resolve().parents[2] / "data"))


def data_path(relative: str, data_dir: Path | str | None = None) -> Path:
    """Return the absolute path of a bundled file given its path inside ``data/``."""
    return Path(data_dir or DATA_DIR) / relative


def read_data_file(path: Path, reader: Callable[[Path], pd.DataFrame]) -> pd.DataFrame:
    """Read one bundled file with ``reader``, turning any failure into a :class:`DataFileError`.

    Parameters
    ----------
    path : Path
        The file to read.
    reader : callable
        Reads ``path`` into a frame (``pd.read_csv``, ``gpd.read_parquet``, ...).

    Returns
    -------
    pandas.DataFrame
        What ``reader`` returned.

    Raises
    ------
    DataFileError
        The file is missing or could not be read; the message names the file.
    """
    if not path.exists():
        raise DataFileError(f"{path.name}: file not found at {path}")
    try:
        return reader(path)
    except Exception as exc:
        raise DataFileError(f"{path.name}: could not be read ({type(exc).__name__}: {exc})") from exc


def require_columns(frame: pd.DataFrame, columns: list[str], path: Path) -> None:
    """Raise a :class:`DataFileError` naming ``path`` if ``frame`` lacks any of ``columns``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table read from ``path``.
    columns : list of str
        The columns it must have.
    path : Path
        The file it came from, named in the message.

    Raises
    ------
    DataFileError
        One or more columns are missing; the message lists them.
    """
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataFileError(f"{path.name}: missing column(s) {', '.join(missing)}")


def require_unique(frame: pd.DataFrame, column: str, path: Path) -> None:
    """Raise a :class:`DataFileError` naming ``path`` if ``column`` repeats a code.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table read from ``path``.
    column : str
        The column of codes that must be unique.
    path : Path
        The file it came from, named in the message.

    Raises
    ------
    DataFileError
        Some codes repeat; the message shows up to five of them.
    """
    duplicated = frame.loc[frame[column].duplicated(), column]
    if len(duplicated):
        sample = ", ".join(map(str, duplicated.unique()[:5]))
        raise DataFileError(f"{path.name}: duplicate area code(s) in {column}: {sample}")


def read_area_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Read an LSOA boundary file (GeoParquet) with code, name, ward and LA columns.

    Raises
    ------
    ValueError
        If the file is missing or unreadable, a column is missing, a code is
        duplicated, or a geometry is empty.
    """
    frame = read_data_file(path, gpd.read_parquet)
    require_columns(frame, AREA_COLUMNS, path)
    require_unique(frame, AREA_CODE, path)
    if frame.geometry.isna().any() or frame.geometry.is_empty.any():
        raise DataFileError(f"{path.name}: some areas have no geometry")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = frame.set_crs(4326, allow_override=True) if frame.crs is None else frame.to_crs(4326)
    return frame.set_index(AREA_CODE, drop=False)


def read_la_boundaries(path: Path) -> gpd.GeoDataFrame:
    """Read a local authority boundary file with ``la_code`` and ``la_name``."""
    frame = read_data_file(path, gpd.read_parquet)
    require_columns(frame, LA_COLUMNS, path)
    require_unique(frame, LA_CODE, path)
    return frame.set_index(LA_CODE, drop=False)


def read_iod_table(path: Path, vintage: Vintage) -> pd.DataFrame:
    """Read one edition's LSOA table and check it has every catalogued column.

    Raises
    ------
    ValueError
        If a catalogued column or the area code is missing, or a code is duplicated.
    """
    frame = read_data_file(path, pd.read_parquet)
    needed = {AREA_CODE}
    for ind in indicators_for(vintage.year):
        needed |= {ind.columns[vintage.year], ind.rank_column(vintage.year), ind.decile_column(vintage.year)}
    require_columns(frame, sorted(needed), path)
    require_unique(frame, AREA_CODE, path)
    return frame.set_index(AREA_CODE, drop=False)


def check_codes_match(table: pd.DataFrame, boundaries: pd.DataFrame, path: Path) -> None:
    """Raise ``ValueError`` when the table has area codes that the boundaries lack."""
    unknown = table.index.difference(boundaries.index)
    if len(unknown):
        sample = ", ".join(unknown[:5])
        raise DataFileError(f"{path.name}: {len(unknown)} area code(s) do not match the boundaries, e.g. {sample}")


def read_areas(vintage: Vintage, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Return one edition's LSOA table joined to names, wards and LAs (no geometry).

    Areas present in the boundaries but not in the table keep empty values ("no data").
    """
    boundary_path = data_path(vintage.boundary_file, data_dir)
    iod_path = data_path(vintage.iod_file, data_dir)
    boundaries = read_area_boundaries(boundary_path)
    table = read_iod_table(iod_path, vintage)
    check_codes_match(table, boundaries, iod_path)
    attributes = pd.DataFrame(boundaries[AREA_COLUMNS])
    return attributes.join(table.drop(columns=[AREA_CODE]), how="left")


def read_la_summaries(vintage: Vintage, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Read the official LA summary table of an edition, indexed by LA code."""
    path = data_path(vintage.summary_file, data_dir)
    frame = read_data_file(path, pd.read_csv)
    code = frame.columns[0]
    require_unique(frame, code, path)
    return frame.set_index(code)


def read_la_regions(year: int, data_dir: Path | str | None = None) -> pd.DataFrame:
    """LA -> English region for the LA geography of an edition (2019 LAs for 2015/2019, 2024 for 2025)."""
    from placemap.data.catalogue import REGION_FILE

    path = data_path(REGION_FILE, data_dir)
    frame = read_data_file(path, pd.read_csv)
    require_columns(frame, ["la_vintage", LA_CODE, LA_NAME, "region_code", "region_name"], path)
    frame = frame[frame["la_vintage"] == (2024 if year == 2025 else 2019)]
    require_unique(frame, LA_CODE, path)
    return frame.set_index(LA_CODE, drop=False)


LSOA_LOOKUP_FILE = "lookups/lsoa11_to_lsoa21_lad22_england.csv"
LOOKUP_COLUMNS = ["lsoa11_code", "lsoa21_code", "change_code"]


def read_lsoa_lookup(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Read the ONS LSOA (2011) -> LSOA (2021) best-fit lookup.

    ``change_code`` is U (unchanged), S (2011 LSOA split), M (2011 LSOAs merged) or
    X (complex change).

    Raises
    ------
    ValueError
        If the file is missing or unreadable, or a column is missing.
    """
    path = data_path(LSOA_LOOKUP_FILE, data_dir)
    frame = read_data_file(path, lambda p: pd.read_csv(p, dtype=str))
    require_columns(frame, LOOKUP_COLUMNS, path)
    return frame[LOOKUP_COLUMNS]
