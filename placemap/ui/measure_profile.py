"""The measures behind the indices on the profile and compare pages, cached per edition and area. Imports streamlit.

The official measures (``placemap.analysis.measure_spine``, the chart
``placemap.render.measure_spine_chart``) and, under "Your data", the indicators this session
brought (uploads, registered datasets: ``Catalogue.with_uploads``), as rows of the same spine,
place table, comparison and report.
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
from placemap.render import export, place_charts
from placemap.render.measure_spine_chart import (
    add_measures_to_report,
    add_place_measures_to_report,
    measure_spine_chart,
)
from placemap.ui import cache, chart_cache, downloads, upload_cache, upload_controls

_SOURCES = {2025: [IOD2025_SOURCE, CENSUS2021_SOURCE], 2019: [IOD2019_SOURCE, CENSUS2011_SOURCE]}
NOT_BUNDLED = "The measures behind IoD2015 are not bundled: choose IoD2019 or IoD2025 to see them."
BROUGHT_NOTE = (
    "Rows under *Your data*: indicators brought to Placemap for this session (the *Bring your own data* page), "
    "values as given, not checked by Placemap, with their stated source. Each is ranked among the areas it was "
    "given for (LSOAs, wards or local authorities) that have a value, 1 = the worst as its uploader said; a "
    "place's figure from several of them is the population-weighted mean of its LSOAs (a sum for counts, a median "
    "for ranks), never a ratio of counts it lacks; the last columns say which."
)


@st.cache_resource(show_spinner=False)
def _england(year: int) -> dict:
    # England's figures are the same for every LSOA of an edition: made once per process.
    return ms.england_figures(measure_table(year))


@st.cache_data(max_entries=64, show_spinner="Making the measures' figures…")
def load_measure_spine(year: int, code: str) -> pd.DataFrame:
    """The spine of measures of LSOA ``code`` on IoD edition ``year``'s LSOAs (``measure_spine.measure_spine``)."""
    if not ms.measure_years(year):
        return pd.DataFrame(columns=[*ms.COLUMNS, ms.LA_POSITION, "_format"])
    areas = cache.load_areas(year)
    if code not in areas.index:
        return ms.measure_spine(measure_table(ms.measure_years(year)[0]), code, [])
    la = areas.at[code, LA_CODE]
    la_lsoas = _lsoas_of(areas, la)
    frames = [
        ms.measure_spine(measure_table(y), code, la_lsoas, _england(y), _ranks(y), _la_figures(year, y, la))
        for y in ms.measure_years(year)
    ]
    return pd.concat(frames, ignore_index=True)


@st.cache_resource(show_spinner=False)
def _ranks(year: int) -> dict:
    # Every LSOA's rank in England on each measure: the same for every LSOA's spine, made once per process.
    return ms.national_ranks(measure_table(year))


@st.cache_resource(max_entries=64, show_spinner=False)
def _la_figures(edition: int, year: int, la: str) -> dict:
    # An LA's figure on each measure of ``year``: the same for every LSOA of the LA (read-only, shared).
    return ms.place_figures(measure_table(year), _lsoas_of(cache.load_areas(edition), la))


@st.cache_data(max_entries=64, show_spinner="Making the measures' figures…")
def load_place_measures(year: int, lsoas: tuple[str, ...]) -> pd.DataFrame:
    """The measures of a place of several LSOAs (``measure_spine.place_measures``), for each measure edition."""
    frames = [ms.place_measures(measure_table(y), list(lsoas), _england(y)) for y in ms.measure_years(year)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ms.PLACE_COLUMNS)


@st.cache_resource(show_spinner=False)
def _la_ranks(year: int) -> dict:
    # Every LA's rank on each measure of the edition's LSOAs: the same for every comparison, made once.
    la_of = cache.load_areas(year)[LA_CODE]
    return {key: ranks for y in ms.measure_years(year) for key, ranks in ms.la_ranks(measure_table(y), la_of).items()}


def _lsoas_of(areas: pd.DataFrame, la: str) -> pd.Index:
    return areas.index[areas[LA_CODE] == la]


def _la_lsoas(areas: pd.DataFrame, code: str) -> pd.Index:
    """The LSOAs of the LA of LSOA ``code``."""
    return _lsoas_of(areas, areas.at[code, LA_CODE])


def brought(year: int, catalogue=None) -> tuple[list[ms.Brought], list[str]]:
    """The indicators this session brought (``catalogue``: the session's), joined to edition ``year``, and notes."""
    catalogue = catalogue if catalogue is not None else upload_controls.session_catalogue()
    indicators = catalogue.registered(bundled=False)
    people = upload_cache.load_lsoa_population(year) if indicators else None
    return ms.brought_indicators(indicators, year, cache.load_areas(year), catalogue, people)


