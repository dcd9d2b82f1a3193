"""The sharper tiles of large views: which tiles a view needs, and that they carry the map's colours."""

import io
import re

import numpy as np
import pytest
import shapely
from PIL import Image
from shapely.geometry import box

from placemap.analysis.classify import classify_values
from placemap.data.indicators import Polarity
from placemap.render import image_store, maps, raster, tiles

# Manchester's centre and a map view of about 1,000 x 620 px around it at zoom 12.
MANCHESTER = (53.4808, -2.2426)


def _view(zoom, lat=MANCHESTER[0], lng=MANCHESTER[1], width=1000, height=620):
    half_w, half_h = width / 2 / tiles.pixels_per_degree(zoom), height / 2 / tiles.pixels_per_degree(zoom) * 0.6
    return lat - half_h, lng - half_w, lat + half_h, lng + half_w


ENGLAND = (*tiles.to_mercator(49.9, -6.4), *tiles.to_mercator(55.8, 1.8))  # west, south, east, north


def test_zoom_bands_keep_the_image_when_zoomed_out_and_tiles_from_zoom_nine():
    assert [tiles.tile_zoom(z) for z in (5, 7, 8.25, 8.5, 9, 11.75, 12, 18)] == [None, None, None, 9, 9, 12, 12, 13]
    assert tiles.tile_zoom(None) is None and tiles.tile_zoom(float("nan")) is None


def test_a_tile_at_zoom_twelve_has_at_least_four_times_the_detail_of_the_national_image():
    national = raster.DEFAULT_WIDTH / 8.2  # the image spans England's 8.2 degrees of longitude
    assert tiles.pixels_per_degree(12) >= 4 * national
    assert tiles.pixels_per_degree(12) / national == pytest.approx(9.9, abs=0.1)


def test_tile_numbers_follow_leaflet_and_windows_tile_the_world():
    assert tiles.tile_at(*tiles.to_mercator(*MANCHESTER), 12) == (2022, 1325)  # as OpenStreetMap numbers it
    w, s, e, n = tiles.tile_window(12, 2022, 1325)
    x, y = tiles.to_mercator(*MANCHESTER)
    assert w <= x < e and s < y <= n
    assert tiles.tile_window(12, 2023, 1325)[0] == pytest.approx(e)


def test_a_view_needs_the_tiles_it_shows_plus_a_margin_and_never_too_many():
    view = tiles.tiles_in_view(_view(12), 12, ENGLAND)
    columns, rows = {c for c, _ in view}, {r for _, r in view}
    assert (2022, 1325) in view and len(view) == len(columns) * len(rows) <= tiles.MAX_TILES
    assert len(columns) >= 1000 // 256 + 1 and len(rows) >= 620 // 256 + 1
    outside = tiles.tiles_in_view(_view(12, lat=40.0, lng=-30.0), 12, ENGLAND)
    assert outside == []  # the Atlantic: no tiles of England
    assert tiles.tiles_in_view(_view(12, width=20_000, height=20_000), 12, ENGLAND) == []  # too many: the image serves


def test_tiles_are_painted_in_the_areas_classes_with_no_data_distinct():
    west, south, east, north = tiles.tile_window(12, 2022, 1325)
    size = (east - west) / 2
    squares = [
        box(west, south + size, west + size, north),  # top left
        box(west + size, south + size, east, north),  # top right
        box(west, south, west + size, south + size),  # bottom left; bottom right left empty
    ]
    polygons = np.array(squares, dtype=object)
    classification = classify_values(np.array([1.0, 2.0, np.nan]), "quantiles", 2, polarity=Polarity.HIGH_IS_WORSE)
    out = tiles.render_tiles(polygons, shapely.STRtree(polygons), classification, 12, [(2022, 1325), (2022, 1326)])
    image = Image.open(io.BytesIO(out[(2022, 1325)]))
    rgb = image.convert("RGBA")
    colour = lambda x, y: "#{:02x}{:02x}{:02x}".format(*rgb.getpixel((x, y))[:3])  # noqa: E731
    assert image.size == (256, 256) and image.mode == "P"
    assert colour(64, 64) == classification.palette[classification.classes[0]].lower()
    assert colour(192, 64) == classification.palette[classification.classes[1]].lower()
    no_data = {colour(x, 192) for x in range(40, 90)}
    assert no_data == {raster.NO_DATA_COLOUR.lower(), raster.NO_DATA_HATCH.lower()}  # striped, as on the image
    assert rgb.getpixel((192, 192))[3] == 0  # no area: transparent
    below = Image.open(io.BytesIO(out[(2022, 1326)])).convert("RGBA")
    assert below.crop((0, 1, 256, 256)).getextrema()[3] == (0, 0)  # nothing there (an edge's row at most)


