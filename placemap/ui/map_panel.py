"""Show a folium map on a page: the base map once, its style and overlay layers added per run.

Streamlit UI code: this module imports streamlit (through ``streamlit_folium``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import folium
from streamlit_folium import st_folium

from placemap.render import maps


def show_map(
    base: folium.Map,
    key: str,
    layers: Sequence[folium.FeatureGroup],
    *,
    height: int = 560,
    returned_objects: Sequence[str] = (),
    on_change: Callable[[], None] | None = None,
) -> None:
    """``st_folium`` with the base map kept identical across reruns and ``layers`` added on top.

    Display-only maps return nothing (``returned_objects=()``), so panning does not rerun the app.
    """
    st_folium(
        base,
        key=key,
        height=height,
        use_container_width=True,
        returned_objects=list(returned_objects),
        feature_group_to_add=list(layers),
        on_change=on_change,
    )


def show_place_style_map(
    layers: dict,
    attribution: str,
    payload: dict,
    key: str,
    *,
    extra: Sequence[folium.FeatureGroup] = (),
    context: bool = True,
    **options,
) -> None:
    """A place's base map (``maps.place_base_map``) restyled from ``payload``, with ``extra`` layers on top."""
    base = maps.place_base_map(layers, attribution, context=context)
    show_map(base, key, [maps.build_style_layer(payload), *extra], **options)
