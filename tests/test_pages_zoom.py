"""The all-England LSOA view draws sharper tiles for the part of the map in view when zoomed in."""

import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from placemap.render import image_store, tiles
from placemap.ui import state

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata


def _viewport(zoom, south, west, north, east):
    return {
        "last_clicked": None,
        "zoom": zoom,
        "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
    }


def test_zoomed_in_over_manchester_the_tiles_in_view_are_drawn_with_ten_times_the_detail():
    for old in (image_store.GENERATED_DIR / image_store.TILES_DIR).glob("*/12/2022/1325.png"):
        old.unlink()  # drawn by an earlier run: this run must draw it
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params.update({"region": "england", "geo": "lsoa"})
    at.session_state[state.W_MAP] = _viewport(12, 53.455, -2.33, 53.505, -2.155)  # central Manchester
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    drawn = list((image_store.GENERATED_DIR / image_store.TILES_DIR).glob("*/12/2022/1325.png"))
    assert len(drawn) == 1  # the tile holding Manchester's centre, for this view's classification
    centre = drawn[0]
    image = Image.open(io.BytesIO(centre.read_bytes()))
    assert image.size == (256, 256)
    colours = image.convert("RGB").getcolors(256)
    assert len(colours) >= 4  # several classes side by side: LSOA edges, not one blurred wash
    # The served tiles have ~10x the pixels per degree of the national 2400 px image.
    assert tiles.pixels_per_degree(12) >= 4 * 2400 / 8.2
