"""The profile's spine of measures for an LSOA: chart, table and CSV, cached per edition and LSOA. Imports streamlit.

One call from the profile page (``measure_spine_section``); the figures are
``placemap.analysis.measure_spine``, the chart ``placemap.render.measure_spine_chart``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from placemap.analysis import measure_spine as ms
from placemap.data.catalogue import get_vintage
from placemap.data.loaders import LA_CODE
from placemap.data.measure_catalogue import measure_table
from placemap.data.measure_types import CENSUS2011_SOURCE, CENSUS2021_SOURCE, IOD2019_SOURCE, IOD2025_SOURCE
from placemap.data.measures import RATE_RULE, SUPPRESSED_RULE
from placemap.data.prepare import escape_markdown
from placemap.render import export
from placemap.render.measure_spine_chart import add_measures_to_report, measure_spine_chart
from placemap.ui import cache, chart_cache, downloads

_SOURCES = {2025: [IOD2025_SOURCE, CENSUS2021_SOURCE], 2019: [IOD2019_SOURCE, CENSUS2011_SOURCE]}


@st.cache_resource(show_spinner=False)
def _england(year: int) -> dict:
    # England's figures are the same for every LSOA of an edition: made once per process.
    return ms.england_figures(measure_table(year))


@st.cache_data(max_entries=64, show_spinner="Making the measures' figures…")
def load_measure_spine(year: int, code: str) -> pd.DataFrame:
    """The spine of measures of LSOA ``code`` on IoD edition ``year``'s LSOAs (``measure_spine.measure_spine``)."""
    areas = cache.load_areas(year)
    if code not in areas.index:
        return ms.measure_spine(measure_table(ms.measure_years(year)[0]), code, [])
    la_lsoas = areas.index[areas[LA_CODE] == areas.at[code, LA_CODE]]
    frames = [ms.measure_spine(measure_table(y), code, la_lsoas, _england(y)) for y in ms.measure_years(year)]
    return pd.concat(frames, ignore_index=True)


def measure_report_section(content, year: int, code: str):
    """The profile report with the LSOA's measures added (``add_measures_to_report``)."""
    return add_measures_to_report(content, load_measure_spine(year, code), _SOURCES.get(year, []))


def measure_spine_section(year: int, code: str, name: str, la_name: str) -> None:
    """The "Measures behind the indices" section: spine chart, how each figure was made, the table and its CSV."""
    st.header("Measures behind the indices", anchor=False)
    if not ms.measure_years(year):
        st.caption("The measures behind IoD2015 are not bundled: choose IoD2019 or IoD2025 to see them.")
        return
    frame = load_measure_spine(year, code)
    vintage = get_vintage(year)
    edition = " and ".join(dict.fromkeys(frame["Edition"]))
    st.markdown(
        f"Education, health, income, work, housing and environment measures of {escape_markdown(name)}, "
        f"its local authority ({escape_markdown(la_name)}) and England. {RATE_RULE}"
    )
    chart = chart_cache.lazy(
        measure_spine_chart,
        frame,
        name=name,
        code=code,
        la_name=la_name,
        edition=edition,
        footer=[*_SOURCES[year], vintage.citation],
    )
    chart_cache.show(chart, theme=None, width="content")
    missing = frame[frame["Status"] != ""]
    if len(missing):
        st.caption(
            escape_markdown(
                "Not on the chart: "
                + "; ".join(f"{m} ({s.lower()})" for m, s in zip(missing["Measure"], missing["Status"], strict=True))
                + f". {SUPPRESSED_RULE}"
            )
        )
    downloads.table_with_download(
        ms.spine_table(frame),
        export.csv_header(f"Measures of {name} ({code}), {la_name} and England", vintage, *_SOURCES[year]),
        export.safe_filename("placemap", code, year, "measures"),
        "profile.measures.csv",
        "Measures as CSV",
        caption="The spine in numbers: each figure with how it was made. Position: where the LSOA sits among "
        "England's LSOAs with a value, 0 = the worst, 100 = the best, following each measure's direction.",
    )


@st.cache_data(max_entries=64, show_spinner="Making the measures' figures…")
def load_place_measures(year: int, lsoas: tuple[str, ...]) -> pd.DataFrame:
    """The measures of a place of several LSOAs (``measure_spine.place_measures``), for each measure edition."""
    frames = [ms.place_measures(measure_table(y), list(lsoas), _england(y)) for y in ms.measure_years(year)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ms.PLACE_COLUMNS)


def place_measures_section(year: int, lsoas: tuple[str, ...], label: str, stem: str) -> None:
    """A place's "Measures behind the indices": each measure over its LSOAs beside England's, with its CSV."""
    st.header("Measures behind the indices", anchor=False)
    if not ms.measure_years(year):
        st.caption("The measures behind IoD2015 are not bundled: choose IoD2019 or IoD2025 to see them.")
        return
    frame = load_place_measures(year, lsoas)
    st.markdown(
        f"Education, health, income, work, housing and environment measures over the {len(lsoas):,} LSOAs of "
        f"{escape_markdown(label)}, beside England's. {RATE_RULE}"
    )
    downloads.table_with_download(
        frame,
        export.csv_header(f"Measures of {label} and England", get_vintage(year), *_SOURCES[year]),
        f"{stem}_indicators",
        "profile.place.indicators.csv",
        "Measures as CSV",
        caption="Each figure with how it was made. Where a measure is published only for LSOAs, the place's middle "
        "LSOA is shown and the last column says so.",
    )


def compare_measures_section(year: int, codes: tuple[str, ...], labels: list[str], kind: str) -> None:
    """The compare page's "Measures behind the indices": one column per area compared, and England's.

    An LSOA shows its own value; a local authority its figure from its LSOAs' summed counts.
    """
    if not ms.measure_years(year):
        return
    st.header("Measures behind the indices", anchor=False)
    areas = cache.load_areas(year)
    columns = {}
    base = None
    for code, label in zip(codes, labels, strict=True):
        if kind == "lsoa":
            frame = load_measure_spine(year, code).rename(columns={"This LSOA": "value"})
        else:
            lsoas = tuple(areas.index[areas[LA_CODE] == code])
            frame = load_place_measures(year, lsoas).rename(columns={"This place": "value"})
        base = frame if base is None else base
        columns[label] = frame["value"].to_numpy()
    table = base[["Theme", "Measure", "Unit"]].copy()
    for label, values in columns.items():
        table[label] = values
    table["England"] = base["England"].to_numpy()
    table["Higher means"] = base["Higher means"].to_numpy()
    table["Edition"] = base["Edition"].to_numpy()
    how = "its own value" if kind == "lsoa" else "a ratio of its LSOAs' summed counts (never an average of rates)"
    downloads.table_with_download(
        table,
        export.csv_header("Measures of " + "; ".join(labels) + " and England", get_vintage(year), *_SOURCES[year]),
        export.safe_filename("placemap", "compare", "measures", year),
        "compare.measures.csv",
        "Measures as CSV",
        caption=f"Each area's figure is {how}; England's is its LSOAs' summed counts. {SUPPRESSED_RULE}",
    )
