"""Cached map styles of the workshop and initiatives pages. Imports streamlit."""

from __future__ import annotations

import streamlit as st

from placemap.data import prepare
from placemap.data.catalogue import get_vintage
from placemap.render import class_maps
from placemap.render.maps import style_payload
from placemap.ui.cache import load_areas


@st.cache_data(max_entries=64)
def load_overlap_style(year: int, la_code: str, data_dir: str | None = None):
    """Classes and the map's style payload for "where needs overlap" (domains in England's most deprived 20%)."""
    from placemap.community import workshop

    areas = prepare.areas_in(load_areas(year, data_dir), (la_code,))
    counts = workshop.overlap_counts(areas, year)
    classification = workshop.overlap_classification(counts)
    n = len(workshop.OVERLAP_DOMAINS)
    payload = style_payload(
        classification,
        values=[f"{c} of {n} domains" for c in counts],
        label="Domains in England's most deprived 20%",
        total=get_vintage(year).n_lsoas,
        version=f"overlap-{year}-{la_code}",
    )
    return classification, payload


@st.cache_data(max_entries=64)
def load_coverage_style(year: int, la_code: str, counts: tuple[int, ...], data_dir: str | None = None):
    """Classes and style payload of the initiatives layer: how many initiatives cover each LSOA (0, 1, 2, 3+)."""
    import hashlib

    return class_maps.coverage_map(
        counts,
        get_vintage(year).n_lsoas,
        f"coverage-{year}-{la_code}-{hashlib.sha1(str(counts).encode()).hexdigest()[:10]}",
    )
