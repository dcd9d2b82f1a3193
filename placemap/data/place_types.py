"""Places of every type (ward, MSOA, LA, upper-tier LA, combined authority, ICB, sub-ICB, region):
which LSOAs each holds, how a link names one, and how search shows it.

Every place is a set of an edition's LSOAs. ``read_place_lookup`` gives each LSOA its place of
every type that exists for the edition's geography: wards (2024 for 2021 LSOAs, 2019 for 2011
LSOAs, best fit), MSOAs (by the ONS naming rule: LSOA "Blackpool 010A" lies in MSOA
"Blackpool 010"), local authorities, and for the 2021 LSOAs (IoD2025) the upper-tier LAs
(2023), combined authorities (2023, before the 2024 changes), ICBs and sub-ICB locations (2024).
Links carry ``place=TYPE:CODE`` (read strictly by ``placemap.links.place_links.parse_place``). MSOAs have no code in the
bundled lookups, so an MSOA's code in a link is its ONS name (``msoa:Blackpool 010``).

Like ``loaders``, this module reads files and never caches; it imports no Streamlit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from placemap.data.loaders import data_path, read_data_file, require_columns


@dataclass(frozen=True)
class PlaceType:
    """One kind of place: its key in links, a label and its plural, and the code pattern it accepts."""

    key: str
    label: str
    plural: str
    article: str
    pattern: re.Pattern[str]
    from_lookup: bool = True


# An uploaded dataset (its share id or digest), optionally with one of its areas (":A3").
_UPLOAD_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}(:A[0-9]{1,5})?$")
# key, label, plural, article, code pattern, whether the bundled lookups name these places
_TYPE_ROWS = (
    ("ward", "ward", "wards", "a", r"^E05\d{6}$", True),
    (
        "msoa",
        "middle-layer super output area (MSOA)",
        "middle-layer super output areas (MSOAs)",
        "a",
        r"^[A-Za-z][A-Za-z .,'&-]{0,60} \d{3}$",
        True,
    ),
    ("la", "local authority", "local authorities", "a", r"^E0[6-9]\d{6}$", True),
    ("utla", "upper-tier local authority", "upper-tier local authorities", "an", r"^E(06|08|09|10)\d{6}$", True),
    ("cauth", "combined authority (2023)", "combined authorities (2023)", "a", r"^E47\d{6}$", True),
    ("icb", "integrated care board", "integrated care boards", "an", r"^E54\d{6}$", True),
    ("sicb", "sub-ICB location", "sub-ICB locations", "a", r"^E38\d{6}$", True),
    ("region", "region", "regions", "a", r"^E12\d{6}$", True),
    ("upload", "uploaded area", "uploaded areas", "an", _UPLOAD_ID.pattern, False),
    ("drawn", "drawn area", "drawn areas", "a", r"^[A-Za-z0-9_-]{8,43}$", False),  # a share id
)
PLACE_TYPES: dict[str, PlaceType] = {
    key: PlaceType(key, label, plural, article, re.compile(pattern), from_lookup)
    for key, label, plural, article, pattern, from_lookup in _TYPE_ROWS
}
LOOKUP_TYPES = [k for k, t in PLACE_TYPES.items() if t.from_lookup]
MAX_PLACE_LENGTH = 80

# Types defined on the 2021 LSOAs only, and the nearest type that exists on the 2011 LSOAs.
NOT_ON_2011_LSOAS = {"utla": "la", "cauth": "la", "icb": "region", "sicb": "la"}
_WHY_NOT_2011 = {
    "utla": "the upper-tier lookup is for the 2023 local authorities, which sit on the 2021 LSOAs",
    "cauth": "the combined authority lookup is for the 2023 local authorities, which sit on the 2021 LSOAs",
    "icb": "ICBs (2024) are defined on the 2021 LSOAs",
    "sicb": "sub-ICB locations (2024) are defined on the 2021 LSOAs",
}

SICB_FILE = "lookups/lsoa21_sicb24_england.parquet"
SICB_NAMES_FILE = "lookups/sicb24_icb24_england.csv"
UTLA_FILE = "lookups/lad23_utla23_england.csv"
CAUTH_FILE = "lookups/lad23_cauth23_england.csv"
REGIONS_FILE = "lookups/la_regions_england.csv"
_BOUNDARIES = {2025: "boundaries/lsoa21.parquet", 2019: "boundaries/lsoa11.parquet", 2015: "boundaries/lsoa11.parquet"}
_LSOA_NAME = re.compile(r"^(?P<msoa>.+ \d{3})[A-Z]$")


@dataclass(frozen=True)
class Place:
    """A place named in a link: its type key and its code."""

    type: str
    code: str

    def to_param(self) -> str:
        """The link value, ``TYPE:CODE``."""
        return f"{self.type}:{self.code}"


def msoa_name(lsoa_name: str) -> str | None:
    """The MSOA an LSOA lies in, by the ONS naming rule; ``None`` if the name does not follow it.

    >>> msoa_name("Blackpool 010A")
    'Blackpool 010'
    >>> msoa_name("Bournemouth, Christchurch and Poole 001C")
    'Bournemouth, Christchurch and Poole 001'
    >>> msoa_name("Blackpool 10A") is None
    True
    """
    match = _LSOA_NAME.match(lsoa_name or "")
    return match.group("msoa") if match else None


def types_for(year: int) -> list[str]:
    """The lookup place types that exist for an edition's LSOAs.

    >>> types_for(2019)
    ['ward', 'msoa', 'la', 'region']
    """
    if year == 2025:
        return list(LOOKUP_TYPES)
    return [t for t in LOOKUP_TYPES if t not in NOT_ON_2011_LSOAS]


def nearest_type(kind: str, year: int) -> tuple[str, str]:
    """The type to show instead when ``kind`` does not exist for an edition, and a note saying why.

    >>> nearest_type("icb", 2019)[0]
    'region'
    >>> nearest_type("ward", 2019)
    ('ward', '')
    """
    if kind not in NOT_ON_2011_LSOAS or year == 2025:
        return kind, ""
    near = NOT_ON_2011_LSOAS[kind]
    note = (
        f"IoD{year} uses the 2011 LSOAs, and {_WHY_NOT_2011[kind]}, so {PLACE_TYPES[kind].plural} exist for "
        f"IoD2025 only; showing {PLACE_TYPES[near].plural} instead."
    )
    return near, note


def read_place_lookup(year: int, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Each LSOA of an edition with its place of every type, indexed by LSOA code.

    Columns ``<type>_code`` and ``<type>_name`` for each type of ``types_for(year)`` (the MSOA's
    code is its name). For the 2011 LSOAs (IoD2015, IoD2019) wards are 2019 and LAs 2019; for the
    2021 LSOAs (IoD2025) wards are 2024, LAs 2024, upper-tier LAs and combined authorities 2023
    (LAs outside any combined authority have none), ICBs and sub-ICB locations 2024.

    Raises
    ------
    ValueError
        If the edition is unknown, a file or column is missing, or an LSOA has no place of a type
        that must cover England (every type but the combined authority).
    """
    if year not in _BOUNDARIES:
        raise ValueError(f"No place lookup for IoD{year}: editions are {', '.join(map(str, sorted(_BOUNDARIES)))}")
    path = data_path(_BOUNDARIES[year], data_dir)
    cols = ["area_code", "area_name", "ward_code", "ward_name", "la_code", "la_name"]
    frame = read_data_file(path, lambda p: pd.read_parquet(p, columns=cols)).set_index("area_code")
    frame["msoa_code"] = frame["area_name"].map(msoa_name)
    frame["msoa_name"] = frame["msoa_code"]
    regions_path = data_path(REGIONS_FILE, data_dir)
    regions = read_data_file(regions_path, pd.read_csv)
    require_columns(regions, ["la_vintage", "la_code", "region_code", "region_name"], regions_path)
    regions = regions[regions["la_vintage"] == (2024 if year == 2025 else 2019)].set_index("la_code")
    frame["region_code"] = frame["la_code"].map(regions["region_code"])
    frame["region_name"] = frame["la_code"].map(regions["region_name"])
    if year == 2025:
        frame = _join_2021_types(frame, data_dir)
    columns = [f"{t}_{part}" for t in types_for(year) for part in ("code", "name")]
    must_cover = [t for t in types_for(year) if t != "cauth"]
    missing = {t: int(frame[f"{t}_code"].isna().sum()) for t in must_cover}
    gaps = {t: n for t, n in missing.items() if n}
    if gaps:
        raise ValueError(
            f"IoD{year} place lookup: LSOAs with no place of type " + ", ".join(f"{t} ({n})" for t, n in gaps.items())
        )
    return frame[["area_name", *columns]]


