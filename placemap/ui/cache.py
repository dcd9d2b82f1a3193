"""Cached loads of the national tables and boundaries, and the choropleths built from them.

National tables and boundaries are loaded once per server process and shared by every session
(``st.cache_resource``: callers must treat them as read-only); per-view results are ``st.cache_data``
keyed on small hashable arguments, except the classifications, which are shared
read-only too (``st.cache_data`` would unpickle a national classification on every run: ~0.1 s).
Streamlit UI code: this module imports streamlit."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from placemap.analysis import classify
from placemap.analysis.classify import Classification
from placemap.data import (
    disk_cache,
    loaders,
    prepare,
)
from placemap.data.catalogue import Indicator, get_indicator, get_vintage
from placemap.data.loaders import AREA_CODE, LA_CODE, LA_NAME
from placemap.render import choropleth, raster
from placemap.render.image_store import GENERATED_DIR, write_generated


def default_data_dir() -> str:
    return str(loaders.DATA_DIR)


def edition_inputs(year: int, data_dir: str | None = None) -> list[Path]:
    """The files an edition's national table is derived from: boundaries, IoD table, bundled measures, code."""
    vintage, root = get_vintage(year), Path(data_dir or default_data_dir())
    return [
        loaders.data_path(vintage.boundary_file, root),
        loaders.data_path(vintage.iod_file, root),
        *disk_cache.folder_files(root / "indicators"),
        *disk_cache.code_files(),
    ]


def boundary_inputs(year: int, data_dir: str | None = None) -> list[Path]:
    """The files an edition's map layers are derived from: LSOA and LA boundaries, code."""
    vintage, root = get_vintage(year), Path(data_dir or default_data_dir())
    return [
        loaders.data_path(vintage.boundary_file, root),
        loaders.data_path(vintage.la_file, root),
        *disk_cache.code_files(),
    ]


def _on_disk(name: str, inputs: list[Path], build, *args, frame: bool = False, upload: str = ""):
    """``build()`` through the on-disk cache, unless it shows an upload or indicators other than the bundled ones are registered.

    A registered indicator's values can come from anywhere (a test, a deployment's own code), so
    no file digest stands for them, and uploads are never written to disk: those results are computed afresh.
    """
    from placemap.data.catalogue import CATALOGUE

    if upload or CATALOGUE.registered(bundled=False):
        return build()
    if frame:
        return disk_cache.cached_frame(name, inputs, build, *args)
    return disk_cache.cached_object(disk_cache.args_name(name, *args), inputs, build, *args)


