"""The sharper tiles of a large view's map, drawn for the part in view after each zoom or pan.

The map (``st_folium``) reports its zoom and bounds; from ``tiles.TILE_MIN_ZOOM`` on, the tiles
covering that view are drawn once per classification into the image store (keyed by the hash
of the view's image and the tile), and the map's tile layer (``maps.ZoomBands``) shows them.
Streamlit UI code: this module imports streamlit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import shapely
import streamlit as st

from placemap.render import choropleth, image_store, tiles
from placemap.ui import cache


def viewport(map_key: str) -> tuple[float | None, tuple[float, float, float, float] | None]:
    """The zoom and (south, west, north, east) bounds the map under ``map_key`` last reported (or ``None``s)."""
    return tiles.parse_viewport(st.session_state.get(map_key))


@st.cache_resource(max_entries=16)
def load_mercator_index(year: int, la_codes: tuple[str, ...]) -> tuple[np.ndarray, shapely.STRtree, tuple]:
    """A place's LSOA polygons in Web Mercator (the map's feature order), their spatial index and extent."""
    projected = cache.load_projected_geometry(year)
    polygons = projected.loc[cache.place_geometry(year, la_codes).index].values
    return np.asarray(polygons), shapely.STRtree(polygons), tuple(shapely.total_bounds(polygons))


def raster_tiles(choice: choropleth.MapChoice, image_url: str, map_key: str, upload: str = "") -> dict:
    """The tile layer's spec for a large view (``maps.build_image_layer(tiles=...)``), its tiles in view drawn.

    ``choice`` is the map's (``choropleth.MapChoice``) and ``upload`` the uploaded table holding the indicator, if any, so an uploaded
    indicator gets the same tiles as an official one. ``spec["stamp"]`` says which tiles this run drew. The key is the hash in the view's image name, so a classification's tiles are drawn once and
    shared by every session; a rerun at the same zoom and bounds draws nothing.
    """
    key = Path(image_url).stem.rsplit("-", 1)[-1]
    spec = {
        "url": image_store.tile_url_template(key),
        "minZoom": tiles.TILE_MIN_ZOOM,
        "maxNativeZoom": tiles.TILE_MAX_ZOOM,
    }
    zoom, bounds = viewport(map_key)
    z = tiles.tile_zoom(zoom)
    if z is None:
        return spec
    polygons, tree, extent = load_mercator_index(choice.year, choice.la_codes)
    wanted = image_store.missing_tiles(key, z, tiles.tiles_in_view(bounds, z, extent))
    if wanted:
        classification, _ = cache.load_classification(*choice, upload=upload)
        image_store.write_tiles(key, z, tiles.render_tiles(polygons, tree, classification, z, wanted))
        # The map re-runs its dynamic layers only when their script changes: a new stamp makes it
        # ask again for the tiles that were missing when it first asked.
        spec["stamp"] = f"{z}/{wanted[0][0]}/{wanted[0][1]}/{len(wanted)}"
    return spec
