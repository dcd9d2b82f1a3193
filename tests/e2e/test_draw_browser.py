"""Draw an area in a real browser: the polygon tool (served by the app), a name, a save, and the shared link."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from placemap.storage import drawn_areas, store

from .conftest import MAP_FRAME, _free_port, start_server, wait_until_idle

pytestmark = pytest.mark.browser
SENTENCE = re.compile(r"On the IoD2025 IMD its population-weighted average rank is [0-9,]+ of 33,755.*")


@pytest.fixture(scope="module")
def draw_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("draw") / "placemap.db"
    port = _free_port()
    process = start_server(port, {"PLACEMAP_DB_PATH": str(path), "DATABASE_URL": ""})
    yield f"http://127.0.0.1:{port}", path
    process.terminate()
    process.wait(timeout=20)


def _summary(page) -> str:
    found = page.get_by_text(SENTENCE)
    found.wait_for(timeout=60_000)
    return found.inner_text()


def test_a_drawn_polygon_is_named_saved_and_its_link_shows_the_same_summary(page, draw_server):
    url, path = draw_server
    page.goto(f"{url}/draw?la=E06000009")
    frame = page.frame_locator(MAP_FRAME)
    tool = frame.locator("a.leaflet-draw-draw-polygon")
    tool.wait_for(timeout=90_000)
    wait_until_idle(page)
    box = page.locator(MAP_FRAME).bounding_box()
    x, y = box["width"] / 2, box["height"] / 2  # the middle of Blackpool
    tool.click()
    surface = frame.locator(".leaflet-container")
    for dx, dy in ((-70, -60), (70, -60), (70, 60), (-70, 60)):
        surface.click(position={"x": x + dx, "y": y + dy})
        page.wait_for_timeout(150)
    surface.click(position={"x": x - 70, "y": y - 60})  # the first point again closes the polygon
    drawn = _summary(page)
    assert frame.locator(".leaflet-overlay-pane path").count() >= 2  # the area and its counted LSOAs

    page.get_by_label("Name of the area").fill("Our <i>patch</i>")
    page.get_by_role("button", name="Save the area").click()
    page.get_by_text("Saved. Anyone with this link can open it").wait_for(timeout=60_000)
    shared = page.url
    assert "place=drawn:" in unquote(shared)

    page.goto(shared)
    page.get_by_role("heading", name="Our <i>patch</i>", exact=True).wait_for(timeout=60_000)
    assert _summary(page) == drawn
    assert page.locator("i", has_text="patch").count() == 0  # the name is text, not HTML

    off_machine = [u for u in page.requests if not u.startswith((url, "data:", "blob:", "about:"))]
    assert off_machine == []  # Leaflet and Leaflet.draw came from the app itself
    assert any(u.endswith("/app/static/leaflet-draw/leaflet.draw.js") for u in page.requests)
    share_id = re.search(r"drawn:([A-Za-z0-9_-]+)", unquote(shared)).group(1)
    db = store.open_store(f"sqlite:///{path}")
    try:
        assert drawn_areas.get_drawn_area(db, share_id).name == "Our <i>patch</i>"
    finally:
        db.close()
