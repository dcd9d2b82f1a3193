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


# The measures behind the indices and the Census household deprivation dimensions:
# source file in ../shared/data/indicators -> bundled file in data/indicators, and the
# LSOA code column each source names.
MEASURE_SOURCES = {
    "iod2019_lsoa11_underlying_indicators_england.parquet": (
        "iod2019_lsoa11_underlying_indicators.parquet",
        "lsoa11_code",
    ),
    "iod2025_lsoa21_underlying_indicators_england.parquet": (
        "iod2025_lsoa21_underlying_indicators.parquet",
        "lsoa21_code",
    ),
    "census2011_household_deprivation_lsoa11_england.parquet": (
        "census2011_household_deprivation_lsoa11.parquet",
        "lsoa11_code",
    ),
    "census2021_household_deprivation_lsoa21_england.parquet": (
        "census2021_household_deprivation_lsoa21.parquet",
        "lsoa21_code",
    ),
}


def build_measures(source: Path, target: Path) -> None:
    """Copy the underlying indicators and Census household deprivation into ``data/indicators``.

    Values are kept exactly as published (an empty count is one MHCLG suppressed); the LSOA
    code column is renamed ``area_code``; Census counts are stored as 32-bit integers; rows
    are sorted by code; zstd compression at its highest level keeps the folder small.
    """
    for name, (out_name, code) in MEASURE_SOURCES.items():
        frame = pd.read_parquet(source / "indicators" / name).rename(columns={code: "area_code"})
        assert frame["area_code"].is_unique, name
        counts = [c for c in frame.columns if c.startswith("households_")]
        frame[counts] = frame[counts].astype("int32")
        frame = frame.sort_values("area_code").reset_index(drop=True)
        path = target / "indicators" / out_name
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(path, compression="zstd", compression_level=22, index=False)
        print(f"{path.relative_to(ROOT)}: {len(frame)} rows, {path.stat().st_size / 1e6:.2f} MB")


# ONS LAD changes of April 2019: each new district and the 2018 districts it replaced
# (all within one region). Used to carry the 2018 region lookup forward to 2019.
LAD19_PREDECESSORS = {
    "E06000058": ["E06000028", "E06000029", "E07000048"],  # Bournemouth, Christchurch and Poole
    "E06000059": ["E07000049", "E07000050", "E07000051", "E07000052", "E07000053"],  # Dorset
    "E07000244": ["E07000205", "E07000206"],  # East Suffolk
    "E07000245": ["E07000201", "E07000204"],  # West Suffolk
    "E07000246": ["E07000190", "E07000191"],  # Somerset West and Taunton
}


def build_regions(target: Path) -> None:
    """LA -> English region for the 2019 and 2024 LAs, derived from the ONS 2018 lookup.

    ``lookups/lad18_region18_england.csv`` is the ONS "Local Authority District to Region
    (December 2018) Lookup in England". 2019 districts take their region directly or from
    their predecessors; 2024 districts take the region of their LSOAs (2021 LSOA -> 2011
    LSOA through the ONS best-fit lookup -> 2019 district), by majority: the best-fit lookup
    puts a border LSOA of Cherwell on the East Midlands side.
    """
    lad18 = pd.read_csv(target / "lookups" / "lad18_region18_england.csv").set_index("LAD18CD")
    regions = lad18["RGN18CD"].to_dict()
    names = dict(zip(lad18["RGN18CD"], lad18["RGN18NM"], strict=False))
    for new, old in LAD19_PREDECESSORS.items():
        found = {regions[o] for o in old}
        assert len(found) == 1, new
        regions[new] = found.pop()
    lad19 = gpd.read_parquet(target / "boundaries" / "lad19.parquet")
    rows = [(c, n, regions[c], 2019) for c, n in zip(lad19["la_code"], lad19["la_name"], strict=True)]

    lsoa11 = pd.read_parquet(target / "boundaries" / "lsoa11.parquet", columns=["area_code", "la_code"])
    lsoa21 = pd.read_parquet(target / "boundaries" / "lsoa21.parquet", columns=["area_code", "la_code", "la_name"])
    lookup = pd.read_csv(target / "lookups" / "lsoa11_to_lsoa21_lad22_england.csv")
    chain = lookup.merge(
        lsoa11.rename(columns={"area_code": "lsoa11_code", "la_code": "lad19"}), on="lsoa11_code"
    ).merge(lsoa21.rename(columns={"area_code": "lsoa21_code"}), on="lsoa21_code")
    chain["region"] = chain["lad19"].map(regions)
    mixed = 0
    for (code, name), group in chain.groupby(["la_code", "la_name"]):
        counts = group["region"].value_counts()
        mixed += len(counts) > 1
        rows.append((code, name, counts.index[0], 2024))
    print(f"2024 LAs whose LSOAs' best-fit regions were not unanimous (majority taken): {mixed}")
    out = pd.DataFrame(rows, columns=["la_code", "la_name", "region_code", "la_vintage"])
    out["region_name"] = out["region_code"].map(names)
    out = out[["la_vintage", "la_code", "la_name", "region_code", "region_name"]]
    out.to_csv(target / "lookups" / "la_regions_england.csv", index=False)
    print(f"lookups/la_regions_england.csv: {len(out)} rows")


