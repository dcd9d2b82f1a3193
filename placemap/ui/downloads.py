"""Download buttons under every chart, table and map, and the PDF report. Imports streamlit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from placemap.links import profile_links
from placemap.render import export
from placemap.ui import chart_cache, profile_cache

if TYPE_CHECKING:  # Altair is imported by the pages that draw a chart, not by every page
    import altair as alt


def chart_downloads(
    chart: alt.TopLevelMixin | chart_cache.LazyChart, stem: str, key: str, name: str = "Chart", stacked: bool = False
) -> None:
    """PNG (300 ppi) and SVG download buttons for a chart, side by side or ``stacked``; rendered when clicked.

    A lazy chart (``chart_cache.lazy``) is built only when a button is clicked.

    ``name`` starts the buttons' labels ("Spine chart as SVG"), so each button says what it saves.
    """
    buttons = (
        (f"{name} as PNG (print, 300 ppi)", lambda: export.chart_png(chart_cache.altair_of(chart)), "png", "image/png"),
        (f"{name} as SVG", lambda: export.chart_svg(chart_cache.altair_of(chart)), "svg", "image/svg+xml"),
    )
    places = [st.container(), st.container()] if stacked else st.columns(2)
    for place, (label, make, ext, mime) in zip(places, buttons, strict=True):
        with place:
            st.download_button(
                label,
                data=make,
                file_name=f"{stem}.{ext}",
                mime=mime,
                key=f"{key}.{ext}",
                on_click="ignore",
                icon=":material/image:",
            )


def chart_beside_downloads(chart: alt.TopLevelMixin | chart_cache.LazyChart, stem: str, key: str) -> None:
    """A chart with its PNG and SVG buttons stacked to its right (one row of a page's list of charts).

    A lazy chart is drawn from its cached spec (no rebuild or schema check on a rerun).
    """
    left, right = st.columns([5, 1], gap="medium", vertical_alignment="center")
    with left:
        if isinstance(chart, chart_cache.LazyChart):
            chart_cache.show(chart, theme=None, width="content")
        else:
            st.altair_chart(chart, theme=None, width="content")
    with right:
        chart_downloads(chart, stem, key=key, stacked=True)


def table_with_download(
    frame: pd.DataFrame,
    header: list[str],
    stem: str,
    key: str,
    label: str,
    *,
    caption: str | None = None,
    fit_height: bool = False,
    column_config: dict | None = None,
) -> None:
    """A table on the page (every row shown when ``fit_height``), an optional caption, and its CSV download."""
    height = {"height": 35 * (len(frame) + 1) + 3} if fit_height else {}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=column_config, **height)
    if caption:
        st.caption(caption)
    table_download(frame, header, stem, key, label)


def table_download(frame: pd.DataFrame, header: list[str], stem: str, key: str, label: str = "Table as CSV") -> None:
    """A formula-safe CSV download of a table, opening with comment lines naming source and edition.

    Give each table's button its own ``label`` ("Ranks and deciles as CSV") when a page has several.
    The CSV is written when the button is clicked, not on every run (a national table's takes ~0.1 s).
    """
    st.download_button(
        label,
        data=lambda: export.to_safe_csv(frame, header),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def map_downloads(
    year: int,
    la_code: str,
    indicator_id: str,
    scheme: str,
    k: int,
    palette: str,
    area: str | None,
    key: str,
    uploaded: tuple | None = None,
    uploaded_areas: list | None = None,
) -> None:
    """Static map (PNG, SVG) and offline interactive map (HTML) downloads of a choropleth.

    ``uploaded`` (``(UploadedTable, Indicator)``, the map's "Your data" choice) and
    ``uploaded_areas`` (this session's ``UploadedAreas``) put what the map shows on the
    exports: the uploaded indicator's colours, title and source, and the areas' outlines.
    """
    from placemap.render import uploaded_maps

    choice = profile_cache.MapFile(year, la_code, indicator_id, scheme, k, palette, area)
    keys = (uploaded_maps.upload_key(*uploaded) if uploaded else (), uploaded_maps.areas_key(uploaded_areas or []))
    uploads = {
        "_table": uploaded[0] if uploaded else None,
        "_indicator": uploaded[1] if uploaded else None,
        "_areas": tuple(uploaded_areas or ()),
    }

    def map_file(fmt: str) -> bytes:
        return profile_cache.load_map_file(choice, fmt, *keys, **uploads)

    stem = export.safe_filename("placemap", la_code, uploaded[1].id if uploaded else indicator_id, year, scheme, "map")
    columns = st.columns(3)
    for column, fmt, label, mime in (
        (columns[0], "png", "Map as PNG", "image/png"),
        (columns[1], "svg", "Map as SVG", "image/svg+xml"),
    ):
        with column:
            st.download_button(
                label,
                data=lambda fmt=fmt: map_file(fmt),
                file_name=f"{stem}.{fmt}",
                mime=mime,
                key=f"{key}.{fmt}",
                on_click="ignore",
                icon=":material/map:",
            )
    with columns[2]:
        st.download_button(
            "Interactive map (HTML)",
            data=lambda: map_file("html"),
            file_name=f"{stem}.html",
            mime="text/html",
            key=f"{key}.html",
            on_click="ignore",
            icon=":material/public:",
            help="One file with Leaflet inside: it opens in a browser with no internet.",
        )


def report_download(year: int, code: str, name: str, key: str) -> None:
    """The one-click PDF profile report of an LSOA or LA, with the indicators this session brought."""
    from placemap.ui import measure_profile, upload_controls

    def pdf() -> bytes:
        return profile_cache.load_report_pdf(
            year,
            code,
            profile_links.profile_href(year, code),
            catalogue_key=measure_profile.catalogue_key(),
            _catalogue=upload_controls.session_catalogue(),
        )

    _report_button(pdf, export.safe_filename("placemap", name, code, year, "profile"), key)


def report_pdf_download(content, stem: str, key: str) -> None:
    """The one-click PDF profile report of composed ``content`` (drawn when clicked), as ``<stem>_profile.pdf``."""
    from placemap.render import report  # imports matplotlib and Altair: only where a report is offered

    _report_button(lambda: report.build_report_pdf(content), f"{stem}_profile", key)


def _report_button(pdf, stem: str, key: str) -> None:
    # Composed when clicked (``on_click="ignore"``: no rerun), so a page that offers a report stays quick.
    st.download_button(
        "Download the profile report (PDF)",
        data=pdf,
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        key=key,
        on_click="ignore",
        type="primary",
        icon=":material/picture_as_pdf:",
    )
