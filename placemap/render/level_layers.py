"""Layers of the map of places that only a zoomed-in reader needs: the LSOA outlines beneath the places,
shown from a zoom level on. Pure: builds folium elements, never reads files.

Example
-------
>>> m = folium.Map(tiles=None)
>>> square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}
>>> features = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": square, "properties": {}}]}
>>> layer = zoomed_lsoa_layer(features, min_zoom=13)
>>> _ = layer.add_to(m)
>>> html = m.get_root().render()
>>> "getZoom() >= 13" in html and "pm-outlines" in html
True
"""

from __future__ import annotations

import folium
from branca.element import MacroElement
from jinja2 import Template

from placemap.render.maps import PANE_OUTLINES

LSOA_ZOOM = 13  # about a ward across the map: where single LSOAs become readable
LSOA_BENEATH_STYLE = {"color": "#222222", "weight": 0.6, "opacity": 0.8, "fill": False, "dashArray": "2 2"}


class _ShowFromZoom(MacroElement):
    """Adds its parent layer to the map from ``min_zoom`` on and removes it below (on every zoom)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
(function (layer, map) {
  function sync() {
    var near = map.getZoom() >= {{ this.min_zoom }};
    if (near && !map.hasLayer(layer)) { layer.addTo(map); }
    if (!near && map.hasLayer(layer)) { map.removeLayer(layer); }
  }
  map.on("zoomend", sync);
  map.whenReady(sync);
})({{ this._parent.get_name() }}, {{ this._parent._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, min_zoom: int):
        super().__init__()
        self._name = "ShowFromZoom"
        self.min_zoom = int(min_zoom)


def zoomed_lsoa_layer(features: dict, min_zoom: int = LSOA_ZOOM) -> folium.FeatureGroup:
    """The LSOA outlines (``place_maps.lsoa_outlines``) beneath a map of places, shown only from ``min_zoom``.

    Add it to the base map (it depends only on the place), so that the map script stays the same
    across reruns.
    """
    group = folium.FeatureGroup(name="LSOA outlines", control=False, show=False)
    if features["features"]:
        folium.GeoJson(
            features,
            style_function=lambda _f: LSOA_BENEATH_STYLE,
            pane=PANE_OUTLINES,
            interactive=False,
        ).add_to(group)
    group.add_child(_ShowFromZoom(min_zoom))
    return group
