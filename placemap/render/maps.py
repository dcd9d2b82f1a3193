"""Build folium maps from prepared data. Never reads files.

The map is split in two so that streamlit-folium never remounts it needlessly:

* ``build_base_map`` holds what changes only with the place: the LSOA geometry
  (drawn by :class:`ChoroplethGeometry`), the LA and ward outlines, the
  neighbouring LAs and the optional tiles. Its script is identical across reruns
  for the same place, so the iframe keeps its pan and zoom.
* ``build_style_layer`` and ``build_highlight_layer`` return small feature
  groups passed to ``st_folium(feature_group_to_add=...)``: colours, tooltip
  values and the selected area. Switching indicator, scheme or palette sends only
  these arrays and restyles the existing polygons.

folium's own ``GeoJson`` calls a Python style function per feature and embeds a
style switch per feature; for thousands of polygons and restyling without a
remount we need styles as compact arrays applied in the browser, which no folium
element offers, hence the two small templates below.
"""

from __future__ import annotations

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from placemap.analysis.classify import (
    NO_DATA_COLOUR,
    NO_DATA_LABEL,
    SUPPRESSED_COLOUR,
    SUPPRESSED_LABEL,
    Classification,
)
from placemap.data.prepare import escape_text, script_safe_json
from placemap.render import branca_text

branca_text.install()  # rendered map pieces kept as text, not compiled again as templates

LEAFLET_JS_URL = "/app/static/leaflet/leaflet.js"
LEAFLET_CSS_URL = "/app/static/leaflet/leaflet.css"
BASEMAPS = {
    "none": "None (works offline)",
    "osm": "OpenStreetMap (needs internet)",
    "positron": "CartoDB Positron (needs internet)",
}
SVG_FEATURE_LIMIT = 3000  # above this many polygons Leaflet's canvas renderer is faster
PANE_CONTEXT, PANE_OUTLINES, PANE_HIGHLIGHT = "pm-context", "pm-outlines", "pm-highlight"
HIGHLIGHT_COLOUR = "#e6007e"  # magenta: distinct from every sequential palette offered
MODE_VECTOR, MODE_RASTER, MODE_LA = "vector", "raster", "la"


def drawing_mode(n_lsoas: int, geography: str, vector_limit: int | None = None) -> str:
    """How to draw a place: LA summary polygons, LSOA polygons, or one LSOA image.

    Example
    -------
    >>> drawing_mode(295, "lsoa"), drawing_mode(33_755, "lsoa"), drawing_mode(33_755, "la")
    ('vector', 'raster', 'la')
    """
    from placemap.data.catalogue import VECTOR_LSOA_LIMIT

    if geography == "la":
        return MODE_LA
    return MODE_VECTOR if n_lsoas <= (vector_limit or VECTOR_LSOA_LIMIT) else MODE_RASTER


