"""The workshop page in a real browser: pin a note by clicking the map; it survives a reload."""

from __future__ import annotations

import pytest

from placemap.storage import community, store

from .conftest import MAP_FRAME, _free_port, map_frame, start_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def workshop_server(tmp_path_factory):
    path = tmp_path_factory.mktemp("ws") / "placemap.db"
    db = store.open_store(f"sqlite:///{path}")
    ws = community.create_workshop(db, "Browser test", "E06000009")
    db.close()
    port = _free_port()
    process = start_server(port, {"PLACEMAP_DB_PATH": str(path), "DATABASE_URL": ""})
    yield f"http://127.0.0.1:{port}", ws, path
    process.terminate()
    process.wait(timeout=20)


def _notes_on_map(page) -> int:
    return page.frame_locator(MAP_FRAME).locator("html[data-pm-notes]").evaluate("() => window.pmNoteCount")


def test_pinning_a_note_by_clicking_the_map_survives_a_reload(page, workshop_server):
    url, ws, path = workshop_server
    link = f"{url}/workshop?mode=workshop&step=4&ws={ws.share_id}"
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(link)
    frame = map_frame(page)
    assert _notes_on_map(page) == 0
    body_px = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('[data-testid=\"stMain\"] p')).fontSize)"
    )
    assert body_px >= 24
    frame.locator(".leaflet-overlay-pane path").nth(10).click()
    page.get_by_text("Pinned:").wait_for(timeout=20_000)
    page.get_by_label("Your note (up to 280 characters)").fill("<img src=x onerror=alert(1)> more benches")
    page.get_by_role("button", name="Add my note").click()
    page.wait_for_function(
        f"() => document.querySelector('{MAP_FRAME}').contentWindow.pmNoteCount === 1", timeout=20_000
    )
    page.reload()
    map_frame(page)
    page.wait_for_function(
        f"() => document.querySelector('{MAP_FRAME}').contentWindow.pmNoteCount === 1", timeout=30_000
    )
    item = page.locator(".pm-note-text").first
    assert item.inner_text() == "<img src=x onerror=alert(1)> more benches"  # shown as text
    assert page.locator(".pm-notes img").count() == 0
    db = store.open_store(f"sqlite:///{path}")
    try:
        [note] = community.list_notes(db, ws)
        assert note.area_code and note.area_code.startswith("E01")
    finally:
        db.close()
