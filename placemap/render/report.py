"""The profile report: one PDF a councillor can print or attach to a committee paper.

Composed with matplotlib's ``PdfPages`` (already a dependency): A4 portrait pages
with the area's title, key points in words, the map (drawn as vectors from the
same classification as the interactive map), the profile chart (rendered by
vl-convert, embedded at print resolution), the tables, and a page of sources,
licences and notes. Every page carries the source line and a page number.
Text stays text (TrueType fonts), so the PDF is searchable and screen readers can
read it.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass, field

import altair as alt
import geopandas as gpd
import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.lines import Line2D

from placemap.analysis import profile
from placemap.analysis.classify import Classification
from placemap.data import la_summaries
from placemap.data.catalogue import BOUNDARY_ATTRIBUTION, IOD_ATTRIBUTION, OGL, OGL_URL, Vintage
from placemap.data.loaders import AREA_NAME, LA_CODE, LA_NAME, WARD_NAME
from placemap.render import charts, export, staticmap

A4 = (8.27, 11.69)  # inches, portrait
MARGIN = 0.07  # of the page width
FONT = staticmap.FONT_FAMILY
INK, MUTED, RULE = "#1f1f1f", "#4a4a4a", "#bdbdbd"
CHART_PPI = 220  # embedded chart images: sharp in print, small enough to attach


@dataclass
class ReportMap:
    """The map of a report: areas in classification order, their classification, a highlight."""

    geometry: gpd.GeoDataFrame
    classification: Classification
    legend_title: str
    highlight: gpd.GeoDataFrame | None = None
    highlight_label: str = ""


@dataclass
class ReportTable:
    """A table of a report: a heading, the frame, an optional note, relative column widths."""

    heading: str
    frame: pd.DataFrame
    note: str = ""
    widths: list[float] | None = None


@dataclass
class ReportContent:
    """Everything a profile report shows, prepared by the page's data (no Streamlit)."""

    title: str
    subtitle: str
    sentences: list[str]
    source_line: str
    map: ReportMap | None = None
    charts: list[tuple[str, alt.TopLevelMixin]] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    link: str = ""