class _Text(Element):
    """Text added to the map's page as it is."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class TextMacroElement(MacroElement):
    """A ``MacroElement`` whose rendered parts join the page as text.

    branca wraps each rendered part in a new ``Element``, which compiles it as a Jinja template
    (about 0.1 s per MB of GeoJSON, twice per ``st_folium`` call, on every rerun); the parts
    here are finished JavaScript, so they are added as they are.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        module = self._template.module
        for part in ("header", "html", "script"):
            macro = module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class OutlineGeoJson(TextMacroElement):
    """Outlines (LAs, wards, neighbouring LAs) in one style, serialised once, optionally with a name tooltip."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
L.geoJSON({{ this.data }}, {
  pane: {{ this.pane|tojson }}, interactive: {{ this.interactive|tojson }},
  style: function () { return {{ this.style|tojson }}; }{% if this.tooltip %},
  onEachFeature: function (f, l) {
    l.bindTooltip("<strong>" + {{ this.tooltip|tojson }} + "</strong><br>" + f.properties.n, {sticky: true});
  }{% endif %}
}).addTo({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, features: dict, style: dict, pane: str, tooltip: str | None = None):
        super().__init__()
        self._name = "OutlineGeoJson"
        self.data = script_safe_json(features)  # names in the features are escaped already
        self.style = style
        self.pane = pane
        self.interactive = tooltip is not None
        self.tooltip = escape_text(tooltip) if tooltip else ""


class ChoroplethGeometry(TextMacroElement):
    """The LSOA polygons, drawn once; colours come from ``window.pmStyle``."""

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  var empty = {version: 0, palette: [], cls: [], value: [], rank: [], decile: [],
               label: "", total: "", noData: {{ this.no_data|tojson }}};
  window.pmStyle = window.pmStyle || empty;
  window.pmStyleOf = function (f) {
    var s = window.pmStyle, c = s.cls[f.properties.i];
    var has = c !== undefined && c !== null && c >= 0;
    if (c === -2) {  // suppressed (small numbers): its own grey and a dotted outline, not "no data"
      return {fillColor: s.suppressed || "#bdbdbd", fillOpacity: 1, color: "#444444", weight: 1.2,
              opacity: 0.9, dashArray: "1 3"};
    }
    return {fillColor: has ? s.palette[c] : s.noData, fillOpacity: has ? 0.85 : 1,
            color: has ? "#444444" : "#6b6b6b", weight: has ? 0.5 : 1.2, opacity: 0.9,
            dashArray: has ? null : "4 3"};
  };
  window.pmTooltip = function (p) {
    var s = window.pmStyle, i = p.i;
    var h = "<strong>" + p.n + "</strong><br>" + p.c;
    if (p.w) { h += "<br>Ward: " + p.w; }
    h += "<br>" + s.label + ": " + (s.value[i] || "No data");
    if (s.rank[i]) { h += "<br>National rank: " + s.rank[i] + " of " + s.total; }
    if (s.decile[i]) { h += "<br>National decile: " + s.decile[i] + " (1 = most deprived)"; }
    return h;
  };
  var layer = L.geoJSON({{ this.data }}, {
    renderer: {{ "L.canvas({padding: 0.3})" if this.canvas else "L.svg({padding: 0.3})" }},
    style: window.pmStyleOf,
    onEachFeature: function (f, l) {
      l.bindTooltip(function () { return window.pmTooltip(f.properties); }, {sticky: true});
    }
  });
  layer.addTo(map);
  map.attributionControl.addAttribution({{ this.attribution|tojson }});
  window.pmChoropleth = layer;
  window.pmFeatureCount = layer.getLayers().length;
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, features: dict, attribution: str, canvas: bool = False):
        super().__init__()
        self._name = "ChoroplethGeometry"
        self.data = script_safe_json(features)
        self.canvas = canvas
        self.no_data = NO_DATA_COLOUR
        self.attribution = escape_text(attribution)


class ChoroplethStyle(TextMacroElement):
    """Colours and tooltip values for the polygons drawn by ``ChoroplethGeometry``.

    After restyling it records when the browser has painted (two animation
    frames later) in ``window.pmPaintedAt`` and on ``<html data-pm-painted>``,
    which the browser tests and benchmarks wait for.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
window.pmStyle = {{ this.payload }};
if (window.pmChoropleth) { window.pmChoropleth.setStyle(window.pmStyleOf); }
requestAnimationFrame(function () { requestAnimationFrame(function () {
  window.pmPaintedAt = performance.now();
  document.documentElement.setAttribute("data-pm-painted", String(window.pmStyle.version));
}); });
{% endmacro %}
"""
    )

    def __init__(self, payload: dict):
        super().__init__()
        self._name = "ChoroplethStyle"
        self.payload = script_safe_json(payload)


class ChoroplethImage(TextMacroElement):
    """A server-rendered choropleth image (see ``placemap.render.raster``) stretched over its bounds.

    Marks the paint like ``ChoroplethStyle`` once the image has loaded. ``tiles`` (optional:
    ``url`` template, ``stamp``) hands the view's sharper tiles to the base map's ``ZoomBands``.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (group) {
  var image = L.imageOverlay({{ this.url|tojson }}, {{ this.bounds|tojson }},
                             {opacity: 0.9, interactive: false, className: "pm-raster"});
  image.once("load", function () {
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      window.pmPaintedAt = performance.now();
      document.documentElement.setAttribute("data-pm-painted", {{ this.version|tojson }});
    }); });
  });
  image.addTo(group);
  if (window.pmZoomBands) { window.pmZoomBands.update({{ this.tiles|tojson }}, image); }
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self, url: str, bounds: list[list[float]], version: str, tiles: dict | None = None):
        super().__init__()
        self._name = "ChoroplethImage"
        self.url = url
        self.bounds = bounds
        self.version = escape_text(version)
        self.tiles = tiles


