"""The drawing map loads Leaflet.draw from the app itself, and the copy step that puts it there."""

from __future__ import annotations

from pathlib import Path

from placemap.render import assets, draw_map

LAYERS = {"la": None, "wards": None, "bounds": [[53.78, -3.06], [53.88, -2.98]]}
SAVED = {"type": "Polygon", "coordinates": [[[-3.05, 53.81], [-3.04, 53.81], [-3.04, 53.82], [-3.05, 53.81]]]}


def _html(m) -> str:
    return m.get_root().render()


def test_the_drawing_tools_load_from_the_app_never_a_cdn():
    html = _html(draw_map.build_draw_map(LAYERS, "IoD2025"))
    assert '<script src="/app/static/leaflet-draw/leaflet.draw.js">' in html
    assert 'href="/app/static/leaflet-draw/leaflet.draw.css"' in html
    assert "cdnjs" not in html and "unpkg" not in html and "jsdelivr" not in html


def test_only_area_tools_are_offered_and_a_saved_outline_is_editable():
    html = "".join(_html(draw_map.build_draw_map(LAYERS, "IoD2025", saved=SAVED)).split())
    assert '"polyline":false' in html and '"circle":false' in html and '"marker":false' in html
    assert '"allowIntersection":false' in html
    assert "L.polygon([[[53.81,-3.05],[53.81,-3.04],[53.82,-3.04]]]" in html  # lat/lng, in the tools' layer
    assert "options.edit.featureGroup=drawnItems_" in html


def test_leaflet_draw_is_copied_once_from_npm_and_missing_tools_are_reported(tmp_path: Path):
    source = tmp_path / "npm" / "dist"
    assert assets.ensure_leaflet_draw(tmp_path / "static", source) is None  # npm install not run
    (source / "images").mkdir(parents=True)
    for name in assets.LEAFLET_DRAW_FILES:
        (source / name).write_text(f"/* {name} */")
    (source / "images" / "spritesheet.svg").write_text("<svg/>")
    target = assets.ensure_leaflet_draw(tmp_path / "static", source)
    assert target == tmp_path / "static" / "leaflet-draw"
    assert (target / "leaflet.draw.js").read_text() == "/* leaflet.draw.js */"
    assert (target / "images" / "spritesheet.svg").exists()  # the toolbar icons the CSS names
