"""Compare: LSOAs by national position, LAs by their mix of deciles."""

import pytest

from placemap.analysis import compare
from placemap.data.catalogue import get_vintage
from placemap.data.loaders import read_areas


@pytest.fixture
def areas(tiny_data_dir):
    return read_areas(get_vintage(2025), tiny_data_dir)


def test_parse_codes_keeps_order_and_drops_blanks_and_repeats():
    assert compare.parse_codes(" e01000002,,E01000001 ,E01000002") == ["E01000002", "E01000001"]
    assert compare.parse_codes(None) == []


def test_lsoa_rows_give_one_row_per_domain_and_area(areas):
    rows = compare.lsoa_rows(areas, ["E01000004", "E01000001"], get_vintage(2025))
    assert len(rows) == 8 * 2  # IMD and seven domains, two LSOAs
    imd = rows[rows["domain"] == "Index of Multiple Deprivation (IMD)"]
    assert imd["row"].tolist() == ["Testtown 004A (E01000004)", "Testtown 001A (E01000001)"]
    assert imd["rank"].tolist() == [4, 1]
    table = compare.lsoa_table(rows)
    assert table["In words"].iloc[1] == "among the 10% most deprived in England"


def test_la_counts_and_table_summarise_each_authority(areas):
    vintage = get_vintage(2025)
    counts = compare.la_counts(areas, ["E06000001"], vintage, {"E06000001": "Testtown"})
    assert set(counts["row"]) == {"Testtown (E06000001)"}
    assert counts.groupby("domain")["share"].sum().round(6).eq(1).all()
    table = compare.la_table(areas, ["E06000001"], vintage, {"E06000001": "Testtown"})
    imd = table.iloc[0]
    assert (imd["LSOAs"], imd["In most deprived 10%"], imd["Median LSOA rank"]) == (4, 1, 2.5)
