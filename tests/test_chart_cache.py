"""A chart drawn from its cached spec reaches the browser exactly as the freshly built Altair chart does."""

from __future__ import annotations

import hashlib
import json
import re

import pandas as pd
from streamlit.testing.v1 import AppTest

from placemap.data.catalogue import get_vintage
from placemap.render import charts, charts_systems, export
from placemap.ui import chart_cache


def _counts(first_decile: int) -> pd.DataFrame:
    """Two domains' LSOA counts per national decile, as ``profile.la_decile_counts`` gives them."""
    rows = []
    for domain in ("Index of Multiple Deprivation", "Income"):
        for decile in range(1, 11):
            count = first_decile if decile == 1 else 3
            rows.append({"row": domain, "decile": decile, "count": count})
    frame = pd.DataFrame(rows)
    frame["share"] = frame["count"] / frame.groupby("row")["count"].transform("sum")
    return frame


def _page() -> None:
    import pandas as pd
    import streamlit as st

    from placemap.data.catalogue import get_vintage
    from placemap.render import charts, charts_systems
    from placemap.ui import chart_cache

    counts = pd.DataFrame(
        [{"row": d, "decile": k, "count": 9 if k == 1 else 3} for d in ("IMD", "Income") for k in range(1, 11)]
    )
    counts["share"] = counts["count"] / counts.groupby("row")["count"].transform("sum")
    vintage = get_vintage(2025)
    st.altair_chart(charts.la_decile_chart(counts, la_name="Testshire", vintage=vintage), theme=None, width="content")
    lazy = chart_cache.lazy(charts.la_decile_chart, counts, la_name="Testshire", vintage=vintage)
    for _ in range(2):  # the second draw is served from the cache
        chart_cache.show(lazy, theme=None, width="content")
    matrix = pd.DataFrame([[1.0, 0.4], [0.4, 1.0]], index=["Income", "Health"], columns=["Income", "Health"])
    st.altair_chart(charts_systems.correlation_heatmap(matrix), width="stretch", alt="Correlations")
    chart_cache.show(chart_cache.lazy(charts_systems.correlation_heatmap, matrix), width="stretch", alt="Correlations")


def _as_sent(element) -> dict:
    """The chart as the browser gets it: the spec, with each data set named by its content."""
    spec = element.proto.spec
    for dataset in element.proto.datasets:
        spec = spec.replace(dataset.name, hashlib.sha256(dataset.data.data).hexdigest())
    return {
        "spec": json.loads(spec),
        "data": sorted(hashlib.sha256(d.data.data).hexdigest() for d in element.proto.datasets),
        "theme": element.proto.theme,
        "alt": element.proto.alt,
        "selection_mode": list(element.proto.selection_mode),
        "use_container_width": element.proto.use_container_width,
    }


def test_a_cached_chart_draws_the_same_chart_as_the_altair_chart():
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception
    drawn = [_as_sent(e) for e in at.get("vega_lite_chart")]
    assert len(drawn) == 5
    fresh, cached, cached_again, fresh_heatmap, cached_heatmap = drawn
    assert cached == fresh
    assert cached_again == fresh
    assert cached_heatmap == fresh_heatmap
    assert fresh["data"], "the chart's data travels with it"


def test_the_spec_is_built_once_per_input_and_again_when_the_input_changes():
    calls = []

    def build(counts: pd.DataFrame, *, la_name: str):
        calls.append(la_name)
        return charts.la_decile_chart(counts, la_name=la_name, vintage=get_vintage(2025))

    first = chart_cache.lazy(build, _counts(9), la_name="Testshire").spec()
    again = chart_cache.lazy(build, _counts(9), la_name="Testshire").spec()
    other = chart_cache.lazy(build, _counts(20), la_name="Testshire").spec()
    assert calls == ["Testshire", "Testshire"]
    assert again == first
    assert other != first
    assert first == chart_cache.spec_of(build(_counts(9), la_name="Testshire"))


def test_a_lazy_chart_downloads_the_same_picture_as_the_built_chart():
    matrix = pd.DataFrame([[1.0, -0.2], [-0.2, 1.0]], index=["Income", "Health"], columns=["Income", "Health"])
    lazy = chart_cache.lazy(charts_systems.correlation_heatmap, matrix)
    svg = export.chart_svg(chart_cache.altair_of(lazy))
    assert svg.startswith(b"<svg") and b"Income" in svg
    fresh = export.chart_svg(charts_systems.correlation_heatmap(matrix))
    # vl-convert numbers its gradients per process (gradient_0, gradient_1…): the same picture otherwise
    assert re.sub(rb"gradient_\d+", b"g", svg) == re.sub(rb"gradient_\d+", b"g", fresh)
