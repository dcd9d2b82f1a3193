"""Hot spots: our wrapper gives exactly esda's numbers, and islands are handled."""

from __future__ import annotations

import warnings

import esda
import geopandas as gpd
import numpy as np
import pytest
from libpysal.weights import Queen
from shapely.geometry import box

from placemap.analysis import hotspots
from placemap.data import loaders, prepare
from placemap.data.catalogue import CATALOGUE, get_vintage

from .conftest import make_boundaries
from .test_systems import UPLOAD, edition_with, lsoa_upload, twelve_lsoas

PERMUTATIONS = 99  # enough to compare with esda; the app uses 999
# esda warns that its default alternative hypothesis will change; the comparisons call
# esda directly with its defaults, exactly as the wrapper does.
pytestmark = pytest.mark.filterwarnings("ignore:The alternative hypothesis:DeprecationWarning")


def _grid(n: int = 5, island: bool = False) -> gpd.GeoSeries:
    """``n`` x ``n`` unit boxes, plus one far-away box (an island) if asked."""
    boxes = [box(i, j, i + 1, j + 1) for j in range(n) for i in range(n)]
    if island:
        boxes.append(box(n + 5, n + 5, n + 6, n + 6))
    return gpd.GeoSeries(boxes, crs=27700)


def _values(n: int = 5) -> np.ndarray:
    # A deprived corner (high values bottom left) and noise: clear hot and cold spots.
    rng = np.random.default_rng(7)
    grid = np.array([[100 - 8 * (i + j) for i in range(n)] for j in range(n)], dtype=float)
    return (grid + rng.normal(0, 3, size=grid.shape)).ravel()


def _esda_weights(geometry: gpd.GeoSeries):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Queen.from_dataframe(gpd.GeoDataFrame(geometry=geometry), use_index=False)


def test_lisa_equals_esdas_own_on_the_same_input_and_seed():
    geometry, y = _grid(), _values()
    ours = hotspots.local_statistics(y, geometry, "lisa", permutations=PERMUTATIONS, seed=hotspots.SEED)
    theirs = esda.Moran_Local(y, _esda_weights(geometry), permutations=PERMUTATIONS, seed=hotspots.SEED, n_jobs=1)
    np.testing.assert_allclose(ours.statistic, theirs.Is, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ours.quadrant, theirs.q)
    np.testing.assert_allclose(ours.p_sim, theirs.p_sim, rtol=0, atol=1e-12)
    assert ours.tested.all() and ours.n_islands == 0
    assert ours.global_i == pytest.approx(esda.Moran(y, _esda_weights(geometry)).I, abs=1e-12)


