"""Integration checks of the bundled data/ against the official LA summaries."""

import pandas as pd
import pytest

from placemap import loaders, summary
from placemap.catalogue import get_vintage

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def areas2019():
    return loaders.read_areas(get_vintage(2019))


@pytest.fixture(scope="module")
def areas2025():
    return loaders.read_areas(get_vintage(2025))


def test_blackpool_count_in_most_deprived_decile_matches_official_summary_2019(areas2019):
    official = loaders.read_la_summaries(get_vintage(2019)).loc["E06000009"]
    count, total = summary.la_decile_share(areas2019, "E06000009", "IMD_decile", 1)
    assert total == 94
    assert count == round(official["IMD - Proportion of LSOAs in most deprived 10% nationally"] * total)
    assert count == 39


def test_every_la_matches_its_official_share_in_the_most_deprived_decile(areas2019, areas2025):
    for year, frame, column in (
        (2019, areas2019, "IMD - Proportion of LSOAs in most deprived 10% nationally"),
        (2025, areas2025, "imd_proportion_of_lso_as_in_most_deprived_10_percent_nationally"),
    ):
        official = loaders.read_la_summaries(get_vintage(year))[column]
        ours = frame.groupby("la_code")["IMD_decile"].agg(lambda d: (d == 1).mean())
        assert set(ours.index) == set(official.index)
        assert (ours - official.loc[ours.index]).abs().max() < 0.0005, year


def test_all_las_and_lsoas_are_present(areas2019, areas2025):
    assert areas2025["la_code"].nunique() == 296 and len(areas2025) == 33_755
    assert areas2019["la_code"].nunique() == 317 and len(areas2019) == 32_844
    assert not areas2025["IMD_rank"].isna().any()


def test_blackpool_is_the_most_deprived_la_on_average_score_in_2025():
    official = loaders.read_la_summaries(get_vintage(2025))
    assert official["imd_rank_of_average_score"].idxmin() == "E06000009"


def test_iod2015_groups_by_2019_las_through_the_lookup():
    areas = loaders.read_areas(get_vintage(2015))
    assert len(areas) == 32_844 and isinstance(areas, pd.DataFrame)
    assert (areas["la_code"] == "E08000003").sum() == 282