class ZoomBands(TextMacroElement):
    """The tile layer of a large view, added once to the base map (its script never changes).

    ``ChoroplethImage`` calls ``window.pmZoomBands.update(spec, image)`` on every rerun: a new
    ``spec.url`` (another classification) swaps the layer, the same one retries the tiles that
    were not drawn yet when the map asked for them (the page draws the tiles in view after each
    zoom or pan). From ``spec.minZoom`` on, the tiles cover the image; once all tiles in view have
    loaded the image beneath is hidden, so colours are not laid twice.
    """

    _template = Template(
        """
{% macro script(this, kwargs) %}
(function (map) {
  map.createPane("pm-tiles"); map.getPane("pm-tiles").style.zIndex = 420;
  map.getPane("pm-tiles").style.pointerEvents = "none";
  var layer = null, url = null, image = null, failed = 0, from = 99;
  function showImage() { if (image) { image.setOpacity(0.9); } }
  // The layer is on the map only from its first zoom (a tile layer's own minZoom would become
  // the map's least zoom); the image shows under missing tiles and below that zoom.
  function sync() {
    if (!layer) { showImage(); return; }
    var wanted = Math.round(map.getZoom()) >= from;
    if (wanted && !map.hasLayer(layer)) { layer.addTo(map); }
    if (!wanted && map.hasLayer(layer)) { map.removeLayer(layer); }
    if (!wanted || failed || layer.isLoading()) { showImage(); } else if (image) { image.setOpacity(0); }
  }
  map.on("zoomend", sync);
  window.pmZoomMap = map;
  window.pmZoomBands = {
    update: function (spec, overlay) {
      image = overlay;
      if (!spec) { if (layer) { map.removeLayer(layer); layer = null; url = null; } return; }
      if (layer && url === spec.url) {
        if (failed && map.hasLayer(layer)) { failed = 0; layer.redraw(); }
        sync();
        return;
      }
      if (layer) { map.removeLayer(layer); }
      url = spec.url; failed = 0; from = spec.minZoom;
      layer = L.tileLayer(spec.url, {pane: "pm-tiles", maxNativeZoom: spec.maxNativeZoom, maxZoom: Infinity,
                                     bounds: overlay.getBounds(), opacity: 0.9, className: "pm-tiles",
                                     keepBuffer: 1});  // no requests outside the view's extent
      layer.on("tileerror", function () { failed += 1; showImage(); });
      layer.on("loading", showImage);
      layer.on("load", function () { window.pmTilesLoaded = (window.pmTilesLoaded || 0) + 1; sync(); });
      window.pmTileLayer = layer;
      sync();
    }
  };
})({{ this._parent.get_name() }});
{% endmacro %}
"""
    )

    def __init__(self):
        super().__init__()
        self._name = "ZoomBands"


def build_image_layer(
    url: str, bounds: list[list[float]], version: str, tiles: dict | None = None
) -> folium.FeatureGroup:
    """A feature group holding the server-rendered choropleth image (and, from ``tiles``, its sharper tiles)."""
    group = folium.FeatureGroup(name="Indicator colours", control=False)
    group.add_child(ChoroplethImage(url, bounds, version, tiles))
    return group


