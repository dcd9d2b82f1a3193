import pandas as pd
import pytest

from placemap.data import loaders
from placemap.data.catalogue import get_vintage

from .conftest import make_boundaries


def test_read_areas_joins_names_wards_and_indicators(tiny_data_dir):
    areas = loaders.read_areas(get_vintage(2025), tiny_data_dir)
    assert list(areas.index) == ["E01000001", "E01000002", "E01000003", "E01000004"]
    assert areas.loc["E01000001", "ward_name"] == "North ward"
    assert areas.loc["E01000003", "IMD_rank"] == 3


def test_missing_column_is_named_with_the_file(tiny_data_dir):
    path = tiny_data_dir / get_vintage(2025).iod_file
    pd.read_parquet(path).drop(columns=["Income_rank"]).to_parquet(path)
    with pytest.raises(ValueError, match=r"iod2025_lsoa21\.parquet: missing column\(s\) Income_rank"):
        loaders.read_areas(get_vintage(2025), tiny_data_dir)


def test_duplicate_area_code_is_refused(tiny_data_dir):
    path = tiny_data_dir / get_vintage(2025).iod_file
    table = pd.read_parquet(path)
    pd.concat([table, table.iloc[[0]]]).to_parquet(path)
    with pytest.raises(ValueError, match=r"duplicate area code\(s\) in area_code: E01000001"):
        loaders.read_areas(get_vintage(2025), tiny_data_dir)


def test_codes_that_do_not_match_the_boundaries_are_refused(tiny_data_dir):
    path = tiny_data_dir / get_vintage(2025).iod_file
    table = pd.read_parquet(path)
    table.loc[0, "area_code"] = "E01999999"
    table.to_parquet(path)
    with pytest.raises(ValueError, match=r"1 area code\(s\) do not match the boundaries, e\.g\. E01999999"):
        loaders.read_areas(get_vintage(2025), tiny_data_dir)


def test_boundaries_missing_a_column_or_file_give_a_clear_error(tmp_path):
    path = tmp_path / "b.parquet"
    make_boundaries().drop(columns=["ward_name"]).to_parquet(path)
    with pytest.raises(ValueError, match=r"b\.parquet: missing column\(s\) ward_name"):
        loaders.read_area_boundaries(path)
    with pytest.raises(ValueError, match="file not found"):
        loaders.read_area_boundaries(tmp_path / "absent.parquet")


def test_corrupt_file_is_reported_not_raised_raw(tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"this is not parquet")
    with pytest.raises(ValueError, match=r"broken\.parquet: could not be read"):
        loaders.read_area_boundaries(path)