def _join_2021_types(frame: pd.DataFrame, data_dir: Path | str | None) -> pd.DataFrame:
    sicb_path = data_path(SICB_FILE, data_dir)
    sicb = read_data_file(sicb_path, pd.read_parquet)
    require_columns(sicb, ["lsoa21_code", "sicb24_code"], sicb_path)
    names_path = data_path(SICB_NAMES_FILE, data_dir)
    names = read_data_file(names_path, pd.read_csv)
    require_columns(names, ["sicb24_code", "sicb24_name", "icb24_code", "icb24_name"], names_path)
    sicb = sicb.merge(names, on="sicb24_code", how="left").set_index("lsoa21_code")
    for kind, column in [("sicb", "sicb24"), ("icb", "icb24")]:
        frame[f"{kind}_code"] = sicb[f"{column}_code"].reindex(frame.index)
        frame[f"{kind}_name"] = sicb[f"{column}_name"].reindex(frame.index)
    for kind, file, column in [("utla", UTLA_FILE, "utla23"), ("cauth", CAUTH_FILE, "cauth23")]:
        path = data_path(file, data_dir)
        table = read_data_file(path, pd.read_csv)
        require_columns(table, ["ltla23_code", f"{column}_code", f"{column}_name"], path)
        table = table.set_index("ltla23_code")
        frame[f"{kind}_code"] = frame["la_code"].map(table[f"{column}_code"])
        frame[f"{kind}_name"] = frame["la_code"].map(table[f"{column}_name"])
    return frame


