"""Zooming into the all-England LSOA view in a real browser: sharp local tiles replace the image, no remount."""

from urllib.parse import urlparse

import pytest

from .conftest import map_frame

pytestmark = pytest.mark.browser


def test_zooming_to_manchester_swaps_in_local_tiles_with_ten_times_the_detail(page, server_url):
    page.goto(f"{server_url}/?region=england&geo=lsoa")
    frame = map_frame(page)
    frame.wait_for_function("() => window.pmZoomBands && document.querySelector('img.pm-raster')")
    # The national image spans England's 8.2 degrees of longitude.
    national = frame.evaluate("document.querySelector('img.pm-raster').naturalWidth") / 8.2
    frame.evaluate("window.__probe = 'same map'")
    frame.evaluate("window.pmZoomMap.setView([53.4808, -2.2426], 12, {animate: false}) && null")
    # The page reruns, draws the tiles in view and the map asks again for those it lacked.
    frame.wait_for_function(
        "() => document.querySelectorAll('.pm-tiles img.leaflet-tile-loaded').length >= 6"
        " && document.querySelector('img.pm-raster').style.opacity === '0'",
        timeout=60_000,
    )
    tile = frame.evaluate(
        "(() => { const t = document.querySelector('.pm-tiles img.leaflet-tile-loaded');"
        " return [t.naturalWidth, t.src]; })()"
    )
    assert tile[0] == 256 and "/app/static/generated/tiles/" in tile[1] and "/12/" in tile[1]
    assert 256 * 2**12 / 360 >= 4 * national  # pixels per degree shown against the national image's
    frame.evaluate("window.pmZoomMap.setView([52.9, -1.5], 6, {animate: false}) && null")  # back out: the image again
    frame.wait_for_function(
        "() => document.querySelector('img.pm-raster').style.opacity === '0.9'"
        " && !window.pmZoomMap.hasLayer(window.pmTileLayer)"
    )
    assert frame.evaluate("window.__probe") == "same map"  # zoomed in and out without a remount
    hosts = {urlparse(u).hostname for u in page.requests if not u.startswith(("data:", "blob:", "about:"))}
    assert hosts == {"127.0.0.1"}
