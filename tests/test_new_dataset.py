"""A new dataset is catalogue records and values, never a page change (AppTest on the real data).

The fixture registers a seeded random measure on IoD2025's LSOAs in the process catalogue,
the way a loader of a new source would, and opens pages with it by id.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from placemap.data import loaders
from placemap.data.catalogue import CATALOGUE, get_vintage
from placemap.data.indicators import Geography, Indicator, Polarity, Ranking, Theme, ValueKind

APP = str(Path(__file__).resolve().parents[1] / "app.py")
pytestmark = pytest.mark.realdata
LABEL = "Pupils persistently absent (test measure)"


@pytest.fixture(scope="module")
def new_indicator():
    codes = loaders.read_areas(get_vintage(2025)).index
    values = pd.Series(np.random.default_rng(7).uniform(0, 40, len(codes)), index=codes)
    indicator = Indicator(
        "test_absence_rate",
        LABEL,
        "education",
        None,
        "value",
        "% of pupils",
        Polarity.HIGH_IS_WORSE,
        {},
        {},
        {},
        source="A test source",
        value_format="{:.1f}",
        short_label="Persistent absence",
        value_kind=ValueKind.RATE,
        geography=Geography.LSOA21,
        period="2024/25",
        ranking=Ranking.AMONG_PRESENT,
        theme=Theme.EDUCATION,
    )
    CATALOGUE.register(indicator, values)
    yield indicator
    CATALOGUE.unregister(indicator.id)


def _page(page: str, params: dict) -> AppTest:
    """Open ``views/<page>.py`` from a link, as a browser would (the map is the default page)."""
    at = AppTest.from_file(APP, default_timeout=240)
    if page != "map":
        at.run()
        at.switch_page(f"views/{page}.py")
        at.query_params.clear()
    at.query_params.update(params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown(at: AppTest) -> str:
    parts = [
        e.value for kind in ("title", "header", "subheader", "caption", "markdown", "info") for e in getattr(at, kind)
    ]
    parts += [str(s.value) for s in at.sidebar.selectbox] + [s.format_func(s.value) for s in at.sidebar.selectbox]
    return " ".join(str(p) for p in parts)


def test_a_registered_indicator_is_mapped_from_a_link(new_indicator):
    at = _page("map", {"la": "E06000009", "v": "2025", "ind": new_indicator.id})
    assert at.sidebar.selectbox(key="map.measure").value == new_indicator.id
    assert LABEL in _shown(at)


def test_a_registered_indicator_goes_on_the_systems_views_axis_from_a_link(new_indicator):
    at = _page("systems", {"la": "E06000009", "x": new_indicator.id, "y": "health_rank"})
    assert at.sidebar.selectbox(key="systems.x").value == new_indicator.id
    assert LABEL in _shown(at)


def test_a_registered_indicator_has_its_row_on_an_lsoas_profile(new_indicator):
    at = _page("profile", {"area": "E01033658", "v": "2025"})
    measures = next(d.value for d in at.dataframe if "Measure" in d.value.columns)
    row = measures[measures["Measure"] == LABEL]
    assert len(row) == 1 and row["Theme"].iloc[0] == "Education"


def test_a_registered_indicator_has_its_row_when_comparing_areas(new_indicator):
    at = _page("compare", {"cmp": "E01033658,E01005189", "v": "2025"})
    measures = next(d.value for d in at.dataframe if "Measure" in d.value.columns)
    row = measures[measures["Measure"] == LABEL]
    assert len(row) == 1 and row["Theme"].iloc[0] == "Education"
    assert row[["Manchester 054C (E01033658)", "Manchester 017D (E01005189)"]].notna().all(axis=None)


def test_a_registered_indicator_is_a_condition_of_the_priority_finder_from_a_link(new_indicator):
    at = _page("priorities", {"la": "E06000009", "uc": f"{new_indicator.id}~place~20"})
    assert LABEL in _shown(at) + " ".join(" ".join(map(str, d.value.columns)) for d in at.dataframe)
