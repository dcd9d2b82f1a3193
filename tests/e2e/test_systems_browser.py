"""What only a browser shows on the systems view: the bivariate map paints, its legend shows, and a
rectangle dragged on the scatter outlines those LSOAs on the map."""

from pathlib import Path

import pytest

from placemap.render.colour import BIVARIATE_PALETTE

from .conftest import map_frame, wait_until_idle

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LINK = "/systems?v=2025&la=E08000003&x=income_rank&y=education_rank&thirds=place"


def _open_systems(page, server_url):
    # Open the app first, as a visitor would: a brand-new server asked straight for a
    # sub-page can answer before st.navigation has registered the pages.
    page.goto(server_url)
    page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
    page.goto(server_url + LINK)
    return map_frame(page)


def test_bivariate_map_paints_every_lsoa_in_the_palette_and_its_legend_shows(page, server_url):
    frame = _open_systems(page, server_url)
    assert "bivariate-income_rank-education_rank" in frame.evaluate(
        "document.documentElement.getAttribute('data-pm-painted')"
    )
    fills = frame.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-overlay-pane path')).map(p => p.getAttribute('fill'))"
    )
    assert len(fills) == 295  # Manchester's LSOAs (2021)
    assert set(fills) <= set(BIVARIATE_PALETTE) and len(set(fills)) >= 5
    legend = page.locator(".pm-bivariate")
    legend.wait_for()
    cells = legend.locator(".pm-bv-cell")
    assert cells.count() == 9
    assert sum(int(cells.nth(i).inner_text().replace(",", "")) for i in range(9)) == 295
    assert "more deprived on Income" in legend.inner_text()
    colours = [cells.nth(i).evaluate("e => getComputedStyle(e).backgroundColor") for i in range(9)]
    assert len(set(colours)) == 9


def test_dragging_a_rectangle_on_the_scatter_outlines_those_lsoas_on_the_same_map(page, server_url):
    frame = _open_systems(page, server_url)
    frame.evaluate("window.__probe = 'same map'")
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    # From the top right corner (most deprived on both) a third of the way in each direction.
    x0, y0 = box["x"] + box["width"] * 0.99, box["y"] + box["height"] * 0.02
    x1, y1 = box["x"] + box["width"] * 0.7, box["y"] + box["height"] * 0.5
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=8)
    page.mouse.up()
    heading = page.get_by_role("heading", name="Selected in the chart")
    heading.wait_for(timeout=30_000)
    selected = int(heading.inner_text().split(":")[1].split()[0].replace(",", ""))
    assert selected > 0
    page.wait_for_function(
        "n => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentDocument"
        ".querySelectorAll('.leaflet-pm-highlight-pane path').length === n",
        arg=selected,
        timeout=20_000,
    )
    assert frame.evaluate("window.__probe") == "same map"


@pytest.mark.parametrize("link", [LINK, "/priorities?v=2025&la=E08000003&show=composite"])
def test_no_serious_accessibility_violations_on_the_systems_and_priority_pages(page, server_url, link):
    page.goto(server_url)
    page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
    page.goto(server_url + link)
    map_frame(page)
    page.locator(".pm-legend").first.wait_for()
    page.get_by_test_id("stVegaLiteChart").first.wait_for()
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
