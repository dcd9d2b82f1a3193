import io

import geopandas as gpd
import numpy as np
import pytest
from PIL import Image
from shapely.geometry import Polygon, box

from placemap.analysis.classify import classify_values
from placemap.data.indicators import Polarity
from placemap.render import raster


def _render(geoms, values, width=200):
    series = gpd.GeoSeries(geoms, crs=raster.WEB_MERCATOR)
    classification = classify_values(np.array(values, dtype=float), "quantiles", 2, polarity=Polarity.HIGH_IS_WORSE)
    result = raster.render_choropleth(series, classification, width=width)
    return result, Image.open(io.BytesIO(result.png)), classification


def _pixel(image, result, x, y, x0, y1, x1, y0):
    px = int((x - x0) / (x1 - x0) * result.width)
    py = int((y1 - y) / (y1 - y0) * result.height)
    return image.getpixel((min(px, result.width - 1), min(py, result.height - 1)))


def test_every_area_is_painted_in_its_class_and_no_data_is_distinct():
    boxes = [box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000), box(3000, 0, 4000, 1000)]
    result, image, classification = _render(boxes, [1, 2, 3, float("nan")])
    no_data = len(classification.palette) + 1
    centres = [_pixel(image, result, 500 + 1000 * i, 500, 0, 1000, 4000, 0) for i in range(4)]
    assert centres[:3] == [c + 1 for c in classification.classes[:3]]
    assert centres[3] in (no_data, no_data + 1)  # "no data": white with grey stripes
    stripes = {_pixel(image, result, 3000 + x, 500, 0, 1000, 4000, 0) for x in range(100, 900, 10)}
    assert stripes == {no_data, no_data + 1}
    assert image.mode == "P" and image.info.get("transparency") == 0


def test_an_area_inside_another_is_drawn_on_top_of_it():
    outer = Polygon(
        [(0, 0), (3000, 0), (3000, 3000), (0, 3000)], [[(1000, 1000), (2000, 1000), (2000, 2000), (1000, 2000)]]
    )
    inner = box(1000, 1000, 2000, 2000)
    result, image, classification = _render([inner, outer], [1, 2])  # inner listed first on purpose
    assert _pixel(image, result, 1500, 1500, 0, 3000, 3000, 0) == classification.classes[0] + 1
    assert _pixel(image, result, 500, 500, 0, 3000, 3000, 0) == classification.classes[1] + 1


def test_bounds_are_lat_lng_of_the_mercator_extent():
    result, _, _ = _render([box(0, 0, 111_319.49, 111_325.14)], [1])
    (south, west), (north, east) = result.bounds
    assert (south, west) == pytest.approx((0, 0), abs=1e-9)
    assert (north, east) == pytest.approx((1.0, 1.0), abs=1e-3)


def test_geometry_must_be_in_web_mercator():
    series = gpd.GeoSeries([box(0, 0, 1, 1)], crs=4326)
    classification = classify_values(np.array([1.0]), "quantiles", 2, polarity=Polarity.HIGH_IS_WORSE)
    with pytest.raises(ValueError, match="Web Mercator"):
        raster.render_choropleth(series, classification)
