from placemap.analysis import summary
from placemap.data.catalogue import get_vintage
from placemap.data.loaders import read_areas


def test_area_table_has_every_headline_domain_with_la_median(tiny_data_dir):
    areas = read_areas(get_vintage(2025), tiny_data_dir)
    table = summary.area_domain_table(areas, "E01000001", get_vintage(2025))
    assert table["Domain"].tolist()[:2] == ["Index of Multiple Deprivation (IMD)", "Income"]
    assert len(table) == 8  # IMD + seven domains in 2025
    assert table["Rank"].iloc[0] == 1 and table["LA median rank"].iloc[0] == 2.5
    assert table["In words"].iloc[0] == "among the 10% most deprived in England"


def test_sentences_group_domains_and_skip_the_middle():
    import pandas as pd

    table = pd.DataFrame({"Domain": ["Income", "Health", "Crime", "Employment"], "Decile": [1, 5, 10, 1]})
    assert summary.area_sentences(table) == [
        "Among the 10% most deprived LSOAs in England for Income, Employment.",
        "Among the 10% least deprived LSOAs in England for Crime.",
    ]


def test_decile_share_counts_the_las_areas_in_decile_one(tiny_data_dir):
    areas = read_areas(get_vintage(2025), tiny_data_dir)
    assert summary.la_decile_share(areas, "E06000001", "IMD_decile") == (1, 4)
