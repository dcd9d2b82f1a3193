from placemap.data.catalogue import get_indicator, get_vintage
from placemap.data.loaders import read_areas
from placemap.render import choropleth, maps

from .conftest import make_boundaries


def test_la_summary_map_shares_match_decile_one_counts(tiny_data_dir):
    areas = read_areas(get_vintage(2025), tiny_data_dir)  # one LA, 4 LSOAs, one in decile 1
    classification, payload, table = choropleth.la_classification(
        areas, ("E06000001",), get_indicator("imd_rank"), get_vintage(2025), "national_deciles", 10, "viridis"
    )
    assert table.loc["E06000001", "share"] == 0.25
    assert payload["value"] == ["25% (1 of 4)"]
    assert classification.labels[-1] == "above 40% to 100%"  # fixed bands, most deprived first in the legend
    assert classification.labels[classification.classes[0]] == "above 20% to 30%"
    assert classification.classes.tolist() == [4]  # bands: 0, to 5%, to 10%, to 20%, to 30%, ...


def test_lsoa_layers_carry_every_area_and_outlines(tiny_data_dir):
    boundaries = make_boundaries().set_index("area_code", drop=False)
    las = boundaries.dissolve(by="la_code", as_index=False).set_index("la_code", drop=False)
    layers = choropleth.lsoa_layers(boundaries, las, ("E06000001",))
    assert len(layers["areas"]["features"]) == 4
    assert len(layers["wards"]["features"]) == 2 and len(layers["la"]["features"]) == 1
    assert layers["codes"] == sorted(boundaries["area_code"])


def test_drawing_mode_switches_to_an_image_above_the_vector_limit():
    assert maps.drawing_mode(3000, "lsoa") == maps.MODE_VECTOR
    assert maps.drawing_mode(3001, "lsoa") == maps.MODE_RASTER
    assert maps.drawing_mode(10, "la") == maps.MODE_LA
