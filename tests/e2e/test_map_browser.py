"""What only a browser shows: the map paints, offline, and answers clicks and keys."""

from pathlib import Path
from urllib.parse import urlparse

import pytest

from .conftest import choose_option, map_frame, wait_until_idle

pytestmark = pytest.mark.browser
PICKER = "Indicator (grouped by theme)"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _hosts(urls):
    return {urlparse(u).hostname for u in urls if not u.startswith(("data:", "blob:", "about:"))}


def test_map_paints_one_polygon_per_lsoa_with_no_request_off_the_machine(page, server_url):
    page.goto(f"{server_url}/?la=E08000003")
    frame = map_frame(page)
    assert frame.locator(".leaflet-overlay-pane path").count() == 295  # Manchester's LSOAs (2021)
    assert frame.evaluate("window.pmFeatureCount") == 295
    assert _hosts(page.requests) == {"127.0.0.1"}


def test_legend_shows_beside_the_map_with_no_data_named(page, server_url):
    page.goto(server_url)
    map_frame(page)
    legend = page.locator(".pm-legend")
    legend.wait_for()
    assert legend.locator("li").count() == 11  # ten national deciles + "No data"
    assert "Decile 1 (most deprived 10%)" in legend.inner_text() and "No data" in legend.inner_text()


def test_clicking_a_polygon_selects_it_without_remounting_the_map(page, server_url):
    page.goto(server_url)
    frame = map_frame(page)
    frame.evaluate("window.__probe = 'same map'")
    polygon = frame.locator(".leaflet-overlay-pane path").nth(20)
    polygon.hover()
    name = frame.locator(".leaflet-tooltip strong").inner_text()
    polygon.click()
    page.get_by_role("heading", name=name).wait_for(timeout=20_000)
    assert frame.evaluate("window.__probe") == "same map"  # no remount, so no re-fit either
    assert frame.locator(".leaflet-pm-highlight-pane path").count() == 1
    page.wait_for_function("() => location.search.includes('area=E01')")


def test_switching_indicator_restyles_the_same_map(page, server_url):
    page.goto(server_url)
    frame = map_frame(page)
    frame.evaluate("window.__probe = 'same map'")
    before = frame.evaluate("document.documentElement.getAttribute('data-pm-painted')")
    choose_option(page, PICKER, "Overall deprivation (the indices) · Index of Multiple Deprivation (IMD): rank")
    page.wait_for_function(
        "() => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentDocument"
        ".documentElement.getAttribute('data-pm-painted').includes('imd_rank')",
        timeout=20_000,
    )
    assert before.endswith("imd_decile-national_deciles-10-viridis")
    assert frame.evaluate("window.__probe") == "same map"


def test_an_area_can_be_chosen_with_the_keyboard_alone(page, server_url):
    page.goto(server_url)
    map_frame(page)
    for _ in range(80):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label') || ''")
        if label.startswith("Area: an LSOA"):
            break
    else:
        pytest.fail("Tab never reached the area list")
    page.keyboard.type("Blackpool 013B")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Blackpool 013B").wait_for(timeout=20_000)


def test_no_serious_accessibility_violations_in_the_map_page(page, server_url):
    page.goto(server_url)
    map_frame(page)
    page.locator(".pm-legend").wait_for()
    wait_until_idle(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {exclude: [['iframe']]});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    assert result == []


def test_a_deep_link_to_a_page_runs_through_the_app(page, server_url):
    # A shared link names the page: it must get Placemap's navigation, layout and Leaflet,
    # and never Streamlit's "Page not found" dialog (which makes the page underneath inert).
    page.goto(f"{server_url}/profile?area=E01033658")
    page.get_by_role("heading", name="Manchester 054C", exact=False).first.wait_for(timeout=60_000)
    assert page.locator('[data-testid="stSidebarNav"]').get_by_text("Map explorer").is_visible()
    page.goto(f"{server_url}/?la=E08000003&ind=income_rank")
    map_frame(page)
    assert page.get_by_role("heading", name="Manchester: Income: rank").is_visible()
    assert page.get_by_text("Page not found").count() == 0
