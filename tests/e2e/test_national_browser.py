"""The regional and national views in a real browser: they paint, offline, and answer clicks."""

from urllib.parse import urlparse

import pytest

from .conftest import map_frame

pytestmark = pytest.mark.browser


def _hosts(urls):
    return {urlparse(u).hostname for u in urls if not u.startswith(("data:", "blob:", "about:"))}


def test_all_england_lsoas_paint_as_one_image_and_a_click_selects_an_lsoa(page, server_url):
    page.goto(f"{server_url}/?region=england&geo=lsoa")
    frame = map_frame(page)
    size = frame.evaluate(
        "(() => { const i = document.querySelector('img.pm-raster'); return [i.naturalWidth, i.naturalHeight]; })()"
    )
    assert size[0] == 2400 and size[1] > 2400
    assert _hosts(page.requests) == {"127.0.0.1"}
    box = page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    frame.evaluate("window.__probe = 'same map'")
    # Birmingham sits near the middle of England's bounds: clicking there selects an LSOA.
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.get_by_text("Ward:").wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('area=E01')")
    assert frame.evaluate("window.__probe") == "same map"


def test_local_authority_summary_paints_every_la_and_a_click_opens_one(page, server_url):
    page.goto(f"{server_url}/?region=england")
    frame = map_frame(page)
    assert frame.locator(".leaflet-overlay-pane path").count() == 296
    page.locator(".pm-legend").wait_for()
    assert "Share of LSOAs in England's most deprived 10%" in page.locator(".pm-legend").inner_text()
    la = frame.locator(".leaflet-overlay-pane path").nth(100)
    la.hover()
    name = frame.locator(".leaflet-tooltip strong").inner_text()
    la.click()
    page.get_by_role("heading", name=f"{name}: Index of Multiple Deprivation (IMD): decile").wait_for(timeout=30_000)
    page.wait_for_function("() => location.search.includes('la=E0') && !location.search.includes('region')")