# IoD2025 publishes its rates to 3 decimals and File 8 its numerators rounded to the nearest 5.
RATE_HALF_STEP = 0.0005
COUNT_HALF_STEP = 2.5


def _population_estimate(numerator: pd.Series, rate: pd.Series, carried: pd.Series, la: pd.Series) -> pd.Series:
    """A 2021 LSOA's IoD2025 denominator: its 2015 figure grown by its LA's growth, kept inside what
    the published numerator and rate allow (numerator / rate, both rounded)."""
    low = (numerator - COUNT_HALF_STEP).clip(lower=0) / (rate + RATE_HALF_STEP)
    high = (numerator + COUNT_HALF_STEP) / (rate - RATE_HALF_STEP).where(rate > RATE_HALF_STEP)
    precise = (high - low) / ((high + low) / 2) < 0.02
    growth = (numerator / rate / carried)[precise]
    la_growth = la.map(growth.groupby(la[precise]).median()).fillna(growth.median())
    prior = carried * la_growth
    return prior.clip(lower=low, upper=high.fillna(float("inf"))).fillna(prior).round()


def build_places(source: Path, target: Path) -> None:
    """Lookups of every place type (sub-ICB, ICB, upper-tier LA, combined authority) and IoD2025
    population estimates for its summary measures; see "Places" in ``data/README.md``."""
    lookups = source / "lookups"
    icb = pd.read_csv(lookups / "lsoa21_icb24_england.csv")
    _write_table(
        icb[["lsoa21_code", "sicbl24_code"]].rename(columns={"sicbl24_code": "sicb24_code"}).sort_values("lsoa21_code"),
        target / "lookups" / "lsoa21_sicb24_england.parquet",
    )
    sicb = icb.drop(columns="lsoa21_code").drop_duplicates().sort_values("sicbl24_code")
    sicb.columns = ["sicb24_code", "sicb24_name", "icb24_code", "icb24_name"]
    assert sicb["sicb24_code"].is_unique, "a sub-ICB location in two ICBs"
    sicb.to_csv(target / "lookups" / "sicb24_icb24_england.csv", index=False)
    print(f"lookups/sicb24_icb24_england.csv: {len(sicb)} rows")
    for name in ["lad23_utla23_england.csv", "lad23_cauth23_england.csv"]:
        shutil.copyfile(lookups / name, target / "lookups" / name)
        print(f"lookups/{name}: copied")

    iod25 = pd.read_parquet(target / "iod" / "iod2025_lsoa21.parquet").set_index("area_code")
    ind = pd.read_parquet(source / "indicators" / "iod2025_lsoa21_underlying_indicators_england.parquet")
    ind = ind.set_index("lsoa21_code").reindex(iod25.index)
    iod19 = pd.read_parquet(target / "iod" / "iod2019_lsoa11.parquet").set_index("area_code")
    lookup = pd.read_csv(target / "lookups" / "lsoa11_to_lsoa21_lad22_england.csv")
    # A split 2011 LSOA's people are shared equally between the 2021 LSOAs it became.
    share = 1 / lookup.groupby("lsoa11_code")["lsoa21_code"].transform("size")
    la = pd.read_parquet(target / "boundaries" / "lsoa21.parquet", columns=["area_code", "la_code"])
    la = la.set_index("area_code")["la_code"].reindex(iod25.index)
    out = pd.DataFrame(index=iod25.index)
    for column, numerator, rate, source_column in [
        ("population", "income_domain_numerator", "Income_score", "pop_total_mid2015"),
        (
            "working_age_population",
            "employment_domain_numerator",
            "Employment_score",
            "pop_working_age_18_59_64_mid2015",
        ),
    ]:
        carried = (lookup["lsoa11_code"].map(iod19[source_column]) * share).groupby(lookup["lsoa21_code"]).sum()
        out[column] = _population_estimate(ind[numerator], iod25[rate], carried.reindex(iod25.index), la).astype(int)
    _write_table(out.reset_index(), target / "iod" / "iod2025_lsoa21_population_estimate.parquet")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--target", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    build(args.source, args.target)
    build_regions(args.target)
    build_measures(args.source, args.target)
    build_places(args.source, args.target)
