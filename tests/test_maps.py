import json
import re

import numpy as np

from placemap.analysis.classify import NO_DATA_COLOUR, classify_values
from placemap.data import prepare
from placemap.data.indicators import Polarity
from placemap.render import maps

from .conftest import HOSTILE_NAME, make_boundaries


def _map_text(areas, values, *, selected=None, **base_kwargs):
    classification = classify_values(np.asarray(values, dtype=float), "quantiles", 2, polarity=Polarity.HIGH_IS_WORSE)
    payload = maps.style_payload(
        classification,
        values=[f"{v}" for v in values],
        ranks=["1"] * len(values),
        deciles=["1"] * len(values),
        label="IMD <b>score</b>",
        total=33755,
    )
    base = maps.build_base_map(prepare.area_features(areas), prepare.bounds_of(areas), **base_kwargs)
    highlight = maps.build_highlight_layer(
        prepare.feature_collection(areas.geometry.iloc[:1], [{}]) if selected else None
    )
    html = maps.render_map_html(base, [maps.build_style_layer(payload), highlight])
    return "".join(html.split()), classification


def test_rendered_map_holds_each_class_colour_and_no_data():
    text, classification = _map_text(make_boundaries(), [1.0, 2.0, 3.0, float("nan")])
    for colour in classification.palette:
        assert colour in text
    assert NO_DATA_COLOUR in text
    assert '"cls":[0,0,1,-1]' in text


def test_hostile_area_name_reaches_the_map_escaped():
    text, _ = _map_text(make_boundaries(hostile=True), [1.0, 2.0, 3.0, 4.0])
    escaped = "".join(prepare.escape_text(HOSTILE_NAME).split())
    assert escaped.replace("&", "\\u0026") in text  # escaped for HTML, then for the script
    assert "<script>alert" not in text
    assert "&lt;b&gt;score&lt;/b&gt;".replace("&", "\\u0026") in text  # the indicator label too


def test_map_loads_leaflet_from_the_app_and_nothing_from_a_cdn():
    text, _ = _map_text(make_boundaries(), [1.0, 2.0, 3.0, 4.0])
    assert maps.LEAFLET_JS_URL in text and maps.LEAFLET_CSS_URL in text
    urls = re.findall(r"(?:src|href)=\"(https?://[^\"]+)", text)
    assert urls == []
    assert "tile.openstreetmap" not in text


def test_basemap_tiles_only_when_asked_for():
    text, _ = _map_text(make_boundaries(), [1.0, 2.0, 3.0, 4.0], basemap="osm")
    assert "tile.openstreetmap.org" in text


def test_outline_layers_are_named_for_the_layer_control():
    areas = make_boundaries()
    text, _ = _map_text(
        areas,
        [1.0, 2.0, 3.0, 4.0],
        la_features=prepare.outline_features(prepare.la_outlines(areas), "la_name"),
        ward_features=prepare.outline_features(prepare.ward_outlines(areas), "ward_name"),
    )
    assert "Wardoutlines" in text and "Localauthorityoutline" in text


def test_selected_area_is_drawn_in_the_highlight_pane():
    text, _ = _map_text(make_boundaries(), [1.0, 2.0, 3.0, 4.0], selected=True)
    assert maps.HIGHLIGHT_COLOUR in text and f'"pane":"{maps.PANE_HIGHLIGHT}"' in text


def test_large_maps_use_the_canvas_renderer_and_small_ones_svg():
    areas = make_boundaries()
    small = maps.build_base_map(prepare.area_features(areas), prepare.bounds_of(areas)).get_root().render()
    big = maps.build_base_map(prepare.area_features(areas), prepare.bounds_of(areas), canvas=True).get_root().render()
    assert "L.svg(" in small and "L.canvas(" not in small
    assert "L.canvas(" in big


def test_base_map_script_is_identical_when_only_the_indicator_changes():
    # streamlit-folium remounts the map when its script changes; colours travel separately.
    areas = make_boundaries()

    def script():
        m = maps.build_base_map(prepare.area_features(areas), prepare.bounds_of(areas))
        return re.sub(r"_[0-9a-f]{32}", "", m.get_root().render())

    assert script() == script()


def test_legend_lists_most_deprived_first_and_names_no_data():
    classification = classify_values(np.array([1.0, 2.0, 3.0, np.nan]), "quantiles", 3, polarity=Polarity.HIGH_IS_WORSE)
    html = maps.legend_html("Title <i>", "sub", classification)
    swatches = re.findall(r"background:(#[0-9a-f]{6})", html)
    assert swatches[:-1] == list(reversed(classification.palette))
    assert swatches[-1] == NO_DATA_COLOUR and "No data" in html and "(1)" in html
    assert "Title &lt;i&gt;" in html


def test_style_payload_is_plain_json_with_escaped_strings():
    classification = classify_values(np.array([1.0, 2.0]), "quantiles", 2, polarity=Polarity.HIGH_IS_WORSE)
    payload = maps.style_payload(classification, ["<1>", "2"], ["1", "2"], ["1", "1"], "x", 10)
    assert json.loads(json.dumps(payload))["value"][0] == "&lt;1&gt;"


def test_marker_tooltips_cannot_run_or_break_the_maps_script():
    import folium

    m = folium.Map(location=[53.8, -3.0], zoom_start=10, tiles=None)
    label = "Bispham `${alert(document.cookie)}` C:\\x <b>"
    maps.build_marker_layer([{"lat": 53.8, "lng": -3.0, "label": label}]).add_to(m)
    text = m.get_root().render()
    assert "${alert" not in text and "`${" not in text and "C:\\x" not in text and "<b>" not in text
    assert "Bispham &#96;&#36;{alert(document.cookie)}&#96; C:&#92;x &lt;b&gt;" in text  # shown as typed