def test_tiles_are_stored_by_view_and_tile_and_served_from_the_app(tmp_path):
    assert image_store.missing_tiles("abc123", 12, [(1, 2), (3, 4)], str(tmp_path)) == [(1, 2), (3, 4)]
    image_store.write_tiles("abc123", 12, {(1, 2): b"png"}, str(tmp_path))
    assert (tmp_path / "tiles" / "abc123" / "12" / "1" / "2.png").read_bytes() == b"png"
    assert image_store.missing_tiles("abc123", 12, [(1, 2), (3, 4)], str(tmp_path)) == [(3, 4)]
    assert image_store.tile_url_template("abc123") == "/app/static/generated/tiles/abc123/{z}/{x}/{y}.png"
    with pytest.raises(ValueError):
        image_store.tile_folder("../etc")


def test_the_large_view_map_carries_one_zoom_band_script_and_only_local_urls():
    base = maps.build_base_map(None, [[50.0, -5.0], [55.0, 1.0]], attribution="test")
    spec = {"url": image_store.tile_url_template("abc123"), "minZoom": 9, "maxNativeZoom": 13}
    image = maps.build_image_layer("/app/static/generated/choropleth-abc123.png", [[50, -5], [55, 1]], "v", spec)
    html = maps.render_map_html(base, [image])
    assert html.count("window.pmZoomBands = {") == 1 and "window.pmZoomBands.update(" in html
    assert '"minZoom": 9' in html
    urls = re.findall(r"""(?:src|href)=["']([^"']+)|["'](https?://[^"']+|/app/[^"']+)["']""", html)
    found = {u for pair in urls for u in pair if u}
    assert found and all(u.startswith("/app/static/") for u in found), found
    # The base map's script holds no classification: the same on every rerun, so no remount.
    first, second = (maps.build_base_map(None, [[50, -5], [55, 1]], attribution="t") for _ in range(2))
    strip = lambda h: re.sub(r"_[0-9a-f]{32}", "", h)  # noqa: E731  (folium's element ids)
    assert strip(first.get_root().render()) == strip(second.get_root().render())


@pytest.mark.parametrize(
    "value",
    [
        None,
        "junk",
        {},
        {"zoom": 12},
        {"zoom": None, "bounds": {}},
        {"zoom": 12, "bounds": {"_southWest": "x"}},
        {"zoom": float("inf"), "bounds": {"_southWest": {"lat": 1, "lng": 1}, "_northEast": {"lat": 2, "lng": 2}}},
        {"zoom": 12, "bounds": {"_southWest": {"lat": "nan", "lng": 1}, "_northEast": {"lat": 2, "lng": 2}}},
    ],
)
def test_a_malformed_viewport_from_the_browser_is_no_viewport(value):
    assert tiles.parse_viewport(value) == (None, None)


def test_a_viewport_far_outside_or_upside_down_needs_no_tiles():
    assert tiles.tiles_in_view((89.0, 170.0, 89.5, 179.0), 13, ENGLAND) == []
    assert tiles.tiles_in_view((53.5, -2.1, 53.4, -2.3), 12, ENGLAND) == []  # south above north
