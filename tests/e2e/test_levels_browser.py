"""The map at ward level in a browser: one polygon per ward, a click selects a ward without remounting the
map, and its LSOAs are drawn inside it."""

import pytest

from .conftest import map_frame

pytestmark = pytest.mark.browser


def test_clicking_a_ward_selects_it_and_draws_its_lsoas_inside_the_same_map(page, server_url):
    page.goto(f"{server_url}/?la=E06000009&level=ward")
    frame = map_frame(page, timeout=150_000)  # a cold server loads the data first
    assert frame.evaluate("window.pmFeatureCount") == 21  # Blackpool's wards
    frame.evaluate("window.__probe = 'same map'")
    polygon = frame.locator(".leaflet-overlay-pane path").nth(3)
    polygon.hover()
    name = frame.locator(".leaflet-tooltip strong").inner_text().split(",")[0]
    assert "rank" in frame.locator(".leaflet-tooltip").inner_text()
    polygon.click()
    page.get_by_role("heading", name=name).wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('sel=E05')")
    page.get_by_role("link", name=f"Open the profile of {name}").wait_for(timeout=10_000)
    assert frame.evaluate("window.__probe") == "same map"  # selection restyles, never remounts
    frame.locator(".leaflet-pm-outlines-pane path").first.wait_for(state="attached", timeout=20_000)
    assert frame.locator(".leaflet-pm-outlines-pane path").count() >= 2  # its LSOAs (plus the LA outline)
    assert frame.locator(".leaflet-pm-highlight-pane path").count() == 1
    selected_paths = frame.locator(".leaflet-pm-outlines-pane path").count()
    frame.evaluate("window.pmChoropleth._map.setZoom(14, {animate: false})")
    page.wait_for_timeout(500)
    assert frame.locator(".leaflet-pm-outlines-pane path").count() >= selected_paths + 94  # every Blackpool LSOA
