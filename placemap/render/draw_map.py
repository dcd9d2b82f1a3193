"""The Draw an area map: an LA's outlines, Leaflet.draw's polygon and rectangle tools (served by the app), a saved outline.

folium's ``plugins.Draw`` loads Leaflet.draw from a public CDN; ``LocalDraw`` is the same
control loading it from ``/app/static/leaflet-draw/`` (copied there by
``placemap.render.assets.ensure_leaflet_draw``), so the tools work with no internet. Only areas
can be drawn (polygon, rectangle); the server still checks whatever comes back
(``placemap.uploads.drawn_shape``). A saved outline is put in the tools' own layer, so an editor
can reshape it with the edit tool. Never reads files.
"""

from __future__ import annotations

from typing import ClassVar

import folium
from folium.plugins import Draw
from shapely.geometry import shape as geojson_shape

from placemap.render import maps

LEAFLET_DRAW_JS_URL = "/app/static/leaflet-draw/leaflet.draw.js"
LEAFLET_DRAW_CSS_URL = "/app/static/leaflet-draw/leaflet.draw.css"
DRAWN_STYLE = {"color": maps.HIGHLIGHT_COLOUR, "weight": 3, "fillOpacity": 0.12}
COUNTED_STYLE = {"color": "#0072B2", "weight": 1.5, "fill": False, "dashArray": "4 3"}  # Okabe-Ito blue


class LocalDraw(Draw):
    """folium's Draw control with Leaflet.draw from the app's own static folder."""

    default_js: ClassVar[list[tuple[str, str]]] = [("leaflet_draw_js", LEAFLET_DRAW_JS_URL)]
    default_css: ClassVar[list[tuple[str, str]]] = [("leaflet_draw_css", LEAFLET_DRAW_CSS_URL)]


def draw_options() -> dict:
    """Leaflet.draw's toolbar: polygons and rectangles only; outlines may not cross while drawn.

    ``showArea`` stays off: Leaflet.draw 1.0.4's area readout throws in the middle of a drawing.
    """
    shape = {"shapeOptions": DRAWN_STYLE}
    return {
        "polygon": {"allowIntersection": False, "showArea": False, **shape},
        "rectangle": {"showArea": False, **shape},
        "polyline": False,
        "circle": False,
        "marker": False,
        "circlemarker": False,
    }


def _saved_layer(geometry: dict | None) -> folium.FeatureGroup:
    # Leaflet.draw edits L.Polygon layers held directly in its feature group (not inside an
    # L.GeoJSON group), so a saved outline goes in as one folium.Polygon per part.
    group = folium.FeatureGroup(name="Your area", control=False)
    if not geometry:
        return group
    shape = geojson_shape(geometry)
    parts = list(shape.geoms) if shape.geom_type == "MultiPolygon" else [shape]
    for part in parts:
        rings = [part.exterior, *part.interiors]
        locations = [[[y, x] for x, y in ring.coords[:-1]] for ring in rings]
        folium.Polygon(locations, **DRAWN_STYLE).add_to(group)
    return group


def build_draw_map(layers: dict, attribution: str, *, saved: dict | None = None, basemap: str = "none") -> folium.Map:
    """The drawing map of a place (``cache.load_place_layers``' LA outline and wards), with the tools.

    Parameters
    ----------
    layers : the place's layers (``la``, ``wards``, ``bounds``); its LSOAs are not drawn
    saved : a saved area's GeoJSON geometry, put in the tools' layer so it can be edited
    basemap : a key of ``maps.BASEMAPS``; ``"none"`` makes no request off the machine
    """
    bounds = layers["bounds"]
    if saved:
        west, south, east, north = geojson_shape(saved).bounds
        pad_x, pad_y = (east - west) * 0.25, (north - south) * 0.25  # room round the outline to edit it
        bounds = [[south - pad_y, west - pad_x], [north + pad_y, east + pad_x]]
    m = maps.build_base_map(
        None, bounds, la_features=layers["la"], ward_features=layers["wards"], attribution=attribution, basemap=basemap
    )
    group = _saved_layer(saved)
    group.add_to(m)
    LocalDraw(
        feature_group=group,
        position="topleft",
        show_geometry_on_click=False,
        draw_options=draw_options(),
        edit_options={"poly": {"allowIntersection": False}},
    ).add_to(m)
    return m


def build_counted_layer(features: dict | None) -> folium.FeatureGroup:
    """The LSOAs that count as the drawn area, outlined (a feature group for ``feature_group_to_add``)."""
    group = folium.FeatureGroup(name="LSOAs counted in the area", control=False)
    if features and features.get("features"):
        folium.GeoJson(features, style_function=lambda _f: COUNTED_STYLE, interactive=False).add_to(group)
    return group