def catalogue_key() -> str:
    """What the session brought (the catalogue's version, its uploads' content digests), keying the exports."""
    from placemap.data.catalogue import CATALOGUE
    from placemap.uploads.registry import dataset_digest

    return "|".join([str(CATALOGUE.version), *(dataset_digest(t) for t in upload_controls.session_tables())])


def lsoa_measures(year: int, code: str, catalogue=None) -> tuple[pd.DataFrame, list[str], list[str]]:
    """An LSOA's spine (the measures, then the session's own data), the notes of data that cannot join, sources."""
    joined, notes = brought(year, catalogue)
    extra = ms.brought_spine(joined, code, _la_lsoas(cache.load_areas(year), code)) if joined else None
    frame = load_measure_spine(year, code)
    frame = frame if extra is None else pd.concat([frame, extra], ignore_index=True) if len(frame) else extra
    return frame, notes, [*_SOURCES.get(year, []), *dict.fromkeys(b.source for b in joined)]


def place_measures(
    year: int, lsoas: tuple[str, ...], catalogue=None, shares: pd.Series | None = None
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """A place's measures (then the session's own data), the notes of data that cannot join, and the sources.

    ``shares``: the share of each LSOA's people inside the place (1 when not given).
    """
    joined, notes = brought(year, catalogue)
    frame = load_place_measures(year, lsoas)
    if joined:
        extra = ms.brought_place(joined, list(lsoas), shares)
        frame = pd.concat([frame, extra], ignore_index=True) if len(frame) else extra
    return frame, notes, [*_SOURCES.get(year, []), *dict.fromkeys(b.source for b in joined)]


def measure_report_section(content, year: int, code: str, catalogue=None):
    """The profile report with the LSOA's measures (and the session's own data) added."""
    frame, notes, sources = lsoa_measures(year, code, catalogue)
    content.notes.extend(notes)
    return add_measures_to_report(content, frame, sources)


def place_report_section(content, year: int, lsoas: tuple[str, ...], catalogue=None, shares=None):
    """A place's (or LA's) report with its measures (and the session's own data) added."""
    frame, notes, sources = place_measures(year, lsoas, catalogue, shares)
    content.notes.extend(notes)
    return add_place_measures_to_report(content, frame, sources)


def _intro(year: int, frame: pd.DataFrame, notes: list[str], what: str) -> bool:
    """The section's heading and words; ``False`` when there is nothing to show."""
    st.header("Measures behind the indices", anchor=False)
    if not ms.measure_years(year):
        st.caption(NOT_BUNDLED)
    if notes:
        st.info("\n".join(f"- {escape_markdown(n)}" for n in notes), icon=":material/info:")
    if frame.empty:
        return False
    st.markdown(f"Education, health, income, work, housing and environment measures of {what}. {RATE_RULE}")
    if (frame["Theme"] == ms.YOUR_DATA).any():
        st.caption(BROUGHT_NOTE)
    return True


def _sources_caption(sources: list[str]) -> str:
    return " Sources: " + "; ".join(escape_markdown(s) for s in sources) if sources else ""


def measure_spine_section(year: int, code: str, name: str, la_name: str) -> None:
    """The "Measures behind the indices" section: spine chart, how each figure was made, the table and its CSV."""
    frame, notes, sources = lsoa_measures(year, code)
    what = f"{escape_markdown(name)}, its local authority ({escape_markdown(la_name)}) and England"
    if not _intro(year, frame, notes, what):
        return
    vintage = get_vintage(year)
    editions = frame.loc[frame["Theme"] != ms.YOUR_DATA, "Edition"]
    chart = chart_cache.lazy(
        measure_spine_chart,
        frame,
        name=name,
        code=code,
        la_name=la_name,
        edition=" and ".join(dict.fromkeys(editions)) or ms.YOUR_DATA,
        footer=[*sources, vintage.citation],
    )
    chart_cache.show(chart, theme=None, width="content")
    downloads.chart_downloads(
        chart, export.safe_filename("placemap", code, year, "measures"), "profile.measures", name="Measures chart"
    )
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
        export.csv_header(f"Measures of {name} ({code}), {la_name} and England", vintage, *sources),
        export.safe_filename("placemap", code, year, "measures"),
        "profile.measures.csv",
        "Measures as CSV",
        caption="The spine in numbers: each figure with how it was made. Position: where the LSOA sits among "
        "England's LSOAs (or the areas the data was given for) with a value, 0 = the worst, 100 = the best, "
        "following each measure's direction." + _sources_caption(sources),
    )


def place_measures_section(
    year: int,
    lsoas: tuple[str, ...],
    label: str,
    stem: str,
    key: str = "profile.place.indicators.csv",
    shares: pd.Series | None = None,
) -> None:
    """A place's "Measures behind the indices": each measure over its LSOAs beside England's, with its CSV."""
    frame, notes, sources = place_measures(year, lsoas, shares=shares)
    if not _intro(year, frame, notes, f"the {len(lsoas):,} LSOAs of {escape_markdown(label)}, beside England's"):
        return
    downloads.table_with_download(
        frame,
        export.csv_header(f"Measures of {label} and England", get_vintage(year), *sources),
        f"{stem}_indicators",
        key,
        "Measures as CSV",
        caption="Each figure with how it was made. Where a measure is published only for LSOAs, the place's middle "
        "LSOA is shown and the last column says so." + _sources_caption(sources),
    )