def _use_local_leaflet(m: folium.Map, js_url: str, css_url: str) -> None:
    # Only Leaflet itself: folium's jQuery, Bootstrap and Font Awesome come from
    # CDNs and nothing we draw needs them, so the map paints with no internet.
    m.default_js = [("leaflet", js_url)]
    m.default_css = [("leaflet_css", css_url)]


def _outline_layer(
    features: dict, name: str, style: dict, pane: str, show: bool, tooltip: str | None = None
) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=name, show=show)
    OutlineGeoJson(features, style, pane, tooltip).add_to(group)
    return group


def edition_attribution(vintage) -> str:
    """The map attribution of an edition's data: the edition, its publisher and the boundaries' licence."""
    return f"{vintage.label}, MHCLG · Boundaries: ONS · OGL v3.0"


def place_base_map(layers: dict, attribution: str, *, context: bool = True, **options) -> folium.Map:
    """``build_base_map`` for a place's layers from ``cache.load_place_layers``: its LSOAs, the LA
    and ward outlines and (unless ``context`` is false) the neighbouring LAs (one call for every
    page that maps a place)."""
    return build_base_map(
        layers["areas"],
        layers["bounds"],
        la_features=layers["la"],
        ward_features=layers["wards"],
        context_features=layers["context"] if context else None,
        attribution=attribution,
        **options,
    )


def build_base_map(
    area_features: dict | None,
    bounds: list[list[float]],
    *,
    la_features: dict | None = None,
    ward_features: dict | None = None,
    context_features: dict | None = None,
    basemap: str = "none",
    attribution: str = "",
    canvas: bool | None = None,
    leaflet_js: str = LEAFLET_JS_URL,
    leaflet_css: str = LEAFLET_CSS_URL,
) -> folium.Map:
    """Return the place's map: polygons, outline layers and optional tiles.

    Parameters
    ----------
    area_features : GeoJSON from ``prepare.area_features`` (escaped names), or ``None``
        when the areas are drawn as an image (``build_image_layer``)
    bounds : ``[[south, west], [north, east]]`` to fit
    la_features, ward_features, context_features : optional outline layers
        (LA outline, ward outlines, neighbouring LAs) that the layer control toggles
    basemap : a key of ``BASEMAPS``; ``"none"`` makes no request off the machine
    canvas : draw with Leaflet's canvas renderer; by default when there are more
        than ``SVG_FEATURE_LIMIT`` polygons
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"Unknown basemap {basemap!r}")
    m = folium.Map(location=None, tiles=None, control_scale=True, zoom_snap=0.25)
    _use_local_leaflet(m, leaflet_js, leaflet_css)
    # The view is set before any layer is added, so Leaflet projects and draws the polygons once,
    # at the fitted zoom, instead of at zoom 1 and again after fitting (~50 ms for an LA's map).
    m.fit_bounds(bounds)
    if basemap == "osm":
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", control=False).add_to(m)
    elif basemap == "positron":
        folium.TileLayer("CartoDB positron", name="CartoDB Positron", control=False).add_to(m)
    folium.map.CustomPane(PANE_CONTEXT, z_index=350, pointer_events=True).add_to(m)
    folium.map.CustomPane(PANE_OUTLINES, z_index=450, pointer_events=False).add_to(m)
    folium.map.CustomPane(PANE_HIGHLIGHT, z_index=460, pointer_events=False).add_to(m)
    if context_features and context_features["features"]:
        _outline_layer(
            context_features,
            "Neighbouring local authorities",
            {"color": "#7a7a7a", "weight": 1.5, "fillColor": "#d9d9d9", "fillOpacity": 0.5},
            PANE_CONTEXT,
            show=False,
            tooltip="Neighbouring local authority",
        ).add_to(m)
    if area_features is not None:
        n = len(area_features["features"])
        ChoroplethGeometry(
            area_features, attribution, canvas=n > SVG_FEATURE_LIMIT if canvas is None else canvas
        ).add_to(m)
    else:
        _Attribution(attribution).add_to(m)
        ZoomBands().add_to(m)
    if ward_features and ward_features["features"]:
        _outline_layer(
            ward_features,
            "Ward outlines",
            {"color": "#111111", "weight": 1.6, "opacity": 0.75, "fill": False, "dashArray": "5 3"},
            PANE_OUTLINES,
            show=False,
        ).add_to(m)
    if la_features and la_features["features"]:
        _outline_layer(
            la_features,
            "Local authority outline",
            {
                "color": "#000000",
                "weight": 3 if len(la_features["features"]) <= 3 else 0.8,
                "opacity": 1,
                "fill": False,
            },
            PANE_OUTLINES,
            show=True,
        ).add_to(m)
    if any(layers for layers in (context_features, ward_features, la_features)):
        folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return m


class _Attribution(TextMacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
{% endmacro %}"""
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "Attribution"
        self.text = escape_text(text)


