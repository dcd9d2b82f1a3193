"""Read the bundled ONS lookups and carry LSOA facts between the 2011 and 2021 geographies.

Two facts the systems and priority pages need are published for one LSOA geography only:

* the **rural-urban classification** (ONS RUC 2021) exists for 2021 LSOAs (IoD2025);
* the **population denominators** (mid-2015, in IoD2019 File 6) exist for 2011 LSOAs.

``ruc_for_lsoa11`` and ``population_for_lsoa21`` carry each across with the ONS LSOA
(2011) -> LSOA (2021) best-fit lookup, with the rules stated in ``RUC_RULE_2019`` and
``POPULATION_RULE_2025`` (the pages print them). Like ``loaders``, this module reads
files and never caches; ``placemap.ui.cache`` wraps it.

Example
-------
>>> import pandas as pd
>>> lookup = pd.DataFrame({"lsoa11_code": ["A", "B", "C", "D"], "lsoa21_code": ["A", "M", "M", "D1"],
...                        "change_code": ["U", "M", "M", "S"]})
>>> population_for_lsoa21(pd.Series({"A": 1500.0, "B": 700.0, "C": 800.0, "D": 3000.0}), lookup).to_dict()
{'A': 1500.0, 'D1': nan, 'M': 1500.0}
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from placemap.data.catalogue import get_vintage
from placemap.data.loaders import data_path, read_data_file, require_columns, require_unique

RUC_FILE = "lookups/ruc21_lsoa21_england.csv"
RUC_CODES_FILE = "lookups/ruc21_codes.csv"
LSOA_LOOKUP_FILE = "lookups/lsoa11_to_lsoa21_lad22_england.csv"
POPULATION_COLUMN = "pop_total_mid2015"
RUC_MIXED = "Mixed (2011 LSOA split between classes)"
RUC_UNKNOWN = "Not classified"

RUC_RULE_2019 = (
    "The rural-urban classification is published for 2021 LSOAs. A 2011 LSOA (IoD2019) takes the class "
    "of the 2021 LSOA(s) it became in the ONS best-fit lookup; a 2011 LSOA split between 2021 LSOAs of "
    f'different classes is "{RUC_MIXED}".'
)
POPULATION_RULE_2019 = "Population: the mid-2015 estimates that IoD2019 used as its denominators (File 6)."
POPULATION_RULE_2025 = (
    "Population: IoD2025 publishes no population at LSOA level, so Placemap carries IoD2019's mid-2015 "
    "denominators to 2021 LSOAs: an LSOA unchanged since 2011 keeps its 2011 population, an LSOA formed "
    "by merging 2011 LSOAs gets their sum, and a split or redrawn LSOA has no population (counted as "
    "unknown, and the page says how many)."
)


def read_ruc(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The ONS 2021 rural-urban class of every 2021 LSOA, indexed by LSOA code.

    Columns: ``ruc_code`` (e.g. ``UN1``) and ``ruc_label`` (e.g. "Urban: Nearer to a major
    town or city"), the label coming from the bundled code list.

    Raises
    ------
    ValueError
        If a file is missing, a column is missing, a code is duplicated or has no label.
    """
    path = data_path(RUC_FILE, data_dir)
    codes_path = data_path(RUC_CODES_FILE, data_dir)
    frame = read_data_file(path, pd.read_csv)
    codes = read_data_file(codes_path, pd.read_csv)
    require_columns(frame, ["lsoa21_code", "ruc21_code"], path)
    require_columns(codes, ["ruc21_code", "classification"], codes_path)
    require_unique(frame, "lsoa21_code", path)
    labels = dict(zip(codes["ruc21_code"], codes["classification"], strict=True))
    unknown = sorted(set(frame["ruc21_code"]) - set(labels))
    if unknown:
        raise ValueError(f"{path.name}: rural-urban code(s) with no label in {codes_path.name}: {', '.join(unknown)}")
    return pd.DataFrame(
        {"ruc_code": frame["ruc21_code"].to_numpy(), "ruc_label": frame["ruc21_code"].map(labels).to_numpy()},
        index=pd.Index(frame["lsoa21_code"], name="area_code"),
    )


def read_lsoa_lookup(data_dir: Path | str | None = None) -> pd.DataFrame:
    """The ONS LSOA (2011) -> LSOA (2021) best-fit lookup with its change code (U, S, M, X)."""
    path = data_path(LSOA_LOOKUP_FILE, data_dir)
    frame = read_data_file(path, pd.read_csv)
    require_columns(frame, ["lsoa11_code", "lsoa21_code", "change_code"], path)
    return frame[["lsoa11_code", "lsoa21_code", "change_code"]]


def ruc_for_lsoa11(ruc: pd.DataFrame, lookup: pd.DataFrame) -> pd.Series:
    """Rural-urban label of each 2011 LSOA, carried from the 2021 LSOAs it became (``RUC_RULE_2019``)."""
    joined = lookup.join(ruc["ruc_label"], on="lsoa21_code")
    groups = joined.groupby("lsoa11_code")["ruc_label"]
    labels = groups.first().where(groups.nunique() <= 1, RUC_MIXED)
    return labels.fillna(RUC_UNKNOWN).rename("ruc_label")


def population_for_lsoa21(population_2011: pd.Series, lookup: pd.DataFrame) -> pd.Series:
    """Population of each 2021 LSOA carried from 2011 LSOAs (``POPULATION_RULE_2025``); NaN when unknown."""
    carried = lookup.assign(pop=lookup["lsoa11_code"].map(population_2011))
    redrawn = carried["change_code"].isin(["S", "X"]).groupby(carried["lsoa21_code"]).any()
    sums = carried.groupby("lsoa21_code")["pop"].sum(min_count=1)
    return sums.where(~redrawn).rename("population")


def read_population_2011(data_dir: Path | str | None = None) -> pd.Series:
    """IoD2019's mid-2015 total population of each 2011 LSOA (its File 6 denominator)."""
    path = data_path(get_vintage(2019).iod_file, data_dir)
    frame = read_data_file(path, lambda p: pd.read_parquet(p, columns=["area_code", POPULATION_COLUMN]))
    return frame.set_index("area_code")[POPULATION_COLUMN].astype(float)


def read_area_context(year: int, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Population and rural-urban label of every LSOA of an edition, indexed by area code.

    Columns ``population`` (NaN where unknown) and ``ruc_label``, following
    ``POPULATION_RULE_2019``/``POPULATION_RULE_2025`` and ``RUC_RULE_2019``.
    """
    ruc = read_ruc(data_dir)
    lookup = read_lsoa_lookup(data_dir)
    population_2011 = read_population_2011(data_dir)
    if year == 2025:
        frame = ruc[["ruc_label"]].join(population_for_lsoa21(population_2011, lookup))
    else:
        frame = pd.DataFrame({"population": population_2011}).join(ruc_for_lsoa11(ruc, lookup))
        frame["ruc_label"] = frame["ruc_label"].fillna(RUC_UNKNOWN)
    frame.index.name = "area_code"
    return frame[["population", "ruc_label"]]


def population_rule(year: int) -> str:
    """The sentence that says where an edition's population figures come from."""
    return POPULATION_RULE_2025 if year == 2025 else POPULATION_RULE_2019