class _Writer:
    """Lays text and tables down A4 pages from the top, opening a new page when one is full."""

    def __init__(self, pdf: PdfPages, content: ReportContent):
        self.pdf, self.content = pdf, content
        self.pages: list[Figure] = []
        self.fig: Figure | None = None
        self.y = 0.0

    def new_page(self) -> Figure:
        self.fig = Figure(figsize=A4)
        self.pages.append(self.fig)
        self.y = 0.955
        self.fig.text(MARGIN, 0.975, self.content.title, fontsize=8, color=MUTED, family=FONT, va="top")
        return self.fig

    def need(self, height: float) -> None:
        if self.fig is None or self.y - height < 0.06:
            self.new_page()

    def text(self, text: str, size: float = 10, weight: str = "normal", colour: str = INK) -> None:
        lines = []
        for paragraph in text.split("\n"):
            lines += textwrap.wrap(
                paragraph, width=_chars(1 - 2 * MARGIN, size * (1.1 if weight == "bold" else 1))
            ) or [""]
        line_height = size * 1.45 / 72 / A4[1]
        self.need(line_height * len(lines))
        for line in lines:
            self.fig.text(MARGIN, self.y, line, fontsize=size, fontweight=weight, color=colour, family=FONT, va="top")
            self.y -= line_height

    def gap(self, height: float = 0.012) -> None:
        self.y -= height

    def heading(self, text: str, keep_with: float = 0.09) -> None:
        self.need(keep_with)  # never leave a heading alone at the foot of a page
        self.gap(0.008)
        self.text(text, size=13, weight="bold")
        self.gap(0.004)

    def image(self, png: bytes, max_height: float = 0.8) -> None:
        pixels = imread(io.BytesIO(png), format="png")
        height_px, width_px = pixels.shape[:2]
        width_frac = 1 - 2 * MARGIN
        height_frac = width_frac * A4[0] * height_px / width_px / A4[1]
        if height_frac > max_height:
            width_frac *= max_height / height_frac
            height_frac = max_height
        self.need(height_frac)
        ax = self.fig.add_axes((MARGIN, self.y - height_frac, width_frac, height_frac))
        ax.imshow(pixels, interpolation="none")  # embedded as is, at its own resolution
        ax.set_axis_off()
        self.y -= height_frac + 0.01

    def table(self, table: ReportTable, size: float = 7.5) -> None:
        frame = table.frame
        widths = np.asarray(table.widths or [1.0] * len(frame.columns), dtype=float)
        widths = widths / widths.sum() * (1 - 2 * MARGIN)
        chars = [_chars(w, size) for w in widths]
        # Bold headers are wider than body text: wrap them a little shorter.
        header = [
            textwrap.wrap(str(c), width=_chars(w, size * 1.15), max_lines=3, placeholder="…") or [""]
            for c, w in zip(frame.columns, widths, strict=True)
        ]
        row_height = size * 1.9 / 72 / A4[1]
        header_height = row_height * (0.6 + 0.55 * max(len(h) for h in header))
        note_height = (
            (len(textwrap.wrap(table.note, _chars(1 - 2 * MARGIN, 8))) * 8 * 1.45 / 72 / A4[1]) if table.note else 0
        )
        # Keep the heading with its note, the header and the first rows.
        self.heading(table.heading, keep_with=0.05 + note_height + header_height + row_height * min(len(frame), 4))
        if table.note:
            self.text(table.note, size=8, colour=MUTED)
            self.gap(0.004)
        if frame.empty:
            self.text("No data.", size=9, colour=MUTED)
            return
        self._table_header(header, widths, size, header_height)
        for _, row in frame.iterrows():
            if self.y - row_height < 0.06:
                self.new_page()
                self._table_header(header, widths, size, header_height)
            x = MARGIN
            for value, w, n in zip(row.tolist(), widths, chars, strict=True):
                self.fig.text(
                    x + 0.004, self.y - row_height * 0.5, _cell(value, n), fontsize=size, family=FONT, va="center"
                )
                x += w
            self.y -= row_height
            self.fig.add_artist(Line2D([MARGIN, 1 - MARGIN], [self.y, self.y], color=RULE, linewidth=0.4))
        self.gap(0.01)

    def _table_header(self, header: list[list[str]], widths, size: float, height: float) -> None:
        self.need(height * 2)
        x = MARGIN
        for lines, w in zip(header, widths, strict=True):
            self.fig.text(
                x + 0.004,
                self.y - height + 0.003,
                "\n".join(lines),
                fontsize=size,
                fontweight="bold",
                family=FONT,
                va="bottom",
                linespacing=1.1,
            )
            x += w
        self.y -= height
        self.fig.add_artist(Line2D([MARGIN, 1 - MARGIN], [self.y, self.y], color=INK, linewidth=0.8))

    def finish(self) -> None:
        total = len(self.pages)
        for number, fig in enumerate(self.pages, start=1):
            fig.text(MARGIN, 0.025, self.content.source_line, fontsize=6.5, color=MUTED, family=FONT, va="bottom")
            fig.text(
                1 - MARGIN,
                0.025,
                f"Page {number} of {total}",
                fontsize=7,
                color=MUTED,
                family=FONT,
                ha="right",
                va="bottom",
            )
            self.pdf.savefig(fig)


def _chars(width_fraction: float, size: float) -> int:
    """How many characters of a ``size``-point font fit in a fraction of the page width (DejaVu Sans)."""
    return max(int(width_fraction * A4[0] * 72 / (size * 0.58)), 4)


def _cell(value: object, limit: int) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        text = "–"
    elif isinstance(value, float) and value.is_integer() and abs(value) >= 1:
        text = f"{int(value):,}"
    elif isinstance(value, (int, np.integer)):
        text = f"{int(value):,}"
    elif isinstance(value, float):
        text = f"{value:,.3f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_report_pdf(content: ReportContent) -> bytes:
    """Compose the report and return the PDF bytes.

    Page 1: title, key points, the map with its legend. Then the charts (one per
    page width), the tables (split across pages with their header repeated), and
    the sources, licences and notes.
    """
    buffer = io.BytesIO()
    metadata = {"Title": content.title, "Subject": content.subtitle, "Creator": "Placemap"}
    with (
        matplotlib.rc_context({"pdf.fonttype": 3, **staticmap.LITERAL_TEXT}),
        PdfPages(buffer, metadata=metadata) as pdf,
    ):
        writer = _Writer(pdf, content)
        writer.new_page()
        writer.text(content.title, size=18, weight="bold")
        writer.text(content.subtitle, size=10, colour=MUTED)
        writer.gap()
        if content.sentences:
            writer.text("Key points", size=12, weight="bold")
            for sentence in content.sentences:
                writer.text(f"•  {sentence}", size=10)
        if content.map is not None:
            _map_block(writer, content.map)
        for heading, chart in content.charts:
            writer.new_page()
            writer.heading(heading)
            writer.image(export.chart_png(chart, ppi=CHART_PPI), max_height=0.6)
        for table in content.tables:
            writer.table(table)
        writer.heading("Sources, licence and notes")
        for line in content.sources:
            writer.text(line, size=8.5)
        writer.gap(0.006)
        for note in content.notes:
            writer.text(note, size=8.5, colour=MUTED)
            writer.gap(0.004)
        writer.text(f"Produced with Placemap on {dt.date.today():%d %B %Y}.", size=8.5, colour=MUTED)
        if content.link:
            writer.text(f"Open this profile in Placemap: {content.link}", size=8.5, colour=MUTED)
        writer.finish()
    return buffer.getvalue()