def style_payload(
    classification: Classification,
    values: list[str],
    ranks: list[str] | None = None,
    deciles: list[str] | None = None,
    label: str = "",
    total: int = 0,
    version: str = "",
) -> dict:
    """The per-feature arrays ``ChoroplethStyle`` sends to the browser (strings escaped).

    ``ranks`` and ``deciles`` left out are blank for every feature (maps of counts or classes).
    """
    ranks = [""] * len(values) if ranks is None else ranks
    deciles = [""] * len(values) if deciles is None else deciles
    return {
        "version": escape_text(version),
        "palette": list(classification.palette),
        "cls": [int(c) for c in classification.classes],
        "value": [escape_text(v) for v in values],
        "rank": [escape_text(r) for r in ranks],
        "decile": [escape_text(d) for d in deciles],
        "label": escape_text(label),
        "total": f"{total:,}",
        "noData": NO_DATA_COLOUR,
        "suppressed": SUPPRESSED_COLOUR,
    }


def build_style_layer(payload: dict) -> folium.FeatureGroup:
    """A feature group that restyles the base map's polygons from ``payload``."""
    group = folium.FeatureGroup(name="Indicator colours", control=False)
    group.add_child(ChoroplethStyle(payload))
    return group


def build_highlight_layer(features: dict | None) -> folium.FeatureGroup:
    """A feature group outlining the selected area (empty when nothing is selected)."""
    group = folium.FeatureGroup(name="Selected area", control=False)
    if features and features["features"]:
        folium.GeoJson(
            features,
            style_function=lambda _f: {"color": HIGHLIGHT_COLOUR, "weight": 5, "opacity": 1, "fill": False},
            pane=PANE_HIGHLIGHT,
            interactive=False,
        ).add_to(group)
    return group


def render_map_html(base: folium.Map, layers: list[folium.FeatureGroup]) -> str:
    """Render a complete HTML page of the map with its dynamic layers (for tests and exports)."""
    for layer in layers:
        layer.add_to(base)
    return base.get_root().render()