def test_gi_star_equals_esdas_own_on_the_same_input_and_seed():
    geometry, y = _grid(), _values()
    ours = hotspots.local_statistics(y, geometry, "gi", permutations=PERMUTATIONS, seed=hotspots.SEED)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = esda.G_Local(
            y,
            _esda_weights(geometry),
            transform="R",
            permutations=PERMUTATIONS,
            star=True,
            seed=hotspots.SEED,
            n_jobs=1,
        )
    np.testing.assert_allclose(ours.statistic, theirs.Zs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(ours.p_sim, theirs.p_sim, rtol=0, atol=1e-12)


def test_the_same_seed_gives_the_same_answer_and_another_seed_may_not():
    geometry, y = _grid(), _values()
    a = hotspots.local_statistics(y, geometry, "lisa", permutations=PERMUTATIONS, seed=1)
    b = hotspots.local_statistics(y, geometry, "lisa", permutations=PERMUTATIONS, seed=1)
    c = hotspots.local_statistics(y, geometry, "lisa", permutations=PERMUTATIONS, seed=2)
    assert np.array_equal(a.p_sim, b.p_sim) and not np.array_equal(a.p_sim, c.p_sim)


def test_an_island_is_left_out_and_the_rest_equals_esda_without_it():
    geometry = _grid(island=True)
    y = np.append(_values(), 999.0)  # an extreme island value must not sway anything
    ours = hotspots.local_statistics(y, geometry, "lisa", permutations=PERMUTATIONS, seed=hotspots.SEED)
    assert ours.n_islands == 1 and not ours.tested[-1] and ours.tested[:-1].all()
    assert np.isnan(ours.p_sim[-1]) and np.isnan(ours.statistic[-1])
    mainland = geometry.iloc[:-1]
    theirs = esda.Moran_Local(y[:-1], _esda_weights(mainland), permutations=PERMUTATIONS, seed=hotspots.SEED, n_jobs=1)
    np.testing.assert_allclose(ours.p_sim[:-1], theirs.p_sim, rtol=0, atol=1e-12)
    classes = hotspots.hotspot_classes(ours, 0.05)
    assert classes[-1] == -1 and (classes[:-1] >= 0).all()


def test_areas_with_no_data_are_not_tested():
    y = _values()
    y[12] = np.nan
    stats = hotspots.local_statistics(y, _grid(), "gi", permutations=PERMUTATIONS)
    assert not stats.tested[12] and stats.tested.sum() == 24
    assert hotspots.hotspot_classes(stats, 0.05)[12] == -1


def test_too_few_connected_areas_is_a_clear_message_not_a_crash():
    with pytest.raises(ValueError, match="at least 5 LSOAs that touch another"):
        hotspots.local_statistics(np.arange(2.0), _grid(n=1, island=True), "lisa")


def test_classes_follow_esdas_quadrants_and_significance():
    geometry, y = _grid(), _values()
    stats = hotspots.local_statistics(y, geometry, "lisa", permutations=PERMUTATIONS)
    classes = hotspots.hotspot_classes(stats, 0.05)
    significant = stats.p_sim <= 0.05
    expected = np.where(significant, [{1: 0, 3: 1, 4: 2, 2: 3}[q] for q in stats.quadrant], 4)
    assert classes.tolist() == expected.tolist()
    assert (classes == 0).any() and (classes == 1).any()  # the corner is a hot spot, the far corner cold


def test_fdr_uses_esdas_cut_off_and_is_never_looser_than_the_level():
    stats = hotspots.local_statistics(_values(), _grid(), "gi", permutations=PERMUTATIONS)
    cutoff = hotspots.significance_cutoff(stats, 0.1, use_fdr=True)
    assert cutoff == esda.fdr(stats.p_sim, 0.1) and cutoff <= 0.1
    assert (hotspots.hotspot_classes(stats, 0.1, True) != 2).sum() <= (hotspots.hotspot_classes(stats, 0.1) != 2).sum()
    with pytest.raises(ValueError, match="between 0 and 1"):
        hotspots.significance_cutoff(stats, 5, use_fdr=False)


def test_need_percentile_puts_the_most_deprived_at_100():
    assert hotspots.need_percentile(np.array([1, 33755]), 33755).round(3).tolist() == [100.0, 0.003]


@pytest.mark.realdata
def test_an_la_set_with_an_island_lsoa_works_on_the_real_data():
    # Cornwall with the Isles of Scilly: Scilly's single LSOA touches no Cornish LSOA.
    national = loaders.read_areas(get_vintage(2025))
    geometry = prepare.areas_in(
        loaders.read_area_boundaries(loaders.data_path("boundaries/lsoa21.parquet")), ("E06000052", "E06000053")
    )
    values = hotspots.need_percentile(national.loc[geometry.index, "IMD_rank"].to_numpy(), len(national))
    stats = hotspots.local_statistics(values, geometry.geometry, "lisa", permutations=PERMUTATIONS)
    island = geometry.index.get_loc("E01019077")
    assert stats.n_islands == 1 and not stats.tested[island] and stats.tested.sum() == len(geometry) - 1
    classes = hotspots.hotspot_classes(stats, 0.05)
    assert classes[island] == -1 and (classes == 0).sum() >= 1


def test_need_percentile_of_uploaded_values_runs_from_the_most_deprived_at_100():
    need = hotspots.need_percentile_among(np.array([2.0, np.nan, 1.0]), "low_is_deprived")
    assert need.tolist()[::2] == [50.0, 100.0]


@pytest.mark.parametrize(
    ("values", "polarity"),
    [(np.array([30.0, 20.0, 10.0]), "high_is_deprived"), (np.array([1.0, 2.0, 3.0]), "low_is_deprived")],
    ids=["higher-is-worse", "lower-is-worse"],
)
def test_any_values_and_official_ranks_in_the_same_order_get_the_same_need_percentile(values, polarity):
    official = hotspots.need_percentile(np.array([1, 2, 3]), 3)  # national ranks, 1 = most deprived
    assert hotspots.need_percentile_among(values, polarity).tolist() == official.tolist()
    assert hotspots.need_percentile_among(np.array([1.0, 2.0, 3.0]), "low_is_deprived").tolist() == official.tolist()


def test_a_domain_choice_stands_for_its_national_rank_and_any_other_is_an_indicator():
    assert hotspots.indicator_for("imd", CATALOGUE).id == "imd_rank"
    measure = "children_in_income_deprived_families_2019"
    assert hotspots.indicator_for(measure, CATALOGUE).id == measure


@pytest.mark.parametrize("kind", ["official", "uploaded"])
def test_one_hot_spot_map_serves_official_and_uploaded_indicators_alike(kind):
    geometry = make_boundaries(9).geometry
    values = np.array([90, 80, 85, np.nan if kind == "uploaded" else 70, 20, 10, 15, 12, 11], dtype=float)
    stats = hotspots.local_statistics(values, geometry, "lisa", permutations=99)
    national = twelve_lsoas()
    data = edition_with([lsoa_upload(national, [1.0])], national)
    indicator = data.get(UPLOAD if kind == "uploaded" else "income_rank")
    classification, payload, cutoff = hotspots.hotspot_map(
        stats,
        0.05,
        False,
        label=f"{indicator.label}: LISA",
        total=100,
        version="v",
        values=values,
        indicator=indicator,
        ranks=[f"{i + 1:,}" for i in range(9)],
        deciles=["1"] * 9,
    )
    assert classification.labels == [name for name, _ in hotspots.LISA_CLASSES] and cutoff == 0.05
    assert list(classification.classes) == list(hotspots.hotspot_classes(stats, 0.05, False))
    assert classification.n_missing == int((~stats.tested).sum()) and payload["rank"][0] == "1"
    if kind == "uploaded":  # the gap splits the row; no one is stranded, and the gap is told apart from an island
        assert not stats.tested[3] and stats.tested.sum() == 8 and payload["value"][3] == hotspots.NO_VALUE_LABEL
    else:
        assert all("pseudo p = " in v and f"{indicator.label}: " in v for v in payload["value"])
    assert all("<b>" not in v for v in payload["value"]) and "<b>" not in payload["label"]
    assert ("&lt;b&gt;x&lt;/b&gt;" in payload["label"]) == (kind == "uploaded")
    areas = national.iloc[:9].assign(ward_name="W", la_name="L")
    table = hotspots.hotspot_table(areas, classification.classes, stats, values, data.name(indicator.id))
    assert table.columns[4] == ("Your data: <b>x</b> (Referrals <i>)" if kind == "uploaded" else "Income: rank")
    assert (table["Class"] == hotspots.NO_VALUE_LABEL).sum() == (kind == "uploaded")


def test_esdas_compiled_code_is_kept_on_disk_so_a_new_server_process_skips_most_of_the_compile():
    # The first LISA of a process waits for numba (about 16 s here); with esda's functions cached,
    # a later process loads their machine code instead.
    from pathlib import Path

    import esda
    import numba
    from shapely.geometry import box

    grid = gpd.GeoSeries([box(i % 4, i // 4, i % 4 + 1, i // 4 + 1) for i in range(16)], crs=27700)
    hotspots.local_statistics(np.arange(16, dtype=float), grid, "lisa", permutations=9)
    folder = Path(numba.config.CACHE_DIR) if numba.config.CACHE_DIR else Path(esda.__file__).parent / "__pycache__"
    assert list(folder.rglob("moran._moran_local_crand-*.nbi")), "esda's LISA code was not cached by numba"
