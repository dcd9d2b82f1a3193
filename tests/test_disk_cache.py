"""The on-disk cache of derived tables: rebuilt when a data file changes, equal to a fresh computation."""

from __future__ import annotations

import pandas as pd
import pytest

from placemap.analysis.classify import classify_values
from placemap.data import disk_cache
from placemap.data.catalogue import get_vintage
from placemap.data.indicators import Polarity
from placemap.data.loaders import read_areas

from .conftest import make_boundaries, make_iod_table


@pytest.fixture
def data_dir(tmp_path):
    """A tiny data folder of one edition (four LSOAs), written with the real file layout."""
    vintage = get_vintage(2025)
    boundaries = make_boundaries()
    (tmp_path / vintage.boundary_file).parent.mkdir(parents=True)
    (tmp_path / vintage.iod_file).parent.mkdir(parents=True)
    boundaries.to_parquet(tmp_path / vintage.boundary_file)
    make_iod_table(list(boundaries["area_code"])).to_parquet(tmp_path / vintage.iod_file)
    return tmp_path


def _inputs(folder):
    vintage = get_vintage(2025)
    return [folder / vintage.boundary_file, folder / vintage.iod_file]


def test_cached_table_equals_the_freshly_read_one_with_index_and_dtypes(data_dir, tmp_path):
    fresh = read_areas(get_vintage(2025), data_dir)
    first = disk_cache.cached_frame("areas", _inputs(data_dir), lambda: fresh, cache_dir=tmp_path / "c")
    again = disk_cache.cached_frame("areas", _inputs(data_dir), pytest.fail, cache_dir=tmp_path / "c")
    pd.testing.assert_frame_equal(again, fresh)
    assert first is fresh and again.index.name == "area_code"


def test_changing_a_data_file_rebuilds_the_table_and_removes_the_stale_one(data_dir, tmp_path):
    vintage, cache = get_vintage(2025), tmp_path / "c"
    build = lambda: read_areas(vintage, data_dir)  # noqa: E731
    before = disk_cache.cached_frame("areas", _inputs(data_dir), build, cache_dir=cache)
    table = make_iod_table(list(before.index))
    table["IMD_score"] = [1.0, 2.0, 3.0, 4.0]
    table.to_parquet(data_dir / vintage.iod_file)
    after = disk_cache.cached_frame("areas", _inputs(data_dir), build, cache_dir=cache)
    assert after["IMD_score"].tolist() == [1.0, 2.0, 3.0, 4.0] != before["IMD_score"].tolist()
    assert len(list(cache.glob("areas_*.arrow"))) == 1  # the stale version is gone
    reread = disk_cache.cached_frame("areas", _inputs(data_dir), pytest.fail, cache_dir=cache)
    assert reread["IMD_score"].tolist() == [1.0, 2.0, 3.0, 4.0]


def test_cached_classification_equals_a_fresh_one_and_keys_on_its_arguments(data_dir, tmp_path):
    values = read_areas(get_vintage(2025), data_dir)["IMD_score"].to_numpy()

    def classes(k):
        name = disk_cache.args_name("classes", k)
        build = lambda: classify_values(values, "quantiles", k, polarity=Polarity.HIGH_IS_WORSE)  # noqa: E731
        return disk_cache.cached_object(name, _inputs(data_dir), build, k, cache_dir=tmp_path / "c")

    fresh = classify_values(values, "quantiles", 3, polarity=Polarity.HIGH_IS_WORSE)
    classes(3)
    cached = classes(3)
    assert cached.labels == fresh.labels and cached.colours == fresh.colours
    assert cached.classes.tolist() == fresh.classes.tolist()
    assert len(classes(2).labels) == 2  # another k is another entry, not the cached one


def test_an_unreadable_cache_file_is_rebuilt_not_raised(data_dir, tmp_path):
    cache = tmp_path / "c"
    disk_cache.cached_frame("areas", _inputs(data_dir), lambda: pd.DataFrame({"x": [1]}), cache_dir=cache)
    next(cache.glob("areas_*.arrow")).write_bytes(b"garbage")
    rebuilt = disk_cache.cached_frame("areas", _inputs(data_dir), lambda: pd.DataFrame({"x": [2]}), cache_dir=cache)
    assert rebuilt["x"].tolist() == [2]