def _map_block(writer: _Writer, report_map: ReportMap) -> None:
    height = min(writer.y - 0.22, 0.52)
    if height < 0.3:
        writer.new_page()
        height = 0.6
    ax = writer.fig.add_axes((MARGIN, writer.y - height, 1 - 2 * MARGIN, height))
    staticmap.draw_choropleth(ax, report_map.geometry, report_map.classification, report_map.highlight)
    writer.y -= height + 0.005
    handles = staticmap.legend_handles(report_map.classification, report_map.highlight_label or None)
    writer.fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(MARGIN, writer.y),
        ncol=3,
        frameon=False,
        prop={"family": FONT, "size": 7},
        title=f"{report_map.legend_title} (more deprived first)",
        title_fontproperties={"family": FONT, "size": 8, "weight": "bold"},
        alignment="left",
    )
    writer.y -= 0.12


# --- Report content for an LSOA and for an LA ------------------------------------------------------


def _sources(vintage: Vintage, *extra: str) -> list[str]:
    return [
        f"Indices of Deprivation: {vintage.citation}",
        f"Boundaries: {BOUNDARY_ATTRIBUTION}",
        *extra,
        f"Licence: {OGL}, {OGL_URL}",
    ]


def _source_line(vintage: Vintage) -> str:
    return f"Source: {vintage.source}; boundaries ONS. {OGL}. Made with Placemap."


def _similar_tables(title: str, basis, widths: list[float]) -> list[ReportTable]:
    # The similar-areas table is optional in both reports: none when it was not asked for or is empty.
    similar = basis.similar_areas
    return (
        [ReportTable(title, similar, note=basis.similarity_note, widths=widths)]
        if similar is not None and len(similar)
        else []
    )


@dataclass(frozen=True)
class ReportBasis:
    """What an LSOA's or LA's profile report is drawn from, beside the area itself.

    ``areas`` is the edition's national LSOA table; ``geometry`` and ``classification`` the
    LSOAs of the LA (IMD national deciles, in classification order); ``similar_areas``
    (``similar.describe_lsoas`` / ``describe_las``, optional) with its note; ``link`` the page.
    """

    areas: pd.DataFrame
    vintage: Vintage
    geometry: gpd.GeoDataFrame
    classification: Classification
    similar_areas: pd.DataFrame | None = None
    similarity_note: str = ""
    link: str = ""


def lsoa_report(basis: ReportBasis, code: str, history: pd.DataFrame | None = None) -> ReportContent:
    """The content of LSOA ``code``'s profile report, with ``history`` (``profile.vintage_history``) if given."""
    areas, vintage, geometry = basis.areas, basis.vintage, basis.geometry
    row = areas.loc[code]
    table = profile.lsoa_profile_table(areas, code, vintage)
    chart = charts.lsoa_spine_chart(table, name=row[AREA_NAME], code=code, la_name=row[LA_NAME], vintage=vintage)
    tables = [
        ReportTable(
            "Ranks and deciles",
            table[["Domain", "Rank", "Decile", "LA median rank", "In words"]],
            note=(
                f"Rank 1 = the most deprived of {vintage.n_lsoas:,} LSOAs in England; decile 1 = the most "
                f"deprived 10%. LA median rank: the middle LSOA of {row[LA_NAME]}."
            ),
            widths=[3.0, 0.8, 0.6, 1.0, 3.0],
        )
    ]
    if history is not None and len(history):
        tables.append(
            ReportTable(
                "The same place in each edition (IMD)",
                history[["Edition", "LSOA code", "LSOA name", "How it matches", "IMD rank", "IMD decile"]],
                note="Editions before 2025 use 2011 LSOAs; the ONS best-fit lookup links them to 2021 LSOAs. "
                "Compare deciles, not scores, between editions.",
                widths=[0.8, 1.1, 1.5, 2.8, 0.9, 0.8],
            )
        )
    tables += _similar_tables("The 10 most similar LSOAs in England", basis, [0.3, 1.1, 2.0, 2.0, 0.8, 0.8])
    return ReportContent(
        title=f"{row[AREA_NAME]}: area profile",
        subtitle=f"LSOA {code} · Ward: {row[WARD_NAME]} · {row[LA_NAME]} · {vintage.label} ({vintage.lsoa_label})",
        sentences=profile.profile_sentences(table),
        source_line=_source_line(vintage),
        map=ReportMap(
            geometry,
            basis.classification,
            legend_title=f"IMD national decile, LSOAs of {row[LA_NAME]}",
            highlight=geometry.loc[[code]] if code in geometry.index else None,
            highlight_label=f"{row[AREA_NAME]} ({code})",
        ),
        charts=[("Every domain and sub-domain against England", chart)],
        tables=tables,
        sources=_sources(vintage, f"LSOA 2011 to 2021 lookup: ONS. {IOD_ATTRIBUTION}"),
        notes=[
            "Deprivation is relative: ranks and deciles compare an LSOA with every other LSOA in England in the "
            "same edition. Scores are not comparable between editions.",
        ],
        link=basis.link,
    )