_PARENT = {
    "ward": "la",
    "msoa": "la",
    "sicb": "icb",
    "la": "region",
    "utla": "region",
    "cauth": "region",
    "icb": "region",
}


def place_records(lookup: pd.DataFrame, year: int) -> pd.DataFrame:
    """Search records for every place of an edition: name, type, code, LSOA count and a label.

    The label says what and where, e.g. "Bloomfield, a ward in Blackpool"; the parent is the
    place of the next type up that holds most of its LSOAs (the LA for wards and MSOAs, the ICB
    for sub-ICB locations, the region for larger places). Sorted by type, then name.

    Examples
    --------
    >>> lookup = pd.DataFrame({"ward_code": ["E05015188"] * 2, "ward_name": ["Bloomfield"] * 2,
    ...     "la_code": ["E06000009"] * 2, "la_name": ["Blackpool"] * 2,
    ...     "msoa_code": ["Blackpool 010"] * 2, "msoa_name": ["Blackpool 010"] * 2,
    ...     "region_code": ["E12000002"] * 2, "region_name": ["North West"] * 2}, index=["a", "b"])
    >>> place_records(lookup, 2019)["label"].tolist()
    ['Bloomfield, a ward in Blackpool', 'Blackpool 010, a middle-layer super output area (MSOA) in Blackpool', \
'Blackpool, a local authority in North West', 'North West, a region of England']
    """
    frames = []
    for kind in types_for(year):
        place_type = PLACE_TYPES[kind]
        code_col, name_col = f"{kind}_code", f"{kind}_name"
        if code_col not in lookup:
            continue
        present = lookup.dropna(subset=[code_col])
        groups = present.groupby(code_col)
        records = pd.DataFrame({"name": groups[name_col].first(), "n_lsoas": groups.size()})
        parent_kind = _PARENT.get(kind)
        if parent_kind and f"{parent_kind}_name" in present:
            pairs = present.groupby([code_col, f"{parent_kind}_name"]).size().sort_values(ascending=False)
            parents = pairs.reset_index().drop_duplicates(code_col).set_index(code_col)[f"{parent_kind}_name"]
            where = " in " + parents.reindex(records.index)
        else:
            where = pd.Series(" of England", index=records.index)
        records["label"] = records["name"] + f", {place_type.article} {place_type.label}" + where
        records["type"] = kind
        frames.append(records.rename_axis("code").reset_index().sort_values("name", kind="stable"))
    columns = ["name", "type", "code", "n_lsoas", "label"]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]


