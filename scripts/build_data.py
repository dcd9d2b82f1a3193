"""Rebuild the bundled ``data/`` folder from the working copy in ``../shared/data``.

Run once by a maintainer (``python scripts/build_data.py``); the app never reads
``../shared`` itself. Every step is described in ``data/README.md``.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data"
STANDARD = ["area_code", "area_name", "ward_code", "ward_name", "la_code", "la_name"]


def _write_geo(frame: gpd.GeoDataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, compression="zstd", index=False)
    print(f"{path.relative_to(ROOT)}: {len(frame)} rows, {path.stat().st_size / 1e6:.2f} MB")


def _write_table(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, compression="zstd", index=False)
    print(f"{path.relative_to(ROOT)}: {len(frame)} rows, {path.stat().st_size / 1e6:.2f} MB")


def build(source: Path, target: Path) -> None:
    b = source / "boundaries"
    lsoa21 = gpd.read_parquet(b / "lsoa21_england.parquet")
    lsoa21.columns = [*STANDARD, "geometry"]
    _write_geo(lsoa21, target / "boundaries" / "lsoa21.parquet")

    lsoa11 = gpd.read_parquet(b / "lsoa11_bsc_england.parquet")
    lsoa11.columns = [*STANDARD, "geometry"]
    _write_geo(lsoa11, target / "boundaries" / "lsoa11.parquet")

    lad24 = gpd.read_file(b / "lad24_england_buc.geojson")
    lad24.columns = ["la_code", "la_name", "geometry"]
    _write_geo(lad24, target / "boundaries" / "lad24.parquet")

    lad19 = gpd.read_file(b / "lad19_england_from_lsoa11_bsc.geojson")
    lad19.columns = ["la_code", "la_name", "geometry"]
    _write_geo(lad19, target / "boundaries" / "lad19.parquet")

    i = source / "iod"
    iod25 = pd.read_csv(i / "iod2025_lsoa21_england.csv").rename(columns={"lsoa21_code": "area_code"})
    _write_table(iod25, target / "iod" / "iod2025_lsoa21.parquet")

    iod19 = pd.read_csv(i / "iod2019_lsoa11_england.csv").rename(columns={"lsoa11_code": "area_code"})
    iod19 = iod19.drop(columns=["lsoa11_name", "lad19_code", "lad19_name"])
    _write_table(iod19, target / "iod" / "iod2019_lsoa11.parquet")

    iod15 = pd.read_csv(i / "iod2015_lsoa11_england.csv").rename(columns={"lsoa11_code": "area_code"})
    iod15 = iod15.drop(columns=["lsoa11_name"])
    _write_table(iod15, target / "iod" / "iod2015_lsoa11.parquet")

    for name in ["iod2025_lad24_summaries.csv", "iod2019_lad19_summaries.csv", "iod2015_lad21_summaries.csv"]:
        shutil.copyfile(i / name, target / "iod" / name)
        print(f"iod/{name}: copied")

    lookups = source / "lookups"
    (target / "lookups").mkdir(parents=True, exist_ok=True)
    for name in ["lsoa11_to_lsoa21_lad22_england.csv", "ruc21_lsoa21_england.csv", "ruc21_codes.csv"]:
        shutil.copyfile(lookups / name, target / "lookups" / name)
        print(f"lookups/{name}: copied")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--target", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    build(args.source, args.target)
