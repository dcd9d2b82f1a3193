"""The change map and the evaluation map in a real browser: painting, clicking, accessibility."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import _free_port, map_frame, start_server, wait_until_idle

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server with its own database file, so saving never touches the project's placemap.db."""
    db = tmp_path_factory.mktemp("db") / "placemap.db"
    port = _free_port()
    process = start_server(port, env={"PLACEMAP_DB_PATH": str(db), "DATABASE_URL": ""})
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=20)


def _open_from_navigation(page, server_url: str, link: str) -> None:
    page.goto(server_url)
    page.get_by_role("link", name=link).click()


def test_change_map_paints_every_lsoa_with_the_diverging_classes(page, own_server):
    _open_from_navigation(page, own_server, "Change over time")
    page.get_by_role("heading", name="Blackpool: change in Index of Multiple Deprivation (IMD)").wait_for(
        timeout=60_000
    )
    frame = map_frame(page)
    page.wait_for_function(
        "() => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]').contentDocument"
        ".documentElement.getAttribute('data-pm-painted').startsWith('change-2019-2025-imd')",
        timeout=30_000,
    )
    assert frame.locator(".leaflet-overlay-pane path").count() == 94  # Blackpool's LSOAs (2021)
    fills = set(
        frame.evaluate(
            "Array.from(document.querySelectorAll('.leaflet-overlay-pane path'), p => p.getAttribute('fill'))"
        )
    )
    assert "#bdbdbd" in fills and fills <= {"#b2182b", "#ef8a62", "#fddbc7", "#bdbdbd", "#d1e5f0", "#67a9cf", "#2166ac"}
    assert page.locator(".pm-legend li").count() == 8  # seven classes + "Not comparable"
    wait_until_idle(page)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => {
            const r = await axe.run(document, {exclude: [['iframe']]});
            return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    assert violations == []


def test_clicking_the_evaluation_map_adds_and_removes_an_lsoa(page, own_server):
    _open_from_navigation(page, own_server, "Evaluate an intervention")
    frame = map_frame(page)
    first, second = (frame.locator(".leaflet-overlay-pane path").nth(i) for i in (10, 40))
    first.click()
    page.get_by_label("LSOAs in the intervention (1)", exact=False).wait_for(timeout=30_000)
    second.click()
    page.get_by_label("LSOAs in the intervention (2)", exact=False).wait_for(timeout=30_000)
    page.get_by_text("Difference-in-differences", exact=True).first.wait_for(timeout=60_000)
    assert frame.evaluate("document.documentElement.getAttribute('data-pm-painted')").startswith("selection-")
    first.click()  # a second click removes it
    page.get_by_label("LSOAs in the intervention (1)", exact=False).wait_for(timeout=30_000)