def lsoas_of(lookup: pd.DataFrame, place: Place) -> list[str]:
    """The LSOA codes of a lookup place (empty if the place is not in this edition's lookup).

    >>> lookup = pd.DataFrame({"ward_code": ["W1", "W1", "W2"]}, index=["a", "b", "c"])
    >>> lsoas_of(lookup, Place("ward", "W1"))
    ['a', 'b']
    """
    column = f"{place.type}_code"
    if column not in lookup:
        return []
    return sorted(lookup.index[lookup[column] == place.code])


_IOD_FILES = {
    2025: "iod/iod2025_lsoa21.parquet",
    2019: "iod/iod2019_lsoa11.parquet",
    2015: "iod/iod2015_lsoa11.parquet",
}
POPULATION_ESTIMATE_2025 = "iod/iod2025_lsoa21_population_estimate.parquet"


def read_summary_inputs(year: int, data_dir: Path | str | None = None) -> pd.DataFrame:
    """Each LSOA of an edition with its places, IoD ranks and scores, and the populations that
    weight its summary measures (``population``, ``working_age_population``), indexed by LSOA.

    IoD2015 and IoD2019 use the mid-2015 populations of IoD2019 File 6; IoD2025 uses the bundled
    estimates (see ``placemap.analysis.place_summaries.WEIGHTS_NOTE``). IoD2019's transformed domain
    scores (``*_exp_transformed``) come along, from which its IMD score is rebuilt.
    """
    lookup = read_place_lookup(year, data_dir)
    path = data_path(_IOD_FILES[year], data_dir)
    iod = read_data_file(path, pd.read_parquet)
    require_columns(iod, ["area_code", "IMD_rank"], path)
    iod = iod.set_index("area_code")
    if year == 2025:
        pop_path = data_path(POPULATION_ESTIMATE_2025, data_dir)
        pop = read_data_file(pop_path, pd.read_parquet)
        require_columns(pop, ["area_code", "population", "working_age_population"], pop_path)
        pop = pop.set_index("area_code")
    else:
        source = data_path(_IOD_FILES[2019], data_dir)
        columns = ["area_code", "pop_total_mid2015", "pop_working_age_18_59_64_mid2015"]
        pop = read_data_file(source, lambda p: pd.read_parquet(p, columns=columns)).set_index("area_code")
        pop.columns = ["population", "working_age_population"]
    ranks = [c for c in iod.columns if c.endswith(("_rank", "_score", "_exp_transformed"))]
    out = lookup.join(iod[ranks]).join(pop.astype(float))
    unmatched = int(out["IMD_rank"].isna().sum())
    if unmatched:
        raise ValueError(f"IoD{year}: {unmatched} LSOA(s) of the boundaries have no IoD ranks")
    return out
