"""Places on the bundled data: File 10 reproduced for every LA, and the lookups cover every LSOA once."""

import pandas as pd
import pytest

from placemap.analysis import place_summaries as ps
from placemap.data import place_types as pt
from placemap.links import place_links

pytestmark = pytest.mark.realdata

LABELS_2019 = {
    "imd": "IMD",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "barriers": "Barriers to Housing and Services",
    "living": "Living Environment",
}
# Tolerances for 2019: the official figures are rounded (proportion and extent to 4 decimals,
# scores to 3, ranks to 6 significant figures), and File 10 weighted by unrounded populations:
# File 6's whole-number denominators leave the average rank and local concentration up to
# 0.24 away (1.1 for the employment domain, whose working-age denominators are the smallest).
AVERAGE_RANK_TOLERANCE = {"employment": 1.2}
# Half a unit of the last published decimal, plus float noise.
TOLERANCE_2019 = {"average_rank": 0.25, "average_score": 0.001, "proportion": 0.0000501, "extent": 0.0000601}
LOCAL_CONCENTRATION_TOLERANCE = 0.25
# The one LSOA the ONS LSOA -> ward -> LAD (2024) lookup puts in Cherwell, but IoD2025 File 10 in
# West Northamptonshire (named for it).
BORDER_LSOA_2025 = "E01027305"


@pytest.fixture(scope="module")
def inputs2019():
    return pt.read_summary_inputs(2019)


@pytest.fixture(scope="module")
def inputs2025():
    return pt.read_summary_inputs(2025)


@pytest.fixture(scope="module")
def las2019(inputs2019):
    return ps.summarise_edition(inputs2019, 2019, "la")


@pytest.fixture(scope="module")
def official2019():
    return pd.read_csv("data/iod/iod2019_lad19_summaries.csv").set_index("Local Authority District code (2019)")


@pytest.fixture(scope="module")
def official2025():
    return pd.read_csv("data/iod/iod2025_lad24_summaries.csv").set_index("ltla24_code")


def _columns_2019(key):
    label = LABELS_2019[key]
    columns = {
        "average_rank": f"{label} - Average rank",
        "proportion": f"{label} - Proportion of LSOAs in most deprived 10% nationally",
    }
    if key == "imd":
        columns |= {"average_score": "IMD - Average score", "extent": "IMD 2019 - Extent"}
    return columns


@pytest.mark.parametrize("key", list(LABELS_2019))
def test_file_10_is_reproduced_for_all_317_las_in_2019(las2019, official2019, key):
    ours = las2019.xs(key, level="index")
    assert len(ours) == 317
    assert set(ours.index) == set(official2019.index)
    ours = ours.loc[official2019.index]
    for measure, column in _columns_2019(key).items():
        tolerance = AVERAGE_RANK_TOLERANCE.get(key, 0.25) if measure == "average_rank" else TOLERANCE_2019[measure]
        gap = (ours[measure] - official2019[column]).abs().max()
        assert gap <= tolerance, (key, measure, gap)


def test_local_concentration_is_reproduced_for_all_317_las_in_2019(las2019, official2019):
    ours = las2019.xs("imd", level="index").loc[official2019.index, "local_concentration"]
    assert (ours - official2019["IMD 2019 - Local concentration"]).abs().max() <= LOCAL_CONCENTRATION_TOLERANCE
    assert ours.idxmax() == "E06000009"  # Blackpool, 32,838.2 officially


def test_the_las_rank_as_file_10_ranks_them_in_2019(las2019, official2019):
    imd = las2019.xs("imd", level="index").loc[official2019.index]
    for measure, column in [
        ("rank_of_average_rank", "IMD - Rank of average rank"),
        ("rank_of_average_score", "IMD - Rank of average score"),
        ("rank_of_proportion", "IMD - Rank of proportion of LSOAs in most deprived 10% nationally"),
        ("rank_of_local_concentration", "IMD 2019 - Rank of local concentration"),
    ]:
        assert (imd[measure] == official2019[column]).mean() >= 0.99, measure
    assert imd.loc["E06000009", "rank_of_average_score"] == 1