def _official_for_report(official: pd.DataFrame) -> pd.DataFrame:
    keep = [
        c
        for c in (
            "Domain",
            "Rank of average score",
            "Rank of average rank",
            "Proportion of LSOAs in most deprived 10%",
            "Rank of proportion in most deprived 10%",
        )
        if c in official.columns
    ]
    frame = official[keep].copy()
    if "Proportion of LSOAs in most deprived 10%" in frame.columns:
        frame["Proportion of LSOAs in most deprived 10%"] = frame["Proportion of LSOAs in most deprived 10%"].map(
            lambda p: "–" if p != p else f"{p:.1%}"
        )
    return frame


def la_report(basis: ReportBasis, la_code: str, official: pd.DataFrame, n_las: int) -> ReportContent:
    """The content of a local authority's profile report.

    ``official`` is ``la_summaries.la_summary_table`` for the LA and ``n_las`` the number of
    LAs in the official summary (the denominator of its ranks).
    """
    areas, vintage = basis.areas, basis.vintage
    la = areas[areas[LA_CODE] == la_code]
    name = str(la[LA_NAME].iloc[0])
    counts = profile.la_decile_counts(areas, la_code, vintage)
    most, least = profile.la_extremes(areas, la_code, vintage)
    official_table = _official_for_report(official) if len(official) else official
    tables = [
        ReportTable(
            "LSOAs in each national decile",
            profile.decile_counts_table(counts).rename(columns=lambda c: c.replace("Decile ", "D")),
            note="Number of the local authority's LSOAs in each national decile: D1 = decile 1, the most deprived "
            "10% of England; D10 = the least deprived 10%.",
            widths=[3.0, 0.8] + [0.55] * 10,
        ),
        ReportTable(
            f"Official summary measures (ranks out of {n_las} local authorities, 1 = most deprived)",
            official_table,
            note=la_summaries.NOTES.get(vintage.year, ""),
            widths=[2.6, 1.0, 1.0, 1.2, 1.2][: len(official_table.columns)],
        ),
        ReportTable("Most deprived LSOAs (IMD)", most, widths=[1.1, 1.6, 2.2, 0.9, 0.9]),
        ReportTable("Least deprived LSOAs (IMD)", least, widths=[1.1, 1.6, 2.2, 0.9, 0.9]),
    ]
    tables += _similar_tables("The 10 most similar local authorities", basis, [0.3, 1.0, 3.0, 1.0])
    return ReportContent(
        title=f"{name}: area profile",
        subtitle=f"Local authority {la_code} · {len(la):,} LSOAs · {vintage.label} ({vintage.la_label})",
        sentences=profile.la_sentences(areas, la_code, vintage, official, n_las),
        source_line=_source_line(vintage),
        map=ReportMap(basis.geometry, basis.classification, legend_title=f"IMD national decile, LSOAs of {name}"),
        charts=[
            (
                "Its LSOAs across England's deciles, every domain",
                charts.la_decile_chart(counts, la_name=name, vintage=vintage),
            )
        ],
        tables=tables,
        sources=_sources(vintage, f"LA summaries: {vintage.summary_file.split('/')[-1]} ({vintage.source})."),
        notes=[la_summaries.READING_NOTE, vintage.la_note] if vintage.la_note else [la_summaries.READING_NOTE],
        link=basis.link,
    )
