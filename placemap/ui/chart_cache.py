"""Charts drawn from a cached Vega-Lite spec, so a rerun neither rebuilds nor re-validates them. Imports streamlit.

Building an Altair chart and turning it into Vega-Lite (``to_dict``, which validates the spec
against the Vega-Lite JSON schema) took 0.05-0.2 s per chart on every rerun. A page instead names
the chart's builder and its inputs (``LazyChart``); the spec is made once per distinct input
(``st.cache_data`` hashes the inputs: small frames, names, codes), with the chart's data held as
Arrow bytes exactly as ``st.altair_chart`` sends them, and drawn with ``st.vega_lite_chart``. The
Altair chart itself is built only when a PNG or SVG download is clicked.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Hashable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import streamlit as st
from streamlit import dataframe_util

if TYPE_CHECKING:  # Altair is imported when a spec is first built, not by every page
    import altair as alt

# Altair's theme and data transformer are process-wide settings: one conversion at a time.
_CONVERT_LOCK = threading.Lock()
_TRANSFORMER = "placemap_arrow"


@dataclass(frozen=True)
class LazyChart:
    """An Altair chart not yet built: its builder and the arguments to build it with."""

    build_chart: Callable[..., alt.TopLevelMixin]
    args: tuple = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    cache_key: Hashable = None

    def build(self) -> alt.TopLevelMixin:
        return self.build_chart(*self.args, **self.kwargs)

    def spec(self) -> dict:
        """The chart's Vega-Lite spec, made once for these inputs and reused on every rerun."""
        name = f"{self.build_chart.__module__}.{self.build_chart.__qualname__}"
        kwargs = tuple(sorted(self.kwargs.items()))
        if self.cache_key is None:
            return _cached_spec(name, self.args, kwargs, self.build_chart)
        return _keyed_spec(name, self.cache_key, self.args, kwargs, self.build_chart)


def lazy(build_chart: Callable[..., alt.TopLevelMixin], /, *args, cache_key: Hashable = None, **kwargs) -> LazyChart:
    """``build_chart(*args, **kwargs)``, built when needed; ``show`` draws it from the cached spec.

    The spec is cached on the builder and its arguments (frames hashed by content), or, when the
    arguments are large, on ``cache_key``: small values that determine them all (edition, codes…).
    """
    return LazyChart(build_chart, args, kwargs, cache_key)


def altair_of(chart: alt.TopLevelMixin | LazyChart) -> alt.TopLevelMixin:
    """The Altair chart itself (built now if lazy), for the exports."""
    return chart.build() if isinstance(chart, LazyChart) else chart


def show(chart: LazyChart, **options):
    """Draw a chart from its cached spec; ``options`` are ``st.altair_chart``'s (theme, width, key, on_select, alt…).

    Returns what ``st.vega_lite_chart`` returns: the selection state when ``on_select`` is set.
    """
    return st.vega_lite_chart(chart.spec(), **options)


def spec_of(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec ``st.altair_chart`` would send: no Altair theme, each data set as Arrow bytes by content."""
    import altair as alt

    datasets: dict[str, bytes] = {}

    def to_arrow(data) -> dict[str, str]:
        data_bytes = dataframe_util.convert_anything_to_arrow_bytes(data)
        name = "data-" + hashlib.sha256(data_bytes).hexdigest()[:32]
        datasets[name] = data_bytes
        return {"name": name}

    alt.data_transformers.register(_TRANSFORMER, to_arrow)
    with _CONVERT_LOCK:
        theme = alt.theme.enable("none") if alt.theme.active == "default" else nullcontext()
        with theme, alt.data_transformers.enable(_TRANSFORMER):
            spec = chart.to_dict()
    spec["datasets"] = {**spec.get("datasets", {}), **datasets}
    return spec


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_spec(name: str, args: tuple, kwargs: tuple, _build_chart: Callable[..., alt.TopLevelMixin]) -> dict:
    """Keyed on the builder's name and its inputs (the builder itself is not hashed)."""
    return spec_of(_build_chart(*args, **dict(kwargs)))


@st.cache_data(max_entries=512, show_spinner=False)
def _keyed_spec(name: str, cache_key: Hashable, _args: tuple, _kwargs: tuple, _build_chart: Callable) -> dict:
    """Keyed on the builder's name and ``cache_key`` alone: the caller promises it determines the arguments."""
    return spec_of(_build_chart(*_args, **dict(_kwargs)))
