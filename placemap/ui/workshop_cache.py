"""Cached map styles of the workshop and initiatives pages. Imports streamlit."""

from __future__ import annotations

import numpy as np
import streamlit as st

from placemap.analysis.classify import (
    Classification,
)
from placemap.data import (
    prepare,
)
from placemap.data.catalogue import get_vintage
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
        ranks=[""] * len(areas),
        deciles=[""] * len(areas),
        label="Domains in England's most deprived 20%",
        total=get_vintage(year).n_lsoas,
        version=f"overlap-{year}-{la_code}",
    )
    return classification, payload


@st.cache_data(max_entries=64)
def load_coverage_style(year: int, la_code: str, counts: tuple[int, ...], data_dir: str | None = None):
    """Classes and style payload of the initiatives layer: how many initiatives cover each LSOA (0, 1, 2, 3+)."""
    import hashlib

    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    areas = prepare.areas_in(load_areas(year, data_dir), (la_code,))
    classes = np.minimum(np.asarray(counts, dtype=int), 3)
    cmap = colormaps["cividis"]
    palette = [to_hex(cmap(1 - i / 3)) for i in range(4)]
    classification = Classification(
        classes=classes,
        colours=[palette[c] for c in classes],
        palette=palette,
        labels=["No initiative", "1 initiative", "2 initiatives", "3 or more initiatives"],
        bins=[0.0, 1.0, 2.0, 3.0],
        counts=[int((classes == i).sum()) for i in range(4)],
        n_missing=0,
        scheme="coverage",
    )
    payload = style_payload(
        classification,
        values=[f"{c} initiative{'s' if c != 1 else ''}" for c in counts],
        ranks=[""] * len(areas),
        deciles=[""] * len(areas),
        label="Initiatives working here",
        total=get_vintage(year).n_lsoas,
        version=f"coverage-{year}-{la_code}-{hashlib.sha1(str(counts).encode()).hexdigest()[:10]}",
    )
    return classification, payload
