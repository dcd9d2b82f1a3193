"""Bring your own boundaries: read local areas safely and aggregate the official indicators to them.

Reading (``check_boundaries``) never raises for bad input and never writes outside a
``tempfile.TemporaryDirectory``: a zip is checked before anything is extracted (entry
names with ``..`` or absolute paths, total uncompressed size, number of entries, file
types), then only the shapefile's parts are copied out, under their bare file names, with
the bytes counted as they are written and each part's first bytes checked to be what its
extension says. A file reaches GDAL only as a checked GeoPackage or shapefile, with every
other GDAL driver switched off (``placemap.uploads.gdal_safety``); GeoJSON is parsed by Placemap.

Aggregation (``overlay_weights`` + ``aggregate``) is an LSOA population-weighted overlay:
each LSOA contributes ``population x (share of its area inside the uploaded area)``;
an uploaded area's value is the weighted mean of its LSOAs' values. Areas are measured
in British National Grid (EPSG:27700).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from placemap.uploads import file_checks, gdal_safety

# Re-exported (``x as x``): callers and tests know them from here.
from placemap.uploads.boundary_zip import MAX_UNZIPPED_BYTES as MAX_UNZIPPED_BYTES
from placemap.uploads.boundary_zip import MAX_ZIP_ENTRIES as MAX_ZIP_ENTRIES
from placemap.uploads.boundary_zip import check_zip as check_zip
from placemap.uploads.boundary_zip import extract_shapefile
from placemap.uploads.table import ERROR, INFO, WARNING, Message, examples_text, size_text

MAX_BOUNDARY_BYTES = 20 * 1024 * 1024  # the server's own cap (server.maxUploadSize = 20)
MAX_FEATURES = 2_000
# The most points all areas' outlines may have together: a detailed district's wards are about
# 50,000; a million-point outline would keep the overlay busy for minutes.
MAX_VERTICES = 200_000
ENGLAND_BOUNDS = (-6.5, 49.8, 2.0, 55.9)  # lon/lat box around England (with a margin)
BNG = 27700
AREA_ID, AREA_LABEL = "area_id", "area_name"
NAME_HINTS = ("name", "area_name", "areaname", "label", "title")
MIN_SHARE = 1e-5
SIMPLIFY_DEGREES = 0.00002  # about 2 m: for drawing only; aggregation uses the full geometry
POPULATION_2025_NOTE = (
    "IoD2025 uses LSOAs (2021), which have no published population denominators bundled here; "
    "Placemap carries the mid-2015 populations of the LSOAs (2011) (IoD2019's denominators) onto the "
    "2021 LSOAs with the ONS best-fit lookup: an unchanged or merged LSOA takes its parents' total, "
    "a split or complex one an equal share of its parent's population."
)
METHOD_NOTE = (
    "Each LSOA that overlaps an uploaded area contributes its population multiplied by the share of the "
    "LSOA's area that lies inside the uploaded area (areas measured in British National Grid); the "
    "uploaded area's value is the weighted mean of those LSOAs' values. Average ranks and scores are the "
    "same population-weighted averages MHCLG publishes for local authorities; the share of people in "
    "England's most deprived 10% counts the weighted population of LSOAs in national decile 1."
)


@dataclass
class BoundaryCheck:
    """What ``check_boundaries`` found. ``areas`` (WGS84, columns ``area_id``, ``area_name``) when ``ok``."""

    messages: list[Message] = field(default_factory=list)
    areas: gpd.GeoDataFrame | None = None
    source_crs: str = ""
    name_column: str | None = None
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.areas is not None and not any(m.level == ERROR for m in self.messages)

    def add(self, level: str, text: str) -> None:
        self.messages.append(Message(level, text))


# --------------------------------------------------------------------------- reading


def _kind(data: bytes, filename: str) -> str:
    name = filename.lower()
    if name.endswith(".zip") or data.startswith(b"PK\x03\x04"):
        return "zip"
    if name.endswith(".gpkg") or data.startswith(file_checks.SQLITE_HEADER):
        return "gpkg"
    if name.endswith((".geojson", ".json")):
        return "geojson"
    return "unknown"


def _read_geojson(data: bytes, check: BoundaryCheck) -> gpd.GeoDataFrame | None:
    from placemap.uploads.geojson_frame import geojson_frame

    document, problem = file_checks.load_json(data)
    if problem:
        check.add(ERROR, problem)
        return None
    kind = document.get("type") if isinstance(document, dict) else None
    if kind not in ("FeatureCollection", "Feature", "Polygon", "MultiPolygon", "GeometryCollection"):
        check.add(
            ERROR,
            'This JSON file is not GeoJSON (it has no "type": "FeatureCollection"). Export the boundaries as GeoJSON from your GIS.',
        )
        return None
    frame, notes = geojson_frame(document, MAX_FEATURES + 1)
    for note in notes:
        check.add(ERROR if frame is None else INFO, note)
    return frame


def _read_file(path: Path, check: BoundaryCheck, layer: str | None = None) -> gpd.GeoDataFrame | None:
    import warnings

    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's notes about odd files; failures still raise
            if layer is None and path.suffix == ".gpkg":
                problem = file_checks.geopackage_schema_problem(path)
                if problem:
                    check.add(ERROR, problem)
                    return None
                layers = pyogrio.list_layers(path)
                if len(layers) == 0:
                    check.add(ERROR, "The GeoPackage has no layers. Save the boundaries into it and upload again.")
                    return None
                if len(layers) > 1:
                    check.add(INFO, f'The GeoPackage has {len(layers)} layers; the first, "{layers[0][0]}", was read.')
                layer = layers[0][0]
            return gpd.read_file(path, engine="pyogrio", layer=layer, max_features=MAX_FEATURES + 1)
    except Exception:  # noqa: BLE001 - GDAL raises many kinds for a broken file; all mean "cannot read"
        check.add(
            ERROR,
            "The boundary file could not be read. Export it again from your GIS as GeoJSON, GeoPackage or a zipped shapefile.",
        )
        return None


def _looks_like(bounds: np.ndarray) -> str:
    west, south, east, north = bounds
    if -180 <= west <= 180 and -90 <= south <= 90 and -180 <= east <= 180 and -90 <= north <= 90:
        return "longitude and latitude (EPSG:4326)"
    if 0 <= west <= 700_000 and 0 <= south <= 1_300_000:
        return "British National Grid metres (EPSG:27700)"
    return ""


def _polygonal(geometry):
    if geometry is None or geometry.is_empty:
        return None
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    if geometry.geom_type == "GeometryCollection":
        parts = [g for g in geometry.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        return shapely.union_all(parts) if parts else None
    return None


def _name_column(frame: gpd.GeoDataFrame) -> str | None:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    for hint in NAME_HINTS:
        for c in columns:
            if str(c).lower() == hint:
                return c
    for c in columns:
        if "name" in str(c).lower() or str(c).lower().endswith("nm"):
            return c
    for c in columns:
        if frame[c].dtype == object:
            return c
    return None


def check_boundaries(
    data: bytes,
    filename: str,
    *,
    stated_crs: str | None = None,
    name_column: str | None = None,
    temp_root: str | Path | None = None,
) -> BoundaryCheck:
    """Read uploaded boundaries (GeoJSON, GeoPackage, zipped shapefile) into WGS84 polygons.

    Parameters
    ----------
    data, filename : the uploaded bytes and the user's file name
    stated_crs : the CRS to assume when the file states none (e.g. ``"EPSG:27700"``)
    name_column : the attribute holding area names (guessed when ``None``)
    temp_root : where the temporary folder is made (the system's by default; tests pass one)

    Returns
    -------
    BoundaryCheck with messages; ``areas`` when ``ok``.
    """
    check = BoundaryCheck()
    if len(data) > MAX_BOUNDARY_BYTES:
        check.add(
            ERROR,
            f"The file is {size_text(len(data))}; Placemap accepts boundary files up to {size_text(MAX_BOUNDARY_BYTES)}. Simplify the boundaries (e.g. to 5 m) or keep only the areas you need.",
        )
        return check
    if not data.strip():
        check.add(ERROR, "The file is empty. Upload GeoJSON, a GeoPackage or a zipped shapefile of your areas.")
        return check
    kind = _kind(data, filename or "")
    if kind == "unknown":
        check.add(
            ERROR,
            "Placemap reads boundaries as GeoJSON (.geojson), GeoPackage (.gpkg) or a zipped shapefile (.zip). Save your file in one of these formats.",
        )
        return check
    if kind == "geojson":
        frame = _read_geojson(data, check)
        return check if frame is None else _finish(frame, check, stated_crs, name_column)
    if not gdal_safety.LOCKED_DOWN:
        check.add(
            ERROR,
            "Placemap cannot read GeoPackages or shapefiles safely on this server just now. Upload the boundaries as GeoJSON instead.",
        )
        return check
    if kind == "gpkg" and (problem := file_checks.geopackage_problem(data)):
        check.add(ERROR, problem)
        return check
    infos = None
    if kind == "zip":
        infos, messages = check_zip(data)
        check.messages.extend(messages)
        if infos is None:
            return check
    with tempfile.TemporaryDirectory(prefix="placemap-upload-", dir=temp_root) as folder:
        folder_path = Path(folder)
        if kind == "zip":
            path, messages = extract_shapefile(data, infos, folder_path)
            check.messages.extend(messages)
            if path is None:
                return check
            if not (folder_path / "layer.prj").exists():
                check.add(INFO, "The zip has no .prj file, which is where a shapefile states its CRS.")
        else:
            path = folder_path / "layer.gpkg"
            path.write_bytes(data)
        frame = _read_file(path, check)
    if frame is None:
        return check
    return _finish(frame, check, stated_crs, name_column)


def _finish(
    frame: gpd.GeoDataFrame, check: BoundaryCheck, stated_crs: str | None, name_column: str | None
) -> BoundaryCheck:
    if len(frame) == 0:
        check.add(ERROR, "The file has no areas in it. Check you exported the right layer.")
        return check
    if len(frame) > MAX_FEATURES:
        check.add(
            ERROR,
            f"The file has more than {MAX_FEATURES:,} areas; Placemap accepts up to {MAX_FEATURES:,} uploaded areas at once. Keep only the areas you need.",
        )
        return check
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    if vertices > MAX_VERTICES:
        # Checked before any repair or overlay: both take time in proportion to the points.
        check.add(
            ERROR,
            f"The outlines have {vertices:,} points in all; Placemap accepts up to {MAX_VERTICES:,}. Simplify the boundaries in your GIS (e.g. to 5 m) and upload again.",
        )
        return check
    check.columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    if frame.empty:
        check.add(ERROR, "None of the areas has a shape (every geometry is empty).")
        return check
    if frame.crs is None:
        looks = _looks_like(frame.total_bounds)
        if not stated_crs:
            hint = f" Its coordinates look like {looks}." if looks else ""
            check.add(
                ERROR,
                f"The file does not say which coordinate reference system (CRS) its coordinates are in, so Placemap cannot place it on the map.{hint} State the CRS below (e.g. EPSG:27700 for British National Grid), or export the file again with its CRS (for a shapefile, include the .prj file).",
            )
            return check
        try:
            frame = frame.set_crs(stated_crs)
        except Exception:  # noqa: BLE001 - pyproj raises several kinds for an unknown CRS
            check.add(
                ERROR,
                f'"{stated_crs[:40]}" is not a CRS Placemap knows. Use an EPSG code such as EPSG:27700 (British National Grid) or EPSG:4326 (longitude/latitude).',
            )
            return check
        check.add(INFO, f"The file states no CRS; you said it is {frame.crs.name}.")
    check.source_crs = frame.crs.to_string() if frame.crs.to_epsg() is None else f"EPSG:{frame.crs.to_epsg()}"
    try:
        frame = frame.to_crs(4326)
    except Exception:  # noqa: BLE001
        check.add(
            ERROR,
            f"The areas could not be converted from {check.source_crs} to longitude/latitude. Export them in EPSG:27700 or EPSG:4326.",
        )
        return check
    if check.source_crs != "EPSG:4326":
        check.add(INFO, f"Converted from {check.source_crs} to longitude/latitude (WGS84).")

    geometry = frame.geometry.values
    invalid = ~shapely.is_valid(geometry)
    if invalid.any():
        geometry = np.where(invalid, shapely.make_valid(geometry), geometry)
    polygons = [_polygonal(g) for g in geometry]
    not_polygons = [i for i, g in enumerate(polygons) if g is None]
    if len(not_polygons) == len(polygons):
        check.add(ERROR, "The file holds points or lines, not areas. Upload polygons (the outlines of your areas).")
        return check
    names = _name_labels(frame, name_column, check)
    keep = [i for i, g in enumerate(polygons) if g is not None]
    if invalid.any():
        check.add(
            WARNING,
            f"{int(invalid.sum()):,} area(s) had invalid shapes (e.g. edges that cross) and were repaired automatically: {examples_text([names[i] for i in np.flatnonzero(invalid)], 5)}. Check their outlines on the map.",
        )
    if not_polygons:
        check.add(
            WARNING,
            f"{len(not_polygons):,} feature(s) are not areas (points or lines) and were left out: {examples_text([names[i] for i in not_polygons], 5)}.",
        )
    areas = gpd.GeoDataFrame(
        {AREA_ID: [f"A{i + 1}" for i in keep], AREA_LABEL: [names[i] for i in keep]},
        geometry=[polygons[i] for i in keep],
        crs=4326,
    )
    west, south, east, north = areas.total_bounds
    ew, es, ee, en = ENGLAND_BOUNDS
    if east < ew or west > ee or north < es or south > en:
        check.add(
            ERROR,
            f"The areas lie outside England (around longitude {(west + east) / 2:.2f}, latitude {(south + north) / 2:.2f}). If they are English areas, the CRS is probably wrong: state the right one below.",
        )
        return check
    check.areas = areas.set_index(AREA_ID, drop=False)
    check.add(INFO, f"{len(areas):,} area(s) read.")
    return check


def _name_labels(frame: gpd.GeoDataFrame, name_column: str | None, check: BoundaryCheck) -> list[str]:
    column = name_column if name_column in frame.columns else _name_column(frame)
    check.name_column = column
    if column is None:
        check.add(INFO, "No column of area names was found; the areas are called Area 1, Area 2, ….")
        return [f"Area {i + 1}" for i in range(len(frame))]
    out = []
    for i, value in enumerate(frame[column]):
        text = "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value).strip()
        out.append(text[:120] or f"Area {i + 1}")
    return out


# --------------------------------------------------------------------------- aggregation


def lsoa21_population(lookup: pd.DataFrame, population11: pd.Series) -> pd.Series:
    """Mid-2015 populations of LSOAs (2011) carried onto LSOAs (2021) (see ``POPULATION_2025_NOTE``).

    ``lookup`` has ``lsoa11_code`` and ``lsoa21_code`` (one row per pair).
    """
    pairs = lookup[["lsoa11_code", "lsoa21_code"]].drop_duplicates()
    parts = pairs.groupby("lsoa11_code")["lsoa21_code"].transform("count")
    share = pairs["lsoa11_code"].map(population11).astype(float) / parts
    return share.groupby(pairs["lsoa21_code"]).sum(min_count=1).rename("population")


def overlay_weights(areas: gpd.GeoDataFrame, lsoas: gpd.GeoSeries, population: pd.Series) -> pd.DataFrame:
    """Population weights of every (uploaded area, LSOA) pair that overlap.

    Parameters
    ----------
    areas : uploaded areas (any CRS) indexed by ``area_id``
    lsoas : LSOA polygons in British National Grid (EPSG:27700), indexed by LSOA code
    population : LSOA code -> population

    Returns
    -------
    DataFrame with ``area_id``, ``area_code``, ``share`` (of the LSOA's area inside the
    uploaded area) and ``weight`` (population x share).
    """
    projected = areas.geometry.to_crs(BNG) if areas.crs is not None else areas.geometry
    left, right = lsoas.sindex.query(projected.values, predicate="intersects")
    if len(left) == 0:
        return pd.DataFrame({AREA_ID: [], "area_code": [], "share": [], "weight": []})
    lsoa_geoms = lsoas.values[right]
    inside = shapely.area(shapely.intersection(projected.values[left], lsoa_geoms))
    share = np.clip(inside / shapely.area(lsoa_geoms), 0.0, 1.0)
    codes = lsoas.index[right]
    frame = pd.DataFrame(
        {
            AREA_ID: areas.index[left],
            "area_code": codes,
            "share": share,
            "weight": share * population.reindex(codes).to_numpy(dtype=float),
        }
    )
    # Slivers below 1/100,000 of an LSOA (about 10 m² of a typical one) are reprojection noise along shared edges.
    return frame[frame["share"] > MIN_SHARE].reset_index(drop=True)


def aggregate(weights: pd.DataFrame, values: pd.DataFrame, area_ids: pd.Index | None = None) -> pd.DataFrame:
    """Population-weighted means of ``values`` (indexed by LSOA code) for each uploaded area.

    An LSOA with no value for a column is left out of that column's mean (and its weight).
    """
    joined = values.reindex(weights["area_code"]).reset_index(drop=True)
    out = {}
    for column in values.columns:
        x = joined[column].to_numpy(dtype=float)
        w = np.where(np.isnan(x), 0.0, weights["weight"].to_numpy(dtype=float))
        num = pd.Series(np.nan_to_num(x) * w).groupby(weights[AREA_ID].to_numpy()).sum()
        den = pd.Series(w).groupby(weights[AREA_ID].to_numpy()).sum()
        out[column] = (num / den.where(den > 0)).astype(float)
    result = pd.DataFrame(out)
    population = weights.groupby(AREA_ID)["weight"].sum()
    result.insert(0, "population", population)
    if area_ids is not None:
        result = result.reindex(area_ids)
    return result


@dataclass(frozen=True)
class AggregateMeasure:
    """One official measure aggregated to uploaded areas."""

    column: str
    label: str
    polarity: str
    value_format: str


def aggregate_measures(year: int) -> list[AggregateMeasure]:
    """The official measures aggregated to uploaded areas for an edition: for the IMD and each
    domain, the average score (when published), the average rank and the share of people in
    England's most deprived 10%."""
    from placemap.data.catalogue import headline_indicators
    from placemap.data.indicators import Polarity

    out = []
    ranks = {i.domain: i for i in headline_indicators(year, "rank")}
    for score in headline_indicators(year, "score"):
        name = score.label.rsplit(":", 1)[0]
        out.append(
            AggregateMeasure(score.column(year), f"{name}: average score", Polarity.HIGH_IS_WORSE, score.value_format)
        )
    for domain, rank in ranks.items():
        name = rank.label.rsplit(":", 1)[0]
        out.append(
            AggregateMeasure(
                rank.column(year), f"{name}: average rank (1 = most deprived)", Polarity.LOW_IS_WORSE, "{:,.0f}"
            )
        )
        out.append(
            AggregateMeasure(
                f"{domain}__in_decile_1",
                f"{name}: share of people in England's most deprived 10%",
                Polarity.HIGH_IS_WORSE,
                "{:.0%}",
            )
        )
    return out


def official_values(national: pd.DataFrame, year: int) -> pd.DataFrame:
    """The LSOA values behind ``aggregate_measures`` (decile-1 flags as 0/1), indexed by LSOA code."""
    from placemap.data.catalogue import headline_indicators

    columns = {}
    for measure in aggregate_measures(year):
        if measure.column.endswith("__in_decile_1"):
            domain = measure.column.removesuffix("__in_decile_1")
            rank = next(i for i in headline_indicators(year, "rank") if i.domain == domain)
            decile = national[rank.decile_column(year)]
            columns[measure.column] = (decile == 1).astype(float).where(decile.notna())
        else:
            columns[measure.column] = national[measure.column].astype(float)
    return pd.DataFrame(columns, index=national.index)


@dataclass
class UploadedAreas:
    """Uploaded boundaries ready to draw and aggregate to: WGS84 polygons with ids and names."""

    id: str
    name: str
    source: str
    areas: gpd.GeoDataFrame

    def features(self) -> dict:
        """GeoJSON for drawing: escaped names, geometry simplified by about 2 m."""
        from placemap.data.prepare import escape_text, feature_collection

        simple = self.areas.geometry.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        props = [
            {"i": i, "c": escape_text(a), "n": escape_text(n), "w": ""}
            for i, (a, n) in enumerate(zip(self.areas[AREA_ID], self.areas[AREA_LABEL], strict=True))
        ]
        return feature_collection(simple, props)

    def to_payload(self) -> dict:
        """A JSON-serialisable form (for the database): full-detail GeoJSON."""
        return {"kind": "areas", "geojson": json.loads(self.areas[[AREA_ID, AREA_LABEL, "geometry"]].to_json())}

    @classmethod
    def from_payload(cls, dataset_id: str, name: str, source: str, payload: dict) -> UploadedAreas:
        """Rebuild from ``to_payload`` output (raises ``ValueError`` when it is malformed)."""
        try:
            frame = gpd.GeoDataFrame.from_features(payload["geojson"]["features"], crs=4326)
            frame = frame[[AREA_ID, AREA_LABEL, "geometry"]].set_index(AREA_ID, drop=False)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"The saved boundaries could not be read ({exc})") from exc
        return cls(dataset_id, name, source, frame)