def test_the_2025_la_figures_come_close_to_the_official_ones(inputs2025, official2025):
    moved = inputs2025.copy()
    moved.loc[BORDER_LSOA_2025, "la_code"] = "E06000062"
    ours = ps.summarise_edition(moved, 2025, "la").xs("imd", level="index").loc[official2025.index]
    gaps = {
        "average_rank": (ours["average_rank"] - official2025["imd_average_rank"]).abs(),
        "average_score": (ours["average_score"] - official2025["imd_average_score"]).abs(),
        "proportion": (
            ours["proportion"] - official2025["imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"]
        ).abs(),
        "extent": (ours["extent"] - official2025["imd25_extent"]).abs(),
        "local_concentration": (ours["local_concentration"] - official2025["imd25_local_concentration"]).abs(),
    }
    # Estimated populations: measured gaps (max / median) 135 / 29, 0.19 / 0.035, exact, 0.0032 / 0.0005, 82 / 10.
    limits = {
        "average_rank": 150,
        "average_score": 0.25,
        "proportion": 0.0000501,
        "extent": 0.004,
        "local_concentration": 100,
    }
    for measure, gap in gaps.items():
        assert gap.max() <= limits[measure], (measure, gap.max())
    assert gaps["average_score"].median() < 0.05
    assert (ours["rank_of_average_score"] - official2025["imd_rank_of_average_score"]).abs().max() <= 4
    assert ours["rank_of_average_score"].idxmin() == "E06000009"


def test_the_border_lsoa_is_the_only_la_difference_from_file_10_in_2025(inputs2025, official2025):
    ours = ps.summarise_edition(inputs2025, 2025, "la").xs("barriers", level="index").loc[official2025.index]
    column = "barriers_to_housing_and_services_proportion_of_lso_as_in_most_deprived_10_percent_nationally"
    off = (ours["proportion"] - official2025[column]).abs() > 0.0001
    assert sorted(off.index[off]) == ["E06000062", "E07000177"]
    assert inputs2025.loc[BORDER_LSOA_2025, "area_name"] == "West Northamptonshire 048E"


@pytest.mark.parametrize("year", [2019, 2025])
def test_every_lsoa_lies_in_exactly_one_place_of_each_type(year):
    lookup = pt.read_place_lookup(year)
    assert lookup.index.is_unique
    assert len(lookup) == (33_755 if year == 2025 else 32_844)
    for kind in pt.types_for(year):
        codes = lookup[f"{kind}_code"]
        if kind == "cauth":
            assert codes.notna().sum() > 0
            continue
        assert codes.notna().all(), kind
        # One name per code: a place is one place.
        assert lookup.groupby(f"{kind}_code")[f"{kind}_name"].nunique().max() == 1, kind
    iod = pd.read_parquet(f"data/{pt._IOD_FILES[year]}", columns=["area_code"])
    assert set(lookup.index) == set(iod["area_code"])


def test_place_counts_match_the_published_geographies():
    counts25 = pt.read_place_lookup(2025).nunique()
    assert counts25[
        ["la_code", "utla_code", "cauth_code", "icb_code", "sicb_code", "region_code", "msoa_code"]
    ].tolist() == [
        296,
        153,
        10,
        42,
        106,
        9,
        6856,
    ]
    counts19 = pt.read_place_lookup(2019).nunique()
    assert counts19[["la_code", "region_code"]].tolist() == [317, 9]


def test_combined_authority_lsoas_are_exactly_those_of_its_member_las():
    lookup = pt.read_place_lookup(2025)
    members = pd.read_csv("data/lookups/lad23_cauth23_england.csv")
    assert set(lookup.loc[lookup["cauth_code"].notna(), "la_code"]) == set(members["ltla23_code"])


def test_msoas_of_a_2021_la_lie_within_it_bar_the_one_border_lsoa():
    lookup = pt.read_place_lookup(2025)
    spread = lookup.groupby("msoa_code")["la_code"].nunique()
    assert spread[spread > 1].index.tolist() == ["West Northamptonshire 048"]


def test_bloomfield_in_blackpool_is_found_by_its_link_and_its_label():
    lookup = pt.read_place_lookup(2025)
    place, _ = place_links.parse_place("ward:E05015188")
    assert pt.lsoas_of(lookup, place)
    records = pt.place_records(lookup, 2025).set_index("code")
    assert records.loc["E05015188", "label"] == "Bloomfield, a ward in Blackpool"