CHART_PICK = "compare.measures.charts"  # the rows drawn as charts (local to the compare page)


def compare_measures_section(year: int, codes: tuple[str, ...], labels: list[str], kind: str) -> None:
    """The compare page's "Measures behind the indices": a chart per chosen row, then the table beside England's.

    An LSOA shows its own value and rank among England's LSOAs; a local authority its figure
    from its LSOAs (summed counts for the measures, ``measure_spine.PLACE_RULE`` for brought data)
    with the range of its LSOAs. Official measures and brought indicators are charted alike.
    """
    areas = cache.load_areas(year)
    frames, notes, sources = {}, [], []
    ranks = {} if kind == "lsoa" else _la_ranks(year) | ms.brought_la_ranks(brought(year)[0], areas[LA_CODE])
    for code, label in zip(codes, labels, strict=True):
        if kind == "lsoa":
            frames[label], notes, sources = lsoa_measures(year, code)
        else:
            frame, notes, sources = place_measures(year, tuple(_lsoas_of(areas, code)))
            frames[label] = ms.with_la_ranks(frame, code, ranks)
    how = "its own value" if kind == "lsoa" else "made from its LSOAs (the last column of its profile says how)"
    _compared_section(year, frames, notes, sources, how, kind == "lsoa")


def compare_places_measures_section(year: int, places: dict[str, pd.Series]) -> None:
    """The measures of places of any type compared (``places``: label -> the share of each LSOA counted)."""
    frames, notes, sources = {}, [], []
    for label, weights in places.items():
        lsoas = tuple(sorted(weights.index[weights > 0]))
        frames[label], notes, sources = place_measures(year, lsoas, shares=weights)
    _compared_section(year, frames, notes, sources, "made from its LSOAs (the last column of its profile says how)")


def _compared_section(
    year: int, frames: dict, notes: list[str], sources: list[str], how: str, one_lsoa_each: bool = False
) -> None:
    long = ms.compared(frames)
    what = "; ".join(escape_markdown(label) for label in frames) + " and England"
    if not _intro(year, long, notes, what):
        return
    vintage = get_vintage(year)
    _compare_charts(long, vintage, one_lsoa_each)
    downloads.table_with_download(
        ms.compare_table(long),
        export.csv_header("Measures of " + "; ".join(frames) + " and England", vintage, *sources),
        export.safe_filename("placemap", "compare", "measures", year),
        "compare.measures.csv",
        "Measures as CSV",
        caption=f"The charts in numbers. Each area's figure is {how}; England's is made from all its LSOAs the "
        f"same way. Ranks are among England's areas with a value, 1 = the worst. {SUPPRESSED_RULE}"
        + _sources_caption(sources),
    )


def _compare_charts(long: pd.DataFrame, vintage, one_lsoa_each: bool) -> None:
    """A chart per row chosen in the multiselect: the session's own data by default, else the first three."""
    first = long.drop_duplicates("row").set_index("row")
    options = {int(r): f"{t} · {m}" for r, t, m in zip(first.index, first["Theme"], first["Measure"], strict=True)}
    yours = [r for r in options if first.at[r, "Theme"] == ms.YOUR_DATA]
    if CHART_PICK in st.session_state:  # rows of another session's uploads are dropped, not an error
        st.session_state[CHART_PICK] = [r for r in st.session_state[CHART_PICK] if r in options]
    chosen = st.multiselect(
        "Measures to chart",
        list(options),
        default=None if CHART_PICK in st.session_state else (yours or list(options)[:3]),
        format_func=options.get,
        key=CHART_PICK,
        help="Each chart shows one measure for the areas compared and England; the table below holds every figure.",
    )
    line = "" if one_lsoa_each else " · line: the lowest to the highest of its LSOAs (or areas the data was given for)"
    for row in chosen:
        about = first.loc[row]
        chart = chart_cache.lazy(
            place_charts.indicator_chart,
            long.loc[long["row"] == row, place_charts.INDICATOR_ROWS].reset_index(drop=True),
            label=str(about["Measure"]),
            unit=str(about["Unit"]),
            higher=str(about["Higher means"]),
            subtitle=f"{about['Theme']} · {vintage.label} · dot: each area's figure, as in the table{line}",
            footer=[f"Source: {about['Edition']}"[:160], vintage.citation],
        )
        downloads.chart_beside_downloads(
            chart, export.safe_filename("placemap", "compare", about["Measure"], vintage.year), f"compare.measure.{row}"
        )