def load_areas(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """All of England's LSOAs for one edition: names, wards, LAs and every indicator.

    Registered indicators (``CATALOGUE.register``) are joined in as columns named by id,
    with their national rank and decile (``values.with_registered``).
    """
    from placemap.data.catalogue import CATALOGUE

    return _load_areas(year, data_dir, CATALOGUE.version)


@st.cache_resource(show_spinner="Loading the Indices of Deprivation…", max_entries=8)
def _load_areas(year: int, data_dir: str | None, catalogue_version: int) -> pd.DataFrame:
    from placemap.data.values import with_registered

    def build() -> pd.DataFrame:
        return with_registered(loaders.read_areas(get_vintage(year), data_dir or default_data_dir()), year)

    return _on_disk(f"areas{year}", edition_inputs(year, data_dir), build, year, frame=True)


@st.cache_resource(show_spinner="Loading boundaries…")
def load_geometry(year: int, data_dir: str | None = None) -> gpd.GeoDataFrame:
    """All of England's LSOA boundaries for one edition's geography."""
    path = loaders.data_path(get_vintage(year).boundary_file, data_dir or default_data_dir())
    return loaders.read_area_boundaries(path)


@st.cache_resource(show_spinner="Loading local authority boundaries…")
def load_las(year: int, data_dir: str | None = None) -> gpd.GeoDataFrame:
    """Local authority boundaries for one edition's LA geography."""
    path = loaders.data_path(get_vintage(year).la_file, data_dir or default_data_dir())
    return loaders.read_la_boundaries(path)


@st.cache_data
def load_la_options(year: int, data_dir: str | None = None) -> dict[str, str]:
    """LA code -> name for every LA with LSOAs in the edition, sorted by name.

    Read from the on-disk cache after the first start, so listing every edition's LAs does not
    load every edition's national table.
    """

    def build() -> dict[str, str]:
        pairs = load_areas(year, data_dir)[[LA_CODE, LA_NAME]].drop_duplicates().sort_values(LA_NAME)
        return dict(zip(pairs[LA_CODE], pairs[LA_NAME], strict=True))

    return _on_disk("la_options", edition_inputs(year, data_dir), build, year)


@st.cache_data
def load_area_options(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> dict[str, str]:
    """Area code -> "name (code)" for the LSOAs of the chosen LAs, sorted by name."""
    areas = prepare.areas_in(load_areas(year, data_dir), la_codes).sort_values(loaders.AREA_NAME)
    return {c: f"{n} ({c})" for c, n in zip(areas[AREA_CODE], areas[loaders.AREA_NAME], strict=True)}


def place_geometry(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> gpd.GeoDataFrame:
    """The LSOA boundaries of the chosen LAs, in area-code order (the map's feature order)."""
    geometry = load_geometry(year, data_dir)
    return prepare.areas_in(geometry, la_codes)


@st.cache_data(max_entries=32, show_spinner="Preparing the map…")
def load_place_layers(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> dict:
    """GeoJSON for a place at LSOA level: LSOAs, LA outline, wards, neighbouring LAs, bounds."""

    def build() -> dict:
        return choropleth.lsoa_layers(place_geometry(year, la_codes, data_dir), load_las(year, data_dir), la_codes)

    return _on_disk("place_layers", boundary_inputs(year, data_dir), build, year, la_codes)


def load_indicator_areas(
    year: int, indicator_id: str, upload: str = "", data_dir: str | None = None
) -> tuple[pd.DataFrame, Indicator, str]:
    """The edition's LSOA table holding an indicator's values, rank and decile, its record, and how it joins.

    The note says how the values reach the LSOAs ("each LSOA shows its ward's value"; "" for a column
    of the edition's table).
    ``upload`` is the registry digest (``registry.UPLOADS``) of the uploaded table whose column
    ``indicator_id`` is; ``""`` for an indicator of the catalogue (official or registered), whose
    table is ``load_areas``. Raises ``ValueError`` with a plain note when it cannot be shown.
    """
    if not upload:
        return load_areas(year, data_dir), get_indicator(indicator_id), ""
    return _load_upload_areas(year, indicator_id, upload, data_dir)


@st.cache_resource(max_entries=16, show_spinner="Joining your data to the LSOAs…")
def _load_upload_areas(year: int, indicator_id: str, upload: str, data_dir: str | None) -> tuple:
    from placemap.data.catalogue import CATALOGUE
    from placemap.uploads.registry import UPLOADS

    table = UPLOADS.get(upload)
    if table is None:
        raise ValueError("The uploaded dataset was cleared from the server's memory: upload it again.")
    catalogue = CATALOGUE.with_uploads([table])
    indicator = catalogue.get(indicator_id)
    frame, note = choropleth.indicator_frame(load_areas(year, data_dir), indicator, year, catalogue)
    return frame, indicator, note


@st.cache_resource(max_entries=256)
def load_classification(
    year: int,
    la_codes: tuple[str, ...],
    indicator_id: str,
    scheme: str,
    k: int,
    palette: str,
    data_dir: str | None = None,
    upload: str = "",
) -> tuple[Classification, dict]:
    """Classify an indicator over a place's LSOAs; the classification and the map's style payload.

    ``upload`` names the uploaded table holding the indicator (``load_indicator_areas``).
    """

    def build() -> tuple[Classification, dict]:
        national, indicator, _ = load_indicator_areas(year, indicator_id, upload, data_dir)
        codes = list(prepare.areas_in(national, la_codes).index)
        return choropleth.codes_classification(national, codes, indicator, get_vintage(year), scheme, k, palette)

    args = (year, la_codes, indicator_id, scheme, k, palette)
    return _on_disk("lsoa_classes", edition_inputs(year, data_dir), build, *args, upload=upload)


def area_at(year: int, la_codes: tuple[str, ...], lat: float, lng: float, data_dir: str | None = None) -> str | None:
    """Code of the chosen LAs' LSOA at a clicked point, or ``None`` outside them.

    Searches England's spatial index (built once per process) and then checks the LA,
    so a click costs the same for one LA as for all of England.
    """
    geometry = load_geometry(year, data_dir)
    code = prepare.find_area_at(geometry, lat, lng)
    if code is None or geometry.at[code, LA_CODE] not in la_codes:
        return None
    return code


def la_at(year: int, la_codes: tuple[str, ...], lat: float, lng: float, data_dir: str | None = None) -> str | None:
    """Code of the chosen LA at a clicked point (via its LSOAs), or ``None``."""
    code = area_at(year, la_codes, lat, lng, data_dir)
    return None if code is None else load_geometry(year, data_dir).at[code, LA_CODE]


@st.cache_resource
def load_regions(year: int, data_dir: str | None = None) -> pd.DataFrame:
    """LA -> region for the edition's LA geography."""
    return loaders.read_la_regions(year, data_dir or default_data_dir())


@st.cache_data
def load_region_options(year: int, data_dir: str | None = None) -> dict[str, str]:
    """Region code -> name, in code order."""
    regions = load_regions(year, data_dir)
    pairs = regions[["region_code", "region_name"]].drop_duplicates().sort_values("region_code")
    return dict(zip(pairs["region_code"], pairs["region_name"], strict=True))


@st.cache_resource(show_spinner="Projecting boundaries…")
def load_projected_geometry(year: int, data_dir: str | None = None) -> gpd.GeoSeries:
    """England's LSOA polygons in Web Mercator, for server-rendered images (once per process)."""
    return load_geometry(year, data_dir).geometry.to_crs(raster.WEB_MERCATOR)


@st.cache_resource(max_entries=32, show_spinner="Preparing the map…")
def load_la_layers(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> dict:
    """GeoJSON of the chosen LAs as polygons (for the LA summary map and outlines), and bounds.

    Shared read-only (the map's builders serialise it and never change it): unpickling England's
    outlines on every run would cost ~0.07 s.
    """
    build = lambda: choropleth.la_layers(load_las(year, data_dir), la_codes)  # noqa: E731
    return _on_disk("la_layers", boundary_inputs(year, data_dir), build, year, la_codes)


@st.cache_resource(max_entries=128)
def load_la_classification(
    choice: choropleth.MapChoice, upload: str = "", data_dir: str | None = None
) -> tuple[Classification, dict, pd.DataFrame]:
    """Classify the chosen LAs (``choropleth.la_classification``) in the LA map's feature order."""
    year, la_codes, indicator_id, scheme, k, palette = choice
    codes = tuple(load_la_layers(year, la_codes, data_dir)["codes"])

    def build() -> tuple[Classification, dict, pd.DataFrame]:
        national, indicator, _ = load_indicator_areas(year, indicator_id, upload, data_dir)
        return choropleth.la_classification(national, codes, indicator, get_vintage(year), scheme, k, palette)

    args = (year, codes, indicator_id, scheme, k, palette)
    return _on_disk("la_classes", edition_inputs(year, data_dir), build, *args, upload=upload)


def raster_layer(choice: choropleth.MapChoice, upload: str = "") -> tuple[str, list[list[float]], str, int]:
    """``load_raster``, re-rendering if its image was pruned from disk since it was cached."""
    result = load_raster(choice, upload)
    if not (GENERATED_DIR / Path(result[0]).name).exists():
        load_raster.clear()
        result = load_raster(choice, upload)
    return result


@st.cache_data(max_entries=64, show_spinner="Drawing the map…")
def load_raster(
    choice: choropleth.MapChoice, upload: str = "", data_dir: str | None = None, out_dir: str | None = None
) -> tuple[str, list[list[float]], str, int]:
    """Render the LSOA choropleth of a large place to a PNG served by the app ("no data" striped).

    Returns (url, bounds, version, bytes). The file name is the image's hash, so a
    browser can cache it and a repeated view costs nothing. Which image a view has is kept on
    disk between server starts, so a restarted server shows a drawn view without projecting
    England's boundaries again; an image pruned from the folder is drawn again.
    """
    year, la_codes = choice.year, choice.la_codes

    def build() -> tuple[str, list[list[float]], str, int]:
        classification, _ = load_classification(*choice, data_dir, upload=upload)
        projected = load_projected_geometry(year, data_dir)
        codes = place_geometry(year, la_codes, data_dir).index
        image = raster.render_choropleth(projected.loc[codes], classification)
        version = "-".join(map(str, [year, *choice[2:]])) + (f"-{upload[:16]}" if upload else "")
        return write_generated(image, out_dir), image.bounds, version, len(image.png)

    result = _on_disk("raster", edition_inputs(year, data_dir), build, *choice, out_dir, upload=upload)
    if not (Path(out_dir or GENERATED_DIR) / Path(result[0]).name).exists():
        result = build()  # written again under the same name, so the cached entry is right again
    return result


def area_features(year: int, code: str, data_dir: str | None = None) -> dict:
    """GeoJSON of one area (for the selection highlight)."""
    geometry = load_geometry(year, data_dir)
    one = geometry.loc[[code]]
    return prepare.feature_collection(one.geometry, [{"c": prepare.escape_text(code)}])


@st.cache_data(max_entries=256)
def count_lsoas(year: int, la_codes: tuple[str, ...], data_dir: str | None = None) -> int:
    """Number of LSOAs in the chosen LAs."""
    return int(load_areas(year, data_dir)[LA_CODE].isin(la_codes).sum())


def area_in_place(year: int, la_codes: tuple[str, ...], code: str, data_dir: str | None = None) -> bool:
    """Whether ``code`` is an LSOA of the chosen LAs in this edition."""
    areas = load_areas(year, data_dir)
    return code in areas.index and areas.at[code, LA_CODE] in la_codes


@st.cache_resource(show_spinner="Opening the database…")
def load_store(url: str):
    """The app's database for ``url``, migrated to the newest schema (once per process).

    Raises ``store.StoreError`` (not cached, so a later run tries again).
    """
    from placemap.storage import store

    return store.open_store(url)


WARM_IMPORTS_ENV = "PLACEMAP_WARM_IMPORTS"
_warming: list = []


def warm_imports_later(delay: float = 2.0) -> None:
    """With ``PLACEMAP_WARM_IMPORTS=1``: import mapclassify, Altair and matplotlib in the background.

    ``delay`` seconds after the first page, so they are ready before someone opens a page that needs
    them (a classification not cached on disk, any chart, a report) instead of that person waiting
    about 2 s for the imports, once per server process. Off by default: they hold about 230 MB
    (mapclassify brings scikit-learn and numba), which a server that only shows cached maps never
    needs, and the import holds the interpreter for a few seconds just after the first page. Once
    per process; a no-op after that.
    """
    import os
    import threading

    if _warming or os.environ.get(WARM_IMPORTS_ENV, "0").strip().lower() not in {"1", "true", "yes"}:
        return

    def warm() -> None:
        import importlib
        import time

        time.sleep(delay)
        classify._mapclassify()
        importlib.import_module("placemap.render.report")  # Altair, matplotlib and the chart builders

    _warming.append(threading.Thread(target=warm, name="placemap-warm-imports", daemon=True))
    _warming[0].start()
