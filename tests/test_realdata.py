"""Integration checks of the bundled data/ against the official LA summaries."""

import pandas as pd
import pytest

from placemap.analysis import summary
from placemap.data import loaders, prepare
from placemap.data.catalogue import get_vintage

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


@pytest.fixture(scope="module")
def england(areas2025):
    from types import SimpleNamespace

    from placemap.data.catalogue import get_indicator

    vintage = get_vintage(2025)
    return SimpleNamespace(
        vintage=vintage,
        areas=areas2025,
        geometry=loaders.read_area_boundaries(loaders.data_path(vintage.boundary_file)),
        las=loaders.read_la_boundaries(loaders.data_path(vintage.la_file)),
        codes=tuple(sorted(areas2025["la_code"].unique())),
        indicator=get_indicator("imd_decile"),
    )


# Byte budgets for the all-England views (the naive explore() map is about 21 MB).
ENGLAND_LA_HTML_BUDGET = 800_000
ENGLAND_LSOA_HTML_BUDGET = 800_000
ENGLAND_LSOA_IMAGE_BUDGET = 1_500_000


def test_all_england_views_stay_within_their_byte_budgets(england):
    from placemap.render import choropleth, maps, raster

    e = england
    vintage, areas, geometry, las, codes, indicator = e.vintage, e.areas, e.geometry, e.las, e.codes, e.indicator
    la_layers = choropleth.la_layers(las, codes)
    _, payload, _ = choropleth.la_classification(areas, codes, indicator, vintage, "national_deciles", 10, "viridis")
    la_html = maps.render_map_html(
        maps.build_base_map(la_layers["areas"], la_layers["bounds"]), [maps.build_style_layer(payload)]
    )
    assert len(la_html.encode()) < ENGLAND_LA_HTML_BUDGET

    classification, _ = choropleth.codes_classification(
        areas, list(prepare.areas_in(areas, codes).index), indicator, vintage, "national_deciles", 10, "viridis"
    )
    image = raster.render_choropleth(geometry.geometry.to_crs(raster.WEB_MERCATOR), classification)
    lsoa_html = maps.render_map_html(
        maps.build_base_map(None, la_layers["bounds"], la_features=la_layers["outline"]),
        [maps.build_image_layer("x.png", image.bounds, "v")],
    )
    assert len(image.png) < ENGLAND_LSOA_IMAGE_BUDGET and len(lsoa_html.encode()) < ENGLAND_LSOA_HTML_BUDGET
    assert image.width == 2400 and image.height > 2400  # England is taller than wide in Web Mercator


def test_lsoa_image_shows_each_manchester_lsoa_in_its_class(england):
    import io

    import numpy as np
    from PIL import Image

    from placemap.render import choropleth, raster

    vintage, areas, geometry, indicator = england.vintage, england.areas, england.geometry, england.indicator
    la = ("E08000003",)
    place = geometry[geometry["la_code"].isin(la)].sort_index().to_crs(raster.WEB_MERCATOR)
    classification, _ = choropleth.codes_classification(
        areas, list(prepare.areas_in(areas, la).index), indicator, vintage, "national_deciles", 10, "viridis"
    )
    image = raster.render_choropleth(place.geometry, classification, width=1200)
    pixels = np.asarray(Image.open(io.BytesIO(image.png)))
    x0, y0, x1, y1 = place.total_bounds
    points = place.geometry.representative_point()
    px = ((points.x - x0) / (x1 - x0) * image.width).astype(int).clip(0, image.width - 1)
    py = ((y1 - points.y) / (y1 - y0) * image.height).astype(int).clip(0, image.height - 1)
    shown = pixels[py.to_numpy(), px.to_numpy()]
    assert (shown == classification.classes + 1).mean() > 0.97  # every LSOA is there, bar edge pixels


@pytest.mark.parametrize("year", [2025, 2019])
def test_bundled_lsoa_boundaries_are_a_valid_coverage(year):
    import shapely

    vintage = get_vintage(year)
    geometry = loaders.read_area_boundaries(loaders.data_path(vintage.boundary_file))
    assert len(geometry) == vintage.n_lsoas and geometry.is_valid.all()
    for la in ("E06000009", "E08000003", "E06000030", "E07000147", "E06000041"):
        place = geometry[geometry["la_code"] == la].to_crs(27700).geometry.values
        # neighbouring LSOAs share edges: no overlaps and no gaps narrower than 1 m
        assert shapely.coverage_is_valid(place, gap_width=1.0), la


def test_an_uploaded_la_outline_gets_mhclgs_population_weighted_average_rank():
    # IoD2019 File 10's "average rank" is the population-weighted mean of LSOA ranks
    # (ranked with 1 = least deprived); Blackpool's LSOAs dissolved into one uploaded area.
    import geopandas as gpd

    from placemap.uploads import uploaded_boundaries as ub

    vintage = get_vintage(2019)
    lsoas = loaders.read_area_boundaries(loaders.data_path(vintage.boundary_file))
    areas = loaders.read_areas(vintage)
    blackpool = lsoas[lsoas["la_code"] == "E06000009"]
    outline = gpd.GeoDataFrame({ub.AREA_ID: ["BP"]}, geometry=[blackpool.union_all()], crs=4326).set_index(ub.AREA_ID)
    weights = ub.overlay_weights(outline, lsoas.geometry.to_crs(27700), areas["pop_total_mid2015"])
    assert set(weights["area_code"]) >= set(blackpool.index)
    reversed_rank = (vintage.n_lsoas + 1 - areas["IMD_rank"]).to_frame("r")
    result = ub.aggregate(weights, reversed_rank)
    official = loaders.read_la_summaries(vintage).at["E06000009", "IMD - Average rank"]
    assert result.at["BP", "r"] == pytest.approx(official, rel=2e-3)
