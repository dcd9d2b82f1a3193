"""Rendered maps are the same whether branca compiles their rendered pieces as templates or keeps them as text."""

import itertools

import branca.element
import folium
import jinja2
import pytest

from placemap.render import branca_text


def _render(monkeypatch, template) -> str:
    # Element ids are random: number them instead, so two renders of the same map can be compared.
    counter = itertools.count()
    monkeypatch.setattr(branca.element.Element, "_generate_id", classmethod(lambda cls: f"id{next(counter):04d}"))
    monkeypatch.setattr(branca.element, "Template", template)
    m = folium.Map(location=[53.48, -2.24], zoom_start=11, tiles=None)
    feature = {
        "type": "Feature",
        "properties": {"name": "Ancoats <b>&</b> Beswick", "value": 1.5},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[-2.25, 53.47], [-2.23, 53.47], [-2.24, 53.49], [-2.25, 53.47]]],
        },
    }
    folium.GeoJson(
        {"type": "FeatureCollection", "features": [feature]},
        name="Areas",
        tooltip=folium.GeoJsonTooltip(["name", "value"]),
        style_function=lambda f: {"color": "#444", "weight": 1},
    ).add_to(m)
    folium.Marker([53.48, -2.24], tooltip="A note: {not a template}", popup="Line one\r\nline two\n").add_to(m)
    folium.LayerControl().add_to(m)
    return m.get_root().render()


def test_a_rendered_map_is_identical_with_its_pieces_kept_as_text(monkeypatch):
    compiled = _render(monkeypatch, jinja2.Template)
    kept = _render(monkeypatch, branca_text.template)
    assert "Ancoats" in kept and "L.marker" in kept and "{not a template}" in kept
    assert kept == compiled


def test_text_with_template_syntax_is_still_compiled():
    assert isinstance(branca_text.template("{{ this.get_name() }}"), jinja2.Template)
    assert isinstance(branca_text.template("var a = {b: 1};"), branca_text.LiteralTemplate)


@pytest.mark.parametrize("text", ["", "a\n", "a\n\n", "a\r\nb\r\n", "a\rb", "  spaced  "])
def test_kept_text_renders_as_jinja_would(text):
    assert branca_text.LiteralTemplate(text).render(this=None, kwargs={}) == jinja2.Template(text).render()


def test_the_app_installs_it_for_every_map():
    import placemap.render.maps  # noqa: F401 - installs it

    assert branca.element.Template is branca_text.template