def legend_html(title: str, subtitle: str, classification: Classification, direction: str = "") -> str:
    """The legend drawn outside the map: one swatch per class, most deprived first, then "No data".

    Built from the same ``Classification`` that coloured the map; every string is escaped.
    ``direction`` (``indicator_picker.direction_line``: "Higher = … (unit). Darker = worse.") is
    printed under the title. Values suppressed by the publisher (small numbers) get their own
    entry between the classes and "No data" whenever the map has any.
    """
    items = []
    for colour, label, count in reversed(
        list(zip(classification.palette, classification.labels, classification.counts, strict=True))
    ):
        items.append(
            f'<li><span class="pm-swatch" style="background:{colour}"></span>'
            f'<span>{escape_text(label)}</span> <span class="pm-count">({count:,})</span></li>'
        )
    if classification.n_suppressed:
        items.append(
            f'<li><span class="pm-swatch pm-suppressed" style="background:{SUPPRESSED_COLOUR}"></span>'
            f'<span>{SUPPRESSED_LABEL}</span> <span class="pm-count">({classification.n_suppressed:,})</span></li>'
        )
    items.append(
        f'<li><span class="pm-swatch pm-nodata" style="background:{NO_DATA_COLOUR}"></span>'
        f'<span>{NO_DATA_LABEL}</span> <span class="pm-count">({classification.n_missing:,})</span></li>'
    )
    direction_html = f'<div class="pm-legend-dir">{escape_text(direction)}</div>' if direction else ""
    return (
        '<div class="pm-legend" role="group" aria-label="Map legend">'
        f'<div class="pm-legend-title">{escape_text(title)}</div>'
        f'<div class="pm-legend-sub">{escape_text(subtitle)}</div>'
        f"{direction_html}"
        '<div class="pm-legend-end">More deprived (worse)</div>'
        f"<ul>{''.join(items)}</ul>"
        "</div>"
    )


LEGEND_CSS = """
<style>
.pm-legend ul {list-style: none; padding: 0; margin: 0.25rem 0;}
.pm-legend li {display: flex; align-items: center; gap: 0.5rem; margin: 2px 0;}
.pm-swatch {display: inline-block; width: 1.6rem; height: 1rem; border: 1px solid #444; flex: none;}
.pm-nodata {border: 2px dashed #6b6b6b;}
.pm-suppressed {border: 2px dotted #444; background-image: repeating-linear-gradient(45deg, #777 0 1px, transparent 1px 5px);}
.pm-legend-dir {font-size: 0.9em; margin: 0.2rem 0;}
.pm-legend-title {font-weight: 600;}
.pm-legend-sub, .pm-legend-end, .pm-count {color: #444; font-size: 0.9em;}
</style>
"""


def build_marker_layer(points: list[dict], name: str = "Areas", context: dict | None = None) -> folium.FeatureGroup:
    """Circle markers (``lat``, ``lng``, ``label``, ``colour``, ``radius``) for areas too small to see at a national zoom.

    ``context`` (optional GeoJSON, e.g. England's outline) is drawn underneath, in the
    base map's context pane, so the markers have a place to sit. Labels are escaped here.
    """
    group = folium.FeatureGroup(name=name, control=False)
    if context and context["features"]:
        folium.GeoJson(
            context,
            style_function=lambda _f: {"color": "#8a8a8a", "weight": 1, "fillColor": "#f4f4f4", "fillOpacity": 1},
            pane=PANE_CONTEXT,
            interactive=False,
        ).add_to(group)
    for p in points:
        folium.CircleMarker(
            location=(p["lat"], p["lng"]),
            radius=p.get("radius", 7),
            color="#1f1f1f",
            weight=1.5,
            fill=True,
            fill_color=p.get("colour", HIGHLIGHT_COLOUR),
            fill_opacity=0.95,
            tooltip=escape_text(p["label"]),
        ).add_to(group)
    return group


def export_panel_html(titles: dict, classification: Classification) -> str:
    """The panel of a map saved as HTML: its title, legend and source lines (from ``choropleth.map_titles``).

    Example
    -------
    >>> import numpy as np
    >>> from placemap.analysis.classify import classify_values
    >>> c = classify_values(np.array([1.0, 2.0]), "quantiles", 2, polarity="high_is_deprived")
    >>> titles = {"title": "A<b>", "legend_title": "L", "subtitle": "S", "source_lines": ["IoD & ONS"]}
    >>> html = export_panel_html(titles, c)
    >>> html.startswith("<h1>A&lt;b&gt;</h1>"), '<div class="pm-source">IoD &amp; ONS</div>' in html
    (True, True)
    """
    return (
        f"<h1>{escape_text(titles['title'])}</h1>"
        + legend_html(titles["legend_title"], titles["subtitle"], classification)
        + "".join(f'<div class="pm-source">{escape_text(line)}</div>' for line in titles["source_lines"])
    )
